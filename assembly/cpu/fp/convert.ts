// Conversions (Arm ARM J1.3): FPConvert between sizes, FPToFixed, FixedToFP, FPRoundInt.
import { fpsr_raise, FPSR_IOC, FPSR_IXC, FPCR_AHP, FPCR_DN, FPCR_FZ16 } from "../vregs";
import {
  fp_unpack, up_sign, up_exp, up_mant, fp_process_nan, fp_default_nan, fp_infinity, fp_zero, fp_fbits,
  is_nan_type, FPTYPE_INFINITY, FPTYPE_ZERO, FPTYPE_SNAN,
  FPROUND_TIEEVEN, FPROUND_POSINF, FPROUND_NEGINF, FPROUND_TIEAWAY, FPROUND_ZERO,
} from "./unpack";
import { fp_round } from "./round";

/**
 * Whether rounding a magnitude with the given discarded fraction goes up, for a value of `sign`: the
 * RoundDown-then-increment rules of FPToFixed/FPRoundInt, restated on magnitudes.
 */
function magnitude_rounds_up(rounding: u32, sign: u32, odd: bool, above_half: bool, half: bool, inexact: bool): bool {
  if (rounding == FPROUND_TIEEVEN) return above_half || (half && odd);
  if (rounding == FPROUND_POSINF) return inexact && sign == 0;
  if (rounding == FPROUND_NEGINF) return inexact && sign == 1;
  if (rounding == FPROUND_TIEAWAY) return above_half || half;
  return false; // FPROUND_ZERO
}

// The last split_integer: the integer part's magnitude, and what the discarded fraction was
let int_mag: u64 = 0;
let frac_above_half = false, frac_half = false, frac_inexact = false;
/** Splits m * 2^e (e < 0) into its integer part and fraction. */
function split_integer(m: u64, e: i32): void {
  const r = -e;
  if (r >= 64) {
    int_mag = 0;
    frac_above_half = false;
    frac_half = false; // m < 2^63 (a significand), so below one half
    frac_inexact = m != 0;
    return;
  }
  const rem = m & ((<u64>1 << <u64>r) - 1);
  const halfway = <u64>1 << <u64>(r - 1);
  int_mag = m >> <u64>r;
  frac_above_half = rem > halfway;
  frac_half = rem == halfway;
  frac_inexact = rem != 0;
}

/**
 * FPConvert from N to M bits (FCVT): the source unpacks without FZ16, the result rounds as FPRoundCV; a
 * half-precision result with FPCR.AHP has no NaNs or infinities (zero and the largest value, with IOC).
 */
export function fp_convert(op: u64, N: u32, M: u32, fpcr: u32, rounding: u32): u64 {
  const t = fp_unpack(op, N, fpcr & ~FPCR_FZ16);
  const sign = up_sign, e = up_exp, m = up_mant;
  const alt_hp = M == 16 && (fpcr & FPCR_AHP) != 0;
  if (is_nan_type(t)) {
    let result: u64;
    if (alt_hp) result = fp_zero(sign, M);
    else if ((fpcr & FPCR_DN) != 0) result = fp_default_nan(M);
    else {
      // FPConvertNaN: the payload's top bits carry over, and the result is quiet
      const F = fp_fbits(N), G = fp_fbits(M);
      const payload = op & ((<u64>1 << (F - 1)) - 1);
      const moved = G >= F ? payload << (G - F) : payload >> (F - G);
      result = fp_infinity(sign, M) | (<u64>1 << (G - 1)) | moved;
    }
    if (t == FPTYPE_SNAN || alt_hp) fpsr_raise(FPSR_IOC);
    return result;
  }
  if (t == FPTYPE_INFINITY) {
    if (alt_hp) {
      fpsr_raise(FPSR_IOC);
      return fp_zero(sign, M) | 0x7fff;
    }
    return fp_infinity(sign, M);
  }
  if (t == FPTYPE_ZERO) return fp_zero(sign, M);
  return fp_round(sign, m, e, M, fpcr, rounding, true, true);
}

