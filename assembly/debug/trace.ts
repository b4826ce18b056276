// The trace build's recorder (compiled in only with TRACE=1; every call site is `if (isDefined(TRACE))`):
// compact records in the ring at TRACE_RING, drained by the host when run() returns. The record formats
// are read by src/trace/records.ts; each record starts with a u32 header whose low byte is its kind.
//
// Register writes are cheap to note (a bit per register, set by set_x and friends) and written as records
// when the instruction retires, with the values then in the register file. SP and PSTATE (as cpsr) are
// also compared with their last traced values, which catches the changes exceptions and ERET make.
import {
  TRACE_HEAD, TRACE_LOST, TRACE_LIMIT, TRACE_RING, TRACE_RING_SIZE, X_BASE, SP_ADDR, PSTATE_ADDR, NZCV_ADDR,
} from "../state/layout";
import { cur_el, cur_sec } from "../cpu/pstate";
import { aborted, exit_reason, request_exit, EXIT_NONE, EXIT_TRACE_FULL } from "../cpu/exceptions";
import { icount } from "../cpu/regs";
import { read_sized, write_sized } from "../mmu/mem";
import { slot, table, tlb_fetch, tlb_read, tlb_write, cur_regime, TAG_INVALID, META_PAS_SHIFT, META_IO, KIND_WRITE, KIND_READ, REGIME_EL10_UNPRIV } from "../mmu/tlb";

export const REC_INSN: u32 = 1; // 32 bytes: hdr, encoding, PC, PA, icount
export const REC_REG: u32 = 2; // 16 bytes: hdr (register number in bits 15:8, SP's EL in 17:16), value
export const REC_MEM: u32 = 3; // 32 bytes: hdr, VA, PA, value
export const REC_EXC: u32 = 4; // 40 bytes: hdr, ESR, FAR, preferred return address, icount
export const REC_ERET: u32 = 5; // 32 bytes: hdr, target (ELR), SPSR, icount

export const REG_SP: u32 = 31;
export const REG_CPSR: u32 = 32;

// Room an instruction's records can take at most, kept free so a whole instruction always fits
const HEADROOM: u32 = 4096;

/** Registers written by the current instruction: bit n for Xn, bit 31 for SP. */
export let trace_written: u64 = 0;
let last_sp: u64 = 0;
let last_cpsr: u64 = 0;
let last_sp_el: u32 = 0;
/**
 * SP and cpsr may have changed since the last retirement: an exception was taken or returned from outside
 * an instruction (an interrupt, the host's), or the host ran since its drain emptied the ring.
 */
let sync_due = true;

/** Xn or, for 31, SP was written (the forms whose register 31 is the stack pointer). */
// @ts-ignore: decorator
@inline export function trace_reg_written(n: u32): void {
  trace_written |= <u64>1 << n;
}
/** Xn was written; register 31 is XZR here, and writes to it are discarded. */
// @ts-ignore: decorator
@inline export function trace_x_written(n: u32): void {
  trace_written |= (<u64>1 << n) & 0x7fffffff;
}

/** Reserves `bytes` in the ring; 0 when full (the record is dropped and counted). */
function reserve(bytes: u32): usize {
  const head = load<u32>(TRACE_HEAD);
  if (head + bytes > TRACE_RING_SIZE) {
    store<u32>(TRACE_LOST, load<u32>(TRACE_LOST) + 1);
    return 0;
  }
  store<u32>(TRACE_HEAD, head + bytes);
  return TRACE_RING + <usize>head;
}

function state_bits(): u32 {
  return cur_el | (cur_sec << 2) | (<u32>(load<u64>(PSTATE_ADDR) & 1) << 4);
}

/** The PA of `va` and its PA space from the TLB entry `e` an access just used: bit 63 set when unknown. */
function entry_pa(e: usize, va: u64): u64 {
  const tag = load<u64>(e);
  if (tag == TAG_INVALID || (tag & ~<u64>0xfff) != (va & ~<u64>0xfff)) return <u64>1 << 63;
  const meta = load<u64>(e, 24);
  return (load<u64>(e, 16) | (va & 0xfff)) | (((meta >>> META_PAS_SHIFT) & 3) << 56) | ((meta & META_IO) != 0 ? <u64>1 << 58 : 0);
}

function reg_record(n: u32, v: u64): void {
  const r = reserve(16);
  if (r == 0) return;
  store<u32>(r, REC_REG | (n << 8) | (last_sp_el << 16));
  store<u64>(r, v, 8);
}

/** SP and cpsr records for changes not yet traced (exception entry and return, MSR SPSel, the host). */
function sync_sp_cpsr(force_sp: bool): void {
  const sp = load<u64>(SP_ADDR);
  const el = (load<u64>(PSTATE_ADDR) & 1) != 0 ? cur_el : 0;
  if (force_sp || sp != last_sp || el != last_sp_el) {
    last_sp = sp;
    last_sp_el = el;
    reg_record(REG_SP, sp);
  }
  const cpsr = load<u64>(PSTATE_ADDR) | <u64>load<u32>(NZCV_ADDR);
  if (cpsr != last_cpsr) {
    last_cpsr = cpsr;
    reg_record(REG_CPSR, cpsr);
  }
}

