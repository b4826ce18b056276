// The SIMD&FP register file V0-V31 with its B/H/S/D/Q views (Arm ARM C1.2.5), FPCR/FPSR (C5.2.8, C5.2.9),
// and the enable check every SIMD&FP instruction makes first (J1.1.2.42 AArch64.CheckFPEnabled).
import { V_BASE } from "../state/layout";
import { sr, set_sr } from "./regs";
import { cur_el, el2_enabled, hcr_el2 } from "./pstate";
import { sync_exception, EC_UNKNOWN, EC_FP_ACCESS } from "./exceptions";
import { SR_CPACR_EL1, SR_CPTR_EL2, SR_CPTR_EL3, SR_FPCR, SR_FPSR } from "./sysregs.gen";

/** The address of Vn's low byte: lanes are little-endian, lane i of size s at v_addr(n) + i * s. */
// @ts-ignore: decorator
@inline export function v_addr(n: u32): usize { return V_BASE + (<usize>n << 4); }

// Reads: a narrower view is the low bits of the register
// @ts-ignore: decorator
@inline export function v_lo(n: u32): u64 { return load<u64>(v_addr(n)); }
// @ts-ignore: decorator
@inline export function v_hi(n: u32): u64 { return load<u64>(v_addr(n), 8); }
// @ts-ignore: decorator
@inline export function v_s(n: u32): u32 { return load<u32>(v_addr(n)); }
// @ts-ignore: decorator
@inline export function v_h(n: u32): u32 { return <u32>load<u16>(v_addr(n)); }
// @ts-ignore: decorator
@inline export function v_b(n: u32): u32 { return <u32>load<u8>(v_addr(n)); }

// Writes of a scalar view zero the rest of the register (C1.2.5: writes to Bn/Hn/Sn/Dn clear bits above)
// @ts-ignore: decorator
@inline export function set_v128(n: u32, lo: u64, hi: u64): void {
  store<u64>(v_addr(n), lo);
  store<u64>(v_addr(n), hi, 8);
}
// @ts-ignore: decorator
@inline export function set_v64(n: u32, v: u64): void { set_v128(n, v, 0); }
// @ts-ignore: decorator
@inline export function set_v32(n: u32, v: u32): void { set_v128(n, <u64>v, 0); }
// @ts-ignore: decorator
@inline export function set_v16(n: u32, v: u32): void { set_v128(n, <u64>(v & 0xffff), 0); }
// @ts-ignore: decorator
@inline export function set_v8(n: u32, v: u32): void { set_v128(n, <u64>(v & 0xff), 0); }

// Lanes: reads and writes of one element that leave the other lanes alone (INS, LD1 single structure)
// @ts-ignore: decorator
@inline export function lane8(n: u32, i: u32): u32 { return <u32>load<u8>(v_addr(n) + (i & 15)); }
// @ts-ignore: decorator
@inline export function lane16(n: u32, i: u32): u32 { return <u32>load<u16>(v_addr(n) + ((i & 7) << 1)); }
// @ts-ignore: decorator
@inline export function lane32(n: u32, i: u32): u32 { return load<u32>(v_addr(n) + ((i & 3) << 2)); }
// @ts-ignore: decorator
@inline export function lane64(n: u32, i: u32): u64 { return load<u64>(v_addr(n) + ((i & 1) << 3)); }
// @ts-ignore: decorator
@inline export function set_lane8(n: u32, i: u32, v: u32): void { store<u8>(v_addr(n) + (i & 15), <u8>v); }
// @ts-ignore: decorator
@inline export function set_lane16(n: u32, i: u32, v: u32): void { store<u16>(v_addr(n) + ((i & 7) << 1), <u16>v); }
// @ts-ignore: decorator
@inline export function set_lane32(n: u32, i: u32, v: u32): void { store<u32>(v_addr(n) + ((i & 3) << 2), v); }
// @ts-ignore: decorator
@inline export function set_lane64(n: u32, i: u32, v: u64): void { store<u64>(v_addr(n) + ((i & 1) << 3), v); }

