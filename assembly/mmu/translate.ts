// Translation for the EL1&0, EL2 and EL3 regimes (Arm ARM D8.2-D8.4, VMSAv8-64): stage 1 with 4K, 16K and
// 64K granules, TTBR0/TTBR1 with T0SZ/T1SZ, TBI, blocks and pages, AP/UXN/PXN/WXN/PAN, the access flag; and
// for EL1&0 with HCR_EL2.VM or DC, stage 2 (VTTBR_EL2/VTCR_EL2, concatenated start tables, S2AP/XN,
// MemAttr) applied to the output address and to every stage-1 descriptor fetch.
// walk() computes an outcome without side effects (AT uses it too); the caller fills the TLB or faults.
import { sr } from "../cpu/regs";
import { cur_sec, PSR_PAN, SEC_SECURE, SEC_NONSECURE, SEC_ROOT, SEC_REALM, hcr_el2 } from "../cpu/pstate";
import { PSTATE_ADDR } from "../state/layout";
import {
  SR_SCTLR_EL1, SR_SCTLR_EL2, SR_SCTLR_EL3, SR_TCR_EL1, SR_TCR_EL2, SR_TCR_EL3, SR_TTBR0_EL1, SR_TTBR1_EL1,
  SR_TTBR0_EL2, SR_TTBR0_EL3, SR_MAIR_EL1, SR_MAIR_EL2, SR_MAIR_EL3, SR_VTTBR_EL2, SR_VTCR_EL2, SR_GPCCR_EL3,
} from "../cpu/sysregs.gen";
import { phys_region, region_kind, ram_host, REGION_KIND_RAM } from "./phys";
import { gpc_check, gpc_level, GPC_PASS } from "./gpc";
import { KIND_READ, KIND_WRITE, KIND_FETCH, REGIME_EL10_UNPRIV, REGIME_EL10, REGIME_EL2, el10_pan_open } from "./tlb";

// Fault status codes (ESR_ELx.ISS DFSC/IFSC, D23.2.40); level-based ones add the level
export const FSC_ADDRESS_SIZE: u32 = 0x00;
export const FSC_TRANSLATION: u32 = 0x04;
export const FSC_ACCESS_FLAG: u32 = 0x08;
export const FSC_PERMISSION: u32 = 0x0c;
export const FSC_EXTERNAL: u32 = 0x10;
export const FSC_EXTERNAL_WALK: u32 = 0x14;
export const FSC_ALIGNMENT: u32 = 0x21;

// Outcome of the last walk
export let walk_fault: u32 = 0; // 0 = none, else FSC with level folded in
export let walk_pa: u64 = 0; // output address of the whole access's page
export let walk_pas: u32 = 0; // physical address space (the SEC_* encoding: S, NS, Root, Realm)
export let walk_shift: u32 = 12; // log2 size of the translation (page or block)
export let walk_attr: u32 = 0; // MAIR attribute byte
export let walk_perms: u32 = 0; // PERM_* for the regime's privilege that was asked
export let walk_ng: bool = false;
export let walk_asid: u32 = 0;
export let walk_s1ptw: bool = false; // the fault happened on a table read
export let walk_stage2: bool = false; // the fault is a stage-2 fault (taken to EL2 with HPFAR_EL2 = walk_ipa)
export let walk_ipa: u64 = 0; // the IPA stage 2 translated (of the faulting translation, or of the page)
export let walk_s2_shift: u32 = 0; // log2 size of the stage-2 translation of the page; 0 when stage 2 is off
export let walk_s2_device: bool = false; // Device memory from stage 2 alone: its alignment faults are stage 2's

export const PERM_R: u32 = 1;
export const PERM_W: u32 = 2;
export const PERM_X: u32 = 4;

/** The PAS an access in the current security state uses by default (D9.1). */
function default_pas(): u32 {
  return cur_sec == SEC_ROOT ? SEC_ROOT : cur_sec == SEC_REALM ? SEC_REALM : cur_sec == SEC_SECURE ? SEC_SECURE : SEC_NONSECURE;
}

