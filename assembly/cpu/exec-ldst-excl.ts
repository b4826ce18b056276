// Exclusives and load-acquire/store-release (Arm ARM C6.2: LDXR/LDAXR/STXR/STLXR and their B/H forms,
// LDXP/LDAXP/STXP/STLXP, LDAR/STLR and their B/H forms). One PE, executing in order: acquire and release
// need nothing beyond the access itself.
//
// The local exclusive monitor (B2.12.1) is the reservation at EXCLUSIVE_ADDR/EXCLUSIVE_SIZE, by virtual
// address and size in bytes; EXCLUSIVE_SIZE = 0 is the Open Access state. A store exclusive succeeds only
// when the monitor holds exactly its address and size (other addresses and sizes: IMPLEMENTATION DEFINED
// or CONSTRAINED UNPREDICTABLE, B2.12.5; an 8-byte LDXP/STXR or LDXR/STXP mix passes as same-size pairs
// would, B2.12.5.1) and always leaves the monitor open. Ordinary stores do not clear it (IMPLEMENTATION
// DEFINED for the PE's own stores); exception entry and return, and CLREX, do.
//
// CONSTRAINED UNPREDICTABLE cases, resolved as qemu-aarch64 does: STXR/STXP with Ws == Rt, Rt2 or Rn
// uses the registers' values from before the status write (Constraint_UNKNOWN, the UNKNOWN value being
// the old one); LDXP with Rt == Rt2 leaves the second element in the register (Constraint_UNKNOWN).
import { x, set_x, set_w } from "./regs";
import { aborted } from "./exceptions";
import { alignment_fault, ACC_ALIGNED } from "../mmu/mem";
import { EXCLUSIVE_ADDR, EXCLUSIVE_SIZE } from "../state/layout";
import { base, load_aligned, store_aligned, syndrome, no_syndrome } from "./ldst-common";

/** AArch64.SetExclusiveMonitors for the local monitor. */
// @ts-ignore: decorator
@inline function set_monitor(va: u64, size: u32): void {
  store<u64>(EXCLUSIVE_ADDR, va);
  store<u32>(EXCLUSIVE_SIZE, size);
}

/** AArch64.ExclusiveMonitorsPass for the local monitor: whether it holds [va, va+size), then open it. */
// @ts-ignore: decorator
@inline function monitor_pass(va: u64, size: u32): bool {
  const pass = load<u32>(EXCLUSIVE_SIZE) == size && load<u64>(EXCLUSIVE_ADDR) == va;
  store<u32>(EXCLUSIVE_SIZE, 0);
  return pass;
}

/** LDXR/LDAXR of 1 << scale bytes: aligned, zero-extended. */
function ldxr(rn: u32, rt: u32, scale: u32): void {
  const va = base(rn);
  if (aborted) return;
  no_syndrome();
  const v = load_aligned(va, scale);
  if (aborted) return;
  set_monitor(va, 1 << scale);
  set_x(rt, v);
}

/**
 * STXR/STLXR of 1 << scale bytes. Alignment is checked whether or not the monitor passes (the Operation's
 * AArch64.ExclusiveMonitorsPass checks it first); the other faults only arise when the store is made, the
 * IMPLEMENTATION DEFINED choice the Arm ARM's own model makes (C6.2.449 Aborts and alignment).
 */
function stxr(rs: u32, rn: u32, rt: u32, scale: u32): void {
  const va = base(rn);
  if (aborted) return;
  const v = x(rt);
  const size: u32 = 1 << scale;
  no_syndrome();
  if ((va & <u64>(size - 1)) != 0) { alignment_fault(va, true, ACC_ALIGNED); return; }
  let status: u32 = 1;
  if (monitor_pass(va, size)) {
    store_aligned(va, scale, v);
    if (aborted) return;
    status = 0;
  }
  set_w(rs, status);
}

/** LDXP/LDAXP: the pair is one access of 8 or 16 bytes, aligned to its whole size (C6.2.264). */
function ldxp(sz: u32, rt2: u32, rn: u32, rt: u32): void {
  const va = base(rn);
  if (aborted) return;
  no_syndrome();
  if (sz == 0) {
    const v = load_aligned(va, 3);
    if (aborted) return;
    set_monitor(va, 8);
    set_x(rt, v & 0xffffffff);
    set_x(rt2, v >>> 32);
    return;
  }
  if ((va & 15) != 0) { alignment_fault(va, false, ACC_ALIGNED); return; }
  const v1 = load_aligned(va, 3);
  if (aborted) return;
  const v2 = load_aligned(va + 8, 3);
  if (aborted) return;
  set_monitor(va, 16);
  set_x(rt, v1);
  set_x(rt2, v2); // after Rt: with Rt == Rt2 the second element stays
}

