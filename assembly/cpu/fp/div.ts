// FPDiv (Arm ARM J1.3): a 64-bit quotient of the significands by restoring division, the remainder as sticky.
import { fpsr_raise, FPSR_IOC, FPSR_DZC } from "../vregs";
import {
  fp_unpack, up_sign, up_exp, up_mant, fp_process_nans, nan_done, fp_default_nan, fp_infinity, fp_zero,
  fp_rounding, FPTYPE_INFINITY, FPTYPE_ZERO,
} from "./unpack";
import { fp_round } from "./round";

/** op1 / op2 (FPDiv). */
export function fp_div(op1: u64, op2: u64, N: u32, fpcr: u32, fpexc: bool = true): u64 {
  const t1 = fp_unpack(op1, N, fpcr, fpexc);
  const s1 = up_sign, e1 = up_exp;
  let m1 = up_mant;
  const t2 = fp_unpack(op2, N, fpcr, fpexc);
  const s2 = up_sign, e2 = up_exp;
  let m2 = up_mant;
  const nan = fp_process_nans(t1, t2, op1, op2, N, fpcr, fpexc);
  if (nan_done) return nan;
  const inf1 = t1 == FPTYPE_INFINITY, inf2 = t2 == FPTYPE_INFINITY;
  const zero1 = t1 == FPTYPE_ZERO, zero2 = t2 == FPTYPE_ZERO;
  if ((inf1 && inf2) || (zero1 && zero2)) {
    if (fpexc) fpsr_raise(FPSR_IOC);
    return fp_default_nan(N);
  }
  if (inf1 || zero2) {
    if (!inf1 && fpexc) fpsr_raise(FPSR_DZC);
    return fp_infinity(s1 ^ s2, N);
  }
  if (zero1 || inf2) return fp_zero(s1 ^ s2, N);
  // Both significands to bit 62; q = floor(m1 / m2 * 2^63) has its top bit at 63 or 62
  const l1 = <i32>clz(m1) - 1, l2 = <i32>clz(m2) - 1;
  m1 <<= <u64>l1;
  m2 <<= <u64>l2;
  let rem = m1, q: u64 = 0;
  for (let i = 0; i < 64; i++) {
    q <<= 1;
    if (rem >= m2) { rem -= m2; q |= 1; }
    rem <<= 1;
  }
  if (rem != 0) q |= 1;
  return fp_round(s1 ^ s2, q, (e1 - l1) - (e2 - l2) - 63, N, fpcr, fp_rounding(fpcr), fpexc);
}