// FPCR fields (C5.2.8)
export const FPCR_AHP: u32 = 1 << 26;
export const FPCR_DN: u32 = 1 << 25;
export const FPCR_FZ: u32 = 1 << 24;
export const FPCR_RMODE_SHIFT: u32 = 22; // 0 RN, 1 RP, 2 RM, 3 RZ
export const FPCR_FZ16: u32 = 1 << 19;
/**
 * The FPCR bits that hold their value: no trapped floating-point exceptions (the IxE enables are RAZ/WI),
 * no FEAT_AFP/FEAT_EBF16 controls. FZ16 is kept only if FEAT_FP16 is reported (ID_AA64PFR0_EL1.FP = 1).
 */
export const FPCR_WRITABLE: u32 = FPCR_AHP | FPCR_DN | FPCR_FZ | (3 << FPCR_RMODE_SHIFT);

// FPSR cumulative flags (C5.2.9): bits 31:28 are RES0 in AArch64
export const FPSR_IOC: u32 = 1 << 0; // invalid operation
export const FPSR_DZC: u32 = 1 << 1; // divide by zero
export const FPSR_OFC: u32 = 1 << 2; // overflow
export const FPSR_UFC: u32 = 1 << 3; // underflow
export const FPSR_IXC: u32 = 1 << 4; // inexact
export const FPSR_IDC: u32 = 1 << 7; // input denormal flushed
export const FPSR_QC: u32 = 1 << 27; // AdvSIMD saturation
export const FPSR_WRITABLE: u32 = FPSR_QC | FPSR_IDC | 0x1f;

// @ts-ignore: decorator
@inline export function fpcr(): u32 { return <u32>sr(SR_FPCR); }
// @ts-ignore: decorator
@inline export function fpsr(): u32 { return <u32>sr(SR_FPSR); }
/** Sets cumulative FPSR flags (they are sticky until software clears them). */
// @ts-ignore: decorator
@inline export function fpsr_raise(flags: u32): void {
  if (flags != 0) set_sr(SR_FPSR, sr(SR_FPSR) | <u64>flags);
}

/** An Advanced SIMD and floating-point access trap (AArch64.AdvSIMDFPAccessTrap, J1.1.2.38). */
function fp_access_trap(target: u32): void {
  // A trap to EL1 from EL0 under HCR_EL2.TGE goes to EL2 as an Unknown-reason exception
  if (target == 1 && cur_el == 0 && (hcr_el2() & (1 << 27)) != 0) {
    sync_exception(2, EC_UNKNOWN, 0, 0, false);
    return;
  }
  sync_exception(target, EC_FP_ACCESS, 0x1e << 20, 0, false); // ISS CV = 1, COND = 0b1110 (ConditionSyndrome)
}

/**
 * AArch64.CheckFPEnabled (J1.1.2.42, J1.1.2.41): CPACR_EL1.FPEN, then CPTR_EL2.TFP (no VHE: HCR_EL2.E2H is
 * RES0), then CPTR_EL3.TFP. Returns false after taking the trap; the instruction then does nothing.
 */
export function fp_enabled(): bool {
  const el = cur_el;
  if (el <= 1) {
    // Without VHE no EL is "in host", so CPACR_EL1 governs EL0 even with HCR_EL2.TGE = 1
    const fpen = <u32>(sr(SR_CPACR_EL1) >> 20) & 3;
    if (fpen == 0 || fpen == 2 || (fpen == 1 && el == 0)) { fp_access_trap(1); return false; }
  }
  if (el <= 2 && el2_enabled() && (sr(SR_CPTR_EL2) & (1 << 10)) != 0) { fp_access_trap(2); return false; }
  if ((sr(SR_CPTR_EL3) & (1 << 10)) != 0) { fp_access_trap(3); return false; }
  return true;
}
