// Loads and stores of one general-purpose register (Arm ARM C6.2: LDR/STR, LDRB/STRB, LDRH/STRH, LDRSB,
// LDRSH, LDRSW in the unsigned-offset, pre-index, post-index and register-offset classes; LDUR*/STUR*;
// LDTR*/STTR*; LDR/LDRSW (literal); PRFM and PRFUM).
//
// Every handler reads its registers, makes its access, and writes registers only once the access has
// succeeded: a fault has taken its exception (`aborted`) and the instruction has no other effect.
// Writeback with Rn == Rt (CONSTRAINED UNPREDICTABLE, C6.2.215 LDR (immediate) decode) does what
// qemu-aarch64 does: a load writes the loaded value and then the written-back address, so Rn ends with
// the address (Constraint_UNKNOWN, the UNKNOWN value being the address); a store stores the value Rt had
// before the writeback (Constraint_NONE).
import { x, set_x, get_pc } from "./regs";
import { aborted } from "./exceptions";
import { read_sized, write_sized, load_reg, store_reg, ACC_UNPRIV } from "../mmu/mem";
import { base, sext, extend_reg, extend, load, syndrome, syndrome_bits } from "./ldst-common";

// load_reg/store_reg: no base-register writeback
const NO_WRITEBACK: u32 = 32;

// ---- the addressing classes, for an access of 1 << scale bytes ----

/** Load without writeback (unsigned offset, unscaled, register offset). */
// @ts-ignore: decorator
@inline function ld(rn: u32, off: u64, rt: u32, scale: u32, signed: bool, sf: bool): void {
  const b = base(rn);
  if (aborted) return;
  load_reg(b + off, scale, rt, signed, sf, syndrome_bits(scale, signed, rt, sf), NO_WRITEBACK, 0);
}

/** Store without writeback. */
// @ts-ignore: decorator
@inline function st(rn: u32, off: u64, rt: u32, scale: u32): void {
  const b = base(rn);
  if (aborted) return;
  store_reg(b + off, scale, x(rt), syndrome_bits(scale, false, rt, scale == 3), NO_WRITEBACK, 0);
}

/** Load with writeback: pre-index (address = base + offset) or post-index (address = base). */
// @ts-ignore: decorator
@inline function ld_wb(rn: u32, imm9: u32, rt: u32, scale: u32, signed: bool, sf: bool, post: bool): void {
  const b = base(rn);
  if (aborted) return;
  const wb = b + sext(imm9, 9);
  load_reg(post ? b : wb, scale, rt, signed, sf, 0, rn, wb);
}

/** Store with writeback: the value is Rt's before the writeback. */
// @ts-ignore: decorator
@inline function st_wb(rn: u32, imm9: u32, rt: u32, scale: u32, post: bool): void {
  const b = base(rn);
  if (aborted) return;
  const wb = b + sext(imm9, 9);
  store_reg(post ? b : wb, scale, x(rt), 0, rn, wb);
}

/** LDTR*: EL0's permissions when executed at EL1 (the ACC_UNPRIV regime choice is in mem.ts). */
function ldt(rn: u32, imm9: u32, rt: u32, scale: u32, signed: bool, sf: bool): void {
  const b = base(rn);
  if (aborted) return;
  syndrome(scale, signed, rt, sf, false);
  const v = read_sized(b + sext(imm9, 9), 1 << scale, ACC_UNPRIV);
  if (aborted) return;
  set_x(rt, extend(v, scale, signed, sf));
}

/** STTR*. */
function stt(rn: u32, imm9: u32, rt: u32, scale: u32): void {
  const b = base(rn);
  if (aborted) return;
  syndrome(scale, false, rt, scale == 3, false);
  write_sized(b + sext(imm9, 9), 1 << scale, x(rt), ACC_UNPRIV);
}

/** Load (literal): PC-relative, no base register. */
// @ts-ignore: decorator
@inline function ld_lit(imm19: u32, rt: u32, scale: u32, signed: bool, sf: bool): void {
  syndrome(scale, signed, rt, sf, false);
  const v = load(get_pc() + (sext(imm19, 19) << 2), scale);
  if (aborted) return;
  set_x(rt, extend(v, scale, signed, sf));
}

/** The register offset: Rm extended by `option` and shifted by the access size when S is set. */
// @ts-ignore: decorator
@inline function reg_off(rm: u32, option: u32, s: u32, scale: u32): u64 {
  return extend_reg(rm, option, s * scale); // s is one bit: a multiply, not a select
}

