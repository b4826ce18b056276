// Differential-test generator for the SIMD&FP loads and stores of src/isa/table/fp-ldst.ts, on the
// load/store contract of ldst.ts: base registers from BASE_REGS that stay inside the scratch area as
// writeback moves them (by multiples of 16), naturally aligned accesses, register offsets from XZR, literal
// loads of the sequence's own words. The transfer registers are V registers, so any of them may be used,
// except that a pair load never names the same register twice (CONSTRAINED UNPREDICTABLE).
import { BASE_REGS, SCRATCH_SIZE, type DiffGroup } from '../contract.js';
import { A64 } from '../../a64.table.js';
import { Seq, SEQUENCE_LENGTH, assemble, int, pick, bit } from './ldst.js';

type Rand = () => number;
const V = Array.from({ length: 32 }, (_, r) => r);

function emitSingle(sq: Seq, name: string): void {
  const r = sq.rand;
  const m = /^(STR|LDR|STUR|LDUR)_fp(?:_(off|pre|post|reg))?$/.exec(name)!;
  const store = m[1].startsWith('ST');
  const cls = m[2] ?? 'unscaled';
  const scale = int(r, 0, 4);
  const size = 1 << scale;
  const b = sq.base(store);
  const f: Record<string, number> = { size: scale === 4 ? 0 : scale, q: scale === 4 ? 1 : 0, rn: BASE_REGS[b], rt: pick(r, V) };
  if (cls === 'off') f.imm12 = sq.offset(b, size, size, 0, 4095 * size) / size;
  else if (cls === 'pre' || cls === 'post') {
    const wb = sq.writeback(b, -256, 240);
    f.imm9 = wb & 0x1ff;
    sq.at[b] += wb;
  } else if (cls === 'unscaled') f.imm9 = sq.offset(b, size, size, -256, 255) & 0x1ff;
  else Object.assign(f, { rm: 31, option: pick(r, [2, 3, 6, 7]), s: bit(r) });
  sq.emit(name, f);
}

/** LDR (literal): S, D or Q words of the sequence itself, naturally aligned (the sequence is 16-byte aligned). */
function emitLiteral(sq: Seq): void {
  const r = sq.rand;
  const opc = int(r, 0, 2);
  const words = 1 << opc;
  const j = words * int(r, 0, SEQUENCE_LENGTH / words - 1);
  sq.emit('LDR_fp_lit', { opc, imm19: (j - sq.words.length) & 0x7ffff, rt: pick(r, V) });
}

function emitPair(sq: Seq, name: string): void {
  const r = sq.rand;
  const store = name.startsWith('ST');
  const opc = int(r, 0, 2);
  const esize = 4 << opc;
  const b = sq.base(store);
  const rt = pick(r, V);
  const rt2 = store ? pick(r, V) : pick(r, V.filter((t) => t !== rt));
  let off: number;
  if (/_(pre|post)$/.test(name)) {
    off = sq.writeback(b, -256, 240);
    sq.at[b] += off;
  } else off = sq.offset(b, 2 * esize, esize, -64 * esize, 63 * esize);
  sq.emit(name, { opc, imm7: (off / esize) & 0x7f, rt2, rn: BASE_REGS[b], rt });
}

const ROWS = A64.filter((e) => e.group === 'fp-ldst').map((e) => e.name);

export const FP_LDST_GROUPS: DiffGroup[] = [
  {
    name: 'fp-ldst',
    ops: ROWS,
    sequence(rand: Rand): number[] {
      const sq = new Seq(rand);
      while (sq.room > 0) {
        const op = pick(rand, ROWS);
        if (op === 'LDR_fp_lit') emitLiteral(sq);
        else if (/^(LD|ST)N?P_/.test(op)) emitPair(sq, op);
        else emitSingle(sq, op);
      }
      return sq.words;
    },
  },
];

// ---- structures ----

/**
 * Structure sequences move their bases by the bytes transferred (post-index with Rm = 31), which need not
 * be multiples of 16, so they track offsets themselves: an access of element size e uses a base whose
 * offset is a multiple of e, and stays inside the scratch area. A post-index by register uses another
 * base register as Rm; the base it moves then points outside the scratch area and is not used again.
 */
function structureSequence(rand: Rand, rows: string[]): number[] {
  const words: number[] = [];
  const at: (number | undefined)[] = [0x1000, 0x2000, 0x3000, 0x4000];
  while (words.length < SEQUENCE_LENGTH) {
    const name = pick(rand, rows);
    const live = [0, 1, 2, 3].filter((b) => at[b] !== undefined);
    const q = bit(rand);
    const f: Record<string, number> = { q, rt: pick(rand, V) };
    let ebytes: number, total: number;
    const mult = /^(LD|ST)(\d)(?:_(\d))?_mult/.exec(name);
    const rep = /^LD(\d)R/.exec(name);
    if (mult) {
      const selem = Number(mult[2]);
      const regs = mult[3] ? Number(mult[3]) : selem;
      f.size = int(rand, 0, 3);
      if (selem > 1 && f.size === 3 && q === 0) f.size = 2; // reserved
      ebytes = 1 << f.size;
      total = (q ? 16 : 8) * regs;
    } else if (rep) {
      f.size = int(rand, 0, 3);
      ebytes = 1 << f.size;
      total = ebytes * Number(rep[1]);
    } else {
      const n = Number(/^(?:LD|ST)(\d)_lane/.exec(name)![1]);
      f.op2 = int(rand, 0, 2);
      f.s = bit(rand);
      if (f.op2 === 0) f.size = int(rand, 0, 3);
      else if (f.op2 === 1) f.size = 2 * bit(rand);
      else {
        f.size = bit(rand);
        if (f.size === 1) f.s = 0;
      }
      ebytes = f.op2 === 2 && f.size === 1 ? 8 : 1 << f.op2;
      total = ebytes * n;
    }
    const fits = live.filter((b) => at[b]! % ebytes === 0 && at[b]! + total <= SCRATCH_SIZE);
    if (fits.length === 0) continue;
    const b = pick(rand, fits);
    f.rn = BASE_REGS[b];
    if (name.endsWith('_post') || /R_post$/.test(name)) {
      const others = live.filter((c) => c !== b);
      if (others.length >= 2 && rand() < 0.2) {
        f.rm = BASE_REGS[pick(rand, others)];
        at[b] = undefined;
      } else {
        f.rm = 31;
        at[b]! += total;
      }
    }
    words.push(assemble(name, f));
  }
  return words;
}

const STRUCT_ROWS = A64.filter((e) => e.group === 'fp-ldst-struct').map((e) => e.name);

FP_LDST_GROUPS.push({
  name: 'fp-ldst-struct',
  ops: STRUCT_ROWS,
  sequence: (rand: Rand) => structureSequence(rand, STRUCT_ROWS),
});
