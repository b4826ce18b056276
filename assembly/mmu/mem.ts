// Virtual memory accesses of the running PE: the TLB fast path inline, everything else (misses, unaligned
// or page-crossing accesses, devices, faults) in the slow path. A faulting access takes its exception and
// sets `aborted`; the handler that made it returns without writing any result.
import { sr, set_sr, set_x, set_x_sp } from "../cpu/regs";
import { extend } from "../cpu/ldst-common";
import { gpc_check, gpc_check_cached, gpc_level, GPC_PASS, GPC_GPF, GPC_ADDRESS_SIZE, GPC_WALK_FAULT } from "./gpc";
import { cur_el, cur_sec, hcr_el2 } from "../cpu/pstate";
import {
  aborted, sync_exception, sync_target_el, EC_DABT_SAME, EC_DABT_LOWER, EC_IABT_SAME, EC_IABT_LOWER, EC_PC_ALIGN, EC_GPC,
} from "../cpu/exceptions";
import { SR_SCTLR_EL1, SR_SCTLR_EL2, SR_SCTLR_EL3, SR_SCR_EL3, SR_MFAR_EL3, SR_HPFAR_EL2 } from "../cpu/sysregs.gen";
import { TLB_MISSES, GPC_EVERY_ACCESS } from "../state/layout";
import {
  tlb_read, tlb_write, tlb_fetch, cur_regime, slot, table, fill, fetch_va, fetch_host,
  KIND_READ, KIND_WRITE, KIND_FETCH, REGIME_EL10_UNPRIV, REGIME_EL10, REGIME_EL2, TAG_INVALID,
  META_NG, META_DEVICE, META_DEVICE_S2, META_IO, META_BLOCK_SHIFT, META_PAS_SHIFT, META_VMID_SHIFT, TAG_IO,
} from "./tlb";
import {
  walk, walk_fault, walk_pa, walk_pas, walk_shift, walk_attr, walk_ng, walk_asid, walk_s1ptw, FSC_ALIGNMENT, FSC_EXTERNAL,
  WALK_GPC_FAULT, walk_gpc, walk_gpc_level, walk_gpc_pa, walk_gpc_pas, walk_level, walk_stage2, walk_ipa, current_vmid,
  walk_s2_device,
} from "./translate";
import { el2_enabled } from "../cpu/pstate";
import { phys_region, region_kind, ram_host, device_read, device_write, REGION_KIND_RAM } from "./phys";
import { trace_access, traced_read, traced_write } from "../debug/trace";

// Access properties
export const ACC_UNPRIV: u32 = 1; // LDTR/STTR: EL0 permissions when executed at EL1
export const ACC_ALIGNED: u32 = 2; // exclusives, atomics, acquire/release: must be naturally aligned

/** The ISS syndrome bits (ISV, SAS, SSE, SRT, SF, AR) a load/store handler sets before its access. */
export let ls_syndrome: u32 = 0;

// ---- fast paths (inlined into every handler) ----

