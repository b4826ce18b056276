// FPMulAdd (Arm ARM J1.3): addend + op1 * op2 with a single rounding, from the exact 128-bit product.
import { fpsr_raise, FPSR_IOC } from "../vregs";
import {
  fp_unpack, up_sign, up_exp, up_mant, fp_process_nans3, nan_done, fp_default_nan, fp_infinity, fp_zero,
  fp_rounding, FPTYPE_INFINITY, FPTYPE_ZERO, FPTYPE_QNAN, FPROUND_NEGINF,
} from "./unpack";
import { fp_round } from "./round";
import { mul128, w_hi, w_lo, clz128, shl128, shr128_jam, compress128, compress_shift } from "./wide";

/**
 * addend + op1 * op2, rounded once (FPMulAdd). FMSUB and friends negate operands before the call. The exact
 * sum is scaled by 2^scale before its rounding (FRSQRTS halves it).
 */
export function fp_muladd(addend: u64, op1: u64, op2: u64, N: u32, fpcr: u32, fpexc: bool = true, scale: i32 = 0): u64 {
  const tA = fp_unpack(addend, N, fpcr, fpexc);
  const sA = up_sign, eA = up_exp, mA = up_mant;
  const t1 = fp_unpack(op1, N, fpcr, fpexc);
  const s1 = up_sign, e1 = up_exp, m1 = up_mant;
  const t2 = fp_unpack(op2, N, fpcr, fpexc);
  const s2 = up_sign, e2 = up_exp, m2 = up_mant;
  const inf1 = t1 == FPTYPE_INFINITY, inf2 = t2 == FPTYPE_INFINITY;
  const zero1 = t1 == FPTYPE_ZERO, zero2 = t2 == FPTYPE_ZERO;
  let result = fp_process_nans3(tA, t1, t2, addend, op1, op2, N, fpcr, fpexc);
  const done = nan_done;
  // A quiet NaN addend does not hide the Invalid Operation of infinity times zero
  if (tA == FPTYPE_QNAN && ((inf1 && zero2) || (zero1 && inf2))) {
    if (fpexc) fpsr_raise(FPSR_IOC);
    return fp_default_nan(N);
  }
  if (done) return result;
  const infA = tA == FPTYPE_INFINITY, zeroA = tA == FPTYPE_ZERO;
  const sP = s1 ^ s2;
  const infP = inf1 || inf2, zeroP = zero1 || zero2;
  if ((inf1 && zero2) || (zero1 && inf2) || (infA && infP && sA != sP)) {
    if (fpexc) fpsr_raise(FPSR_IOC);
    return fp_default_nan(N);
  }
  if ((infA && sA == 0) || (infP && sP == 0)) return fp_infinity(0, N);
  if (infA || infP) return fp_infinity(1, N);
  if (zeroA && zeroP && sA == sP) return fp_zero(sA, N);
  const rounding = fp_rounding(fpcr);
  if (zeroP) {
    if (zeroA) return fp_zero(rounding == FPROUND_NEGINF ? 1 : 0, N);
    return fp_round(sA, mA, eA + scale, N, fpcr, rounding, fpexc);
  }
  // The product, exact, with its top bit at 125; the addend likewise (2 bits of headroom for the sum)
  mul128(m1, m2);
  let l = clz128(w_hi, w_lo) - 2;
  shl128(w_hi, w_lo, l);
  let ph = w_hi, pl = w_lo, eP = e1 + e2 - l;
  if (zeroA) {
    const mant = compress128(ph, pl);
    return fp_round(sP, mant, eP + compress_shift + scale, N, fpcr, rounding, fpexc);
  }
  l = clz128(0, mA) - 2;
  shl128(0, mA, l);
  let ah = w_hi, al = w_lo, eAn = eA - l;
  // Align the smaller-exponent operand to the larger one, jamming what falls off
  let sign = sP, exp = eP;
  if (eP >= eAn) {
    shr128_jam(ah, al, eP - eAn);
    ah = w_hi; al = w_lo;
  } else {
    shr128_jam(ph, pl, eAn - eP);
    ph = w_hi; pl = w_lo;
    exp = eAn;
  }
  let rh: u64, rl: u64;
  if (sP == sA) {
    rl = pl + al;
    rh = ph + ah + (rl < pl ? 1 : 0);
  } else if (ph > ah || (ph == ah && pl >= al)) {
    rl = pl - al;
    rh = ph - ah - (pl < al ? 1 : 0);
  } else {
    rl = al - pl;
    rh = ah - ph - (al < pl ? 1 : 0);
    sign = sA;
  }
  if (rh == 0 && rl == 0) return fp_zero(rounding == FPROUND_NEGINF ? 1 : 0, N);
  const mant = compress128(rh, rl);
  return fp_round(sign, mant, exp + compress_shift + scale, N, fpcr, rounding, fpexc);
}
