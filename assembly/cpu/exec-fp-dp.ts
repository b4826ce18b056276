// Scalar FP arithmetic (Arm ARM C7.2: FABS, FNEG, FSQRT, FADD, FSUB, FMUL, FNMUL, FDIV, FMAX, FMIN, FMAXNM,
// FMINNM, FMADD, FMSUB, FNMADD, FNMSUB) over the softfloat core in fp/.
import { fp_enabled, fpcr } from "./vregs";
import { fp_size, fp_read, fp_write } from "./fp/operands";
import { fp_add, fp_sub } from "./fp/add";
import { fp_mul } from "./fp/mul";
import { fp_div } from "./fp/div";
import { fp_sqrt } from "./fp/sqrt";
import { fp_muladd } from "./fp/fma";
import { fp_max_min, fp_max_min_num } from "./fp/compare";
import { fp_sign_bit } from "./fp/unpack";

// FPAbs and FPNeg change only the sign bit, NaNs included, and raise nothing
export function exec_FABS(ftype: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, fp_read(rn, N) & ~fp_sign_bit(N));
}
export function exec_FNEG(ftype: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, fp_read(rn, N) ^ fp_sign_bit(N));
}
export function exec_FSQRT(ftype: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, fp_sqrt(fp_read(rn, N), N, fpcr()));
}

export function exec_FMUL(ftype: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, fp_mul(fp_read(rn, N), fp_read(rm, N), N, fpcr()));
}
export function exec_FNMUL(ftype: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, fp_mul(fp_read(rn, N), fp_read(rm, N), N, fpcr()) ^ fp_sign_bit(N));
}
export function exec_FDIV(ftype: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, fp_div(fp_read(rn, N), fp_read(rm, N), N, fpcr()));
}
export function exec_FADD(ftype: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, fp_add(fp_read(rn, N), fp_read(rm, N), N, fpcr()));
}
export function exec_FSUB(ftype: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, fp_sub(fp_read(rn, N), fp_read(rm, N), N, fpcr()));
}
export function exec_FMAX(ftype: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, fp_max_min(fp_read(rn, N), fp_read(rm, N), N, fpcr(), true));
}
export function exec_FMIN(ftype: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, fp_max_min(fp_read(rn, N), fp_read(rm, N), N, fpcr(), false));
}
export function exec_FMAXNM(ftype: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, fp_max_min_num(fp_read(rn, N), fp_read(rm, N), N, fpcr(), true));
}
export function exec_FMINNM(ftype: u32, rm: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, fp_max_min_num(fp_read(rn, N), fp_read(rm, N), N, fpcr(), false));
}

/** The FP data-processing (3 source) forms: Ra negated by `neg_a`, Rn by `neg_n`, then FPMulAdd. */
function muladd(ftype: u32, rm: u32, ra: u32, rn: u32, rd: u32, neg_a: bool, neg_n: bool): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  const sign = fp_sign_bit(N);
  let a = fp_read(ra, N), n = fp_read(rn, N);
  if (neg_a) a ^= sign;
  if (neg_n) n ^= sign;
  fp_write(rd, N, fp_muladd(a, n, fp_read(rm, N), N, fpcr()));
}
export function exec_FMADD(ftype: u32, rm: u32, ra: u32, rn: u32, rd: u32): void { muladd(ftype, rm, ra, rn, rd, false, false); }
export function exec_FMSUB(ftype: u32, rm: u32, ra: u32, rn: u32, rd: u32): void { muladd(ftype, rm, ra, rn, rd, false, true); }
export function exec_FNMADD(ftype: u32, rm: u32, ra: u32, rn: u32, rd: u32): void { muladd(ftype, rm, ra, rn, rd, true, true); }
export function exec_FNMSUB(ftype: u32, rm: u32, ra: u32, rn: u32, rd: u32): void { muladd(ftype, rm, ra, rn, rd, true, false); }
