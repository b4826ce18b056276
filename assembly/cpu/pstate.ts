// PSTATE (Arm ARM D1.4): kept in SPSR layout at PSTATE_ADDR, with the fields the hot path needs cached in
// globals. Every change of EL, SPSel or security state goes through set_el_spsel / security_changed so
// the stack pointer banks and the translation caches follow.
import { PSTATE_ADDR, SP_ADDR, SP_BANK, NZCV_ADDR } from "../state/layout";
import { sr } from "./regs";
import { SR_SCR_EL3, SR_HCR_EL2 } from "./sysregs.gen";
import { regime_changed, flush_regime, el10_pan_open, REGIME_EL10 } from "../mmu/tlb";

// Security states (Arm ARM D1.1): the values are SCR_EL3.{NSE,NS} except Root
export const SEC_SECURE: u32 = 0;
export const SEC_NONSECURE: u32 = 1;
export const SEC_ROOT: u32 = 2;
export const SEC_REALM: u32 = 3;

// PSTATE bits in SPSR layout
export const PSR_SPSEL: u64 = 1;
export const PSR_F: u64 = 1 << 6;
export const PSR_I: u64 = 1 << 7;
export const PSR_A: u64 = 1 << 8;
export const PSR_D: u64 = 1 << 9;
export const PSR_DAIF: u64 = 0xf << 6;
export const PSR_BTYPE: u64 = 3 << 10;
export const PSR_IL: u64 = 1 << 20;
export const PSR_SS: u64 = 1 << 21;
export const PSR_PAN: u64 = 1 << 22;
export const PSR_DIT: u64 = 1 << 24;

export let cur_el: u32 = 0;
export let cur_sec: u32 = SEC_NONSECURE;

// @ts-ignore: decorator
@inline export function pstate(): u64 { return load<u64>(PSTATE_ADDR); }
// @ts-ignore: decorator
@inline export function set_pstate_bits(mask: u64, v: u64): void {
  store<u64>(PSTATE_ADDR, (load<u64>(PSTATE_ADDR) & ~mask) | (v & mask));
}
// @ts-ignore: decorator
@inline export function spsel(): u32 { return <u32>(load<u64>(PSTATE_ADDR) & 1); }

/** The security state an EL below 3 runs in, from SCR_EL3.{NSE,NS} (D1.1). */
export function lower_security(): u32 {
  const scr = sr(SR_SCR_EL3);
  return (<u32>(scr >>> 62) & 1) << 1 | (<u32>scr & 1);
}

/** Whether EL2 is enabled in the current security state (EL2 is implemented; Secure EL2 is not). */
export function el2_enabled(): bool {
  return cur_sec != SEC_SECURE;
}

/** HCR_EL2 as it applies now: its effective value is 0 when EL2 is not enabled. */
export function hcr_el2(): u64 {
  return el2_enabled() ? sr(SR_HCR_EL2) : 0;
}

function sp_bank(): usize {
  return SP_BANK + ((spsel() != 0 ? <usize>cur_el : 0) << 3);
}

/** Moves the PE to `el` with stack pointer selection `h` (1 = SP_ELx), banking the stack pointers. */
export function set_el_spsel(el: u32, h: u32): void {
  store<u64>(sp_bank(), load<u64>(SP_ADDR));
  const p = load<u64>(PSTATE_ADDR) & ~<u64>0xf;
  store<u64>(PSTATE_ADDR, p | (<u64>el << 2) | <u64>(h & 1));
  const changed = el != cur_el;
  cur_el = el;
  store<u64>(SP_ADDR, load<u64>(sp_bank()));
  if (changed) security_changed();
}

/** Recomputes the security state after a change of EL or of SCR_EL3, and the translation caches. */
export function security_changed(): void {
  const sec = cur_el == 3 ? SEC_ROOT : lower_security();
  cur_sec = sec;
  regime_changed();
}

/**
 * Call after PSTATE.PAN may have changed from `old`'s value (MSR PAN, exception entry and return): TLB entries
 * may not cache the effect of PAN (D8.4, R_FBQWG), so privileged EL1&0 entries made with PAN = 0 for
 * EL0-accessible pages go when PAN becomes 1.
 */
export function pan_changed(old: u64): void {
  if ((old & PSR_PAN) == 0 && (load<u64>(PSTATE_ADDR) & PSR_PAN) != 0 && el10_pan_open) flush_regime(REGIME_EL10);
}

/** Reads a banked stack pointer SP_ELn, wherever it currently lives. */
export function get_sp_el(n: u32): u64 {
  const inUse = (spsel() != 0 ? cur_el : 0) == n;
  return inUse ? load<u64>(SP_ADDR) : load<u64>(SP_BANK + (<usize>n << 3));
}
export function set_sp_el(n: u32, v: u64): void {
  const inUse = (spsel() != 0 ? cur_el : 0) == n;
  store<u64>(inUse ? SP_ADDR : SP_BANK + (<usize>n << 3), v);
}

/** The full PSTATE in SPSR layout, as saved on exception entry. */
export function spsr_value(): u64 {
  return load<u64>(PSTATE_ADDR) | <u64>load<u32>(NZCV_ADDR);
}

/** Re-derives the cached globals from PSTATE_ADDR, after the host changed the state directly. */
export function pstate_reload(): void {
  cur_el = <u32>(load<u64>(PSTATE_ADDR) >>> 2) & 3;
  cur_sec = 0xff;
  security_changed();
}
