// Advanced SIMD three same, vector and scalar (Arm ARM C4.1.95.24, C4.1.95.15; semantics per C7.2 for
// each instruction): lane-wise arithmetic, compares, register shifts, pairwise forms and bitwise operations.
import { fp_enabled, v_lo, v_hi, set_v128 } from "./vregs";
import {
  elem, put, commit, sx, ones, sqadd, sqsub, uqadd, uqsub, shift_lane, pmul, sqdmulh_lane,
} from "./simd";

// The lane operations of this class
const SHADD = 0, UHADD = 1, SRHADD = 2, URHADD = 3, SHSUB = 4, UHSUB = 5;
const SQADD = 6, UQADD = 7, SQSUB = 8, UQSUB = 9;
const CMGT = 10, CMHI = 11, CMGE = 12, CMHS = 13, CMEQ = 14, CMTST = 15;
const SSHL = 16, USHL = 17, SQSHL = 18, UQSHL = 19, SRSHL = 20, URSHL = 21, SQRSHL = 22, UQRSHL = 23;
const SMAX = 24, UMAX = 25, SMIN = 26, UMIN = 27, SABD = 28, UABD = 29, SABA = 30, UABA = 31;
const ADD = 32, SUB = 33, MLA = 34, MLS = 35, MUL = 36, PMUL = 37, SQDMULH = 38, SQRDMULH = 39;

/** One lane of op on lanes a (Vn), b (Vm), with d the destination's lane (for the accumulating forms). */
function lane(op: u32, a: u64, b: u64, d: u64, esize: u32): u64 {
  const m = ones(esize);
  switch (op) {
    // Halving forms exist only for esize <= 32, so the sums fit an i64
    case SHADD: return <u64>((sx(a, esize) + sx(b, esize)) >> 1) & m;
    case UHADD: return (a + b) >> 1;
    case SRHADD: return <u64>((sx(a, esize) + sx(b, esize) + 1) >> 1) & m;
    case URHADD: return (a + b + 1) >> 1;
    case SHSUB: return <u64>((sx(a, esize) - sx(b, esize)) >> 1) & m;
    case UHSUB: return <u64>((<i64>a - <i64>b) >> 1) & m;
    case SQADD: return sqadd(a, b, esize);
    case UQADD: return uqadd(a, b, esize);
    case SQSUB: return sqsub(a, b, esize);
    case UQSUB: return uqsub(a, b, esize);
    case CMGT: return sx(a, esize) > sx(b, esize) ? m : 0;
    case CMHI: return a > b ? m : 0;
    case CMGE: return sx(a, esize) >= sx(b, esize) ? m : 0;
    case CMHS: return a >= b ? m : 0;
    case CMEQ: return a == b ? m : 0;
    case CMTST: return (a & b) != 0 ? m : 0;
    // The shift amount is the signed low byte of the Vm lane
    case SSHL: return shift_lane(a, <i32><i8>b, esize, true, false, false);
    case USHL: return shift_lane(a, <i32><i8>b, esize, false, false, false);
    case SQSHL: return shift_lane(a, <i32><i8>b, esize, true, false, true);
    case UQSHL: return shift_lane(a, <i32><i8>b, esize, false, false, true);
    case SRSHL: return shift_lane(a, <i32><i8>b, esize, true, true, false);
    case URSHL: return shift_lane(a, <i32><i8>b, esize, false, true, false);
    case SQRSHL: return shift_lane(a, <i32><i8>b, esize, true, true, true);
    case UQRSHL: return shift_lane(a, <i32><i8>b, esize, false, true, true);
    case SMAX: return sx(a, esize) >= sx(b, esize) ? a : b;
    case UMAX: return a >= b ? a : b;
    case SMIN: return sx(a, esize) <= sx(b, esize) ? a : b;
    case UMIN: return a <= b ? a : b;
    case SABD: { const r = sx(a, esize) - sx(b, esize); return <u64>(r < 0 ? -r : r) & m; }
    case UABD: return a >= b ? a - b : b - a;
    case SABA: { const r = sx(a, esize) - sx(b, esize); return (d + <u64>(r < 0 ? -r : r)) & m; }
    case UABA: return (d + (a >= b ? a - b : b - a)) & m;
    case ADD: return (a + b) & m;
    case SUB: return (a - b) & m;
    case MLA: return (d + a * b) & m;
    case MLS: return (d - a * b) & m;
    case MUL: return (a * b) & m;
    case PMUL: return pmul(a, b, esize) & m;
    case SQDMULH: return sqdmulh_lane(a, b, esize, false);
    case SQRDMULH: return sqdmulh_lane(a, b, esize, true);
  }
  return 0;
}

