// Advanced SIMD copy (Arm ARM C4.1.95.7, C4.1.95.10), modified immediate (C4.1.95.19), permute
// (C4.1.95.6), extract (C4.1.95.4) and table lookup (C4.1.95.5): instructions that move lanes around.
import { fp_enabled, v_lo, v_hi, set_v128 } from "./vregs";
import { x, set_x, set_w } from "./regs";
import { elem, put, got, commit, start_from, sx, ones } from "./simd";

/** imm5's lowest set bit gives the element size (0 B .. 3 D); the bits above it the index. */
// @ts-ignore: decorator
@inline function imm5_size(imm5: u32): u32 { return ctz<u32>(imm5); }
// @ts-ignore: decorator
@inline function imm5_index(imm5: u32): u32 { return imm5 >> (ctz<u32>(imm5) + 1); }

function dup(Q: u32, esize: u32, v: u64, rd: u32): void {
  const bits: u32 = Q != 0 ? 128 : 64;
  for (let i: u32 = 0; i < bits / esize; i++) put(i, esize, v);
  commit(rd, bits);
}
export function exec_DUP_ve(Q: u32, imm5: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << imm5_size(imm5);
  dup(Q, esize, elem(rn, imm5_index(imm5), esize), rd);
}
export function exec_DUP_vg(Q: u32, imm5: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << imm5_size(imm5);
  dup(Q, esize, x(rn) & ones(esize), rd);
}
export function exec_DUP_se(imm5: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << imm5_size(imm5);
  put(0, esize, elem(rn, imm5_index(imm5), esize));
  commit(rd, esize);
}
export function exec_SMOV_w(imm5: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << imm5_size(imm5);
  set_w(rd, <u32>sx(elem(rn, imm5_index(imm5), esize), esize));
}
export function exec_SMOV_x(imm5: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << imm5_size(imm5);
  set_x(rd, <u64>sx(elem(rn, imm5_index(imm5), esize), esize));
}
export function exec_UMOV_w(imm5: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  set_w(rd, <u32>elem(rn, imm5_index(imm5), 8 << imm5_size(imm5)));
}
export function exec_UMOV_x(index: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  set_x(rd, elem(rn, index, 64));
}
export function exec_INS_g(imm5: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  start_from(rd);
  put(imm5_index(imm5), 8 << imm5_size(imm5), x(rn));
  commit(rd, 128);
}
export function exec_INS_e(imm5: u32, imm4: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const size = imm5_size(imm5);
  const v = elem(rn, imm4 >> size, 8 << size);
  start_from(rd);
  put(imm5_index(imm5), 8 << size, v);
  commit(rd, 128);
}

/** AdvSIMDExpandImm (J1.3.3): the 64-bit pattern that op, cmode and imm8 describe. */
function expand_imm(op: u32, cmode: u32, imm8: u32): u64 {
  const b = <u64>imm8;
  switch (cmode >> 1) {
    case 0: return b * 0x0000000100000001;
    case 1: return (b << 8) * 0x0000000100000001;
    case 2: return (b << 16) * 0x0000000100000001;
    case 3: return (b << 24) * 0x0000000100000001;
    case 4: return b * 0x0001000100010001;
    case 5: return (b << 8) * 0x0001000100010001;
    case 6: return ((cmode & 1) == 0 ? (b << 8) | 0xff : (b << 16) | 0xffff) * 0x0000000100000001;
  }
  if ((cmode & 1) == 0) {
    if (op == 0) return b * 0x0101010101010101;
    let r: u64 = 0; // each bit of imm8 becomes a byte of ones or zeros
    for (let i: u64 = 0; i < 8; i++) if (((b >> i) & 1) != 0) r |= <u64>0xff << (i * 8);
    return r;
  }
  return op == 0 ? fp32_imm(imm8) * 0x0000000100000001 : fp64_imm(imm8);
}
/** VFPExpandImm for single precision: a:NOT(b):Replicate(b,5):cdefgh:Zeros(19). */
function fp32_imm(imm8: u32): u64 {
  const a = (imm8 >> 7) & 1, b = (imm8 >> 6) & 1;
  return <u64>((a << 31) | ((b ^ 1) << 30) | (b != 0 ? 0x3e000000 : 0) | ((imm8 & 0x3f) << 19));
}
/** VFPExpandImm for double precision: a:NOT(b):Replicate(b,8):cdefgh:Zeros(48). */
function fp64_imm(imm8: u32): u64 {
  const a = <u64>((imm8 >> 7) & 1), b = <u64>((imm8 >> 6) & 1);
  return (a << 63) | ((b ^ 1) << 62) | (b != 0 ? 0x3fc0000000000000 : 0) | (<u64>(imm8 & 0x3f) << 48);
}

