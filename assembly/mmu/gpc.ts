// The Granule Protection Check (Arm ARM D9, pseudocode J1.3.5.39-56 GranuleProtectionCheck, GPTWalk,
// GPICheck, GPIValid): whether an access to physical address `pa` in physical address space `pas`, made
// in security state `sec`, is permitted by the Granule Protection Table that GPTBR_EL3 and GPCCR_EL3
// describe. The result is a value (GPC_* with the level in gpc_level), never an exception: the callers
// decide how each fault is reported (D1.4.5.3).
import { sr } from "../cpu/regs";
import { SR_GPCCR_EL3, SR_GPTBR_EL3, SR_GPCBW_EL3 } from "../cpu/sysregs.gen";
import { RME_FEATURES, GPC_CHECKS, GPT_WALKS, GPC_FAULTS, GPC_VERDICTS_REUSED, GPC_FAST_PASSES } from "../state/layout";
import { phys_region, region_kind, region_base, region_size, ram_host, REGION_KIND_RAM } from "./phys";

// Outcomes, in the order of Table D9-2's fault priorities
export const GPC_PASS: u32 = 0;
export const GPC_GPF: u32 = 1; // Granule Protection Fault
export const GPC_WALK_FAULT: u32 = 2; // GPT walk fault (invalid configuration or descriptor)
export const GPC_ADDRESS_SIZE: u32 = 3; // GPT address size fault
export const GPC_EXTERNAL_ABORT: u32 = 4; // synchronous External abort on a GPT fetch

/** The GPT level of the last fault (0 or 1); a pass leaves it as it was (a pass has no level to report). */
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
// The RAM region the last GPT fetch hit: consecutive fetches skip the region table search
let gpt_region_lo: u64 = 1;
let gpt_region_size: u64 = 0;
let gpt_region_host: u64 = 0;
/** A GPT descriptor from the Root PA space (GPT fetches are not themselves checked, D9.1). */
// @ts-ignore: decorator
@inline function gpt_read(pa: u64): u64 {
  if (pa - gpt_region_lo < gpt_region_size) return load<u64>(<usize>(gpt_region_host + (pa - gpt_region_lo)));
  return gpt_read_slow(pa);
}
// fetch_bad is false at rest: set by a failed fetch, cleared by the check that reports it (gpt_fetch_failed)
function gpt_read_slow(pa: u64): u64 {
  const r = phys_region(pa);
  if (r < 0 || region_kind(r) != REGION_KIND_RAM) { fetch_bad = true; return 0; }
  gpt_region_lo = region_base(r);
  gpt_region_size = region_size(r);
  gpt_region_host = <u64>ram_host(r, gpt_region_lo);
  return load<u64>(ram_host(r, pa));
}

// ---- the decoded configuration: re-derived only when GPCCR_EL3, GPTBR_EL3, GPCBW_EL3 or the features change ----
let cfg_gpccr: u64 = u64.MAX_VALUE; // always has GPCCR_EL3.GPC set once decoded: equal means on and current
let cfg_gptbr: u64 = u64.MAX_VALUE;
let cfg_gpcbw: u64 = u64.MAX_VALUE;
let cfg_features: u32 = u32.MAX_VALUE;
let cfg_consistent = false; // GPCRegistersConsistent
let cfg_t: u32 = 0; // protected PA size (bits)
let cfg_p: u32 = 0; // granule size (bits)
let cfg_pad: u32 = 0; // bit per PAS whose accesses all fault (SPAD, NSPAD, RLPAD)
let cfg_above_pass: u32 = 0; // bit per PAS that passes above the protected size
let cfg_bw_mask: u64 = 0; // bypass window: address bits compared, 0 when off
let cfg_bw_value: u64 = 0;
let cfg_base: u64 = 0; // level-0 table address
let cfg_base_oob = false; // the base lies beyond the protected size: GPT address size fault
let cfg_gpi_valid: u32 = 0; // bit per GPI encoding that GPIValid accepts
let cfg_res0_hi: u64 = 0;
let cfg_l1_bytes: u64 = u64.MAX_VALUE; // the size of one L1 table
// Whether both GPIs of a byte of an L1 granule descriptor are valid: 16 nibbles checked in 8 lookups
const byte_valid = new StaticArray<u8>(256);

