// Replays the golden differential-test cases (recorded from qemu-aarch64 by `npm run difftest:record`)
// in cca-emu: no QEMU needed. A failure names the group, the seed, the words and each differing register.
import { describe, it, expect } from 'vitest';
import { A64 } from '../../src/isa/a64.table.js';
import { referenceDecode } from '../../src/isa/encoding.js';
import { DIFF_GROUPS, UNTESTED_TABLE_GROUPS } from '../../src/isa/difftest/groups/index.js';
import { readGolden, GOLDEN_COUNT } from '../../src/isa/difftest/golden.js';
import { describeMismatch } from '../../src/isa/difftest/cases.js';
import { runEmu } from '../../src/isa/difftest/emu.js';
import { initialState, diffStates } from '../../src/isa/difftest/state.js';

describe('differential-test groups', () => {
  it('cover every table row outside the untested groups, each once', () => {
    const covered = new Map<string, string>();
    for (const g of DIFF_GROUPS) {
      for (const op of g.ops) {
        expect(A64.some((e) => e.name === op), `${g.name} names unknown row ${op}`).toBe(true);
        expect(covered.get(op), `${op} is in ${covered.get(op)} and ${g.name}`).toBeUndefined();
        covered.set(op, g.name);
      }
    }
    const missing = A64.filter((e) => !(e.group in UNTESTED_TABLE_GROUPS) && !covered.has(e.name)).map((e) => e.name);
    expect(missing, 'rows no differential-test group covers').toEqual([]);
  });
});

describe('the cca-emu side of the harness', () => {
  it('returns the initial state for an empty sequence', () => {
    const init = initialState(12345);
    const emu = runEmu([], init);
    expect(emu.error).toBeUndefined();
    expect(diffStates(init, emu.final)).toEqual([]);
  });
  it('reports a sequence that takes an exception', () => {
    expect(runEmu([0x00000000], initialState(1)).error).toMatch(/expected the end/);
  });
});

describe('golden differential tests (cca-emu against recorded qemu-aarch64 results)', () => {
  for (const group of DIFF_GROUPS) {
    it(group.name, () => {
      const golden = readGolden(group.name);
      expect(golden, `no golden file for ${group.name}: run npm run difftest:record -- ${group.name}`).toBeDefined();
      expect(golden!.cases.length).toBe(GOLDEN_COUNT);
      const ops = new Set([...group.ops, ...(group.helpers ?? [])]);
      const failures: string[] = [];
      for (const g of golden!.cases) {
        const c = { group: group.name, seed: g.seed, words: g.words.map((w) => Number(w)) };
        for (const w of c.words) {
          const row = referenceDecode(A64, w);
          if (!row || !ops.has(row.name)) failures.push(describeMismatch(c, [`word ${w.toString(16)} decodes to ${row?.name ?? 'nothing'}, not a row of the group`]));
        }
        const init = initialState(c.seed);
        const emu = runEmu(c.words, init);
        const lines = diffStates(g.final, emu.final, init);
        if (emu.error) lines.unshift(emu.error);
        if (lines.length) failures.push(describeMismatch(c, lines));
      }
      expect(failures.length, `${failures.length} of ${golden!.cases.length} cases differ:\n${failures.slice(0, 10).join('\n')}`).toBe(0);
    });
  }
});
