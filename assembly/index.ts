// The core's only export surface: integer scalars only. State lives in linear memory at the offsets
// exported here; the host reads and writes it through typed views (src/core/).
import {
  X_BASE, PC_ADDR, SP_ADDR, NZCV_ADDR, PSTATE_ADDR, SP_BANK, V_BASE, EXIT_REASON, EXIT_EL, EXIT_SECURITY, EXIT_ARG,
  COUNTER_BASE, ICOUNT, TLB_MISSES, TLB_FLUSHES, EXCEPTIONS_TAKEN, HOST_OWNED_ELS, SEMIHOSTING, SYSREG_BASE,
  REGION_BASE, RAM_HOST_BASE, EXCLUSIVE_SIZE, TRACE_BASE,
} from "./state/layout";
import { pc_now, next_pc, branched, attention } from "./cpu/regs";
import { pstate_reload, cur_el } from "./cpu/pstate";
import { exception_return, take_exception, aborted } from "./cpu/exceptions";
import { sysreg_reset_all, SYSREG_COUNT } from "./cpu/sysregs.gen";
import { add_region } from "./mmu/phys";
import { tlb_init, flush_all, invalidate_pa, cur_regime, KIND_READ, KIND_WRITE, KIND_FETCH } from "./mmu/tlb";
import { walk, walk_pa, walk_pas, walk_fault } from "./mmu/translate";
export { run, jit_insns } from "./cpu/run";
import { decode_cache_reset } from "./cpu/run";
import { set_lines, set_virtual_lines } from "./cpu/interrupts";
import { physical_count } from "./cpu/sysreg";
/** The table row the decoder picks for a word (tests compare the generated tree with the reference). */
export { decode_index } from "./cpu/decode-index.gen";
// The block JIT (src/core/jit.ts): the handlers its blocks call, the state they share with the run loop
export * from "./cpu/jit-handlers.gen";
export { jit_set_threshold, jit_reset, jit_install } from "./cpu/jit";
export { pc_now, next_pc, icount, attention } from "./cpu/regs";
export { tlb_read, tlb_write } from "./mmu/tlb";
export { TLB_ENTRIES_LOG2 as STATE_TLB_ENTRIES_LOG2 } from "./state/layout";

export const STATE_X = X_BASE;
export const STATE_PC = PC_ADDR;
export const STATE_SP = SP_ADDR;
export const STATE_NZCV = NZCV_ADDR;
export const STATE_PSTATE = PSTATE_ADDR;
export const STATE_SP_BANK = SP_BANK;
export const STATE_V = V_BASE;
export const STATE_EXCLUSIVE_SIZE = EXCLUSIVE_SIZE;
export const STATE_EXIT_REASON = EXIT_REASON;
export const STATE_EXIT_EL = EXIT_EL;
export const STATE_EXIT_SECURITY = EXIT_SECURITY;
export const STATE_EXIT_ARG = EXIT_ARG;
export const STATE_COUNTERS = COUNTER_BASE;
export const STATE_ICOUNT = ICOUNT;
export const STATE_TLB_MISSES = TLB_MISSES;
export const STATE_TLB_FLUSHES = TLB_FLUSHES;
export const STATE_EXCEPTIONS_TAKEN = EXCEPTIONS_TAKEN;
export { GPC_CHECKS as STATE_GPC_CHECKS, GPT_WALKS as STATE_GPT_WALKS, GPC_FAULTS as STATE_GPC_FAULTS } from "./state/layout";
export { TLBI_PA_OPS as STATE_TLBI_PA_OPS, TLBI_PA_REMOVED as STATE_TLBI_PA_REMOVED } from "./state/layout";
export const STATE_HOST_OWNED_ELS = HOST_OWNED_ELS;
export const STATE_SEMIHOSTING = SEMIHOSTING;
export const STATE_SYSREGS = SYSREG_BASE;
export const STATE_SYSREG_COUNT = SYSREG_COUNT;
export const STATE_REGIONS = REGION_BASE;
export const RAM_BASE = RAM_HOST_BASE;

/** Grows linear memory to hold `ram_bytes` of guest RAM after RAM_BASE; returns 0, or 1 if it cannot. */
export function init(ram_bytes: u32): u32 {
  if (__heap_base > RAM_HOST_BASE) return 1;
  if (isDefined(TRACE)) { if (__heap_base > TRACE_BASE) return 1; } // the trace ring sits above the heap
  const need = (<u64>RAM_HOST_BASE + <u64>ram_bytes + 0xffff) >> 16;
  const have = <u64>memory.size();
  if (need > 65536) return 1;
  if (need > have && memory.grow(<i32>(need - have)) < 0) return 1;
  reset();
  return 0;
}

/** Architectural reset of the PE's state (not of RAM or the region table). */
export function reset(): void {
  memory.fill(X_BASE, 0, 0x700);
  sysreg_reset_all();
  tlb_init();
  decode_cache_reset();
  set_virtual_lines(false, false);
  state_changed();
}

