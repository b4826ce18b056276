// The Granule Protection Check (Arm ARM D9, pseudocode J1.3.5.39-56 GranuleProtectionCheck, GPTWalk,
// GPICheck, GPIValid): whether an access to physical address `pa` in physical address space `pas`, made
// in security state `sec`, is permitted by the Granule Protection Table that GPTBR_EL3 and GPCCR_EL3
// describe. The result is a value (GPC_* with the level in gpc_level), never an exception: the callers
// decide how each fault is reported (D1.4.5.3).
import { sr } from "../cpu/regs";
import { SR_GPCCR_EL3, SR_GPTBR_EL3, SR_GPCBW_EL3 } from "../cpu/sysregs.gen";
import { RME_FEATURES, GPC_CHECKS, GPT_WALKS, GPC_FAULTS } from "../state/layout";
import { phys_region, region_kind, ram_host, REGION_KIND_RAM } from "./phys";

// Outcomes, in the order of Table D9-2's fault priorities
export const GPC_PASS: u32 = 0;
export const GPC_GPF: u32 = 1; // Granule Protection Fault
export const GPC_WALK_FAULT: u32 = 2; // GPT walk fault (invalid configuration or descriptor)
export const GPC_ADDRESS_SIZE: u32 = 3; // GPT address size fault
export const GPC_EXTERNAL_ABORT: u32 = 4; // synchronous External abort on a GPT fetch

/** The GPT level of the last fault (0 or 1). */
export let gpc_level: u32 = 0;

// Optional features beyond FEAT_RME, as the host configures the PE (RME_FEATURES)
export const RME_FEAT_GPC2: u32 = 1; // FEAT_RME_GPC2: NSO, SPAD/NSPAD/RLPAD, APPSAA
export const RME_FEAT_GPC3: u32 = 2; // FEAT_RME_GPC3: bypass windows, PPS3 (implies GPC2)
export const RME_FEAT_GDI: u32 = 4; // FEAT_RME_GDI: SA and NSP PA spaces, NA6/NA7 (implies GPC2)
export const RME_FEAT_SEL2: u32 = 8; // FEAT_SEL2: the Secure GPI is valid

// Physical address spaces (the SEC_* encoding of pstate.ts for the four a PE can produce)
const PAS_SECURE: u32 = 0;
const PAS_NONSECURE: u32 = 1;
const PAS_ROOT: u32 = 2;
const PAS_REALM: u32 = 3;
const PAS_SYSTEM_AGENT: u32 = 4;
const PAS_NS_PROTECTED: u32 = 5;

/** The implemented physical address size (ID_AA64MMFR0_EL1.PARange = 48 bits). */
const PA_MAX: u32 = 48;
/** GPCCR_EL3.L0GPTSZ is IMPLEMENTATION DEFINED and read-only: 0b0000, each L0 entry covers 1 GB. */
export const L0GPTSZ_BITS: u32 = 30;

// @ts-ignore: decorator
@inline function feature(f: u32): bool {
  const have = load<u32>(RME_FEATURES);
  // GPC3 and GDI both imply GPC2
  if (f == RME_FEAT_GPC2) return (have & (RME_FEAT_GPC2 | RME_FEAT_GPC3 | RME_FEAT_GDI)) != 0;
  return (have & f) != 0;
}

/** GPIValid (J1.3.5.42). */
export function gpi_valid(gpi: u32, gpccr: u64): bool {
  switch (gpi) {
    case 0x0: return true; // NoAccess
    case 0x4: return feature(RME_FEAT_GDI) && ((gpccr >> 25) & 1) != 0; // SA
    case 0x5: return feature(RME_FEAT_GDI) && ((gpccr >> 26) & 1) != 0; // NSP
    case 0x6: return feature(RME_FEAT_GDI) && ((gpccr >> 27) & 1) != 0; // NA6
    case 0x7: return feature(RME_FEAT_GDI) && ((gpccr >> 28) & 1) != 0; // NA7
    case 0x8: return feature(RME_FEAT_SEL2); // Secure
    case 0x9: case 0xa: case 0xb: case 0xf: return true; // Non-secure, Root, Realm, Any
    case 0xd: return feature(RME_FEAT_GPC2) && ((gpccr >> 19) & 1) != 0; // NSO
    default: return false;
  }
}

/** GPICheck (J1.3.5.40): whether GPI `gpi` permits an access to `pas` from security state `sec`. */
export function gpi_check(pas: u32, gpi: u32, sec: u32): bool {
  switch (gpi) {
    case 0x8: return pas == PAS_SECURE;
    case 0x9: return pas == PAS_NONSECURE;
    case 0xa: return pas == PAS_ROOT;
    case 0xb: return pas == PAS_REALM;
    case 0xd: return pas == PAS_NONSECURE && (sec == PAS_ROOT || sec == PAS_NONSECURE); // NSO
    case 0x4: return pas == PAS_SYSTEM_AGENT;
    case 0x5: return pas == PAS_NS_PROTECTED;
    case 0xf: return true;
    default: return false; // NoAccess, NA6, NA7
  }
}

