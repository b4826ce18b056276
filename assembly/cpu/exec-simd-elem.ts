// Advanced SIMD by element, vector and scalar (Arm ARM C4.1.95.25, C4.1.95.16): one lane of Vm, chosen by
// H:L:M for halfwords (Vm in V0-V15) or H:L for words (Vm = M:Rm), against every lane of Vn.
import { fp_enabled } from "./vregs";
import { elem, put, commit, ones, sqdmulh_lane } from "./simd";
import { long_lane, MLAL, MLSL, MULL, SQDMLAL, SQDMLSL, SQDMULL } from "./exec-simd-diff";

// @ts-ignore: decorator
@inline function index_of(size: u32, L: u32, M: u32, H: u32): u32 { return size == 1 ? (H << 2) | (L << 1) | M : (H << 1) | L; }
// @ts-ignore: decorator
@inline function vm_of(size: u32, M: u32, rm: u32): u32 { return size == 1 ? rm : (M << 4) | rm; }

const MUL = 0, MLA = 1, MLS = 2, SQDMULH = 3, SQRDMULH = 4;
function same_lane(op: u32, a: u64, b: u64, d: u64, esize: u32): u64 {
  const m = ones(esize);
  switch (op) {
    case MUL: return (a * b) & m;
    case MLA: return (d + a * b) & m;
    case MLS: return (d - a * b) & m;
    case SQDMULH: return sqdmulh_lane(a, b, esize, false);
  }
  return sqdmulh_lane(a, b, esize, true);
}

function vector(op: u32, Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const bits: u32 = Q != 0 ? 128 : 64;
  const b = elem(vm_of(size, M, rm), index_of(size, L, M, H), esize);
  for (let i: u32 = 0; i < bits / esize; i++) put(i, esize, same_lane(op, elem(rn, i, esize), b, elem(rd, i, esize), esize));
  commit(rd, bits);
}

/** The long forms: the selected half of Vn's lanes, 2*esize-bit results. */
function long(op: u32, signed: bool, Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const n: u32 = 64 / esize;
  const b = elem(vm_of(size, M, rm), index_of(size, L, M, H), esize);
  for (let i: u32 = 0; i < n; i++) {
    put(i, esize * 2, long_lane(op, elem(rn, Q * n + i, esize), b, elem(rd, i, esize * 2), esize, signed));
  }
  commit(rd, 128);
}

function scalar(op: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const b = elem(vm_of(size, M, rm), index_of(size, L, M, H), esize);
  put(0, esize, same_lane(op, elem(rn, 0, esize), b, 0, esize));
  commit(rd, esize);
}
function scalar_long(op: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const b = elem(vm_of(size, M, rm), index_of(size, L, M, H), esize);
  put(0, esize * 2, long_lane(op, elem(rn, 0, esize), b, elem(rd, 0, esize * 2), esize, true));
  commit(rd, esize * 2);
}

export function exec_MUL_ve(Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { vector(MUL, Q, size, L, M, rm, H, rn, rd); }
export function exec_MLA_ve(Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { vector(MLA, Q, size, L, M, rm, H, rn, rd); }
export function exec_MLS_ve(Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { vector(MLS, Q, size, L, M, rm, H, rn, rd); }
export function exec_SQDMULH_ve(Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { vector(SQDMULH, Q, size, L, M, rm, H, rn, rd); }
export function exec_SQRDMULH_ve(Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { vector(SQRDMULH, Q, size, L, M, rm, H, rn, rd); }
export function exec_SMULL_ve(Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { long(MULL, true, Q, size, L, M, rm, H, rn, rd); }
export function exec_UMULL_ve(Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { long(MULL, false, Q, size, L, M, rm, H, rn, rd); }
export function exec_SMLAL_ve(Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { long(MLAL, true, Q, size, L, M, rm, H, rn, rd); }
export function exec_UMLAL_ve(Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { long(MLAL, false, Q, size, L, M, rm, H, rn, rd); }
export function exec_SMLSL_ve(Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { long(MLSL, true, Q, size, L, M, rm, H, rn, rd); }
export function exec_UMLSL_ve(Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { long(MLSL, false, Q, size, L, M, rm, H, rn, rd); }
export function exec_SQDMULL_ve(Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { long(SQDMULL, true, Q, size, L, M, rm, H, rn, rd); }
export function exec_SQDMLAL_ve(Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { long(SQDMLAL, true, Q, size, L, M, rm, H, rn, rd); }
export function exec_SQDMLSL_ve(Q: u32, size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { long(SQDMLSL, true, Q, size, L, M, rm, H, rn, rd); }

export function exec_SQDMULH_se(size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { scalar(SQDMULH, size, L, M, rm, H, rn, rd); }
export function exec_SQRDMULH_se(size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { scalar(SQRDMULH, size, L, M, rm, H, rn, rd); }
export function exec_SQDMULL_se(size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { scalar_long(SQDMULL, size, L, M, rm, H, rn, rd); }
export function exec_SQDMLAL_se(size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { scalar_long(SQDMLAL, size, L, M, rm, H, rn, rd); }
export function exec_SQDMLSL_se(size: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { scalar_long(SQDMLSL, size, L, M, rm, H, rn, rd); }