// The fast walk's view of the configuration: shifts, masks and the L0 table's linear address, so that a
// walk that ends in a pass or a GPF costs two loads and a handful of operations. Anything else (faults,
// bypass windows, FEAT_RME_GDI's paired reads, tables outside the remembered RAM region) goes to the full
// walk, which keeps the architectural fault order.
let fw_ok: u32 = 0; // bit (pas << 2 | sec) per access the fast walk may answer
let fw_l0_last: u64 = 0; // the last L0 index: addresses above the protected size take the full walk
let fw_l0_host: usize = 0;
let fw_pgs: u32 = 0; // PGS in bits (12, 14, 16): PA bits above it number the granule (4 bits in its L1 descriptor, then the L1 index)
// Per (PAS << 2 | security state): a bit per GPI that GPICheck passes; and those of them GPIValid accepts
// (what an L0 block descriptor with that GPI answers)
const gpi_permits = new StaticArray<u32>(16);
const block_permits = new StaticArray<u32>(16);

function decode_config(gpccr: u64): void {
  cfg_gpccr = gpccr;
  verdict_cache_clear(); // every cached verdict was made under the old configuration
  cfg_gptbr = sr(SR_GPTBR_EL3);
  cfg_gpcbw = sr(SR_GPCBW_EL3);
  cfg_features = load<u32>(RME_FEATURES);
  gpt_region_size = 0;
  // Validity depends on the configuration; zeroed answers (nothing passes) go with the zeroed keys
  memory.fill(l0_memo, 0xff, <usize>16 << L0_MEMO_LOG2);
  memory.fill(l1_memo, 0, <usize>8 << L1_MEMO_LOG2);
  memory.fill(l1_memo_pass, 0, 16 * L1_MEMO_GRANULES);
  const t = pps_bits(gpccr);
  const p = pgs_bits(gpccr);
  cfg_t = t;
  cfg_p = p;
  verdict_p = p >= 12 ? p : 12;
  cfg_consistent = registers_consistent(gpccr, t, p);
  cfg_pad = 0;
  cfg_above_pass = 1 << PAS_NONSECURE;
  if (feature(RME_FEAT_GPC2)) {
    if (((gpccr >> 7) & 1) != 0) cfg_pad |= 1 << PAS_SECURE;
    if (((gpccr >> 6) & 1) != 0) cfg_pad |= 1 << PAS_NONSECURE;
    if (((gpccr >> 5) & 1) != 0) cfg_pad |= 1 << PAS_REALM;
    if (((gpccr >> 24) & 1) != 0) cfg_above_pass = 0xff; // APPSAA
  }
  cfg_bw_mask = 0;
  if (feature(RME_FEAT_GPC3) && ((gpccr >> 29) & 1) != 0) {
    const bw = cfg_gpcbw;
    const lo = bw_size_lo(<u32>(bw >> 37) & 7), hi = bw_stride_hi(<u32>(bw >> 32) & 0x1f);
    cfg_bw_mask = (hi >= 63 ? u64.MAX_VALUE : ((<u64>1 << (hi + 1)) - 1)) & ~((<u64>1 << lo) - 1);
    cfg_bw_value = ((bw & 0x3ff_ffff) << 30) & cfg_bw_mask;
  }
  const s = L0GPTSZ_BITS;
  // The L0 table is aligned to its size: base bits below max(t - s + 3, 12) are treated as 0 (D9.2)
  let base = (cfg_gptbr & 0xff_ffff_ffff) << 12;
  if (feature(RME_FEAT_GPC3)) base |= ((cfg_gptbr >> 40) & 0xf) << 52;
  const align = t > s ? t - s + 3 : 12;
  base &= ~((<u64>1 << (align > 12 ? align : 12)) - 1);
  cfg_base = base;
  cfg_base_oob = t == 0 || (base >> t) != 0;
  cfg_gpi_valid = 0;
  for (let g: u32 = 0; g < 16; g++) if (gpi_valid(g, gpccr)) cfg_gpi_valid |= 1 << g;
  for (let b: u32 = 0; b < 256; b++) {
    unchecked(byte_valid[b] = ((cfg_gpi_valid >> (b & 15)) & (cfg_gpi_valid >> (b >> 4)) & 1) as u8);
  }
  // Table descriptor: RES0 bits [63:52] (bits [55:52] hold address with GPC3 and 56-bit PPS)
  cfg_res0_hi = feature(RME_FEAT_GPC3) && t == 56 ? 0xff00_0000_0000_0000 : 0xfff0_0000_0000_0000;
  cfg_l1_bytes = p != 0 && s > p ? <u64>1 << (s - p - 1) : u64.MAX_VALUE;
  decode_fast_walk(t, p, s);
}

