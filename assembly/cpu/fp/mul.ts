// FPMul (Arm ARM J1.3): the exact 128-bit product of the significands, then one rounding.
import { fpsr_raise, FPSR_IOC } from "../vregs";
import {
  fp_unpack, up_sign, up_exp, up_mant, fp_process_nans, nan_done, fp_default_nan, fp_infinity, fp_zero,
  fp_rounding, FPTYPE_INFINITY, FPTYPE_ZERO,
} from "./unpack";
import { fp_round } from "./round";
import { mul128, w_hi, w_lo, compress128, compress_shift } from "./wide";

/** op1 * op2 (FPMul). */
export function fp_mul(op1: u64, op2: u64, N: u32, fpcr: u32, fpexc: bool = true): u64 {
  const t1 = fp_unpack(op1, N, fpcr, fpexc);
  const s1 = up_sign, e1 = up_exp, m1 = up_mant;
  const t2 = fp_unpack(op2, N, fpcr, fpexc);
  const s2 = up_sign, e2 = up_exp, m2 = up_mant;
  const nan = fp_process_nans(t1, t2, op1, op2, N, fpcr, fpexc);
  if (nan_done) return nan;
  const inf1 = t1 == FPTYPE_INFINITY, inf2 = t2 == FPTYPE_INFINITY;
  const zero1 = t1 == FPTYPE_ZERO, zero2 = t2 == FPTYPE_ZERO;
  if ((inf1 && zero2) || (zero1 && inf2)) {
    if (fpexc) fpsr_raise(FPSR_IOC);
    return fp_default_nan(N);
  }
  if (inf1 || inf2) return fp_infinity(s1 ^ s2, N);
  if (zero1 || zero2) return fp_zero(s1 ^ s2, N);
  mul128(m1, m2);
  const mant = compress128(w_hi, w_lo);
  return fp_round(s1 ^ s2, mant, e1 + e2 + compress_shift, N, fpcr, fp_rounding(fpcr), fpexc);
}
