// Differential-test groups for the Advanced SIMD and crypto groups of src/isa/table/simd.ts. The harness
// compares V0-V31 and FPSR (so FPSR.QC shows which saturating instructions saturated); each sequence is
//   1. V0-V7 loaded from random X registers (INS Vd.D[i], or DUP of a random element size, which spreads
//      the integer special values of the initial state, 0x80, 0x7fff, 0x8000_0000..., across the lanes;
//      the other V registers keep the harness's random lanes, FP special values among them);
//   2. BODY_LENGTH random instances of the group's rows whose vector register fields are, half of the time,
//      in V0-V7, so the instructions consume each other's results.
import { A64 } from '../../a64.table.js';
import { randomInstance, encode, type Encoding } from '../../encoding.js';
import type { DiffGroup } from '../contract.js';
import { rowsOf } from './common.js';

const V_POOL = 8;
const BODY_LENGTH = 10;
const ROWS = new Map(A64.map((e) => [e.name, e]));
const row = (name: string): Encoding => ROWS.get(name)!;

type Rand = () => number;
const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/** The general-purpose register fields of rows that move data between the register files. */
const GENERAL_FIELDS: Record<string, string[]> = {
  DUP_vg: ['rn'], INS_g: ['rn'], SMOV_w: ['rd'], SMOV_x: ['rd'], UMOV_w: ['rd'], UMOV_x: ['rd'],
};

function loadPrologue(rand: Rand): number[] {
  const out: number[] = [];
  for (let v = 0; v < V_POOL; v++) {
    if (rand() < 0.75) {
      out.push(encode(row('INS_g'), { imm5: 0b01000, rn: int(rand, 0, 30), rd: v }));
      out.push(encode(row('INS_g'), { imm5: 0b11000, rn: int(rand, 0, 30), rd: v }));
    } else {
      const size = int(rand, 0, 3);
      out.push(encode(row('DUP_vg'), { Q: 1, imm5: 1 << size, rn: int(rand, 0, 30), rd: v }));
    }
  }
  return out;
}

/** A random instance of `e`, its vector register fields in V0-V7 half of the time. */
function instance(e: Encoding, rand: Rand): number {
  const general = GENERAL_FIELDS[e.name] ?? [];
  const fix: Record<string, number> = {};
  for (const f of e.fields) {
    if (!['rd', 'rn', 'rm'].includes(f.name) || general.includes(f.name)) continue;
    if (rand() < 0.5) fix[f.name] = int(rand, 0, V_POOL - 1);
  }
  return randomInstance(e, rand, fix);
}

function simdGroup(name: string): DiffGroup {
  const rows = rowsOf(name);
  return {
    name,
    ops: rows.map((e) => e.name),
    helpers: ['INS_g', 'DUP_vg'],
    sequence: (rand) => {
      const body: number[] = [];
      for (let i = 0; i < BODY_LENGTH; i++) body.push(instance(rows[Math.floor(rand() * rows.length)], rand));
      return [...loadPrologue(rand), ...body];
    },
  };
}

export const SIMD_GROUPS: DiffGroup[] = ['simd-same', 'simd-diff', 'simd-misc', 'simd-shift', 'simd-elem', 'simd-perm', 'simd-fp', 'crypto'].map(simdGroup);
