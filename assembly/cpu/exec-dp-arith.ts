// PC-relative addressing and add/subtract (Arm ARM C6.2: ADR, ADRP, ADD, ADDS, SUB, SUBS, ADC, ADCS, SBC,
// SBCS). Register 31 is SP for Rn and Rd of the immediate and extended-register forms (Rd only when the
// flags are not set: ADDS/SUBS write XZR, which makes CMN/CMP), and XZR everywhere in the others.
import { x, w, set_x, set_w, x_sp, set_x_sp, nzcv, get_pc } from "./regs";
import { shift64, shift32, extend_reg, add_carry64, add_carry32 } from "./alu";

// @ts-ignore: decorator
@inline function sext(v: u32, bits: u32): u64 { return <u64>(<i64>(<u64>v << (64 - bits)) >> (64 - bits)); }
// @ts-ignore: decorator
@inline function carry_in(): u32 { return (nzcv() >>> 29) & 1; }

// ---- PC-relative addressing ----

// @ts-ignore: decorator
@inline export function exec_ADR(immlo: u32, immhi: u32, rd: u32): void {
  set_x(rd, get_pc() + sext((immhi << 2) | immlo, 21));
}
// @ts-ignore: decorator
@inline export function exec_ADRP(immlo: u32, immhi: u32, rd: u32): void {
  set_x(rd, (get_pc() & ~<u64>0xfff) + (sext((immhi << 2) | immlo, 21) << 12));
}

// ---- Add/subtract (immediate): Rn is SP or a register, Rd too unless the flags are set ----

// @ts-ignore: decorator
@inline function add_imm(sf: u32, imm: u64, rn: u32, rd: u32, sub: bool, setflags: bool): void {
  let r: u64;
  if (sf != 0) {
    r = sub ? add_carry64(x_sp(rn), ~imm, 1, setflags) : add_carry64(x_sp(rn), imm, 0, setflags);
  } else {
    const a = <u32>x_sp(rn);
    r = <u64>(sub ? add_carry32(a, ~<u32>imm, 1, setflags) : add_carry32(a, <u32>imm, 0, setflags));
  }
  if (setflags) set_x(rd, r);
  else set_x_sp(rd, r);
}

// @ts-ignore: decorator
@inline export function exec_ADD_i(sf: u32, sh: u32, imm12: u32, rn: u32, rd: u32): void {
  add_imm(sf, <u64>imm12 << (sh * 12), rn, rd, false, false);
}
// @ts-ignore: decorator
@inline export function exec_ADDS_i(sf: u32, sh: u32, imm12: u32, rn: u32, rd: u32): void {
  add_imm(sf, <u64>imm12 << (sh * 12), rn, rd, false, true);
}
// @ts-ignore: decorator
@inline export function exec_SUB_i(sf: u32, sh: u32, imm12: u32, rn: u32, rd: u32): void {
  add_imm(sf, <u64>imm12 << (sh * 12), rn, rd, true, false);
}
// @ts-ignore: decorator
@inline export function exec_SUBS_i(sf: u32, sh: u32, imm12: u32, rn: u32, rd: u32): void {
  add_imm(sf, <u64>imm12 << (sh * 12), rn, rd, true, true);
}

// ---- Add/subtract (shifted register): XZR for every register ----