// ---- STRB, LDRB, LDRSB (C6.2.416-417, C6.2.219-220, C6.2.223-224) ----

// @ts-ignore: decorator
@inline export function exec_STRB_off(imm12: u32, rn: u32, rt: u32): void { st(rn, imm12, rt, 0); }
// @ts-ignore: decorator
@inline export function exec_STRB_pre(imm9: u32, rn: u32, rt: u32): void { st_wb(rn, imm9, rt, 0, false); }
// @ts-ignore: decorator
@inline export function exec_STRB_post(imm9: u32, rn: u32, rt: u32): void { st_wb(rn, imm9, rt, 0, true); }
// @ts-ignore: decorator
@inline export function exec_STRB_reg(rm: u32, option: u32, s: u32, rn: u32, rt: u32): void {
  st(rn, reg_off(rm, option, s, 0), rt, 0);
}
// @ts-ignore: decorator
@inline export function exec_LDRB_off(imm12: u32, rn: u32, rt: u32): void { ld(rn, imm12, rt, 0, false, false); }
// @ts-ignore: decorator
@inline export function exec_LDRB_pre(imm9: u32, rn: u32, rt: u32): void { ld_wb(rn, imm9, rt, 0, false, false, false); }
// @ts-ignore: decorator
@inline export function exec_LDRB_post(imm9: u32, rn: u32, rt: u32): void { ld_wb(rn, imm9, rt, 0, false, false, true); }
// @ts-ignore: decorator
@inline export function exec_LDRB_reg(rm: u32, option: u32, s: u32, rn: u32, rt: u32): void {
  ld(rn, reg_off(rm, option, s, 0), rt, 0, false, false);
}
// opc0: 0 = 64-bit, 1 = 32-bit destination
// @ts-ignore: decorator
@inline export function exec_LDRSB_off(opc0: u32, imm12: u32, rn: u32, rt: u32): void {
  ld(rn, imm12, rt, 0, true, opc0 == 0);
}
// @ts-ignore: decorator
@inline export function exec_LDRSB_pre(opc0: u32, imm9: u32, rn: u32, rt: u32): void {
  ld_wb(rn, imm9, rt, 0, true, opc0 == 0, false);
}
// @ts-ignore: decorator
@inline export function exec_LDRSB_post(opc0: u32, imm9: u32, rn: u32, rt: u32): void {
  ld_wb(rn, imm9, rt, 0, true, opc0 == 0, true);
}
// @ts-ignore: decorator
@inline export function exec_LDRSB_reg(opc0: u32, rm: u32, option: u32, s: u32, rn: u32, rt: u32): void {
  const off = reg_off(rm, option, s, 0);
  ld(rn, off, rt, 0, true, opc0 == 0);
}

// ---- STRH, LDRH, LDRSH (C6.2.418-419, C6.2.221-222, C6.2.225-226) ----

// @ts-ignore: decorator
@inline export function exec_STRH_off(imm12: u32, rn: u32, rt: u32): void { st(rn, <u64>imm12 << 1, rt, 1); }
// @ts-ignore: decorator
@inline export function exec_STRH_pre(imm9: u32, rn: u32, rt: u32): void { st_wb(rn, imm9, rt, 1, false); }
// @ts-ignore: decorator
@inline export function exec_STRH_post(imm9: u32, rn: u32, rt: u32): void { st_wb(rn, imm9, rt, 1, true); }
// @ts-ignore: decorator
@inline export function exec_STRH_reg(rm: u32, option: u32, s: u32, rn: u32, rt: u32): void {
  st(rn, reg_off(rm, option, s, 1), rt, 1);
}
// @ts-ignore: decorator
@inline export function exec_LDRH_off(imm12: u32, rn: u32, rt: u32): void { ld(rn, <u64>imm12 << 1, rt, 1, false, false); }
// @ts-ignore: decorator
@inline export function exec_LDRH_pre(imm9: u32, rn: u32, rt: u32): void { ld_wb(rn, imm9, rt, 1, false, false, false); }
// @ts-ignore: decorator
@inline export function exec_LDRH_post(imm9: u32, rn: u32, rt: u32): void { ld_wb(rn, imm9, rt, 1, false, false, true); }
// @ts-ignore: decorator
@inline export function exec_LDRH_reg(rm: u32, option: u32, s: u32, rn: u32, rt: u32): void {
  ld(rn, reg_off(rm, option, s, 1), rt, 1, false, false);
}
// @ts-ignore: decorator
@inline export function exec_LDRSH_off(opc0: u32, imm12: u32, rn: u32, rt: u32): void {
  const off = <u64>imm12 << 1;
  ld(rn, off, rt, 1, true, opc0 == 0);
}
// @ts-ignore: decorator
@inline export function exec_LDRSH_pre(opc0: u32, imm9: u32, rn: u32, rt: u32): void {
  ld_wb(rn, imm9, rt, 1, true, opc0 == 0, false);
}
// @ts-ignore: decorator
@inline export function exec_LDRSH_post(opc0: u32, imm9: u32, rn: u32, rt: u32): void {
  ld_wb(rn, imm9, rt, 1, true, opc0 == 0, true);
}
// @ts-ignore: decorator
@inline export function exec_LDRSH_reg(opc0: u32, rm: u32, option: u32, s: u32, rn: u32, rt: u32): void {
  const off = reg_off(rm, option, s, 1);
  ld(rn, off, rt, 1, true, opc0 == 0);
}

