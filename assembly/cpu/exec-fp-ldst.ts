// Loads and stores of SIMD&FP registers (Arm ARM C7.2: LDR/STR (immediate, register), LDUR/STUR, LDR
// (literal), LDP/STP/LDNP/STNP of SIMD&FP registers). Scale 0-3 is B/H/S/D, 4 is Q (two doubleword
// accesses, little-endian). A load writes the whole register (zero-extended) only once every access has
// succeeded; a store that crosses into another page checks it first, so a fault writes nothing. These
// accesses report no instruction syndrome (ESR_ELx.ISV = 0 for SIMD&FP registers). Rn == Rt with writeback
// is no conflict here: they are in different register files.
import { fp_enabled, v_lo, v_hi, set_v128 } from "./vregs";
import { set_x_sp, get_pc } from "./regs";
import { aborted } from "./exceptions";
import { probe_write } from "../mmu/mem";
import { base, sext, extend_reg, load, store, no_syndrome, size_mask } from "./ldst-common";

/** The access size of the single-register rows: size (B/H/S/D), or Q when opc<1> is set. */
// @ts-ignore: decorator
@inline function scale_of(size: u32, q: u32): u32 { return q != 0 ? 4 : size; }

// The value of the last fp_read_mem: low and high doublewords
let mem_lo: u64 = 0;
let mem_hi: u64 = 0;

/** Reads 1 << scale bytes at va into mem_lo/mem_hi. Check `aborted` after. */
function fp_read_mem(va: u64, scale: u32): void {
  if (scale == 4) {
    const lo = load(va, 3);
    if (aborted) return;
    const hi = load(va + 8, 3);
    if (aborted) return;
    mem_lo = lo;
    mem_hi = hi;
  } else {
    const v = load(va, scale);
    if (aborted) return;
    mem_lo = v;
    mem_hi = 0;
  }
}

/** Checks that `count` elements of 1 << scale bytes (a Q element as two doublewords) at va can be written. */
function probe_elements(va: u64, scale: u32, count: u32): void {
  const step: u32 = scale == 4 ? 8 : 1 << scale;
  const n = scale == 4 ? count << 1 : count;
  for (let i: u32 = 0; i < n; i++) {
    probe_write(va + <u64>(i * step), step, 0);
    if (aborted) return;
  }
}

/** Writes the low 1 << scale bytes of Vt at va. Check `aborted` after. */
function fp_write_mem(va: u64, scale: u32, t: u32): void {
  if (scale == 4) {
    const lo = v_lo(t), hi = v_hi(t);
    if ((va & 0xfff) > 0xff0) {
      probe_elements(va, 4, 1);
      if (aborted) return;
    }
    store(va, 3, lo);
    if (aborted) return;
    store(va + 8, 3, hi);
  } else {
    store(va, scale, v_lo(t) & size_mask(scale));
  }
}

const OFFSET: u32 = 0;
const PRE: u32 = 1;
const POST: u32 = 2;

function ld1(rn: u32, off: u64, rt: u32, scale: u32, mode: u32): void {
  if (!fp_enabled()) return;
  const b = base(rn);
  if (aborted) return;
  no_syndrome();
  fp_read_mem(mode == POST ? b : b + off, scale);
  if (aborted) return;
  set_v128(rt, mem_lo, mem_hi);
  if (mode != OFFSET) set_x_sp(rn, b + off);
}

function st1(rn: u32, off: u64, rt: u32, scale: u32, mode: u32): void {
  if (!fp_enabled()) return;
  const b = base(rn);
  if (aborted) return;
  no_syndrome();
  fp_write_mem(mode == POST ? b : b + off, scale, rt);
  if (aborted) return;
  if (mode != OFFSET) set_x_sp(rn, b + off);
}

export function exec_STR_fp_off(size: u32, q: u32, imm12: u32, rn: u32, rt: u32): void {
  const scale = scale_of(size, q);
  st1(rn, <u64>imm12 << scale, rt, scale, OFFSET);
}
export function exec_STR_fp_pre(size: u32, q: u32, imm9: u32, rn: u32, rt: u32): void { st1(rn, sext(imm9, 9), rt, scale_of(size, q), PRE); }
export function exec_STR_fp_post(size: u32, q: u32, imm9: u32, rn: u32, rt: u32): void { st1(rn, sext(imm9, 9), rt, scale_of(size, q), POST); }
export function exec_STR_fp_reg(size: u32, q: u32, rm: u32, option: u32, s: u32, rn: u32, rt: u32): void {
  const scale = scale_of(size, q);
  st1(rn, extend_reg(rm, option, s != 0 ? scale : 0), rt, scale, OFFSET);
}
export function exec_STUR_fp(size: u32, q: u32, imm9: u32, rn: u32, rt: u32): void { st1(rn, sext(imm9, 9), rt, scale_of(size, q), OFFSET); }

