// Exception generation and the system instruction space (Arm ARM C6.2: SVC, HVC, SMC, BRK, HLT, hints,
// barriers, MSR/MRS, SYS/SYSL with DC, IC, AT and TLBI).
import { x, sr, set_sr } from "./regs";
import { cur_el, hcr_el2, el2_enabled } from "./pstate";
import {
  undefined_instruction, exception_after, sync_exception, sync_target_el, request_exit,
  EC_SVC, EC_HVC, EC_SMC, EC_BRK, EC_WFX, EXIT_SEMIHOSTING, EXIT_WFI,
} from "./exceptions";
import { mrs, msr, msr_pstate, trap_sysreg } from "./sysreg";
import { wake_pending } from "./interrupts";
import { SR_SCR_EL3, SR_SCTLR_EL1, SR_PAR_EL1, SR_MDCR_EL2 } from "./sysregs.gen";
import { SEMIHOSTING, EXIT_ARG, EXCLUSIVE_SIZE } from "../state/layout";
import { zero_block } from "../mmu/mem";
import {
  flush_regime, invalidate, invalidate_pa, flush_all, REGIME_EL10_UNPRIV, REGIME_EL10, REGIME_EL2, REGIME_EL3,
  MATCH_VA, MATCH_ASID, MATCH_ALL_ASID, KIND_READ, KIND_WRITE,
} from "../mmu/tlb";
import {
  walk, walk_fault, walk_pa, walk_attr, walk_pas, walk_s1ptw, walk_stage2, walk_level, WALK_GPC_FAULT,
} from "../mmu/translate";
import { DCZID_BS } from "./constants.gen";

