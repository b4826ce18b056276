// AdvSIMD structure loads and stores (Arm ARM C7.2: LD1-LD4/ST1-ST4 multiple structures, single structure
// (one lane), LD1R-LD4R (replicate), each with its post-indexed form: Rm = 31 adds the bytes transferred,
// any other Rm adds Xm). Loads gather every element into a staging buffer and write the registers only
// once all accesses have succeeded; stores that cross into another page check every element first, so a
// fault leaves registers and memory as they were. No instruction syndrome (ISV = 0).
import { fp_enabled, v_addr, set_v128 } from "./vregs";
import { x, set_x_sp } from "./regs";
import { aborted } from "./exceptions";
import { probe_write } from "../mmu/mem";
import { base, load as mem_load, store as mem_store, no_syndrome } from "./ldst-common";

/** Up to four 128-bit registers being loaded. */
const STAGE: usize = memory.data(64);

/** Element e of 1 << size bytes at p. */
// @ts-ignore: decorator
@inline function get_elem(p: usize, size: u32): u64 {
  return size == 0 ? <u64>load<u8>(p) : size == 1 ? <u64>load<u16>(p) : size == 2 ? <u64>load<u32>(p) : load<u64>(p);
}
// @ts-ignore: decorator
@inline function put_elem(p: usize, size: u32, v: u64): void {
  if (size == 0) store<u8>(p, <u8>v);
  else if (size == 1) store<u16>(p, <u16>v);
  else if (size == 2) store<u32>(p, <u32>v);
  else store<u64>(p, v);
}

/** Before a store of `total` bytes at va that crosses a page: every element must be writable. */
function probe_store(va: u64, total: u32, size: u32): void {
  if ((va & 0xfff) + <u64>total <= 0x1000) return;
  const ebytes: u32 = 1 << size;
  for (let i: u32 = 0; i < total; i += ebytes) {
    probe_write(va + <u64>i, ebytes, 0);
    if (aborted) return;
  }
}

// @ts-ignore: decorator
@inline function writeback(rn: u32, b: u64, rm: u32, total: u32): void {
  set_x_sp(rn, b + (rm == 31 ? <u64>total : x(rm)));
}

/**
 * LD1-LD4/ST1-ST4 (multiple structures): `rpt` registers of one element each (LD1 of 1-4 registers) or
 * one register set of `selem` interleaved elements (LD2-LD4), over 64 or 128 bits (q).
 */
function multiple(is_load: bool, q: u32, size: u32, rn: u32, rt: u32, rpt: u32, selem: u32, post: bool, rm: u32): void {
  if (!fp_enabled()) return;
  const b = base(rn);
  if (aborted) return;
  no_syndrome();
  const ebytes: u32 = 1 << size;
  const elements: u32 = (q != 0 ? 16 : 8) >> size;
  const total = elements * ebytes * rpt * selem;
  if (is_load) memory.fill(STAGE, 0, 64);
  else {
    probe_store(b, total, size);
    if (aborted) return;
  }
  let offs: u64 = 0;
  for (let r: u32 = 0; r < rpt; r++) {
    for (let e: u32 = 0; e < elements; e++) {
      for (let s: u32 = 0; s < selem; s++) {
        const j = r + s; // one of r and s is always 0
        const at = <usize>(e * ebytes);
        if (is_load) {
          const v = mem_load(b + offs, size);
          if (aborted) return;
          put_elem(STAGE + (<usize>j << 4) + at, size, v);
        } else {
          mem_store(b + offs, size, get_elem(v_addr((rt + j) & 31) + at, size));
          if (aborted) return;
        }
        offs += ebytes;
      }
    }
  }
  if (is_load) {
    for (let j: u32 = 0; j < rpt * selem; j++) {
      const p = STAGE + (<usize>j << 4);
      set_v128((rt + j) & 31, load<u64>(p), q != 0 ? load<u64>(p, 8) : 0);
    }
  }
  if (post) writeback(rn, b, rm, total);
}

/**
 * LD1-LD4/ST1-ST4 (single structure): one lane of `selem` consecutive registers. op2 (opcode<2:1>) gives
 * B, H, or S/D lanes; the lane index is Q:S:size, Q:S:size<1>, Q:S or Q (C7.2 LD1 (single structure)).
 */
