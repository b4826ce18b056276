// `cca-emu bench gpc` as a user meets it: the exact JSON keys, the table, the progress line, usage errors.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/cca-emu.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SMALL = ['--granules', '4k', '--sizes', '1g', '--forms', 'granule,block', '--streams', 'hot,random', '--lookups', '65536'];

describe('cca-emu bench gpc', () => {
  it('--json prints exactly the documented keys, with measured figures and counters per layout', () => {
    const r = cli('bench', 'gpc', ...SMALL, '--image', 'hello', '--repeat', '1', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['walksPerSecond', 'cachedLookupsPerSecond', 'interpreter', 'layouts']);
    expect(Object.keys(j.interpreter)).toEqual(['gpcOffMips', 'tlbFoldedMips', 'everyAccessMips']);
    for (const v of [j.walksPerSecond, j.cachedLookupsPerSecond, j.interpreter.gpcOffMips, j.interpreter.tlbFoldedMips, j.interpreter.everyAccessMips]) {
      expect(v).toBeGreaterThan(0);
    }
    expect(j.layouts).toHaveLength(4); // granule x hot/random, block x hot/random
    for (const l of j.layouts) {
      expect(l.counters.gptWalks).toBeGreaterThanOrEqual(l.lookups); // every raw lookup walked
      expect(l.counters.checks).toBe(l.lookups * 2 + 65536); // raw, the cold pass over the stream, the cached runs
    }
    const hot = j.layouts.find((l: { form: string; stream: string }) => l.form === 'granule' && l.stream === 'hot');
    expect(hot.counters.verdictsReused).toBeGreaterThan(65536 / 2); // 256 hot granules: mostly answered by the cache
    expect(hot.counters.gpf).toBeGreaterThan(0); // the layout mixes Realm and Root granules in
  });

  it('prints the table by default and a progress line on stderr', () => {
    const r = cli('bench', 'gpc', ...SMALL, '--no-interpreter');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/GPT walks \(4K granule descriptors, hot set\): [\d.]+ M\/s raw, [\d.]+ M\/s with verdicts cached/);
    expect(r.stdout).toMatch(/^form +granule +protected +PPS +stream +walks M\/s +cached M\/s/m);
    expect(r.stdout.trim().split('\n')).toHaveLength(1 + 1 + 2 + 4);
    expect(r.stderr).toMatch(/bench gpc: layouts/);
  });

  it.each([
    ['--granules', '8k'], ['--sizes', '3g'], ['--sizes', '2t'], ['--sizes', '512m'], ['--forms', 'huge'], ['--streams', 'zigzag'],
    ['--lookups', '10'], ['--repeat', '0'], ['--image', 'no-such-image'],
  ])('rejects %s %s with a one-line usage error and exit 2', (opt, value) => {
    const r = cli('bench', 'gpc', opt, value, '--lookups', opt === '--lookups' ? value : '65536');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
