// Load/store pair (Arm ARM C6.2: LDP C6.2.213, LDPSW C6.2.214, LDNP C6.2.212, STP C6.2.413, STNP C6.2.412)
// in the signed-offset, pre-index, post-index and no-allocate classes. sz: 0 = W pair, 1 = X pair.
//
// CONSTRAINED UNPREDICTABLE cases, resolved as qemu-aarch64 does: a load with Rt == Rt2 leaves the first
// value in the register (Constraint_UNKNOWN); writeback with Rn == Rt or Rt2 leaves the written-back
// address in Rn after a load (Constraint_UNKNOWN) and stores the registers' values from before the
// writeback (Constraint_NONE).
import { x, set_x, set_x_sp } from "./regs";
import { aborted } from "./exceptions";
import { probe_write } from "../mmu/mem";
import { base, sext, extend, load, store, no_syndrome } from "./ldst-common";

const OFFSET: u32 = 0;
const PRE: u32 = 1;
const POST: u32 = 2;

/** LDP/LDPSW/LDNP: both elements are read before either register is written. */
// @ts-ignore: decorator
@inline function ldp(mode: u32, imm7: u32, rt2: u32, rn: u32, rt: u32, scale: u32, signed: bool): void {
  const b = base(rn);
  if (aborted) return;
  const off = sext(imm7, 7) << scale;
  const va = mode == POST ? b : b + off;
  no_syndrome();
  const v1 = load(va, scale);
  if (aborted) return;
  const v2 = load(va + (1 << scale), scale);
  if (aborted) return;
  const sf = scale == 3 || signed;
  set_x(rt2, extend(v2, scale, signed, sf));
  set_x(rt, extend(v1, scale, signed, sf)); // after Rt2: with Rt == Rt2 the first element stays
  if (mode != OFFSET) set_x_sp(rn, b + off); // after both: with Rn == Rt or Rt2 the address stays
}

/** STP/STNP: a pair that crosses into another page checks both halves first, so a fault writes nothing. */
// @ts-ignore: decorator
@inline function stp(mode: u32, imm7: u32, rt2: u32, rn: u32, rt: u32, scale: u32): void {
  const b = base(rn);
  if (aborted) return;
  const off = sext(imm7, 7) << scale;
  const va = mode == POST ? b : b + off;
  const size: u32 = 1 << scale;
  const v1 = x(rt);
  const v2 = x(rt2);
  no_syndrome();
  if ((va & 0xfff) + (size << 1) > 0x1000) {
    probe_write(va, size, 0);
    if (aborted) return;
    probe_write(va + size, size, 0);
    if (aborted) return;
  }
  // Within one page the second half cannot fault once the first has been written: same translation,
  // same memory type, same alignment
  store(va, scale, v1);
  if (aborted) return;
  store(va + size, scale, v2);
  if (aborted) return;
  if (mode != OFFSET) set_x_sp(rn, b + off);
}

// @ts-ignore: decorator
@inline export function exec_STP_post(sz: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void {
  if (sz != 0) stp(POST, imm7, rt2, rn, rt, 3); else stp(POST, imm7, rt2, rn, rt, 2);
}
// @ts-ignore: decorator
@inline export function exec_STP_pre(sz: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void {
  if (sz != 0) stp(PRE, imm7, rt2, rn, rt, 3); else stp(PRE, imm7, rt2, rn, rt, 2);
}
// @ts-ignore: decorator
@inline export function exec_STP_off(sz: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void {
  if (sz != 0) stp(OFFSET, imm7, rt2, rn, rt, 3); else stp(OFFSET, imm7, rt2, rn, rt, 2);
}
// @ts-ignore: decorator
@inline export function exec_LDP_post(sz: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void {
  if (sz != 0) ldp(POST, imm7, rt2, rn, rt, 3, false); else ldp(POST, imm7, rt2, rn, rt, 2, false);
}
// @ts-ignore: decorator
@inline export function exec_LDP_pre(sz: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void {
  if (sz != 0) ldp(PRE, imm7, rt2, rn, rt, 3, false); else ldp(PRE, imm7, rt2, rn, rt, 2, false);
}
// @ts-ignore: decorator
@inline export function exec_LDP_off(sz: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void {
  if (sz != 0) ldp(OFFSET, imm7, rt2, rn, rt, 3, false); else ldp(OFFSET, imm7, rt2, rn, rt, 2, false);
}
// @ts-ignore: decorator
@inline export function exec_LDPSW_post(imm7: u32, rt2: u32, rn: u32, rt: u32): void { ldp(POST, imm7, rt2, rn, rt, 2, true); }
// @ts-ignore: decorator
@inline export function exec_LDPSW_pre(imm7: u32, rt2: u32, rn: u32, rt: u32): void { ldp(PRE, imm7, rt2, rn, rt, 2, true); }
// @ts-ignore: decorator
@inline export function exec_LDPSW_off(imm7: u32, rt2: u32, rn: u32, rt: u32): void { ldp(OFFSET, imm7, rt2, rn, rt, 2, true); }
// The non-temporal hint has no effect here: LDNP/STNP are the signed-offset LDP/STP
// @ts-ignore: decorator
@inline export function exec_STNP(sz: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void {
  if (sz != 0) stp(OFFSET, imm7, rt2, rn, rt, 3); else stp(OFFSET, imm7, rt2, rn, rt, 2);
}
// @ts-ignore: decorator
@inline export function exec_LDNP(sz: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void {
  if (sz != 0) ldp(OFFSET, imm7, rt2, rn, rt, 3, false); else ldp(OFFSET, imm7, rt2, rn, rt, 2, false);
}