function decode_fast_walk(t: u32, p: u32, s: u32): void {
  fw_ok = 0;
  for (let i: u32 = 0; i < 16; i++) {
    let permits: u32 = 0;
    for (let g: u32 = 0; g < 16; g++) if (gpi_check(i >> 2, g, i & 3)) permits |= 1 << g;
    unchecked(gpi_permits[i] = permits);
    unchecked(block_permits[i] = permits & cfg_gpi_valid);
  }
  if (!cfg_consistent || cfg_bw_mask != 0 || cfg_base_oob || (cfg_features & RME_FEAT_GDI) != 0 || t <= s) return;
  // The whole L0 table must lie in one RAM region (else the full walk reports the external abort)
  const l0_bytes: u64 = t > s ? <u64>8 << (t - s) : 8;
  const r = phys_region(cfg_base);
  if (r < 0 || region_kind(r) != REGION_KIND_RAM || cfg_base + l0_bytes - region_base(r) > region_size(r)) return;
  fw_l0_host = ram_host(r, cfg_base);
  fw_l0_last = (<u64>1 << (t - s)) - 1;
  fw_pgs = p;
  for (let i: u32 = 0; i < 16; i++) if (((cfg_pad >> (i >> 2)) & 1) == 0) fw_ok |= 1 << i;
}

// @ts-ignore: decorator
@inline function gpt_fetch_failed(): bool {
  if (!fetch_bad) return false;
  fetch_bad = false;
  return true;
}

// L0 table descriptor values found valid under the current configuration whose whole L1 table lies in one
// RAM region, with the table's linear address: the fast walk's check of a table descriptor is one compare.
// Keyed by value in slot (L0 index mod the slot count), as the L1 memo; empty slots hold all ones, which
// is never a table descriptor (type 0b1111).
const L0_MEMO_LOG2: usize = 10;
const l0_memo: usize = memory.data(16 << <i32>L0_MEMO_LOG2, 16);
/** The offset in l0_memo of the slot of L0 index `l0i`: the key, then the L1 table's address. */
// @ts-ignore: decorator
@inline function l0_memo_slot(l0i: usize): usize {
  return (l0i & ((1 << L0_MEMO_LOG2) - 1)) << 4;
}

/** Remembers table descriptor `d0` (entry `l0i`, checked valid; L1 table at `l1base`) if its table lies in RAM. */
function l0_learn(d0: u64, l0i: usize, l1base: u64): void {
  const r = phys_region(l1base);
  if (r < 0 || region_kind(r) != REGION_KIND_RAM || l1base + cfg_l1_bytes - region_base(r) > region_size(r)) return;
  const m = l0_memo_slot(l0i);
  store<u64>(m, d0, l0_memo);
  store<u64>(m, <u64>ram_host(r, l1base), l0_memo + 8);
}

// L1 descriptor values found valid under the current configuration, with what GPICheck answers for each
// of their 16 granules: GPTs repeat descriptor values (whole runs of Non-secure granules), and validity is a
// function of the value alone. Slot i holds the value of an L1 entry whose index is i modulo the slot count
// (free: the walk has the index) and is keyed by the whole value, so a slot never answers for another value;
// key 0 (16 NoAccess granules, valid under every configuration, nothing passes) fills the empty slots
// without ever being wrong. The answers are a byte per (PAS << 2 | security state, slot, granule): the
// granule number's low bits (PA >> PGS) index them directly, with no shift or mask per lookup.
const L1_MEMO_LOG2: usize = 5;
const L1_MEMO_GRANULES: usize = 16 << L1_MEMO_LOG2; // granules the slots cover: bytes of answers per access kind
// Static data: their addresses are constants in the code, folded into each access
const l1_memo: usize = memory.data(8 << <i32>L1_MEMO_LOG2, 8);
const l1_memo_pass: usize = memory.data(16 << (4 + <i32>L1_MEMO_LOG2), 16); // 16 access kinds x L1_MEMO_GRANULES
// @ts-ignore: decorator
@inline function l1_memo_key(l1i: usize): usize {
  return l1_memo + ((l1i & ((1 << L1_MEMO_LOG2) - 1)) << 3);
}
/** Whether the memo's granule `granule` (PA >> PGS) passes for access `who` (PAS << 2 | security state): 0 or 1. */
// @ts-ignore: decorator
@inline function l1_memo_passes(who: usize, granule: usize): u32 {
  return load<u8>(l1_memo_pass + who * L1_MEMO_GRANULES + (granule & (L1_MEMO_GRANULES - 1)));
}

/** Whether L1 descriptor `d`, entry `l1i` of its table, is valid, remembering it if so. */
// @ts-ignore: decorator
@inline function l1_valid(d: u64, l1i: usize): bool {
  return load<u64>(l1_memo_key(l1i)) == d || l1_learn(d, l1i);
}

