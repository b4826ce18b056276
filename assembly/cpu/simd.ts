// Element access and integer arithmetic shared by the Advanced SIMD handlers (Arm ARM J1.3 shared
// pseudocode: Elem, Vpart, SatQ, the saturating and rounding shifts of C7.2). Results are built in a
// scratch vector first, because the destination may also be a source.
import { v_addr, set_v128, fpsr_raise, FPSR_QC } from "./vregs";

/** The scratch vector results are assembled in before commit() writes them to Vd. */
const TMP: usize = memory.data(32);

/** Element i of esize bits (8, 16, 32, 64) of Vn, zero-extended. */
// @ts-ignore: decorator
@inline export function elem(n: u32, i: u32, esize: u32): u64 {
  const a = v_addr(n);
  if (esize == 8) return <u64>load<u8>(a + (i & 15));
  if (esize == 16) return <u64>load<u16>(a + ((i & 7) << 1));
  if (esize == 32) return <u64>load<u32>(a + ((i & 3) << 2));
  return load<u64>(a + ((i & 1) << 3));
}

/** Sets element i of the result being built. */
// @ts-ignore: decorator
@inline export function put(i: u32, esize: u32, v: u64): void {
  if (esize == 8) store<u8>(TMP + (i & 15), <u8>v);
  else if (esize == 16) store<u16>(TMP + ((i & 7) << 1), <u16>v);
  else if (esize == 32) store<u32>(TMP + ((i & 3) << 2), <u32>v);
  else store<u64>(TMP + ((i & 1) << 3), v);
}

/** Element i of the result being built (for instructions that write only some lanes). */
// @ts-ignore: decorator
@inline export function got(i: u32, esize: u32): u64 {
  if (esize == 8) return <u64>load<u8>(TMP + (i & 15));
  if (esize == 16) return <u64>load<u16>(TMP + ((i & 7) << 1));
  if (esize == 32) return <u64>load<u32>(TMP + ((i & 3) << 2));
  return load<u64>(TMP + ((i & 1) << 3));
}

/** Starts a result from Vd's current value (INS and the narrowing "2" forms keep the other lanes). */
// @ts-ignore: decorator
@inline export function start_from(d: u32): void {
  store<u64>(TMP, load<u64>(v_addr(d)));
  store<u64>(TMP, load<u64>(v_addr(d), 8), 8);
}

/** Writes the low `bits` of the result to Vd and zeroes the rest of the register (C1.2.5). */
export function commit(d: u32, bits: u32): void {
  let lo = load<u64>(TMP);
  const hi = bits == 128 ? load<u64>(TMP, 8) : 0;
  if (bits < 64) lo &= (<u64>1 << bits) - 1;
  set_v128(d, lo, hi);
}

// @ts-ignore: decorator
@inline export function ones(esize: u32): u64 { return esize >= 64 ? <u64>-1 : (<u64>1 << esize) - 1; }
// @ts-ignore: decorator
@inline export function sx(v: u64, esize: u32): i64 { return (<i64>v << (64 - esize)) >> (64 - esize); }
// @ts-ignore: decorator
@inline export function smax(esize: u32): i64 { return <i64>((<u64>1 << (esize - 1)) - 1); }
// @ts-ignore: decorator
@inline export function smin(esize: u32): i64 { return -smax(esize) - 1; }

// @ts-ignore: decorator
@inline export function saturated(): void { fpsr_raise(FPSR_QC); }

/** SignedSatQ for a value that fits i64 (J1.3.3): clamps to esize bits, setting FPSR.QC when it does. */
export function sat_s(v: i64, esize: u32): u64 {
  if (esize < 64) {
    if (v > smax(esize)) { saturated(); return <u64>smax(esize) & ones(esize); }
    if (v < smin(esize)) { saturated(); return <u64>smin(esize) & ones(esize); }
  }
  return <u64>v & ones(esize);
}

/** UnsignedSatQ of a signed value that fits i64. */
export function sat_u(v: i64, esize: u32): u64 {
  if (v < 0) { saturated(); return 0; }
  if (esize < 64 && v > <i64>ones(esize)) { saturated(); return ones(esize); }
  return <u64>v;
}