function vector(op: u32, Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const bits: u32 = Q != 0 ? 128 : 64;
  const n = bits / esize;
  for (let i: u32 = 0; i < n; i++) put(i, esize, lane(op, elem(rn, i, esize), elem(rm, i, esize), elem(rd, i, esize), esize));
  commit(rd, bits);
}

function scalar(op: u32, size: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  put(0, esize, lane(op, elem(rn, 0, esize), elem(rm, 0, esize), elem(rd, 0, esize), esize));
  commit(rd, esize);
}

/** The pairwise forms: lanes of Vm:Vn taken two at a time (C7.2 ADDP, SMAXP...). */
function pairwise(op: u32, Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const bits: u32 = Q != 0 ? 128 : 64;
  const n = bits / esize;
  const half = n >> 1;
  for (let i: u32 = 0; i < n; i++) {
    const src = i < half ? rn : rm;
    const j = (i < half ? i : i - half) << 1;
    put(i, esize, lane(op, elem(src, j, esize), elem(src, j + 1, esize), 0, esize));
  }
  commit(rd, bits);
}

// Bitwise operations work on whole 64-bit halves
const AND = 0, BIC = 1, ORR = 2, ORN = 3, EOR = 4, BSL = 5, BIT = 6, BIF = 7;
function bitwise(op: u32, a: u64, b: u64, d: u64): u64 {
  switch (op) {
    case AND: return a & b;
    case BIC: return a & ~b;
    case ORR: return a | b;
    case ORN: return a | ~b;
    case EOR: return a ^ b;
    case BSL: return (d & a) | (~d & b); // d selects: 1 takes Vn, 0 takes Vm
    case BIT: return (b & a) | (~b & d); // insert Vn's bits where Vm is 1
  }
  return (~b & a) | (b & d); // BIF: insert Vn's bits where Vm is 0
}
function logic(op: u32, Q: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const lo = bitwise(op, v_lo(rn), v_lo(rm), v_lo(rd));
  const hi = Q != 0 ? bitwise(op, v_hi(rn), v_hi(rm), v_hi(rd)) : 0;
  set_v128(rd, lo, hi);
}

export function exec_SHADD_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SHADD, Q, size, rm, rn, rd); }
export function exec_UHADD_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(UHADD, Q, size, rm, rn, rd); }
export function exec_SQADD_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SQADD, Q, size, rm, rn, rd); }
export function exec_UQADD_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(UQADD, Q, size, rm, rn, rd); }
export function exec_SRHADD_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SRHADD, Q, size, rm, rn, rd); }
export function exec_URHADD_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(URHADD, Q, size, rm, rn, rd); }
export function exec_SHSUB_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SHSUB, Q, size, rm, rn, rd); }
export function exec_UHSUB_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(UHSUB, Q, size, rm, rn, rd); }
export function exec_SQSUB_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SQSUB, Q, size, rm, rn, rd); }
export function exec_UQSUB_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(UQSUB, Q, size, rm, rn, rd); }
export function exec_CMGT_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(CMGT, Q, size, rm, rn, rd); }
export function exec_CMHI_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(CMHI, Q, size, rm, rn, rd); }
export function exec_CMGE_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(CMGE, Q, size, rm, rn, rd); }
export function exec_CMHS_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(CMHS, Q, size, rm, rn, rd); }
export function exec_SSHL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SSHL, Q, size, rm, rn, rd); }
export function exec_USHL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(USHL, Q, size, rm, rn, rd); }
export function exec_SQSHL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SQSHL, Q, size, rm, rn, rd); }
export function exec_UQSHL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(UQSHL, Q, size, rm, rn, rd); }
export function exec_SRSHL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SRSHL, Q, size, rm, rn, rd); }
export function exec_URSHL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(URSHL, Q, size, rm, rn, rd); }
export function exec_SQRSHL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SQRSHL, Q, size, rm, rn, rd); }
export function exec_UQRSHL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(UQRSHL, Q, size, rm, rn, rd); }
export function exec_SMAX_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SMAX, Q, size, rm, rn, rd); }
export function exec_UMAX_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(UMAX, Q, size, rm, rn, rd); }
export function exec_SMIN_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SMIN, Q, size, rm, rn, rd); }
export function exec_UMIN_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(UMIN, Q, size, rm, rn, rd); }
export function exec_SABD_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SABD, Q, size, rm, rn, rd); }
export function exec_UABD_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(UABD, Q, size, rm, rn, rd); }
export function exec_SABA_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SABA, Q, size, rm, rn, rd); }
export function exec_UABA_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(UABA, Q, size, rm, rn, rd); }
export function exec_ADD_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(ADD, Q, size, rm, rn, rd); }
export function exec_SUB_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SUB, Q, size, rm, rn, rd); }
export function exec_CMTST_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(CMTST, Q, size, rm, rn, rd); }
export function exec_CMEQ_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(CMEQ, Q, size, rm, rn, rd); }
export function exec_MLA_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(MLA, Q, size, rm, rn, rd); }
export function exec_MLS_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(MLS, Q, size, rm, rn, rd); }
export function exec_MUL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(MUL, Q, size, rm, rn, rd); }
export function exec_PMUL_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(PMUL, Q, size, rm, rn, rd); }
export function exec_SQDMULH_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SQDMULH, Q, size, rm, rn, rd); }
export function exec_SQRDMULH_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { vector(SQRDMULH, Q, size, rm, rn, rd); }
export function exec_SMAXP_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { pairwise(SMAX, Q, size, rm, rn, rd); }
export function exec_UMAXP_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { pairwise(UMAX, Q, size, rm, rn, rd); }
export function exec_SMINP_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { pairwise(SMIN, Q, size, rm, rn, rd); }
export function exec_UMINP_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { pairwise(UMIN, Q, size, rm, rn, rd); }
export function exec_ADDP_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { pairwise(ADD, Q, size, rm, rn, rd); }

