// Advanced SIMD floating point (Arm ARM C4.1.95: three same, two-register misc, pairwise, across lanes, by
// element, shift by immediate conversions), single and double lanes, on the softfloat core of
// assembly/cpu/fp/ with FPCR as AArch64 uses it (no "standard FPSCR" values as AArch32 Neon has).
import { fp_enabled, fpcr, fpsr_raise, FPSR_DZC, FPSR_IOC, FPSR_OFC, FPSR_UFC, FPSR_IXC, FPCR_FZ } from "./vregs";
import { elem, put, commit, start_from, ones, immh_esize, recip_estimate, rsqrt_estimate } from "./simd";
import { fp_add, fp_sub } from "./fp/add";
import { fp_mul } from "./fp/mul";
import { fp_div } from "./fp/div";
import { fp_muladd } from "./fp/fma";
import { fp_sqrt } from "./fp/sqrt";
import { fp_compare, fp_max_min, fp_max_min_num } from "./fp/compare";
import { fp_convert, fp_to_fixed, fixed_to_fp, fp_round_int } from "./fp/convert";
import {
  fp_unpack, up_sign, fp_process_nans, nan_done, fp_infinity, fp_bias, fp_fbits, fp_rounding,
  FPTYPE_INFINITY, FPTYPE_ZERO, FPROUND_TIEEVEN, FPROUND_POSINF, FPROUND_NEGINF, FPROUND_ZERO, FPROUND_TIEAWAY,
  FPROUND_ODD, is_nan_type, fp_process_nan, fp_default_nan, fp_zero, fp_max_normal, fp_ebits,
} from "./fp/unpack";

// @ts-ignore: decorator
@inline function sign_bit(N: u32): u64 { return <u64>1 << (N - 1); }
/** FPTwo: 2.0 with the given sign. */
// @ts-ignore: decorator
@inline function fp_two(sign: u32, N: u32): u64 { return (<u64>sign << (N - 1)) | (<u64>(fp_bias(N) + 1) << fp_fbits(N)); }

/** FPMulX (J1.3.3): FPMul, except that infinity times zero is 2.0 (with the product's sign). */
function fp_mulx(a: u64, b: u64, N: u32, fpcr: u32): u64 {
  const t1 = fp_unpack(a, N, fpcr, false);
  const s1 = up_sign;
  const t2 = fp_unpack(b, N, fpcr, false);
  const s2 = up_sign;
  if ((t1 == FPTYPE_INFINITY && t2 == FPTYPE_ZERO) || (t1 == FPTYPE_ZERO && t2 == FPTYPE_INFINITY)) {
    fp_unpack(a, N, fpcr); // the flush of a denormal operand still raises IDC
    fp_unpack(b, N, fpcr);
    return fp_two(s1 ^ s2, N);
  }
  return fp_mul(a, b, N, fpcr);
}

/** FPRecipStepFused (J1.3.3): 2.0 - a*b in one rounding; infinity times zero gives 2.0. */
function fp_recps(a: u64, b: u64, N: u32, fpcr: u32): u64 {
  a ^= sign_bit(N);
  const t1 = fp_unpack(a, N, fpcr);
  const s1 = up_sign;
  const t2 = fp_unpack(b, N, fpcr);
  const s2 = up_sign;
  const nan = fp_process_nans(t1, t2, a, b, N, fpcr);
  if (nan_done) return nan;
  if ((t1 == FPTYPE_INFINITY && t2 == FPTYPE_ZERO) || (t1 == FPTYPE_ZERO && t2 == FPTYPE_INFINITY)) return fp_two(0, N);
  if (t1 == FPTYPE_INFINITY || t2 == FPTYPE_INFINITY) return fp_infinity(s1 ^ s2, N);
  return fp_muladd(fp_two(0, N), a, b, N, fpcr);
}

/** FPThree and FPOnePointFive: 3.0 and 1.5, positive. */
// @ts-ignore: decorator
@inline function fp_three(N: u32): u64 { return fp_two(0, N) | (<u64>1 << (fp_fbits(N) - 1)); }
// @ts-ignore: decorator
@inline function fp_one_point_five(N: u32): u64 { return (<u64>fp_bias(N) << fp_fbits(N)) | (<u64>1 << (fp_fbits(N) - 1)); }

