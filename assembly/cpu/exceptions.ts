// Exception entry and return (Arm ARM D1.3 "Exceptions", AArch64.TakeException and AArch64.ExceptionReturn).
// Guest-visible faults are values: an exception is taken architecturally (SPSR, ELR, ESR, FAR, vector) and,
// when the target EL is owned by a host service (the EL3 monitor, the RMM), run() returns to the host.
import { EXIT_REASON, EXIT_EL, EXIT_SECURITY, HOST_OWNED_ELS, EXCEPTIONS_TAKEN, EXCLUSIVE_SIZE, NZCV_ADDR, PSTATE_ADDR } from "../state/layout";
import { sr, set_sr, next_pc, branch_to, get_pc, attention, icount } from "./regs";
import {
  cur_el, cur_sec, set_el_spsel, spsr_value, hcr_el2, security_changed, lower_security, pan_changed,
  PSR_DAIF, PSR_IL, PSR_SS, PSR_PAN, PSR_BTYPE, PSR_DIT, SEC_SECURE, SEC_ROOT,
} from "./pstate";
import {
  SR_SPSR_EL1, SR_SPSR_EL2, SR_SPSR_EL3, SR_ELR_EL1, SR_ELR_EL2, SR_ELR_EL3, SR_ESR_EL1, SR_ESR_EL2, SR_ESR_EL3,
  SR_FAR_EL1, SR_FAR_EL2, SR_FAR_EL3, SR_VBAR_EL1, SR_VBAR_EL2, SR_VBAR_EL3, SR_SCTLR_EL1, SR_SCR_EL3, SR_HCR_EL2,
} from "./sysregs.gen";
import { trace_exception, trace_eret } from "../debug/trace";

// Exception classes (ESR_ELx.EC, D23.2.40)
export const EC_UNKNOWN: u32 = 0x00;
export const EC_WFX: u32 = 0x01;
export const EC_FP_ACCESS: u32 = 0x07; // Advanced SIMD or floating-point access trap
export const EC_ILLEGAL_STATE: u32 = 0x0e;
export const EC_SVC: u32 = 0x15;
export const EC_HVC: u32 = 0x16;
export const EC_SMC: u32 = 0x17;
export const EC_SYSREG: u32 = 0x18;
export const EC_IABT_LOWER: u32 = 0x20;
export const EC_IABT_SAME: u32 = 0x21;
export const EC_PC_ALIGN: u32 = 0x22;
export const EC_DABT_LOWER: u32 = 0x24;
export const EC_DABT_SAME: u32 = 0x25;
export const EC_SP_ALIGN: u32 = 0x26;
export const EC_GPC: u32 = 0x1e; // Granule Protection Check exception (FEAT_RME)
export const EC_SERROR: u32 = 0x2f;
export const EC_BRK: u32 = 0x3c;

// Vector offsets by exception type
export const VECTOR_SYNC: u32 = 0x000;
export const VECTOR_IRQ: u32 = 0x080;
export const VECTOR_FIQ: u32 = 0x100;
export const VECTOR_SERROR: u32 = 0x180;

// run() exit reasons (mirrored by src/core/exits.ts)
export const EXIT_NONE: u32 = 0;
export const EXIT_BUDGET: u32 = 1;
export const EXIT_HOST_EXCEPTION: u32 = 2; // an exception was taken to an EL the host owns
export const EXIT_SEMIHOSTING: u32 = 3;
export const EXIT_WFI: u32 = 4; // WFI/WFE with nothing pending: the host advances time or stops
export const EXIT_HALT: u32 = 5; // HLT without semihosting: a debugger halt
export const EXIT_EXCEPTION_LOOP: u32 = 6; // exceptions at a vector that faults at once: the guest is lost
export const EXIT_TIMER: u32 = 7; // a timer register was written: the host re-evaluates its deadline and PPIs
export const EXIT_SYSREG: u32 = 8; // MRS/MSR of a host-served register (ICC_*): EXIT_ARG says which, see sysreg.ts
export const EXIT_TRACE_FULL: u32 = 16; // the trace build's ring is nearly full: the host drains it and runs on

