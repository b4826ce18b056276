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

/** The GIC virtual CPU interface's vIRQ and vFIQ (IHI0069 6.3), ORed with HCR_EL2.VI and VF. */
export let virq_line: bool = false;
export let vfiq_line: bool = false;

export function set_virtual_lines(virq: bool, vfiq: bool): void {
  virq_line = virq;
  vfiq_line = vfiq;
  attention = true;
}

export function set_lines(irq: bool, fiq: bool, serror: bool): void {
  irq_line = irq;
  fiq_line = fiq;
  serror_line = serror;
  attention = true;
}

const KIND_IRQ: u32 = 0;
const KIND_FIQ: u32 = 1;
const KIND_SERROR: u32 = 2;

// HCR_EL2.IMO/FMO/AMO (the routing bits) and VI/VF/VSE (the virtual interrupt lines), by kind
// @ts-ignore: decorator
@inline function hcr_route(kind: u32): u64 { return kind == KIND_IRQ ? 1 << 4 : kind == KIND_FIQ ? 1 << 3 : 1 << 5; }
// @ts-ignore: decorator
@inline function hcr_virtual(kind: u32): u64 { return kind == KIND_IRQ ? 1 << 7 : kind == KIND_FIQ ? 1 << 6 : 1 << 8; }
/** A virtual interrupt of `kind` is asserted by HCR_EL2.VI/VF/VSE or by the GIC's virtual CPU interface. */
// @ts-ignore: decorator
@inline function virtual_line(hcr: u64, kind: u32): bool {
  return (hcr & hcr_virtual(kind)) != 0 || (kind == KIND_IRQ ? virq_line : kind == KIND_FIQ ? vfiq_line : false);
}

/** The EL a physical asynchronous exception of `kind` targets (D1.4.6.3, Tables D1-21 and D1-23). */
function physical_target_el(kind: u32): u32 {
  const scr = sr(SR_SCR_EL3);
  const hcr = el2_enabled() ? sr(SR_HCR_EL2) : 0;
  // SCR_EL3.IRQ/FIQ/EA are bits 1, 2, 3; TGE (bit 27) routes all to EL2 as IMO/FMO/AMO do
  const scr_bit: u64 = kind == KIND_IRQ ? 2 : kind == KIND_FIQ ? 4 : 8;
  if ((scr & scr_bit) != 0) return 3;
  if ((hcr & (hcr_route(kind) | (1 << 27))) != 0) return 2;
  return 1;
}

/**
 * The EL a physical asynchronous exception of `kind` is taken to, or 0xff when it is not taken at the
 * current EL (target below the current EL, or masked by PSTATE).
 */
function physical_target(kind: u32): u32 {
  const target = physical_target_el(kind);
  if (target < cur_el) return 0xff;
  const mask: u64 = kind == KIND_IRQ ? PSR_I : kind == KIND_FIQ ? PSR_F : PSR_A;
  // Masked by PSTATE at the target EL itself, and at EL0 for exceptions to EL1
  const maskable = target == cur_el || (target == 1 && cur_el == 0);
  if (maskable && (pstate() & mask) != 0) return 0xff;
  return target;
}

/**
 * A virtual IRQ/FIQ/SError (HCR_EL2.VI/VF/VSE with IMO/FMO/AMO) that can be taken at the current EL if
 * unmasked: at EL0/EL1 with EL2 enabled and TGE 0, the "B" entries of the virtual masking table (D1.4.6.4.2).
 */
function virtual_asserted(kind: u32): bool {
  if (cur_el > 1 || !el2_enabled()) return false;
  const hcr = sr(SR_HCR_EL2);
  if ((hcr & (1 << 27)) != 0) return false;
  return (hcr & hcr_route(kind)) != 0 && virtual_line(hcr, kind);
}

/** A virtual exception of `kind` taken now: asserted and not masked by PSTATE. */
function virtual_pending(kind: u32): bool {
  if (!virtual_asserted(kind)) return false;
  const mask: u64 = kind == KIND_IRQ ? PSR_I : kind == KIND_FIQ ? PSR_F : PSR_A;
  return (pstate() & mask) == 0;
}

/** ESR of an SError: EC 0x2F with IL = 1, as for every SError (D24.2.45 ESR_ELx.IL); ISS 0 (no RAS). */
const SERROR_ESR: u64 = (<u64>EC_SERROR << 26) | (1 << 25);

/** At an instruction boundary: takes the highest-priority pending unmasked exception; true if one was. */
export function take_pending_interrupt(pc: u64): bool {
  if (serror_line) {
    const t = physical_target(KIND_SERROR);
    if (t != 0xff) { serror_line = false; take_exception(t, VECTOR_SERROR, SERROR_ESR, 0, false, pc); return true; }
  }
  if (virtual_pending(KIND_SERROR)) {
    take_exception(1, VECTOR_SERROR, SERROR_ESR, 0, false, pc);
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

/**
 * Whether a WFI wake-up event is pending (D1.7.2.1 R_VRLPB): a physical interrupt that can be taken at the
 * current EL or above (A or B in the masking tables), whatever PSTATE says, or at EL0/EL1 a virtual one
 * (B in the virtual table). An interrupt that targets an EL below the current one does not wake the PE.
 */
export function wake_pending(): bool {
  if (irq_line && physical_target_el(KIND_IRQ) >= cur_el) return true;
  if (fiq_line && physical_target_el(KIND_FIQ) >= cur_el) return true;
  if (serror_line && physical_target_el(KIND_SERROR) >= cur_el) return true;
  return virtual_asserted(KIND_IRQ) || virtual_asserted(KIND_FIQ) || virtual_asserted(KIND_SERROR);
}

/**
 * ISR_EL1 (D24.2.118): A, I, F pending bits. At EL1 with EL2 enabled, a kind HCR_EL2 routes to EL2
 * (AMO/IMO/FMO) shows its virtual line instead of the physical one.
 */
export function isr_value(): u64 {
  const hcr = cur_el == 1 && el2_enabled() ? sr(SR_HCR_EL2) : 0;
  let v: u64 = 0;
  if ((hcr & hcr_route(KIND_SERROR)) != 0 ? virtual_line(hcr, KIND_SERROR) : serror_line) v |= PSR_A;
  if ((hcr & hcr_route(KIND_IRQ)) != 0 ? virtual_line(hcr, KIND_IRQ) : irq_line) v |= PSR_I;
  if ((hcr & hcr_route(KIND_FIQ)) != 0 ? virtual_line(hcr, KIND_FIQ) : fiq_line) v |= PSR_F;
  return v;
}
