// FPSqrt (Arm ARM J1.3): a digit-by-digit integer square root of the significand scaled to an even exponent,
// the remainder as sticky, so the one rounding is correct.
import { fpsr_raise, FPSR_IOC } from "../vregs";
import {
  fp_unpack, up_sign, up_exp, up_mant, fp_process_nan, fp_default_nan, fp_infinity, fp_zero,
  fp_rounding, is_nan_type, FPTYPE_INFINITY, FPTYPE_ZERO,
} from "./unpack";
import { fp_round } from "./round";
import { shl128, w_hi, w_lo } from "./wide";

/** The square root of op (FPSqrt). */
export function fp_sqrt(op: u64, N: u32, fpcr: u32, fpexc: bool = true): u64 {
  const t = fp_unpack(op, N, fpcr, fpexc);
  const sign = up_sign, e = up_exp, m = up_mant;
  if (is_nan_type(t)) return fp_process_nan(t, op, N, fpcr, fpexc);
  if (t == FPTYPE_ZERO) return fp_zero(sign, N);
  if (t == FPTYPE_INFINITY && sign == 0) return fp_infinity(0, N);
  if (sign == 1) {
    if (fpexc) fpsr_raise(FPSR_IOC);
    return fp_default_nan(N);
  }
  // The radicand m * 2^s with its top bit at 110 or 111 and e - s even: a root of 56 bits
  let s = 110 - (63 - <i32>clz(m));
  if (((e - s) & 1) != 0) s++;
  shl128(0, m, s);
  const hi = w_hi, lo = w_lo;
  let root: u64 = 0, rem: u64 = 0;
  for (let i = 55; i >= 0; i--) {
    const pair = i >= 32 ? (hi >> <u64>(2 * i - 64)) & 3 : (lo >> <u64>(2 * i)) & 3;
    rem = (rem << 2) | pair;
    const trial = (root << 2) | 1;
    if (rem >= trial) { rem -= trial; root = (root << 1) | 1; }
    else root <<= 1;
  }
  if (rem != 0) root |= 1;
  return fp_round(0, root, (e - s) / 2, N, fpcr, fp_rounding(fpcr), fpexc);
}