/** UnsignedSatQ of an unsigned value. */
export function sat_uu(v: u64, esize: u32): u64 {
  if (esize < 64 && v > ones(esize)) { saturated(); return ones(esize); }
  return v;
}

/** Saturating signed a + b (SQADD): a, b are esize-bit lanes. */
export function sqadd(a: u64, b: u64, esize: u32): u64 {
  if (esize < 64) return sat_s(sx(a, esize) + sx(b, esize), esize);
  const r = a + b;
  if ((<i64>((a ^ r) & (b ^ r))) < 0) { saturated(); return (<i64>a < 0) ? 0x8000000000000000 : 0x7fffffffffffffff; }
  return r;
}
export function sqsub(a: u64, b: u64, esize: u32): u64 {
  if (esize < 64) return sat_s(sx(a, esize) - sx(b, esize), esize);
  const r = a - b;
  if ((<i64>((a ^ b) & (a ^ r))) < 0) { saturated(); return (<i64>a < 0) ? 0x8000000000000000 : 0x7fffffffffffffff; }
  return r;
}
export function uqadd(a: u64, b: u64, esize: u32): u64 {
  const r = a + b;
  if (esize == 64 && r < a) { saturated(); return <u64>-1; }
  return sat_uu(r, esize);
}
export function uqsub(a: u64, b: u64, esize: u32): u64 {
  if (a < b) { saturated(); return 0; }
  return a - b;
}

/** SUQADD: the signed accumulator `d` plus the unsigned `n`, saturated to signed. */
export function suqadd(d: u64, n: u64, esize: u32): u64 {
  if (esize < 64) return sat_s(sx(d, esize) + <i64>n, esize);
  const r = d + n;
  if (<i64>d >= 0) {
    if (r < d || <i64>r < 0) { saturated(); return 0x7fffffffffffffff; } // above the signed maximum
    return r;
  }
  // d < 0: the sum is d + n with n up to 2^64 - 1; it overflows only above the signed maximum
  if (n >= (<u64>(-<i64>d)) && r > 0x7fffffffffffffff) { saturated(); return 0x7fffffffffffffff; }
  return r;
}

/** USQADD: the unsigned accumulator `d` plus the signed `n`, saturated to unsigned. */
export function usqadd(d: u64, n: u64, esize: u32): u64 {
  if (esize < 64) return sat_u(<i64>d + sx(n, esize), esize);
  if (<i64>n >= 0) {
    const r = d + n;
    if (r < d) { saturated(); return <u64>-1; }
    return r;
  }
  const m = <u64>(-<i64>n);
  if (d < m) { saturated(); return 0; }
  return d - m;
}

/**
 * A shift by a signed amount, as the register shifts (SSHL, SRSHL, SQSHL, SQRSHL and the unsigned forms,
 * C7.2) and the immediate ones define it: the value `a` (an esize-bit lane, sign-extended if `signed`)
 * shifted left for shift >= 0, right with an optional rounding constant otherwise, in infinite precision,
 * then truncated or saturated to esize bits.
 */
export function shift_lane(a: u64, shift: i32, esize: u32, signed: bool, round: bool, saturate: bool): u64 {
  if (shift < 0) {
    const n = <u32>(-shift);
    let r: u64;
    let bit: u64 = 0;
    if (signed) {
      const v = sx(a, esize);
      r = <u64>(v >> <i64>(n > 63 ? 63 : n));
      if (round) bit = n - 1 >= 63 ? (<u64>v >> 63) : (<u64>v >> <u64>(n - 1)) & 1;
    } else {
      r = n >= 64 ? 0 : a >> <u64>n;
      if (round) bit = n - 1 >= 64 ? 0 : (a >> <u64>(n - 1)) & 1;
    }
    return (r + bit) & ones(esize);
  }
  const n = <u32>shift;
  if (!saturate) return n >= esize ? 0 : (a << <u64>n) & ones(esize);
  if (a == 0) return 0;
  if (signed) {
    const v = sx(a, esize);
    if (n >= esize) { saturated(); return <u64>(v < 0 ? smin(esize) : smax(esize)) & ones(esize); }
    const r = v << <i64>n;
    if ((r >> <i64>n) != v) { saturated(); return <u64>(v < 0 ? smin(esize) : smax(esize)) & ones(esize); }
    return sat_s(r, esize);
  }
  if (n >= esize) { saturated(); return ones(esize); }
  const r = a << <u64>n;
  if ((r >> <u64>n) != a) { saturated(); return ones(esize); }
  return sat_uu(r, esize);
}

