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

describe('the SIMD&FP initial state', () => {
  it('meets the special values of every lane size, and varies FPCR', () => {
    const lanes = { h: new Set<bigint>(), s: new Set<bigint>(), d: new Set<bigint>() };
    const fpcrs = new Set<number>();
    for (let seed = 0; seed < 200; seed++) {
      const init = initialState(seed);
      expect(init.v.length).toBe(32);
      fpcrs.add(init.fpcr);
      for (const v of init.v) {
        for (let i = 0n; i < 128n; i += 16n) lanes.h.add((v >> i) & 0xffffn);
        for (let i = 0n; i < 128n; i += 32n) lanes.s.add((v >> i) & 0xffff_ffffn);
        for (let i = 0n; i < 128n; i += 64n) lanes.d.add((v >> i) & 0xffff_ffff_ffff_ffffn);
      }
    }
    // +0, -inf, the default NaN, a signalling NaN's neighbourhood, the smallest denormal, 2^31, 2^63
    for (const x of [0x0000n, 0xfc00n, 0x7e00n, 0x0001n]) expect(lanes.h.has(x), `half 0x${x.toString(16)}`).toBe(true);
    for (const x of [0x8000_0000n, 0xff80_0000n, 0x7fc0_0000n, 0x0000_0001n, 0x4f00_0000n, 0x5f00_0000n]) expect(lanes.s.has(x), `single 0x${x.toString(16)}`).toBe(true);
    for (const x of [0n, 0x7ff0_0000_0000_0000n, 0x7ff8_0000_0000_0000n, 1n, 0x41e0_0000_0000_0000n, 0x43e0_0000_0000_0000n]) expect(lanes.d.has(x), `double 0x${x.toString(16)}`).toBe(true);
    const snan = [...lanes.s].filter((x) => (x & 0x7fc0_0000n) === 0x7f80_0000n && (x & 0x3f_ffffn) !== 0n);
    expect(snan.length).toBeGreaterThan(10);
    for (let rmode = 0; rmode < 4; rmode++) expect([...fpcrs].some((f) => ((f >> 22) & 3) === rmode)).toBe(true);
    expect([...fpcrs].some((f) => f & (1 << 24))).toBe(true); // FZ
    expect([...fpcrs].some((f) => f & (1 << 25))).toBe(true); // DN
  });
});
