// The interpreter loop: fetch through the TLB, decode by the generated switch, execute, until the budget
// is spent or something needs the host (Exit codes in exceptions.ts).
import { PC_ADDR, ICOUNT, EXIT_REASON, PSTATE_ADDR } from "../state/layout";
import { pc_now, next_pc, icount, attention } from "./regs";
import { aborted, exit_reason, request_exit, sync_exception, sync_target_el, EXIT_NONE, EXIT_BUDGET, EC_ILLEGAL_STATE } from "./exceptions";
import { PSR_IL } from "./pstate";
import { fetch } from "../mmu/mem";
import { take_pending_interrupt } from "./interrupts";
import { decode_execute } from "./decode.gen";

export function run(budget: u64): u32 {
  exit_reason = EXIT_NONE;
  store<u32>(EXIT_REASON, EXIT_NONE);
  let pc = load<u64>(PC_ADDR);
  icount = load<u64>(ICOUNT);
  const end = icount + budget;
  while (true) {
    if (icount >= end) { request_exit(EXIT_BUDGET); break; }
    aborted = false;
    pc_now = pc;
    icount++;
    if (attention) {
      attention = false;
      // PSTATE.IL after an illegal exception return: the next instruction takes the exception (D1.4.4)
      if ((load<u64>(PSTATE_ADDR) & PSR_IL) != 0) {
        sync_exception(sync_target_el(), EC_ILLEGAL_STATE, 0, 0, false);
        pc = next_pc;
        if (exit_reason != EXIT_NONE) break;
        continue;
      }
      if (take_pending_interrupt(pc)) {
        pc = next_pc;
        if (exit_reason != EXIT_NONE) break;
        continue;
      }
    }
    const insn = fetch(pc);
    if (aborted) {
      pc = next_pc;
      if (exit_reason != EXIT_NONE) break;
      continue;
    }
    next_pc = pc + 4;
    decode_execute(insn);
    pc = next_pc;
    if (exit_reason != EXIT_NONE) break;
  }
  store<u64>(PC_ADDR, pc);
  store<u64>(ICOUNT, icount);
  return exit_reason;
}