// @ts-ignore: decorator
@inline export function read8(va: u64): u8 {
  if (isDefined(TRACE)) return <u8>traced_read(va, 1);
  const e = slot(tlb_read, va);
  if (load<u64>(e) == (va & ~<u64>0xfff)) return load<u8>(<usize>(va + load<u64>(e, 8)));
  return <u8>read_slow(va, 1, 0);
}
// @ts-ignore: decorator
@inline export function read16(va: u64): u16 {
  if (isDefined(TRACE)) return <u16>traced_read(va, 2);
  const e = slot(tlb_read, va);
  if (load<u64>(e) == (va & ~<u64>0xffe)) return load<u16>(<usize>(va + load<u64>(e, 8)));
  return <u16>read_slow(va, 2, 0);
}
// @ts-ignore: decorator
@inline export function read32(va: u64): u32 {
  if (isDefined(TRACE)) return <u32>traced_read(va, 4);
  const e = slot(tlb_read, va);
  if (load<u64>(e) == (va & ~<u64>0xffc)) return load<u32>(<usize>(va + load<u64>(e, 8)));
  return <u32>read_slow(va, 4, 0);
}
// @ts-ignore: decorator
@inline export function read64(va: u64): u64 {
  if (isDefined(TRACE)) return <u64>traced_read(va, 8);
  const e = slot(tlb_read, va);
  if (load<u64>(e) == (va & ~<u64>0xff8)) return load<u64>(<usize>(va + load<u64>(e, 8)));
  return read_slow(va, 8, 0);
}
// @ts-ignore: decorator
@inline export function write8(va: u64, v: u8): void {
  if (isDefined(TRACE)) { traced_write(va, 1, v); return; }
  const e = slot(tlb_write, va);
  if (load<u64>(e) == (va & ~<u64>0xfff)) store<u8>(<usize>(va + load<u64>(e, 8)), v);
  else write_slow(va, 1, v, 0);
}
// @ts-ignore: decorator
@inline export function write16(va: u64, v: u16): void {
  if (isDefined(TRACE)) { traced_write(va, 2, v); return; }
  const e = slot(tlb_write, va);
  if (load<u64>(e) == (va & ~<u64>0xffe)) store<u16>(<usize>(va + load<u64>(e, 8)), v);
  else write_slow(va, 2, v, 0);
}
// @ts-ignore: decorator
@inline export function write32(va: u64, v: u32): void {
  if (isDefined(TRACE)) { traced_write(va, 4, v); return; }
  const e = slot(tlb_write, va);
  if (load<u64>(e) == (va & ~<u64>0xffc)) store<u32>(<usize>(va + load<u64>(e, 8)), v);
  else write_slow(va, 4, v, 0);
}
// @ts-ignore: decorator
@inline export function write64(va: u64, v: u64): void {
  if (isDefined(TRACE)) { traced_write(va, 8, v); return; }
  const e = slot(tlb_write, va);
  if (load<u64>(e) == (va & ~<u64>0xff8)) store<u64>(<usize>(va + load<u64>(e, 8)), v);
  else write_slow(va, 8, v, 0);
}

// ---- whole accesses of one register, for the handlers without an ordering constraint ----
// On a TLB hit nothing can fault, so the `aborted` test and the syndrome are only on the slow path: the
// common case is the tag compare, the access and the register write.

/**
 * Loads 1 << scale bytes at `va` into Rt (extended as extend() does), then, when `wb_rn` < 32, writes `wb`
 * to Xn|SP (after Rt: with Rn == Rt the base register ends with the address). `syn` is the syndrome a
 * fault reports (0: none). A fault writes no register.
 */
// @ts-ignore: decorator
@inline export function load_reg(va: u64, scale: u32, rt: u32, signed: bool, sf: bool, syn: u32, wb_rn: u32, wb: u64): void {
  const e = slot(tlb_read, va);
  let v: u64;
  // Misaligned addresses keep a low bit set and never match a tag (as in mem.ts's fast paths)
  if (isDefined(TRACE)) {
    ls_syndrome = syn;
    v = traced_read(va, 1 << scale);
    if (aborted) return;
  } else if (load<u64>(e) == (va & ~(<u64>0x1000 - (<u64>1 << scale)))) {
    v = load_host(<usize>(va + load<u64>(e, 8)), 1 << scale);
  } else {
    ls_syndrome = syn;
    v = read_slow(va, 1 << scale, 0);
    if (aborted) return;
  }
  set_x(rt, extend(v, scale, signed, sf));
  if (wb_rn < 32) set_x_sp(wb_rn, wb);
}

/** Stores the low 1 << scale bytes of `v` at `va`, then the writeback as load_reg makes it. */
// @ts-ignore: decorator
@inline export function store_reg(va: u64, scale: u32, v: u64, syn: u32, wb_rn: u32, wb: u64): void {
  const e = slot(tlb_write, va);
  if (isDefined(TRACE)) {
    ls_syndrome = syn;
    traced_write(va, 1 << scale, v);
    if (aborted) return;
  } else if (load<u64>(e) == (va & ~(<u64>0x1000 - (<u64>1 << scale)))) {
    store_host(<usize>(va + load<u64>(e, 8)), 1 << scale, v);
  } else {
    ls_syndrome = syn;
    write_slow(va, 1 << scale, v, 0);
    if (aborted) return;
  }
  if (wb_rn < 32) set_x_sp(wb_rn, wb);
}

/** Reads `size` bytes (1, 2, 4, 8) with access properties `flags` (always through the slow path). */
export function read_sized(va: u64, size: u32, flags: u32): u64 {
  if (isDefined(TRACE)) { const v = read_slow(va, size, flags); trace_access(va, size, v, false, (flags & ACC_UNPRIV) != 0); return v; }
  return read_slow(va, size, flags);
}
export function write_sized(va: u64, size: u32, v: u64, flags: u32): void {
  write_slow(va, size, v, flags);
  if (isDefined(TRACE)) trace_access(va, size, v, true, (flags & ACC_UNPRIV) != 0);
}