/** FPRSqrtStepFused (J1.3.3): (3.0 - a*b) / 2 in one rounding; infinity times zero gives 1.5. */
function fp_rsqrts(a: u64, b: u64, N: u32, fpcr: u32): u64 {
  a ^= sign_bit(N);
  const t1 = fp_unpack(a, N, fpcr);
  const s1 = up_sign;
  const t2 = fp_unpack(b, N, fpcr);
  const s2 = up_sign;
  const nan = fp_process_nans(t1, t2, a, b, N, fpcr);
  if (nan_done) return nan;
  if ((t1 == FPTYPE_INFINITY && t2 == FPTYPE_ZERO) || (t1 == FPTYPE_ZERO && t2 == FPTYPE_INFINITY)) return fp_one_point_five(N);
  if (t1 == FPTYPE_INFINITY || t2 == FPTYPE_INFINITY) return fp_infinity(s1 ^ s2, N);
  return fp_muladd(fp_three(N), a, b, N, fpcr, true, -1);
}

// The estimates work on a double-precision view of the operand: its 52-bit fraction and biased exponent
const FRAC52: u64 = (<u64>1 << 52) - 1;
// @ts-ignore: decorator
@inline function frac52(a: u64, N: u32): u64 { return N == 32 ? (a & 0x7fffff) << 29 : a & FRAC52; }
// @ts-ignore: decorator
@inline function biased_exp(a: u64, N: u32): i32 { return <i32>(a >> fp_fbits(N)) & ((1 << fp_ebits(N)) - 1); }

/** FPRecipEstimate (J1.3.3): 8-bit reciprocal estimate, with the overflow and FZ underflow special cases. */
function fp_recpe(a: u64, N: u32, fpcr: u32): u64 {
  const t = fp_unpack(a, N, fpcr);
  const sign = up_sign;
  if (is_nan_type(t)) return fp_process_nan(t, a, N, fpcr);
  if (t == FPTYPE_INFINITY) return fp_zero(sign, N);
  if (t == FPTYPE_ZERO) {
    fpsr_raise(FPSR_DZC);
    return fp_infinity(sign, N);
  }
  let exp = biased_exp(a, N);
  let fraction = frac52(a, N);
  // Below 2^-128 (single) or 2^-1024 (double), i.e. a denormal whose top two fraction bits are zero, the
  // reciprocal overflows
  if (exp == 0 && fraction < (<u64>1 << 50)) {
    const rounding = fp_rounding(fpcr);
    const to_inf = rounding == FPROUND_TIEEVEN || (rounding == FPROUND_POSINF && sign == 0) || (rounding == FPROUND_NEGINF && sign == 1);
    fpsr_raise(FPSR_OFC | FPSR_IXC);
    return to_inf ? fp_infinity(sign, N) : fp_max_normal(sign, N);
  }
  // At or above 2^126 (2^1022) the reciprocal is a denormal, flushed under FZ with UFC only
  if ((fpcr & FPCR_FZ) != 0 && exp >= (N == 32 ? 253 : 2045)) {
    fpsr_raise(FPSR_UFC);
    return fp_zero(sign, N);
  }
  if (exp == 0) {
    if ((fraction >> 51) == 0) {
      exp = -1;
      fraction = (fraction << 2) & FRAC52;
    } else {
      fraction = (fraction << 1) & FRAC52;
    }
  }
  let result_exp = (N == 32 ? 253 : 2045) - exp;
  fraction = <u64>(recip_estimate(256 | <u32>(fraction >> 44)) & 0xff) << 44;
  // A result exponent of 0 or -1 gives a denormal result
  if (result_exp == 0) {
    fraction = (<u64>1 << 51) | (fraction >> 1);
  } else if (result_exp == -1) {
    fraction = (<u64>1 << 50) | (fraction >> 2);
    result_exp = 0;
  }
  if (N == 32) return (<u64>sign << 31) | (<u64>(result_exp & 0xff) << 23) | (fraction >> 29);
  return (<u64>sign << 63) | (<u64>(result_exp & 0x7ff) << 52) | fraction;
}