function l1_learn(d: u64, l1i: usize): bool {
  if (!l1_check(d)) return false;
  store<u64>(l1_memo_key(l1i), d);
  const contiguous = (d & 0xf) == 1; // one GPI for all 16 granules
  const first = (l1i << 4) & (L1_MEMO_GRANULES - 1);
  for (let who: usize = 0; who < 16; who++) {
    const permits = unchecked(gpi_permits[<i32>who]);
    const row = l1_memo_pass + who * L1_MEMO_GRANULES + first;
    for (let k: u32 = 0; k < 16; k++) {
      const gpi = <u32>(contiguous ? d >> 4 : d >> (k << 2)) & 0xf;
      store<u8>(row + k, <u8>((permits >> gpi) & 1));
    }
  }
  return true;
}

// @ts-ignore: decorator
@inline function l1_check(d: u64): bool {
  if ((d & 0xf) == 1) {
    // Contiguous descriptor: GPI, Contig (00 reserved), the rest RES0 (D9.6.4)
    return ((cfg_gpi_valid >> (<u32>(d >> 4) & 0xf)) & 1) != 0 && ((d >> 8) & 3) != 0 && (d >> 10) == 0;
  }
  const v = byte_valid;
  return (unchecked(v[<i32>(d & 0xff)]) & unchecked(v[<i32>((d >> 8) & 0xff)]) & unchecked(v[<i32>((d >> 16) & 0xff)])
    & unchecked(v[<i32>((d >> 24) & 0xff)]) & unchecked(v[<i32>((d >> 32) & 0xff)]) & unchecked(v[<i32>((d >> 40) & 0xff)])
    & unchecked(v[<i32>((d >> 48) & 0xff)]) & unchecked(v[<i32>(d >> 56)])) != 0;
}

// @ts-ignore: decorator
@inline function bump(counter: usize): void { store<u64>(counter, load<u64>(counter) + 1); }

/** GranuleProtectionCheck with the counters the host reads: checks, GPT walks, faults by kind. */
export function gpc_check(pa: u64, pas: u32, sec: u32): u32 {
  return counted_check(pa, pas, sec);
}

// @ts-ignore: decorator
@inline function counted_check(pa: u64, pas: u32, sec: u32): u32 {
  const gpccr = sr(SR_GPCCR_EL3);
  if (((gpccr >> 16) & 1) == 0) { gpc_level = 0; return GPC_PASS; } // GPCCR_EL3.GPC: checks disabled
  config_current(gpccr);
  return counted_walk(pa, pas, sec, fast_walk_who(pas, sec));
}

/** Re-derives the decoded configuration when GPCCR_EL3, GPTBR_EL3, GPCBW_EL3 or the features changed. */
// @ts-ignore: decorator
@inline function config_current(gpccr: u64): void {
  if (((gpccr ^ cfg_gpccr) | (sr(SR_GPTBR_EL3) ^ cfg_gptbr) | (sr(SR_GPCBW_EL3) ^ cfg_gpcbw) | <u64>(load<u32>(RME_FEATURES) ^ cfg_features)) != 0) {
    decode_config(gpccr);
  }
}

/** For an access as `pas` from `sec`: its index in gpi_permits and the pass masks, or -1 when the fast walk may not answer. */
// @ts-ignore: decorator
@inline function fast_walk_who(pas: u32, sec: u32): i32 {
  const who = (pas << 2) | sec;
  return (pas | sec) > 3 || ((fw_ok >> who) & 1) == 0 ? -1 : <i32>who;
}

/** The check with the configuration current and enabled, and its counters: checks, GPT walks, faults by kind. */
// @ts-ignore: decorator
@inline function counted_walk(pa: u64, pas: u32, sec: u32, who: i32): u32 {
  if (who >= 0 && fast_pass_pgs(pa, <usize>who) != 0) {
    bump(GPC_FAST_PASSES); // a check and a GPT walk: one counter for the three (the host adds them up)
    return GPC_PASS;
  }
  return counted_full(pa, pas, sec);
}

function counted_full(pa: u64, pas: u32, sec: u32): u32 {
  bump(GPC_CHECKS);
  const v = granule_protection_check(pa, pas, sec); // counts its own GPT walk
  if (v != GPC_PASS) bump(GPC_FAULTS + ((<usize>v - 1) << 3));
  return v;
}

/** fast_pass for the configured granule size: one copy per size, its shifts constants. */
// @ts-ignore: decorator
@inline function fast_pass_pgs(pa: u64, who: usize): u32 {
  const p = fw_pgs;
  return p == 12 ? fast_pass(pa, who, 12) : p == 14 ? fast_pass(pa, who, 14) : fast_pass(pa, who, 16);
}