/** The op0:op1:CRn:CRm:op2 key of a SYS instruction (op0 = 1) for its trap syndrome. */
// @ts-ignore: decorator
@inline function sys_key(op1: u32, crn: u32, crm: u32, op2: u32): u32 {
  return (1 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

// ---- exception generation ----

export function exec_SVC(imm16: u32): void {
  exception_after(cur_el == 0 ? sync_target_el() : cur_el, EC_SVC, imm16);
}

export function exec_HVC(imm16: u32): void {
  // UNDEFINED at EL0, when SCR_EL3.HCE is 0, or where EL2 is not enabled (C6.2 HVC)
  if (cur_el == 0 || (sr(SR_SCR_EL3) & (1 << 8)) == 0 || (cur_el < 3 && !el2_enabled())) { undefined_instruction(); return; }
  exception_after(cur_el == 3 ? 3 : 2, EC_HVC, imm16);
}

export function exec_SMC(imm16: u32): void {
  if (cur_el == 0) { undefined_instruction(); return; }
  // HCR_EL2.TSC traps SMC from EL1 to EL2, with the SMC itself as the return address (D1.3.? traps)
  if (cur_el == 1 && (hcr_el2() & (1 << 19)) != 0) {
    sync_exception(2, EC_SMC, imm16, 0, false);
    return;
  }
  if ((sr(SR_SCR_EL3) & (1 << 7)) != 0) { undefined_instruction(); return; } // SCR_EL3.SMD
  exception_after(3, EC_SMC, imm16);
}

export function exec_BRK(imm16: u32): void {
  // From EL0/EL1, MDCR_EL2.TDE routes debug exceptions to EL2 as HCR_EL2.TGE does (J1.1.2.23 AArch64.SoftwareBreakpoint)
  const tde = cur_el <= 1 && el2_enabled() && (sr(SR_MDCR_EL2) & (1 << 8)) != 0;
  sync_exception(tde ? 2 : sync_target_el(), EC_BRK, imm16, 0, false);
}

/** HLT #0xF000 is the Arm semihosting call when the host enables it; otherwise halting is disabled. */
export function exec_HLT(imm16: u32): void {
  if (imm16 == 0xf000 && load<u32>(SEMIHOSTING) != 0) {
    store<u64>(EXIT_ARG, imm16);
    request_exit(EXIT_SEMIHOSTING);
    return;
  }
  undefined_instruction();
}

// ---- hints and barriers ----

export function exec_HINT(crm: u32, op2: u32): void {
  const op = (crm << 3) | op2;
  if (op == 3 || op == 2) wait_for(op == 3);
  // NOP, YIELD, SEV, SEVL and every other hint (BTI, PAC*, ESB, CSDB, ...) have no effect here
}

/** WFI/WFE: the traps of D1.7 (SCTLR_EL1.nTWI/nTWE, HCR_EL2.TWI/TWE, SCR_EL3.TWI/TWE), else the host waits. */
function wait_for(wfi: bool): void {
  // ISS: CV = 1 and COND = 0b1110 for exceptions from AArch64, TI = 0 WFI / 1 WFE (D24.2.45, WF* ISS)
  const iss: u32 = (1 << 24) | (0xe << 20) | (wfi ? 0 : 1);
  if (cur_el == 0 && (sr(SR_SCTLR_EL1) & (wfi ? (1 << 16) : (1 << 18))) == 0) {
    sync_exception(sync_target_el(), EC_WFX, iss, 0, false); return;
  }
  if (cur_el <= 1 && (hcr_el2() & (wfi ? (1 << 13) : (1 << 14))) != 0) {
    sync_exception(2, EC_WFX, iss, 0, false); return;
  }
  if (cur_el <= 2 && (sr(SR_SCR_EL3) & (wfi ? (1 << 12) : (1 << 13))) != 0) {
    sync_exception(3, EC_WFX, iss, 0, false); return;
  }
  // WFE may complete at once (spurious wake-ups are allowed); WFI waits for the host unless woken
  if (wfi && !wake_pending()) request_exit(EXIT_WFI);
}

export function exec_CLREX(crm: u32): void {
  store<u32>(EXCLUSIVE_SIZE, 0);
}
// @ts-ignore: decorator
@inline export function exec_DSB(crm: u32): void {}
// @ts-ignore: decorator
@inline export function exec_DMB(crm: u32): void {}
// @ts-ignore: decorator
@inline export function exec_ISB(crm: u32): void {}

// ---- system registers ----

export function exec_MSR_imm(op1: u32, crm: u32, op2: u32): void {
  msr_pstate(op1, op2, crm);
}
export function exec_MSR_reg(o0: u32, op1: u32, crn: u32, crm: u32, op2: u32, rt: u32): void {
  msr(((2 | o0) << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2, rt);
}
export function exec_MRS(o0: u32, op1: u32, crn: u32, crm: u32, op2: u32, rt: u32): void {
  mrs(((2 | o0) << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2, rt);
}

// ---- SYS: cache maintenance, address translation, TLB maintenance ----

export function exec_SYSL(op1: u32, crn: u32, crm: u32, op2: u32, rt: u32): void {
  undefined_instruction(); // no SYSL encodings are allocated in this implementation
}

export function exec_SYS(op1: u32, crn: u32, crm: u32, op2: u32, rt: u32): void {
  if (crn == 7) { cache_or_at(op1, crm, op2, rt); return; }
  if (crn == 8) { tlbi(op1, crm, op2, rt); return; }
  undefined_instruction();
}

/** DC, IC and AT (C5.3): caches are not modelled, so maintenance only checks that it is allowed. */
function cache_or_at(op1: u32, crm: u32, op2: u32, rt: u32): void {
  const sctlr1 = sr(SR_SCTLR_EL1);
  if (crm == 4 && op1 == 3 && op2 == 1) { dc_zva(rt); return; } // DC ZVA
  if (crm == 8 || crm == 9) { at(op1, crm, op2, rt); return; }
  // EL0 may use DC CVAU/CVAC/CVAP/CIVAC and IC IVAU when SCTLR_EL1.UCI is set (op1 = 3)
  if (op1 == 3) {
    const ok = (crm == 11 && op2 == 1) || (crm == 10 && op2 == 1) || (crm == 12 && op2 == 1) || (crm == 13 && op2 == 1)
      || (crm == 14 && op2 == 1) || (crm == 5 && op2 == 1);
    if (!ok) { undefined_instruction(); return; }
    if (cur_el == 0 && ((sctlr1 >> 26) & 1) == 0) { trap_sysreg(sync_target_el(), sys_key(op1, 7, crm, op2), rt, false); return; }
    return;
  }
  if (cur_el == 0) { undefined_instruction(); return; }
  if (op1 == 0) {
    // IC IALLUIS (crm 1, op2 0), IC IALLU (crm 5, op2 0), DC IVAC/ISW (crm 6), DC CSW (crm 10), DC CISW (crm 14)
    if ((crm == 1 && op2 == 0) || (crm == 5 && op2 == 0) || (crm == 6 && (op2 == 1 || op2 == 2))
      || (crm == 10 && op2 == 2) || (crm == 14 && op2 == 2)) return;
  }
  if (op1 == 6 && crm == 14 && (op2 == 1 || op2 == 7) && cur_el == 3) return; // DC CIPAPA, DC CIGDPAPA (RME)
  undefined_instruction();
}

/** DC ZVA: zeroes the block of DCZID_EL0.BS words holding Xt, as a store (D7.5.10); EL0 needs SCTLR_EL1.DZE. */
function dc_zva(rt: u32): void {
  if (cur_el == 0 && ((sr(SR_SCTLR_EL1) >> 14) & 1) == 0) {
    trap_sysreg(sync_target_el(), sys_key(3, 7, 4, 1), rt, false); // EC 0x18 with the DC ZVA's own syndrome
    return;
  }
  zero_block(x(rt), 4 << DCZID_BS);
}

/** AT S1E{0,1,2,3}{R,W}: a stage-1 walk whose outcome goes to PAR_EL1 instead of faulting (C5.5). */
function at(op1: u32, crm: u32, op2: u32, rt: u32): void {
  if (cur_el == 0 || crm != 8) { undefined_instruction(); return; }
  let regime: u32;
  let need_el: u32;
  const write = (op2 & 1) != 0;
  // AT S12E1R/W, S12E0R/W (op1 4, op2 4-7) translate both stages of EL1&0; the S1 forms stage 1 only
  const both_stages = op1 == 4 && op2 >= 4;
  if (op1 == 0 && op2 <= 3) { regime = op2 >= 2 ? REGIME_EL10_UNPRIV : REGIME_EL10; need_el = 1; }
  else if (both_stages) { regime = op2 >= 6 ? REGIME_EL10_UNPRIV : REGIME_EL10; need_el = 2; }
  else if (op1 == 4 && op2 <= 1) { regime = REGIME_EL2; need_el = 2; }
  else if (op1 == 6 && op2 <= 1) { regime = REGIME_EL3; need_el = 3; }
  else { undefined_instruction(); return; }
  if (cur_el < need_el) { undefined_instruction(); return; }
  // PSTATE.PAN does not apply: only FEAT_PAN2's AT S1E1RP/S1E1WP check it (C5.4.9, D8.15 I_KKHBS)
  const ok = walk(x(rt), write ? KIND_WRITE : KIND_READ, regime, false, both_stages);
  if (ok) {
    // PAR_EL1 success: PA[47:12], NS (bit 9) when the output is Non-secure, attributes in bits 63:56
    const ns: u64 = walk_pas == 1 ? 1 << 9 : 0;
    set_sr(SR_PAR_EL1, (walk_pa & 0x0000_ffff_ffff_f000) | ns | (<u64>walk_attr << 56));
  } else {
    // PAR_EL1 failure: F (bit 0), FST (bits 6:1), PTW (bit 8), S (bit 9: the fault is stage 2's)
    const fst = walk_fault == WALK_GPC_FAULT ? 0x24 + walk_level : walk_fault;
    set_sr(SR_PAR_EL1, 1 | (<u64>fst << 1) | (walk_s1ptw ? 1 << 8 : 0) | (walk_stage2 ? 1 << 9 : 0) | (<u64>1 << 11));
  }
}

/** TLBI (C5.5): every form removes exactly the entries its architectural scope names. */
function tlbi(op1: u32, crm: u32, op2: u32, rt: u32): void {
  // crm 1 = Outer Shareable, 3 = Inner Shareable, 7 = local: a single-PE TLB treats them alike
  if (crm != 1 && crm != 3 && crm != 7 && !(op1 == 4 && (crm == 0 || crm == 4)) && !(op1 == 6 && crm == 4)) {
    undefined_instruction(); return;
  }
  const arg = x(rt);
  const va = arg << 12; // Xt[43:0] is VA[55:12]
  const asid = <u32>(arg >>> 48);
  const sel = (op1 << 8) | (crm << 3) | op2;
  if (op1 == 0) {
    if (cur_el < 1) { undefined_instruction(); return; }
    // HCR_EL2.TTLB traps EL1's TLB maintenance to EL2 (D24.2.62)
    if (cur_el == 1 && (hcr_el2() & (<u64>1 << 25)) != 0) { trap_sysreg(2, sys_key(op1, 8, crm, op2), rt, false); return; }
    const va_ext = ((va >>> 55) & 1) != 0 ? va | 0xff00_0000_0000_0000 : va;
    switch (op2) {
      // VMALLE1: stage-1 entries of the current VMID (D8.17.5); the EL1&0 tables hold no other VMID's
      case 0: flush_regime(REGIME_EL10_UNPRIV); flush_regime(REGIME_EL10); return;
      case 1: case 5: // VAE1, VALE1
        invalidate(REGIME_EL10_UNPRIV, MATCH_VA | MATCH_ASID, va_ext, asid);
        invalidate(REGIME_EL10, MATCH_VA | MATCH_ASID, va_ext, asid);
        return;
      case 2: // ASIDE1
        invalidate(REGIME_EL10_UNPRIV, MATCH_ASID, 0, asid);
        invalidate(REGIME_EL10, MATCH_ASID, 0, asid);
        return;
      case 3: case 7: // VAAE1, VAALE1
        invalidate(REGIME_EL10_UNPRIV, MATCH_VA | MATCH_ALL_ASID, va_ext, 0);
        invalidate(REGIME_EL10, MATCH_VA | MATCH_ALL_ASID, va_ext, 0);
        return;
    }
    undefined_instruction();
    return;
  }
  if (op1 == 4) {
    if (cur_el < 2) { undefined_instruction(); return; }
    if (crm == 0 || crm == 4) {
      // IPAS2E1*, IPAS2LE1*: they apply only to entries holding a stage-2 translation alone (D8.17.5 R VZZVZ).
      // Every EL1&0 entry here combines both stages (stage 1 off counts: D8.17.6.1 requires the VMALLE1 or
      // VAE1 that follows), so the exact scope in this TLB is empty
      if (op2 == 1 || op2 == 5 || (crm == 4 && (op2 == 0 || op2 == 4))) return;
      undefined_instruction(); return;
    }
    switch (op2) {
      case 0: flush_regime(REGIME_EL2); return; // ALLE2
      case 1: case 5: invalidate(REGIME_EL2, MATCH_VA | MATCH_ALL_ASID, va, 0); return; // VAE2, VALE2
      // ALLE1: EL1&0 entries of every VMID; VMALLS12E1: those of the current VMID, both stages (D8.17.5).
      // The EL1&0 tables hold only the current VMID's entries (a VTTBR_EL2 write empties them), so both
      // empty the EL1&0 tables and leave the EL2 and EL3 ones
      case 4: case 6: flush_regime(REGIME_EL10_UNPRIV); flush_regime(REGIME_EL10); return;
    }
    undefined_instruction();
    return;
  }
  if (op1 == 6) {
    if (cur_el < 3) { undefined_instruction(); return; }
    if (crm == 4 && (op2 == 3 || op2 == 7)) { rpa(arg); return; } // RPAOS, RPALOS
    switch (op2) {
      case 0: flush_regime(REGIME_EL3); return; // ALLE3
      case 1: case 5: invalidate(REGIME_EL3, MATCH_VA | MATCH_ALL_ASID, va, 0); return; // VAE3, VALE3
      case 4: if (crm == 1 || crm == 7) { flush_all(); return; } break; // PAALLOS, PAALL
    }
  }
  undefined_instruction();
}

/** TLBI RPAOS/RPALOS: invalidate by PA range; Xt holds the base (bits 39:0 = PA[51:12]) and SIZE (47:44). */
function rpa(arg: u64): void {
  const size_code = <u32>(arg >>> 44) & 15;
  // SIZE: 0 4KB, 1 16KB, 2 64KB, 3 2MB, 4 32MB, 5 512MB, 6 1GB, 7 16GB, 8 64GB, 9 512GB
  const shifts: StaticArray<u32> = [12, 14, 16, 21, 25, 29, 30, 34, 36, 39];
  if (size_code > 9) return; // reserved sizes invalidate nothing defined
  const shift = shifts[size_code];
  const base = (arg & 0xff_ffff_ffff) << 12 & ~((<u64>1 << shift) - 1);
  invalidate_pa(base, base + (<u64>1 << shift) - 1);
}
