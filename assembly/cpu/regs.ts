// General-purpose registers, the stack pointer and the condition flags (Arm ARM C1.2, D1.2).
import { X_BASE, SP_ADDR, NZCV_ADDR, SYSREG_BASE } from "../state/layout";
import { trace_reg_written, trace_x_written } from "../debug/trace";

/** The address of the instruction executing now (PC_ADDR in memory is in step only between runs). */
export let pc_now: u64 = 0;
/**
 * Where execution continues after the current instruction: the run loop sets it to PC + 4 before the
 * instruction, branches, exception entry and return replace it (branch_to), and the loop continues there.
 */
export let next_pc: u64 = 0;
export let branched: bool = false;

/** Continues execution at `target` after the current instruction. */
// @ts-ignore: decorator
@inline export function branch_to(target: u64): void {
  next_pc = target;
  branched = true;
}

/** Instructions executed: the source of virtual time (ICOUNT in memory is in step only between runs). */
export let icount: u64 = 0;
/** Set when the next instruction boundary must look at more than the budget (PSTATE.IL, interrupts). */
export let attention: bool = true;

// @ts-ignore: decorator
@inline export function get_pc(): u64 { return pc_now; }

/** Xn, with register 31 reading as zero (XZR). */
// @ts-ignore: decorator
@inline export function x(n: u32): u64 { return load<u64>(X_BASE + (<usize>n << 3)); }
/** Wn: the low 32 bits. */
// @ts-ignore: decorator
@inline export function w(n: u32): u32 { return load<u32>(X_BASE + (<usize>n << 3)); }

/** Writes Xn; writes to register 31 (XZR) are discarded. */
// @ts-ignore: decorator
@inline export function set_x(n: u32, v: u64): void {
  if (isDefined(TRACE)) trace_x_written(n);
  if (n != 31) store<u64>(X_BASE + (<usize>n << 3), v);
}
/** Writes Wn, zero-extending into Xn. */
// @ts-ignore: decorator
@inline export function set_w(n: u32, v: u32): void {
  if (isDefined(TRACE)) trace_x_written(n);
  if (n != 31) store<u64>(X_BASE + (<usize>n << 3), <u64>v);
}

/** Xn or SP for register 31 (the forms whose Rn/Rd field names the stack pointer). */
// @ts-ignore: decorator
@inline export function x_sp(n: u32): u64 {
  return n == 31 ? load<u64>(SP_ADDR) : load<u64>(X_BASE + (<usize>n << 3));
}
// @ts-ignore: decorator
@inline export function set_x_sp(n: u32, v: u64): void {
  if (isDefined(TRACE)) trace_reg_written(n);
  store<u64>(n == 31 ? SP_ADDR : X_BASE + (<usize>n << 3), v);
}

// @ts-ignore: decorator
@inline export function sp(): u64 { return load<u64>(SP_ADDR); }
// @ts-ignore: decorator
@inline export function set_sp(v: u64): void {
  if (isDefined(TRACE)) trace_reg_written(31);
  store<u64>(SP_ADDR, v);
}

// Flags: N Z C V in bits 31:28
// @ts-ignore: decorator
@inline export function nzcv(): u32 { return load<u32>(NZCV_ADDR); }
// @ts-ignore: decorator
@inline export function set_nzcv(v: u32): void { store<u32>(NZCV_ADDR, v); }

/** Flags of a 64-bit add with carry-in (Arm ARM shared/functions AddWithCarry). */
// @ts-ignore: decorator
@inline export function flags_add64(a: u64, b: u64, carry: u64, r: u64): u32 {
  const n = <u32>(r >>> 63);
  const z = <u32>(r == 0);
  // Carry out: unsigned overflow of a + b + carry
  const c = <u32>(r < a || (carry != 0 && r == a));
  const v = <u32>(((a ^ r) & (b ^ r)) >>> 63);
  return (n << 31) | (z << 30) | (c << 29) | (v << 28);
}

// @ts-ignore: decorator
@inline export function flags_add32(a: u32, b: u32, carry: u32, r: u32): u32 {
  const n = r >>> 31;
  const z = <u32>(r == 0);
  const c = <u32>(r < a || (carry != 0 && r == a));
  const v = ((a ^ r) & (b ^ r)) >>> 31;
  return (n << 31) | (z << 30) | (c << 29) | (v << 28);
}

// @ts-ignore: decorator
@inline export function flags_nz64(r: u64): u32 {
  return (<u32>(r >>> 63) << 31) | (<u32>(r == 0) << 30);
}
// @ts-ignore: decorator
@inline export function flags_nz32(r: u32): u32 {
  return ((r >>> 31) << 31) | (<u32>(r == 0) << 30);
}

/** ConditionHolds (Arm ARM shared/functions) on flags `f` (NZCV in bits 3:0): the definition COND_TABLE is built from. */
function condition_reference(cond: u32, f: u32): bool {
  const n = (f >>> 3) & 1, z = (f >>> 2) & 1, c = (f >>> 1) & 1, v = f & 1;
  let r: u32;
  switch (cond >>> 1) {
    case 0: r = z; break; // EQ
    case 1: r = c; break; // CS
    case 2: r = n; break; // MI
    case 3: r = v; break; // VS
    case 4: r = c & (z ^ 1); break; // HI
    case 5: r = <u32>(n == v); break; // GE
    case 6: r = <u32>(n == v) & (z ^ 1); break; // GT
    default: r = 1; // AL
  }
  // Odd conditions invert, except 1111 which is also "always"
  if ((cond & 1) != 0 && cond != 15) r ^= 1;
  return r != 0;
}

// Per condition, a 16-bit mask of the NZCV values it holds for: one load and a shift instead of a switch
// (an indirect jump) on every B.cond, CSEL and CCMP
const COND_TABLE = memory.data(32);
for (let cond: u32 = 0; cond < 16; cond++) {
  let mask: u32 = 0;
  for (let f: u32 = 0; f < 16; f++) if (condition_reference(cond, f)) mask |= 1 << f;
  store<u16>(COND_TABLE + (<usize>cond << 1), <u16>mask);
}

/** ConditionHolds (Arm ARM shared/functions): cond is the 4-bit field of B.cond, CSEL, CCMP. */
// @ts-ignore: decorator
@inline export function condition_holds(cond: u32): bool {
  return ((<u32>load<u16>(COND_TABLE + (<usize>cond << 1)) >>> (nzcv() >>> 28)) & 1) != 0;
}

/** A system register's stored value, by index from sysregs.gen.ts. */
// @ts-ignore: decorator
@inline export function sr(i: i32): u64 { return load<u64>(SYSREG_BASE + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline export function set_sr(i: i32, v: u64): void { store<u64>(SYSREG_BASE + (<usize>i << 3), v); }
