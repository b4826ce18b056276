// The cryptographic extensions (Arm ARM C7.2 AESE, AESD, AESMC, AESIMC, SHA1*, SHA256*; the helpers are the
// shared pseudocode of J1.3.3: AESSubBytes, AESShiftRows, AESMixColumns, SHA256hash, SHAchoose, SHAmajority,
// SHAparity). The S-boxes were computed from their definition (FIPS-197 5.1.1: inverse in GF(2^8), then the
// affine map), by a script, not copied.
import { fp_enabled, v_lo, v_hi, set_v128, lane32 } from "./vregs";
import { elem, put, commit } from "./simd";

const SBOX = memory.data<u8>([99, 124, 119, 123, 242, 107, 111, 197, 48, 1, 103, 43, 254, 215, 171, 118, 202, 130, 201, 125, 250, 89, 71, 240, 173, 212, 162, 175, 156, 164, 114, 192, 183, 253, 147, 38, 54, 63, 247, 204, 52, 165, 229, 241, 113, 216, 49, 21, 4, 199, 35, 195, 24, 150, 5, 154, 7, 18, 128, 226, 235, 39, 178, 117, 9, 131, 44, 26, 27, 110, 90, 160, 82, 59, 214, 179, 41, 227, 47, 132, 83, 209, 0, 237, 32, 252, 177, 91, 106, 203, 190, 57, 74, 76, 88, 207, 208, 239, 170, 251, 67, 77, 51, 133, 69, 249, 2, 127, 80, 60, 159, 168, 81, 163, 64, 143, 146, 157, 56, 245, 188, 182, 218, 33, 16, 255, 243, 210, 205, 12, 19, 236, 95, 151, 68, 23, 196, 167, 126, 61, 100, 93, 25, 115, 96, 129, 79, 220, 34, 42, 144, 136, 70, 238, 184, 20, 222, 94, 11, 219, 224, 50, 58, 10, 73, 6, 36, 92, 194, 211, 172, 98, 145, 149, 228, 121, 231, 200, 55, 109, 141, 213, 78, 169, 108, 86, 244, 234, 101, 122, 174, 8, 186, 120, 37, 46, 28, 166, 180, 198, 232, 221, 116, 31, 75, 189, 139, 138, 112, 62, 181, 102, 72, 3, 246, 14, 97, 53, 87, 185, 134, 193, 29, 158, 225, 248, 152, 17, 105, 217, 142, 148, 155, 30, 135, 233, 206, 85, 40, 223, 140, 161, 137, 13, 191, 230, 66, 104, 65, 153, 45, 15, 176, 84, 187, 22]);
const INV_SBOX = memory.data<u8>([82, 9, 106, 213, 48, 54, 165, 56, 191, 64, 163, 158, 129, 243, 215, 251, 124, 227, 57, 130, 155, 47, 255, 135, 52, 142, 67, 68, 196, 222, 233, 203, 84, 123, 148, 50, 166, 194, 35, 61, 238, 76, 149, 11, 66, 250, 195, 78, 8, 46, 161, 102, 40, 217, 36, 178, 118, 91, 162, 73, 109, 139, 209, 37, 114, 248, 246, 100, 134, 104, 152, 22, 212, 164, 92, 204, 93, 101, 182, 146, 108, 112, 72, 80, 253, 237, 185, 218, 94, 21, 70, 87, 167, 141, 157, 132, 144, 216, 171, 0, 140, 188, 211, 10, 247, 228, 88, 5, 184, 179, 69, 6, 208, 44, 30, 143, 202, 63, 15, 2, 193, 175, 189, 3, 1, 19, 138, 107, 58, 145, 17, 65, 79, 103, 220, 234, 151, 242, 207, 206, 240, 180, 230, 115, 150, 172, 116, 34, 231, 173, 53, 133, 226, 249, 55, 232, 28, 117, 223, 110, 71, 241, 26, 113, 29, 41, 197, 137, 111, 183, 98, 14, 170, 24, 190, 27, 252, 86, 62, 75, 198, 210, 121, 32, 154, 219, 192, 254, 120, 205, 90, 244, 31, 221, 168, 51, 136, 7, 199, 49, 177, 18, 16, 89, 39, 128, 236, 95, 96, 81, 127, 169, 25, 181, 74, 13, 45, 229, 122, 159, 147, 201, 156, 239, 160, 224, 59, 77, 174, 42, 245, 176, 200, 235, 187, 60, 131, 83, 153, 97, 23, 43, 4, 126, 186, 119, 214, 38, 225, 105, 20, 99, 85, 33, 12, 125]);

/** Multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
// @ts-ignore: decorator
@inline function xtime(b: u32): u32 { return ((b << 1) ^ ((b >> 7) * 0x1b)) & 0xff; }
function gf_mul(a: u32, b: u32): u32 {
  let r: u32 = 0;
  for (let i = 0; i < 8; i++) {
    if ((b & 1) != 0) r ^= a;
    a = xtime(a);
    b >>= 1;
  }
  return r;
}

/** AESE/AESD: AddRoundKey (Vd XOR Vn), then (Inv)ShiftRows and (Inv)SubBytes. Byte i is row i%4, column i/4. */
function aes_round(decrypt: bool, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const lo = v_lo(rd) ^ v_lo(rn), hi = v_hi(rd) ^ v_hi(rn);
  const box = decrypt ? INV_SBOX : SBOX;
  for (let c: u32 = 0; c < 4; c++) {
    for (let r: u32 = 0; r < 4; r++) {
      // ShiftRows moves row r left by r columns; the inverse moves it right
      const from = r + 4 * ((decrypt ? c + 4 - r : c + r) & 3);
      const b = <u32>((from < 8 ? lo >> (<u64>from * 8) : hi >> (<u64>(from - 8) * 8)) & 0xff);
      put(r + 4 * c, 8, <u64>load<u8>(box + b));
    }
  }
  commit(rd, 128);
}

/** AESMC/AESIMC: each column multiplied by the MixColumns matrix (2 3 1 1) or its inverse (14 11 13 9). */
function mix_columns(inverse: bool, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const m0: u32 = inverse ? 14 : 2, m1: u32 = inverse ? 11 : 3, m2: u32 = inverse ? 13 : 1, m3: u32 = inverse ? 9 : 1;
  for (let c: u32 = 0; c < 4; c++) {
    const a0 = <u32>elem(rn, 4 * c, 8), a1 = <u32>elem(rn, 4 * c + 1, 8);
    const a2 = <u32>elem(rn, 4 * c + 2, 8), a3 = <u32>elem(rn, 4 * c + 3, 8);
    put(4 * c, 8, gf_mul(a0, m0) ^ gf_mul(a1, m1) ^ gf_mul(a2, m2) ^ gf_mul(a3, m3));
    put(4 * c + 1, 8, gf_mul(a0, m3) ^ gf_mul(a1, m0) ^ gf_mul(a2, m1) ^ gf_mul(a3, m2));
    put(4 * c + 2, 8, gf_mul(a0, m2) ^ gf_mul(a1, m3) ^ gf_mul(a2, m0) ^ gf_mul(a3, m1));
    put(4 * c + 3, 8, gf_mul(a0, m1) ^ gf_mul(a1, m2) ^ gf_mul(a2, m3) ^ gf_mul(a3, m0));
  }
  commit(rd, 128);
}

export function exec_AESE(rn: u32, rd: u32): void { aes_round(false, rn, rd); }
export function exec_AESD(rn: u32, rd: u32): void { aes_round(true, rn, rd); }
export function exec_AESMC(rn: u32, rd: u32): void { mix_columns(false, rn, rd); }
export function exec_AESIMC(rn: u32, rd: u32): void { mix_columns(true, rn, rd); }

// @ts-ignore: decorator
@inline function ror(v: u32, n: u32): u32 { return rotr<u32>(v, n); }

const CHOOSE = 0, PARITY = 1, MAJORITY = 2;
/** SHA1C/SHA1P/SHA1M: four rounds on the hash state X (Vd), E (Sn) with the schedule words in Vm. */
function sha1_rounds(f: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  let x0 = lane32(rd, 0), x1 = lane32(rd, 1), x2 = lane32(rd, 2), x3 = lane32(rd, 3);
  let y = lane32(rn, 0);
  for (let e: u32 = 0; e < 4; e++) {
    let t: u32;
    if (f == CHOOSE) t = (x1 & x2) | (~x1 & x3);
    else if (f == PARITY) t = x1 ^ x2 ^ x3;
    else t = (x1 & x2) | ((x1 | x2) & x3);
    y = y + rotl<u32>(x0, 5) + t + lane32(rm, e);
    x1 = rotl<u32>(x1, 30);
    // <Y, X> = ROL(Y : X, 32)
    const top = x3;
    x3 = x2; x2 = x1; x1 = x0; x0 = y;
    y = top;
  }
  set_v128(rd, (<u64>x1 << 32) | x0, (<u64>x3 << 32) | x2);
}
export function exec_SHA1C(rm: u32, rn: u32, rd: u32): void { sha1_rounds(CHOOSE, rm, rn, rd); }
export function exec_SHA1P(rm: u32, rn: u32, rd: u32): void { sha1_rounds(PARITY, rm, rn, rd); }
export function exec_SHA1M(rm: u32, rn: u32, rd: u32): void { sha1_rounds(MAJORITY, rm, rn, rd); }
export function exec_SHA1H(rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  set_v128(rd, <u64>rotl<u32>(lane32(rn, 0), 30), 0);
}
/** SHA1SU0: (Vn<63:0> : Vd<127:64>) XOR Vd XOR Vm. */
export function exec_SHA1SU0(rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  set_v128(rd, v_hi(rd) ^ v_lo(rd) ^ v_lo(rm), v_lo(rn) ^ v_hi(rd) ^ v_hi(rm));
}
/** SHA1SU1: T = Vd XOR (Vn >> 32); each word rotated left by 1, the top one also XORed with T<31:0> ROL 2. */
export function exec_SHA1SU1(rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const t0 = lane32(rd, 0) ^ lane32(rn, 1), t1 = lane32(rd, 1) ^ lane32(rn, 2);
  const t2 = lane32(rd, 2) ^ lane32(rn, 3), t3 = lane32(rd, 3);
  const r0 = rotl<u32>(t0, 1);
  set_v128(rd, (<u64>rotl<u32>(t1, 1) << 32) | r0, (<u64>(rotl<u32>(t3, 1) ^ rotl<u32>(t0, 2)) << 32) | rotl<u32>(t2, 1));
}