/** Signed lane `a` shifted left by n, saturated to unsigned (SQSHLU). */
export function sqshlu_lane(a: u64, n: u32, esize: u32): u64 {
  if (sx(a, esize) < 0) { saturated(); return 0; }
  return shift_lane(a, <i32>n, esize, false, false, true);
}

/** Count of leading zero bits of an esize-bit lane. */
// @ts-ignore: decorator
@inline export function clz_lane(a: u64, esize: u32): u64 { return <u64>(clz<u64>(a) - <u64>(64 - esize)); }

/** Polynomial (carry-less) multiply of two lanes of up to 32 bits (PMUL, PMULL): a 64-bit product. */
export function pmul(a: u64, b: u64, esize: u32): u64 {
  let r: u64 = 0;
  for (let i: u32 = 0; i < esize; i++) if (((b >> i) & 1) != 0) r ^= a << i;
  return r;
}

/**
 * SQDMULH/SQRDMULH lane (esize 16 or 32): the high half of 2*a*b, rounded if `round`, saturated (only
 * -2^(esize-1) squared overflows).
 */
export function sqdmulh_lane(a: u64, b: u64, esize: u32, round: bool): u64 {
  const sa = sx(a, esize), sb = sx(b, esize);
  if (sa == smin(esize) && sb == smin(esize)) { saturated(); return <u64>smax(esize); }
  const p = (sa * sb) << 1;
  const r = (p + (round ? <i64>1 << (esize - 1) : 0)) >> esize;
  return <u64>r & ones(esize);
}

/** SQDMULL lane: 2*a*b of esize-bit lanes as a 2*esize-bit lane, saturated. */
export function sqdmull_lane(a: u64, b: u64, esize: u32): u64 {
  const sa = sx(a, esize), sb = sx(b, esize);
  if (sa == smin(esize) && sb == smin(esize)) { saturated(); return <u64>smax(esize * 2) & ones(esize * 2); }
  return <u64>((sa * sb) << 1) & ones(esize * 2);
}

/** The element size, in bits, that a shift-by-immediate immh selects (its highest set bit). */
// @ts-ignore: decorator
@inline export function immh_esize(immh: u32): u32 { return 8 << (31 - clz<u32>(immh)); }

/**
 * RecipEstimate (J1.3.3.233) at 8-bit precision: a in [256, 511] is a fixed-point value in [0.5, 1.0);
 * the result in [256, 511] is its reciprocal in [1.0, 2.0), rounded to nearest.
 */
export function recip_estimate(a: u32): u32 {
  const b = (<u32>1 << 19) / (a * 2 + 1);
  return (b + 1) >> 1;
}

/**
 * RecipSqrtEstimate (J1.3.3.244) at 8-bit precision: a in [128, 511] is a fixed-point value in [0.25, 1.0);
 * the result in [256, 511] is its reciprocal square root, rounded to nearest.
 */
export function rsqrt_estimate(a: u32): u32 {
  // [128, 255]: promoted to units of 1/512; [256, 511]: bottom bit dropped, then rounded up to units of 1/256
  const v: u64 = a < 256 ? <u64>(a * 2 + 1) : <u64>((((a >> 1) << 1) + 1) * 2);
  let b: u64 = 512;
  while (v * (b + 1) * (b + 1) < (<u64>1 << 28)) b++;
  return <u32>((b + 1) >> 1);
}