/** An instruction fetched at `pc` is about to execute. */
export function trace_insn(pc: u64, insn: u32): void {
  if (sync_due || load<u32>(TRACE_HEAD) == 0) {
    sync_due = false;
    sync_sp_cpsr(false);
  }
  const r = reserve(32);
  if (r == 0) return;
  store<u32>(r, REC_INSN | (state_bits() << 8));
  store<u32>(r, insn, 4);
  store<u64>(r, pc, 8);
  store<u64>(r, entry_pa(slot(tlb_fetch, pc), pc), 16);
  store<u64>(r, icount, 24);
}

/** The instruction retired (or took an exception): its register writes; stop the run when the ring is nearly full. */
export function trace_retire(): void {
  let m = trace_written & 0x7fffffff;
  while (m != 0) {
    const n = <u32>ctz(m);
    m &= m - 1;
    reg_record(n, load<u64>(X_BASE + (<usize>n << 3)));
  }
  sync_sp_cpsr((trace_written & (<u64>1 << REG_SP)) != 0);
  trace_written = 0;
  // Another exit (an SMC to the host, say) already returns to the host, which drains the ring then. The
  // host may drain earlier than at the ring's end (TRACE_LIMIT): records it reads while still in the cache
  const limit = load<u32>(TRACE_LIMIT);
  if (exit_reason == EXIT_NONE && load<u32>(TRACE_HEAD) + HEADROOM > (limit != 0 && limit < TRACE_RING_SIZE ? limit : TRACE_RING_SIZE)) request_exit(EXIT_TRACE_FULL);
}

/** A data access of `size` bytes that completed: value as read or written (`zero_block` passes its block size). */
export function trace_access(va: u64, size: u32, v: u64, write: bool, unpriv: bool): void {
  if (aborted) return; // the exception record tells
  const regime = unpriv && cur_el == 1 ? REGIME_EL10_UNPRIV : cur_regime;
  mem_record(va, size, v, write, entry_pa(slot(table(regime, write ? KIND_WRITE : KIND_READ), va), va));
}

function mem_record(va: u64, size: u32, v: u64, write: bool, pa: u64): void {
  const r = reserve(32);
  if (r == 0) return;
  store<u32>(r, REC_MEM | (size << 8) | (<u32>write << 16));
  store<u64>(r, va, 8);
  store<u64>(r, pa, 16);
  store<u64>(r, v, 24);
}

/**
 * A read of `size` bytes at `va` in the trace build: the TLB fast path when it hits (recording the access
 * with the entry's PA), else the general path, which records it (mem.ts read_sized).
 */
export function traced_read(va: u64, size: u32): u64 {
  const e = slot(tlb_read, va);
  if (load<u64>(e) != (va & ~(<u64>0x1000 - size))) return read_sized(va, size, 0);
  const a = <usize>(va + load<u64>(e, 8));
  const v = size == 1 ? <u64>load<u8>(a) : size == 2 ? <u64>load<u16>(a) : size == 4 ? <u64>load<u32>(a) : load<u64>(a);
  mem_record(va, size, v, false, entry_pa(e, va));
  return v;
}

/** A write in the trace build: the TLB fast path when it hits, else the general path (which records it). */
export function traced_write(va: u64, size: u32, v: u64): void {
  const e = slot(tlb_write, va);
  if (load<u64>(e) != (va & ~(<u64>0x1000 - size))) { write_sized(va, size, v, 0); return; }
  const a = <usize>(va + load<u64>(e, 8));
  if (size == 1) store<u8>(a, <u8>v);
  else if (size == 2) store<u16>(a, <u16>v);
  else if (size == 4) store<u32>(a, <u32>v);
  else store<u64>(a, v);
  mem_record(va, size, v, true, entry_pa(e, va));
}

/** AArch64.TakeException is about to enter `target` (called before any state changes). */
export function trace_exception(target: u32, offset: u32, esr: u64, far: u64, far_valid: bool, ret: u64): void {
  sync_due = true;
  const r = reserve(40);
  if (r == 0) return;
  store<u32>(r, REC_EXC | (state_bits() << 8) | (target << 16) | ((offset >> 7) << 18) | (<u32>far_valid << 20));
  store<u64>(r, esr, 8);
  store<u64>(r, far, 16);
  store<u64>(r, ret, 24);
  store<u64>(r, icount, 32);
}

/** An exception return from the current EL is about to happen (called before any state changes). */
export function trace_eret(target: u64, spsr: u64): void {
  sync_due = true;
  const r = reserve(32);
  if (r == 0) return;
  store<u32>(r, REC_ERET | (state_bits() << 8));
  store<u64>(r, target, 8);
  store<u64>(r, spsr, 16);
  store<u64>(r, icount, 24);
}