/**
 * Set when the current instruction took an exception: handlers must not write back any result. Taking an
 * exception also raises `attention`, and the run loop clears this flag at the next instruction boundary.
 */
export let aborted: bool = false;
export let exit_reason: u32 = EXIT_NONE;

// @ts-ignore: decorator
@inline export function request_exit(reason: u32): void {
  exit_reason = reason;
  store<u32>(EXIT_REASON, reason);
  attention = true;
}

function spsr_index(el: u32): i32 { return el == 1 ? SR_SPSR_EL1 : el == 2 ? SR_SPSR_EL2 : SR_SPSR_EL3; }
function elr_index(el: u32): i32 { return el == 1 ? SR_ELR_EL1 : el == 2 ? SR_ELR_EL2 : SR_ELR_EL3; }
export function esr_index(el: u32): i32 { return el == 1 ? SR_ESR_EL1 : el == 2 ? SR_ESR_EL2 : SR_ESR_EL3; }
export function far_index(el: u32): i32 { return el == 1 ? SR_FAR_EL1 : el == 2 ? SR_FAR_EL2 : SR_FAR_EL3; }
function vbar_index(el: u32): i32 { return el == 1 ? SR_VBAR_EL1 : el == 2 ? SR_VBAR_EL2 : SR_VBAR_EL3; }

/** The EL a synchronous exception from the current EL is taken to, when not routed by a specific rule. */
export function sync_target_el(): u32 {
  if (cur_el == 0) return (hcr_el2() & (1 << 27)) != 0 ? 2 : 1; // HCR_EL2.TGE routes EL0 to EL2
  return cur_el;
}

// Exception-loop detection: a vector whose first instruction takes an exception again, and again
let last_vector: u64 = 1;
let last_exception_icount: u64 = 0;
let loop_depth: u32 = 0;

/** AArch64.TakeException: enters `target` at vector offset `offset`, returning to `ret` afterwards. */
export function take_exception(target: u32, offset: u32, esr: u64, far: u64, far_valid: bool, ret: u64): void {
  if (isDefined(TRACE)) trace_exception(target, offset, esr, far, far_valid, ret);
  const from = cur_el;
  const saved = spsr_value();
  const old = load<u64>(PSTATE_ADDR);
  let vect = offset;
  if (target > from) vect += 0x400; // from a lower EL using AArch64
  else if ((load<u64>(PSTATE_ADDR) & 1) != 0) vect += 0x200; // current EL with SP_ELx
  set_sr(spsr_index(target), saved);
  set_sr(elr_index(target), ret);
  if (offset == VECTOR_SYNC || offset == VECTOR_SERROR) set_sr(esr_index(target), esr);
  if (far_valid) set_sr(far_index(target), far);
  set_el_spsel(target, 1);
  let p = load<u64>(PSTATE_ADDR) & ~(PSR_IL | PSR_SS | PSR_BTYPE);
  p |= PSR_DAIF;
  // D1.3.1: PAN is set on entry to EL1 when SCTLR_EL1.SPAN is 0
  if (target == 1 && (sr(SR_SCTLR_EL1) & (1 << 23)) == 0) p |= PSR_PAN;
  store<u64>(PSTATE_ADDR, p);
  pan_changed(old);
  store<u32>(EXCLUSIVE_SIZE, 0); // ClearExclusiveLocal
  const dest = (sr(vbar_index(target)) & ~<u64>0x7ff) + vect;
  const faulted_at = get_pc();
  branch_to(dest);
  aborted = true;
  attention = true; // the run loop clears `aborted` at the next boundary
  store<u64>(EXCEPTIONS_TAKEN, load<u64>(EXCEPTIONS_TAKEN) + 1);
  // A loop: the vector entered last faults at once, or an exception returns to the very vector it enters
  // (firmware re-injecting a fault on an unfetchable vector), again and again with nothing retiring between
  if ((faulted_at == last_vector || ret == dest) && icount - last_exception_icount <= 1) loop_depth++;
  else loop_depth = 0;
  last_vector = next_pc;
  last_exception_icount = icount;
  if (loop_depth >= 4) request_exit(EXIT_EXCEPTION_LOOP);
  const owned = load<u32>(HOST_OWNED_ELS);
  // An exception loop wins over the host's exit: firmware that re-injects a fault (the RMM's SEA for a
  // realm fetching from EMPTY memory) would otherwise keep the loop going without an instruction retiring
  if (((owned >> (cur_sec * 4 + target)) & 1) && exit_reason != EXIT_EXCEPTION_LOOP) {
    store<u32>(EXIT_EL, target);
    store<u32>(EXIT_SECURITY, cur_sec);
    request_exit(EXIT_HOST_EXCEPTION);
  }
}

