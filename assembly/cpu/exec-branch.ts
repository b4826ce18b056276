// Branches (Arm ARM C6.2: B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR/BLR/RET, ERET).
import { x, set_x, get_pc, branch_to, condition_holds } from "./regs";
import { cur_el } from "./pstate";
import { undefined_instruction, exception_return } from "./exceptions";

// @ts-ignore: decorator
@inline function sext(v: u32, bits: u32): u64 { return <u64>(<i64>(<u64>v << (64 - bits)) >> (64 - bits)); }

// @ts-ignore: decorator
@inline export function exec_B_cond(imm19: u32, cond: u32): void {
  if (condition_holds(cond)) branch_to(get_pc() + (sext(imm19, 19) << 2));
}
// @ts-ignore: decorator
@inline export function exec_B(imm26: u32): void {
  branch_to(get_pc() + (sext(imm26, 26) << 2));
}
// @ts-ignore: decorator
@inline export function exec_BL(imm26: u32): void {
  set_x(30, get_pc() + 4);
  branch_to(get_pc() + (sext(imm26, 26) << 2));
}
// @ts-ignore: decorator
@inline export function exec_CBZ(sf: u32, imm19: u32, rt: u32): void {
  const v = sf != 0 ? x(rt) : x(rt) & 0xffffffff;
  if (v == 0) branch_to(get_pc() + (sext(imm19, 19) << 2));
}
// @ts-ignore: decorator
@inline export function exec_CBNZ(sf: u32, imm19: u32, rt: u32): void {
  const v = sf != 0 ? x(rt) : x(rt) & 0xffffffff;
  if (v != 0) branch_to(get_pc() + (sext(imm19, 19) << 2));
}
// @ts-ignore: decorator
@inline export function exec_TBZ(b5: u32, b40: u32, imm14: u32, rt: u32): void {
  if (((x(rt) >>> ((b5 << 5) | b40)) & 1) == 0) branch_to(get_pc() + (sext(imm14, 14) << 2));
}
// @ts-ignore: decorator
@inline export function exec_TBNZ(b5: u32, b40: u32, imm14: u32, rt: u32): void {
  if (((x(rt) >>> ((b5 << 5) | b40)) & 1) != 0) branch_to(get_pc() + (sext(imm14, 14) << 2));
}
// @ts-ignore: decorator
@inline export function exec_BR(rn: u32): void {
  branch_to(x(rn));
}
// @ts-ignore: decorator
@inline export function exec_BLR(rn: u32): void {
  const target = x(rn); // read before the link write: BLR X30 branches to the old X30
  set_x(30, get_pc() + 4);
  branch_to(target);
}
// @ts-ignore: decorator
@inline export function exec_RET(rn: u32): void {
  branch_to(x(rn));
}
export function exec_ERET(): void {
  if (cur_el == 0) { undefined_instruction(); return; }
  exception_return();
}
