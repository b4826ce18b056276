// FPCompare, FPMax, FPMin, FPMaxNum, FPMinNum (Arm ARM J1.3).
import { fpsr_raise, FPSR_IOC } from "../vregs";
import {
  fp_unpack, up_sign, up_exp, up_mant, fp_process_nans, nan_done, fp_infinity, fp_zero, fp_mask,
  fp_rounding, is_nan_type, FPTYPE_INFINITY, FPTYPE_ZERO, FPTYPE_QNAN, FPTYPE_SNAN,
} from "./unpack";
import { fp_round } from "./round";

/**
 * The order of two non-NaN operands after unpacking (flushed denormals are zeros): -1, 0 or 1. Sign and
 * magnitude bits order the values, with every zero equal.
 */
function order(t1: u32, op1: u64, t2: u32, op2: u64, N: u32): i32 {
  const magMask = fp_mask(N) >> 1;
  const v1 = t1 == FPTYPE_ZERO ? <i64>0 : ((op1 >> (N - 1)) & 1 ? -<i64>(op1 & magMask) : <i64>(op1 & magMask));
  const v2 = t2 == FPTYPE_ZERO ? <i64>0 : ((op2 >> (N - 1)) & 1 ? -<i64>(op2 & magMask) : <i64>(op2 & magMask));
  return v1 < v2 ? -1 : v1 > v2 ? 1 : 0;
}

/**
 * FPCompare: the NZCV flags (in bits 3:0) of comparing op1 with op2. Unordered is 0b0011; any NaN raises
 * IOC when signal_nans (FCMPE), a signalling one always.
 */
export function fp_compare(op1: u64, op2: u64, N: u32, fpcr: u32, signal_nans: bool): u32 {
  const t1 = fp_unpack(op1, N, fpcr);
  const t2 = fp_unpack(op2, N, fpcr);
  if (is_nan_type(t1) || is_nan_type(t2)) {
    if (t1 == FPTYPE_SNAN || t2 == FPTYPE_SNAN || signal_nans) fpsr_raise(FPSR_IOC);
    return 0b0011;
  }
  const o = order(t1, op1, t2, op2, N);
  return o == 0 ? 0b0110 : o < 0 ? 0b1000 : 0b0010;
}

/** FPMax (is_max) or FPMin: NaNs propagate; +0 is the larger zero. */
export function fp_max_min(op1: u64, op2: u64, N: u32, fpcr: u32, is_max: bool, fpexc: bool = true): u64 {
  const t1 = fp_unpack(op1, N, fpcr, fpexc);
  const s1 = up_sign, e1 = up_exp, m1 = up_mant;
  const t2 = fp_unpack(op2, N, fpcr, fpexc);
  const s2 = up_sign, e2 = up_exp, m2 = up_mant;
  const nan = fp_process_nans(t1, t2, op1, op2, N, fpcr, fpexc);
  if (nan_done) return nan;
  const o = order(t1, op1, t2, op2, N);
  const first = is_max ? o > 0 : o < 0;
  const t = first ? t1 : t2;
  const sign = first ? s1 : s2;
  if (t == FPTYPE_INFINITY) return fp_infinity(sign, N);
  // Zeros: the most positive sign for the maximum, the most negative for the minimum
  if (t == FPTYPE_ZERO) return fp_zero(is_max ? s1 & s2 : s1 | s2, N);
  return fp_round(sign, first ? m1 : m2, first ? e1 : e2, N, fpcr, fp_rounding(fpcr), fpexc);
}

/** FPMaxNum (is_max) or FPMinNum: a single quiet NaN loses to a number (it acts as -inf / +inf). */
export function fp_max_min_num(op1: u64, op2: u64, N: u32, fpcr: u32, is_max: bool, fpexc: bool = true): u64 {
  const t1 = fp_unpack(op1, N, fpcr, false);
  const t2 = fp_unpack(op2, N, fpcr, false);
  const replacement = fp_infinity(is_max ? 1 : 0, N);
  if (t1 == FPTYPE_QNAN && t2 != FPTYPE_QNAN) op1 = replacement;
  else if (t1 != FPTYPE_QNAN && t2 == FPTYPE_QNAN) op2 = replacement;
  return fp_max_min(op1, op2, N, fpcr, is_max, fpexc);
}