/** The next instruction word. A fault takes its exception and sets `aborted`. */
// @ts-ignore: decorator
@inline export function fetch(pc: u64): u32 {
  if ((pc & ~<u64>0xffc) == fetch_va) return load<u32>(fetch_host + <usize>(pc & 0xfff));
  return fetch_slow(pc);
}

// ---- slow paths ----

function sctlr_current(): u64 {
  return sr(cur_el <= 1 ? SR_SCTLR_EL1 : cur_el == 2 ? SR_SCTLR_EL2 : SR_SCTLR_EL3);
}

function regime_for(flags: u32): u32 {
  return (flags & ACC_UNPRIV) != 0 && cur_el == 1 ? REGIME_EL10_UNPRIV : cur_regime;
}

/** The EL an abort in `regime` is taken to (D1.3.2 routing; stage-2 routing comes with stage 2). */
function abort_target(regime: u32): u32 {
  if (regime <= REGIME_EL10) return cur_el == 0 ? sync_target_el() : 1;
  return regime == REGIME_EL2 ? 2 : 3;
}

function data_abort(va: u64, fsc: u32, write: bool, s1ptw: bool, regime: u32): void {
  const target = abort_target(regime);
  const ec = target == cur_el ? EC_DABT_SAME : EC_DABT_LOWER;
  let iss = fsc | (write ? 1 << 6 : 0) | (s1ptw ? 1 << 7 : 0);
  sync_exception(target, ec, iss, va, true);
}

/** Finds or makes the TLB entry for the page of `va`; 0 after raising the fault. */
function entry_for(va: u64, kind: u32, regime: u32, pan: bool): usize {
  const page = va & ~<u64>0xfff;
  const e = slot(table(regime, kind), va);
  if ((load<u64>(e) & ~<u64>0xfff) == page && load<u64>(e) != TAG_INVALID) return e;
  store<u64>(TLB_MISSES, load<u64>(TLB_MISSES) + 1);
  if (!walk(va, kind, regime, pan)) {
    if (walk_stage2) {
      stage2_abort(va, kind);
      return 0;
    }
    if (walk_fault == WALK_GPC_FAULT) {
      gpc_fault(va, kind, walk_gpc, walk_gpc_level, walk_gpc_pa, walk_gpc_pas, regime, true);
      return 0;
    }
    if (kind == KIND_FETCH) {
      const target = abort_target(regime);
      sync_exception(target, target == cur_el ? EC_IABT_SAME : EC_IABT_LOWER, walk_fault | (walk_s1ptw ? 1 << 7 : 0), va, true);
    } else data_abort(va, walk_fault, kind == KIND_WRITE, walk_s1ptw, regime);
    return 0;
  }
  const pa = walk_pa; // the page of `va`, through both stages
  // The GPC verdict is computed here, on the fill, and an entry exists only if it passed: a TLB hit
  // costs nothing more (DESIGN.md section 4); TLBI RPAOS/RPALOS/PAALL remove entries when the GPT changes
  const verdict = gpc_check_cached(pa, walk_pas, cur_sec);
  if (verdict != GPC_PASS) {
    gpc_fault(va, kind, verdict, gpc_level, pa | (va & 0xfff), walk_pas, regime, false);
    return 0;
  }
  let meta = <u64>walk_asid | (walk_ng ? META_NG : 0) | (<u64>walk_shift << META_BLOCK_SHIFT) | (<u64>walk_pas << META_PAS_SHIFT);
  // EL1&0 entries carry the VMID whenever EL2 is enabled, stage 2 on or off (D8.17.6)
  if (regime <= REGIME_EL10 && el2_enabled()) meta |= <u64>current_vmid() << META_VMID_SHIFT;
  // MAIR attribute 0000xxxx is Device memory
  if ((walk_attr & 0xf0) == 0) meta |= META_DEVICE | (walk_s2_device ? META_DEVICE_S2 : 0);
  const r = phys_region(pa);
  let tag = page;
  let addend: u64 = 0;
  if (r >= 0 && region_kind(r) == REGION_KIND_RAM) {
    addend = <u64>ram_host(r, pa) - page;
  } else {
    meta |= META_IO;
    tag = page | TAG_IO;
  }
  // `bench gpc`'s check on every access: the fast path never hits, page_check runs the GPC each time
  if (load<u32>(GPC_EVERY_ACCESS) != 0) tag |= TAG_IO;
  return fill(regime, kind, va, tag, addend, pa, meta);
}

