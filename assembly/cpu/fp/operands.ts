// Scalar FP operands: the element size an ftype/opc field names, and reads and writes of Sn/Dn/Hn as raw bits.
import { v_s, v_lo, v_h, set_v16, set_v32, set_v64 } from "../vregs";

/** The size in bits of ftype 00 (single), 01 (double) or 11 (half); FCVT's opc uses the same encoding. */
// @ts-ignore: decorator
@inline export function fp_size(ftype: u32): u32 { return ftype == 0 ? 32 : ftype == 1 ? 64 : 16; }

// @ts-ignore: decorator
@inline export function fp_read(n: u32, N: u32): u64 {
  return N == 64 ? v_lo(n) : N == 32 ? <u64>v_s(n) : <u64>v_h(n);
}
/** Writes the low N bits of Vd and zeroes the rest (C1.2.5). */
// @ts-ignore: decorator
@inline export function fp_write(d: u32, N: u32, v: u64): void {
  if (N == 64) set_v64(d, v);
  else if (N == 32) set_v32(d, <u32>v);
  else set_v16(d, <u32>v);
}