/** The protected physical address size in bits, or 0 for a reserved encoding (GPCCR_EL3.PPS[, PPS3]). */
function pps_bits(gpccr: u64): u32 {
  let pps = <u32>gpccr & 7;
  if (feature(RME_FEAT_GPC3)) pps |= (<u32>(gpccr >> 3) & 1) << 3;
  switch (pps) {
    case 0: return 32;
    case 1: return 36;
    case 2: return 40;
    case 3: return 42;
    case 4: return 44;
    case 5: return 48;
    case 6: return 52;
    case 7: return feature(RME_FEAT_GPC3) ? 56 : 0;
    case 8: return 46;
    case 9: return 47;
    default: return 0;
  }
}

/** The physical granule size in bits (GPCCR_EL3.PGS: 00 4 KB, 10 16 KB, 01 64 KB), 0 if reserved. */
function pgs_bits(gpccr: u64): u32 {
  const pgs = <u32>(gpccr >> 14) & 3;
  return pgs == 0 ? 12 : pgs == 2 ? 14 : pgs == 1 ? 16 : 0;
}

// GPCBW_EL3 (FEAT_RME_GPC3): window size and stride bit positions, 0 when reserved
function bw_size_lo(bwsize: u32): u32 {
  switch (bwsize) { case 0: return 30; case 1: return 31; case 2: return 32; case 4: return 34; case 6: return 36; default: return 0; }
}
function bw_stride_hi(bwstride: u32): u32 {
  switch (bwstride) {
    case 0x00: return 39; case 0x02: return 41; case 0x04: return 43; case 0x06: return 45; case 0x07: return 46;
    case 0x08: return 47; case 0x09: return 48; case 0x0a: return 49; case 0x10: return 55; default: return 0;
  }
}

/** GPCRegistersConsistent (J1.3.5.39), given the decoded sizes. */
function registers_consistent(gpccr: u64, t: u32, p: u32): bool {
  if (t == 0 || t > PA_MAX || p == 0) return false;
  const sh = <u32>(gpccr >> 12) & 3;
  const irgn = <u32>(gpccr >> 8) & 3, orgn = <u32>(gpccr >> 10) & 3;
  if (sh == 1) return false; // reserved
  if (irgn == 0 && orgn == 0 && sh != 2) return false; // Non-cacheable GPT fetches must be Outer Shareable
  if (feature(RME_FEAT_GPC3) && ((gpccr >> 29) & 1) != 0) {
    const bw = sr(SR_GPCBW_EL3);
    const lo = bw_size_lo(<u32>(bw >> 37) & 7), hi = bw_stride_hi(<u32>(bw >> 32) & 0x1f);
    if (lo == 0 || hi == 0) return false;
    const base = (bw & 0x3ff_ffff) << 30;
    if (((base >> lo) << lo) != base) return false; // not aligned to the window size
    if (hi != 55 && (base >> (hi + 1)) != 0) return false; // the base lies beyond the stride
  }
  return true;
}

let fetch_bad = false;
/** A GPT descriptor from the Root PA space (GPT fetches are not themselves checked, D9.1). */
function gpt_read(pa: u64): u64 {
  const r = phys_region(pa);
  if (r < 0 || region_kind(r) != REGION_KIND_RAM) { fetch_bad = true; return 0; }
  return load<u64>(ram_host(r, pa));
}

function l1_valid(d: u64, gpccr: u64): bool {
  if ((d & 0xf) == 1) {
    // Contiguous descriptor: GPI, Contig (00 reserved), the rest RES0 (D9.6.4)
    return gpi_valid(<u32>(d >> 4) & 0xf, gpccr) && ((d >> 8) & 3) != 0 && (d >> 10) == 0;
  }
  for (let i: u32 = 0; i < 16; i++) if (!gpi_valid(<u32>(d >> (i << 2)) & 0xf, gpccr)) return false;
  return true;
}

// @ts-ignore: decorator
@inline function bump(counter: usize): void { store<u64>(counter, load<u64>(counter) + 1); }

/** GranuleProtectionCheck with the counters the host reads: checks, GPT walks, faults by kind. */
export function gpc_check(pa: u64, pas: u32, sec: u32): u32 {
  gpc_level = 0;
  if (((sr(SR_GPCCR_EL3) >> 16) & 1) == 0) return GPC_PASS; // GPCCR_EL3.GPC: checks disabled
  bump(GPC_CHECKS);
  const v = granule_protection_check(pa, pas, sec);
  if (v != GPC_PASS) bump(GPC_FAULTS + ((<usize>v - 1) << 3));
  return v;
}

