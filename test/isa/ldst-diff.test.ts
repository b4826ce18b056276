// Checks the load/store differential-test generators against the contract (src/isa/difftest/contract.ts)
// until the QEMU harness runs them: every word decodes to a load/store row, and an independent model of
// the sequence's addressing shows every access inside the scratch area, naturally aligned, through a base
// register, with no destination a base register and no CONSTRAINED UNPREDICTABLE register overlap.
import { describe, it, expect } from 'vitest';
import { A64 } from '../../src/isa/a64.table.js';
import { extract, prng, referenceDecode } from '../../src/isa/encoding.js';
import { BASE_REGS, BASE_OFFSETS, SCRATCH_SIZE } from '../../src/isa/difftest/contract.js';
import { LDST_GROUPS, SEQUENCE_LENGTH } from '../../src/isa/difftest/groups/ldst.js';

const LDST_TABLE_GROUPS = ['ldst', 'ldst-pair', 'ldst-excl', 'atomic'];
const SEQUENCES = 300;

const sext = (v: number, bits: number) => (v << (32 - bits)) >> (32 - bits);
const isBase = (r: number) => (BASE_REGS as readonly number[]).includes(r);

/** Bytes of one element of row `name`'s access. */
function elementSize(name: string, f: Record<string, number>): number {
  const stem = name.replace(/_(off|pre|post|reg|lit)$/, '');
  if (/^(LDRSW|LDURSW|LDTRSW|LDPSW)$/.test(stem)) return 4;
  if (stem.endsWith('B')) return 1;
  if (stem.endsWith('H')) return 2;
  return 4 << f.sz;
}

interface Access {
  at: number; // scratch offset
  size: number; // bytes in all
  align: number;
  store: boolean;
}

/** Models one instruction: its accesses, the registers it writes, and its base register update. */
function model(name: string, f: Record<string, number>, at: number[], index: number): { accesses: Access[]; writes: number[]; problems: string[] } {
  const problems: string[] = [];
  const accesses: Access[] = [];
  const writes: number[] = [];
  const b = BASE_REGS.indexOf(f.rn as (typeof BASE_REGS)[number]);
  const el = elementSize(name, f);
  const baseAt = () => {
    if (b < 0) problems.push(`base register x${f.rn}`);
    return at[b];
  };
  const writeback = (delta: number) => {
    at[b] += delta;
    if (at[b] < 0 || at[b] > SCRATCH_SIZE - 16 || at[b] % 16 !== 0) problems.push(`base x${f.rn} moved to ${at[b]}`);
  };
  if (name.startsWith('PRF')) {
    if (name !== 'PRFM_lit') baseAt();
    return { accesses, writes, problems };
  }
  if (name.endsWith('_lit')) {
    const addr = 4 * (index + sext(f.imm19, 19));
    if (addr < 0 || addr + el > 4 * SEQUENCE_LENGTH || addr % el !== 0) problems.push(`literal at ${addr}`);
    writes.push(f.rt);
    return { accesses, writes, problems };
  }
  const group = A64.find((e) => e.name === name)!.group;
  const store = /^(ST|SWP|LD(ADD|CLR|EOR|SET|SMAX|SMIN|UMAX|UMIN)|CAS)/.test(name);
  if (group === 'ldst') {
    const load = !name.startsWith('ST');
    let addr = baseAt();
    if (name.endsWith('_off')) addr += f.imm12 * el;
    else if (name.endsWith('_pre')) { addr += sext(f.imm9, 9); writeback(sext(f.imm9, 9)); }
    else if (name.endsWith('_post')) writeback(sext(f.imm9, 9));
    else if (name.endsWith('_reg')) { if (f.rm !== 31) problems.push('index register is not XZR'); }
    else addr += sext(f.imm9, 9); // unscaled, unprivileged
    if ((name.endsWith('_pre') || name.endsWith('_post')) && f.rt === f.rn) problems.push('writeback with Rn == Rt');
    accesses.push({ at: addr, size: el, align: el, store: !load });
    if (load) writes.push(f.rt);
  } else if (group === 'ldst-pair') {
    const load = name.startsWith('LD');
    const off = sext(f.imm7, 7) * el;
    let addr = baseAt();
    if (name.endsWith('_post')) writeback(off);
    else if (name.endsWith('_pre')) { addr += off; writeback(off); }
    else addr += off;
    if (!name.endsWith('_off') && /_(pre|post)$/.test(name) && (f.rt === f.rn || f.rt2 === f.rn)) problems.push('writeback with Rn == Rt/Rt2');
    if (load && f.rt === f.rt2) problems.push('pair load with Rt == Rt2');
    accesses.push({ at: addr, size: 2 * el, align: el, store: !load });
    if (load) writes.push(f.rt, f.rt2);
  } else if (group === 'ldst-excl') {
    const pair = name.endsWith('P');
    const size = pair ? 2 * el : el;
    accesses.push({ at: baseAt(), size, align: size, store: name.startsWith('ST') });
    if (name.startsWith('LD')) writes.push(f.rt, ...(pair ? [f.rt2] : []));
    else if (f.rs !== undefined) {
      writes.push(f.rs);
      if (f.rs === f.rt || f.rs === f.rt2 || f.rs === f.rn) problems.push('store exclusive status overlaps');
    }
  } else {
    const pair = name === 'CASP';
    const size = pair ? 2 * el : el;
    accesses.push({ at: baseAt(), size, align: size, store });
    if (pair) {
      const s = 2 * f.rs41, t = 2 * f.rt41;
      if (s === t) problems.push('CASP pairs overlap');
      writes.push(s, s + 1);
    } else writes.push(name.startsWith('CAS') ? f.rs : f.rt);
  }
  for (const a of accesses) {
    if (a.at < 0 || a.at + a.size > SCRATCH_SIZE) problems.push(`access at ${a.at}+${a.size} outside the scratch area`);
    if (a.at % a.align !== 0) problems.push(`access at ${a.at} not aligned to ${a.align}`);
  }
  return { accesses, writes: writes.filter((r) => r !== 31), problems };
}