export function exec_AND_v(Q: u32, rm: u32, rn: u32, rd: u32): void { logic(AND, Q, rm, rn, rd); }
export function exec_BIC_v(Q: u32, rm: u32, rn: u32, rd: u32): void { logic(BIC, Q, rm, rn, rd); }
export function exec_ORR_v(Q: u32, rm: u32, rn: u32, rd: u32): void { logic(ORR, Q, rm, rn, rd); }
export function exec_ORN_v(Q: u32, rm: u32, rn: u32, rd: u32): void { logic(ORN, Q, rm, rn, rd); }
export function exec_EOR_v(Q: u32, rm: u32, rn: u32, rd: u32): void { logic(EOR, Q, rm, rn, rd); }
export function exec_BSL_v(Q: u32, rm: u32, rn: u32, rd: u32): void { logic(BSL, Q, rm, rn, rd); }
export function exec_BIT_v(Q: u32, rm: u32, rn: u32, rd: u32): void { logic(BIT, Q, rm, rn, rd); }
export function exec_BIF_v(Q: u32, rm: u32, rn: u32, rd: u32): void { logic(BIF, Q, rm, rn, rd); }

export function exec_SQADD_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(SQADD, size, rm, rn, rd); }
export function exec_UQADD_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(UQADD, size, rm, rn, rd); }
export function exec_SQSUB_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(SQSUB, size, rm, rn, rd); }
export function exec_UQSUB_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(UQSUB, size, rm, rn, rd); }
export function exec_CMGT_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(CMGT, size, rm, rn, rd); }
export function exec_CMHI_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(CMHI, size, rm, rn, rd); }
export function exec_CMGE_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(CMGE, size, rm, rn, rd); }
export function exec_CMHS_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(CMHS, size, rm, rn, rd); }
export function exec_SSHL_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(SSHL, size, rm, rn, rd); }
export function exec_USHL_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(USHL, size, rm, rn, rd); }
export function exec_SQSHL_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(SQSHL, size, rm, rn, rd); }
export function exec_UQSHL_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(UQSHL, size, rm, rn, rd); }
export function exec_SRSHL_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(SRSHL, size, rm, rn, rd); }
export function exec_URSHL_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(URSHL, size, rm, rn, rd); }
export function exec_SQRSHL_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(SQRSHL, size, rm, rn, rd); }
export function exec_UQRSHL_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(UQRSHL, size, rm, rn, rd); }
export function exec_ADD_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(ADD, size, rm, rn, rd); }
export function exec_SUB_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(SUB, size, rm, rn, rd); }
export function exec_CMTST_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(CMTST, size, rm, rn, rd); }
export function exec_CMEQ_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(CMEQ, size, rm, rn, rd); }
export function exec_SQDMULH_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(SQDMULH, size, rm, rn, rd); }
export function exec_SQRDMULH_s(size: u32, rm: u32, rn: u32, rd: u32): void { scalar(SQRDMULH, size, rm, rn, rd); }