function lane(is_load: bool, q: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32, selem: u32, post: bool, rm: u32): void {
  if (!fp_enabled()) return;
  let scale = op2;
  let index: u32;
  if (op2 == 0) index = (q << 3) | (s << 2) | size;
  else if (op2 == 1) index = (q << 2) | (s << 1) | (size >> 1);
  else if (size == 0) index = (q << 1) | s;
  else { scale = 3; index = q; }
  const b = base(rn);
  if (aborted) return;
  no_syndrome();
  const ebytes: u32 = 1 << scale;
  const total = ebytes * selem;
  const at = <usize>(index * ebytes);
  if (is_load) {
    for (let j: u32 = 0; j < selem; j++) memory.copy(STAGE + (<usize>j << 4), v_addr((rt + j) & 31), 16);
    for (let j: u32 = 0; j < selem; j++) {
      const v = mem_load(b + <u64>(j * ebytes), scale);
      if (aborted) return;
      put_elem(STAGE + (<usize>j << 4) + at, scale, v);
    }
    for (let j: u32 = 0; j < selem; j++) memory.copy(v_addr((rt + j) & 31), STAGE + (<usize>j << 4), 16);
  } else {
    probe_store(b, total, scale);
    if (aborted) return;
    for (let j: u32 = 0; j < selem; j++) {
      mem_store(b + <u64>(j * ebytes), scale, get_elem(v_addr((rt + j) & 31) + at, scale));
      if (aborted) return;
    }
  }
  if (post) writeback(rn, b, rm, total);
}

/** An element of 1 << size bytes copied to every lane of a doubleword. */
// @ts-ignore: decorator
@inline function replicate64(v: u64, size: u32): u64 {
  return size == 0 ? v * 0x0101010101010101 : size == 1 ? v * 0x0001000100010001 : size == 2 ? v | (v << 32) : v;
}

/** LD1R-LD4R: one structure, each element replicated to every lane of its register (64 or 128 bits). */
function replicate(q: u32, size: u32, rn: u32, rt: u32, selem: u32, post: bool, rm: u32): void {
  if (!fp_enabled()) return;
  const b = base(rn);
  if (aborted) return;
  no_syndrome();
  const ebytes: u32 = 1 << size;
  for (let j: u32 = 0; j < selem; j++) {
    const v = mem_load(b + <u64>(j * ebytes), size);
    if (aborted) return;
    store<u64>(STAGE + (<usize>j << 3), v);
  }
  for (let j: u32 = 0; j < selem; j++) {
    const r = replicate64(load<u64>(STAGE + (<usize>j << 3)), size);
    set_v128((rt + j) & 31, r, q != 0 ? r : 0);
  }
  if (post) writeback(rn, b, rm, ebytes * selem);
}

// ---- ST1-ST4 (multiple structures) ----
export function exec_ST1_1_mult(q: u32, size: u32, rn: u32, rt: u32): void { multiple(false, q, size, rn, rt, 1, 1, false, 31); }
export function exec_ST1_1_mult_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { multiple(false, q, size, rn, rt, 1, 1, true, rm); }
export function exec_ST1_2_mult(q: u32, size: u32, rn: u32, rt: u32): void { multiple(false, q, size, rn, rt, 2, 1, false, 31); }
export function exec_ST1_2_mult_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { multiple(false, q, size, rn, rt, 2, 1, true, rm); }
export function exec_ST1_3_mult(q: u32, size: u32, rn: u32, rt: u32): void { multiple(false, q, size, rn, rt, 3, 1, false, 31); }
export function exec_ST1_3_mult_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { multiple(false, q, size, rn, rt, 3, 1, true, rm); }
export function exec_ST1_4_mult(q: u32, size: u32, rn: u32, rt: u32): void { multiple(false, q, size, rn, rt, 4, 1, false, 31); }
export function exec_ST1_4_mult_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { multiple(false, q, size, rn, rt, 4, 1, true, rm); }
export function exec_ST2_mult(q: u32, size: u32, rn: u32, rt: u32): void { multiple(false, q, size, rn, rt, 1, 2, false, 31); }
export function exec_ST2_mult_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { multiple(false, q, size, rn, rt, 1, 2, true, rm); }
export function exec_ST3_mult(q: u32, size: u32, rn: u32, rt: u32): void { multiple(false, q, size, rn, rt, 1, 3, false, 31); }
export function exec_ST3_mult_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { multiple(false, q, size, rn, rt, 1, 3, true, rm); }
export function exec_ST4_mult(q: u32, size: u32, rn: u32, rt: u32): void { multiple(false, q, size, rn, rt, 1, 4, false, 31); }
export function exec_ST4_mult_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { multiple(false, q, size, rn, rt, 1, 4, true, rm); }
// ---- LD1-LD4 (multiple structures) ----
export function exec_LD1_1_mult(q: u32, size: u32, rn: u32, rt: u32): void { multiple(true, q, size, rn, rt, 1, 1, false, 31); }
export function exec_LD1_1_mult_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { multiple(true, q, size, rn, rt, 1, 1, true, rm); }
export function exec_LD1_2_mult(q: u32, size: u32, rn: u32, rt: u32): void { multiple(true, q, size, rn, rt, 2, 1, false, 31); }
export function exec_LD1_2_mult_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { multiple(true, q, size, rn, rt, 2, 1, true, rm); }
export function exec_LD1_3_mult(q: u32, size: u32, rn: u32, rt: u32): void { multiple(true, q, size, rn, rt, 3, 1, false, 31); }
export function exec_LD1_3_mult_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { multiple(true, q, size, rn, rt, 3, 1, true, rm); }
export function exec_LD1_4_mult(q: u32, size: u32, rn: u32, rt: u32): void { multiple(true, q, size, rn, rt, 4, 1, false, 31); }
export function exec_LD1_4_mult_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { multiple(true, q, size, rn, rt, 4, 1, true, rm); }
export function exec_LD2_mult(q: u32, size: u32, rn: u32, rt: u32): void { multiple(true, q, size, rn, rt, 1, 2, false, 31); }
export function exec_LD2_mult_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { multiple(true, q, size, rn, rt, 1, 2, true, rm); }
export function exec_LD3_mult(q: u32, size: u32, rn: u32, rt: u32): void { multiple(true, q, size, rn, rt, 1, 3, false, 31); }
export function exec_LD3_mult_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { multiple(true, q, size, rn, rt, 1, 3, true, rm); }
export function exec_LD4_mult(q: u32, size: u32, rn: u32, rt: u32): void { multiple(true, q, size, rn, rt, 1, 4, false, 31); }
export function exec_LD4_mult_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { multiple(true, q, size, rn, rt, 1, 4, true, rm); }

