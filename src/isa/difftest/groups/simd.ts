// Differential-test groups for the Advanced SIMD and crypto groups of src/isa/table/simd.ts. The compared
// state has no V registers, so each sequence moves values in and out through general-purpose registers:
//   1. V0-V7 are loaded from random X registers (INS Vd.D[i], or DUP of a random element size, which
//      spreads the special values of the initial state, 0x80, 0x7fff, 0x8000_0000..., across the lanes);
//   2. BODY_LENGTH random instances of the group's rows, every vector register field kept in V0-V7 (TBL
//      and TBX tables too), so the instructions consume each other's results;
//   3. V0-V7 are copied to X0-X15 (UMOV Xd, Vn.D[i]) and FPSR to X16 (MRS), where the harness compares
//      them: FPSR.QC shows which saturating instructions saturated.
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

function storeEpilogue(): number[] {
  const out: number[] = [];
  for (let v = 0; v < V_POOL; v++) {
    out.push(encode(row('UMOV_x'), { index: 0, rn: v, rd: 2 * v }));
    out.push(encode(row('UMOV_x'), { index: 1, rn: v, rd: 2 * v + 1 }));
  }
  out.push(encode(row('MRS'), { o0: 1, op1: 3, crn: 4, crm: 4, op2: 1, rt: 16 })); // MRS X16, FPSR
  return out;
}

/** A random instance of `e` with its vector register fields in V0-V7. */
function instance(e: Encoding, rand: Rand): number {
  const general = GENERAL_FIELDS[e.name] ?? [];
  const fix: Record<string, number> = {};
  for (const f of e.fields) {
    if (!['rd', 'rn', 'rm'].includes(f.name) || general.includes(f.name)) continue;
    fix[f.name] = int(rand, 0, V_POOL - 1);
  }
  // A table of len + 1 registers from Vn stays inside the pool
  if (e.name === 'TBL_v' || e.name === 'TBX_v') {
    fix.len = int(rand, 0, 3);
    fix.rn = int(rand, 0, V_POOL - 1 - fix.len);
  }
  return randomInstance(e, rand, fix);
}

function simdGroup(name: string): DiffGroup {
  const rows = rowsOf(name);
  return {
    name,
    ops: rows.map((e) => e.name),
    helpers: ['INS_g', 'DUP_vg', 'UMOV_x', 'MRS'],
    sequence: (rand) => {
      const body: number[] = [];
      for (let i = 0; i < BODY_LENGTH; i++) body.push(instance(rows[Math.floor(rand() * rows.length)], rand));
      return [...loadPrologue(rand), ...body, ...storeEpilogue()];
    },
  };
}

export const SIMD_GROUPS: DiffGroup[] = ['simd-same', 'simd-diff', 'simd-misc', 'simd-shift', 'simd-elem', 'simd-perm', 'crypto'].map(simdGroup);
