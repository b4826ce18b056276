// MRS and MSR (register): access checks, traps and the registers with side effects or computed values
// (Arm ARM D23, and the access pseudocode of each register page). Plain registers are storage.
import { NZCV_ADDR, TIME_SKIPPED, EXIT_ARG } from "../state/layout";
import { sr, set_sr, x, set_x, icount, attention } from "./regs";
import {
  cur_el, pstate, set_pstate_bits, set_el_spsel, spsel, hcr_el2, get_sp_el, set_sp_el, el2_enabled, pan_changed,
  PSR_DAIF, PSR_PAN, PSR_DIT,
} from "./pstate";
import { undefined_instruction, sync_exception, aborted, request_exit, EC_SYSREG, EXIT_TIMER, EXIT_SYSREG } from "./exceptions";
import { isr_value } from "./interrupts";
import { fp_enabled, FPCR_WRITABLE, FPCR_FZ16, FPSR_WRITABLE } from "./vregs";
import { flush_regime, REGIME_EL10_UNPRIV, REGIME_EL10, REGIME_EL2, REGIME_EL3 } from "../mmu/tlb";
import { CTR_EL0_VALUE, DCZID_BS } from "./constants.gen";
import * as S from "./sysregs.gen";

/**
 * Virtual time: the physical count is the number of instructions executed plus the ticks the host skipped
 * while every PE waited in WFI (DESIGN.md section 7).
 */
// @ts-ignore: decorator
@inline export function physical_count(): u64 { return icount + load<u64>(TIME_SKIPPED); }

function virtual_offset(): u64 {
  // With EL2 implemented and no VHE, CNTVCT_EL0 is the count minus CNTVOFF_EL2 at every EL and in every
  // security state (D24.10.28 CNTVCT_EL0, whether or not EL2 is enabled)
  return sr(S.SR_CNTVOFF_EL2);
}

/**
 * Trap of an MRS/MSR/SYS to `target` with the syndrome of D24.2.45 (EC 0x18); `key` is the instruction's
 * op0:op1:CRn:CRm:op2 (op0 = 0 for MSR (immediate), 1 for SYS).
 */
