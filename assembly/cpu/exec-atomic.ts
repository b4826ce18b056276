// FEAT_LSE atomics (Arm ARM C6.2: CAS* C6.2.51-53, CASP* C6.2.54, LD<op>* C6.2.179-257, SWP* C6.2.466-468;
// the ST<op> aliases are the same encodings with Rt = 31). One PE, executing in order: a read followed
// by a write is atomic, and acquire/release need nothing beyond the accesses.
//
// Each access must be naturally aligned (an Alignment fault otherwise), so it lies in one page. Atomicity
// with respect to faults: the read comes first (a fault there reports WnR = 0, D24.2.45), the write either
// happens whole or faults (WnR = 1) before anything changes, and registers are written last. A CAS whose
// compare fails still needs write permission (its access is a read-modify-write), so it probes the write.
import { x, set_x } from "./regs";
import { aborted } from "./exceptions";
import { probe_write, alignment_fault, ACC_ALIGNED } from "../mmu/mem";
import { base, sext, size_mask, load_aligned, store_aligned, no_syndrome } from "./ldst-common";

// MemAtomicOp, in the order of the o3:opc encoding
const OP_ADD: u32 = 0;
const OP_CLR: u32 = 1; // BIC
const OP_EOR: u32 = 2;
const OP_SET: u32 = 3; // ORR
const OP_SMAX: u32 = 4;
const OP_SMIN: u32 = 5;
const OP_UMAX: u32 = 6;
const OP_UMIN: u32 = 7;
const OP_SWP: u32 = 8;

/** LD<op>/SWP on 1 << scale bytes: Rt receives the old value, zero-extended. */
function atomic_op(op: u32, scale: u32, rs: u32, rn: u32, rt: u32): void {
  const va = base(rn);
  if (aborted) return;
  const mask = size_mask(scale);
  const s = x(rs) & mask;
  no_syndrome();
  const old = load_aligned(va, scale);
  if (aborted) return;
  const bits: u32 = 8 << scale;
  let r: u64;
  switch (op) {
    case OP_ADD: r = old + s; break;
    case OP_CLR: r = old & ~s; break;
    case OP_EOR: r = old ^ s; break;
    case OP_SET: r = old | s; break;
    case OP_SMAX: r = <i64>sext(old, bits) > <i64>sext(s, bits) ? old : s; break;
    case OP_SMIN: r = <i64>sext(old, bits) < <i64>sext(s, bits) ? old : s; break;
    case OP_UMAX: r = old > s ? old : s; break;
    case OP_UMIN: r = old < s ? old : s; break;
    default: r = s; // SWP
  }
  store_aligned(va, scale, r);
  if (aborted) return;
  set_x(rt, old);
}

/** CAS of 1 << scale bytes: stores Rt if memory equals Rs; Rs receives the old value, zero-extended. */
function cas(scale: u32, rs: u32, rn: u32, rt: u32): void {
  const va = base(rn);
  if (aborted) return;
  const mask = size_mask(scale);
  const compare = x(rs) & mask;
  const swap = x(rt) & mask;
  no_syndrome();
  const old = load_aligned(va, scale);
  if (aborted) return;
  if (old == compare) store_aligned(va, scale, swap);
  else probe_write(va, 1 << scale, ACC_ALIGNED);
  if (aborted) return;
  set_x(rs, old);
}

/**
 * CASP: compares {Rs+1:Rs} with the 2 x 32 or 2 x 64 bits at the address (Rs at the lower address) and
 * stores {Rt+1:Rt} if equal; the pair is aligned to its whole size (C6.2.54). s and t are even.
 */