/** FPRSqrtEstimate (J1.3.3): 8-bit reciprocal square root estimate; negative numbers are invalid. */
function fp_rsqrte(a: u64, N: u32, fpcr: u32): u64 {
  const t = fp_unpack(a, N, fpcr);
  const sign = up_sign;
  if (is_nan_type(t)) return fp_process_nan(t, a, N, fpcr);
  if (t == FPTYPE_ZERO) {
    fpsr_raise(FPSR_DZC);
    return fp_infinity(sign, N);
  }
  if (sign != 0) {
    fpsr_raise(FPSR_IOC);
    return fp_default_nan(N);
  }
  if (t == FPTYPE_INFINITY) return fp_zero(0, N);
  let exp = biased_exp(a, N);
  let fraction = frac52(a, N);
  if (exp == 0) {
    // Normalise a denormal, keeping the exponent's parity meaningful
    while ((fraction >> 51) == 0) {
      fraction <<= 1;
      exp--;
    }
    fraction = (fraction << 1) & FRAC52;
  }
  // An even exponent scales into [0.5, 1.0), an odd one into [0.25, 0.5)
  const scaled: u32 = (exp & 1) == 0 ? 256 | <u32>(fraction >> 44) : 128 | <u32>(fraction >> 45);
  const result_exp = ((N == 32 ? 380 : 3068) - exp) >> 1;
  const estimate = <u64>(rsqrt_estimate(scaled) & 0xff);
  if (N == 32) return (<u64>(result_exp & 0xff) << 23) | (estimate << 15);
  return (<u64>(result_exp & 0x7ff) << 52) | (estimate << 44);
}

/** FPRecpX (J1.3.3): the exponent inverted, the fraction zeroed; zeros and denormals give the largest exponent. */
function fp_recpx(a: u64, N: u32, fpcr: u32): u64 {
  const t = fp_unpack(a, N, fpcr);
  if (is_nan_type(t)) return fp_process_nan(t, a, N, fpcr);
  const emax: i32 = (1 << fp_ebits(N)) - 1;
  const exp = biased_exp(a, N);
  const result_exp = exp == 0 ? emax - 1 : ~exp & emax;
  return (a & sign_bit(N)) | (<u64>result_exp << fp_fbits(N));
}

// Three same
const FADD = 0, FSUB = 1, FMUL = 2, FDIV = 3, FMAX = 4, FMIN = 5, FMAXNM = 6, FMINNM = 7, FMLA = 8, FMLS = 9;
const FABD = 10, FMULX = 11, FRECPS = 12, FCMEQ = 13, FCMGE = 14, FCMGT = 15, FACGE = 16, FACGT = 17, FRSQRTS = 18;

function lane(op: u32, a: u64, b: u64, d: u64, N: u32, fpcr: u32): u64 {
  switch (op) {
    case FADD: return fp_add(a, b, N, fpcr);
    case FSUB: return fp_sub(a, b, N, fpcr);
    case FMUL: return fp_mul(a, b, N, fpcr);
    case FDIV: return fp_div(a, b, N, fpcr);
    case FMAX: return fp_max_min(a, b, N, fpcr, true);
    case FMIN: return fp_max_min(a, b, N, fpcr, false);
    case FMAXNM: return fp_max_min_num(a, b, N, fpcr, true);
    case FMINNM: return fp_max_min_num(a, b, N, fpcr, false);
    case FMLA: return fp_muladd(d, a, b, N, fpcr);
    case FMLS: return fp_muladd(d, a ^ sign_bit(N), b, N, fpcr);
    case FABD: return fp_sub(a, b, N, fpcr) & ~sign_bit(N);
    case FMULX: return fp_mulx(a, b, N, fpcr);
    case FRECPS: return fp_recps(a, b, N, fpcr);
    case FRSQRTS: return fp_rsqrts(a, b, N, fpcr);
    // Compares give all ones or zeros; EQ signals only for signalling NaNs, the ordered ones for any NaN
    case FCMEQ: return fp_compare(a, b, N, fpcr, false) == 0b0110 ? ones(N) : 0;
    case FCMGE: { const c = fp_compare(a, b, N, fpcr, true); return c == 0b0110 || c == 0b0010 ? ones(N) : 0; }
    case FCMGT: return fp_compare(a, b, N, fpcr, true) == 0b0010 ? ones(N) : 0;
    case FACGE: { const c = fp_compare(a & ~sign_bit(N), b & ~sign_bit(N), N, fpcr, true); return c == 0b0110 || c == 0b0010 ? ones(N) : 0; }
  }
  return fp_compare(a & ~sign_bit(N), b & ~sign_bit(N), N, fpcr, true) == 0b0010 ? ones(N) : 0; // FACGT
}

