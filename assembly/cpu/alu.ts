// Operand helpers shared by the integer data-processing handlers: the Arm ARM's shared pseudocode
// (ShiftReg, ExtendReg, AddWithCarry, DecodeBitMasks) on 32-bit and 64-bit values.
import { set_nzcv, flags_add64, flags_add32 } from "./regs";

// Shift types of the shifted-register forms (DecodeShift)
export const SHIFT_LSL: u32 = 0;
export const SHIFT_LSR: u32 = 1;
export const SHIFT_ASR: u32 = 2;
export const SHIFT_ROR: u32 = 3;

/** ShiftReg on 64 bits: `amount` is below 64 (imm6). */
// @ts-ignore: decorator
@inline export function shift64(v: u64, type: u32, amount: u32): u64 {
  const a = <u64>amount;
  switch (type) {
    case SHIFT_LSL: return v << a;
    case SHIFT_LSR: return v >>> a;
    case SHIFT_ASR: return <u64>(<i64>v >> a);
    default: return rotr<u64>(v, a);
  }
}

/** ShiftReg on 32 bits: `amount` is below 32 (the decoder rejects imm6<5> = 1). */
// @ts-ignore: decorator
@inline export function shift32(v: u32, type: u32, amount: u32): u32 {
  switch (type) {
    case SHIFT_LSL: return v << amount;
    case SHIFT_LSR: return v >>> amount;
    case SHIFT_ASR: return <u32>(<i32>v >> amount);
    default: return rotr<u32>(v, amount);
  }
}

/**
 * ExtendReg: the low byte, halfword, word or doubleword of `v`, zero- (option<2> = 0) or sign-extended,
 * then shifted left by `shift` (0-4). Computed on 64 bits: the 32-bit forms use the low word, which is
 * what ExtendReg gives for N = 32.
 */
// @ts-ignore: decorator
@inline export function extend_reg(v: u64, option: u32, shift: u32): u64 {
  let e: u64;
  switch (option) {
    case 0: e = v & 0xff; break; // UXTB
    case 1: e = v & 0xffff; break; // UXTH
    case 2: e = v & 0xffffffff; break; // UXTW
    case 4: e = <u64>(<i64>(<i8>v)); break; // SXTB
    case 5: e = <u64>(<i64>(<i16>v)); break; // SXTH
    case 6: e = <u64>(<i64>(<i32>v)); break; // SXTW
    default: e = v; // UXTX, SXTX
  }
  return e << <u64>shift;
}

/** AddWithCarry on 64 bits; sets NZCV from it when `setflags`. */
// @ts-ignore: decorator
@inline export function add_carry64(a: u64, b: u64, carry: u64, setflags: bool): u64 {
  const r = a + b + carry;
  if (setflags) set_nzcv(flags_add64(a, b, carry, r));
  return r;
}

/** AddWithCarry on 32 bits; sets NZCV from it when `setflags`. */
// @ts-ignore: decorator
@inline export function add_carry32(a: u32, b: u32, carry: u32, setflags: bool): u32 {
  const r = a + b + carry;
  if (setflags) set_nzcv(flags_add32(a, b, carry, r));
  return r;
}

/** Ones(n) in the low bits of a doubleword, 1 <= n <= 64. */
// @ts-ignore: decorator
@inline export function ones64(n: u32): u64 { return (~<u64>0) >>> <u64>(64 - n); }
/** Ones(n) in the low bits of a word, 1 <= n <= 32. */
// @ts-ignore: decorator
@inline export function ones32(n: u32): u32 { return (~<u32>0) >>> (32 - n); }

/**
 * DecodeBitMasks(N, imms, immr, immediate = TRUE) for the logical-immediate forms, replicated to 64 bits
 * (a 32-bit form uses the low word: its element is at most 32 bits). The decoder has rejected the reserved
 * encodings, so the element size is 2 to 64 bits and the element is not all ones.
 */
export function logical_imm(n: u32, immr: u32, imms: u32): u64 {
  const len = 31 - clz<u32>((n << 6) | (~imms & 0x3f)); // HighestSetBit(N:NOT(imms))
  const esize = <u32>1 << len;
  const levels = esize - 1;
  const s = imms & levels;
  const r = immr & levels;
  let elem = ones64(s + 1);
  // ROR(welem, R) within the element
  if (r != 0) elem = ((elem >>> <u64>r) | (elem << <u64>(esize - r))) & ones64(esize);
  // Replicate the element across 64 bits
  for (let size = esize; size < 64; size <<= 1) elem |= elem << <u64>size;
  return elem;
}

/** The high doubleword of the unsigned 128-bit product a * b. */
// @ts-ignore: decorator
@inline export function umulh(a: u64, b: u64): u64 {
  const al = a & 0xffffffff, ah = a >>> 32;
  const bl = b & 0xffffffff, bh = b >>> 32;
  const ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  const mid = (ll >>> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  return hh + (lh >>> 32) + (hl >>> 32) + (mid >>> 32);
}

/** The high doubleword of the signed 128-bit product a * b (from the unsigned one, two's complement). */
// @ts-ignore: decorator
@inline export function smulh(a: u64, b: u64): u64 {
  let h = umulh(a, b);
  if (<i64>a < 0) h -= b;
  if (<i64>b < 0) h -= a;
  return h;
}