/** SHA256hash (J1.3.3): four rounds; X holds a..d, Y e..h; returns X for SHA256H (part1), Y for SHA256H2. */
function sha256_rounds(part1: bool, rx: u32, ry: u32, rm: u32, rd: u32): void {
  if (!fp_enabled()) return;
  let x0 = lane32(rx, 0), x1 = lane32(rx, 1), x2 = lane32(rx, 2), x3 = lane32(rx, 3);
  let y0 = lane32(ry, 0), y1 = lane32(ry, 1), y2 = lane32(ry, 2), y3 = lane32(ry, 3);
  for (let e: u32 = 0; e < 4; e++) {
    const chs = (y0 & y1) | (~y0 & y2);
    const maj = (x0 & x1) | ((x0 | x1) & x2);
    const t = y3 + (ror(y0, 6) ^ ror(y0, 11) ^ ror(y0, 25)) + chs + lane32(rm, e);
    x3 = t + x3;
    y3 = t + (ror(x0, 2) ^ ror(x0, 13) ^ ror(x0, 22)) + maj;
    // <Y, X> = ROL(Y : X, 32)
    const xtop = x3, ytop = y3;
    x3 = x2; x2 = x1; x1 = x0; x0 = ytop;
    y3 = y2; y2 = y1; y1 = y0; y0 = xtop;
  }
  if (part1) set_v128(rd, (<u64>x1 << 32) | x0, (<u64>x3 << 32) | x2);
  else set_v128(rd, (<u64>y1 << 32) | y0, (<u64>y3 << 32) | y2);
}
export function exec_SHA256H(rm: u32, rn: u32, rd: u32): void { sha256_rounds(true, rd, rn, rm, rd); }
export function exec_SHA256H2(rm: u32, rn: u32, rd: u32): void { sha256_rounds(false, rn, rd, rm, rd); }

// @ts-ignore: decorator
@inline function sigma0(v: u32): u32 { return ror(v, 7) ^ ror(v, 18) ^ (v >> 3); }
// @ts-ignore: decorator
@inline function sigma1(v: u32): u32 { return ror(v, 17) ^ ror(v, 19) ^ (v >> 10); }

/** SHA256SU0: T = Vn<31:0> : Vd<127:32>; each word sigma0(T<e>) + Vd<e>. */
export function exec_SHA256SU0(rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const d0 = lane32(rd, 0), d1 = lane32(rd, 1), d2 = lane32(rd, 2), d3 = lane32(rd, 3);
  const n0 = lane32(rn, 0);
  const r0 = sigma0(d1) + d0, r1 = sigma0(d2) + d1, r2 = sigma0(d3) + d2, r3 = sigma0(n0) + d3;
  set_v128(rd, (<u64>r1 << 32) | r0, (<u64>r3 << 32) | r2);
}
/** SHA256SU1: T0 = Vm<31:0> : Vn<127:32>; words 0-1 from Vm<127:64>, words 2-3 from the new words 0-1. */
export function exec_SHA256SU1(rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const t0 = lane32(rn, 1), t1 = lane32(rn, 2), t2 = lane32(rn, 3), t3 = lane32(rm, 0);
  const r0 = sigma1(lane32(rm, 2)) + lane32(rd, 0) + t0;
  const r1 = sigma1(lane32(rm, 3)) + lane32(rd, 1) + t1;
  const r2 = sigma1(r0) + lane32(rd, 2) + t2;
  const r3 = sigma1(r1) + lane32(rd, 3) + t3;
  set_v128(rd, (<u64>r1 << 32) | r0, (<u64>r3 << 32) | r2);
}