function vector(op: u32, Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N: u32 = 32 << sz;
  const bits: u32 = Q != 0 ? 128 : 64;
  const c = fpcr();
  for (let i: u32 = 0; i < bits / N; i++) put(i, N, lane(op, elem(rn, i, N), elem(rm, i, N), elem(rd, i, N), N, c));
  commit(rd, bits);
}
function scalar(op: u32, sz: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N: u32 = 32 << sz;
  put(0, N, lane(op, elem(rn, 0, N), elem(rm, 0, N), elem(rd, 0, N), N, fpcr()));
  commit(rd, N);
}
/** The pairwise forms: lanes of Vm:Vn two at a time. */
function pairwise(op: u32, Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N: u32 = 32 << sz;
  const bits: u32 = Q != 0 ? 128 : 64;
  const n = bits / N, half = n >> 1;
  const c = fpcr();
  for (let i: u32 = 0; i < n; i++) {
    const src = i < half ? rn : rm;
    const j = (i < half ? i : i - half) << 1;
    put(i, N, lane(op, elem(src, j, N), elem(src, j + 1, N), 0, N, c));
  }
  commit(rd, bits);
}
function scalar_pair(op: u32, sz: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N: u32 = 32 << sz;
  put(0, N, lane(op, elem(rn, 0, N), elem(rn, 1, N), 0, N, fpcr()));
  commit(rd, N);
}
/** Across lanes on 4S: Reduce (J1.3.3) halves the vector, so the result is op(op(e0, e1), op(e2, e3)). */
function across(op: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const c = fpcr();
  const lo = lane(op, elem(rn, 0, 32), elem(rn, 1, 32), 0, 32, c);
  const hi = lane(op, elem(rn, 2, 32), elem(rn, 3, 32), 0, 32, c);
  put(0, 32, lane(op, lo, hi, 0, 32, c));
  commit(rd, 32);
}

// By element: Vm = M:Rm; the index is H:L for singles, H for doubles
function by_element(op: u32, Q: u32, sz: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N: u32 = 32 << sz;
  const bits: u32 = Q != 0 ? 128 : 64;
  const b = elem((M << 4) | rm, sz != 0 ? H : (H << 1) | L, N);
  const c = fpcr();
  for (let i: u32 = 0; i < bits / N; i++) put(i, N, lane(op, elem(rn, i, N), b, elem(rd, i, N), N, c));
  commit(rd, bits);
}
function scalar_by_element(op: u32, sz: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N: u32 = 32 << sz;
  const b = elem((M << 4) | rm, sz != 0 ? H : (H << 1) | L, N);
  put(0, N, lane(op, elem(rn, 0, N), b, elem(rd, 0, N), N, fpcr()));
  commit(rd, N);
}

// Two-register miscellaneous
const FRINTN = 0, FRINTM = 1, FRINTP = 2, FRINTZ = 3, FRINTA = 4, FRINTX = 5, FRINTI = 6;
const FCVTNS = 7, FCVTMS = 8, FCVTPS = 9, FCVTZS = 10, FCVTAS = 11, FCVTNU = 12, FCVTMU = 13, FCVTPU = 14, FCVTZU = 15, FCVTAU = 16;
const SCVTF = 17, UCVTF = 18, FSQRT = 19, FCMGT0 = 20, FCMEQ0 = 21, FCMLT0 = 22, FCMGE0 = 23, FCMLE0 = 24;
const FRECPE = 25, FRSQRTE = 26, FRECPX = 27;

