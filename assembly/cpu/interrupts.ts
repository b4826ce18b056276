// Asynchronous exceptions: physical IRQ, FIQ and SError from the host's interrupt lines, and the virtual
// ones HCR_EL2.VI/VF/VSE inject; their routing (SCR_EL3, HCR_EL2) and masking (PSTATE.DAIF) per Arm ARM
// D1.3.6 "Asynchronous exception routing" and D1.3.7 masking tables.
import { sr, attention } from "./regs";
import { cur_el, pstate, el2_enabled, PSR_I, PSR_F, PSR_A } from "./pstate";
import { take_exception, VECTOR_IRQ, VECTOR_FIQ, VECTOR_SERROR, EC_SERROR } from "./exceptions";
import { SR_SCR_EL3, SR_HCR_EL2 } from "./sysregs.gen";

/** Interrupt request lines driven by the host's interrupt controller (level-sensitive). */
export let irq_line: bool = false;
export let fiq_line: bool = false;
export let serror_line: bool = false;

export function set_lines(irq: bool, fiq: bool, serror: bool): void {
  irq_line = irq;
  fiq_line = fiq;
  serror_line = serror;
  attention = true;
}

const KIND_IRQ: u32 = 0;
const KIND_FIQ: u32 = 1;
const KIND_SERROR: u32 = 2;

/**
 * The EL a physical asynchronous exception of `kind` is taken to, or 0xff when it is not taken at the
 * current EL (target below the current EL, or masked by PSTATE).
 */
function physical_target(kind: u32): u32 {
  const scr = sr(SR_SCR_EL3);
  const hcr = el2_enabled() ? sr(SR_HCR_EL2) : 0;
  // SCR_EL3.IRQ/FIQ/EA are bits 1, 2, 3; HCR_EL2.IMO/FMO/AMO are bits 4, 3, 5; TGE (bit 27) routes all
  const scr_bit: u64 = kind == KIND_IRQ ? 2 : kind == KIND_FIQ ? 4 : 8;
  const hcr_bit: u64 = kind == KIND_IRQ ? 1 << 4 : kind == KIND_FIQ ? 1 << 3 : 1 << 5;
  let target: u32 = 1;
  if ((scr & scr_bit) != 0) target = 3;
  else if ((hcr & (hcr_bit | (1 << 27))) != 0) target = 2;
  if (target < cur_el) return 0xff;
  const mask: u64 = kind == KIND_IRQ ? PSR_I : kind == KIND_FIQ ? PSR_F : PSR_A;
  // Masked by PSTATE at the target EL itself, and at EL0 for exceptions to EL1
  const maskable = target == cur_el || (target == 1 && cur_el == 0);
  if (maskable && (pstate() & mask) != 0) return 0xff;
  return target;
}

/** Virtual IRQ/FIQ/SError (HCR_EL2.VI/VF/VSE with IMO/FMO/AMO): taken to EL1 from EL0/EL1 only. */
function virtual_pending(kind: u32): bool {
  if (cur_el > 1 || !el2_enabled()) return false;
  const hcr = sr(SR_HCR_EL2);
  if ((hcr & (1 << 27)) != 0) return false;
  const route: u64 = kind == KIND_IRQ ? 1 << 4 : kind == KIND_FIQ ? 1 << 3 : 1 << 5;
  const line: u64 = kind == KIND_IRQ ? 1 << 7 : kind == KIND_FIQ ? 1 << 6 : 1 << 8;
  if ((hcr & route) == 0 || (hcr & line) == 0) return false;
  const mask: u64 = kind == KIND_IRQ ? PSR_I : kind == KIND_FIQ ? PSR_F : PSR_A;
  return (pstate() & mask) == 0;
}

/** At an instruction boundary: takes the highest-priority pending unmasked exception; true if one was. */
export function take_pending_interrupt(pc: u64): bool {
  if (serror_line) {
    const t = physical_target(KIND_SERROR);
    if (t != 0xff) { serror_line = false; take_exception(t, VECTOR_SERROR, <u64>EC_SERROR << 26, 0, false, pc); return true; }
  }
  if (virtual_pending(KIND_SERROR)) {
    take_exception(1, VECTOR_SERROR, <u64>EC_SERROR << 26, 0, false, pc);
    return true;
  }
  if (fiq_line) {
    const t = physical_target(KIND_FIQ);
    if (t != 0xff) { take_exception(t, VECTOR_FIQ, 0, 0, false, pc); return true; }
  }
  if (irq_line) {
    const t = physical_target(KIND_IRQ);
    if (t != 0xff) { take_exception(t, VECTOR_IRQ, 0, 0, false, pc); return true; }
  }
  if (virtual_pending(KIND_FIQ)) { take_exception(1, VECTOR_FIQ, 0, 0, false, pc); return true; }
  if (virtual_pending(KIND_IRQ)) { take_exception(1, VECTOR_IRQ, 0, 0, false, pc); return true; }
  return false;
}

/** Whether anything is pending that wakes WFI: any asserted line, masked or not (D1.6.2 WFI wake-up). */
export function wake_pending(): bool {
  const hcr = cur_el <= 1 && el2_enabled() ? sr(SR_HCR_EL2) : 0;
  return irq_line || fiq_line || serror_line || (hcr & (7 << 6)) != 0;
}