// ---- single structure and replicate ----
export function exec_ST1_lane(q: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(false, q, op2, s, size, rn, rt, 1, false, 31); }
export function exec_ST1_lane_post(q: u32, rm: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(false, q, op2, s, size, rn, rt, 1, true, rm); }
export function exec_LD1_lane(q: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(true, q, op2, s, size, rn, rt, 1, false, 31); }
export function exec_LD1_lane_post(q: u32, rm: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(true, q, op2, s, size, rn, rt, 1, true, rm); }
export function exec_LD1R(q: u32, size: u32, rn: u32, rt: u32): void { replicate(q, size, rn, rt, 1, false, 31); }
export function exec_LD1R_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { replicate(q, size, rn, rt, 1, true, rm); }
export function exec_ST2_lane(q: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(false, q, op2, s, size, rn, rt, 2, false, 31); }
export function exec_ST2_lane_post(q: u32, rm: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(false, q, op2, s, size, rn, rt, 2, true, rm); }
export function exec_LD2_lane(q: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(true, q, op2, s, size, rn, rt, 2, false, 31); }
export function exec_LD2_lane_post(q: u32, rm: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(true, q, op2, s, size, rn, rt, 2, true, rm); }
export function exec_LD2R(q: u32, size: u32, rn: u32, rt: u32): void { replicate(q, size, rn, rt, 2, false, 31); }
export function exec_LD2R_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { replicate(q, size, rn, rt, 2, true, rm); }
export function exec_ST3_lane(q: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(false, q, op2, s, size, rn, rt, 3, false, 31); }
export function exec_ST3_lane_post(q: u32, rm: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(false, q, op2, s, size, rn, rt, 3, true, rm); }
export function exec_LD3_lane(q: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(true, q, op2, s, size, rn, rt, 3, false, 31); }
export function exec_LD3_lane_post(q: u32, rm: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(true, q, op2, s, size, rn, rt, 3, true, rm); }
export function exec_LD3R(q: u32, size: u32, rn: u32, rt: u32): void { replicate(q, size, rn, rt, 3, false, 31); }
export function exec_LD3R_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { replicate(q, size, rn, rt, 3, true, rm); }
export function exec_ST4_lane(q: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(false, q, op2, s, size, rn, rt, 4, false, 31); }
export function exec_ST4_lane_post(q: u32, rm: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(false, q, op2, s, size, rn, rt, 4, true, rm); }
export function exec_LD4_lane(q: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(true, q, op2, s, size, rn, rt, 4, false, 31); }
export function exec_LD4_lane_post(q: u32, rm: u32, op2: u32, s: u32, size: u32, rn: u32, rt: u32): void { lane(true, q, op2, s, size, rn, rt, 4, true, rm); }
export function exec_LD4R(q: u32, size: u32, rn: u32, rt: u32): void { replicate(q, size, rn, rt, 4, false, 31); }
export function exec_LD4R_post(q: u32, rm: u32, size: u32, rn: u32, rt: u32): void { replicate(q, size, rn, rt, 4, true, rm); }