function misc_lane(op: u32, a: u64, N: u32, fpcr: u32): u64 {
  switch (op) {
    case FRINTN: return fp_round_int(a, N, fpcr, FPROUND_TIEEVEN, false);
    case FRINTM: return fp_round_int(a, N, fpcr, FPROUND_NEGINF, false);
    case FRINTP: return fp_round_int(a, N, fpcr, FPROUND_POSINF, false);
    case FRINTZ: return fp_round_int(a, N, fpcr, FPROUND_ZERO, false);
    case FRINTA: return fp_round_int(a, N, fpcr, FPROUND_TIEAWAY, false);
    case FRINTX: return fp_round_int(a, N, fpcr, fp_rounding(fpcr), true);
    case FRINTI: return fp_round_int(a, N, fpcr, fp_rounding(fpcr), false);
    case FCVTNS: return fp_to_fixed(a, N, 0, false, N, fpcr, FPROUND_TIEEVEN);
    case FCVTMS: return fp_to_fixed(a, N, 0, false, N, fpcr, FPROUND_NEGINF);
    case FCVTPS: return fp_to_fixed(a, N, 0, false, N, fpcr, FPROUND_POSINF);
    case FCVTZS: return fp_to_fixed(a, N, 0, false, N, fpcr, FPROUND_ZERO);
    case FCVTAS: return fp_to_fixed(a, N, 0, false, N, fpcr, FPROUND_TIEAWAY);
    case FCVTNU: return fp_to_fixed(a, N, 0, true, N, fpcr, FPROUND_TIEEVEN);
    case FCVTMU: return fp_to_fixed(a, N, 0, true, N, fpcr, FPROUND_NEGINF);
    case FCVTPU: return fp_to_fixed(a, N, 0, true, N, fpcr, FPROUND_POSINF);
    case FCVTZU: return fp_to_fixed(a, N, 0, true, N, fpcr, FPROUND_ZERO);
    case FCVTAU: return fp_to_fixed(a, N, 0, true, N, fpcr, FPROUND_TIEAWAY);
    case SCVTF: return fixed_to_fp(a, N, 0, false, N, fpcr, fp_rounding(fpcr));
    case UCVTF: return fixed_to_fp(a, N, 0, true, N, fpcr, fp_rounding(fpcr));
    case FSQRT: return fp_sqrt(a, N, fpcr);
    case FRECPE: return fp_recpe(a, N, fpcr);
    case FRSQRTE: return fp_rsqrte(a, N, fpcr);
    case FRECPX: return fp_recpx(a, N, fpcr);
    case FCMGT0: return fp_compare(a, 0, N, fpcr, true) == 0b0010 ? ones(N) : 0;
    case FCMEQ0: return fp_compare(a, 0, N, fpcr, false) == 0b0110 ? ones(N) : 0;
    case FCMLT0: return fp_compare(a, 0, N, fpcr, true) == 0b1000 ? ones(N) : 0;
    case FCMGE0: { const c = fp_compare(a, 0, N, fpcr, true); return c == 0b0110 || c == 0b0010 ? ones(N) : 0; }
  }
  const c = fp_compare(a, 0, N, fpcr, true); // FCMLE0
  return c == 0b0110 || c == 0b1000 ? ones(N) : 0;
}
function misc(op: u32, Q: u32, sz: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N: u32 = 32 << sz;
  const bits: u32 = Q != 0 ? 128 : 64;
  const c = fpcr();
  for (let i: u32 = 0; i < bits / N; i++) put(i, N, misc_lane(op, elem(rn, i, N), N, c));
  commit(rd, bits);
}
function misc_scalar(op: u32, sz: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N: u32 = 32 << sz;
  put(0, N, misc_lane(op, elem(rn, 0, N), N, fpcr()));
  commit(rd, N);
}

/** FCVTN: 2N-bit lanes narrowed to N bits (sz 0: single to half, 1: double to single), into Vd's lower or upper half. */
export function exec_FCVTN_v(Q: u32, sz: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N: u32 = 16 << sz;
  const n: u32 = 64 / N;
  const c = fpcr();
  if (Q != 0) start_from(rd);
  for (let i: u32 = 0; i < n; i++) put(Q * n + i, N, fp_convert(elem(rn, i, 2 * N), 2 * N, N, c, fp_rounding(c)));
  commit(rd, Q != 0 ? 128 : 64);
}
/** FCVTXN (C7.2): double lanes narrowed to single with round to odd, into Vd's lower or upper half. */
export function exec_FCVTXN_v(Q: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const c = fpcr();
  if (Q != 0) start_from(rd);
  for (let i: u32 = 0; i < 2; i++) put(Q * 2 + i, 32, fp_convert(elem(rn, i, 64), 64, 32, c, FPROUND_ODD));
  commit(rd, Q != 0 ? 128 : 64);
}
/** FCVTXN (scalar): Sd = Dn narrowed with round to odd. */
export function exec_FCVTXN_s(rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  put(0, 32, fp_convert(elem(rn, 0, 64), 64, 32, fpcr(), FPROUND_ODD));
  commit(rd, 32);
}
/** FCVTL: the lower or upper half's N-bit lanes widened to 2N bits (sz 0: half to single, 1: single to double). */
export function exec_FCVTL_v(Q: u32, sz: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N: u32 = 16 << sz;
  const n: u32 = 64 / N;
  const c = fpcr();
  for (let i: u32 = 0; i < n; i++) put(i, 2 * N, fp_convert(elem(rn, Q * n + i, N), N, 2 * N, c, fp_rounding(c)));
  commit(rd, 128);
}

