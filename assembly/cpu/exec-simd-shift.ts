// Advanced SIMD shift by immediate, vector and scalar (Arm ARM C4.1.95.22, C4.1.95.13): immh's highest
// set bit gives the element size; immh:immb encodes a right shift as 2*esize - imm, a left one as imm - esize.
import { fp_enabled } from "./vregs";
import {
  elem, put, commit, start_from, sx, ones, shift_lane, sqshlu_lane, sat_s, sat_u, sat_uu, immh_esize,
} from "./simd";

const SSHR = 0, USHR = 1, SRSHR = 2, URSHR = 3, SSRA = 4, USRA = 5, SRSRA = 6, URSRA = 7;
const SHL = 8, SLI = 9, SRI = 10, SQSHL = 11, UQSHL = 12, SQSHLU = 13;

/** One lane of op: a from Vn, d the destination's lane; `right` and `left` are the decoded amounts. */
function lane(op: u32, a: u64, d: u64, esize: u32, right: u32, left: u32): u64 {
  const m = ones(esize);
  switch (op) {
    case SSHR: return shift_lane(a, -<i32>right, esize, true, false, false);
    case USHR: return shift_lane(a, -<i32>right, esize, false, false, false);
    case SRSHR: return shift_lane(a, -<i32>right, esize, true, true, false);
    case URSHR: return shift_lane(a, -<i32>right, esize, false, true, false);
    case SSRA: return (d + shift_lane(a, -<i32>right, esize, true, false, false)) & m;
    case USRA: return (d + shift_lane(a, -<i32>right, esize, false, false, false)) & m;
    case SRSRA: return (d + shift_lane(a, -<i32>right, esize, true, true, false)) & m;
    case URSRA: return (d + shift_lane(a, -<i32>right, esize, false, true, false)) & m;
    case SHL: return shift_lane(a, <i32>left, esize, false, false, false);
    case SLI: {
      // Insert: the bits shifted in from the right keep Vd's value
      const keep: u64 = left == 0 ? 0 : ones(left);
      return ((a << left) & m) | (d & keep);
    }
    case SRI: {
      // right may equal esize (64 included), when nothing of Vn is inserted
      const inserted: u64 = right >= esize ? 0 : m >> right;
      const shifted: u64 = right >= esize ? 0 : a >> right;
      return shifted | (d & ~inserted & m);
    }
    case SQSHL: return shift_lane(a, <i32>left, esize, true, false, true);
    case UQSHL: return shift_lane(a, <i32>left, esize, false, false, true);
  }
  return sqshlu_lane(a, left, esize); // SQSHLU
}

function vector(op: u32, Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize = immh_esize(immh);
  const imm = (immh << 3) | immb;
  const bits: u32 = Q != 0 ? 128 : 64;
  for (let i: u32 = 0; i < bits / esize; i++) {
    put(i, esize, lane(op, elem(rn, i, esize), elem(rd, i, esize), esize, 2 * esize - imm, imm - esize));
  }
  commit(rd, bits);
}

function scalar(op: u32, immh: u32, immb: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize = immh_esize(immh);
  const imm = (immh << 3) | immb;
  put(0, esize, lane(op, elem(rn, 0, esize), elem(rd, 0, esize), esize, 2 * esize - imm, imm - esize));
  commit(rd, esize);
}

// Narrowing shifts: 2*esize-bit lanes shifted right, then truncated or saturated to esize bits
const SHRN = 0, RSHRN = 1, SQSHRN = 2, SQRSHRN = 3, UQSHRN = 4, UQRSHRN = 5, SQSHRUN = 6, SQRSHRUN = 7;
function narrow_lane(op: u32, a: u64, esize: u32, shift: u32): u64 {
  const wide = esize * 2;
  const round = op == RSHRN || op == SQRSHRN || op == UQRSHRN || op == SQRSHRUN;
  const signed = op == SQSHRN || op == SQRSHRN || op == SQSHRUN || op == SQRSHRUN;
  const r = shift_lane(a, -<i32>shift, wide, signed, round, false);
  if (op == SHRN || op == RSHRN) return r & ones(esize);
  if (op == UQSHRN || op == UQRSHRN) return sat_uu(r, esize);
  if (op == SQSHRN || op == SQRSHRN) return sat_s(sx(r, wide), esize);
  return sat_u(sx(r, wide), esize); // SQSHRUN, SQRSHRUN
}
function narrow(op: u32, Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize = immh_esize(immh);
  const shift = 2 * esize - ((immh << 3) | immb);
  const n: u32 = 64 / esize;
  if (Q != 0) start_from(rd);
  for (let i: u32 = 0; i < n; i++) put(Q * n + i, esize, narrow_lane(op, elem(rn, i, esize * 2), esize, shift));
  commit(rd, Q != 0 ? 128 : 64);
}
function narrow_scalar(op: u32, immh: u32, immb: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize = immh_esize(immh);
  const shift = 2 * esize - ((immh << 3) | immb);
  put(0, esize, narrow_lane(op, elem(rn, 0, esize * 2), esize, shift));
  commit(rd, esize);
}

/** SSHLL/USHLL (and SXTL/UXTL): the selected half's lanes widened, then shifted left. */
function shift_long(signed: bool, Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const esize = immh_esize(immh);
  const shift = ((immh << 3) | immb) - esize;
  const n: u32 = 64 / esize;
  for (let i: u32 = 0; i < n; i++) {
    const a = elem(rn, Q * n + i, esize);
    put(i, esize * 2, ((signed ? <u64>sx(a, esize) : a) << shift) & ones(esize * 2));
  }
  commit(rd, 128);
}

