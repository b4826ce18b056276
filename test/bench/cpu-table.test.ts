// The bench cpu table: a peer without a figure for a workload (its run was within its start-up noise)
// shows '-' there, and the ratio geomean covers only the workloads both engines have.
import { describe, it, expect } from 'vitest';
import { formatTable, type BenchResult } from '../../src/bench/cpu.js';

const r = (workload: string, engine: BenchResult['engine'], mips: number): BenchResult =>
  ({ workload, engine, instructions: 100e6, seconds: 100 / mips, mips });

describe('bench cpu table', () => {
  it('shows - for a missing peer figure and takes the ratio geomean over the workloads both have', () => {
    const table = formatTable([
      r('a', 'cca-emu', 100), r('a', 'unicorn', 50),
      r('b', 'cca-emu', 100), // unicorn unresolved on b
      r('c', 'cca-emu', 400), r('c', 'unicorn', 50),
    ]);
    const rows = table.split('\n').map((l) => l.trim().split(/\s+/));
    const b = rows.find((c) => c[0] === 'b')!;
    expect(b.slice(-3)).toEqual(['-', '-', '-']);
    const geo = rows.find((c) => c[0] === 'geomean')!;
    // ratios 2x and 8x: geomean 4x (b does not count)
    expect(geo[geo.length - 1]).toBe('4.00x');
  });
});