/**
 * 1 when the GPT passes the access, answered from the precomputed masks for the walks that end in a pass
 * with the configuration consistent; 0 for every other case, which the full walk answers (and reports with
 * its level): a fault, or a walk this one does not cover. Agrees with granule_protection_check wherever it
 * answers 1. `pgs`: the granule size in bits, a constant at each call.
 */
// @ts-ignore: decorator
@inline function fast_pass(pa: u64, who: usize, pgs: u64): u32 {
  const l0 = pa >> L0GPTSZ_BITS;
  if (l0 > fw_l0_last) return 0; // above the protected size
  const l0i = <usize>l0;
  const d0 = load<u64>(fw_l0_host + (l0i << 3));
  const m = l0_memo_slot(l0i);
  if (load<u64>(m, l0_memo) == d0) {
    // A table descriptor known valid: its L1 table's linear address is remembered with it
    const granule = <usize>(pa >> pgs); // the L1 index above the granule's 4 bits
    const l1i = (granule >> 4) & ((<usize>1 << (L0GPTSZ_BITS - <u32>pgs - 4)) - 1);
    const d1 = load<u64>(<usize>load<u64>(m, l0_memo + 8) + (l1i << 3));
    if (load<u64>(l1_memo_key(l1i)) != d1) return 0; // a value not seen yet: the full walk checks and learns it
    return l1_memo_passes(who, granule);
  }
  // Block descriptor: one GPI for the whole L0 region, type 0b0001 and bits [63:8] RES0 (one compare)
  if ((d0 & ~<u64>0xf0) != 1) return 0;
  return (unchecked(block_permits[<i32>who]) >> (<u32>d0 >> 4)) & 1;
}

/** GranuleProtectionCheck: the verdict for one access (J1.3.5.56 and the priorities of Table D9-2). */
function granule_protection_check(pa: u64, pas: u32, sec: u32): u32 {
  gpc_level = 0;
  if (!cfg_consistent) return GPC_WALK_FAULT;
  // FEAT_RME_GPC2: whole PA spaces disabled (SPAD, NSPAD, RLPAD); the Root PAS never is
  if (((cfg_pad >> pas) & 1) != 0) return GPC_GPF;
  const t = cfg_t;
  // Above the protected size only Non-secure accesses pass, or all with APPSAA (R CPDSB)
  if (t < 64 && (pa >> t) != 0) return ((cfg_above_pass >> pas) & 1) != 0 ? GPC_PASS : GPC_GPF;
  // FEAT_RME_GPC3 bypass window: behaves as GPI "any"
  if (cfg_bw_mask != 0 && (pa & cfg_bw_mask) == cfg_bw_value) return GPC_PASS;
  if (cfg_base_oob) return GPC_ADDRESS_SIZE;
  const s = L0GPTSZ_BITS;
  const l0i = t <= s ? 0 : (pa >> s) & ((<u64>1 << (t - s)) - 1);
  bump(GPT_WALKS);
  const d0 = gpt_read(cfg_base + (l0i << 3));
  if (gpt_fetch_failed()) return GPC_EXTERNAL_ABORT;
  const type = <u32>d0 & 0xf;
  if (type == 1) {
    // Block descriptor: one GPI for the whole 2^s region
    const gpi = <u32>(d0 >> 4) & 0xf;
    if ((d0 >> 8) != 0 || ((cfg_gpi_valid >> gpi) & 1) == 0) return GPC_WALK_FAULT;
    return gpi_check(pas, gpi, sec) ? GPC_PASS : GPC_GPF;
  }
  if (type != 3) return GPC_WALK_FAULT;
  // Table descriptor: RES0 bits [63:52] (or [63:56]) and [11:4]
  const res0_hi = cfg_res0_hi;
  if ((d0 & res0_hi) != 0 || (d0 & 0xff0) != 0) return GPC_WALK_FAULT;
  const p = cfg_p;
  const l1base = d0 & ~res0_hi & ~((<u64>1 << (s - p - 1)) - 1); // the L1 table is aligned to its size
  if ((l1base >> t) != 0) return GPC_ADDRESS_SIZE;
  if (load<u64>(l0_memo_slot(<usize>l0i), l0_memo) != d0) l0_learn(d0, <usize>l0i, l1base);
  gpc_level = 1;
  const l1i = (pa >> (p + 4)) & ((<u64>1 << (s - p - 4)) - 1);
  const d1 = gpt_read(l1base + (l1i << 3));
  if (gpt_fetch_failed()) return GPC_EXTERNAL_ABORT;
  if (!l1_valid(d1, <usize>l1i)) return GPC_WALK_FAULT;
  // With FEAT_RME_GDI a lookup reads the aligned pair of L1 descriptors and both must be valid (D9.6)
  if ((cfg_features & RME_FEAT_GDI) != 0) {
    const other = gpt_read(l1base + ((l1i ^ 1) << 3));
    if (gpt_fetch_failed()) return GPC_EXTERNAL_ABORT;
    if (!l1_valid(other, <usize>(l1i ^ 1))) return GPC_WALK_FAULT;
  }
  const gpi = (d1 & 0xf) == 1 ? <u32>(d1 >> 4) & 0xf : <u32>(d1 >> (((pa >> p) & 0xf) << 2)) & 0xf;
  return gpi_check(pas, gpi, sec) ? GPC_PASS : GPC_GPF;
}