const MOVI = 0, MVNI = 1, ORR = 2, BIC = 3;
function mod_imm(operation: u32, Q: u32, op: u32, cmode: u32, abc: u32, defgh: u32, rd: u32): void {
  if (!fp_enabled()) return;
  let imm = expand_imm(op, cmode, (abc << 5) | defgh);
  let lo = imm, hi = imm;
  if (operation == MVNI) { lo = ~imm; hi = ~imm; }
  else if (operation == ORR) { lo = v_lo(rd) | imm; hi = v_hi(rd) | imm; }
  else if (operation == BIC) { lo = v_lo(rd) & ~imm; hi = v_hi(rd) & ~imm; }
  set_v128(rd, lo, Q != 0 ? hi : 0);
}
export function exec_MOVI_vi(Q: u32, abc: u32, cmode: u32, defgh: u32, rd: u32): void { mod_imm(MOVI, Q, 0, cmode, abc, defgh, rd); }
export function exec_MVNI_vi(Q: u32, abc: u32, cmode: u32, defgh: u32, rd: u32): void { mod_imm(MVNI, Q, 1, cmode, abc, defgh, rd); }
export function exec_ORR_vi(Q: u32, abc: u32, cmode: u32, defgh: u32, rd: u32): void { mod_imm(ORR, Q, 0, cmode, abc, defgh, rd); }
export function exec_BIC_vi(Q: u32, abc: u32, cmode: u32, defgh: u32, rd: u32): void { mod_imm(BIC, Q, 1, cmode, abc, defgh, rd); }
export function exec_MOVI_d(Q: u32, abc: u32, defgh: u32, rd: u32): void { mod_imm(MOVI, Q, 1, 14, abc, defgh, rd); }
export function exec_FMOV_vs(Q: u32, abc: u32, defgh: u32, rd: u32): void { mod_imm(MOVI, Q, 0, 15, abc, defgh, rd); }
export function exec_FMOV_vd(abc: u32, defgh: u32, rd: u32): void { mod_imm(MOVI, 1, 1, 15, abc, defgh, rd); }

/** UZP, TRN, ZIP (C7.2): `part` selects the even/lower (0) or odd/upper (1) elements. */
const UZP = 0, TRN = 1, ZIP = 2;
function permute(kind: u32, part: u32, Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize: u32 = 8 << size;
  const bits: u32 = Q != 0 ? 128 : 64;
  const n = bits / esize;
  const pairs = n >> 1;
  for (let p: u32 = 0; p < pairs; p++) {
    if (kind == UZP) {
      put(p, esize, elem(rn, 2 * p + part, esize));
      put(pairs + p, esize, elem(rm, 2 * p + part, esize));
    } else if (kind == TRN) {
      put(2 * p, esize, elem(rn, 2 * p + part, esize));
      put(2 * p + 1, esize, elem(rm, 2 * p + part, esize));
    } else {
      put(2 * p, esize, elem(rn, part * pairs + p, esize));
      put(2 * p + 1, esize, elem(rm, part * pairs + p, esize));
    }
  }
  commit(rd, bits);
}
export function exec_UZP1_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { permute(UZP, 0, Q, size, rm, rn, rd); }
export function exec_UZP2_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { permute(UZP, 1, Q, size, rm, rn, rd); }
export function exec_TRN1_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { permute(TRN, 0, Q, size, rm, rn, rd); }
export function exec_TRN2_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { permute(TRN, 1, Q, size, rm, rn, rd); }
export function exec_ZIP1_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { permute(ZIP, 0, Q, size, rm, rn, rd); }
export function exec_ZIP2_v(Q: u32, size: u32, rm: u32, rn: u32, rd: u32): void { permute(ZIP, 1, Q, size, rm, rn, rd); }

/** EXT: bytes imm4 upwards of the concatenation Vm:Vn. */
export function exec_EXT_v(Q: u32, rm: u32, imm4: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const nbytes: u32 = Q != 0 ? 16 : 8;
  for (let i: u32 = 0; i < nbytes; i++) {
    const j = i + imm4;
    put(i, 8, j < nbytes ? elem(rn, j, 8) : elem(rm, j - nbytes, 8));
  }
  commit(rd, nbytes * 8);
}

/** TBL/TBX: each index byte of Vm picks a byte of the table Vn..Vn+len (wrapping at V31); out of range
 * gives 0 (TBL) or leaves Vd's byte (TBX). */
function table_lookup(keep: bool, Q: u32, rm: u32, len: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const nbytes: u32 = Q != 0 ? 16 : 8;
  const limit: u32 = (len + 1) * 16;
  if (keep) start_from(rd);
  for (let i: u32 = 0; i < nbytes; i++) {
    const index = <u32>elem(rm, i, 8);
    if (index < limit) put(i, 8, elem((rn + (index >> 4)) & 31, index & 15, 8));
    else put(i, 8, keep ? got(i, 8) : 0);
  }
  commit(rd, nbytes * 8);
}
export function exec_TBL_v(Q: u32, rm: u32, len: u32, rn: u32, rd: u32): void { table_lookup(false, Q, rm, len, rn, rd); }
export function exec_TBX_v(Q: u32, rm: u32, len: u32, rn: u32, rd: u32): void { table_lookup(true, Q, rm, len, rn, rd); }
