// cca-emu bench trace: one process runs the image untraced, to Tarmac and to NDJSON, and reports each run's
// instructions, bytes and rates; bad --modes is a usage error.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/cca-emu.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bench trace', () => {
  it('runs the three modes for the instructions asked, and reports bytes and wall and CPU rates', () => {
    const r = cli('bench', 'trace', '--max-instructions', '300000', '--ndjson-instructions', '200000', '--json');
    expect(r.status).toBe(0);
    const { results } = JSON.parse(r.stdout);
    expect(results.map((x: { mode: string }) => x.mode)).toEqual(['untraced', 'tarmac', 'ndjson']);
    const [untraced, tarmac, ndjson] = results;
    expect([untraced.instructions, tarmac.instructions, ndjson.instructions]).toEqual([300000, 300000, 200000]);
    expect(untraced.bytes).toBe(0);
    // bench-sort's Tarmac is about 130 bytes an instruction, its NDJSON about twice that
    expect(tarmac.bytes / tarmac.instructions).toBeGreaterThan(100);
    expect(ndjson.bytes / ndjson.instructions).toBeGreaterThan(1.5 * (tarmac.bytes / tarmac.instructions));
    for (const x of results) {
      expect(x.mips).toBeCloseTo(x.instructions / x.wallSeconds / 1e6, 6);
      expect(x.cpuMips).toBeCloseTo(x.instructions / x.cpuSeconds / 1e6, 6);
    }
  }, 120_000);

  it('rejects a mode it does not know, exit 2', () => {
    const r = cli('bench', 'trace', '--modes', 'tarmac,bogus');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--modes: 'bogus' is not one of untraced, tarmac, ndjson/);
  });
});