// ---- the verdict cache of TLB fills ----
// A fill whose granule was checked before for the same PAS and security state reuses that verdict: GPT
// information may be cached like translations, and is invalidated by TLBI PAALL/RPA* (D9.7), by
// configuration changes and by the host's tlb_flush/state_changed. Entries: granule address (PA bits
// 63:PGS) | VERDICT_VALID | PAS (bits 10:8) | security state (bits 7:6) | GPT level (bit 4) | verdict
// (bits 2:0); a pass's entry is thus its key. Keyed by granule, not page: one entry answers for all the
// pages of a 16K or 64K granule. Two ways per set, chosen by the granule's low bits: a new entry goes to
// way 0 and the one there moves to way 1 (direct-mapped, granules whose bits collide evicted each other on
// every use: 6% of a hot set of 256).
const VERDICT_CACHE_LOG2: u32 = 12; // entries
const VERDICT_VALID: u64 = 0x800;
const verdict_cache: usize = memory.data(8 << VERDICT_CACHE_LOG2, 8); // static: a constant address in the code
// The granule size the entries are keyed by, in bits: PGS, or 4K while the configuration has none
let verdict_p: u64 = 12;

/** The offset in verdict_cache of the set of the granule of `pa` (way 0; way 1 follows it); `p`: the granule size in bits. */
// @ts-ignore: decorator
@inline function verdict_set(pa: u64, p: u64): usize {
  // (granule & (sets - 1)) << 4 in two operations; verdict_cache is added as the loads' constant offset
  return <usize>(pa >> (p - 4)) & (((1 << (VERDICT_CACHE_LOG2 - 1)) - 1) << 4);
}

/** The key of the granule of `pa` for an access whose key bits are `key_low`. */
// @ts-ignore: decorator
@inline function verdict_key(pa: u64, p: u64, key_low: u64): u64 {
  return (pa & ~((<u64>1 << p) - 1)) | key_low;
}

/** Enters `e` in way 0 of set `set`, moving the entry there to way 1. */
// @ts-ignore: decorator
@inline function verdict_insert(set: usize, e: u64): void {
  store<u64>(set, load<u64>(set, verdict_cache), verdict_cache + 8);
  store<u64>(set, e, verdict_cache);
}

export function verdict_cache_clear(): void {
  memory.fill(verdict_cache, 0, (<usize>1 << VERDICT_CACHE_LOG2) << 3);
}

/** Drops the cached verdicts of granules that intersect [lo, hi] (TLBI RPAOS/RPALOS, the monitor's). */
export function verdict_cache_invalidate(lo: u64, hi: u64): void {
  const last = (<u64>1 << verdict_p) - 1; // a granule's last byte, from its address
  for (let i = 0; i < (1 << VERDICT_CACHE_LOG2); i++) {
    const e = load<u64>(verdict_cache + (<usize>i << 3));
    const granule = e & ~last;
    if ((e & VERDICT_VALID) != 0 && granule + last >= lo && granule <= hi) store<u64>(verdict_cache + (<usize>i << 3), 0);
  }
}

/** gpc_check for a TLB fill: from the verdict cache when the granule was checked before (counted as reused). */
// @ts-ignore: decorator
@inline export function gpc_check_cached(pa: u64, pas: u32, sec: u32): u32 {
  const e = cached_entry(pa, verdict_key_low(pas, sec));
  return e != 0 ? reuse(e) : check_and_cache(pa, pas, sec);
}

/** The low bits of a verdict cache key: VERDICT_VALID, the PAS and the security state. */
// @ts-ignore: decorator
@inline function verdict_key_low(pas: u32, sec: u32): u64 {
  return VERDICT_VALID | (<u64>pas << 8) | (<u64>sec << 6);
}