// Fixed-point conversions by immediate: fbits = 2 * esize - immh:immb
const TO_FP_SIGNED = 0, TO_FP_UNSIGNED = 1, TO_FIXED_SIGNED = 2, TO_FIXED_UNSIGNED = 3;
function fixed_lane(op: u32, a: u64, N: u32, fbits: i32, fpcr: u32): u64 {
  if (op == TO_FP_SIGNED) return fixed_to_fp(a, N, fbits, false, N, fpcr, fp_rounding(fpcr));
  if (op == TO_FP_UNSIGNED) return fixed_to_fp(a, N, fbits, true, N, fpcr, fp_rounding(fpcr));
  return fp_to_fixed(a, N, fbits, op == TO_FIXED_UNSIGNED, N, fpcr, FPROUND_ZERO);
}
function fixed(op: u32, Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = immh_esize(immh);
  const fbits = <i32>(2 * N - ((immh << 3) | immb));
  const bits: u32 = Q != 0 ? 128 : 64;
  const c = fpcr();
  for (let i: u32 = 0; i < bits / N; i++) put(i, N, fixed_lane(op, elem(rn, i, N), N, fbits, c));
  commit(rd, bits);
}
function fixed_scalar(op: u32, immh: u32, immb: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = immh_esize(immh);
  const fbits = <i32>(2 * N - ((immh << 3) | immb));
  put(0, N, fixed_lane(op, elem(rn, 0, N), N, fbits, fpcr()));
  commit(rd, N);
}

export function exec_FADD_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FADD, Q, sz, rm, rn, rd); }
export function exec_FSUB_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FSUB, Q, sz, rm, rn, rd); }
export function exec_FMUL_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FMUL, Q, sz, rm, rn, rd); }
export function exec_FDIV_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FDIV, Q, sz, rm, rn, rd); }
export function exec_FMAX_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FMAX, Q, sz, rm, rn, rd); }
export function exec_FMIN_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FMIN, Q, sz, rm, rn, rd); }
export function exec_FMAXNM_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FMAXNM, Q, sz, rm, rn, rd); }
export function exec_FMINNM_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FMINNM, Q, sz, rm, rn, rd); }
export function exec_FMLA_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FMLA, Q, sz, rm, rn, rd); }
export function exec_FMLS_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FMLS, Q, sz, rm, rn, rd); }
export function exec_FABD_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FABD, Q, sz, rm, rn, rd); }
export function exec_FMULX_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FMULX, Q, sz, rm, rn, rd); }
export function exec_FRECPS_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FRECPS, Q, sz, rm, rn, rd); }
export function exec_FRSQRTS_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FRSQRTS, Q, sz, rm, rn, rd); }
export function exec_FCMEQ_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FCMEQ, Q, sz, rm, rn, rd); }
export function exec_FCMGE_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FCMGE, Q, sz, rm, rn, rd); }
export function exec_FCMGT_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FCMGT, Q, sz, rm, rn, rd); }
export function exec_FACGE_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FACGE, Q, sz, rm, rn, rd); }
export function exec_FACGT_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { vector(FACGT, Q, sz, rm, rn, rd); }
export function exec_FADDP_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { pairwise(FADD, Q, sz, rm, rn, rd); }
export function exec_FMAXP_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { pairwise(FMAX, Q, sz, rm, rn, rd); }
export function exec_FMINP_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { pairwise(FMIN, Q, sz, rm, rn, rd); }
export function exec_FMAXNMP_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { pairwise(FMAXNM, Q, sz, rm, rn, rd); }
export function exec_FMINNMP_v(Q: u32, sz: u32, rm: u32, rn: u32, rd: u32): void { pairwise(FMINNM, Q, sz, rm, rn, rd); }

