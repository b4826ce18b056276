// Differential-test generator for the SIMD&FP loads and stores of src/isa/table/fp-ldst.ts, on the
// load/store contract of ldst.ts: base registers from BASE_REGS that stay inside the scratch area as
// writeback moves them (by multiples of 16), naturally aligned accesses, register offsets from XZR, literal
// loads of the sequence's own words. The transfer registers are V registers, so any of them may be used,
// except that a pair load never names the same register twice (CONSTRAINED UNPREDICTABLE).
import { BASE_REGS, type DiffGroup } from '../contract.js';
import { A64 } from '../../a64.table.js';
import { Seq, SEQUENCE_LENGTH, int, pick, bit } from './ldst.js';

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