// ---- STR, LDR, LDRSW (C6.2.414-415, C6.2.215-217, C6.2.227-229); sz: 0 = W, 1 = X ----

// @ts-ignore: decorator
@inline export function exec_STR_off(sz: u32, imm12: u32, rn: u32, rt: u32): void {
  if (sz != 0) st(rn, <u64>imm12 << 3, rt, 3); else st(rn, <u64>imm12 << 2, rt, 2);
}
// @ts-ignore: decorator
@inline export function exec_STR_pre(sz: u32, imm9: u32, rn: u32, rt: u32): void {
  if (sz != 0) st_wb(rn, imm9, rt, 3, false); else st_wb(rn, imm9, rt, 2, false);
}
// @ts-ignore: decorator
@inline export function exec_STR_post(sz: u32, imm9: u32, rn: u32, rt: u32): void {
  if (sz != 0) st_wb(rn, imm9, rt, 3, true); else st_wb(rn, imm9, rt, 2, true);
}
// @ts-ignore: decorator
@inline export function exec_STR_reg(sz: u32, rm: u32, option: u32, s: u32, rn: u32, rt: u32): void {
  if (sz != 0) st(rn, reg_off(rm, option, s, 3), rt, 3); else st(rn, reg_off(rm, option, s, 2), rt, 2);
}
// @ts-ignore: decorator
@inline export function exec_LDR_off(sz: u32, imm12: u32, rn: u32, rt: u32): void {
  if (sz != 0) ld(rn, <u64>imm12 << 3, rt, 3, false, true); else ld(rn, <u64>imm12 << 2, rt, 2, false, false);
}
// @ts-ignore: decorator
@inline export function exec_LDR_pre(sz: u32, imm9: u32, rn: u32, rt: u32): void {
  if (sz != 0) ld_wb(rn, imm9, rt, 3, false, true, false); else ld_wb(rn, imm9, rt, 2, false, false, false);
}
// @ts-ignore: decorator
@inline export function exec_LDR_post(sz: u32, imm9: u32, rn: u32, rt: u32): void {
  if (sz != 0) ld_wb(rn, imm9, rt, 3, false, true, true); else ld_wb(rn, imm9, rt, 2, false, false, true);
}
// @ts-ignore: decorator
@inline export function exec_LDR_reg(sz: u32, rm: u32, option: u32, s: u32, rn: u32, rt: u32): void {
  if (sz != 0) ld(rn, reg_off(rm, option, s, 3), rt, 3, false, true);
  else ld(rn, reg_off(rm, option, s, 2), rt, 2, false, false);
}
// @ts-ignore: decorator
@inline export function exec_LDRSW_off(imm12: u32, rn: u32, rt: u32): void { ld(rn, <u64>imm12 << 2, rt, 2, true, true); }
// @ts-ignore: decorator
@inline export function exec_LDRSW_pre(imm9: u32, rn: u32, rt: u32): void { ld_wb(rn, imm9, rt, 2, true, true, false); }
// @ts-ignore: decorator
@inline export function exec_LDRSW_post(imm9: u32, rn: u32, rt: u32): void { ld_wb(rn, imm9, rt, 2, true, true, true); }
// @ts-ignore: decorator
@inline export function exec_LDRSW_reg(rm: u32, option: u32, s: u32, rn: u32, rt: u32): void {
  ld(rn, reg_off(rm, option, s, 2), rt, 2, true, true);
}

// ---- unscaled immediate: LDUR*, STUR* (C6.2.258-263, C6.2.445-447) ----

