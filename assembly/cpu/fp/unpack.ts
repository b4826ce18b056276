// The softfloat core's shared part: formats, FPUnpack, NaN processing and the special values (Arm ARM J1.3
// FPUnpackBase, FPProcessNaN(s)(3), FPDefaultNaN, FPInfinity, FPZero, FPMaxNormal).
//
// API of assembly/cpu/fp/ (what scalar FP and the AdvSIMD lanes call): every operation takes its operands
// as raw bits in a u64 (the low N bits), the element size N (16, 32 or 64) and the FPCR value to use, and
// returns the raw bits of the result; floating-point exceptions set their cumulative FPSR flags directly,
// as FPProcessException does (no trapped exceptions: the FPCR enables are RAZ). Rounding modes are the
// FPRounding values below (FPCR.RMode's encoding plus TIEAWAY). FEAT_AFP is not implemented, so FPCR.AH
// is 0 throughout: denormal inputs flush under FZ with IDC, tininess is detected before rounding.
//
//   add.ts      fp_add(a, b, N, fpcr), fp_sub                         FPAdd, FPSub
//   mul.ts      fp_mul(a, b, N, fpcr)                                 FPMul (FNMUL negates the result)
//   fma.ts      fp_muladd(addend, a, b, N, fpcr)                      FPMulAdd (negate operands first for FMSUB...)
//   div.ts      fp_div(a, b, N, fpcr)                                 FPDiv
//   sqrt.ts     fp_sqrt(a, N, fpcr)                                   FPSqrt
//   compare.ts  fp_compare(a, b, N, fpcr, signal_nans) -> NZCV<3:0>   FPCompare
//               fp_max_min(a, b, N, fpcr, is_max), fp_max_min_num     FPMax/FPMin, FPMaxNum/FPMinNum
//   convert.ts  fp_convert(op, N, M, fpcr, rounding)                  FPConvert (FCVT; AHP for M = 16)
//               fp_to_fixed(op, N, fbits, unsigned, M, fpcr, rounding) FPToFixed (saturating, IOC)
//               fixed_to_fp(op, M, fbits, unsigned, N, fpcr, rounding) FixedToFP
//               fp_round_int(op, N, fpcr, rounding, exact)            FPRoundInt (FRINT*)
//   round.ts    fp_round(sign, mant, exp, N, fpcr, rounding)          FPRound of (-1)^sign * mant * 2^exp
//   unpack.ts   fp_unpack, fp_process_nan(s)(3), fp_default_nan, fp_infinity, fp_zero, fp_rounding
// Every function that takes `fpexc` skips the FPSR updates when it is false (FPRecipStep-style callers).
import { fpsr_raise, FPSR_IOC, FPSR_IDC, FPCR_AHP, FPCR_DN, FPCR_FZ, FPCR_FZ16, FPCR_RMODE_SHIFT } from "../vregs";

// FPRounding (J1.3 FPDecodeRounding order, then TIEAWAY)
export const FPROUND_TIEEVEN: u32 = 0;
export const FPROUND_POSINF: u32 = 1;
export const FPROUND_NEGINF: u32 = 2;
export const FPROUND_ZERO: u32 = 3;
export const FPROUND_TIEAWAY: u32 = 4;
// Round to odd (FCVTXN): truncate, then set the lowest bit of an inexact result
export const FPROUND_ODD: u32 = 5;

/** FPRoundingMode: the rounding mode FPCR.RMode selects. */
// @ts-ignore: decorator
@inline export function fp_rounding(fpcr: u32): u32 { return (fpcr >> FPCR_RMODE_SHIFT) & 3; }

// FPType
export const FPTYPE_ZERO: u32 = 0;
export const FPTYPE_DENORMAL: u32 = 1;
export const FPTYPE_NONZERO: u32 = 2;
export const FPTYPE_INFINITY: u32 = 3;
export const FPTYPE_QNAN: u32 = 4;
export const FPTYPE_SNAN: u32 = 5;

// @ts-ignore: decorator
@inline export function is_nan_type(t: u32): bool { return t >= FPTYPE_QNAN; }

/** Exponent bits of an N-bit format. */
// @ts-ignore: decorator
@inline export function fp_ebits(N: u32): u32 { return N == 16 ? 5 : N == 32 ? 8 : 11; }
/** Fraction bits of an N-bit format. */
// @ts-ignore: decorator
@inline export function fp_fbits(N: u32): u32 { return N == 16 ? 10 : N == 32 ? 23 : 52; }
// @ts-ignore: decorator
@inline export function fp_bias(N: u32): i32 { return (1 << (fp_ebits(N) - 1)) - 1; }
// @ts-ignore: decorator
@inline export function fp_mask(N: u32): u64 { return N == 64 ? <u64>-1 : ((<u64>1 << N) - 1); }