export function exec_FMULX_s(sz: u32, rm: u32, rn: u32, rd: u32): void { scalar(FMULX, sz, rm, rn, rd); }
export function exec_FRECPS_s(sz: u32, rm: u32, rn: u32, rd: u32): void { scalar(FRECPS, sz, rm, rn, rd); }
export function exec_FRSQRTS_s(sz: u32, rm: u32, rn: u32, rd: u32): void { scalar(FRSQRTS, sz, rm, rn, rd); }
export function exec_FABD_s(sz: u32, rm: u32, rn: u32, rd: u32): void { scalar(FABD, sz, rm, rn, rd); }
export function exec_FCMEQ_s(sz: u32, rm: u32, rn: u32, rd: u32): void { scalar(FCMEQ, sz, rm, rn, rd); }
export function exec_FCMGE_s(sz: u32, rm: u32, rn: u32, rd: u32): void { scalar(FCMGE, sz, rm, rn, rd); }
export function exec_FCMGT_s(sz: u32, rm: u32, rn: u32, rd: u32): void { scalar(FCMGT, sz, rm, rn, rd); }
export function exec_FACGE_s(sz: u32, rm: u32, rn: u32, rd: u32): void { scalar(FACGE, sz, rm, rn, rd); }
export function exec_FACGT_s(sz: u32, rm: u32, rn: u32, rd: u32): void { scalar(FACGT, sz, rm, rn, rd); }

export function exec_FADDP_sp(sz: u32, rn: u32, rd: u32): void { scalar_pair(FADD, sz, rn, rd); }
export function exec_FMAXP_sp(sz: u32, rn: u32, rd: u32): void { scalar_pair(FMAX, sz, rn, rd); }
export function exec_FMINP_sp(sz: u32, rn: u32, rd: u32): void { scalar_pair(FMIN, sz, rn, rd); }
export function exec_FMAXNMP_sp(sz: u32, rn: u32, rd: u32): void { scalar_pair(FMAXNM, sz, rn, rd); }
export function exec_FMINNMP_sp(sz: u32, rn: u32, rd: u32): void { scalar_pair(FMINNM, sz, rn, rd); }
export function exec_FMAXV_v(rn: u32, rd: u32): void { across(FMAX, rn, rd); }
export function exec_FMINV_v(rn: u32, rd: u32): void { across(FMIN, rn, rd); }
export function exec_FMAXNMV_v(rn: u32, rd: u32): void { across(FMAXNM, rn, rd); }
export function exec_FMINNMV_v(rn: u32, rd: u32): void { across(FMINNM, rn, rd); }

export function exec_FMLA_ve(Q: u32, sz: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { by_element(FMLA, Q, sz, L, M, rm, H, rn, rd); }
export function exec_FMLS_ve(Q: u32, sz: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { by_element(FMLS, Q, sz, L, M, rm, H, rn, rd); }
export function exec_FMUL_ve(Q: u32, sz: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { by_element(FMUL, Q, sz, L, M, rm, H, rn, rd); }
export function exec_FMULX_ve(Q: u32, sz: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { by_element(FMULX, Q, sz, L, M, rm, H, rn, rd); }
export function exec_FMLA_se(sz: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { scalar_by_element(FMLA, sz, L, M, rm, H, rn, rd); }
export function exec_FMLS_se(sz: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { scalar_by_element(FMLS, sz, L, M, rm, H, rn, rd); }
export function exec_FMUL_se(sz: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { scalar_by_element(FMUL, sz, L, M, rm, H, rn, rd); }
export function exec_FMULX_se(sz: u32, L: u32, M: u32, rm: u32, H: u32, rn: u32, rd: u32): void { scalar_by_element(FMULX, sz, L, M, rm, H, rn, rd); }

export function exec_FRINTN_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FRINTN, Q, sz, rn, rd); }
export function exec_FRINTM_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FRINTM, Q, sz, rn, rd); }
export function exec_FRINTP_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FRINTP, Q, sz, rn, rd); }
export function exec_FRINTZ_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FRINTZ, Q, sz, rn, rd); }
export function exec_FRINTA_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FRINTA, Q, sz, rn, rd); }
export function exec_FRINTX_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FRINTX, Q, sz, rn, rd); }
export function exec_FRINTI_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FRINTI, Q, sz, rn, rd); }
export function exec_FCVTNS_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCVTNS, Q, sz, rn, rd); }
export function exec_FCVTMS_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCVTMS, Q, sz, rn, rd); }
export function exec_FCVTPS_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCVTPS, Q, sz, rn, rd); }
export function exec_FCVTZS_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCVTZS, Q, sz, rn, rd); }
export function exec_FCVTAS_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCVTAS, Q, sz, rn, rd); }
export function exec_FCVTNU_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCVTNU, Q, sz, rn, rd); }
export function exec_FCVTMU_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCVTMU, Q, sz, rn, rd); }
export function exec_FCVTPU_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCVTPU, Q, sz, rn, rd); }
export function exec_FCVTZU_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCVTZU, Q, sz, rn, rd); }
export function exec_FCVTAU_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCVTAU, Q, sz, rn, rd); }
export function exec_SCVTF_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(SCVTF, Q, sz, rn, rd); }
export function exec_UCVTF_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(UCVTF, Q, sz, rn, rd); }
export function exec_FSQRT_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FSQRT, Q, sz, rn, rd); }
export function exec_FRECPE_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FRECPE, Q, sz, rn, rd); }
export function exec_FRSQRTE_v(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FRSQRTE, Q, sz, rn, rd); }
export function exec_FCMGT_vz(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCMGT0, Q, sz, rn, rd); }
export function exec_FCMEQ_vz(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCMEQ0, Q, sz, rn, rd); }
export function exec_FCMLT_vz(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCMLT0, Q, sz, rn, rd); }
export function exec_FCMGE_vz(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCMGE0, Q, sz, rn, rd); }
export function exec_FCMLE_vz(Q: u32, sz: u32, rn: u32, rd: u32): void { misc(FCMLE0, Q, sz, rn, rd); }

