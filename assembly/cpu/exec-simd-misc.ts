// Advanced SIMD two-register miscellaneous (Arm ARM C4.1.95.21 vector, C4.1.95.12 scalar), across lanes
// (C4.1.95.20) and scalar pairwise ADDP (C4.1.95.11): element reversal, pairwise long adds, counts,
// saturating absolute value and negation, compares with zero, and the narrowing moves.
import { fp_enabled, v_lo, v_hi, set_v128 } from "./vregs";
import {
  elem, put, commit, start_from, sx, ones, smin, smax, saturated, sat_s, sat_u, sat_uu, suqadd, usqadd, clz_lane,
  recip_estimate, rsqrt_estimate,
} from "./simd";

const SUQADD = 0, USQADD = 1, CLS = 2, CLZ = 3, CNT = 4, SQABS = 5, SQNEG = 6, ABS = 7, NEG = 8;
const CMGT = 9, CMGE = 10, CMEQ = 11, CMLE = 12, CMLT = 13;

/** One lane of op on a (Vn's lane) and d (Vd's lane, for the accumulating forms). */
function lane(op: u32, a: u64, d: u64, esize: u32): u64 {
  const m = ones(esize);
  const s = sx(a, esize);
  switch (op) {
    case SUQADD: return suqadd(d, a, esize);
    case USQADD: return usqadd(d, a, esize);
    case CLS: return clz_lane(<u64>(s ^ (s >> 1)) & m, esize) - 1;
    case CLZ: return clz_lane(a, esize);
    case CNT: return popcnt<u64>(a);
    case SQABS: if (s == smin(esize)) { saturated(); return <u64>smax(esize); } return <u64>(s < 0 ? -s : s) & m;
    case SQNEG: if (s == smin(esize)) { saturated(); return <u64>smax(esize); } return <u64>(-s) & m;
    case ABS: return <u64>(s < 0 ? -s : s) & m;
    case NEG: return <u64>(-s) & m;
    case CMGT: return s > 0 ? m : 0;
    case CMGE: return s >= 0 ? m : 0;
    case CMEQ: return s == 0 ? m : 0;
    case CMLE: return s <= 0 ? m : 0;
  }
  return s < 0 ? m : 0; // CMLT
}

function vector(op: u32, Q: u32, size: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const bits: u32 = Q != 0 ? 128 : 64;
  for (let i: u32 = 0; i < bits / esize; i++) put(i, esize, lane(op, elem(rn, i, esize), elem(rd, i, esize), esize));
  commit(rd, bits);
}

function scalar(op: u32, size: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  put(0, esize, lane(op, elem(rn, 0, esize), elem(rd, 0, esize), esize));
  commit(rd, esize);
}

/** REV16/REV32/REV64: reverses the esize-bit elements within each container of `container` bits. */
function rev(container: u32, Q: u32, size: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const bits: u32 = Q != 0 ? 128 : 64;
  const flip = container / esize - 1;
  for (let i: u32 = 0; i < bits / esize; i++) put(i, esize, elem(rn, i ^ flip, esize));
  commit(rd, bits);
}

/** SADDLP/UADDLP and the accumulating SADALP/UADALP: adjacent pairs added into 2*esize-bit lanes. */
function add_pairs_long(Q: u32, size: u32, rn: u32, rd: u32, signed: bool, accumulate: bool): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const bits: u32 = Q != 0 ? 128 : 64;
  const wide = esize * 2;
  for (let i: u32 = 0; i < bits / wide; i++) {
    const a = elem(rn, 2 * i, esize), b = elem(rn, 2 * i + 1, esize);
    let r: u64 = signed ? <u64>(sx(a, esize) + sx(b, esize)) : a + b;
    if (accumulate) r += elem(rd, i, wide);
    put(i, wide, r & ones(wide));
  }
  commit(rd, bits);
}

const XTN = 0, SQXTN = 1, UQXTN = 2, SQXTUN = 3;
function narrow_lane(op: u32, a: u64, esize: u32): u64 {
  switch (op) {
    case SQXTN: return sat_s(sx(a, esize * 2), esize);
    case UQXTN: return sat_uu(a, esize);
    case SQXTUN: return sat_u(sx(a, esize * 2), esize);
  }
  return a & ones(esize);
}
/** XTN and its saturating forms: 2*esize-bit lanes into Vd's lower half, or its upper half for the "2" forms. */
function narrow(op: u32, Q: u32, size: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const n: u32 = 64 / esize;
  if (Q != 0) start_from(rd);
  for (let i: u32 = 0; i < n; i++) put(Q * n + i, esize, narrow_lane(op, elem(rn, i, esize * 2), esize));
  commit(rd, Q != 0 ? 128 : 64);
}
function narrow_scalar(op: u32, size: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  put(0, esize, narrow_lane(op, elem(rn, 0, esize * 2), esize));
  commit(rd, esize);
}

