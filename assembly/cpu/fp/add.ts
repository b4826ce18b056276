// FPAdd and FPSub (Arm ARM J1.3): the exact sum of two aligned significands, then one rounding.
import { fpsr_raise, FPSR_IOC } from "../vregs";
import {
  fp_unpack, up_sign, up_exp, up_mant, fp_process_nans, nan_done, fp_default_nan, fp_infinity, fp_zero,
  fp_rounding, FPTYPE_INFINITY, FPTYPE_ZERO, FPROUND_NEGINF,
} from "./unpack";
import { fp_round } from "./round";

/** op1 + op2 (FPAdd). */
export function fp_add(op1: u64, op2: u64, N: u32, fpcr: u32, fpexc: bool = true): u64 {
  return add_sub(op1, op2, 0, N, fpcr, fpexc);
}

/** op1 - op2 (FPSub: a NaN op2 is returned with its own sign). */
export function fp_sub(op1: u64, op2: u64, N: u32, fpcr: u32, fpexc: bool = true): u64 {
  return add_sub(op1, op2, 1, N, fpcr, fpexc);
}

function add_sub(op1: u64, op2: u64, negate2: u32, N: u32, fpcr: u32, fpexc: bool): u64 {
  const t1 = fp_unpack(op1, N, fpcr, fpexc);
  const s1 = up_sign, e1 = up_exp, m1 = up_mant;
  const t2 = fp_unpack(op2, N, fpcr, fpexc);
  const s2 = up_sign ^ negate2, e2 = up_exp, m2 = up_mant;
  const nan = fp_process_nans(t1, t2, op1, op2, N, fpcr, fpexc);
  if (nan_done) return nan;
  const inf1 = t1 == FPTYPE_INFINITY, inf2 = t2 == FPTYPE_INFINITY;
  if (inf1 && inf2 && s1 != s2) {
    if (fpexc) fpsr_raise(FPSR_IOC);
    return fp_default_nan(N);
  }
  if ((inf1 && s1 == 0) || (inf2 && s2 == 0)) return fp_infinity(0, N);
  if (inf1 || inf2) return fp_infinity(1, N);
  if (t1 == FPTYPE_ZERO && t2 == FPTYPE_ZERO && s1 == s2) return fp_zero(s1, N);
  return add_values(s1, m1, e1, s2, m2, e2, N, fpcr, fp_rounding(fpcr), fpexc);
}

/**
 * Rounds (-1)^s1 * m1 * 2^e1 + (-1)^s2 * m2 * 2^e2 (significands of at most 62 bits; either may be 0). An
 * exact zero sum is +0, or -0 when rounding towards minus infinity.
 */
export function add_values(s1: u32, m1: u64, e1: i32, s2: u32, m2: u64, e2: i32, N: u32, fpcr: u32, rounding: u32, fpexc: bool): u64 {
  if (m1 == 0 && m2 == 0) return fp_zero(rounding == FPROUND_NEGINF ? 1 : 0, N);
  if (m1 == 0) return fp_round(s2, m2, e2, N, fpcr, rounding, fpexc);
  if (m2 == 0) return fp_round(s1, m1, e1, N, fpcr, rounding, fpexc);
  // Both significands to bit 62 (a bit of headroom for the carry), then the smaller one shifted down with jam
  let l = <i32>clz(m1) - 1;
  m1 <<= <u64>l; e1 -= l;
  l = <i32>clz(m2) - 1;
  m2 <<= <u64>l; e2 -= l;
  if (e1 < e2) {
    const ts = s1; s1 = s2; s2 = ts;
    const tm = m1; m1 = m2; m2 = tm;
    const te = e1; e1 = e2; e2 = te;
  }
  const d = e1 - e2;
  if (d >= 63) m2 = 1;
  else if (d > 0) m2 = (m2 >> <u64>d) | ((m2 << <u64>(64 - d)) != 0 ? 1 : 0);
  let sign = s1;
  let mant: u64;
  if (s1 == s2) mant = m1 + m2;
  else if (m1 >= m2) mant = m1 - m2;
  else { mant = m2 - m1; sign = s2; }
  if (mant == 0) return fp_zero(rounding == FPROUND_NEGINF ? 1 : 0, N);
  return fp_round(sign, mant, e1, N, fpcr, rounding, fpexc);
}