/**
 * A stage-2 fault (D1.4.2, D24.2.45): an Instruction or Data Abort from a lower EL taken to EL2, HPFAR_EL2
 * holding the IPA (FIPA, bits 43:4 = IPA[47:12]) and FAR_EL2 the VA. A data abort on the access itself (not
 * on a stage-1 walk) reports the load/store's instruction syndrome (ISV). A GPF on a stage-2 table fetch
 * is reported this way too, unless SCR_EL3.GPF makes it a GPC exception (D1.4.5.3).
 */
function stage2_abort(va: u64, kind: u32): void {
  set_sr(SR_HPFAR_EL2, (walk_ipa >>> 12) << 4);
  if (walk_fault == WALK_GPC_FAULT) {
    if (walk_gpc != GPC_GPF || (sr(SR_SCR_EL3) & (<u64>1 << 48)) != 0) {
      gpc_fault(va, kind, walk_gpc, walk_gpc_level, walk_gpc_pa, walk_gpc_pas, REGIME_EL10, true, true);
      return;
    }
  }
  const fsc = walk_fault == WALK_GPC_FAULT ? 0x24 + walk_level : walk_fault;
  const s1ptw = walk_s1ptw ? 1 << 7 : 0;
  if (kind == KIND_FETCH) { sync_exception(2, EC_IABT_LOWER, fsc | s1ptw, va, true); return; }
  const wnr = kind == KIND_WRITE && !walk_s1ptw ? 1 << 6 : 0;
  const isv = walk_s1ptw || walk_fault == WALK_GPC_FAULT ? 0 : ls_syndrome & 0x01ffc000;
  sync_exception(2, EC_DABT_LOWER, fsc | wnr | s1ptw | isv, va, true);
}

/**
 * Reports a Granule Protection Check failure (D1.4.5.3): a GPF is the access's own abort (fault status
 * 0x28, or 0x24 + level on a translation table walk) unless SCR_EL3.GPF routes it to EL3; GPT walk,
 * address size and external abort faults are always GPC exceptions to EL3 (EC 0x1E) with MFAR_EL3.
 */
function gpc_fault(va: u64, kind: u32, verdict: u32, level: u32, pa: u64, pas: u32, regime: u32, on_walk: bool, s2_walk: bool = false): void {
  const fetch = kind == KIND_FETCH;
  const write = kind == KIND_WRITE;
  if (verdict == GPC_GPF && (cur_el == 3 || (sr(SR_SCR_EL3) & (<u64>1 << 48)) == 0)) {
    const fsc = on_walk ? 0x24 + walk_level : 0x28;
    let target = abort_target(regime);
    // HCR_EL2.GPF reports GPFs at EL0/EL1 to EL2 (D1.4.5.3)
    if (target == 1 && (hcr_el2() & (<u64>1 << 50)) != 0) target = 2;
    if (fetch) sync_exception(target, target == cur_el ? EC_IABT_SAME : EC_IABT_LOWER, fsc | (on_walk ? 1 << 7 : 0), va, true);
    else sync_exception(target, target == cur_el ? EC_DABT_SAME : EC_DABT_LOWER, fsc | (write ? 1 << 6 : 0) | (on_walk ? 1 << 7 : 0), va, true);
    return;
  }
  // GPCSC (ESR_EL3.ISS[19:14]): kind in bits 5:2, level in bits 1:0
  const gpcsc: u32 = (verdict == GPC_ADDRESS_SIZE ? 0x00 : verdict == GPC_WALK_FAULT ? 0x04 : verdict == GPC_GPF ? 0x0c : 0x14) | level;
  // S2PTW (bit 21): on a stage-2 table fetch; S1PTW (bit 7): on stage 2 of a stage-1 walk; xFSC as a GPF's
  const s1ptw = s2_walk && walk_s1ptw;
  const xfsc: u32 = on_walk ? 0x24 + walk_level : 0x28;
  const iss = (s2_walk ? 1 << 21 : 0) | (fetch ? 1 << 20 : 0) | (gpcsc << 14) | (s1ptw ? 1 << 7 : 0) | (write && !s1ptw ? 1 << 6 : 0) | xfsc;
  // MFAR_EL3: the PA and its PA space as {NSE, NS} in bits 62 and 63
  set_sr(SR_MFAR_EL3, (pa & 0x0000_ffff_ffff_f000) | (<u64>(pas & 1) << 63) | (<u64>(pas >> 1) << 62));
  sync_exception(3, EC_GPC, iss, va, true);
}