export function exec_FCVTNS_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCVTNS, sz, rn, rd); }
export function exec_FCVTMS_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCVTMS, sz, rn, rd); }
export function exec_FCVTPS_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCVTPS, sz, rn, rd); }
export function exec_FCVTZS_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCVTZS, sz, rn, rd); }
export function exec_FCVTAS_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCVTAS, sz, rn, rd); }
export function exec_FCVTNU_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCVTNU, sz, rn, rd); }
export function exec_FCVTMU_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCVTMU, sz, rn, rd); }
export function exec_FCVTPU_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCVTPU, sz, rn, rd); }
export function exec_FCVTZU_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCVTZU, sz, rn, rd); }
export function exec_FCVTAU_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCVTAU, sz, rn, rd); }
export function exec_SCVTF_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(SCVTF, sz, rn, rd); }
export function exec_UCVTF_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(UCVTF, sz, rn, rd); }
export function exec_FRECPE_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(FRECPE, sz, rn, rd); }
export function exec_FRSQRTE_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(FRSQRTE, sz, rn, rd); }
export function exec_FRECPX_s(sz: u32, rn: u32, rd: u32): void { misc_scalar(FRECPX, sz, rn, rd); }
export function exec_FCMGT_sz(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCMGT0, sz, rn, rd); }
export function exec_FCMEQ_sz(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCMEQ0, sz, rn, rd); }
export function exec_FCMLT_sz(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCMLT0, sz, rn, rd); }
export function exec_FCMGE_sz(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCMGE0, sz, rn, rd); }
export function exec_FCMLE_sz(sz: u32, rn: u32, rd: u32): void { misc_scalar(FCMLE0, sz, rn, rd); }

export function exec_SCVTF_vfix(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { fixed(TO_FP_SIGNED, Q, immh, immb, rn, rd); }
export function exec_UCVTF_vfix(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { fixed(TO_FP_UNSIGNED, Q, immh, immb, rn, rd); }
export function exec_FCVTZS_vfix(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { fixed(TO_FIXED_SIGNED, Q, immh, immb, rn, rd); }
export function exec_FCVTZU_vfix(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { fixed(TO_FIXED_UNSIGNED, Q, immh, immb, rn, rd); }
export function exec_SCVTF_sfix(immh: u32, immb: u32, rn: u32, rd: u32): void { fixed_scalar(TO_FP_SIGNED, immh, immb, rn, rd); }
export function exec_UCVTF_sfix(immh: u32, immb: u32, rn: u32, rd: u32): void { fixed_scalar(TO_FP_UNSIGNED, immh, immb, rn, rd); }
export function exec_FCVTZS_sfix(immh: u32, immb: u32, rn: u32, rd: u32): void { fixed_scalar(TO_FIXED_SIGNED, immh, immb, rn, rd); }
export function exec_FCVTZU_sfix(immh: u32, immb: u32, rn: u32, rd: u32): void { fixed_scalar(TO_FIXED_UNSIGNED, immh, immb, rn, rd); }