function regime_el(regime: u32): u32 {
  return regime <= REGIME_EL10 ? 1 : regime == REGIME_EL2 ? 2 : 3;
}

function sctlr_of(el: u32): u64 {
  return sr(el == 1 ? SR_SCTLR_EL1 : el == 2 ? SR_SCTLR_EL2 : SR_SCTLR_EL3);
}

/** PA size in bits from a 3-bit PS/IPS field, capped at the implemented 48 bits. */
function pa_bits(ps: u32): u32 {
  switch (ps) {
    case 0: return 32;
    case 1: return 36;
    case 2: return 40;
    case 3: return 42;
    case 4: return 44;
    default: return 48;
  }
}

/** walk_fault when the Granule Protection Check failed a descriptor fetch (details in walk_gpc_*). */
export const WALK_GPC_FAULT: u32 = 0x100;
export let walk_gpc: u32 = 0; // the GPC verdict (GPC_*)
export let walk_gpc_level: u32 = 0; // its GPT level
export let walk_gpc_pa: u64 = 0; // the descriptor's address
export let walk_gpc_pas: u32 = 0;
export let walk_level: u32 = 0; // the translation level of the last descriptor fetched

let desc_bad = false;
let desc_gpc = false;
let desc_s2 = false; // a stage-2 fault translating a stage-1 descriptor's IPA (walk_fault set)
/**
 * Reads a descriptor from `pas`: the fetch is subject to the Granule Protection Check (D9.1); a table in
 * no RAM region is an external abort on the walk (desc_bad). `s2_table` marks a stage-2 descriptor fetch:
 * with GPCCR_EL3.GPCP = 1, a GPC fault on a fetch that returns a Table descriptor is not reported (D24.2.56).
 */
function read_desc(pa: u64, pas: u32, s2_table: bool = false): u64 {
  const v = gpc_check(pa, pas, cur_sec);
  if (v != GPC_PASS) {
    if (s2_table && ((sr(SR_GPCCR_EL3) >> 17) & 1) != 0) {
      const r = phys_region(pa);
      if (r >= 0 && region_kind(r) == REGION_KIND_RAM) {
        const d = load<u64>(ram_host(r, pa));
        if ((d & 3) == 3 && s2_level < 3) return d;
      }
    }
    desc_gpc = true;
    walk_gpc = v;
    walk_gpc_level = gpc_level;
    walk_gpc_pa = pa;
    walk_gpc_pas = pas;
    return 0;
  }
  const r = phys_region(pa);
  if (r < 0 || region_kind(r) != REGION_KIND_RAM) { desc_bad = true; return 0; }
  return load<u64>(ram_host(r, pa));
}

// ---- stage 2 (D8.2.8.2, D8.2.9.2, D8.2.10.2; pseudocode J1.1.4 AArch64.S2Translate, AArch64.S2Walk) ----

// Outcome of the last stage-2 translation
let s2_pa: u64 = 0; // output page
let s2_pas: u32 = 0;
let s2_shift: u32 = 12;
let s2_perms: u32 = 0; // PERM_* from S2AP and XN; MMU read (a stage-1 walk's) is PERM_R
let s2_device: u32 = 0; // 0 Normal, else 1 + MemAttr[1:0] (the Device type)
let s2_nc: bool = false; // Normal Non-cacheable (inner or outer)
let s2_level: i32 = 0;

/** Whether stage 2 applies to the EL1&0 regime now: HCR_EL2.VM or DC, not TGE (D8.2.12.2, D24.2.62). */
export function stage2_enabled(): bool {
  if (cur_sec != SEC_NONSECURE && cur_sec != SEC_REALM) return false; // Secure EL2 is not implemented
  const hcr = hcr_el2();
  return (hcr & (1 << 27)) == 0 && (hcr & ((1 << 0) | (1 << 12))) != 0;
}

