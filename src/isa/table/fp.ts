// Scalar floating-point (Arm ARM C4.1 "Data Processing -- Scalar Floating-Point and Advanced SIMD"): the
// FP data-processing, compare, conditional, immediate and conversion classes. FEAT_FP16 is not reported
// (ID_AA64PFR0_EL1.FP = 0), so ftype 0b11 (half precision) is UNDEFINED except as FCVT's source or
// destination; ftype 0b10 is unallocated outside FMOV's top-half forms. Not implemented, so UNDEFINED:
// FEAT_FRINTTS (FRINT32*/FRINT64*), FEAT_JSCVT (FJCVTZS), FEAT_BF16 (BFCVT), FEAT_FPRCVT.
import type { OpSpec } from '../encoding.js';

type Unless = Record<string, number>[];
const dp = (name: string, pattern: string, unless: Unless = SINGLE_DOUBLE): OpSpec => ({ name, pattern, group: 'fp-dp', unless });
const cmp = (name: string, pattern: string, unless: Unless = SINGLE_DOUBLE): OpSpec => ({ name, pattern, group: 'fp-cmp', unless });
const cvt = (name: string, pattern: string, unless: Unless = SINGLE_DOUBLE): OpSpec => ({ name, pattern, group: 'fp-cvt', unless });
const mov = (name: string, pattern: string, unless: Unless = SINGLE_DOUBLE): OpSpec => ({ name, pattern, group: 'fp-mov', unless });

/** ftype 0b10 is unallocated and 0b11 needs FEAT_FP16: only single (00) and double (01) remain. */
const SINGLE_DOUBLE: Unless = [{ ftype: 0b10 }, { ftype: 0b11 }];

/** FP data-processing (1 source), opcode in bits 20:15. */
const one = (opcode: string) => `000 11110 ftype:2 1 ${opcode} 10000 rn:5 rd:5`;
/** FP data-processing (2 source), opcode in bits 15:12. */
const two = (opcode: string) => `000 11110 ftype:2 1 rm:5 ${opcode} 10 rn:5 rd:5`;
/** Conversion between floating-point and integer: rmode (20:19) and opcode (18:16). */
const int = (rmode: string, opcode: string) => `sf:1 00 11110 ftype:2 1 ${rmode} ${opcode} 000000 rn:5 rd:5`;
/** Conversion between floating-point and fixed-point; a 32-bit integer needs scale >= 32 (C6.2 decode). */
const fixed = (rmode: string, opcode: string) => `sf:1 00 11110 ftype:2 0 ${rmode} ${opcode} scale:6 rn:5 rd:5`;
const FIXED_UNLESS: Unless = [...SINGLE_DOUBLE, ...Array.from({ length: 32 }, (_, s) => ({ sf: 0, scale: s }))];

export const FP: OpSpec[] = [
  // FP data-processing (1 source)
  mov('FMOV_reg', one('000000')),
  dp('FABS', one('000001')),
  dp('FNEG', one('000010')),
  dp('FSQRT', one('000011')),
  // FCVT: source ftype, destination opc (00 single, 01 double, 11 half); a conversion to the same size is unallocated
  cvt('FCVT', '000 11110 ftype:2 1 0001 opc:2 10000 rn:5 rd:5', [
    { ftype: 0b10 }, { opc: 0b10 }, { ftype: 0, opc: 0 }, { ftype: 1, opc: 1 }, { ftype: 3, opc: 3 },
  ]),
  cvt('FRINTN', one('001000')),
  cvt('FRINTP', one('001001')),
  cvt('FRINTM', one('001010')),
  cvt('FRINTZ', one('001011')),
  cvt('FRINTA', one('001100')),
  cvt('FRINTX', one('001110')),
  cvt('FRINTI', one('001111')),
  // FP compare: opc<1> (bit 4) signals quiet NaNs, opc<0> (bit 3) compares with +0.0 (Rm is then ignored)
  cmp('FCMP', '000 11110 ftype:2 1 rm:5 00 1000 rn:5 0 z:1 000'),
  cmp('FCMPE', '000 11110 ftype:2 1 rm:5 00 1000 rn:5 1 z:1 000'),
  // FP conditional compare and select
  cmp('FCCMP', '000 11110 ftype:2 1 rm:5 cond:4 01 rn:5 0 nzcv:4'),
  cmp('FCCMPE', '000 11110 ftype:2 1 rm:5 cond:4 01 rn:5 1 nzcv:4'),
  cmp('FCSEL', '000 11110 ftype:2 1 rm:5 cond:4 11 rn:5 rd:5'),
  // FP data-processing (2 source)
  dp('FMUL', two('0000')),
  dp('FDIV', two('0001')),
  dp('FADD', two('0010')),
  dp('FSUB', two('0011')),
  dp('FMAX', two('0100')),
  dp('FMIN', two('0101')),
  dp('FMAXNM', two('0110')),
  dp('FMINNM', two('0111')),
  dp('FNMUL', two('1000')),
  // FP data-processing (3 source): o1 (bit 21) negates the addend and product, o0 (bit 15) the product
  dp('FMADD', '000 11111 ftype:2 0 rm:5 0 ra:5 rn:5 rd:5'),
  dp('FMSUB', '000 11111 ftype:2 0 rm:5 1 ra:5 rn:5 rd:5'),
  dp('FNMADD', '000 11111 ftype:2 1 rm:5 0 ra:5 rn:5 rd:5'),
  dp('FNMSUB', '000 11111 ftype:2 1 rm:5 1 ra:5 rn:5 rd:5'),
  // FP immediate (imm5 must be zero)
  mov('FMOV_imm', '000 11110 ftype:2 1 imm8:8 100 00000 rd:5'),
  // Conversion between floating-point and fixed-point
  cvt('SCVTF_fix', fixed('00', '010'), FIXED_UNLESS),
  cvt('UCVTF_fix', fixed('00', '011'), FIXED_UNLESS),
  cvt('FCVTZS_fix', fixed('11', '000'), FIXED_UNLESS),
  cvt('FCVTZU_fix', fixed('11', '001'), FIXED_UNLESS),
  // Conversion between floating-point and integer: FCVT<mode><S|U>, SCVTF/UCVTF
  cvt('FCVTNS', int('00', '000')),
  cvt('FCVTNU', int('00', '001')),
  cvt('FCVTPS', int('01', '000')),
  cvt('FCVTPU', int('01', '001')),
  cvt('FCVTMS', int('10', '000')),
  cvt('FCVTMU', int('10', '001')),
  cvt('FCVTZS', int('11', '000')),
  cvt('FCVTZU', int('11', '001')),
  cvt('SCVTF', int('00', '010')),
  cvt('UCVTF', int('00', '011')),
  cvt('FCVTAS', int('00', '100')),
  cvt('FCVTAU', int('00', '101')),
  // FMOV between general and FP registers: W<->S (sf 0, ftype 00), X<->D (sf 1, ftype 01), X<->V.D[1]
  mov('FMOV_to_gen', int('00', '110'), [{ sf: 0, ftype: 1 }, { sf: 1, ftype: 0 }, { ftype: 2 }, { ftype: 3 }]),
  mov('FMOV_from_gen', int('00', '111'), [{ sf: 0, ftype: 1 }, { sf: 1, ftype: 0 }, { ftype: 2 }, { ftype: 3 }]),
  mov('FMOV_to_gen_top', '1 00 11110 10 1 01 110 000000 rn:5 rd:5', []),
  mov('FMOV_from_gen_top', '1 00 11110 10 1 01 111 000000 rn:5 rd:5', []),
];