/** The verdict cache's entry for the granule of `pa` and key `key_low`, or 0 when there is none. */
// @ts-ignore: decorator
@inline function cached_entry(pa: u64, key_low: u64): u64 {
  // cfg_gpccr has GPCCR_EL3.GPC set: equal means the checks are on and the cache holds this configuration's
  if (sr(SR_GPCCR_EL3) != cfg_gpccr) return 0;
  const p = verdict_p;
  const set = verdict_set(pa, p);
  const key = verdict_key(pa, p, key_low);
  const e = load<u64>(set, verdict_cache);
  if ((e ^ key) < 0x20) return e;
  const e1 = load<u64>(set, verdict_cache + 8);
  return (e1 ^ key) < 0x20 ? e1 : 0;
}

/** The verdict of a cache entry, counted as a check answered by the cache. */
// @ts-ignore: decorator
@inline function reuse(e: u64): u32 {
  const v = <u32>e & 7;
  bump(GPC_VERDICTS_REUSED); // a check too: the host adds these to GPC_CHECKS
  if (v != GPC_PASS) {
    gpc_level = <u32>(e >> 4) & 1;
    bump(GPC_FAULTS + ((<usize>v - 1) << 3));
  }
  return v;
}

function check_and_cache(pa: u64, pas: u32, sec: u32): u32 {
  const v = gpc_check(pa, pas, sec); // re-decodes a changed configuration, which empties the cache
  if (sr(SR_GPCCR_EL3) != cfg_gpccr) return v; // checks disabled: nothing to remember
  const p = verdict_p;
  verdict_insert(verdict_set(pa, p), verdict_key(pa, p, verdict_key_low(pas, sec)) | (v != GPC_PASS ? <u64>gpc_level << 4 : 0) | v);
  return v;
}

// ---- loops for `cca-emu bench gpc`: many checks inside the core, no host call per check ----

// What the loops return, the number of passes, is derived from the counters after the loop: the loop
// itself does no more per check than the check does.
// @ts-ignore: decorator
@inline function faults_counted(): u64 {
  return load<u64>(GPC_FAULTS) + load<u64>(GPC_FAULTS, 8) + load<u64>(GPC_FAULTS, 16) + load<u64>(GPC_FAULTS, 24);
}

/**
 * Runs the GPC on `n` addresses read cyclically from the u64 array at linear address `stream` (`len`
 * entries, a power of two), as `pas` from `sec`, walking the GPT every time. Returns the number of passes.
 */
export function gpc_bench_walks(stream: usize, len: u32, n: u32, pas: u32, sec: u32): u32 {
  const gpccr = sr(SR_GPCCR_EL3);
  if (((gpccr >> 16) & 1) == 0) return n; // checks disabled: every access passes
  // Nothing changes the configuration during the loop: validated once, as a TLB fill validates it once
  config_current(gpccr);
  return bench_laps(stream, len, n, pas, sec, false);
}

/**
 * The loop of both benches over the stream (`len` addresses at `stream`, cyclically) for `n` lookups: the
 * lookups the fast loops answer, in loops without calls or stores that walk the stream by pointer to its
 * end or the last lookup, counted after them from where they stopped (exact whenever the host reads the
 * counters): raw walks as counted_walk counts them; cached hits as reused, cached misses the fast walk
 * passes as a check and a GPT walk each. The others one at a time through the path a check or a fill
 * takes. Returns the passes. `cached`: a constant at each call, so each bench gets its own copy.
 */
// @ts-ignore: decorator
@inline function bench_laps(stream: usize, len: u32, n: u32, pas: u32, sec: u32, cached: bool): u32 {
  const who = fast_walk_who(pas, sec);
  const faults = faults_counted();
  const end = stream + (<usize>len << 3);
  let at = stream;
  let left = n;
  while (left != 0) {
    // The cached loops need the checks on and the cache holding this configuration's verdicts
    if (cached ? sr(SR_GPCCR_EL3) == cfg_gpccr : who >= 0) {
      const from = at;
      at = cached ? cached_passes(at, lap_stop(at, end, left), who) : fast_passes(at, lap_stop(at, end, left), <usize>who);
      const passes = <u32>((at - from) >> 3);
      const walks = cached ? bench_walks : passes;
      if (cached) store<u64>(GPC_VERDICTS_REUSED, load<u64>(GPC_VERDICTS_REUSED) + passes - walks);
      store<u64>(GPC_FAST_PASSES, load<u64>(GPC_FAST_PASSES) + walks);
      left -= passes;
    }
    // A fault, a cached fault, or a walk the fast walk does not answer: the full walk, or the fill's path
    if (left != 0 && at < end) {
      const pa = load<u64>(at);
      if (cached) gpc_check_cached(pa, pas, sec);
      else counted_full(pa, pas, sec);
      at += 8;
      left--;
    }
    if (at == end) at = stream;
  }
  return n - <u32>(faults_counted() - faults);
}

