// Scalar FP moves (Arm ARM C7.2: FMOV register, immediate, and to/from general registers incl. the top half).
import { fp_enabled, v_s, v_lo, v_hi, set_v32, set_v64, set_lane64 } from "./vregs";
import { x, w, set_x, set_w } from "./regs";
import { fp_size, fp_read, fp_write } from "./fp/operands";
import { fp_ebits, fp_fbits } from "./fp/unpack";

export function exec_FMOV_reg(ftype: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, fp_read(rn, N));
}

/** VFPExpandImm (J1.3): sign, NOT(b6):Replicate(b6, E-3):b5:4 exponent, b3:0 at the top of the fraction. */
function vfp_expand_imm(imm8: u32, N: u32): u64 {
  const E = fp_ebits(N), F = fp_fbits(N);
  const b6 = (imm8 >> 6) & 1;
  const exp = ((b6 ^ 1) << (E - 1)) | ((b6 != 0 ? (1 << (E - 3)) - 1 : 0) << 2) | ((imm8 >> 4) & 3);
  return (<u64>(imm8 >> 7) << (N - 1)) | (<u64>exp << F) | (<u64>(imm8 & 15) << (F - 4));
}
export function exec_FMOV_imm(ftype: u32, imm8: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype);
  fp_write(rd, N, vfp_expand_imm(imm8, N));
}

export function exec_FMOV_to_gen(sf: u32, ftype: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  if (sf != 0) set_x(rd, v_lo(rn));
  else set_w(rd, v_s(rn));
}
export function exec_FMOV_from_gen(sf: u32, ftype: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  if (sf != 0) set_v64(rd, x(rn));
  else set_v32(rd, w(rn));
}
export function exec_FMOV_to_gen_top(rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  set_x(rd, v_hi(rn));
}
/** Writes Vd.D[1] and leaves the low half alone. */
export function exec_FMOV_from_gen_top(rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  set_lane64(rd, 1, x(rn));
}
