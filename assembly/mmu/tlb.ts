// The software TLB: per translation regime (EL1&0 unprivileged, EL1&0 privileged, EL2, EL3) and per access
// kind (read, write, fetch), a direct-mapped table of 4 KiB pages. An entry is present in a kind's table
// only if that access is permitted, so a hit needs no further check. Entries carry what an invalidation
// by ASID, VMID, VA or PA needs, so every TLBI removes exactly its architectural scope (Arm ARM D8.13).
import {
  TLB_BASE, TLB_ENTRIES, TLB_ENTRIES_LOG2, TLB_ENTRY_SIZE, TLB_KINDS, TLB_REGIMES, TLB_FLUSHES, TLBI_PA_OPS, TLBI_PA_REMOVED,
} from "../state/layout";
import { cur_el, cur_sec } from "../cpu/pstate";
import { verdict_cache_clear, verdict_cache_invalidate } from "./gpc";

export const KIND_READ: u32 = 0;
export const KIND_WRITE: u32 = 1;
export const KIND_FETCH: u32 = 2;

export const REGIME_EL10_UNPRIV: u32 = 0; // EL1&0 regime, EL0 permissions (EL0, and LDTR/STTR at EL1)
export const REGIME_EL10: u32 = 1;
export const REGIME_EL2: u32 = 2;
export const REGIME_EL3: u32 = 3;

// Entry: +0 tag (VA of the page; TAG_INVALID when empty), +8 addend (linear address - VA),
//        +16 PA of the page, +24 meta
// Fast-path keys never have bits 11:3 set, so tags with one of them set never hit
export const TAG_INVALID: u64 = 0x800;
export const TAG_IO: u64 = 0x400; // a device page: every access takes the slow path
export const META_ASID_MASK: u64 = 0xffff;
export const META_VMID_SHIFT: u64 = 16;
export const META_NG: u64 = <u64>1 << 32;
export const META_DEVICE: u64 = <u64>1 << 33; // Device memory type: unaligned accesses fault
export const META_IO: u64 = <u64>1 << 34; // a device region: every access goes to the host
export const META_DEVICE_S2: u64 = <u64>1 << 35; // Device only by stage 2: alignment faults go to EL2
export const META_BLOCK_SHIFT: u64 = 40; // log2 of the size of the translation that made this entry
export const META_PAS_SHIFT: u64 = 48; // physical address space, 2 bits

/** Linear-memory tables for the current regime; the run loop and accessors index them directly. */
export let tlb_read: usize = TLB_BASE;
export let tlb_write: usize = TLB_BASE;
export let tlb_fetch: usize = TLB_BASE;
export let cur_regime: u32 = REGIME_EL10;

/**
 * Set when the privileged EL1&0 tables may hold an entry made with PSTATE.PAN = 0 for an EL0-accessible
 * page: such an entry permits what PAN = 1 forbids, so setting PAN must drop them (pan_changed in pstate.ts).
 */
export let el10_pan_open: bool = false;

/** The page the last instruction fetch came from, and its linear address: the fetch fast path. */
export let fetch_va: u64 = TAG_INVALID;
export let fetch_host: usize = 0;

// Per regime: the security state its entries were made in, and the VA span of entries larger than 4K
const regime_sec = new StaticArray<u32>(4);
const large_lo = new StaticArray<u64>(4);
const large_hi = new StaticArray<u64>(4);

// @ts-ignore: decorator
@inline export function table(regime: u32, kind: u32): usize {
  return TLB_BASE + <usize>((regime * TLB_KINDS + kind) << TLB_ENTRIES_LOG2) * TLB_ENTRY_SIZE;
}

// @ts-ignore: decorator
@inline export function slot(tbl: usize, va: u64): usize {
  return tbl + ((<usize>(va >>> 12) & (TLB_ENTRIES - 1)) << 5);
}

/** The regime an access at `el` uses (no VHE: EL2 and EL3 have their own single-privilege regimes). */
export function regime_of(el: u32): u32 {
  return el == 0 ? REGIME_EL10_UNPRIV : el == 1 ? REGIME_EL10 : el == 2 ? REGIME_EL2 : REGIME_EL3;
}

/** Points the current tables at the regime of the current EL. Entries made in another security state go. */
export function regime_changed(): void {
  cur_regime = regime_of(cur_el);
  if (cur_regime <= REGIME_EL2 && regime_sec[cur_regime] != cur_sec) {
    // The EL1&0 and EL2 regimes of different security states share our tables
    flush_regime(REGIME_EL10_UNPRIV);
    flush_regime(REGIME_EL10);
    flush_regime(REGIME_EL2);
    regime_sec[REGIME_EL10_UNPRIV] = cur_sec;
    regime_sec[REGIME_EL10] = cur_sec;
    regime_sec[REGIME_EL2] = cur_sec;
  }
  tlb_read = table(cur_regime, KIND_READ);
  tlb_write = table(cur_regime, KIND_WRITE);
  tlb_fetch = table(cur_regime, KIND_FETCH);
  fetch_va = TAG_INVALID;
}

export function flush_regime(regime: u32): void {
  for (let k: u32 = 0; k < TLB_KINDS; k++) {
    const t = table(regime, k);
    for (let i: u32 = 0; i < TLB_ENTRIES; i++) store<u64>(t + (<usize>i << 5), TAG_INVALID);
  }
  large_lo[regime] = u64.MAX_VALUE;
  large_hi[regime] = 0;
  if (regime == REGIME_EL10) el10_pan_open = false;
  fetch_va = TAG_INVALID;
  store<u64>(TLB_FLUSHES, load<u64>(TLB_FLUSHES) + 1);
}