function casp(sz: u32, s: u32, rn: u32, t: u32): void {
  const va = base(rn);
  if (aborted) return;
  // Register 31 is XZR: with s or t = 30 the second register reads as zero and discards its result
  const c1 = x(s), c2 = x(s + 1), n1 = x(t), n2 = x(t + 1);
  no_syndrome();
  if (sz == 0) {
    const old = load_aligned(va, 3);
    if (aborted) return;
    if (old == ((c1 & 0xffffffff) | (c2 << 32))) store_aligned(va, 3, (n1 & 0xffffffff) | (n2 << 32));
    else probe_write(va, 8, ACC_ALIGNED);
    if (aborted) return;
    set_x(s, old & 0xffffffff);
    set_x(s + 1, old >>> 32);
    return;
  }
  if ((va & 15) != 0) { alignment_fault(va, false, ACC_ALIGNED); return; }
  const o1 = load_aligned(va, 3);
  if (aborted) return;
  const o2 = load_aligned(va + 8, 3);
  if (aborted) return;
  if (o1 == c1 && o2 == c2) {
    // One page (16-byte aligned): the second write cannot fault once the first has succeeded
    store_aligned(va, 3, n1);
    if (aborted) return;
    store_aligned(va + 8, 3, n2);
  } else probe_write(va, 8, ACC_ALIGNED);
  if (aborted) return;
  set_x(s, o1);
  set_x(s + 1, o2);
}

// ---- CAS (L = acquire, o0 = release: no effect on one in-order PE) ----

export function exec_CASB(l: u32, rs: u32, o0: u32, rn: u32, rt: u32): void { cas(0, rs, rn, rt); }
export function exec_CASH(l: u32, rs: u32, o0: u32, rn: u32, rt: u32): void { cas(1, rs, rn, rt); }
export function exec_CAS(sz: u32, l: u32, rs: u32, o0: u32, rn: u32, rt: u32): void { cas(2 + sz, rs, rn, rt); }
export function exec_CASP(sz: u32, l: u32, rs41: u32, o0: u32, rn: u32, rt41: u32): void { casp(sz, rs41 << 1, rn, rt41 << 1); }

// ---- LD<op> and SWP (A = acquire, R = release) ----

export function exec_LDADDB(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_ADD, 0, rs, rn, rt); }
export function exec_LDADDH(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_ADD, 1, rs, rn, rt); }
export function exec_LDADD(sz: u32, a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_ADD, 2 + sz, rs, rn, rt); }
export function exec_LDCLRB(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_CLR, 0, rs, rn, rt); }
export function exec_LDCLRH(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_CLR, 1, rs, rn, rt); }
export function exec_LDCLR(sz: u32, a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_CLR, 2 + sz, rs, rn, rt); }
export function exec_LDEORB(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_EOR, 0, rs, rn, rt); }
export function exec_LDEORH(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_EOR, 1, rs, rn, rt); }
export function exec_LDEOR(sz: u32, a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_EOR, 2 + sz, rs, rn, rt); }
export function exec_LDSETB(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_SET, 0, rs, rn, rt); }
export function exec_LDSETH(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_SET, 1, rs, rn, rt); }
export function exec_LDSET(sz: u32, a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_SET, 2 + sz, rs, rn, rt); }
export function exec_LDSMAXB(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_SMAX, 0, rs, rn, rt); }
export function exec_LDSMAXH(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_SMAX, 1, rs, rn, rt); }
export function exec_LDSMAX(sz: u32, a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_SMAX, 2 + sz, rs, rn, rt); }
export function exec_LDSMINB(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_SMIN, 0, rs, rn, rt); }
export function exec_LDSMINH(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_SMIN, 1, rs, rn, rt); }
export function exec_LDSMIN(sz: u32, a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_SMIN, 2 + sz, rs, rn, rt); }
export function exec_LDUMAXB(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_UMAX, 0, rs, rn, rt); }
export function exec_LDUMAXH(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_UMAX, 1, rs, rn, rt); }
export function exec_LDUMAX(sz: u32, a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_UMAX, 2 + sz, rs, rn, rt); }
export function exec_LDUMINB(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_UMIN, 0, rs, rn, rt); }
export function exec_LDUMINH(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_UMIN, 1, rs, rn, rt); }
export function exec_LDUMIN(sz: u32, a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_UMIN, 2 + sz, rs, rn, rt); }
export function exec_SWPB(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_SWP, 0, rs, rn, rt); }
export function exec_SWPH(a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_SWP, 1, rs, rn, rt); }
export function exec_SWP(sz: u32, a: u32, r: u32, rs: u32, rn: u32, rt: u32): void { atomic_op(OP_SWP, 2 + sz, rs, rn, rt); }