/** The VMID of the current stage-2 translation (VTTBR_EL2.VMID; 8 bits unless VTCR_EL2.VS, D24.2.222). */
export function current_vmid(): u32 {
  const vttbr = sr(SR_VTTBR_EL2);
  return ((sr(SR_VTCR_EL2) >> 19) & 1) != 0 ? <u32>(vttbr >>> 48) & 0xffff : <u32>(vttbr >>> 48) & 0xff;
}

/**
 * Stage-2 translation of `ipa` (its page) for an access of `kind`, or for a stage-1 descriptor fetch when
 * `s1_walk`. Returns true with s2_* set, or false with walk_fault, walk_stage2 and walk_ipa set.
 */
function s2_translate(ipa: u64, kind: u32, s1_walk: bool): bool {
  walk_ipa = ipa & ~<u64>0xfff;
  const vtcr = sr(SR_VTCR_EL2);
  let t0sz = <u32>vtcr & 63;
  const sl0 = <u32>(vtcr >>> 6) & 3;
  const tg0 = <u32>(vtcr >>> 14) & 3; // 00 4K, 01 64K, 10 16K
  const tg: u32 = tg0 == 1 ? 16 : tg0 == 2 ? 14 : 12;
  const stride = tg - 3;
  // T0SZ outside 16..39 behaves as the nearest supported value (no FEAT_LPA or FEAT_TTST: S2TxSZFaults)
  if (t0sz < 16) t0sz = 16;
  if (t0sz > 39) t0sz = 39;
  const iasize: u32 = 64 - t0sz;
  // Initial lookup level from SL0 (Tables D8-19, D8-29, D8-38); VTCR_EL2.DS and SL2 are RES0 without
  // FEAT_LPA2, 4K SL0 = 3 needs FEAT_TTST: invalid encodings are a level 0 Translation fault (S2InvalidSL)
  let start: i32 = -1;
  if (tg == 12) start = sl0 == 0 ? 2 : sl0 == 1 ? 1 : sl0 == 2 ? 0 : -1;
  else start = sl0 == 0 ? 3 : sl0 == 1 ? 2 : sl0 == 2 ? 1 : -1;
  // S2InconsistentSL: the start level must resolve between 1 and stride + 4 bits (up to 16 concatenated tables)
  if (start >= 0) {
    const sl_min = <u32>(3 - start) * stride + tg + 1;
    if (iasize < sl_min || iasize > sl_min + stride - 1 + 4) start = -1;
  }
  // AArch64.IPAIsOutOfRange: an IPA beyond the input size is a level 0 Translation fault
  if (start < 0 || (ipa >>> iasize) != 0) {
    walk_fault = FSC_TRANSLATION; walk_stage2 = true; walk_s1ptw = s1_walk; return false;
  }
  const oabits = pa_bits(<u32>(vtcr >>> 16) & 7);
  // Stage-2 tables live in the Realm PAS in Realm state, the Non-secure PAS in Non-secure state (D8.2.6.2)
  const walk_pas_s2 = cur_sec == SEC_REALM ? SEC_REALM : SEC_NONSECURE;
  let level = start;
  const top_bits = iasize - (tg + <u32>(3 - start) * stride);
  // VTTBR_EL2.BADDR (bits 47:1); bits below the start table's (concatenated) size are treated as 0
  let table = sr(SR_VTTBR_EL2) & 0x0000_ffff_ffff_fffe & ~((<u64>1 << (top_bits + 3)) - 1) & ~<u64>7;
  let desc: u64 = 0;
  let shift: u32 = 0;
  while (true) {
    shift = tg + <u32>(3 - level) * stride;
    const bits = level == start ? top_bits : stride;
    const addr = table + (((ipa >>> shift) & ((<u64>1 << bits) - 1)) << 3);
    s2_level = level;
    if (addr >>> oabits != 0) return s2_fault(FSC_ADDRESS_SIZE + <u32>level, s1_walk);
    desc_bad = false;
    desc_gpc = false;
    walk_level = <u32>level;
    desc = read_desc(addr, walk_pas_s2, true);
    if (desc_gpc) { walk_fault = WALK_GPC_FAULT; walk_stage2 = true; walk_s1ptw = s1_walk; return false; }
    if (desc_bad) return s2_fault(FSC_EXTERNAL_WALK + <u32>(level & 3), s1_walk);
    if ((desc & 1) == 0) return s2_fault(FSC_TRANSLATION + <u32>level, s1_walk);
    if ((desc & 2) != 0 && level < 3) {
      table = desc & 0x0000_ffff_ffff_f000 & ~((<u64>1 << tg) - 1);
      level++;
      continue;
    }
    // Blocks: 4K at levels 1-2, 16K and 64K at level 2 only; level 3 needs 0b11
    const block_ok = level == 3 ? (desc & 2) != 0 : tg == 12 ? level >= 1 : level == 2;
    if (!block_ok) return s2_fault(FSC_TRANSLATION + <u32>level, s1_walk);
    break;
  }
  const oa = desc & 0x0000_ffff_ffff_f000 & ~((<u64>1 << shift) - 1);
  if (oa >>> oabits != 0) return s2_fault(FSC_ADDRESS_SIZE + <u32>level, s1_walk);
  if (((desc >>> 10) & 1) == 0) return s2_fault(FSC_ACCESS_FLAG + <u32>level, s1_walk);
  s2_pa = oa | (ipa & ((<u64>1 << shift) - 1) & ~<u64>0xfff);
  s2_shift = shift;
  // NS (bit 55) selects the Non-secure PAS in Realm state; in Non-secure state the output is Non-secure (D8.3)
  s2_pas = cur_sec == SEC_REALM && ((desc >>> 55) & 1) == 0 ? SEC_REALM : SEC_NONSECURE;
  // MemAttr[3:2] = 00 is Device with MemAttr[1:0] its type; else outer/inner cacheability, 01 Non-cacheable
  const memattr = <u32>(desc >>> 2) & 15;
  s2_device = (memattr >> 2) == 0 ? 1 + (memattr & 3) : 0;
  s2_nc = (memattr >> 2) == 1 || (memattr & 3) == 1;
  // S2AP (bits 7:6): bit 6 read, bit 7 write; XN (bit 54) forbids execution at EL1 and EL0 (no FEAT_XNX)
  let perms: u32 = (((desc >>> 6) & 1) != 0 ? PERM_R : 0) | (((desc >>> 7) & 1) != 0 ? PERM_W : 0);
  if (((desc >>> 54) & 1) == 0) perms |= PERM_X;
  // Realm EL1&0: an output outside the Realm PAS has no MMU read/write or execute permission (D8.4 R YMCSL)
  const realm_outside = cur_sec == SEC_REALM && s2_pas != SEC_REALM;
  if (realm_outside) perms &= ~PERM_X;
  s2_perms = perms;
  if (s1_walk) {
    // A stage-1 descriptor fetch needs MMU read; HCR_EL2.PTW makes Device memory a Permission fault (D8.4)
    if ((perms & PERM_R) == 0 || realm_outside) return s2_fault(FSC_PERMISSION + <u32>level, true);
    if (s2_device != 0 && (hcr_el2() & (<u64>1 << 2)) != 0) return s2_fault(FSC_PERMISSION + <u32>level, true);
    return true;
  }
  const need = kind == KIND_WRITE ? PERM_W : kind == KIND_FETCH ? PERM_X : PERM_R;
  if ((perms & need) == 0) return s2_fault(FSC_PERMISSION + <u32>level, false);
  return true;
}