export function trap_sysreg(target: u32, key: u32, rt: u32, read: bool): void {
  const op0 = (key >> 14) & 3, op1 = (key >> 11) & 7, crn = (key >> 7) & 15, crm = (key >> 3) & 15, op2 = key & 7;
  const iss = (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (read ? 1 : 0);
  sync_exception(target, EC_SYSREG, iss, 0, false);
}

/** The ID register space (op0=3, op1=0, CRn=0, CRm=1..7) reads as zero where nothing is allocated. */
function is_id_space(key: u32): bool {
  return (key >> 11) == 0x18 && ((key >> 7) & 15) == 0 && ((key >> 3) & 15) >= 1;
}

/** EL0 access rules of the op1=3 registers that depend on EL1's controls; returns false after trapping. */
function el0_allowed(i: i32, key: u32, rt: u32, read: bool): bool {
  if (cur_el != 0) return true;
  const sctlr = sr(S.SR_SCTLR_EL1);
  const kctl = sr(S.SR_CNTKCTL_EL1);
  let ok = true;
  if (i == S.SR_DAIF) ok = ((sctlr >> 9) & 1) != 0; // SCTLR_EL1.UMA
  else if (i == S.SR_CTR_EL0) ok = ((sctlr >> 15) & 1) != 0; // SCTLR_EL1.UCT
  else if (i == S.SR_CNTPCT_EL0) ok = (kctl & 1) != 0; // CNTKCTL_EL1.EL0PCTEN
  else if (i == S.SR_CNTVCT_EL0) ok = (kctl & 2) != 0; // EL0VCTEN
  else if (i == S.SR_CNTFRQ_EL0) ok = (kctl & 3) != 0;
  else if (i == S.SR_CNTP_CTL_EL0 || i == S.SR_CNTP_CVAL_EL0 || i == S.SR_CNTP_TVAL_EL0) ok = ((kctl >> 9) & 1) != 0; // EL0PTEN
  else if (i == S.SR_CNTV_CTL_EL0 || i == S.SR_CNTV_CVAL_EL0 || i == S.SR_CNTV_TVAL_EL0) ok = ((kctl >> 8) & 1) != 0; // EL0VTEN
  else if (i == S.SR_TPIDRRO_EL0) ok = read;
  if (!ok) {
    if (i == S.SR_TPIDRRO_EL0) { undefined_instruction(); return false; }
    trap_sysreg((hcr_el2() & (1 << 27)) != 0 ? 2 : 1, key, rt, read);
    return false;
  }
  return true;
}

/** Common checks of MRS/MSR; returns the register index or -1 after taking an exception. */
function check_access(key: u32, rt: u32, read: bool): i32 {
  const i = S.sysreg_index(key);
  // HCR_EL2.TID3 traps EL1 reads of the ID group 3 space (op0 3, op1 0, CRn 0, CRm 1-7), allocated or RAZ:
  // ID_PFR0_EL1 and the other AArch32 ID registers included (D24.2.62 HCR_EL2.TID3)
  if (read && cur_el == 1 && is_id_space(key) && (hcr_el2() & (<u64>1 << 18)) != 0) {
    trap_sysreg(2, key, rt, read);
    return -1;
  }
  if (i < 0) {
    if (read && cur_el >= 1 && is_id_space(key)) return -2; // RAZ
    undefined_instruction();
    return -1;
  }
  if (cur_el < S.sysreg_min_el(i)) { undefined_instruction(); return -1; }
  if (i == S.SR_CNTPS_CTL_EL1 || i == S.SR_CNTPS_CVAL_EL1 || i == S.SR_CNTPS_TVAL_EL1) {
    // The secure physical timer: UNDEFINED at EL2 and Non-secure EL1; Secure EL1 needs SCR_EL3.ST, else it
    // traps to EL3 (D24.10.22 CNTPS_CTL_EL1 accessibility)
    const scr = sr(S.SR_SCR_EL3);
    if (cur_el == 2 || (cur_el == 1 && (scr & 1) != 0)) { undefined_instruction(); return -1; }
    if (cur_el == 1 && (scr & (1 << 11)) == 0) { trap_sysreg(3, key, rt, read); return -1; }
  }
  if (i == S.SR_FPCR || i == S.SR_FPSR) {
    // UNDEFINED while ID_AA64PFR0_EL1.FP reports no FP; otherwise behind the SIMD&FP traps (C5.2.8 FPCR)
    if (((sr(S.SR_ID_AA64PFR0_EL1) >> 16) & 0xf) == 0xf) { undefined_instruction(); return -1; }
    if (!fp_enabled()) return -1;
  }
  const acc = S.sysreg_access(i);
  if ((read && (acc == S.ACCESS_WO || acc == S.ACCESS_HOST_WO)) || (!read && (acc == S.ACCESS_RO || acc == S.ACCESS_HOST_RO))) {
    undefined_instruction();
    return -1;
  }
  if (!el0_allowed(i, key, rt, read)) return -1;
  if (!el2_timer_allowed(i, key, rt, read)) return -1;
  return i;
}

/**
 * CNTHCTL_EL2.EL1PCTEN (bit 0) and EL1PCEN (bit 1) with HCR_EL2.E2H 0 (no VHE here): EL0 and EL1 accesses to
 * the physical counter and timer trap to EL2 when EL2 is enabled (D24.10.4 CNTHCTL_EL2; D24.10.9
 * CNTP_CTL_EL0 accessibility, after the CNTKCTL_EL1 check at EL0). Returns false after trapping.
 */
function el2_timer_allowed(i: i32, key: u32, rt: u32, read: bool): bool {
  if (cur_el > 1 || !el2_enabled()) return true;
  const hctl = sr(S.SR_CNTHCTL_EL2);
  let ok = true;
  if (i == S.SR_CNTPCT_EL0) ok = (hctl & 1) != 0;
  else if (i == S.SR_CNTP_CTL_EL0 || i == S.SR_CNTP_CVAL_EL0 || i == S.SR_CNTP_TVAL_EL0) ok = (hctl & 2) != 0;
  if (!ok) trap_sysreg(2, key, rt, read);
  return ok;
}

/**
 * MRS/MSR of a register the host's device model serves: exit after the instruction with EXIT_ARG = the
 * encoding key in bits 15:0, Rt in bits 20:16, 1 for a read in bit 24. For a read the host writes Xt.
 */
function host_access(key: u32, rt: u32, read: bool): void {
  store<u64>(EXIT_ARG, <u64>key | (<u64>rt << 16) | (read ? <u64>1 << 24 : 0));
  request_exit(EXIT_SYSREG);
}

export function mrs(key: u32, rt: u32): void {
  const i = check_access(key, rt, true);
  if (i == -1) return;
  if (i >= 0 && S.sysreg_access(i) >= S.ACCESS_HOST) { host_access(key, rt, true); return; }
  const v = i == -2 ? 0 : read_sysreg(i);
  if (!aborted) set_x(rt, v); // a read that took an exception (MRS SP_EL0 with SPSel 0) writes nothing
}

export function msr(key: u32, rt: u32): void {
  const i = check_access(key, rt, false);
  if (i < 0) return;
  if (S.sysreg_access(i) >= S.ACCESS_HOST) { host_access(key, rt, false); return; }
  write_sysreg(i, x(rt));
}

/** TVAL reads: (CVAL - count)[31:0], zero-extended; bits 63:32 are RES0 (D24.10.18 CNTP_TVAL_EL0). */
function tval(cval: u64, count: u64): u64 {
  return <u64><u32>(cval - count);
}
/** CTL with ISTATUS (bit 2) computed from the comparison. */
function ctl(ctl_value: u64, cval: u64, count: u64): u64 {
  return (ctl_value & 3) | (count >= cval ? 4 : 0);
}

export function read_sysreg(i: i32): u64 {
  switch (i) {
    case S.SR_NZCV: return <u64>load<u32>(NZCV_ADDR);
    case S.SR_DAIF: return pstate() & PSR_DAIF;
    case S.SR_CurrentEL: return <u64>cur_el << 2;
    case S.SR_SPSel: return <u64>spsel();
    case S.SR_PAN: return pstate() & PSR_PAN;
    case S.SR_DIT: return pstate() & PSR_DIT;
    case S.SR_SP_EL0: if (spsel() == 0) { undefined_instruction(); return 0; } return get_sp_el(0);
    case S.SR_SP_EL1: return get_sp_el(1);
    case S.SR_SP_EL2: return get_sp_el(2);
    // With EL2 enabled, EL1 reads the virtualized identification values (D23.2 MIDR_EL1, MPIDR_EL1)
    case S.SR_MPIDR_EL1: return cur_el == 1 && el2_enabled() ? sr(S.SR_VMPIDR_EL2) : sr(S.SR_MPIDR_EL1);
    case S.SR_MIDR_EL1: return cur_el == 1 && el2_enabled() ? sr(S.SR_VPIDR_EL2) : sr(S.SR_MIDR_EL1);
    case S.SR_CTR_EL0: return CTR_EL0_VALUE;
    case S.SR_DCZID_EL0: {
      const prohibited = cur_el == 0 && ((sr(S.SR_SCTLR_EL1) >> 14) & 1) == 0; // SCTLR_EL1.DZE
      return <u64>DCZID_BS | (prohibited ? 16 : 0);
    }
    case S.SR_ISR_EL1: return isr_value();
    case S.SR_TPIDRRO_EL0: return sr(i);
    case S.SR_OSLSR_EL1: return sr(i);
    case S.SR_CNTFRQ_EL0: return sr(i);
    case S.SR_CNTPCT_EL0: return physical_count();
    case S.SR_CNTVCT_EL0: return physical_count() - virtual_offset();
    case S.SR_CNTP_TVAL_EL0: return tval(sr(S.SR_CNTP_CVAL_EL0), physical_count());
    case S.SR_CNTP_CTL_EL0: return ctl(sr(i), sr(S.SR_CNTP_CVAL_EL0), physical_count());
    case S.SR_CNTV_TVAL_EL0: return tval(sr(S.SR_CNTV_CVAL_EL0), physical_count() - virtual_offset());
    case S.SR_CNTV_CTL_EL0: return ctl(sr(i), sr(S.SR_CNTV_CVAL_EL0), physical_count() - virtual_offset());
    case S.SR_CNTHP_TVAL_EL2: return tval(sr(S.SR_CNTHP_CVAL_EL2), physical_count());
    case S.SR_CNTHP_CTL_EL2: return ctl(sr(i), sr(S.SR_CNTHP_CVAL_EL2), physical_count());
    case S.SR_CNTPS_TVAL_EL1: return tval(sr(S.SR_CNTPS_CVAL_EL1), physical_count());
    case S.SR_CNTPS_CTL_EL1: return ctl(sr(i), sr(S.SR_CNTPS_CVAL_EL1), physical_count());
    default: return sr(i);
  }
}

export function write_sysreg(i: i32, v: u64): void {
  switch (i) {
    case S.SR_NZCV: store<u32>(NZCV_ADDR, <u32>v & 0xf0000000); return;
    case S.SR_DAIF: set_pstate_bits(PSR_DAIF, v); attention = true; return;
    case S.SR_SPSel: set_el_spsel(cur_el, <u32>v & 1); return;
    case S.SR_PAN: { const old = pstate(); set_pstate_bits(PSR_PAN, v); pan_changed(old); return; }
    case S.SR_DIT: set_pstate_bits(PSR_DIT, v); return;
    case S.SR_SP_EL0: if (spsel() == 0) { undefined_instruction(); return; } set_sp_el(0, v); return;
    case S.SR_SP_EL1: set_sp_el(1, v); return;
    case S.SR_SP_EL2: set_sp_el(2, v); return;
    case S.SR_FPCR: {
      // FZ16 holds its value only with FEAT_FP16 (ID_AA64PFR0_EL1.FP = 1)
      const fp16 = ((sr(S.SR_ID_AA64PFR0_EL1) >> 16) & 0xf) == 1;
      set_sr(i, v & <u64>(FPCR_WRITABLE | (fp16 ? FPCR_FZ16 : 0)));
      return;
    }
    case S.SR_FPSR: set_sr(i, v & <u64>FPSR_WRITABLE); return;
    case S.SR_OSLAR_EL1: set_sr(S.SR_OSLSR_EL1, (sr(S.SR_OSLSR_EL1) & ~<u64>2) | ((v & 1) << 1)); return;
    case S.SR_CNTFRQ_EL0: if (cur_el != 3) { undefined_instruction(); return; } set_sr(i, v & 0xffffffff); return;
    // A timer write moves a deadline or an interrupt line: the host re-evaluates both (EXIT_TIMER)
    case S.SR_CNTP_TVAL_EL0: set_sr(S.SR_CNTP_CVAL_EL0, physical_count() + <u64><i64><i32><u32>v); request_exit(EXIT_TIMER); return;
    case S.SR_CNTV_TVAL_EL0: set_sr(S.SR_CNTV_CVAL_EL0, physical_count() - virtual_offset() + <u64><i64><i32><u32>v); request_exit(EXIT_TIMER); return;
    case S.SR_CNTHP_TVAL_EL2: set_sr(S.SR_CNTHP_CVAL_EL2, physical_count() + <u64><i64><i32><u32>v); request_exit(EXIT_TIMER); return;
    case S.SR_CNTPS_TVAL_EL1: set_sr(S.SR_CNTPS_CVAL_EL1, physical_count() + <u64><i64><i32><u32>v); request_exit(EXIT_TIMER); return;
    case S.SR_CNTP_CTL_EL0: case S.SR_CNTV_CTL_EL0: case S.SR_CNTHP_CTL_EL2: case S.SR_CNTPS_CTL_EL1:
      set_sr(i, v & 3); request_exit(EXIT_TIMER); return;
    case S.SR_CNTP_CVAL_EL0: case S.SR_CNTV_CVAL_EL0: case S.SR_CNTHP_CVAL_EL2: case S.SR_CNTPS_CVAL_EL1: case S.SR_CNTVOFF_EL2:
      set_sr(i, v); request_exit(EXIT_TIMER); return;
    // Registers that change how EL1&0 translates
    case S.SR_SCTLR_EL1: case S.SR_TCR_EL1: case S.SR_TTBR0_EL1: case S.SR_TTBR1_EL1: case S.SR_MAIR_EL1:
    case S.SR_HCR_EL2: case S.SR_VTTBR_EL2: case S.SR_VTCR_EL2:
      // HCR_EL2.RW is RAO/WI: EL1 does not implement AArch32 (D24.2.62)
      set_sr(i, i == S.SR_HCR_EL2 ? v | (<u64>1 << 31) : v);
      flush_regime(REGIME_EL10_UNPRIV);
      flush_regime(REGIME_EL10);
      attention = true; // HCR_EL2 routes interrupts and injects virtual ones
      return;
    // SCR_EL3.RW is RAO/WI: no EL below EL3 implements AArch32 (D24.2.169)
    case S.SR_SCR_EL3: set_sr(i, v | (1 << 10)); attention = true; return;
    // GPCCR_EL3.L0GPTSZ (bits 23:20) is read-only: 0b0000, 1 GB per level-0 entry (D24.2.56)
    case S.SR_GPCCR_EL3: set_sr(i, v & ~(<u64>0xf << 20)); return;
    case S.SR_SCTLR_EL2: case S.SR_TCR_EL2: case S.SR_TTBR0_EL2: case S.SR_MAIR_EL2:
      set_sr(i, v); flush_regime(REGIME_EL2); return;
    case S.SR_SCTLR_EL3: case S.SR_TCR_EL3: case S.SR_TTBR0_EL3: case S.SR_MAIR_EL3:
      set_sr(i, v); flush_regime(REGIME_EL3); return;
    default: set_sr(i, v);
  }
}

/** MSR (immediate) to a PSTATE field (C5.2.?, "MSR (immediate)"): op1:op2 select the field. */
export function msr_pstate(op1: u32, op2: u32, crm: u32): void {
  const sel = (op1 << 3) | op2;
  switch (sel) {
    case 0x05: // SPSel
      if (cur_el == 0) break;
      set_el_spsel(cur_el, crm & 1);
      return;
    case 0x1e: // DAIFSet
    case 0x1f: // DAIFClr
      if (cur_el == 0 && ((sr(S.SR_SCTLR_EL1) >> 9) & 1) == 0) {
        // The syndrome is MSR (immediate)'s own: op0 = 0, CRn = 4 (D24.2.45, ISS Op0 "from the issued instruction")
        trap_sysreg((hcr_el2() & (1 << 27)) != 0 ? 2 : 1, (op1 << 11) | (4 << 7) | (crm << 3) | op2, 31, false);
        return;
      }
      if (sel == 0x1e) set_pstate_bits(PSR_DAIF, pstate() | (<u64>crm << 6));
      else set_pstate_bits(PSR_DAIF, pstate() & ~(<u64>crm << 6));
      attention = true;
      return;
    case 0x04: { // PAN
      if (cur_el == 0) break;
      const old = pstate();
      set_pstate_bits(PSR_PAN, <u64>(crm & 1) << 22);
      pan_changed(old);
      return;
    }
    case 0x1a: // DIT
      set_pstate_bits(PSR_DIT, <u64>(crm & 1) << 24);
      return;
  }
  undefined_instruction();
}