// @ts-ignore: decorator
@inline export function exec_ADD_sr_32(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_w(rd, add_carry32(w(rn), shift32(w(rm), shift, imm6), 0, false));
}
// @ts-ignore: decorator
@inline export function exec_ADD_sr_64(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_x(rd, add_carry64(x(rn), shift64(x(rm), shift, imm6), 0, false));
}
// @ts-ignore: decorator
@inline export function exec_ADDS_sr_32(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_w(rd, add_carry32(w(rn), shift32(w(rm), shift, imm6), 0, true));
}
// @ts-ignore: decorator
@inline export function exec_ADDS_sr_64(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_x(rd, add_carry64(x(rn), shift64(x(rm), shift, imm6), 0, true));
}
// @ts-ignore: decorator
@inline export function exec_SUB_sr_32(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_w(rd, add_carry32(w(rn), ~shift32(w(rm), shift, imm6), 1, false));
}
// @ts-ignore: decorator
@inline export function exec_SUB_sr_64(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_x(rd, add_carry64(x(rn), ~shift64(x(rm), shift, imm6), 1, false));
}
// @ts-ignore: decorator
@inline export function exec_SUBS_sr_32(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_w(rd, add_carry32(w(rn), ~shift32(w(rm), shift, imm6), 1, true));
}
// @ts-ignore: decorator
@inline export function exec_SUBS_sr_64(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_x(rd, add_carry64(x(rn), ~shift64(x(rm), shift, imm6), 1, true));
}

// ---- Add/subtract (extended register): Rn is SP or a register, Rd too unless the flags are set ----

// @ts-ignore: decorator
@inline function add_ext(sf: u32, rm: u32, option: u32, imm3: u32, rn: u32, rd: u32, sub: bool, setflags: bool): void {
  const m = extend_reg(x(rm), option, imm3);
  let r: u64;
  if (sf != 0) {
    r = sub ? add_carry64(x_sp(rn), ~m, 1, setflags) : add_carry64(x_sp(rn), m, 0, setflags);
  } else {
    const a = <u32>x_sp(rn);
    r = <u64>(sub ? add_carry32(a, ~<u32>m, 1, setflags) : add_carry32(a, <u32>m, 0, setflags));
  }
  if (setflags) set_x(rd, r);
  else set_x_sp(rd, r);
}

// @ts-ignore: decorator
@inline export function exec_ADD_er(sf: u32, rm: u32, option: u32, imm3: u32, rn: u32, rd: u32): void {
  add_ext(sf, rm, option, imm3, rn, rd, false, false);
}
// @ts-ignore: decorator
@inline export function exec_ADDS_er(sf: u32, rm: u32, option: u32, imm3: u32, rn: u32, rd: u32): void {
  add_ext(sf, rm, option, imm3, rn, rd, false, true);
}
// @ts-ignore: decorator
@inline export function exec_SUB_er(sf: u32, rm: u32, option: u32, imm3: u32, rn: u32, rd: u32): void {
  add_ext(sf, rm, option, imm3, rn, rd, true, false);
}
// @ts-ignore: decorator
@inline export function exec_SUBS_er(sf: u32, rm: u32, option: u32, imm3: u32, rn: u32, rd: u32): void {
  add_ext(sf, rm, option, imm3, rn, rd, true, true);
}

// ---- Add/subtract (with carry) ----

// @ts-ignore: decorator
@inline function add_c(sf: u32, rm: u32, rn: u32, rd: u32, sub: bool, setflags: bool): void {
  const c = carry_in();
  if (sf != 0) {
    const m = sub ? ~x(rm) : x(rm);
    set_x(rd, add_carry64(x(rn), m, <u64>c, setflags));
  } else {
    const m = sub ? ~w(rm) : w(rm);
    set_w(rd, add_carry32(w(rn), m, c, setflags));
  }
}

// @ts-ignore: decorator
@inline export function exec_ADC(sf: u32, rm: u32, rn: u32, rd: u32): void { add_c(sf, rm, rn, rd, false, false); }
// @ts-ignore: decorator
@inline export function exec_ADCS(sf: u32, rm: u32, rn: u32, rd: u32): void { add_c(sf, rm, rn, rd, false, true); }
// @ts-ignore: decorator
@inline export function exec_SBC(sf: u32, rm: u32, rn: u32, rd: u32): void { add_c(sf, rm, rn, rd, true, false); }
// @ts-ignore: decorator
@inline export function exec_SBCS(sf: u32, rm: u32, rn: u32, rd: u32): void { add_c(sf, rm, rn, rd, true, true); }