function alignment_required(flags: u32): bool {
  return (flags & ACC_ALIGNED) != 0 || ((sctlr_current() >>> 1) & 1) != 0; // SCTLR_ELx.A
}

/**
 * The checks an access of `size` bytes at `va` makes before any byte moves: alignment, translation and
 * permission, Device-memory alignment and a backing region, on both pages when it crosses into a second
 * one (so a faulting access reads nothing from, and writes nothing to, either page). Returns the entry
 * of the first page, or 0 after raising the fault.
 */
function access_check(va: u64, size: u32, kind: u32, flags: u32): usize {
  const regime = regime_for(flags);
  const write = kind == KIND_WRITE;
  const misaligned = (va & <u64>(size - 1)) != 0;
  if (misaligned && alignment_required(flags)) { data_abort(va, FSC_ALIGNMENT, write, false, regime); return 0; }
  const e = page_check(va, kind, regime, flags, misaligned);
  if (e == 0) return 0;
  if ((va & 0xfff) + size > 0x1000 && page_check((va + size - 1) & ~<u64>0xfff, kind, regime, flags, true) == 0) return 0;
  return e;
}

/** One page's part of access_check: its entry, or 0 after raising the fault (FAR is `va`). */
function page_check(va: u64, kind: u32, regime: u32, flags: u32, misaligned: bool): usize {
  const write = kind == KIND_WRITE;
  const e = entry_for(va, kind, regime, (flags & ACC_UNPRIV) == 0);
  if (e == 0) return 0;
  const meta = load<u64>(e, 24);
  if (load<u32>(GPC_EVERY_ACCESS) != 0 && !every_access_check(va, kind, e, regime)) return 0;
  if (misaligned && (meta & META_DEVICE) != 0) {
    // Device memory by stage 2 alone: a stage-2 Alignment fault, to EL2 (J1.1.4 AArch64.S2Translate)
    if ((meta & META_DEVICE_S2) != 0) sync_exception(2, EC_DABT_LOWER, FSC_ALIGNMENT | (write ? 1 << 6 : 0) | (ls_syndrome & 0x01ffc000), va, true);
    else data_abort(va, FSC_ALIGNMENT, write, false, regime);
    return 0;
  }
  if ((meta & META_IO) != 0 && phys_region(load<u64>(e, 16) | (va & 0xfff)) < 0) {
    data_abort(va, FSC_EXTERNAL, write, false, regime);
    return 0;
  }
  return e;
}

function read_slow(va: u64, size: u32, flags: u32): u64 {
  const e = access_check(va, size, KIND_READ, flags);
  if (e == 0) return 0;
  if ((va & 0xfff) + size > 0x1000) {
    // Crosses a page: byte by byte, each translated on its own (both pages are known good)
    let v: u64 = 0;
    for (let i: u32 = 0; i < size; i++) {
      v |= read_slow(va + i, 1, flags) << (<u64>i << 3);
      if (aborted) return 0;
    }
    return v;
  }
  if ((load<u64>(e, 24) & META_IO) == 0) return load_host(<usize>(va + load<u64>(e, 8)), size);
  const pa = load<u64>(e, 16) | (va & 0xfff);
  return device_read(phys_region(pa), pa, size);
}

function write_slow(va: u64, size: u32, v: u64, flags: u32): void {
  const e = access_check(va, size, KIND_WRITE, flags);
  if (e == 0) return;
  if ((va & 0xfff) + size > 0x1000) {
    for (let i: u32 = 0; i < size; i++) {
      write_slow(va + i, 1, v >>> (<u64>i << 3), flags);
      if (aborted) return;
    }
    return;
  }
  if ((load<u64>(e, 24) & META_IO) == 0) { store_host(<usize>(va + load<u64>(e, 8)), size, v); return; }
  const pa = load<u64>(e, 16) | (va & 0xfff);
  device_write(phys_region(pa), pa, size, v);
}

