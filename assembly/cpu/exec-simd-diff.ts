// Advanced SIMD three different, vector and scalar (Arm ARM C4.1.95.23, C4.1.95.14): long forms (narrow
// sources, wide result), wide forms (one wide source), high-narrowing forms, and the doubling saturating
// multiplies. The "2" variants (Q = 1) read the upper halves of narrow sources or write the upper half.
import { fp_enabled, v_lo, v_hi, set_v128 } from "./vregs";
import { elem, put, commit, start_from, sx, ones, sqadd, sqsub, pmul, sqdmull_lane } from "./simd";

// The long lane operations (exported for the by-element forms)
export const ADDL: u32 = 0, SUBL: u32 = 1, ABAL: u32 = 2, ABDL: u32 = 3, MLAL: u32 = 4, MLSL: u32 = 5, MULL: u32 = 6;
export const SQDMLAL: u32 = 7, SQDMLSL: u32 = 8, SQDMULL: u32 = 9, PMULL: u32 = 10;

/** One 2*esize-bit result lane from esize-bit lanes a, b (extended as `signed` says) and the wide lane d. */
export function long_lane(op: u32, a: u64, b: u64, d: u64, esize: u32, signed: bool): u64 {
  const m = ones(esize * 2);
  const ea: i64 = signed ? sx(a, esize) : <i64>a;
  const eb: i64 = signed ? sx(b, esize) : <i64>b;
  const diff = ea - eb;
  const abd = <u64>(diff < 0 ? -diff : diff);
  switch (op) {
    case ADDL: return <u64>(ea + eb) & m;
    case SUBL: return <u64>diff & m;
    case ABAL: return (d + abd) & m;
    case ABDL: return abd & m;
    case MLAL: return (d + <u64>(ea * eb)) & m;
    case MLSL: return (d - <u64>(ea * eb)) & m;
    case MULL: return <u64>(ea * eb) & m;
    case SQDMLAL: return sqadd(d, sqdmull_lane(a, b, esize), esize * 2);
    case SQDMLSL: return sqsub(d, sqdmull_lane(a, b, esize), esize * 2);
    case SQDMULL: return sqdmull_lane(a, b, esize);
  }
  return pmul(a, b, esize) & m; // PMULL of bytes
}

function long(op: u32, Q: u32, size: u32, rm: u32, rn: u32, rd: u32, signed: bool): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const n: u32 = 64 / esize;
  const base = Q * n;
  for (let i: u32 = 0; i < n; i++) {
    put(i, esize * 2, long_lane(op, elem(rn, base + i, esize), elem(rm, base + i, esize), elem(rd, i, esize * 2), esize, signed));
  }
  commit(rd, 128);
}

/** The wide forms: Vn's lanes are already 2*esize bits (SADDW, USUBW...). */
function wide(sub: bool, Q: u32, size: u32, rm: u32, rn: u32, rd: u32, signed: bool): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const n: u32 = 64 / esize;
  for (let i: u32 = 0; i < n; i++) {
    const b = elem(rm, Q * n + i, esize);
    const eb = signed ? <u64>sx(b, esize) : b;
    const a = elem(rn, i, esize * 2);
    put(i, esize * 2, (sub ? a - eb : a + eb) & ones(esize * 2));
  }
  commit(rd, 128);
}

/** ADDHN/SUBHN (and rounding): the high halves of wide sums or differences, into Vd's lower or upper half. */
function high_narrow(sub: bool, round: bool, Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const n: u32 = 64 / esize;
  if (Q != 0) start_from(rd);
  for (let i: u32 = 0; i < n; i++) {
    const a = elem(rn, i, esize * 2), b = elem(rm, i, esize * 2);
    let r = sub ? a - b : a + b;
    if (round) r += <u64>1 << (esize - 1);
    put(Q * n + i, esize, (r & ones(esize * 2)) >> esize);
  }
  commit(rd, Q != 0 ? 128 : 64);
}

/** 64x64 -> 128-bit carry-less multiply (PMULL with FEAT_PMULL). */
function pmull64(Q: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const a = Q != 0 ? v_hi(rn) : v_lo(rn);
  const b = Q != 0 ? v_hi(rm) : v_lo(rm);
  let lo: u64 = 0, hi: u64 = 0;
  for (let i: u64 = 0; i < 64; i++) {
    if (((b >> i) & 1) != 0) {
      lo ^= a << i;
      if (i != 0) hi ^= a >> (64 - i);
    }
  }
  set_v128(rd, lo, hi);
}

function scalar(op: u32, size: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  put(0, esize * 2, long_lane(op, elem(rn, 0, esize), elem(rm, 0, esize), elem(rd, 0, esize * 2), esize, true));
  commit(rd, esize * 2);
}

export function exec_SADDL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(ADDL, Q, size, rm, rn, rd, true); }
export function exec_UADDL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(ADDL, Q, size, rm, rn, rd, false); }
export function exec_SSUBL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(SUBL, Q, size, rm, rn, rd, true); }
export function exec_USUBL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(SUBL, Q, size, rm, rn, rd, false); }
export function exec_SABAL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(ABAL, Q, size, rm, rn, rd, true); }
export function exec_UABAL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(ABAL, Q, size, rm, rn, rd, false); }
export function exec_SABDL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(ABDL, Q, size, rm, rn, rd, true); }
export function exec_UABDL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(ABDL, Q, size, rm, rn, rd, false); }
export function exec_SMLAL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(MLAL, Q, size, rm, rn, rd, true); }
export function exec_UMLAL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(MLAL, Q, size, rm, rn, rd, false); }
export function exec_SMLSL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(MLSL, Q, size, rm, rn, rd, true); }
export function exec_UMLSL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(MLSL, Q, size, rm, rn, rd, false); }
export function exec_SMULL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(MULL, Q, size, rm, rn, rd, true); }
export function exec_UMULL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(MULL, Q, size, rm, rn, rd, false); }
export function exec_SQDMLAL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(SQDMLAL, Q, size, rm, rn, rd, true); }
export function exec_SQDMLSL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(SQDMLSL, Q, size, rm, rn, rd, true); }
export function exec_SQDMULL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { long(SQDMULL, Q, size, rm, rn, rd, true); }
export function exec_PMULL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void {
  if (size == 3) pmull64(Q, rm, rn, rd);
  else long(PMULL, Q, size, rm, rn, rd, false);
}
export function exec_SADDW_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { wide(false, Q, size, rm, rn, rd, true); }
export function exec_UADDW_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { wide(false, Q, size, rm, rn, rd, false); }
export function exec_SSUBW_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { wide(true, Q, size, rm, rn, rd, true); }
export function exec_USUBW_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { wide(true, Q, size, rm, rn, rd, false); }
export function exec_ADDHN_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { high_narrow(false, false, Q, size, rm, rn, rd); }
export function exec_RADDHN_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { high_narrow(false, true, Q, size, rm, rn, rd); }
export function exec_SUBHN_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { high_narrow(true, false, Q, size, rm, rn, rd); }
export function exec_RSUBHN_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { high_narrow(true, true, Q, size, rm, rn, rd); }

export function exec_SQDMLAL_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(SQDMLAL, size, rm, rn, rd); }
export function exec_SQDMLSL_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(SQDMLSL, size, rm, rn, rd); }
export function exec_SQDMULL_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(SQDMULL, size, rm, rn, rd); }
