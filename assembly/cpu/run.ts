// The interpreter loop: fetch through the TLB, decode (through the decoded-instruction cache), execute,
// until the budget is spent or something needs the host (Exit codes in exceptions.ts).
//
// The PC and the instruction count live in locals: sequential flow never goes through memory, which would
// put a store-to-load round trip on every instruction's critical path. Handlers see the PC as pc_now and
// transfer control with branch_to(). Everything that is not the common case (an exception was taken, an
// exit requested, PSTATE.IL, interrupts) raises `attention`, so the common path checks one flag.
//
// Once a page's fetch translation is in the fetch fast path (fetch_va), execute_sequence (generated in
// decode.gen.ts) runs the instructions of that page in an inner loop: no TLB compare and no `attention`
// test per instruction, branches within the page followed in place; it returns at anything that can change
// the translation, the EL or PSTATE, so the next fetch sees the change. Where the page's code is hot, the
// block JIT's compiled code runs instead (jit.ts): the loop calls it through the function table.
import {
  PC_ADDR, ICOUNT, EXIT_REASON, PSTATE_ADDR, DECODE_CACHE, DECODE_CACHE_END, DECODE_CACHE_ENTRIES_LOG2, DECODE_CACHE_ENTRY_SIZE,
} from "../state/layout";
import { pc_now, next_pc, branched, icount, attention } from "./regs";
import {
  aborted, exit_reason, request_exit, sync_exception, sync_target_el, EXIT_NONE, EXIT_BUDGET, EC_ILLEGAL_STATE, EC_PC_ALIGN,
} from "./exceptions";
import { PSR_IL } from "./pstate";
import { fetch } from "../mmu/mem";
import { fetch_va, fetch_host } from "../mmu/tlb";
import { take_pending_interrupt } from "./interrupts";
import { execute_row, execute_sequence, decode_slot } from "./decode.gen";
import { trace_insn, trace_retire } from "../debug/trace";
import { jit_entry, jit_drop } from "./jit";

/** Instructions run in compiled blocks (--stats; the tests check the JIT really ran). */
export let jit_insns: u64 = 0;

export function run(budget: u64): u32 {
  exit_reason = EXIT_NONE;
  store<u32>(EXIT_REASON, EXIT_NONE);
  let pc = load<u64>(PC_ADDR);
  let count = load<u64>(ICOUNT);
  const end = count + budget;
  attention = true;
  while (count < end) {
    if (attention) {
      attention = false;
      aborted = false;
      branched = false;
      if (exit_reason != EXIT_NONE) break;
      pc_now = pc;
      icount = count;
      // PSTATE.IL after an illegal exception return: the next instruction takes the exception (D1.4.4), after
      // a PC alignment fault, which has the higher priority (D1.4.5.6: 7, Illegal Execution state 8 or 11)
      if ((load<u64>(PSTATE_ADDR) & PSR_IL) != 0) {
        count++;
        if ((pc & 3) != 0) sync_exception(sync_target_el(), EC_PC_ALIGN, 0, pc, true);
        else sync_exception(sync_target_el(), EC_ILLEGAL_STATE, 0, 0, false);
      } else {
        take_pending_interrupt(pc);
      }
      if (branched) {
        pc = next_pc;
        continue;
      }
    }
    if ((pc & ~<u64>0xffc) == fetch_va) {
      // The fetch fast path: this page's translation holds until something invalidates it, which only an
      // instruction that ends the sequence (a system instruction, an exception) or the host can do.
      // Compiled code first (jit.ts), when the whole block fits in the budget
      if (!isDefined(TRACE)) {
        const e = jit_entry(<u32>fetch_host + (<u32>pc & 0xffc));
        const fn = load<u32>(e, 4);
        if (fn != 0 && count + <u64>load<u32>(e, 8) <= end) {
          const after = call_indirect<u64>(fn, pc, count, end);
          if (after != u64.MAX_VALUE) {
            jit_insns += after - count;
            count = after;
            pc = next_pc;
            continue;
          }
          jit_drop(e);
        }
      }
      count = execute_sequence(pc, count, end, <u64>fetch_host - (pc & ~<u64>0xfff));
      pc = next_pc;
      continue;
    }
    // A new page (or a fault, or a fetch the GPC checks every time): one instruction through the full fetch
    count++;
    pc_now = pc;
    icount = count; // timers read it while the instruction executes
    next_pc = pc + 4;
    const insn = fetch(pc);
    if (!aborted) {
      const slot = DECODE_CACHE + ((<usize>(pc >>> 2) & ((1 << DECODE_CACHE_ENTRIES_LOG2) - 1)) << 4);
      // The cache holds the word it decoded, so a changed instruction (self-modifying code) decodes afresh
      if (load<u32>(slot) != insn) decode_slot(slot, insn);
      if (isDefined(TRACE)) trace_insn(pc, insn);
      EXECUTE_ONE(load<i32>(slot, 4), insn, slot + 8);
    }
    if (isDefined(TRACE)) trace_retire();
    pc = next_pc;
  }
  if (exit_reason == EXIT_NONE) request_exit(EXIT_BUDGET);
  icount = count;
  store<u64>(PC_ADDR, pc);
  store<u64>(ICOUNT, count);
  return exit_reason;
}

function execute_one(row: i32, insn: u32, ops: usize): void {
  execute_row(row, insn, ops);
}
// Called through a reference so that the handlers are not inlined a second time into run()
const EXECUTE_ONE: (row: i32, insn: u32, ops: usize) => void = execute_one;

/** Empties the decoded-instruction cache: every slot holds word 0 with its own decoding. */
export function decode_cache_reset(): void {
  for (let a = DECODE_CACHE; a < DECODE_CACHE_END; a += DECODE_CACHE_ENTRY_SIZE) decode_slot(a, 0);
}