export function exec_SSHR_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { vector(SSHR, Q, immh, immb, rn, rd); }
export function exec_USHR_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { vector(USHR, Q, immh, immb, rn, rd); }
export function exec_SSRA_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { vector(SSRA, Q, immh, immb, rn, rd); }
export function exec_USRA_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { vector(USRA, Q, immh, immb, rn, rd); }
export function exec_SRSHR_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { vector(SRSHR, Q, immh, immb, rn, rd); }
export function exec_URSHR_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { vector(URSHR, Q, immh, immb, rn, rd); }
export function exec_SRSRA_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { vector(SRSRA, Q, immh, immb, rn, rd); }
export function exec_URSRA_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { vector(URSRA, Q, immh, immb, rn, rd); }
export function exec_SRI_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { vector(SRI, Q, immh, immb, rn, rd); }
export function exec_SHL_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { vector(SHL, Q, immh, immb, rn, rd); }
export function exec_SLI_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { vector(SLI, Q, immh, immb, rn, rd); }
export function exec_SQSHLU_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { vector(SQSHLU, Q, immh, immb, rn, rd); }
export function exec_SQSHL_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { vector(SQSHL, Q, immh, immb, rn, rd); }
export function exec_UQSHL_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { vector(UQSHL, Q, immh, immb, rn, rd); }
export function exec_SHRN_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { narrow(SHRN, Q, immh, immb, rn, rd); }
export function exec_RSHRN_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { narrow(RSHRN, Q, immh, immb, rn, rd); }
export function exec_SQSHRN_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { narrow(SQSHRN, Q, immh, immb, rn, rd); }
export function exec_SQRSHRN_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { narrow(SQRSHRN, Q, immh, immb, rn, rd); }
export function exec_UQSHRN_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { narrow(UQSHRN, Q, immh, immb, rn, rd); }
export function exec_UQRSHRN_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { narrow(UQRSHRN, Q, immh, immb, rn, rd); }
export function exec_SQSHRUN_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { narrow(SQSHRUN, Q, immh, immb, rn, rd); }
export function exec_SQRSHRUN_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { narrow(SQRSHRUN, Q, immh, immb, rn, rd); }
export function exec_SSHLL_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { shift_long(true, Q, immh, immb, rn, rd); }
export function exec_USHLL_vi(Q: u32, immh: u32, immb: u32, rn: u32, rd: u32): void { shift_long(false, Q, immh, immb, rn, rd); }

export function exec_SSHR_si(immh: u32, immb: u32, rn: u32, rd: u32): void { scalar(SSHR, immh, immb, rn, rd); }
export function exec_USHR_si(immh: u32, immb: u32, rn: u32, rd: u32): void { scalar(USHR, immh, immb, rn, rd); }
export function exec_SSRA_si(immh: u32, immb: u32, rn: u32, rd: u32): void { scalar(SSRA, immh, immb, rn, rd); }
export function exec_USRA_si(immh: u32, immb: u32, rn: u32, rd: u32): void { scalar(USRA, immh, immb, rn, rd); }
export function exec_SRSHR_si(immh: u32, immb: u32, rn: u32, rd: u32): void { scalar(SRSHR, immh, immb, rn, rd); }
export function exec_URSHR_si(immh: u32, immb: u32, rn: u32, rd: u32): void { scalar(URSHR, immh, immb, rn, rd); }
export function exec_SRSRA_si(immh: u32, immb: u32, rn: u32, rd: u32): void { scalar(SRSRA, immh, immb, rn, rd); }
export function exec_URSRA_si(immh: u32, immb: u32, rn: u32, rd: u32): void { scalar(URSRA, immh, immb, rn, rd); }
export function exec_SRI_si(immh: u32, immb: u32, rn: u32, rd: u32): void { scalar(SRI, immh, immb, rn, rd); }
export function exec_SHL_si(immh: u32, immb: u32, rn: u32, rd: u32): void { scalar(SHL, immh, immb, rn, rd); }
export function exec_SLI_si(immh: u32, immb: u32, rn: u32, rd: u32): void { scalar(SLI, immh, immb, rn, rd); }
export function exec_SQSHLU_si(immh: u32, immb: u32, rn: u32, rd: u32): void { scalar(SQSHLU, immh, immb, rn, rd); }
export function exec_SQSHL_si(immh: u32, immb: u32, rn: u32, rd: u32): void { scalar(SQSHL, immh, immb, rn, rd); }
export function exec_UQSHL_si(immh: u32, immb: u32, rn: u32, rd: u32): void { scalar(UQSHL, immh, immb, rn, rd); }
export function exec_SQSHRN_si(immh: u32, immb: u32, rn: u32, rd: u32): void { narrow_scalar(SQSHRN, immh, immb, rn, rd); }
export function exec_SQRSHRN_si(immh: u32, immb: u32, rn: u32, rd: u32): void { narrow_scalar(SQRSHRN, immh, immb, rn, rd); }
export function exec_UQSHRN_si(immh: u32, immb: u32, rn: u32, rd: u32): void { narrow_scalar(UQSHRN, immh, immb, rn, rd); }
export function exec_UQRSHRN_si(immh: u32, immb: u32, rn: u32, rd: u32): void { narrow_scalar(UQRSHRN, immh, immb, rn, rd); }
export function exec_SQSHRUN_si(immh: u32, immb: u32, rn: u32, rd: u32): void { narrow_scalar(SQSHRUN, immh, immb, rn, rd); }
export function exec_SQRSHRUN_si(immh: u32, immb: u32, rn: u32, rd: u32): void { narrow_scalar(SQRSHRUN, immh, immb, rn, rd); }
