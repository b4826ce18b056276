// Bit and byte reversal, leading-bit counts and CRC32 (Arm ARM C6.2: RBIT, REV16, REV32, REV, CLZ, CLS,
// CRC32B/H/W/X, CRC32CB/H/W/X). Register 31 is XZR throughout.
import { x, w, set_x, set_w } from "./regs";

// @ts-ignore: decorator
@inline function rbit64(v: u64): u64 {
  v = ((v >>> 1) & 0x5555555555555555) | ((v & 0x5555555555555555) << 1);
  v = ((v >>> 2) & 0x3333333333333333) | ((v & 0x3333333333333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f0f0f0f0f) | ((v & 0x0f0f0f0f0f0f0f0f) << 4);
  return bswap<u64>(v);
}
// @ts-ignore: decorator
@inline function rbit32(v: u32): u32 {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  return bswap<u32>(v);
}

// @ts-ignore: decorator
@inline export function exec_RBIT(sf: u32, rn: u32, rd: u32): void {
  if (sf != 0) set_x(rd, rbit64(x(rn)));
  else set_w(rd, rbit32(w(rn)));
}
// @ts-ignore: decorator
@inline export function exec_REV16(sf: u32, rn: u32, rd: u32): void {
  if (sf != 0) {
    const v = x(rn);
    set_x(rd, ((v >>> 8) & 0x00ff00ff00ff00ff) | ((v & 0x00ff00ff00ff00ff) << 8));
  } else {
    const v = w(rn);
    set_w(rd, ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8));
  }
}
/** REV of a word (sf = 0, opc = 10). */
// @ts-ignore: decorator
@inline export function exec_REV_32(rn: u32, rd: u32): void {
  set_w(rd, bswap<u32>(w(rn)));
}
/** REV32: the bytes of each word of a doubleword reversed (sf = 1, opc = 10). */
// @ts-ignore: decorator
@inline export function exec_REV32(rn: u32, rd: u32): void {
  set_x(rd, rotr<u64>(bswap<u64>(x(rn)), 32));
}
/** REV of a doubleword (sf = 1, opc = 11). */
// @ts-ignore: decorator
@inline export function exec_REV_64(rn: u32, rd: u32): void {
  set_x(rd, bswap<u64>(x(rn)));
}

// @ts-ignore: decorator
@inline export function exec_CLZ(sf: u32, rn: u32, rd: u32): void {
  if (sf != 0) set_x(rd, clz<u64>(x(rn)));
  else set_w(rd, clz<u32>(w(rn)));
}
/** CountLeadingSignBits: the leading zeros of x<N-1:1> EOR x<N-2:0>, counted here as x EOR (x ASR 1), less one. */
// @ts-ignore: decorator
@inline export function exec_CLS(sf: u32, rn: u32, rd: u32): void {
  if (sf != 0) {
    const v = x(rn);
    set_x(rd, clz<u64>(v ^ <u64>(<i64>v >> 1)) - 1);
  } else {
    const v = w(rn);
    set_w(rd, clz<u32>(v ^ <u32>(<i32>v >> 1)) - 1);
  }
}

// ---- CRC32 ----

// The polynomials bit-reversed: BitReverse(Poly32Mod2(...)) over bit-reversed operands is the reflected
// CRC update, one input bit at a time from the least significant, with no inversion before or after.
const CRC32_POLY: u32 = 0xedb88320; // 0x04C11DB7 reflected
const CRC32C_POLY: u32 = 0x82f63b78; // 0x1EDC6F41 reflected

/** The byte-at-a-time table of the reflected update for `poly`: entry b is eight bit steps from b. */
function crc_table(poly: u32): StaticArray<u32> {
  const t = new StaticArray<u32>(256);
  for (let b: u32 = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (poly & (0 - (c & 1)));
    t[b] = c;
  }
  return t;
}
const CRC32_TABLE = crc_table(CRC32_POLY);
const CRC32C_TABLE = crc_table(CRC32C_POLY);

function crc32(acc: u32, val: u64, bytes: u32, poly: u32): u32 {
  const table = poly == CRC32_POLY ? CRC32_TABLE : CRC32C_TABLE;
  let crc = acc;
  for (let i: u32 = 0; i < bytes; i++) {
    crc = (crc >>> 8) ^ unchecked(table[(crc ^ <u32>(val >>> (<u64>i << 3))) & 0xff]);
  }
  return crc;
}

// @ts-ignore: decorator
@inline export function exec_CRC32B(rm: u32, rn: u32, rd: u32): void { set_w(rd, crc32(w(rn), x(rm), 1, CRC32_POLY)); }
// @ts-ignore: decorator
@inline export function exec_CRC32H(rm: u32, rn: u32, rd: u32): void { set_w(rd, crc32(w(rn), x(rm), 2, CRC32_POLY)); }
// @ts-ignore: decorator
@inline export function exec_CRC32W(rm: u32, rn: u32, rd: u32): void { set_w(rd, crc32(w(rn), x(rm), 4, CRC32_POLY)); }
// @ts-ignore: decorator
@inline export function exec_CRC32X(rm: u32, rn: u32, rd: u32): void { set_w(rd, crc32(w(rn), x(rm), 8, CRC32_POLY)); }
// @ts-ignore: decorator
@inline export function exec_CRC32CB(rm: u32, rn: u32, rd: u32): void { set_w(rd, crc32(w(rn), x(rm), 1, CRC32C_POLY)); }
// @ts-ignore: decorator
@inline export function exec_CRC32CH(rm: u32, rn: u32, rd: u32): void { set_w(rd, crc32(w(rn), x(rm), 2, CRC32C_POLY)); }
// @ts-ignore: decorator
@inline export function exec_CRC32CW(rm: u32, rn: u32, rd: u32): void { set_w(rd, crc32(w(rn), x(rm), 4, CRC32C_POLY)); }
// @ts-ignore: decorator
@inline export function exec_CRC32CX(rm: u32, rn: u32, rd: u32): void { set_w(rd, crc32(w(rn), x(rm), 8, CRC32C_POLY)); }
