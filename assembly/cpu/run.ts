// The interpreter loop: fetch through the TLB, decode (through the decoded-instruction cache), execute,
// until the budget is spent or something needs the host (Exit codes in exceptions.ts).
//
// The PC and the instruction count live in locals: sequential flow never goes through memory, which would
// put a store-to-load round trip on every instruction's critical path. Handlers see the PC as pc_now and
// transfer control with branch_to(). Everything that is not the common case (an exception was taken, an
// exit requested, PSTATE.IL, interrupts) raises `attention`, so the common path checks one flag.
import {
  PC_ADDR, ICOUNT, EXIT_REASON, PSTATE_ADDR, DECODE_CACHE, DECODE_CACHE_END, DECODE_CACHE_ENTRIES_LOG2, DECODE_CACHE_ENTRY_SIZE,
} from "../state/layout";
import { pc_now, next_pc, branched, icount, attention } from "./regs";
import {
  aborted, exit_reason, request_exit, sync_exception, sync_target_el, EXIT_NONE, EXIT_BUDGET, EC_ILLEGAL_STATE, EC_PC_ALIGN,
} from "./exceptions";
import { PSR_IL } from "./pstate";
import { fetch } from "../mmu/mem";
import { take_pending_interrupt } from "./interrupts";
import { execute_row, predecode } from "./decode.gen";
import { decode_index } from "./decode-index.gen";
import { trace_insn, trace_retire } from "../debug/trace";

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
    count++;
    pc_now = pc;
    icount = count; // timers read it while the instruction executes
    // Where the next instruction is unless this one branches: one store and one load instead of a test
    // of `branched` (which branch_to still sets) on every instruction
    next_pc = pc + 4;
    const insn = fetch(pc);
    if (!aborted) {
      // The cache holds the word it decoded, so a changed instruction (self-modifying code) decodes afresh
      const slot = DECODE_CACHE + ((<usize>(pc >>> 2) & ((1 << DECODE_CACHE_ENTRIES_LOG2) - 1)) << 4);
      let row: i32;
      if (load<u32>(slot) == insn) {
        row = load<i32>(slot, 4);
      } else {
        row = decode_slot(slot, insn);
      }
      if (isDefined(TRACE)) trace_insn(pc, insn);
      execute_row(row, insn, slot + 8);
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

/** Decodes `insn` into cache slot `slot`: word, row and operands. Returns the row. */
function decode_slot(slot: usize, insn: u32): i32 {
  const row = decode_index(insn);
  store<u32>(slot, insn);
  store<i32>(slot, row, 4);
  predecode(row, insn, slot + 8);
  return row;
}

/** Empties the decoded-instruction cache: every slot holds word 0 with its own decoding. */
export function decode_cache_reset(): void {
  for (let a = DECODE_CACHE; a < DECODE_CACHE_END; a += DECODE_CACHE_ENTRY_SIZE) decode_slot(a, 0);
}