/** STXP/STLXP: 8 or 16 bytes, aligned to the whole size; a 16-byte pair lies in one page. */
function stxp(sz: u32, rs: u32, rt2: u32, rn: u32, rt: u32): void {
  const va = base(rn);
  if (aborted) return;
  const v1 = x(rt);
  const v2 = x(rt2);
  const size: u32 = 8 << sz;
  no_syndrome();
  if ((va & <u64>(size - 1)) != 0) { alignment_fault(va, true, ACC_ALIGNED); return; }
  let status: u32 = 1;
  if (monitor_pass(va, size)) {
    if (sz == 0) {
      store_aligned(va, 3, (v1 & 0xffffffff) | (v2 << 32));
    } else {
      store_aligned(va, 3, v1);
      if (aborted) return;
      store_aligned(va + 8, 3, v2);
    }
    if (aborted) return;
    status = 0;
  }
  set_w(rs, status);
}

/** LDAR of 1 << scale bytes: aligned (C6.2.191). */
function ldar(rn: u32, rt: u32, scale: u32): void {
  const va = base(rn);
  if (aborted) return;
  syndrome(scale, false, rt, scale == 3, true);
  const v = load_aligned(va, scale);
  if (aborted) return;
  set_x(rt, v);
}

/** STLR of 1 << scale bytes: aligned (C6.2.401). */
function stlr(rn: u32, rt: u32, scale: u32): void {
  const va = base(rn);
  if (aborted) return;
  syndrome(scale, false, rt, scale == 3, true);
  store_aligned(va, scale, x(rt));
}

// C6.2.450 STXRB, C6.2.410 STLXRB, C6.2.266 LDXRB, C6.2.197 LDAXRB
export function exec_STXRB(rs: u32, rn: u32, rt: u32): void { stxr(rs, rn, rt, 0); }
export function exec_STLXRB(rs: u32, rn: u32, rt: u32): void { stxr(rs, rn, rt, 0); }
export function exec_LDXRB(rn: u32, rt: u32): void { ldxr(rn, rt, 0); }
export function exec_LDAXRB(rn: u32, rt: u32): void { ldxr(rn, rt, 0); }
// C6.2.451 STXRH, C6.2.411 STLXRH, C6.2.267 LDXRH, C6.2.198 LDAXRH
export function exec_STXRH(rs: u32, rn: u32, rt: u32): void { stxr(rs, rn, rt, 1); }
export function exec_STLXRH(rs: u32, rn: u32, rt: u32): void { stxr(rs, rn, rt, 1); }
export function exec_LDXRH(rn: u32, rt: u32): void { ldxr(rn, rt, 1); }
export function exec_LDAXRH(rn: u32, rt: u32): void { ldxr(rn, rt, 1); }
// C6.2.449 STXR, C6.2.409 STLXR, C6.2.265 LDXR, C6.2.196 LDAXR
export function exec_STXR(sz: u32, rs: u32, rn: u32, rt: u32): void { stxr(rs, rn, rt, 2 + sz); }
export function exec_STLXR(sz: u32, rs: u32, rn: u32, rt: u32): void { stxr(rs, rn, rt, 2 + sz); }
export function exec_LDXR(sz: u32, rn: u32, rt: u32): void { ldxr(rn, rt, 2 + sz); }
export function exec_LDAXR(sz: u32, rn: u32, rt: u32): void { ldxr(rn, rt, 2 + sz); }
// C6.2.448 STXP, C6.2.408 STLXP, C6.2.264 LDXP, C6.2.195 LDAXP
export function exec_STXP(sz: u32, rs: u32, rt2: u32, rn: u32, rt: u32): void { stxp(sz, rs, rt2, rn, rt); }
export function exec_STLXP(sz: u32, rs: u32, rt2: u32, rn: u32, rt: u32): void { stxp(sz, rs, rt2, rn, rt); }
export function exec_LDXP(sz: u32, rt2: u32, rn: u32, rt: u32): void { ldxp(sz, rt2, rn, rt); }
export function exec_LDAXP(sz: u32, rt2: u32, rn: u32, rt: u32): void { ldxp(sz, rt2, rn, rt); }
// C6.2.402 STLRB, C6.2.192 LDARB, C6.2.403 STLRH, C6.2.193 LDARH, C6.2.401 STLR, C6.2.191 LDAR
export function exec_STLRB(rn: u32, rt: u32): void { stlr(rn, rt, 0); }
export function exec_LDARB(rn: u32, rt: u32): void { ldar(rn, rt, 0); }
export function exec_STLRH(rn: u32, rt: u32): void { stlr(rn, rt, 1); }
export function exec_LDARH(rn: u32, rt: u32): void { ldar(rn, rt, 1); }
export function exec_STLR(sz: u32, rn: u32, rt: u32): void { stlr(rn, rt, 2 + sz); }
export function exec_LDAR(sz: u32, rn: u32, rt: u32): void { ldar(rn, rt, 2 + sz); }
