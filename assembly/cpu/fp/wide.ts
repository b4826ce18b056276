// 128-bit unsigned arithmetic for the exact intermediate results of FPMul and FPMulAdd: values travel as
// (hi, lo) pairs, and results land in w_hi/w_lo.
export let w_hi: u64 = 0;
export let w_lo: u64 = 0;

/** The full 128-bit product a * b. */
export function mul128(a: u64, b: u64): void {
  const a0 = a & 0xffffffff, a1 = a >> 32, b0 = b & 0xffffffff, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  w_lo = (mid << 32) | (p00 & 0xffffffff);
  w_hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

// @ts-ignore: decorator
@inline export function clz128(hi: u64, lo: u64): i32 { return hi != 0 ? <i32>clz(hi) : 64 + <i32>clz(lo); }

export function shl128(hi: u64, lo: u64, n: i32): void {
  if (n == 0) { w_hi = hi; w_lo = lo; }
  else if (n >= 128) { w_hi = 0; w_lo = 0; }
  else if (n >= 64) { w_hi = lo << <u64>(n - 64); w_lo = 0; }
  else { w_hi = (hi << <u64>n) | (lo >> <u64>(64 - n)); w_lo = lo << <u64>n; }
}

/** A right shift that jams the bits shifted out into bit 0 (sticky). */
export function shr128_jam(hi: u64, lo: u64, n: i32): void {
  if (n == 0) { w_hi = hi; w_lo = lo; return; }
  if (n >= 127) { w_hi = 0; w_lo = (hi | lo) != 0 ? 1 : 0; return; }
  let lost: bool;
  if (n >= 64) {
    const k = n - 64;
    lost = lo != 0 || (k > 0 && (hi << <u64>(64 - k)) != 0);
    w_lo = k == 0 ? hi : hi >> <u64>k;
    w_hi = 0;
  } else {
    lost = (lo << <u64>(64 - n)) != 0;
    w_lo = (lo >> <u64>n) | (hi << <u64>(64 - n));
    w_hi = hi >> <u64>n;
  }
  if (lost) w_lo |= 1;
}

// The exponent adjustment of the last compress128: the 64-bit result times 2^compress_shift is the value
export let compress_shift: i32 = 0;

/** The top 64 significant bits of a nonzero (hi, lo), the rest jammed into bit 0. */
export function compress128(hi: u64, lo: u64): u64 {
  if (hi == 0) { compress_shift = 0; return lo; }
  const lz = <i32>clz(hi);
  shl128(hi, lo, lz);
  compress_shift = 64 - lz;
  return w_hi | (w_lo != 0 ? 1 : 0);
}