/** ADDV, SADDLV, UADDLV, SMAXV, UMAXV, SMINV, UMINV: one result of `rsize` bits from all lanes. */
const ADDV = 0, ADDLV = 1, MAXV = 2, MINV = 3;
function across(op: u32, Q: u32, size: u32, rn: u32, rd: u32, signed: bool): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const n: u32 = (Q != 0 ? 128 : 64) / esize;
  let acc: i64 = signed ? sx(elem(rn, 0, esize), esize) : <i64>elem(rn, 0, esize);
  for (let i: u32 = 1; i < n; i++) {
    const v: i64 = signed ? sx(elem(rn, i, esize), esize) : <i64>elem(rn, i, esize);
    if (op == MAXV) { if (v > acc) acc = v; }
    else if (op == MINV) { if (v < acc) acc = v; }
    else acc += v;
  }
  const rsize = op == ADDLV ? esize * 2 : esize;
  put(0, rsize, <u64>acc & ones(rsize));
  commit(rd, rsize);
}

export function exec_REV64_v(Q: u32, size: u32, rn: u32, rd: u32): void { rev(64, Q, size, rn, rd); }
export function exec_REV32_v(Q: u32, size: u32, rn: u32, rd: u32): void { rev(32, Q, size, rn, rd); }
export function exec_REV16_v(Q: u32, size: u32, rn: u32, rd: u32): void { rev(16, Q, size, rn, rd); }
export function exec_SADDLP_v(Q: u32, size: u32, rn: u32, rd: u32): void { add_pairs_long(Q, size, rn, rd, true, false); }
export function exec_UADDLP_v(Q: u32, size: u32, rn: u32, rd: u32): void { add_pairs_long(Q, size, rn, rd, false, false); }
export function exec_SADALP_v(Q: u32, size: u32, rn: u32, rd: u32): void { add_pairs_long(Q, size, rn, rd, true, true); }
export function exec_UADALP_v(Q: u32, size: u32, rn: u32, rd: u32): void { add_pairs_long(Q, size, rn, rd, false, true); }
export function exec_SUQADD_v(Q: u32, size: u32, rn: u32, rd: u32): void { vector(SUQADD, Q, size, rn, rd); }
export function exec_USQADD_v(Q: u32, size: u32, rn: u32, rd: u32): void { vector(USQADD, Q, size, rn, rd); }
export function exec_CLS_v(Q: u32, size: u32, rn: u32, rd: u32): void { vector(CLS, Q, size, rn, rd); }
export function exec_CLZ_v(Q: u32, size: u32, rn: u32, rd: u32): void { vector(CLZ, Q, size, rn, rd); }
export function exec_CNT_v(Q: u32, size: u32, rn: u32, rd: u32): void { vector(CNT, Q, size, rn, rd); }
export function exec_SQABS_v(Q: u32, size: u32, rn: u32, rd: u32): void { vector(SQABS, Q, size, rn, rd); }
export function exec_SQNEG_v(Q: u32, size: u32, rn: u32, rd: u32): void { vector(SQNEG, Q, size, rn, rd); }
export function exec_ABS_v(Q: u32, size: u32, rn: u32, rd: u32): void { vector(ABS, Q, size, rn, rd); }
export function exec_NEG_v(Q: u32, size: u32, rn: u32, rd: u32): void { vector(NEG, Q, size, rn, rd); }
export function exec_CMGT_vz(Q: u32, size: u32, rn: u32, rd: u32): void { vector(CMGT, Q, size, rn, rd); }
export function exec_CMGE_vz(Q: u32, size: u32, rn: u32, rd: u32): void { vector(CMGE, Q, size, rn, rd); }
export function exec_CMEQ_vz(Q: u32, size: u32, rn: u32, rd: u32): void { vector(CMEQ, Q, size, rn, rd); }
export function exec_CMLE_vz(Q: u32, size: u32, rn: u32, rd: u32): void { vector(CMLE, Q, size, rn, rd); }
export function exec_CMLT_vz(Q: u32, size: u32, rn: u32, rd: u32): void { vector(CMLT, Q, size, rn, rd); }
export function exec_XTN_v(Q: u32, size: u32, rn: u32, rd: u32): void { narrow(XTN, Q, size, rn, rd); }
export function exec_SQXTN_v(Q: u32, size: u32, rn: u32, rd: u32): void { narrow(SQXTN, Q, size, rn, rd); }
export function exec_UQXTN_v(Q: u32, size: u32, rn: u32, rd: u32): void { narrow(UQXTN, Q, size, rn, rd); }
export function exec_SQXTUN_v(Q: u32, size: u32, rn: u32, rd: u32): void { narrow(SQXTUN, Q, size, rn, rd); }
/** SHLL: each lane of the selected half widened and shifted left by its own size. */
export function exec_SHLL_v(Q: u32, size: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const n: u32 = 64 / esize;
  for (let i: u32 = 0; i < n; i++) put(i, esize * 2, elem(rn, Q * n + i, esize) << esize);
  commit(rd, 128);
}
export function exec_NOT_v(Q: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  set_v128(rd, ~v_lo(rn), Q != 0 ? ~v_hi(rn) : 0);
}
/** RBIT: the bits of each byte reversed. */
export function exec_RBIT_v(Q: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  for (let i: u32 = 0; i < 16; i++) {
    const b = elem(rn, i, 8);
    let r: u64 = 0;
    for (let j: u64 = 0; j < 8; j++) r |= ((b >> j) & 1) << (7 - j);
    put(i, 8, r);
  }
  commit(rd, Q != 0 ? 128 : 64);
}

