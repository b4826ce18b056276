// What the load/store handlers share (Arm ARM C1.3.3 "Load/Store addressing modes", C6.2 Operation of
// each load/store): the base register with its SP alignment check, offsets, extension of loaded values,
// sized accesses through the inline fast paths, and the data-abort syndrome.
import { x, sp, sr } from "./regs";
import { cur_el } from "./pstate";
import { sync_exception, sync_target_el, EC_SP_ALIGN } from "./exceptions";
import { SR_SCTLR_EL1, SR_SCTLR_EL2, SR_SCTLR_EL3 } from "./sysregs.gen";
import {
  read8, read16, read32, read64, write8, write16, write32, write64, alignment_fault, ls_syndrome, ACC_ALIGNED,
} from "../mmu/mem";

/**
 * AArch64 CheckSPAlignment: with SCTLR_ELx.SA (SCTLR_EL1.SA0 at EL0; no VHE) set, a load or store whose
 * base is an SP that is not 16-byte aligned takes an SP alignment fault (EC 0x26) before any access, to
 * EL1 from EL0 unless HCR_EL2.TGE routes it to EL2. Called only with a misaligned SP, so the common case
 * costs one test.
 */
export function check_sp_alignment(): void {
  const sctlr = sr(cur_el <= 1 ? SR_SCTLR_EL1 : cur_el == 2 ? SR_SCTLR_EL2 : SR_SCTLR_EL3);
  const check = cur_el == 0 ? (sctlr >>> 4) & 1 : (sctlr >>> 3) & 1; // SA0 : SA
  // Arm ARM D1.4.10.2 SP alignment checking
  if (check != 0) sync_exception(sync_target_el(), EC_SP_ALIGN, 0, 0, false);
}

/** The base address in Xn, or in SP for n = 31 (after its alignment check). Check `aborted` after. */
// @ts-ignore: decorator
@inline export function base(n: u32): u64 {
  if (n != 31) return x(n);
  const s = sp();
  if ((s & 15) != 0) check_sp_alignment();
  return s;
}

// @ts-ignore: decorator
@inline export function sext(v: u64, bits: u32): u64 { return <u64>(<i64>(v << (64 - bits)) >> (64 - bits)); }

/** ExtendReg for the register-offset forms: option 010 UXTW, 011 LSL (UXTX), 110 SXTW, 111 SXTX. */
// @ts-ignore: decorator
@inline export function extend_reg(m: u32, option: u32, shift: u32): u64 {
  let v = x(m);
  if ((option & 1) == 0) v = (option & 4) != 0 ? sext(v, 32) : v & 0xffffffff;
  return v << shift;
}

/**
 * A loaded value of 1 << scale bytes as its register receives it: sign-extended to 64 bits when `signed`,
 * then cut to the register size (the 32-bit forms zero the upper half).
 */
// @ts-ignore: decorator
@inline export function extend(v: u64, scale: u32, signed: bool, sf: bool): u64 {
  let r = signed ? sext(v, 8 << scale) : v;
  return sf ? r : r & 0xffffffff;
}

/** Reads 1 << scale bytes through the TLB fast path. Check `aborted` after. */
// @ts-ignore: decorator
@inline export function load(va: u64, scale: u32): u64 {
  switch (scale) {
    case 0: return <u64>read8(va);
    case 1: return <u64>read16(va);
    case 2: return <u64>read32(va);
    default: return read64(va);
  }
}

/** Writes the low 1 << scale bytes of v through the TLB fast path. Check `aborted` after. */
// @ts-ignore: decorator
@inline export function store(va: u64, scale: u32, v: u64): void {
  switch (scale) {
    case 0: write8(va, <u8>v); break;
    case 1: write16(va, <u16>v); break;
    case 2: write32(va, <u32>v); break;
    default: write64(va, v);
  }
}

/**
 * Reads 1 << scale bytes that must be naturally aligned (exclusives, atomics, load-acquire): an Alignment
 * fault otherwise. Once aligned, the access is what read_sized(va, size, ACC_ALIGNED) would make, through
 * the fast path. Check `aborted` after.
 */
// @ts-ignore: decorator
@inline export function load_aligned(va: u64, scale: u32): u64 {
  if ((va & ((<u64>1 << scale) - 1)) != 0) { alignment_fault(va, false, ACC_ALIGNED); return 0; }
  return load(va, scale);
}

/** Writes 1 << scale bytes that must be naturally aligned, as load_aligned reads. Check `aborted` after. */
// @ts-ignore: decorator
@inline export function store_aligned(va: u64, scale: u32, v: u64): void {
  if ((va & ((<u64>1 << scale) - 1)) != 0) { alignment_fault(va, true, ACC_ALIGNED); return; }
  store(va, scale, v);
}

/** Mask of the low 1 << scale bytes. */
// @ts-ignore: decorator
@inline export function size_mask(scale: u32): u64 { return scale == 3 ? u64.MAX_VALUE : (<u64>1 << (8 << scale)) - 1; }

/**
 * Sets the instruction syndrome a stage-2 Data Abort reports (D24.2.45 ESR_ELx ISV): valid only for a
 * single general-purpose register without writeback, exclusives excluded. SAS, SSE, SRT, SF, AR.
 */
// @ts-ignore: decorator
@inline export function syndrome(scale: u32, signed: bool, rt: u32, sf: bool, acqrel: bool): void {
  ls_syndrome = syndrome_bits(scale, signed, rt, sf) | (<u32>acqrel << 14);
}
// @ts-ignore: decorator
@inline export function no_syndrome(): void { ls_syndrome = 0; }

/** The syndrome without AR, as a value: load_reg and store_reg store it only on their slow path. */
// @ts-ignore: decorator
@inline export function syndrome_bits(scale: u32, signed: bool, rt: u32, sf: bool): u32 {
  return (1 << 24) | (scale << 22) | (<u32>signed << 21) | (rt << 16) | (<u32>sf << 15);
}