export function exec_LDR_fp_off(size: u32, q: u32, imm12: u32, rn: u32, rt: u32): void {
  const scale = scale_of(size, q);
  ld1(rn, <u64>imm12 << scale, rt, scale, OFFSET);
}
export function exec_LDR_fp_pre(size: u32, q: u32, imm9: u32, rn: u32, rt: u32): void { ld1(rn, sext(imm9, 9), rt, scale_of(size, q), PRE); }
export function exec_LDR_fp_post(size: u32, q: u32, imm9: u32, rn: u32, rt: u32): void { ld1(rn, sext(imm9, 9), rt, scale_of(size, q), POST); }
export function exec_LDR_fp_reg(size: u32, q: u32, rm: u32, option: u32, s: u32, rn: u32, rt: u32): void {
  const scale = scale_of(size, q);
  ld1(rn, extend_reg(rm, option, s != 0 ? scale : 0), rt, scale, OFFSET);
}
export function exec_LDUR_fp(size: u32, q: u32, imm9: u32, rn: u32, rt: u32): void { ld1(rn, sext(imm9, 9), rt, scale_of(size, q), OFFSET); }

/** LDR (literal, SIMD&FP): opc 00 S, 01 D, 10 Q. */
export function exec_LDR_fp_lit(opc: u32, imm19: u32, rt: u32): void {
  if (!fp_enabled()) return;
  no_syndrome();
  fp_read_mem(get_pc() + (sext(imm19, 19) << 2), 2 + opc);
  if (aborted) return;
  set_v128(rt, mem_lo, mem_hi);
}

// ---- pairs: opc 00 S, 01 D, 10 Q ----

/** LDP/LDNP: both elements are read before either register is written; with Rt == Rt2 the first stays. */
function ldp(opc: u32, imm7: u32, rt2: u32, rn: u32, rt: u32, mode: u32): void {
  if (!fp_enabled()) return;
  const scale = 2 + opc;
  const b = base(rn);
  if (aborted) return;
  const off = sext(imm7, 7) << scale;
  const va = mode == POST ? b : b + off;
  no_syndrome();
  fp_read_mem(va, scale);
  if (aborted) return;
  const lo1 = mem_lo, hi1 = mem_hi;
  fp_read_mem(va + (<u64>1 << scale), scale);
  if (aborted) return;
  set_v128(rt2, mem_lo, mem_hi);
  set_v128(rt, lo1, hi1);
  if (mode != OFFSET) set_x_sp(rn, b + off);
}

/** STP/STNP: a pair that crosses into another page checks both halves first. */
function stp(opc: u32, imm7: u32, rt2: u32, rn: u32, rt: u32, mode: u32): void {
  if (!fp_enabled()) return;
  const scale = 2 + opc;
  const b = base(rn);
  if (aborted) return;
  const off = sext(imm7, 7) << scale;
  const va = mode == POST ? b : b + off;
  const size: u32 = 1 << scale;
  no_syndrome();
  if ((va & 0xfff) + (size << 1) > 0x1000) {
    probe_elements(va, scale, 2);
    if (aborted) return;
  }
  fp_write_mem(va, scale, rt);
  if (aborted) return;
  fp_write_mem(va + size, scale, rt2);
  if (aborted) return;
  if (mode != OFFSET) set_x_sp(rn, b + off);
}

export function exec_STNP_fp(opc: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void { stp(opc, imm7, rt2, rn, rt, OFFSET); }
export function exec_LDNP_fp(opc: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void { ldp(opc, imm7, rt2, rn, rt, OFFSET); }
export function exec_STP_fp_post(opc: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void { stp(opc, imm7, rt2, rn, rt, POST); }
export function exec_LDP_fp_post(opc: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void { ldp(opc, imm7, rt2, rn, rt, POST); }
export function exec_STP_fp_off(opc: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void { stp(opc, imm7, rt2, rn, rt, OFFSET); }
export function exec_LDP_fp_off(opc: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void { ldp(opc, imm7, rt2, rn, rt, OFFSET); }
export function exec_STP_fp_pre(opc: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void { stp(opc, imm7, rt2, rn, rt, PRE); }
export function exec_LDP_fp_pre(opc: u32, imm7: u32, rt2: u32, rn: u32, rt: u32): void { ldp(opc, imm7, rt2, rn, rt, PRE); }
