// Multiply and divide (Arm ARM C6.2: MADD, MSUB, SMADDL, SMSUBL, UMADDL, UMSUBL, SMULH, UMULH, UDIV, SDIV).
// Register 31 is XZR throughout (MUL, MNEG, SMULL, UMULL are the forms with Ra = XZR).
import { x, w, set_x, set_w } from "./regs";
import { umulh, smulh } from "./alu";

// ---- Multiply-add ----

// @ts-ignore: decorator
@inline export function exec_MADD(sf: u32, rm: u32, ra: u32, rn: u32, rd: u32): void {
  if (sf != 0) set_x(rd, x(ra) + x(rn) * x(rm));
  else set_w(rd, w(ra) + w(rn) * w(rm));
}
// @ts-ignore: decorator
@inline export function exec_MSUB(sf: u32, rm: u32, ra: u32, rn: u32, rd: u32): void {
  if (sf != 0) set_x(rd, x(ra) - x(rn) * x(rm));
  else set_w(rd, w(ra) - w(rn) * w(rm));
}

// @ts-ignore: decorator
@inline function smul_wide(rn: u32, rm: u32): u64 { return <u64>(<i64><i32>w(rn) * <i64><i32>w(rm)); }
// @ts-ignore: decorator
@inline function umul_wide(rn: u32, rm: u32): u64 { return <u64>w(rn) * <u64>w(rm); }

// @ts-ignore: decorator
@inline export function exec_SMADDL(rm: u32, ra: u32, rn: u32, rd: u32): void {
  set_x(rd, x(ra) + smul_wide(rn, rm));
}
// @ts-ignore: decorator
@inline export function exec_SMSUBL(rm: u32, ra: u32, rn: u32, rd: u32): void {
  set_x(rd, x(ra) - smul_wide(rn, rm));
}
// @ts-ignore: decorator
@inline export function exec_UMADDL(rm: u32, ra: u32, rn: u32, rd: u32): void {
  set_x(rd, x(ra) + umul_wide(rn, rm));
}
// @ts-ignore: decorator
@inline export function exec_UMSUBL(rm: u32, ra: u32, rn: u32, rd: u32): void {
  set_x(rd, x(ra) - umul_wide(rn, rm));
}

// ---- Multiply high: bits 127:64 of the 128-bit product ----

// @ts-ignore: decorator
@inline export function exec_SMULH(rm: u32, rn: u32, rd: u32): void {
  set_x(rd, smulh(x(rn), x(rm)));
}
// @ts-ignore: decorator
@inline export function exec_UMULH(rm: u32, rn: u32, rd: u32): void {
  set_x(rd, umulh(x(rn), x(rm)));
}

// ---- Divide: rounds toward zero; a zero divisor gives 0 (no exception in A64), and the one signed
// overflow, INT_MIN / -1, gives INT_MIN (WebAssembly would trap on both) ----

// @ts-ignore: decorator
@inline export function exec_UDIV(sf: u32, rm: u32, rn: u32, rd: u32): void {
  if (sf != 0) {
    const d = x(rm);
    set_x(rd, d == 0 ? 0 : x(rn) / d);
  } else {
    const d = w(rm);
    set_w(rd, d == 0 ? 0 : w(rn) / d);
  }
}
// @ts-ignore: decorator
@inline export function exec_SDIV(sf: u32, rm: u32, rn: u32, rd: u32): void {
  if (sf != 0) {
    const d = <i64>x(rm), n = <i64>x(rn);
    set_x(rd, <u64>(d == 0 ? 0 : d == -1 ? 0 - n : n / d));
  } else {
    const d = <i32>w(rm), n = <i32>w(rn);
    set_w(rd, <u32>(d == 0 ? 0 : d == -1 ? 0 - n : n / d));
  }
}