/** Where a bench loop at `at` stops: the stream's end, or after the `left` lookups still to do. */
// @ts-ignore: decorator
@inline function lap_stop(at: usize, end: usize, left: u32): usize {
  return <usize>left < ((end - at) >> 3) ? at + (<usize>left << 3) : end;
}

/** The stream's addresses from `at` to `stop` that fast_pass passes: where it stopped. */
// @ts-ignore: decorator
@inline function fast_passes(at: usize, stop: usize, who: usize): usize {
  const p = fw_pgs; // as fast_pass_pgs, outside the loop
  return p == 12 ? fast_passes_4k(at, stop, who) : p == 14 ? fast_passes_16k(at, stop, who) : fast_passes_64k(at, stop, who);
}

// One loop per granule size, each with its shifts as constants
function fast_passes_4k(at: usize, stop: usize, who: usize): usize { return fast_pass_run(at, stop, who, 12); }
function fast_passes_16k(at: usize, stop: usize, who: usize): usize { return fast_pass_run(at, stop, who, 14); }
function fast_passes_64k(at: usize, stop: usize, who: usize): usize { return fast_pass_run(at, stop, who, 16); }

// @ts-ignore: decorator
@inline function fast_pass_run(at: usize, stop: usize, who: usize, pgs: u64): usize {
  for (; at < stop; at += 8) if (fast_pass(load<u64>(at), who, pgs) == 0) break;
  return at;
}

/** As gpc_bench_walks, through the verdict cache that TLB fills use. */
// The key the cached loops compare, in a global: from a local, V8 recomputed it from the arguments in the
// loop; and the misses they walked (and entered), their second result
let bench_key_low: u64 = 0;
let bench_walks: u32 = 0;

export function gpc_bench_cached(stream: usize, len: u32, n: u32, pas: u32, sec: u32): u32 {
  const gpccr = sr(SR_GPCCR_EL3);
  if (((gpccr >> 16) & 1) != 0) config_current(gpccr); // as gpc_bench_walks: validated once
  bench_key_low = verdict_key_low(pas, sec);
  return bench_laps(stream, len, n, pas, sec, true);
}

/** The stream's addresses from `at` to `stop` that pass from the cache or by the fast walk: where it stopped. */
// @ts-ignore: decorator
@inline function cached_passes(at: usize, stop: usize, who: i32): usize {
  if (who < 0) {
    bench_walks = 0;
    return cached_hits(at, stop);
  }
  const p = fw_pgs; // the granule size verdict_p holds too
  return p == 12 ? cached_run_4k(at, stop, <usize>who) : p == 14 ? cached_run_16k(at, stop, <usize>who) : cached_run_64k(at, stop, <usize>who);
}

/** Hits only, where the fast walk may not answer. */
function cached_hits(at: usize, stop: usize): usize {
  return cached_hit_run(at, stop, verdict_p);
}

/** The stream's addresses from `at` to `stop` that hit a cached pass (granule size `p` bits): where it stopped. */
// @ts-ignore: decorator
@inline function cached_hit_run(at: usize, stop: usize, p: u64): usize {
  for (; at < stop; at += 8) {
    const pa = load<u64>(at);
    const set = verdict_set(pa, p);
    const key = verdict_key(pa, p, bench_key_low);
    if (load<u64>(set, verdict_cache) == key) continue;
    if (load<u64>(set, verdict_cache + 8) != key) break;
  }
  return at;
}

// One loop per granule size, each with its shifts as constants
function cached_run_4k(at: usize, stop: usize, who: usize): usize { return cached_run(at, stop, who, 12); }
function cached_run_16k(at: usize, stop: usize, who: usize): usize { return cached_run(at, stop, who, 14); }
function cached_run_64k(at: usize, stop: usize, who: usize): usize { return cached_run(at, stop, who, 16); }

// @ts-ignore: decorator
@inline function cached_run(at: usize, stop: usize, who: usize, pgs: u64): usize {
  let walks: u32 = 0;
  while (true) {
    // Hits, in a loop of their own: the miss's walk inside it cost V8 registers and the hits 40% of their rate
    at = cached_hit_run(at, stop, pgs);
    if (at >= stop) break;
    // A miss: the fill's walk; a pass is entered as check_and_cache enters it, anything else leaves
    const pa = load<u64>(at);
    if (fast_pass(pa, who, pgs) == 0) break;
    verdict_insert(verdict_set(pa, pgs), verdict_key(pa, pgs, bench_key_low));
    walks++;
    at += 8;
  }
  bench_walks = walks;
  return at;
}
