// Stage-1 translation for the EL1&0, EL2 and EL3 regimes (Arm ARM D8.2-D8.4, VMSAv8-64): 4K, 16K and 64K
// granules, TTBR0/TTBR1 with T0SZ/T1SZ, TBI, blocks and pages, AP/UXN/PXN/WXN/PAN, the access flag.
// walk() computes an outcome without side effects (AT uses it too); the caller fills the TLB or faults.
import { sr } from "../cpu/regs";
import { cur_sec, PSR_PAN, SEC_SECURE, SEC_NONSECURE, SEC_ROOT, SEC_REALM, hcr_el2 } from "../cpu/pstate";
import { PSTATE_ADDR } from "../state/layout";
import {
  SR_SCTLR_EL1, SR_SCTLR_EL2, SR_SCTLR_EL3, SR_TCR_EL1, SR_TCR_EL2, SR_TCR_EL3, SR_TTBR0_EL1, SR_TTBR1_EL1,
  SR_TTBR0_EL2, SR_TTBR0_EL3, SR_MAIR_EL1, SR_MAIR_EL2, SR_MAIR_EL3,
} from "../cpu/sysregs.gen";
import { phys_region, region_kind, ram_host, REGION_KIND_RAM } from "./phys";
import { gpc_check, gpc_level, GPC_PASS } from "./gpc";
import { KIND_WRITE, KIND_FETCH, REGIME_EL10_UNPRIV, REGIME_EL10, REGIME_EL2, el10_pan_open } from "./tlb";

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
/**
 * Reads a descriptor from `pas`: the fetch is subject to the Granule Protection Check (D9.1); a table in
 * no RAM region is an external abort on the walk (desc_bad).
 */
function read_desc(pa: u64, pas: u32): u64 {
  const v = gpc_check(pa, pas, cur_sec);
  if (v != GPC_PASS) {
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

/**
 * Translates `va` for an access of `kind` in `regime`. Returns true with walk_* describing the page, or
 * false with walk_fault set. `pan_applies` is false for accesses PAN does not restrict (fetches, LDTR/STTR).
 */
export function walk(va: u64, kind: u32, regime: u32, pan_applies: bool): bool {
  walk_fault = 0;
  walk_s1ptw = false;
  walk_ng = false;
  walk_asid = 0;
  const el = regime_el(regime);
  const sctlr = sctlr_of(el);
  // Stage 1 is off when SCTLR.M is 0, and for EL1&0 when HCR_EL2.TGE or HCR_EL2.DC is set (D8.2.11)
  const hcr = regime <= REGIME_EL10 ? hcr_el2() : 0;
  if ((sctlr & 1) == 0 || (hcr & ((1 << 27) | (1 << 12))) != 0) {
    if (va >>> 48 != 0) { walk_fault = FSC_ADDRESS_SIZE; return false; }
    walk_pa = va & ~<u64>0xfff;
    walk_pas = default_pas();
    walk_shift = 12;
    // D8.2.11: data accesses are Device-nGnRnE, fetches Normal (cacheable per SCTLR.I)
    walk_attr = kind == KIND_FETCH ? 0xff : (hcr & (1 << 12)) != 0 ? 0xff : 0x00;
    walk_perms = PERM_R | PERM_W | PERM_X;
    return true;
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
    desc = read_desc(addr, pas);
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
    // NSTable makes later levels Non-secure in Secure state (EL3 walks stay in the Root PAS, R CFPDJ)
    if (((desc >>> 63) & 1) != 0 && el != 3) pas = SEC_NONSECURE;
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
  } else if (((desc >>> 5) & 1) != 0) {
    // NS (bit 5) selects the Non-secure PAS from Secure and Realm states (D8.4.6)
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
  return true;
}