// @ts-ignore: decorator
@inline export function fp_sign_bit(N: u32): u64 { return <u64>1 << (N - 1); }
// @ts-ignore: decorator
@inline export function fp_zero(sign: u32, N: u32): u64 { return <u64>sign << (N - 1); }
// @ts-ignore: decorator
@inline export function fp_infinity(sign: u32, N: u32): u64 {
  return fp_zero(sign, N) | (((<u64>1 << fp_ebits(N)) - 1) << fp_fbits(N));
}
// @ts-ignore: decorator
@inline export function fp_max_normal(sign: u32, N: u32): u64 {
  return fp_zero(sign, N) | ((((<u64>1 << fp_ebits(N)) - 2) << fp_fbits(N)) | ((<u64>1 << fp_fbits(N)) - 1));
}
/** FPDefaultNaN: positive, quiet, zero payload (FEAT_AFP's AH-dependent sign is not implemented). */
// @ts-ignore: decorator
@inline export function fp_default_nan(N: u32): u64 { return fp_infinity(0, N) | (<u64>1 << (fp_fbits(N) - 1)); }

// FPUnpack's results besides the type: the sign, and the value as mant * 2^exp (mant = 0 for zeros and
// NaNs, the significand with its hidden bit for numbers; infinities have mant = 0 and are told by type)
export let up_sign: u32 = 0;
export let up_exp: i32 = 0;
export let up_mant: u64 = 0;

/**
 * FPUnpack (J1.3 FPUnpackBase): the type of `bits`, with up_sign/up_exp/up_mant set. FZ flushes single and
 * double denormals to zero and raises IDC (when fpexc); FZ16 flushes half denormals without IDC; AHP makes
 * half's maximum exponent an ordinary one.
 */
export function fp_unpack(bits: u64, N: u32, fpcr: u32, fpexc: bool = true): u32 {
  const F = fp_fbits(N);
  const emax = (<u32>1 << fp_ebits(N)) - 1;
  const sign = <u32>(bits >> (N - 1)) & 1;
  const exp = <u32>(bits >> F) & emax;
  const frac = bits & ((<u64>1 << F) - 1);
  up_sign = sign;
  up_mant = 0;
  up_exp = 0;
  if (exp == 0) {
    if (frac == 0) return FPTYPE_ZERO;
    if (N == 16 ? (fpcr & FPCR_FZ16) != 0 : (fpcr & FPCR_FZ) != 0) {
      if (N != 16 && fpexc) fpsr_raise(FPSR_IDC); // input denormal flushed to zero
      return FPTYPE_ZERO;
    }
    up_mant = frac;
    up_exp = 1 - fp_bias(N) - <i32>F;
    return FPTYPE_DENORMAL;
  }
  if (exp == emax && !(N == 16 && (fpcr & FPCR_AHP) != 0)) {
    if (frac == 0) return FPTYPE_INFINITY;
    return (frac >> (F - 1)) != 0 ? FPTYPE_QNAN : FPTYPE_SNAN;
  }
  up_mant = frac | (<u64>1 << F);
  up_exp = <i32>exp - fp_bias(N) - <i32>F;
  return FPTYPE_NONZERO;
}

/** FPProcessNaN: a signalling NaN is quietened and raises IOC; DN replaces any NaN by the default NaN. */
export function fp_process_nan(type: u32, op: u64, N: u32, fpcr: u32, fpexc: bool = true): u64 {
  let result = op & fp_mask(N);
  if (type == FPTYPE_SNAN) {
    result |= <u64>1 << (fp_fbits(N) - 1);
    if (fpexc) fpsr_raise(FPSR_IOC);
  }
  if ((fpcr & FPCR_DN) != 0) result = fp_default_nan(N);
  return result;
}

// Whether the last fp_process_nans/fp_process_nans3 found a NaN (then its return value is the result)
export let nan_done: bool = false;

/** FPProcessNaNs: signalling NaNs first, then quiet ones, each in operand order. */
export function fp_process_nans(t1: u32, t2: u32, op1: u64, op2: u64, N: u32, fpcr: u32, fpexc: bool = true): u64 {
  nan_done = true;
  if (t1 == FPTYPE_SNAN) return fp_process_nan(t1, op1, N, fpcr, fpexc);
  if (t2 == FPTYPE_SNAN) return fp_process_nan(t2, op2, N, fpcr, fpexc);
  if (t1 == FPTYPE_QNAN) return fp_process_nan(t1, op1, N, fpcr, fpexc);
  if (t2 == FPTYPE_QNAN) return fp_process_nan(t2, op2, N, fpcr, fpexc);
  nan_done = false;
  return 0;
}

/** FPProcessNaNs3: as FPProcessNaNs over three operands. */
export function fp_process_nans3(t1: u32, t2: u32, t3: u32, op1: u64, op2: u64, op3: u64, N: u32, fpcr: u32, fpexc: bool = true): u64 {
  nan_done = true;
  if (t1 == FPTYPE_SNAN) return fp_process_nan(t1, op1, N, fpcr, fpexc);
  if (t2 == FPTYPE_SNAN) return fp_process_nan(t2, op2, N, fpcr, fpexc);
  if (t3 == FPTYPE_SNAN) return fp_process_nan(t3, op3, N, fpcr, fpexc);
  if (t1 == FPTYPE_QNAN) return fp_process_nan(t1, op1, N, fpcr, fpexc);
  if (t2 == FPTYPE_QNAN) return fp_process_nan(t2, op2, N, fpcr, fpexc);
  if (t3 == FPTYPE_QNAN) return fp_process_nan(t3, op3, N, fpcr, fpexc);
  nan_done = false;
  return 0;
}
