// Bitfield moves, extract and variable shifts (Arm ARM C6.2: SBFM, BFM, UBFM, EXTR, LSLV, LSRV, ASRV,
// RORV). The shift and extend aliases (LSL/LSR/ASR immediate, SXTB, UBFX, BFI, ROR immediate, ...) are
// these instructions. Register 31 is XZR throughout.
import { x, w, set_x, set_w } from "./regs";
import { ones64, ones32 } from "./alu";

// Bitfield move. For these forms DecodeBitMasks(immediate = FALSE) has an element of the whole datasize,
// so wmask = ROR(Ones(S+1), R) and tmask = Ones(((S-R) MOD datasize) + 1); `inzero` starts from zero rather
// than the destination, `extend` fills the top with src<S> rather than the destination's bits.

// @ts-ignore: decorator
@inline function bitfield64(d: u32, src: u64, r: u32, s: u32, inzero: bool, extend: bool): u64 {
  const wmask = rotr<u64>(ones64(s + 1), <u64>r);
  const tmask = ones64(((s - r) & 63) + 1);
  const dst: u64 = inzero ? 0 : x(d);
  const bot = (dst & ~wmask) | (rotr<u64>(src, <u64>r) & wmask);
  const top: u64 = extend ? (((src >>> <u64>s) & 1) != 0 ? ~<u64>0 : 0) : dst;
  return (top & ~tmask) | (bot & tmask);
}

// @ts-ignore: decorator
@inline function bitfield32(d: u32, src: u32, r: u32, s: u32, inzero: bool, extend: bool): u32 {
  const wmask = rotr<u32>(ones32(s + 1), r);
  const tmask = ones32(((s - r) & 31) + 1);
  const dst: u32 = inzero ? 0 : w(d);
  const bot = (dst & ~wmask) | (rotr<u32>(src, r) & wmask);
  const top: u32 = extend ? (((src >>> s) & 1) != 0 ? ~<u32>0 : 0) : dst;
  return (top & ~tmask) | (bot & tmask);
}

// @ts-ignore: decorator
@inline export function exec_SBFM_32(immr: u32, imms: u32, rn: u32, rd: u32): void {
  set_w(rd, bitfield32(rd, w(rn), immr, imms, true, true));
}
// @ts-ignore: decorator
@inline export function exec_SBFM_64(immr: u32, imms: u32, rn: u32, rd: u32): void {
  set_x(rd, bitfield64(rd, x(rn), immr, imms, true, true));
}
// @ts-ignore: decorator
@inline export function exec_BFM_32(immr: u32, imms: u32, rn: u32, rd: u32): void {
  set_w(rd, bitfield32(rd, w(rn), immr, imms, false, false));
}
// @ts-ignore: decorator
@inline export function exec_BFM_64(immr: u32, imms: u32, rn: u32, rd: u32): void {
  set_x(rd, bitfield64(rd, x(rn), immr, imms, false, false));
}
// @ts-ignore: decorator
@inline export function exec_UBFM_32(immr: u32, imms: u32, rn: u32, rd: u32): void {
  set_w(rd, bitfield32(rd, w(rn), immr, imms, true, false));
}
// @ts-ignore: decorator
@inline export function exec_UBFM_64(immr: u32, imms: u32, rn: u32, rd: u32): void {
  set_x(rd, bitfield64(rd, x(rn), immr, imms, true, false));
}

// ---- Extract: (Rn:Rm)<lsb+datasize-1:lsb> ----

// @ts-ignore: decorator
@inline export function exec_EXTR_32(rm: u32, imms: u32, rn: u32, rd: u32): void {
  const lo = w(rm);
  set_w(rd, imms == 0 ? lo : (lo >>> imms) | (w(rn) << (32 - imms)));
}
// @ts-ignore: decorator
@inline export function exec_EXTR_64(rm: u32, imms: u32, rn: u32, rd: u32): void {
  const lo = x(rm);
  set_x(rd, imms == 0 ? lo : (lo >>> <u64>imms) | (x(rn) << <u64>(64 - imms)));
}

// ---- Variable shifts: the amount is Rm MOD datasize ----

// @ts-ignore: decorator
@inline export function exec_LSLV(sf: u32, rm: u32, rn: u32, rd: u32): void {
  if (sf != 0) set_x(rd, x(rn) << (x(rm) & 63));
  else set_w(rd, w(rn) << (w(rm) & 31));
}
// @ts-ignore: decorator
@inline export function exec_LSRV(sf: u32, rm: u32, rn: u32, rd: u32): void {
  if (sf != 0) set_x(rd, x(rn) >>> (x(rm) & 63));
  else set_w(rd, w(rn) >>> (w(rm) & 31));
}
// @ts-ignore: decorator
@inline export function exec_ASRV(sf: u32, rm: u32, rn: u32, rd: u32): void {
  if (sf != 0) set_x(rd, <u64>(<i64>x(rn) >> <i64>(x(rm) & 63)));
  else set_w(rd, <u32>(<i32>w(rn) >> <i32>(w(rm) & 31)));
}
// @ts-ignore: decorator
@inline export function exec_RORV(sf: u32, rm: u32, rn: u32, rd: u32): void {
  if (sf != 0) set_x(rd, rotr<u64>(x(rn), x(rm) & 63));
  else set_w(rd, rotr<u32>(w(rn), w(rm) & 31));
}
