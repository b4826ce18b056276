// Scalar FP conversions (Arm ARM C7.2: FCVT, FRINT<N|P|M|Z|A|X|I>, FCVT<N|P|M|Z|A><S|U> to integer,
// FCVTZS/FCVTZU/SCVTF/UCVTF with fixed-point scale and to/from integer).
import { fp_enabled, fpcr } from "./vregs";
import { x, set_x, set_w } from "./regs";
import { fp_size, fp_read, fp_write } from "./fp/operands";
import { fp_convert, fp_round_int, fp_to_fixed, fixed_to_fp } from "./fp/convert";
import { fp_rounding, FPROUND_TIEEVEN, FPROUND_POSINF, FPROUND_NEGINF, FPROUND_ZERO, FPROUND_TIEAWAY } from "./fp/unpack";

export function exec_FCVT(ftype: u32, opc: u32, rn: u32, rd: u32): void {
  if (!fp_enabled()) return;
  const N = fp_size(ftype), M = fp_size(opc);
  const c = fpcr();
  fp_write(rd, M, fp_convert(fp_read(rn, N), N, M, c, fp_rounding(c)));
}

function round_int(ftype: u32, rn: u32, rd: u32, rounding: u32, exact: bool): void {
  const N = fp_size(ftype);
  fp_write(rd, N, fp_round_int(fp_read(rn, N), N, fpcr(), rounding, exact));
}
export function exec_FRINTN(ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) round_int(ftype, rn, rd, FPROUND_TIEEVEN, false); }
export function exec_FRINTP(ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) round_int(ftype, rn, rd, FPROUND_POSINF, false); }
export function exec_FRINTM(ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) round_int(ftype, rn, rd, FPROUND_NEGINF, false); }
export function exec_FRINTZ(ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) round_int(ftype, rn, rd, FPROUND_ZERO, false); }
export function exec_FRINTA(ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) round_int(ftype, rn, rd, FPROUND_TIEAWAY, false); }
export function exec_FRINTX(ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) round_int(ftype, rn, rd, fp_rounding(fpcr()), true); }
export function exec_FRINTI(ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) round_int(ftype, rn, rd, fp_rounding(fpcr()), false); }

/** FP to integer (Xd or Wd), fbits fraction bits, with the given rounding. */
function to_int(sf: u32, ftype: u32, rn: u32, rd: u32, fbits: i32, unsigned: bool, rounding: u32): void {
  const N = fp_size(ftype);
  const r = fp_to_fixed(fp_read(rn, N), N, fbits, unsigned, sf != 0 ? 64 : 32, fpcr(), rounding);
  if (sf != 0) set_x(rd, r);
  else set_w(rd, <u32>r);
}
/** Integer (Xn or Wn, register 31 is ZR) with fbits fraction bits to FP, rounded as FPCR says. */
function from_int(sf: u32, ftype: u32, rn: u32, rd: u32, fbits: i32, unsigned: bool): void {
  const N = fp_size(ftype);
  const c = fpcr();
  const op = rn == 31 ? 0 : x(rn);
  fp_write(rd, N, fixed_to_fp(op, sf != 0 ? 64 : 32, fbits, unsigned, N, c, fp_rounding(c)));
}

export function exec_FCVTNS(sf: u32, ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) to_int(sf, ftype, rn, rd, 0, false, FPROUND_TIEEVEN); }
export function exec_FCVTNU(sf: u32, ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) to_int(sf, ftype, rn, rd, 0, true, FPROUND_TIEEVEN); }
export function exec_FCVTPS(sf: u32, ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) to_int(sf, ftype, rn, rd, 0, false, FPROUND_POSINF); }
export function exec_FCVTPU(sf: u32, ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) to_int(sf, ftype, rn, rd, 0, true, FPROUND_POSINF); }
export function exec_FCVTMS(sf: u32, ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) to_int(sf, ftype, rn, rd, 0, false, FPROUND_NEGINF); }
export function exec_FCVTMU(sf: u32, ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) to_int(sf, ftype, rn, rd, 0, true, FPROUND_NEGINF); }
export function exec_FCVTZS(sf: u32, ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) to_int(sf, ftype, rn, rd, 0, false, FPROUND_ZERO); }
export function exec_FCVTZU(sf: u32, ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) to_int(sf, ftype, rn, rd, 0, true, FPROUND_ZERO); }
export function exec_FCVTAS(sf: u32, ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) to_int(sf, ftype, rn, rd, 0, false, FPROUND_TIEAWAY); }
export function exec_FCVTAU(sf: u32, ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) to_int(sf, ftype, rn, rd, 0, true, FPROUND_TIEAWAY); }
export function exec_SCVTF(sf: u32, ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) from_int(sf, ftype, rn, rd, 0, false); }
export function exec_UCVTF(sf: u32, ftype: u32, rn: u32, rd: u32): void { if (fp_enabled()) from_int(sf, ftype, rn, rd, 0, true); }

// Fixed-point: fbits = 64 - scale
export function exec_FCVTZS_fix(sf: u32, ftype: u32, scale: u32, rn: u32, rd: u32): void { if (fp_enabled()) to_int(sf, ftype, rn, rd, 64 - <i32>scale, false, FPROUND_ZERO); }
export function exec_FCVTZU_fix(sf: u32, ftype: u32, scale: u32, rn: u32, rd: u32): void { if (fp_enabled()) to_int(sf, ftype, rn, rd, 64 - <i32>scale, true, FPROUND_ZERO); }
export function exec_SCVTF_fix(sf: u32, ftype: u32, scale: u32, rn: u32, rd: u32): void { if (fp_enabled()) from_int(sf, ftype, rn, rd, 64 - <i32>scale, false); }
export function exec_UCVTF_fix(sf: u32, ftype: u32, scale: u32, rn: u32, rd: u32): void { if (fp_enabled()) from_int(sf, ftype, rn, rd, 64 - <i32>scale, true); }
