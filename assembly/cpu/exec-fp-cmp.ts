// Scalar FP compares and conditional select (Arm ARM C7.2: FCMP, FCMPE, FCCMP, FCCMPE, FCSEL).
import { fp_enabled, fpcr } from "./vregs";
import { set_nzcv, condition_holds } from "./regs";
import { fp_size, fp_read, fp_write } from "./fp/operands";
import { fp_compare } from "./fp/compare";

function compare(ftype: u32, rm: u32, rn: u32, with_zero: bool, signal_nans: bool): void {
  const N = fp_size(ftype);
  const op2: u64 = with_zero ? 0 : fp_read(rm, N);
  set_nzcv(fp_compare(fp_read(rn, N), op2, N, fpcr(), signal_nans) << 28);
}
export function exec_FCMP(ftype: u32, rm: u32, rn: u32, z: u32): void {
  if (!fp_enabled()) return;
  compare(ftype, rm, rn, z != 0, false);
}
export function exec_FCMPE(ftype: u32, rm: u32, rn: u32, z: u32): void {
  if (!fp_enabled()) return;
  compare(ftype, rm, rn, z != 0, true);
}
export function exec_FCCMP(ftype: u32, rm: u32, cond: u32, rn: u32, nzcv: u32): void {
  if (!fp_enabled()) return;
  if (condition_holds(cond)) compare(ftype, rm, rn, false, false);
  else set_nzcv(nzcv << 28);
}
export function exec_FCCMPE(ftype: u32, rm: u32, cond: u32, rn: u32, nzcv: u32): void {
  if (!fp_enabled()) return;
  if (condition_holds(cond)) compare(ftype, rm, rn, false, true);
  else set_nzcv(nzcv << 28);
}
export function exec_FCSEL(ftype: u32, rm: u32, cond: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, fp_read(condition_holds(cond) ? rn : rm, N));
}