export function exec_SUQADD_s(size: u32, rn: u32, rd: u32): void { scalar(SUQADD, size, rn, rd); }
export function exec_USQADD_s(size: u32, rn: u32, rd: u32): void { scalar(USQADD, size, rn, rd); }
export function exec_SQABS_s(size: u32, rn: u32, rd: u32): void { scalar(SQABS, size, rn, rd); }
export function exec_SQNEG_s(size: u32, rn: u32, rd: u32): void { scalar(SQNEG, size, rn, rd); }
export function exec_ABS_s(size: u32, rn: u32, rd: u32): void { scalar(ABS, size, rn, rd); }
export function exec_NEG_s(size: u32, rn: u32, rd: u32): void { scalar(NEG, size, rn, rd); }
export function exec_CMGT_sz(size: u32, rn: u32, rd: u32): void { scalar(CMGT, size, rn, rd); }
export function exec_CMGE_sz(size: u32, rn: u32, rd: u32): void { scalar(CMGE, size, rn, rd); }
export function exec_CMEQ_sz(size: u32, rn: u32, rd: u32): void { scalar(CMEQ, size, rn, rd); }
export function exec_CMLE_sz(size: u32, rn: u32, rd: u32): void { scalar(CMLE, size, rn, rd); }
export function exec_CMLT_sz(size: u32, rn: u32, rd: u32): void { scalar(CMLT, size, rn, rd); }
export function exec_SQXTN_s(size: u32, rn: u32, rd: u32): void { narrow_scalar(SQXTN, size, rn, rd); }
export function exec_UQXTN_s(size: u32, rn: u32, rd: u32): void { narrow_scalar(UQXTN, size, rn, rd); }
export function exec_SQXTUN_s(size: u32, rn: u32, rd: u32): void { narrow_scalar(SQXTUN, size, rn, rd); }

export function exec_ADDV_v(Q: u32, size: u32, rn: u32, rd: u32): void { across(ADDV, Q, size, rn, rd, false); }
export function exec_SADDLV_v(Q: u32, size: u32, rn: u32, rd: u32): void { across(ADDLV, Q, size, rn, rd, true); }
export function exec_UADDLV_v(Q: u32, size: u32, rn: u32, rd: u32): void { across(ADDLV, Q, size, rn, rd, false); }
export function exec_SMAXV_v(Q: u32, size: u32, rn: u32, rd: u32): void { across(MAXV, Q, size, rn, rd, true); }
export function exec_UMAXV_v(Q: u32, size: u32, rn: u32, rd: u32): void { across(MAXV, Q, size, rn, rd, false); }
export function exec_SMINV_v(Q: u32, size: u32, rn: u32, rd: u32): void { across(MINV, Q, size, rn, rd, true); }
export function exec_UMINV_v(Q: u32, size: u32, rn: u32, rd: u32): void { across(MINV, Q, size, rn, rd, false); }
export function exec_ADDP_s(rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  set_v128(rd, v_lo(rn) + v_hi(rn), 0);
}

/** URECPE (UnsignedRecipEstimate, J1.3.3.522): lanes below 0x80000000 give all ones. */
export function exec_URECPE_v(Q: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const bits: u32 = Q != 0 ? 128 : 64;
  for (let i: u32 = 0; i < bits / 32; i++) {
    const a = <u32>elem(rn, i, 32);
    put(i, 32, (a >> 31) == 0 ? 0xffffffff : <u64>(recip_estimate(a >> 23) << 23));
  }
  commit(rd, bits);
}
/** URSQRTE (UnsignedRSqrtEstimate, J1.3.3.521): lanes below 0x40000000 give all ones. */
export function exec_URSQRTE_v(Q: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const bits: u32 = Q != 0 ? 128 : 64;
  for (let i: u32 = 0; i < bits / 32; i++) {
    const a = <u32>elem(rn, i, 32);
    put(i, 32, (a >> 30) == 0 ? 0xffffffff : <u64>(rsqrt_estimate(a >> 23) << 23));
  }
  commit(rd, bits);
}

/** FABS/FNEG (vector): clear or flip each lane's sign bit, NaNs included. */
function sign_op(negate: bool, Q: u32, sz: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const sign: u64 = sz != 0 ? 0x8000000000000000 : 0x8000000080000000;
  const lo = v_lo(rn), hi = Q != 0 ? v_hi(rn) : 0;
  if (negate) set_v128(rd, lo ^ sign, Q != 0 ? hi ^ sign : 0);
  else set_v128(rd, lo & ~sign, hi & ~sign);
}
export function exec_FABS_v(Q: u32, sz: u32, rn: u32, rd: u32): void { sign_op(false, Q, sz, rn, rd); }
export function exec_FNEG_v(Q: u32, sz: u32, rn: u32, rd: u32): void { sign_op(true, Q, sz, rn, rd); }