// @ts-ignore: decorator
@inline export function exec_STURB(imm9: u32, rn: u32, rt: u32): void { st(rn, sext(imm9, 9), rt, 0); }
// @ts-ignore: decorator
@inline export function exec_LDURB(imm9: u32, rn: u32, rt: u32): void { ld(rn, sext(imm9, 9), rt, 0, false, false); }
// @ts-ignore: decorator
@inline export function exec_LDURSB(opc0: u32, imm9: u32, rn: u32, rt: u32): void {
  ld(rn, sext(imm9, 9), rt, 0, true, opc0 == 0);
}
// @ts-ignore: decorator
@inline export function exec_STURH(imm9: u32, rn: u32, rt: u32): void { st(rn, sext(imm9, 9), rt, 1); }
// @ts-ignore: decorator
@inline export function exec_LDURH(imm9: u32, rn: u32, rt: u32): void { ld(rn, sext(imm9, 9), rt, 1, false, false); }
// @ts-ignore: decorator
@inline export function exec_LDURSH(opc0: u32, imm9: u32, rn: u32, rt: u32): void {
  ld(rn, sext(imm9, 9), rt, 1, true, opc0 == 0);
}
// @ts-ignore: decorator
@inline export function exec_STUR(sz: u32, imm9: u32, rn: u32, rt: u32): void {
  if (sz != 0) st(rn, sext(imm9, 9), rt, 3); else st(rn, sext(imm9, 9), rt, 2);
}
// @ts-ignore: decorator
@inline export function exec_LDUR(sz: u32, imm9: u32, rn: u32, rt: u32): void {
  if (sz != 0) ld(rn, sext(imm9, 9), rt, 3, false, true); else ld(rn, sext(imm9, 9), rt, 2, false, false);
}
// @ts-ignore: decorator
@inline export function exec_LDURSW(imm9: u32, rn: u32, rt: u32): void { ld(rn, sext(imm9, 9), rt, 2, true, true); }

// ---- unprivileged: LDTR*, STTR* (C6.2.244-249, C6.2.434-436) ----

export function exec_STTRB(imm9: u32, rn: u32, rt: u32): void { stt(rn, imm9, rt, 0); }
export function exec_LDTRB(imm9: u32, rn: u32, rt: u32): void { ldt(rn, imm9, rt, 0, false, false); }
export function exec_LDTRSB(opc0: u32, imm9: u32, rn: u32, rt: u32): void { ldt(rn, imm9, rt, 0, true, opc0 == 0); }
export function exec_STTRH(imm9: u32, rn: u32, rt: u32): void { stt(rn, imm9, rt, 1); }
export function exec_LDTRH(imm9: u32, rn: u32, rt: u32): void { ldt(rn, imm9, rt, 1, false, false); }
export function exec_LDTRSH(opc0: u32, imm9: u32, rn: u32, rt: u32): void { ldt(rn, imm9, rt, 1, true, opc0 == 0); }
export function exec_STTR(sz: u32, imm9: u32, rn: u32, rt: u32): void { stt(rn, imm9, rt, 2 + sz); }
export function exec_LDTR(sz: u32, imm9: u32, rn: u32, rt: u32): void { ldt(rn, imm9, rt, 2 + sz, false, sz != 0); }
export function exec_LDTRSW(imm9: u32, rn: u32, rt: u32): void { ldt(rn, imm9, rt, 2, true, true); }

// ---- literal (C6.2.216, C6.2.228) ----

// @ts-ignore: decorator
@inline export function exec_LDR_lit(sz: u32, imm19: u32, rt: u32): void {
  if (sz != 0) ld_lit(imm19, rt, 3, false, true); else ld_lit(imm19, rt, 2, false, false);
}
// @ts-ignore: decorator
@inline export function exec_LDRSW_lit(imm19: u32, rt: u32): void { ld_lit(imm19, rt, 2, true, true); }

// ---- prefetch (C6.2.314-317): hints without an architectural effect; they never fault, so not even the
// SP alignment check applies (their Operation does not call CheckSPAlignment) ----

// @ts-ignore: decorator
@inline export function exec_PRFM_off(imm12: u32, rn: u32, rt: u32): void {}
// @ts-ignore: decorator
@inline export function exec_PRFM_reg(rm: u32, option: u32, s: u32, rn: u32, rt: u32): void {}
// @ts-ignore: decorator
@inline export function exec_PRFUM(imm9: u32, rn: u32, rt: u32): void {}
// @ts-ignore: decorator
@inline export function exec_PRFM_lit(imm19: u32, rt: u32): void {}
