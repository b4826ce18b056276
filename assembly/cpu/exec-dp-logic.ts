// Logical operations and move wide (Arm ARM C6.2: AND, ANDS, BIC, BICS, ORR, ORN, EOR, EON, MOVN, MOVZ,
// MOVK). The immediate forms write SP for Rd = 31 unless they set flags; everything else uses XZR.
// The flag-setting forms set N and Z from the result and clear C and V.
import { x, w, set_x, set_w, set_x_sp, set_nzcv, flags_nz64, flags_nz32 } from "./regs";
import { shift64, shift32, logical_imm } from "./alu";

// ---- Logical (immediate) ----

// @ts-ignore: decorator
@inline export function exec_AND_i(sf: u32, N: u32, immr: u32, imms: u32, rn: u32, rd: u32): void {
  const imm = logical_imm(N, immr, imms);
  set_x_sp(rd, sf != 0 ? x(rn) & imm : <u64>(w(rn) & <u32>imm));
}
// @ts-ignore: decorator
@inline export function exec_ORR_i(sf: u32, N: u32, immr: u32, imms: u32, rn: u32, rd: u32): void {
  const imm = logical_imm(N, immr, imms);
  set_x_sp(rd, sf != 0 ? x(rn) | imm : <u64>(w(rn) | <u32>imm));
}
// @ts-ignore: decorator
@inline export function exec_EOR_i(sf: u32, N: u32, immr: u32, imms: u32, rn: u32, rd: u32): void {
  const imm = logical_imm(N, immr, imms);
  set_x_sp(rd, sf != 0 ? x(rn) ^ imm : <u64>(w(rn) ^ <u32>imm));
}
// @ts-ignore: decorator
@inline export function exec_ANDS_i(sf: u32, N: u32, immr: u32, imms: u32, rn: u32, rd: u32): void {
  const imm = logical_imm(N, immr, imms);
  if (sf != 0) {
    const r = x(rn) & imm;
    set_nzcv(flags_nz64(r));
    set_x(rd, r);
  } else {
    const r = w(rn) & <u32>imm;
    set_nzcv(flags_nz32(r));
    set_w(rd, r);
  }
}

// ---- Logical (shifted register) ----

// @ts-ignore: decorator
@inline export function exec_AND_sr_32(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_w(rd, w(rn) & shift32(w(rm), shift, imm6));
}
// @ts-ignore: decorator
@inline export function exec_AND_sr_64(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_x(rd, x(rn) & shift64(x(rm), shift, imm6));
}
// @ts-ignore: decorator
@inline export function exec_BIC_sr_32(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_w(rd, w(rn) & ~shift32(w(rm), shift, imm6));
}
// @ts-ignore: decorator
@inline export function exec_BIC_sr_64(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_x(rd, x(rn) & ~shift64(x(rm), shift, imm6));
}
// @ts-ignore: decorator
@inline export function exec_ORR_sr_32(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_w(rd, w(rn) | shift32(w(rm), shift, imm6));
}
// @ts-ignore: decorator
@inline export function exec_ORR_sr_64(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_x(rd, x(rn) | shift64(x(rm), shift, imm6));
}
// @ts-ignore: decorator
@inline export function exec_ORN_sr_32(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_w(rd, w(rn) | ~shift32(w(rm), shift, imm6));
}
// @ts-ignore: decorator
@inline export function exec_ORN_sr_64(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_x(rd, x(rn) | ~shift64(x(rm), shift, imm6));
}
// @ts-ignore: decorator
@inline export function exec_EOR_sr_32(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_w(rd, w(rn) ^ shift32(w(rm), shift, imm6));
}
// @ts-ignore: decorator
@inline export function exec_EOR_sr_64(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_x(rd, x(rn) ^ shift64(x(rm), shift, imm6));
}
// @ts-ignore: decorator
@inline export function exec_EON_sr_32(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_w(rd, w(rn) ^ ~shift32(w(rm), shift, imm6));
}
// @ts-ignore: decorator
@inline export function exec_EON_sr_64(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  set_x(rd, x(rn) ^ ~shift64(x(rm), shift, imm6));
}
// @ts-ignore: decorator
@inline export function exec_ANDS_sr_32(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  const r = w(rn) & shift32(w(rm), shift, imm6);
  set_nzcv(flags_nz32(r));
  set_w(rd, r);
}
// @ts-ignore: decorator
@inline export function exec_ANDS_sr_64(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  const r = x(rn) & shift64(x(rm), shift, imm6);
  set_nzcv(flags_nz64(r));
  set_x(rd, r);
}
// @ts-ignore: decorator
@inline export function exec_BICS_sr_32(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  const r = w(rn) & ~shift32(w(rm), shift, imm6);
  set_nzcv(flags_nz32(r));
  set_w(rd, r);
}
// @ts-ignore: decorator
@inline export function exec_BICS_sr_64(shift: u32, rm: u32, imm6: u32, rn: u32, rd: u32): void {
  const r = x(rn) & ~shift64(x(rm), shift, imm6);
  set_nzcv(flags_nz64(r));
  set_x(rd, r);
}

// ---- Move wide (immediate): the decoder has rejected hw<1> = 1 for 32 bits ----

// @ts-ignore: decorator
@inline export function exec_MOVN(sf: u32, hw: u32, imm16: u32, rd: u32): void {
  const v = ~(<u64>imm16 << (hw * 16));
  set_x(rd, sf != 0 ? v : v & 0xffffffff);
}
// @ts-ignore: decorator
@inline export function exec_MOVZ(sf: u32, hw: u32, imm16: u32, rd: u32): void {
  set_x(rd, <u64>imm16 << (hw * 16));
}
// @ts-ignore: decorator
@inline export function exec_MOVK(sf: u32, hw: u32, imm16: u32, rd: u32): void {
  const pos = <u64>(hw * 16);
  const v = (x(rd) & ~(<u64>0xffff << pos)) | (<u64>imm16 << pos);
  set_x(rd, sf != 0 ? v : v & 0xffffffff);
}