/** GranuleProtectionCheck: the verdict for one access (J1.3.5.56 and the priorities of Table D9-2). */
function granule_protection_check(pa: u64, pas: u32, sec: u32): u32 {
  const gpccr = sr(SR_GPCCR_EL3);
  const t = pps_bits(gpccr);
  const p = pgs_bits(gpccr);
  if (!registers_consistent(gpccr, t, p)) return GPC_WALK_FAULT;
  // FEAT_RME_GPC2: whole PA spaces disabled (SPAD, NSPAD, RLPAD); the Root PAS never is
  if (feature(RME_FEAT_GPC2)) {
    if ((pas == PAS_SECURE && ((gpccr >> 7) & 1) != 0) || (pas == PAS_NONSECURE && ((gpccr >> 6) & 1) != 0)
      || (pas == PAS_REALM && ((gpccr >> 5) & 1) != 0)) return GPC_GPF;
  }
  // Above the protected size only Non-secure accesses pass, or all with APPSAA (R CPDSB)
  if (t < 64 && (pa >> t) != 0) {
    if (pas == PAS_NONSECURE) return GPC_PASS;
    if (feature(RME_FEAT_GPC2) && ((gpccr >> 24) & 1) != 0) return GPC_PASS;
    return GPC_GPF;
  }
  // FEAT_RME_GPC3 bypass window: behaves as GPI "any"
  if (feature(RME_FEAT_GPC3) && ((gpccr >> 29) & 1) != 0) {
    const bw = sr(SR_GPCBW_EL3);
    const lo = bw_size_lo(<u32>(bw >> 37) & 7), hi = bw_stride_hi(<u32>(bw >> 32) & 0x1f);
    const mask = (hi >= 63 ? u64.MAX_VALUE : ((<u64>1 << (hi + 1)) - 1)) & ~((<u64>1 << lo) - 1);
    if ((pa & mask) == (((sr(SR_GPCBW_EL3) & 0x3ff_ffff) << 30) & mask)) return GPC_PASS;
  }
  const s = L0GPTSZ_BITS;
  // The L0 table is aligned to its size: base bits below max(t - s + 3, 12) are treated as 0 (D9.2)
  let base = (sr(SR_GPTBR_EL3) & 0xff_ffff_ffff) << 12;
  if (feature(RME_FEAT_GPC3)) base |= ((sr(SR_GPTBR_EL3) >> 40) & 0xf) << 52;
  const align = t > s ? t - s + 3 : 12;
  base &= ~((<u64>1 << (align > 12 ? align : 12)) - 1);
  if ((base >> t) != 0) return GPC_ADDRESS_SIZE;
  const l0i = t <= s ? 0 : (pa >> s) & ((<u64>1 << (t - s)) - 1);
  bump(GPT_WALKS);
  fetch_bad = false;
  const d0 = gpt_read(base + (l0i << 3));
  if (fetch_bad) return GPC_EXTERNAL_ABORT;
  const type = <u32>d0 & 0xf;
  if (type == 1) {
    // Block descriptor: one GPI for the whole 2^s region
    const gpi = <u32>(d0 >> 4) & 0xf;
    if ((d0 >> 8) != 0 || !gpi_valid(gpi, gpccr)) return GPC_WALK_FAULT;
    return gpi_check(pas, gpi, sec) ? GPC_PASS : GPC_GPF;
  }
  if (type != 3) return GPC_WALK_FAULT;
  // Table descriptor: RES0 bits [63:52] (bits [55:52] hold address with GPC3 and 56-bit PPS) and [11:4]
  const res0_hi: u64 = feature(RME_FEAT_GPC3) && t == 56 ? 0xff00_0000_0000_0000 : 0xfff0_0000_0000_0000;
  if ((d0 & res0_hi) != 0 || (d0 & 0xff0) != 0) return GPC_WALK_FAULT;
  const l1base = d0 & ~res0_hi & ~((<u64>1 << (s - p - 1)) - 1); // the L1 table is aligned to its size
  if ((l1base >> t) != 0) return GPC_ADDRESS_SIZE;
  gpc_level = 1;
  const l1i = (pa >> (p + 4)) & ((<u64>1 << (s - p - 4)) - 1);
  const d1 = gpt_read(l1base + (l1i << 3));
  if (fetch_bad) return GPC_EXTERNAL_ABORT;
  if (!l1_valid(d1, gpccr)) return GPC_WALK_FAULT;
  // With FEAT_RME_GDI a lookup reads the aligned pair of L1 descriptors and both must be valid (D9.6)
  if (feature(RME_FEAT_GDI)) {
    const other = gpt_read(l1base + ((l1i ^ 1) << 3));
    if (fetch_bad) return GPC_EXTERNAL_ABORT;
    if (!l1_valid(other, gpccr)) return GPC_WALK_FAULT;
  }
  const gpi = (d1 & 0xf) == 1 ? <u32>(d1 >> 4) & 0xf : <u32>(d1 >> (((pa >> p) & 0xf) << 2)) & 0xf;
  return gpi_check(pas, gpi, sec) ? GPC_PASS : GPC_GPF;
}