/**
 * Raises the fault a write of `size` bytes at `va` would raise, without writing: for instructions that
 * must check a later access before making an earlier one (store pairs across pages, CAS whose compare
 * fails). Check `aborted` after.
 */
export function probe_write(va: u64, size: u32, flags: u32): void {
  access_check(va, size, KIND_WRITE, flags);
}

/**
 * DC ZVA's write of zeros to the `bytes`-byte aligned block holding `va` (D7.5.10): it checks and faults like
 * a store, reporting the register argument `va` in FAR (D24.2.48 FAR_EL1: "data cache maintenance or other
 * DC instruction"), and any type of Device memory is an Alignment fault. Check `aborted` after.
 */
export function zero_block(va: u64, bytes: u32): void {
  ls_syndrome = 0; // a stage-2 abort on DC ZVA has no instruction syndrome (ISV = 0)
  const regime = regime_for(0);
  const e = access_check(va, 1, KIND_WRITE, 0);
  if (e == 0) return;
  const meta = load<u64>(e, 24);
  if ((meta & META_DEVICE) != 0) { data_abort(va, FSC_ALIGNMENT, true, false, regime); return; }
  const mask = ~<u64>(bytes - 1);
  if (isDefined(TRACE)) trace_access(va & mask, bytes, 0, true, false);
  if ((meta & META_IO) == 0) { memory.fill(<usize>((va & mask) + load<u64>(e, 8)), 0, bytes); return; }
  const pa = (load<u64>(e, 16) | (va & 0xfff)) & mask;
  for (let off: u64 = 0; off < <u64>bytes; off += 8) device_write(phys_region(pa), pa + off, 8, 0);
}

/** An Alignment fault on `va` for an access whose required alignment the caller checks (exclusive pairs). */
export function alignment_fault(va: u64, write: bool, flags: u32): void {
  data_abort(va, FSC_ALIGNMENT, write, false, regime_for(flags));
}

/** The GPC on one access, ignoring the verdict folded into the entry (GPC_EVERY_ACCESS). */
function every_access_check(va: u64, kind: u32, e: usize, regime: u32): bool {
  const pas = <u32>(load<u64>(e, 24) >>> META_PAS_SHIFT) & 3;
  const pa = load<u64>(e, 16) | (va & 0xfff);
  const v = gpc_check(pa, pas, cur_sec);
  if (v == GPC_PASS) return true;
  gpc_fault(va, kind, v, gpc_level, pa, pas, regime, false);
  return false;
}

function fetch_slow(pc: u64): u32 {
  if ((pc & 3) != 0) {
    sync_exception(sync_target_el(), EC_PC_ALIGN, 0, pc, true);
    return 0;
  }
  const e = entry_for(pc, KIND_FETCH, cur_regime, false);
  if (e == 0) return 0;
  if ((load<u64>(e, 24) & META_IO) != 0) {
    // Executing from a device region: a synchronous external abort on the fetch
    const target = abort_target(cur_regime);
    sync_exception(target, target == cur_el ? EC_IABT_SAME : EC_IABT_LOWER, FSC_EXTERNAL, pc, true);
    return 0;
  }
  if (load<u32>(GPC_EVERY_ACCESS) != 0) {
    if (!every_access_check(pc, KIND_FETCH, e, cur_regime)) return 0;
    return load<u32>(<usize>(pc + load<u64>(e, 8))); // no fetch fast path: the next fetch checks again
  }
  fetch_va = pc & ~<u64>0xfff;
  fetch_host = <usize>(fetch_va + load<u64>(e, 8));
  return load<u32>(fetch_host + <usize>(pc & 0xfff));
}

// @ts-ignore: decorator
@inline function load_host(a: usize, size: u32): u64 {
  switch (size) {
    case 1: return <u64>load<u8>(a);
    case 2: return <u64>load<u16>(a);
    case 4: return <u64>load<u32>(a);
    default: return load<u64>(a);
  }
}
// @ts-ignore: decorator
@inline function store_host(a: usize, size: u32, v: u64): void {
  switch (size) {
    case 1: store<u8>(a, <u8>v); break;
    case 2: store<u16>(a, <u16>v); break;
    case 4: store<u32>(a, <u32>v); break;
    default: store<u64>(a, v);
  }
}