function s2_fault(fsc: u32, s1_walk: bool): bool {
  walk_fault = fsc;
  walk_stage2 = true;
  walk_s1ptw = s1_walk;
  return false;
}

/** A stage-1 descriptor at IPA `ipa`: through stage 2 when it is on, then GPC-checked from its PAS. */
function read_s1_desc(ipa: u64, pas: u32, s2: bool): u64 {
  if (!s2) return read_desc(ipa, pas);
  if (!s2_translate(ipa, KIND_READ, true)) { desc_s2 = true; return 0; }
  return read_desc(s2_pa | (ipa & 0xfff), s2_pas);
}

/**
 * Translates `va` for an access of `kind` in `regime`. Returns true with walk_* describing the page, or
 * false with walk_fault set. `pan_applies` is false for accesses PAN does not restrict (fetches, LDTR/STTR).
 */
export function walk(va: u64, kind: u32, regime: u32, pan_applies: bool, stage2: bool = true): bool {
  walk_fault = 0;
  walk_s1ptw = false;
  walk_stage2 = false;
  walk_s2_shift = 0;
  walk_s2_device = false;
  walk_ng = false;
  walk_asid = 0;
  const el = regime_el(regime);
  const sctlr = sctlr_of(el);
  // Stage 1 is off when SCTLR.M is 0, and for EL1&0 when HCR_EL2.TGE or HCR_EL2.DC is set (D8.2.11)
  const hcr = regime <= REGIME_EL10 ? hcr_el2() : 0;
  const s2 = stage2 && regime <= REGIME_EL10 && stage2_enabled();
  if ((sctlr & 1) == 0 || (hcr & ((1 << 27) | (1 << 12))) != 0) {
    if (va >>> 48 != 0) { walk_fault = FSC_ADDRESS_SIZE; return false; }
    walk_pa = va & ~<u64>0xfff;
    walk_pas = default_pas();
    walk_shift = 12;
    // D8.2.11: data accesses are Device-nGnRnE, fetches Normal (cacheable per SCTLR.I)
    walk_attr = kind == KIND_FETCH ? 0xff : (hcr & (1 << 12)) != 0 ? 0xff : 0x00;
    walk_perms = PERM_R | PERM_W | PERM_X;
    return s2 ? apply_stage2(kind) : true;
  }
  let tcr: u64, ttbr: u64, mair: u64;
  let upper = false;
  let txsz: u32, tg: u32, tbi: bool, epd: bool;
  if (el == 1) {
    tcr = sr(SR_TCR_EL1);
    mair = sr(SR_MAIR_EL1);
    upper = ((va >>> 55) & 1) != 0;
    if (upper) {
      ttbr = sr(SR_TTBR1_EL1);
      txsz = <u32>(tcr >>> 16) & 63;
      const tg1 = <u32>(tcr >>> 30) & 3; // TG1: 01 16K, 10 4K, 11 64K
      tg = tg1 == 1 ? 14 : tg1 == 3 ? 16 : 12;
      tbi = ((tcr >>> 38) & 1) != 0;
      epd = ((tcr >>> 23) & 1) != 0;
    } else {
      ttbr = sr(SR_TTBR0_EL1);
      txsz = <u32>tcr & 63;
      const tg0 = <u32>(tcr >>> 14) & 3; // TG0: 00 4K, 01 64K, 10 16K
      tg = tg0 == 1 ? 16 : tg0 == 2 ? 14 : 12;
      tbi = ((tcr >>> 37) & 1) != 0;
      epd = ((tcr >>> 7) & 1) != 0;
    }
  } else {
    tcr = sr(el == 2 ? SR_TCR_EL2 : SR_TCR_EL3);
    mair = sr(el == 2 ? SR_MAIR_EL2 : SR_MAIR_EL3);
    ttbr = sr(el == 2 ? SR_TTBR0_EL2 : SR_TTBR0_EL3);
    txsz = <u32>tcr & 63;
    const tg0 = <u32>(tcr >>> 14) & 3;
    tg = tg0 == 1 ? 16 : tg0 == 2 ? 14 : 12;
    tbi = ((tcr >>> 20) & 1) != 0;
    epd = false;
  }
  // T0SZ/T1SZ outside the supported range behave as the nearest supported value (D8.2.4.1)
  if (txsz < 16) txsz = 16;
  if (txsz > 39) txsz = 39;
  const inbits = 64 - txsz;
  // The bits above the input range (below the top byte when TBI) must all equal bit 55 for EL1&0, or be 0
  const top = tbi ? (va << 8) >> 8 : va;
  const hi = <i64>top >> inbits;
  if (el == 1) {
    if (hi != (upper ? -1 : 0)) { walk_fault = FSC_TRANSLATION; return false; }
  } else if (hi != 0) { walk_fault = FSC_TRANSLATION; return false; }
  if (epd) { walk_fault = FSC_TRANSLATION; return false; }
  const ps = el == 1 ? <u32>(tcr >>> 32) & 7 : <u32>(tcr >>> 16) & 7;
  const oabits = pa_bits(ps);
  const stride = tg - 3;
  const start: i32 = 4 - <i32>((inbits - tg + stride - 1) / stride);
  let level = start;
  // The start table is aligned to its own size; TTBR bits below that are RES0 (BADDR is bits 47:1)
  let table = ttbr & 0x0000_ffff_ffff_fffe;
  table &= ~<u64>7;
  if (el == 1) walk_asid = <u32>(ttbr >>> 48);
  let pas = default_pas();
  let ap_table: u32 = 0;
  let xn_table = false;
  let pxn_table = false;
  let desc: u64 = 0;
  let shift: u32 = 0;
  while (true) {
    shift = tg + <u32>(3 - level) * stride;
    const bits = level == start ? inbits - shift : stride;
    const index = (va >>> shift) & ((<u64>1 << bits) - 1);
    const addr = table + (index << 3);
    if (addr >>> oabits != 0) { walk_fault = FSC_ADDRESS_SIZE + <u32>level; walk_s1ptw = true; return false; }
    desc_bad = false;
    desc_gpc = false;
    walk_level = <u32>level;
    desc_s2 = false;
    desc = read_s1_desc(addr, pas, s2);
    if (desc_s2) return false; // a stage-2 fault on the stage-1 walk (walk_fault, walk_stage2 and walk_s1ptw set)
    if (desc_gpc) { walk_fault = WALK_GPC_FAULT; walk_s1ptw = true; return false; }
    if (desc_bad) { walk_fault = FSC_EXTERNAL_WALK + <u32>(level & 3); walk_s1ptw = true; return false; }
    if ((desc & 1) == 0) { walk_fault = FSC_TRANSLATION + <u32>level; return false; }
    const is_table = (desc & 2) != 0 && level < 3;
    if (!is_table) {
      // Blocks: 4K at levels 1-2, 16K and 64K at level 2 only; level 3 needs 0b11
      const block_ok = level == 3 ? (desc & 2) != 0 : tg == 12 ? level >= 1 : level == 2;
      if (!block_ok) { walk_fault = FSC_TRANSLATION + <u32>level; return false; }
      break;
    }
    // Next-level table attributes (D8.4.2)
    ap_table |= <u32>(desc >>> 61) & 3;
    if (((desc >>> 60) & 1) != 0) xn_table = true;
    if (((desc >>> 59) & 1) != 0) pxn_table = true;
    // NSTable makes later levels Non-secure in Secure state and Realm EL2 (EL3 walks stay in the Root PAS,
    // R CFPDJ; RES0 for Non-secure and Realm EL1&0, D8.3)
    if (((desc >>> 63) & 1) != 0 && el != 3 && !(el == 1 && cur_sec == SEC_REALM)) pas = SEC_NONSECURE;
    table = desc & 0x0000_ffff_ffff_f000 & ~((<u64>1 << tg) - 1);
    level++;
  }
  const oa = desc & 0x0000_ffff_ffff_f000 & ~((<u64>1 << shift) - 1);
  if (oa >>> oabits != 0) { walk_fault = FSC_ADDRESS_SIZE + <u32>level; return false; }
  if (((desc >>> 10) & 1) == 0) { walk_fault = FSC_ACCESS_FLAG + <u32>level; return false; }
  if (el == 3) {
    // EL3: descriptor {NSE (bit 11), NS (bit 5)} select Secure, Non-secure, Root or Realm (D8.4.6 Table D8-88)
    const nse = <u32>(desc >>> 11) & 1, ns = <u32>(desc >>> 5) & 1;
    pas = nse == 0 ? (ns == 0 ? SEC_SECURE : SEC_NONSECURE) : (ns == 0 ? SEC_ROOT : SEC_REALM);
  } else if (((desc >>> 5) & 1) != 0 && !(el == 1 && cur_sec == SEC_REALM)) {
    // NS (bit 5) selects the Non-secure PAS from Secure state and Realm EL2; RES0 for Realm EL1&0 (D8.3)
    pas = SEC_NONSECURE;
  }
  walk_pa = oa | (va & ((<u64>1 << shift) - 1) & ~<u64>0xfff);
  walk_pas = pas;
  walk_shift = shift;
  walk_attr = <u32>(mair >>> (((desc >>> 2) & 7) << 3)) & 0xff;
  walk_ng = el == 1 && ((desc >>> 11) & 1) != 0;
  // Permissions (D8.4.3)
  const ap = <u32>(desc >>> 6) & 3;
  const uxn = ((desc >>> 54) & 1) != 0 || xn_table;
  const pxn = ((desc >>> 53) & 1) != 0 || pxn_table;
  const wxn = ((sctlr >>> 19) & 1) != 0;
  let perms: u32 = 0;
  if (el == 1) {
    const el0_access = (ap & 1) != 0 && (ap_table & 1) == 0;
    const read_only = (ap & 2) != 0 || (ap_table & 2) != 0;
    const el0_writable = el0_access && !read_only;
    if (regime == REGIME_EL10_UNPRIV) {
      if (el0_access) perms = PERM_R | (read_only ? 0 : PERM_W);
      if (!uxn && !(wxn && (perms & PERM_W) != 0)) perms |= PERM_X;
    } else {
      perms = PERM_R | (read_only ? 0 : PERM_W);
      if (pan_applies && el0_access) {
        if ((load<u64>(PSTATE_ADDR) & PSR_PAN) != 0) perms = 0;
        else el10_pan_open = true;
      }
      if (!pxn && !el0_writable && !(wxn && !read_only)) perms |= PERM_X;
    }
  } else {
    const read_only = (ap & 2) != 0 || (ap_table & 2) != 0;
    perms = PERM_R | (read_only ? 0 : PERM_W);
    // EL2/EL3 regimes: descriptor bit 54 is XN, APTable[0] and PXN are ignored
    if (!uxn && !(wxn && !read_only)) perms |= PERM_X;
  }
  // Root never executes from outside the Root PAS (J1.1.4.28)
  if (cur_sec == SEC_ROOT && pas != SEC_ROOT) perms &= ~PERM_X;
  walk_perms = perms;
  const need = kind == KIND_WRITE ? PERM_W : kind == KIND_FETCH ? PERM_X : PERM_R;
  if ((perms & need) == 0) { walk_fault = FSC_PERMISSION + <u32>level; return false; }
  return s2 ? apply_stage2(kind) : true;
}

/**
 * Stage 2 of the page stage 1 produced (walk_pa, an IPA): the output becomes the PA, permissions are those
 * of both stages and memory attributes the stronger of the two (D8.6.5; Normal Non-cacheable if either is).
 */
function apply_stage2(kind: u32): bool {
  if (!s2_translate(walk_pa, kind, false)) return false;
  walk_ipa = walk_pa;
  walk_pa = s2_pa;
  walk_pas = s2_pas;
  walk_s2_shift = s2_shift;
  walk_perms &= s2_perms;
  if (s2_device != 0) {
    const code = <u32>(s2_device - 1) << 2; // Device-nGnRnE 0x00, nGnRE 0x04, nGRE 0x08, GRE 0x0c
    walk_s2_device = (walk_attr & 0xf0) != 0; // AArch64.S2HasAlignmentFaultDueToMemType
    walk_attr = (walk_attr & 0xf0) == 0 && walk_attr < code ? walk_attr : code;
  } else if (s2_nc && (walk_attr & 0xf0) != 0) {
    walk_attr = 0x44;
  }
  return true;
}