/** A synchronous exception with syndrome (ec, iss) from the current instruction, IL = 1 (32-bit). */
export function sync_exception(target: u32, ec: u32, iss: u32, far: u64, far_valid: bool): void {
  const esr = (<u64>ec << 26) | (1 << 25) | <u64>(iss & 0x1ffffff);
  take_exception(target, VECTOR_SYNC, esr, far, far_valid, get_pc());
}

/** The architectural UNDEFINED exception for an unallocated or disallowed encoding (EC 0x00). */
export function undefined_instruction(): void {
  sync_exception(sync_target_el(), EC_UNKNOWN, 0, 0, false);
}

/** An exception-generating instruction whose preferred return address is the next instruction. */
export function exception_after(target: u32, ec: u32, iss: u32): void {
  const esr = (<u64>ec << 26) | (1 << 25) | <u64>(iss & 0x1ffffff);
  take_exception(target, VECTOR_SYNC, esr, 0, false, get_pc() + 4);
}

/** AArch64.ExceptionReturn from the current EL (ERET): D1.3.4, with the illegal-return checks of D1.4.4. */
export function exception_return(): void {
  const spsr = sr(spsr_index(cur_el));
  const elr = sr(elr_index(cur_el));
  if (isDefined(TRACE)) trace_eret(elr, spsr);
  const m = <u32>spsr & 0x1f;
  const el = (m >> 2) & 3;
  let illegal = false;
  if ((m & 0x10) != 0) illegal = true; // AArch32 is not implemented
  else if (m == 1 || m == 2 || m == 3 || m == 6 || m == 7 || m == 0xa || m == 0xb || m == 0xe || m == 0xf) illegal = true;
  else if (el > cur_el) illegal = true;
  else if (el == 2 && cur_el == 3 && (sr(SR_SCR_EL3) & 1) == 0 && lower_security() == SEC_SECURE) illegal = true; // no Secure EL2
  else if (el < 3 && cur_el == 3 && lower_security() == SEC_ROOT) illegal = true; // SCR_EL3.{NSE,NS} = {1,0} is reserved
  else if (el == 1 && (hcr_el2_for_return() & (1 << 27)) != 0) illegal = true; // HCR_EL2.TGE: EL1 is not entered
  store<u32>(EXCLUSIVE_SIZE, 0);
  store<u32>(NZCV_ADDR, <u32>spsr & 0xf0000000);
  // Only the PSTATE fields this PE implements come back (SetPSTATEFromPSR): DAIF, IL, PAN, DIT
  const old = load<u64>(PSTATE_ADDR);
  const p = spsr & (PSR_DAIF | PSR_IL | PSR_PAN | PSR_DIT);
  if (illegal) {
    // Keep EL and SPSel; PSTATE.IL makes the next instruction take an Illegal Execution State exception
    store<u64>(PSTATE_ADDR, p | (old & 0xf) | PSR_IL);
  } else {
    store<u64>(PSTATE_ADDR, p | (old & 0xf));
    set_el_spsel(el, m & 1);
    security_changed();
  }
  pan_changed(old);
  branch_to(elr);
  attention = true; // the restored PSTATE.IL, or pending interrupts now unmasked, act at the next boundary
}

/** HCR_EL2 as it will apply after an ERET from EL3 (the target's security state decides if EL2 is on). */
function hcr_el2_for_return(): u64 {
  if (cur_el == 3) return lower_security() == SEC_SECURE ? 0 : sr(SR_HCR_EL2);
  return hcr_el2();
}
