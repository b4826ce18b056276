// `cca-emu bench gpc` as a user meets it: the exact JSON keys, the table, the progress line, usage errors.
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';

/** The CLI in a child process; asynchronous, so the test worker stays responsive while the bench runs. */
function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['bin/cca-emu.js', ...args]);
    let stdout = '', stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    p.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    p.on('error', reject);
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const SMALL = ['--granules', '4k', '--sizes', '1g', '--forms', 'granule,block', '--streams', 'hot,random', '--lookups', '65536'];

describe('cca-emu bench gpc', () => {
  it('--json prints exactly the documented keys, with measured figures and counters per layout', async () => {
    const r = await cli('bench', 'gpc', ...SMALL, '--image', 'hello', '--repeat', '1', '--json');
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

  it('prints the interpreter figures as medians with the folded mode paired by round', async () => {
    const r = await cli('bench', 'gpc', ...SMALL, '--image', 'hello', '--repeat', '3', '--instructions', '1000000');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/interpreter \(hello, \d+ instructions a run, median of 3 rounds\): GPC off [\d.]+ MIPS, folded into the TLB [\d.]+ MIPS, checked on every access [\d.]+ MIPS/);
    expect(r.stdout).toMatch(/folded vs off, paired by round: [-+][\d.]+% \(rounds from [-+][\d.]+% to [-+][\d.]+%\)/);
    expect(r.stderr).toMatch(/bench gpc: interpreter/);
  });

  it('prints the table by default and a progress line on stderr', async () => {
    const r = await cli('bench', 'gpc', ...SMALL, '--no-interpreter');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/GPT walks \(4K granule descriptors, hot set\): [\d.]+ M\/s raw, [\d.]+ M\/s with verdicts cached/);
    expect(r.stdout).toMatch(/^form +granule +protected +PPS +stream +walks M\/s +cached M\/s/m);
    expect(r.stdout.trim().split('\n')).toHaveLength(1 + 1 + 2 + 4);
    expect(r.stderr).toMatch(/bench gpc: layouts/);
  });

  it.each([
    ['--granules', '8k'], ['--sizes', '3g'], ['--sizes', '2t'], ['--sizes', '512m'], ['--forms', 'huge'], ['--streams', 'zigzag'],
    ['--lookups', '10'], ['--repeat', '0'], ['--repeat', '32'], ['--instructions', '1000'], ['--instructions', 'many'],
    ['--image', 'no-such-image'],
  ])('rejects %s %s with a one-line usage error and exit 2', async (opt, value) => {
    const r = await cli('bench', 'gpc', opt, value, '--lookups', opt === '--lookups' ? value : '65536');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects --callgrind without the interpreter: it measures the interpreter', async () => {
    const r = await cli('bench', 'gpc', '--callgrind', '--no-interpreter', '--lookups', '65536');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--callgrind/);
  });
});