describe('load/store differential-test generators', () => {
  it('cover every load/store row, each in one group', () => {
    const rows = A64.filter((e) => LDST_TABLE_GROUPS.includes(e.group)).map((e) => e.name).sort();
    const covered = LDST_GROUPS.flatMap((g) => g.ops).sort();
    expect(covered).toEqual(rows);
  });

  for (const g of LDST_GROUPS) {
    it(`${g.name}: sequences decode to load/store rows and keep the contract`, () => {
      const rand = prng(0x5eed ^ g.name.length);
      const seen = new Set<string>();
      for (let n = 0; n < SEQUENCES; n++) {
        const words = g.sequence(rand);
        expect(words).toHaveLength(SEQUENCE_LENGTH);
        const at: number[] = [...BASE_OFFSETS];
        let monitor: { at: number; size: number } | undefined;
        words.forEach((w, i) => {
          const e = referenceDecode(A64, w);
          const where = `${g.name} #${n}, word ${i} (0x${w.toString(16)} ${e?.name})`;
          expect(e && LDST_TABLE_GROUPS.includes(e.group), where).toBe(true);
          seen.add(e!.name);
          const f = extract(e!, w);
          const { accesses, writes, problems } = model(e!.name, f, at, i);
          expect(problems, where).toEqual([]);
          expect(writes.filter(isBase), where).toEqual([]);
          // Exclusives: a store exclusive is to the reservation exactly, or elsewhere; nothing else stores into it
          const a = accesses[0];
          if (!a) return;
          const exclusiveStore = /^ST(L)?X/.test(e!.name);
          if (exclusiveStore) {
            if (monitor && a.at === monitor.at) expect(a.size, `${where}: size of the reservation`).toBe(monitor.size);
            monitor = undefined;
          } else if (/^LD(A)?X/.test(e!.name)) monitor = { at: a.at, size: a.size };
          else if (a.store && monitor) {
            expect(a.at + a.size <= monitor.at || a.at >= monitor.at + monitor.size, `${where}: store into the reservation`).toBe(true);
          }
        });
      }
      expect([...seen].filter((r) => g.ops.includes(r)).sort()).toEqual([...g.ops].sort());
    });
  }

  it('store exclusives both succeed and fail', () => {
    const g = LDST_GROUPS.find((x) => x.name === 'ldst-excl')!;
    const rand = prng(7);
    let success = 0, failure = 0;
    for (let n = 0; n < SEQUENCES; n++) {
      const at: number[] = [...BASE_OFFSETS];
      let monitor: { at: number; size: number } | undefined;
      g.sequence(rand).forEach((w, i) => {
        const e = referenceDecode(A64, w)!;
        const { accesses } = model(e.name, extract(e, w), at, i);
        if (/^ST(L)?X/.test(e.name)) {
          if (monitor && accesses[0].at === monitor.at) success++;
          else failure++;
          monitor = undefined;
        } else if (/^LD(A)?X/.test(e.name)) monitor = { at: accesses[0].at, size: accesses[0].size };
      });
    }
    expect(success).toBeGreaterThan(50);
    expect(failure).toBeGreaterThan(50);
  });
});