export function flush_all(): void {
  for (let r: u32 = 0; r < TLB_REGIMES; r++) flush_regime(r);
  verdict_cache_clear(); // TLBI PAALL(OS) and the host's flushes (tlb_flush, state_changed): cached GPT information goes too
}

/** Records an entry; pages from translations larger than 4 KiB widen the regime's large-page span. */
export function fill(regime: u32, kind: u32, va: u64, tag: u64, addend: u64, pa: u64, meta: u64): usize {
  const e = slot(table(regime, kind), va);
  store<u64>(e, tag);
  store<u64>(e, addend, 8);
  store<u64>(e, pa, 16);
  store<u64>(e, meta, 24);
  const shift = (meta >>> META_BLOCK_SHIFT) & 63;
  if (shift > 12) {
    const base = va & ~((<u64>1 << shift) - 1);
    if (base < large_lo[regime]) large_lo[regime] = base;
    const top = base + ((<u64>1 << shift) - 1);
    if (top > large_hi[regime]) large_hi[regime] = top;
  }
  return e;
}

// TLBI by VA names VA[55:12]: the top byte may differ (TBI) and still be the same translation
const VA_BITS: u64 = 0x00ff_ffff_ffff_f000;

// Selection of entries for invalidation
export const MATCH_ASID: u32 = 1; // only non-global entries of `asid` (and global ones if MATCH_VA)
export const MATCH_VA: u32 = 2;
export const MATCH_ALL_ASID: u32 = 4; // any ASID (VAA forms)

/**
 * Removes the entries of `regime` selected by `how`: by VA (the page holding `va`, or every entry of a
 * block that contains it), by ASID (non-global entries), or both as TLBI VAE1 does (global entries for
 * the VA go regardless of ASID).
 */
export function invalidate(regime: u32, how: u32, va: u64, asid: u32): void {
  if ((how & MATCH_VA) != 0) {
    const page = va & ~<u64>0xfff;
    const scan = va >= large_lo[regime] && va <= large_hi[regime];
    for (let k: u32 = 0; k < TLB_KINDS; k++) {
      const t = table(regime, k);
      if (!scan) {
        const e = slot(t, page);
        if (((load<u64>(e) ^ page) & VA_BITS) == 0 && asid_selects(load<u64>(e, 24), how, asid)) store<u64>(e, TAG_INVALID);
        continue;
      }
      for (let i: u32 = 0; i < TLB_ENTRIES; i++) {
        const e = t + (<usize>i << 5);
        const tag = load<u64>(e);
        if (tag == TAG_INVALID) continue;
        const meta = load<u64>(e, 24);
        const shift = (meta >>> META_BLOCK_SHIFT) & 63;
        const mask = VA_BITS & ~((<u64>1 << shift) - 1);
        if (((tag ^ va) & mask) == 0 && asid_selects(meta, how, asid)) store<u64>(e, TAG_INVALID);
      }
    }
  } else {
    for (let k: u32 = 0; k < TLB_KINDS; k++) {
      const t = table(regime, k);
      for (let i: u32 = 0; i < TLB_ENTRIES; i++) {
        const e = t + (<usize>i << 5);
        if (load<u64>(e) != TAG_INVALID && asid_selects(load<u64>(e, 24), how, asid)) store<u64>(e, TAG_INVALID);
      }
    }
  }
  fetch_va = TAG_INVALID;
}

// @ts-ignore: decorator
@inline function asid_selects(meta: u64, how: u32, asid: u32): bool {
  if ((how & MATCH_ALL_ASID) != 0) return true;
  if ((how & MATCH_ASID) == 0) return true;
  if ((meta & META_NG) == 0) return (how & MATCH_VA) != 0; // global entries: only by-VA forms remove them
  return <u32>(meta & META_ASID_MASK) == asid;
}

/** Removes every entry whose output page lies in [pa_lo, pa_hi]: the precise PA-range invalidation. */
export function invalidate_pa(pa_lo: u64, pa_hi: u64): void {
  store<u64>(TLBI_PA_OPS, load<u64>(TLBI_PA_OPS) + 1);
  let removed: u64 = 0;
  for (let r: u32 = 0; r < TLB_REGIMES; r++) {
    for (let k: u32 = 0; k < TLB_KINDS; k++) {
      const t = table(r, k);
      for (let i: u32 = 0; i < TLB_ENTRIES; i++) {
        const e = t + (<usize>i << 5);
        if (load<u64>(e) == TAG_INVALID) continue;
        const pa = load<u64>(e, 16);
        if (pa + 0xfff >= pa_lo && pa <= pa_hi) {
          store<u64>(e, TAG_INVALID);
          removed++;
        }
      }
    }
  }
  store<u64>(TLBI_PA_REMOVED, load<u64>(TLBI_PA_REMOVED) + removed);
  verdict_cache_invalidate(pa_lo, pa_hi);
  fetch_va = TAG_INVALID;
}

export function tlb_init(): void {
  for (let r = 0; r < 4; r++) regime_sec[r] = 0xff;
  flush_all();
}

/** The valid entry of `regime` and `kind` for the page of `va`, or 0 (the host's view for tests). */
export function tlb_entry(regime: u32, kind: u32, va: u64): usize {
  if (regime >= TLB_REGIMES || kind >= TLB_KINDS) return 0;
  const e = slot(table(regime, kind), va);
  const tag = load<u64>(e);
  return tag != TAG_INVALID && ((tag ^ va) & VA_BITS) == 0 ? e : 0;
}