/**
 * FPToFixed: op (N bits) times 2^fbits, rounded to an integer of M bits, signed or unsigned, saturating
 * with IOC (a NaN gives 0 with IOC); IXC when inexact and in range.
 */
export function fp_to_fixed(op: u64, N: u32, fbits: i32, unsigned: bool, M: u32, fpcr: u32, rounding: u32): u64 {
  const t = fp_unpack(op, N, fpcr);
  const sign = up_sign, e = up_exp + fbits, m = up_mant;
  if (is_nan_type(t)) {
    fpsr_raise(FPSR_IOC);
    return 0;
  }
  let mag: u64 = 0;
  let huge = t == FPTYPE_INFINITY;
  let inexact = false;
  if (t != FPTYPE_ZERO && !huge) {
    if (e >= 0) {
      if (e >= 64 || ((m << <u64>e) >> <u64>e) != m) huge = true;
      else mag = m << <u64>e;
    } else {
      split_integer(m, e);
      mag = int_mag;
      inexact = frac_inexact;
      if (magnitude_rounds_up(rounding, sign, (mag & 1) != 0, frac_above_half, frac_half, inexact)) mag++;
    }
  }
  // SatQ: the range of the destination
  let overflow: bool;
  let result: u64;
  if (unsigned) {
    const max = M == 64 ? <u64>-1 : (<u64>1 << M) - 1;
    if (sign == 1 && (mag != 0 || huge)) { overflow = true; result = 0; }
    else if (huge || mag > max) { overflow = true; result = max; }
    else { overflow = false; result = mag; }
  } else {
    const limit = <u64>1 << (M - 1); // the magnitude of the most negative value
    if (sign == 1) {
      if (huge || mag > limit) { overflow = true; result = limit; } // INT_MIN
      else { overflow = false; result = 0 - mag; }
    } else {
      if (huge || mag >= limit) { overflow = true; result = limit - 1; }
      else { overflow = false; result = mag; }
    }
  }
  if (overflow) fpsr_raise(FPSR_IOC);
  else if (inexact) fpsr_raise(FPSR_IXC);
  return M == 64 ? result : result & ((<u64>1 << M) - 1);
}

/** FixedToFP: the M-bit integer op (signed or unsigned) divided by 2^fbits, rounded to N bits. */
export function fixed_to_fp(op: u64, M: u32, fbits: i32, unsigned: bool, N: u32, fpcr: u32, rounding: u32): u64 {
  if (M < 64) {
    op &= (<u64>1 << M) - 1;
    if (!unsigned) op = <u64>((<i64>(op << (64 - M))) >> (64 - M));
  }
  if (op == 0) return fp_zero(0, N);
  const negative = !unsigned && <i64>op < 0;
  return fp_round(negative ? 1 : 0, negative ? 0 - op : op, -fbits, N, fpcr & ~FPCR_AHP, rounding);
}

/** FPRoundInt: op rounded to an integral value in its own format; IXC only when `exact` (FRINTX). */
export function fp_round_int(op: u64, N: u32, fpcr: u32, rounding: u32, exact: bool): u64 {
  const t = fp_unpack(op, N, fpcr);
  const sign = up_sign, e = up_exp, m = up_mant;
  if (is_nan_type(t)) return fp_process_nan(t, op, N, fpcr);
  if (t == FPTYPE_INFINITY) return fp_infinity(sign, N);
  if (t == FPTYPE_ZERO) return fp_zero(sign, N);
  if (e >= 0) return fp_round(sign, m, e, N, fpcr, FPROUND_ZERO); // already integral
  split_integer(m, e);
  let mag = int_mag;
  if (magnitude_rounds_up(rounding, sign, (mag & 1) != 0, frac_above_half, frac_half, frac_inexact)) mag++;
  const result = mag == 0 ? fp_zero(sign, N) : fp_round(sign, mag, 0, N, fpcr, FPROUND_ZERO);
  if (frac_inexact && exact) fpsr_raise(FPSR_IXC);
  return result;
}
