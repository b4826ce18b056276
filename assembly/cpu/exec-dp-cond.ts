// Conditional select and conditional compare (Arm ARM C6.2: CSEL, CSINC, CSINV, CSNEG, CCMN, CCMP).
// Register 31 is XZR throughout; condition 1111 behaves as AL (ConditionHolds).
import { x, set_x, set_w, set_nzcv, condition_holds, flags_add64, flags_add32 } from "./regs";

// ---- Conditional select: Rn if the condition holds, else Rm transformed ----

// @ts-ignore: decorator
@inline export function exec_CSEL(sf: u32, rm: u32, cond: u32, rn: u32, rd: u32): void {
  const r = condition_holds(cond) ? x(rn) : x(rm);
  if (sf != 0) set_x(rd, r);
  else set_w(rd, <u32>r);
}
// @ts-ignore: decorator
@inline export function exec_CSINC(sf: u32, rm: u32, cond: u32, rn: u32, rd: u32): void {
  const r = condition_holds(cond) ? x(rn) : x(rm) + 1;
  if (sf != 0) set_x(rd, r);
  else set_w(rd, <u32>r);
}
// @ts-ignore: decorator
@inline export function exec_CSINV(sf: u32, rm: u32, cond: u32, rn: u32, rd: u32): void {
  const r = condition_holds(cond) ? x(rn) : ~x(rm);
  if (sf != 0) set_x(rd, r);
  else set_w(rd, <u32>r);
}
// @ts-ignore: decorator
@inline export function exec_CSNEG(sf: u32, rm: u32, cond: u32, rn: u32, rd: u32): void {
  const r = condition_holds(cond) ? x(rn) : 0 - x(rm);
  if (sf != 0) set_x(rd, r);
  else set_w(rd, <u32>r);
}

// ---- Conditional compare: the flags of Rn + op2 (CCMN) or Rn - op2 (CCMP) if the condition holds,
// else the immediate nzcv ----

// @ts-ignore: decorator
@inline function cond_compare(sf: u32, a: u64, b: u64, cond: u32, nzcv: u32, sub: bool): void {
  if (!condition_holds(cond)) { set_nzcv(nzcv << 28); return; }
  if (sf != 0) {
    const m = sub ? ~b : b;
    const c: u64 = sub ? 1 : 0;
    set_nzcv(flags_add64(a, m, c, a + m + c));
  } else {
    const n = <u32>a;
    const m = sub ? ~<u32>b : <u32>b;
    const c: u32 = sub ? 1 : 0;
    set_nzcv(flags_add32(n, m, c, n + m + c));
  }
}

// @ts-ignore: decorator
@inline export function exec_CCMN_r(sf: u32, rm: u32, cond: u32, rn: u32, nzcv: u32): void {
  cond_compare(sf, x(rn), x(rm), cond, nzcv, false);
}
// @ts-ignore: decorator
@inline export function exec_CCMP_r(sf: u32, rm: u32, cond: u32, rn: u32, nzcv: u32): void {
  cond_compare(sf, x(rn), x(rm), cond, nzcv, true);
}
// @ts-ignore: decorator
@inline export function exec_CCMN_i(sf: u32, imm5: u32, cond: u32, rn: u32, nzcv: u32): void {
  cond_compare(sf, x(rn), <u64>imm5, cond, nzcv, false);
}
// @ts-ignore: decorator
@inline export function exec_CCMP_i(sf: u32, imm5: u32, cond: u32, rn: u32, nzcv: u32): void {
  cond_compare(sf, x(rn), <u64>imm5, cond, nzcv, true);
}