export function add_memory_region(base: u64, size: u64, host: u64, kind: u32, device: u32): i32 {
  return add_region(base, size, host, kind, device);
}

/** The host changed PSTATE, SCR_EL3 or translation registers directly: re-derive the cached state. */
export function state_changed(): void {
  pstate_reload();
  flush_all();
  attention = true;
}

/** ERET on behalf of a host service that owns the current EL (the EL3 monitor, the RMM). */
export function host_eret(): void {
  pc_now = load<u64>(PC_ADDR);
  exception_return();
  store<u64>(PC_ADDR, next_pc);
  aborted = false;
  branched = false;
}

/** Takes an exception on behalf of the host (e.g. firmware injecting one), as the architecture would. */
export function host_take_exception(target: u32, offset: u32, esr: u64, far: u64, ret: u64): void {
  pc_now = load<u64>(PC_ADDR);
  take_exception(target, offset, esr, far, true, ret);
  store<u64>(PC_ADDR, next_pc);
  aborted = false;
  branched = false;
}

/** The generic counter now, also from inside an MMIO callback (memory-mapped timers and watchdogs). */
export function counter_now(): u64 {
  return physical_count();
}

/** The interrupt controller's output lines to this PE (level-sensitive). */
export function set_interrupt_lines(irq: u32, fiq: u32, serror: u32): void {
  set_lines(irq != 0, fiq != 0, serror != 0);
}

/** The GIC virtual CPU interface's vIRQ and vFIQ to this PE (level-sensitive). */
export function set_virtual_interrupt_lines(virq: u32, vfiq: u32): void {
  set_virtual_lines(virq != 0, vfiq != 0);
}

/** TLB maintenance by PA range [lo, hi] as TLBI RPALOS makes it: the EL3 monitor's after a GPT change. */
export function tlb_invalidate_pa(lo: u64, hi: u64): void {
  invalidate_pa(lo, hi);
}

export function tlb_flush(): void {
  flush_all();
}

/**
 * Translates `va` in the current regime as an access of `kind` (0 read, 1 write, 2 fetch) without
 * faulting: returns the PA, or u64.MAX_VALUE when the walk faults (the host's debugger and semihosting).
 */
export function translate_va(va: u64, kind: u32): u64 {
  if (!walk(va, kind, cur_regime, false)) return u64.MAX_VALUE;
  return walk_pa | (va & 0xfff);
}
export function last_walk_fault(): u32 { return walk_fault; }
export function last_walk_pas(): u32 { return walk_pas; }
export function current_el(): u32 { return cur_el; }

/** The Granule Protection Check's verdict for one access, with the level in bits 15:8 (tests, `bench gpc`). */
export function gpc_probe(pa: u64, pas: u32, sec: u32): u32 {
  const v = gpc_check(pa, pas, sec);
  return v == GPC_PASS ? v : v | (gpc_level << 8); // a pass has no level
}
import { gpc_check, gpc_level, GPC_PASS } from "./mmu/gpc";
export { RME_FEATURES as STATE_RME_FEATURES } from "./state/layout";
export { TIME_SKIPPED as STATE_TIME_SKIPPED } from "./state/layout";
export { X_BASE as STATE_PE_BEGIN, PE_STATE_END as STATE_PE_END } from "./state/layout";

/**
 * The TLB entry of `regime` (0 EL1&0 unprivileged, 1 EL1&0, 2 EL2, 3 EL3) and `kind` (0 read, 1 write,
 * 2 fetch) for the page of `va`: its PA, or u64.MAX_VALUE when there is none (tests of TLBI scopes).
 */
export function tlb_entry_pa(regime: u32, kind: u32, va: u64): u64 {
  const e = tlb_entry(regime, kind, va);
  return e == 0 ? u64.MAX_VALUE : load<u64>(e, 16);
}
/** The same entry's tags: ASID in bits 15:0, VMID in bits 31:16 (0 when there is no entry). */
export function tlb_entry_tags(regime: u32, kind: u32, va: u64): u64 {
  const e = tlb_entry(regime, kind, va);
  return e == 0 ? 0 : load<u64>(e, 24) & 0xffff_ffff;
}
import { tlb_entry } from "./mmu/tlb";
export { GPC_VERDICTS_REUSED as STATE_GPC_VERDICTS_REUSED, GPC_EVERY_ACCESS as STATE_GPC_EVERY_ACCESS } from "./state/layout";
export { gpc_bench_walks, gpc_bench_cached } from "./mmu/gpc";
export { GPC_FAST_PASSES as STATE_GPC_FAST_PASSES } from "./state/layout";

/** Linear-memory scratch for the host (bench address streams): `bytes` allocated once, never freed. */
export function scratch(bytes: u32): usize {
  return heap.alloc(<usize>bytes);
}
