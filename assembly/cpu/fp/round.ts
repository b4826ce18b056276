// FPRound (Arm ARM J1.3 FPRoundBase with FPCR.AH = 0): an exact or sticky-jammed value to an N-bit format.
import { fpsr_raise, FPSR_IOC, FPSR_OFC, FPSR_UFC, FPSR_IXC, FPCR_AHP, FPCR_FZ, FPCR_FZ16 } from "../vregs";
import {
  fp_ebits, fp_fbits, fp_bias, fp_zero, fp_infinity, fp_max_normal,
  FPROUND_TIEEVEN, FPROUND_POSINF, FPROUND_NEGINF, FPROUND_TIEAWAY, FPROUND_ODD,
} from "./unpack";

/**
 * Rounds the nonzero value (-1)^sign * mant * 2^exp to N bits. `mant` may carry a sticky bit jammed into
 * its least significant bit (the callers keep at least two bits below the rounding point, so rounding the
 * jammed value gives the exact value's result). `cv` selects FPRoundCV (FP-to-FP conversions: FZ16 off,
 * AHP observed); otherwise AHP is off, as FPRound sets it.
 */
export function fp_round(sign: u32, mant: u64, exp: i32, N: u32, fpcr: u32, rounding: u32, fpexc: bool = true, cv: bool = false): u64 {
  const E = fp_ebits(N);
  const F = fp_fbits(N);
  // NormalizeReal: the value is mant' * 2^(exponent - 63) with mant' in [2^63, 2^64)
  const lz = <i32>clz(mant);
  mant <<= <u64>lz;
  const exponent = exp + 63 - lz;
  const minimum_exp = 1 - fp_bias(N);
  const fz = N == 16 ? !cv && (fpcr & FPCR_FZ16) != 0 : (fpcr & FPCR_FZ) != 0;
  if (fz && exponent < minimum_exp) {
    // Flush to zero before rounding: UFC without IXC
    if (fpexc) fpsr_raise(FPSR_UFC);
    return fp_zero(sign, N);
  }
  let biased_exp = exponent - minimum_exp + 1;
  // The bits below int_mant: F + 1 bits are kept of a normal number, fewer of a denormal one
  let shift = 63 - <i32>F;
  if (biased_exp <= 0) {
    shift += 1 - biased_exp;
    biased_exp = 0;
  }
  let int_mant: u64;
  let above_half: bool, half: bool, inexact: bool;
  if (shift >= 65) {
    int_mant = 0;
    above_half = false;
    half = false;
    inexact = true;
  } else {
    const sh = <u64>shift;
    int_mant = shift == 64 ? 0 : mant >> sh;
    const rem = shift == 64 ? mant : mant & ((<u64>1 << sh) - 1);
    const halfway = <u64>1 << (sh - 1);
    above_half = rem > halfway;
    half = rem == halfway;
    inexact = rem != 0;
  }
  // Underflow: tiny before rounding and inexact
  if (biased_exp == 0 && inexact && fpexc) fpsr_raise(FPSR_UFC);
  let round_up: bool;
  let overflow_to_inf: bool;
  if (rounding == FPROUND_TIEEVEN) {
    round_up = above_half || (half && (int_mant & 1) != 0);
    overflow_to_inf = true;
  } else if (rounding == FPROUND_POSINF) {
    round_up = inexact && sign == 0;
    overflow_to_inf = sign == 0;
  } else if (rounding == FPROUND_NEGINF) {
    round_up = inexact && sign == 1;
    overflow_to_inf = sign == 1;
  } else if (rounding == FPROUND_TIEAWAY) {
    round_up = above_half || half;
    overflow_to_inf = true;
  } else {
    round_up = false;
    overflow_to_inf = false;
  }
  if (round_up) {
    int_mant++;
    if (int_mant == (<u64>1 << F)) biased_exp = 1; // a denormal rounded up to the smallest normal
    if (int_mant == (<u64>1 << (F + 1))) {
      biased_exp++;
      int_mant >>= 1;
    }
  }
  // FPRounding_ODD: an inexact truncation gets its lowest bit set (an even int_mant, so no carry)
  if (rounding == FPROUND_ODD && inexact) int_mant |= 1;
  let result: u64;
  if (N != 16 || !cv || (fpcr & FPCR_AHP) == 0) {
    if (biased_exp >= (1 << E) - 1) {
      result = overflow_to_inf ? fp_infinity(sign, N) : fp_max_normal(sign, N);
      if (fpexc) fpsr_raise(FPSR_OFC);
      inexact = true;
    } else {
      result = fp_zero(sign, N) | (<u64>biased_exp << F) | (int_mant & ((<u64>1 << F) - 1));
    }
  } else {
    // Arm alternative half-precision: no infinities, and values too large are an Invalid Operation
    if (biased_exp >= (1 << E)) {
      result = fp_zero(sign, N) | 0x7fff;
      if (fpexc) fpsr_raise(FPSR_IOC);
      inexact = false;
    } else {
      result = fp_zero(sign, N) | (<u64>biased_exp << F) | (int_mant & ((<u64>1 << F) - 1));
    }
  }
  if (inexact && fpexc) fpsr_raise(FPSR_IXC);
  return result;
}
