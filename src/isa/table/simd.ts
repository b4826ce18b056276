// Advanced SIMD integer instructions and the cryptographic extensions: the "Data Processing -- Scalar
// Floating-Point and Advanced SIMD" class of the Arm ARM's C4.1 index, minus its floating-point forms
// (FEAT_FP16, FEAT_DotProd, FEAT_RDM, FEAT_SHA3/SHA512/SM3/SM4 are not implemented, so their encodings
// stay unallocated). One row per instruction form, named `<Arm name>_<form>`:
//   _v vector, _s scalar, _vz/_sz compare with zero, _vi/_si shift by immediate, _ve/_se by element.
// The groups split the space the way the handler files do:
//   simd-same   three same (vector and scalar), incl. bitwise and pairwise
//   simd-diff   three different (long, wide, narrow), vector and scalar
//   simd-misc   two-register miscellaneous, across lanes, scalar pairwise
//   simd-shift  shift by immediate, vector and scalar
//   simd-perm   copy (DUP/INS/UMOV/SMOV), modified immediate, permute, extract, table lookup
//   simd-elem   vector and scalar by element
//   simd-fp     floating point: three same, two-register misc, compares with zero, conversions (to/from
//               integers, fixed point, FCVTN/FCVTL/FCVTXN), estimates and steps (FRECPE, FRSQRTE,
//               FRECPS, FRSQRTS, FRECPX), pairwise, across lanes, by element (FP16 forms stay
//               unallocated: no FEAT_FP16)
//   crypto      AES, SHA1, SHA256
// Reserved size/Q combinations are `unless` clauses, so the decoder, not the handler, rejects them.
import type { OpSpec } from '../encoding.js';

type Unless = Record<string, number>[];
const row = (group: string) => (name: string, pattern: string, unless?: Unless): OpSpec => ({ name, pattern, group, unless });

const bin = (v: number, width: number) => v.toString(2).padStart(width, '0');
const values = (field: string, list: number[]): Unless => list.map((v) => ({ [field]: v }));
const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

// Reserved combinations shared by many rows
const SIZE3: Unless = [{ size: 3 }];
const SIZE3_Q0: Unless = [{ size: 3, Q: 0 }];
const SIZE_HS: Unless = [{ size: 0 }, { size: 3 }]; // only halfwords and words
const ONLY_D: Unless = values('size', [0, 1, 2]);
const ACROSS: Unless = [{ size: 3 }, { size: 2, Q: 0 }];

/** Rows of one encoding class: [name, U, opcode, reserved combinations]. */
type Ops = [string, number, number, Unless?][];

function rows(group: string, suffix: string, pattern: (u: number, opc: string) => string, width: number, ops: Ops): OpSpec[] {
  return ops.map(([name, u, opc, unless]) => row(group)(`${name}_${suffix}`, pattern(u, bin(opc, width)), unless));
}

// ---- Three same (C4.1.95.24 vector, C4.1.95.15 scalar) ----
const SAME_V: Ops = [
  ['SHADD', 0, 0b00000, SIZE3], ['UHADD', 1, 0b00000, SIZE3],
  ['SQADD', 0, 0b00001, SIZE3_Q0], ['UQADD', 1, 0b00001, SIZE3_Q0],
  ['SRHADD', 0, 0b00010, SIZE3], ['URHADD', 1, 0b00010, SIZE3],
  ['SHSUB', 0, 0b00100, SIZE3], ['UHSUB', 1, 0b00100, SIZE3],
  ['SQSUB', 0, 0b00101, SIZE3_Q0], ['UQSUB', 1, 0b00101, SIZE3_Q0],
  ['CMGT', 0, 0b00110, SIZE3_Q0], ['CMHI', 1, 0b00110, SIZE3_Q0],
  ['CMGE', 0, 0b00111, SIZE3_Q0], ['CMHS', 1, 0b00111, SIZE3_Q0],
  ['SSHL', 0, 0b01000, SIZE3_Q0], ['USHL', 1, 0b01000, SIZE3_Q0],
  ['SQSHL', 0, 0b01001, SIZE3_Q0], ['UQSHL', 1, 0b01001, SIZE3_Q0],
  ['SRSHL', 0, 0b01010, SIZE3_Q0], ['URSHL', 1, 0b01010, SIZE3_Q0],
  ['SQRSHL', 0, 0b01011, SIZE3_Q0], ['UQRSHL', 1, 0b01011, SIZE3_Q0],
  ['SMAX', 0, 0b01100, SIZE3], ['UMAX', 1, 0b01100, SIZE3],
  ['SMIN', 0, 0b01101, SIZE3], ['UMIN', 1, 0b01101, SIZE3],
  ['SABD', 0, 0b01110, SIZE3], ['UABD', 1, 0b01110, SIZE3],
  ['SABA', 0, 0b01111, SIZE3], ['UABA', 1, 0b01111, SIZE3],
  ['ADD', 0, 0b10000, SIZE3_Q0], ['SUB', 1, 0b10000, SIZE3_Q0],
  ['CMTST', 0, 0b10001, SIZE3_Q0], ['CMEQ', 1, 0b10001, SIZE3_Q0],
  ['MLA', 0, 0b10010, SIZE3], ['MLS', 1, 0b10010, SIZE3],
  ['MUL', 0, 0b10011, SIZE3], ['PMUL', 1, 0b10011, values('size', [1, 2, 3])],
  ['SMAXP', 0, 0b10100, SIZE3], ['UMAXP', 1, 0b10100, SIZE3],
  ['SMINP', 0, 0b10101, SIZE3], ['UMINP', 1, 0b10101, SIZE3],
  ['SQDMULH', 0, 0b10110, SIZE_HS], ['SQRDMULH', 1, 0b10110, SIZE_HS],
  ['ADDP', 0, 0b10111, SIZE3_Q0],
];
const SAME_S: Ops = [
  ['SQADD', 0, 0b00001], ['UQADD', 1, 0b00001], ['SQSUB', 0, 0b00101], ['UQSUB', 1, 0b00101],
  ['CMGT', 0, 0b00110, ONLY_D], ['CMHI', 1, 0b00110, ONLY_D], ['CMGE', 0, 0b00111, ONLY_D], ['CMHS', 1, 0b00111, ONLY_D],
  ['SSHL', 0, 0b01000, ONLY_D], ['USHL', 1, 0b01000, ONLY_D], ['SQSHL', 0, 0b01001], ['UQSHL', 1, 0b01001],
  ['SRSHL', 0, 0b01010, ONLY_D], ['URSHL', 1, 0b01010, ONLY_D], ['SQRSHL', 0, 0b01011], ['UQRSHL', 1, 0b01011],
  ['ADD', 0, 0b10000, ONLY_D], ['SUB', 1, 0b10000, ONLY_D], ['CMTST', 0, 0b10001, ONLY_D], ['CMEQ', 1, 0b10001, ONLY_D],
  ['SQDMULH', 0, 0b10110, SIZE_HS], ['SQRDMULH', 1, 0b10110, SIZE_HS],
];
// Bitwise three same: opcode 00011, size selects the operation
const LOGIC: [string, number, number][] = [
  ['AND', 0, 0], ['BIC', 0, 1], ['ORR', 0, 2], ['ORN', 0, 3], ['EOR', 1, 0], ['BSL', 1, 1], ['BIT', 1, 2], ['BIF', 1, 3],
];

// ---- Three different (C4.1.95.23 vector, C4.1.95.14 scalar) ----
const DIFF_V: Ops = [
  ['SADDL', 0, 0b0000, SIZE3], ['UADDL', 1, 0b0000, SIZE3], ['SADDW', 0, 0b0001, SIZE3], ['UADDW', 1, 0b0001, SIZE3],
  ['SSUBL', 0, 0b0010, SIZE3], ['USUBL', 1, 0b0010, SIZE3], ['SSUBW', 0, 0b0011, SIZE3], ['USUBW', 1, 0b0011, SIZE3],
  ['ADDHN', 0, 0b0100, SIZE3], ['RADDHN', 1, 0b0100, SIZE3], ['SABAL', 0, 0b0101, SIZE3], ['UABAL', 1, 0b0101, SIZE3],
  ['SUBHN', 0, 0b0110, SIZE3], ['RSUBHN', 1, 0b0110, SIZE3], ['SABDL', 0, 0b0111, SIZE3], ['UABDL', 1, 0b0111, SIZE3],
  ['SMLAL', 0, 0b1000, SIZE3], ['UMLAL', 1, 0b1000, SIZE3], ['SQDMLAL', 0, 0b1001, SIZE_HS],
  ['SMLSL', 0, 0b1010, SIZE3], ['UMLSL', 1, 0b1010, SIZE3], ['SQDMLSL', 0, 0b1011, SIZE_HS],
  ['SMULL', 0, 0b1100, SIZE3], ['UMULL', 1, 0b1100, SIZE3], ['SQDMULL', 0, 0b1101, SIZE_HS],
  // 64-bit polynomial multiply (size 11) is FEAT_PMULL, reported in ID_AA64ISAR0_EL1.AES
  ['PMULL', 0, 0b1110, values('size', [1, 2])],
];
const DIFF_S: Ops = [['SQDMLAL', 0, 0b1001, SIZE_HS], ['SQDMLSL', 0, 0b1011, SIZE_HS], ['SQDMULL', 0, 0b1101, SIZE_HS]];

// ---- Two-register miscellaneous (C4.1.95.21 vector, C4.1.95.12 scalar) ----
const MISC_V: Ops = [
  ['REV64', 0, 0b00000, SIZE3], ['REV32', 1, 0b00000, values('size', [2, 3])], ['REV16', 0, 0b00001, values('size', [1, 2, 3])],
  ['SADDLP', 0, 0b00010, SIZE3], ['UADDLP', 1, 0b00010, SIZE3],
  ['SUQADD', 0, 0b00011, SIZE3_Q0], ['USQADD', 1, 0b00011, SIZE3_Q0],
  ['CLS', 0, 0b00100, SIZE3], ['CLZ', 1, 0b00100, SIZE3], ['CNT', 0, 0b00101, values('size', [1, 2, 3])],
  ['SADALP', 0, 0b00110, SIZE3], ['UADALP', 1, 0b00110, SIZE3],
  ['SQABS', 0, 0b00111, SIZE3_Q0], ['SQNEG', 1, 0b00111, SIZE3_Q0],
  ['CMGT', 0, 0b01000, SIZE3_Q0], ['CMGE', 1, 0b01000, SIZE3_Q0], ['CMEQ', 0, 0b01001, SIZE3_Q0], ['CMLE', 1, 0b01001, SIZE3_Q0],
  ['CMLT', 0, 0b01010, SIZE3_Q0], ['ABS', 0, 0b01011, SIZE3_Q0], ['NEG', 1, 0b01011, SIZE3_Q0],
  ['XTN', 0, 0b10010, SIZE3], ['SQXTUN', 1, 0b10010, SIZE3], ['SHLL', 1, 0b10011, SIZE3],
  ['SQXTN', 0, 0b10100, SIZE3], ['UQXTN', 1, 0b10100, SIZE3],
];
const MISC_S: Ops = [
  ['SUQADD', 0, 0b00011], ['USQADD', 1, 0b00011], ['SQABS', 0, 0b00111], ['SQNEG', 1, 0b00111],
  ['CMGT', 0, 0b01000, ONLY_D], ['CMGE', 1, 0b01000, ONLY_D], ['CMEQ', 0, 0b01001, ONLY_D], ['CMLE', 1, 0b01001, ONLY_D],
  ['CMLT', 0, 0b01010, ONLY_D], ['ABS', 0, 0b01011, ONLY_D], ['NEG', 1, 0b01011, ONLY_D],
  ['SQXTUN', 1, 0b10010, SIZE3], ['SQXTN', 0, 0b10100, SIZE3], ['UQXTN', 1, 0b10100, SIZE3],
];
// Across lanes (C4.1.95.20)
const ACROSS_V: Ops = [
  ['SADDLV', 0, 0b00011, ACROSS], ['UADDLV', 1, 0b00011, ACROSS], ['SMAXV', 0, 0b01010, ACROSS], ['UMAXV', 1, 0b01010, ACROSS],
  ['SMINV', 0, 0b11010, ACROSS], ['UMINV', 1, 0b11010, ACROSS], ['ADDV', 0, 0b11011, ACROSS],
];

// ---- Shift by immediate (C4.1.95.22 vector, C4.1.95.13 scalar): immh = 0000 is modified immediate ----
const IMMH_WIDE_Q0: Unless = [{ immh: 0 }, ...range(8, 15).map((v) => ({ immh: v, Q: 0 }))];
const IMMH_NARROW: Unless = [{ immh: 0 }, ...values('immh', range(8, 15))];
const IMMH_D: Unless = values('immh', range(0, 7));
const IMMH_ANY: Unless = [{ immh: 0 }];
const SHIFT_V: Ops = [
  ['SSHR', 0, 0b00000, IMMH_WIDE_Q0], ['USHR', 1, 0b00000, IMMH_WIDE_Q0], ['SSRA', 0, 0b00010, IMMH_WIDE_Q0], ['USRA', 1, 0b00010, IMMH_WIDE_Q0],
  ['SRSHR', 0, 0b00100, IMMH_WIDE_Q0], ['URSHR', 1, 0b00100, IMMH_WIDE_Q0], ['SRSRA', 0, 0b00110, IMMH_WIDE_Q0], ['URSRA', 1, 0b00110, IMMH_WIDE_Q0],
  ['SRI', 1, 0b01000, IMMH_WIDE_Q0], ['SHL', 0, 0b01010, IMMH_WIDE_Q0], ['SLI', 1, 0b01010, IMMH_WIDE_Q0],
  ['SQSHLU', 1, 0b01100, IMMH_WIDE_Q0], ['SQSHL', 0, 0b01110, IMMH_WIDE_Q0], ['UQSHL', 1, 0b01110, IMMH_WIDE_Q0],
  ['SHRN', 0, 0b10000, IMMH_NARROW], ['SQSHRUN', 1, 0b10000, IMMH_NARROW], ['RSHRN', 0, 0b10001, IMMH_NARROW], ['SQRSHRUN', 1, 0b10001, IMMH_NARROW],
  ['SQSHRN', 0, 0b10010, IMMH_NARROW], ['UQSHRN', 1, 0b10010, IMMH_NARROW], ['SQRSHRN', 0, 0b10011, IMMH_NARROW], ['UQRSHRN', 1, 0b10011, IMMH_NARROW],
  ['SSHLL', 0, 0b10100, IMMH_NARROW], ['USHLL', 1, 0b10100, IMMH_NARROW],
];
const SHIFT_S: Ops = [
  ['SSHR', 0, 0b00000, IMMH_D], ['USHR', 1, 0b00000, IMMH_D], ['SSRA', 0, 0b00010, IMMH_D], ['USRA', 1, 0b00010, IMMH_D],
  ['SRSHR', 0, 0b00100, IMMH_D], ['URSHR', 1, 0b00100, IMMH_D], ['SRSRA', 0, 0b00110, IMMH_D], ['URSRA', 1, 0b00110, IMMH_D],
  ['SRI', 1, 0b01000, IMMH_D], ['SHL', 0, 0b01010, IMMH_D], ['SLI', 1, 0b01010, IMMH_D],
  ['SQSHLU', 1, 0b01100, IMMH_ANY], ['SQSHL', 0, 0b01110, IMMH_ANY], ['UQSHL', 1, 0b01110, IMMH_ANY],
  ['SQSHRUN', 1, 0b10000, IMMH_NARROW], ['SQRSHRUN', 1, 0b10001, IMMH_NARROW],
  ['SQSHRN', 0, 0b10010, IMMH_NARROW], ['UQSHRN', 1, 0b10010, IMMH_NARROW], ['SQRSHRN', 0, 0b10011, IMMH_NARROW], ['UQRSHRN', 1, 0b10011, IMMH_NARROW],
];

// ---- By element (C4.1.95.25 vector, C4.1.95.16 scalar): size 01 indexes H:L:M with Vm in V0-V15 ----
const ELEM_V: Ops = [
  ['MLA', 1, 0b0000, SIZE_HS], ['SMLAL', 0, 0b0010, SIZE_HS], ['UMLAL', 1, 0b0010, SIZE_HS], ['SQDMLAL', 0, 0b0011, SIZE_HS],
  ['MLS', 1, 0b0100, SIZE_HS], ['SMLSL', 0, 0b0110, SIZE_HS], ['UMLSL', 1, 0b0110, SIZE_HS], ['SQDMLSL', 0, 0b0111, SIZE_HS],
  ['MUL', 0, 0b1000, SIZE_HS], ['SMULL', 0, 0b1010, SIZE_HS], ['UMULL', 1, 0b1010, SIZE_HS], ['SQDMULL', 0, 0b1011, SIZE_HS],
  ['SQDMULH', 0, 0b1100, SIZE_HS], ['SQRDMULH', 0, 0b1101, SIZE_HS],
];
const ELEM_S: Ops = [
  ['SQDMLAL', 0, 0b0011, SIZE_HS], ['SQDMLSL', 0, 0b0111, SIZE_HS], ['SQDMULL', 0, 0b1011, SIZE_HS],
  ['SQDMULH', 0, 0b1100, SIZE_HS], ['SQRDMULH', 0, 0b1101, SIZE_HS],
];

// ---- Copy (C4.1.95.3, C4.1.95.8): imm5 = x0000 is reserved; a D element needs Q = 1 ----
const IMM5_NONE = [0, 16];
const IMM5_D = [8, 24];
const IMM5_S = [4, 12, 20, 28];
const perm = row('simd-perm');
const COPY: OpSpec[] = [
  perm('DUP_ve', '0 Q:1 0 01110000 imm5:5 0 0000 1 rn:5 rd:5', [...values('imm5', IMM5_NONE), ...IMM5_D.map((v) => ({ imm5: v, Q: 0 }))]),
  perm('DUP_vg', '0 Q:1 0 01110000 imm5:5 0 0001 1 rn:5 rd:5', [...values('imm5', IMM5_NONE), ...IMM5_D.map((v) => ({ imm5: v, Q: 0 }))]),
  perm('SMOV_w', '0 0 0 01110000 imm5:5 0 0101 1 rn:5 rd:5', values('imm5', [...IMM5_NONE, ...IMM5_D, ...IMM5_S])),
  perm('SMOV_x', '0 1 0 01110000 imm5:5 0 0101 1 rn:5 rd:5', values('imm5', [...IMM5_NONE, ...IMM5_D])),
  perm('UMOV_w', '0 0 0 01110000 imm5:5 0 0111 1 rn:5 rd:5', values('imm5', [...IMM5_NONE, ...IMM5_D])),
  perm('UMOV_x', '0 1 0 01110000 index:1 1000 0 0111 1 rn:5 rd:5'),
  perm('INS_g', '0 1 0 01110000 imm5:5 0 0011 1 rn:5 rd:5', values('imm5', IMM5_NONE)),
  perm('INS_e', '0 1 1 01110000 imm5:5 0 imm4:4 1 rn:5 rd:5', values('imm5', IMM5_NONE)),
  perm('DUP_se', '01 0 11110000 imm5:5 0 0000 1 rn:5 rd:5', values('imm5', IMM5_NONE)),
];

// ---- Modified immediate (C4.1.95.19): cmode:op picks the operation (C7.2 MOVI, MVNI, ORR, BIC, FMOV) ----
const ODD_CMODES = [1, 3, 5, 7, 9, 11];
const EVEN_CMODES = [0, 2, 4, 6, 8, 10];
const MODIMM = (op: number) => `0 Q:1 ${op} 0111100000 abc:3 cmode:4 0 1 defgh:5 rd:5`;
const MOD_IMM: OpSpec[] = [
  perm('ORR_vi', MODIMM(0), values('cmode', [...EVEN_CMODES, 12, 13, 14, 15])),
  perm('BIC_vi', MODIMM(1), values('cmode', [...EVEN_CMODES, 12, 13, 14, 15])),
  perm('MOVI_vi', MODIMM(0), values('cmode', [...ODD_CMODES, 15])),
  perm('MVNI_vi', MODIMM(1), values('cmode', [...ODD_CMODES, 14, 15])),
  perm('MOVI_d', '0 Q:1 1 0111100000 abc:3 1110 0 1 defgh:5 rd:5'),
  perm('FMOV_vs', '0 Q:1 0 0111100000 abc:3 1111 0 1 defgh:5 rd:5'),
  perm('FMOV_vd', '0 1 1 0111100000 abc:3 1111 0 1 defgh:5 rd:5'),
];

// ---- Permute, extract, table lookup (C4.1.95.6, C4.1.95.4, C4.1.95.5) ----
const PERMUTE: OpSpec[] = [
  ...([['UZP1', 1], ['TRN1', 2], ['ZIP1', 3], ['UZP2', 5], ['TRN2', 6], ['ZIP2', 7]] as [string, number][]).map(([name, opc]) =>
    perm(`${name}_v`, `0 Q:1 001110 size:2 0 rm:5 0 ${bin(opc, 3)} 10 rn:5 rd:5`, SIZE3_Q0)),
  perm('EXT_v', '0 Q:1 101110 00 0 rm:5 0 imm4:4 0 rn:5 rd:5', range(8, 15).map((v) => ({ Q: 0, imm4: v }))),
  perm('TBL_v', '0 Q:1 001110 00 0 rm:5 0 len:2 0 00 rn:5 rd:5'),
  perm('TBX_v', '0 Q:1 001110 00 0 rm:5 0 len:2 1 00 rn:5 rd:5'),
];

// ---- Cryptographic AES (C4.1.95.1), three-register SHA (C4.1.95.2), two-register SHA (C4.1.95.3) ----
const crypto = row('crypto');
const CRYPTO: OpSpec[] = [
  crypto('AESE', '01001110 00 10100 00100 10 rn:5 rd:5'),
  crypto('AESD', '01001110 00 10100 00101 10 rn:5 rd:5'),
  crypto('AESMC', '01001110 00 10100 00110 10 rn:5 rd:5'),
  crypto('AESIMC', '01001110 00 10100 00111 10 rn:5 rd:5'),
  ...['SHA1C', 'SHA1P', 'SHA1M', 'SHA1SU0', 'SHA256H', 'SHA256H2', 'SHA256SU1'].map((name, opc) =>
    crypto(name, `01011110 00 0 rm:5 0 ${bin(opc, 3)} 00 rn:5 rd:5`)),
  crypto('SHA1H', '01011110 00 10100 00000 10 rn:5 rd:5'),
  crypto('SHA1SU1', '01011110 00 10100 00001 10 rn:5 rd:5'),
  crypto('SHA256SU0', '01011110 00 10100 00010 10 rn:5 rd:5'),
];

// ---- Floating point (single sz = 0, double sz = 1; a double vector needs Q = 1) ----
type FpOps = [string, number, number, number][]; // name, U, a (bit 23), opcode
const FP_Q: Unless = [{ Q: 0, sz: 1 }];
const FP_SAME: FpOps = [
  ['FMAXNM', 0, 0, 0b11000], ['FMLA', 0, 0, 0b11001], ['FADD', 0, 0, 0b11010], ['FMULX', 0, 0, 0b11011],
  ['FCMEQ', 0, 0, 0b11100], ['FMAX', 0, 0, 0b11110], ['FRECPS', 0, 0, 0b11111],
  ['FMINNM', 0, 1, 0b11000], ['FMLS', 0, 1, 0b11001], ['FSUB', 0, 1, 0b11010], ['FMIN', 0, 1, 0b11110], ['FRSQRTS', 0, 1, 0b11111],
  ['FMAXNMP', 1, 0, 0b11000], ['FADDP', 1, 0, 0b11010], ['FMUL', 1, 0, 0b11011], ['FCMGE', 1, 0, 0b11100],
  ['FACGE', 1, 0, 0b11101], ['FMAXP', 1, 0, 0b11110], ['FDIV', 1, 0, 0b11111],
  ['FMINNMP', 1, 1, 0b11000], ['FABD', 1, 1, 0b11010], ['FCMGT', 1, 1, 0b11100], ['FACGT', 1, 1, 0b11101], ['FMINP', 1, 1, 0b11110],
];
const FP_SAME_SCALAR = ['FMULX', 'FCMEQ', 'FRECPS', 'FRSQRTS', 'FCMGE', 'FACGE', 'FABD', 'FCMGT', 'FACGT'];
const FP_MISC: FpOps = [
  ['FRINTN', 0, 0, 0b11000], ['FRINTM', 0, 0, 0b11001], ['FCVTNS', 0, 0, 0b11010], ['FCVTMS', 0, 0, 0b11011],
  ['FCVTAS', 0, 0, 0b11100], ['SCVTF', 0, 0, 0b11101],
  ['FRINTP', 0, 1, 0b11000], ['FRINTZ', 0, 1, 0b11001], ['FCVTPS', 0, 1, 0b11010], ['FCVTZS', 0, 1, 0b11011],
  ['FRECPE', 0, 1, 0b11101],
  ['FRINTA', 1, 0, 0b11000], ['FRINTX', 1, 0, 0b11001], ['FCVTNU', 1, 0, 0b11010], ['FCVTMU', 1, 0, 0b11011],
  ['FCVTAU', 1, 0, 0b11100], ['UCVTF', 1, 0, 0b11101],
  ['FRINTI', 1, 1, 0b11001], ['FCVTPU', 1, 1, 0b11010], ['FCVTZU', 1, 1, 0b11011], ['FRSQRTE', 1, 1, 0b11101], ['FSQRT', 1, 1, 0b11111],
];
const FP_MISC_SCALAR = ['FCVTNS', 'FCVTMS', 'FCVTAS', 'SCVTF', 'FCVTPS', 'FCVTZS', 'FCVTNU', 'FCVTMU', 'FCVTAU', 'UCVTF', 'FCVTPU', 'FCVTZU', 'FRECPE', 'FRSQRTE'];
const FP_CMP_ZERO: FpOps = [
  ['FCMGT', 0, 1, 0b01100], ['FCMEQ', 0, 1, 0b01101], ['FCMLT', 0, 1, 0b01110], ['FCMGE', 1, 1, 0b01100], ['FCMLE', 1, 1, 0b01101],
];
const FP_PAIR_SCALAR: FpOps = [
  ['FMAXNMP', 1, 0, 0b01100], ['FADDP', 1, 0, 0b01101], ['FMAXP', 1, 0, 0b01111], ['FMINNMP', 1, 1, 0b01100], ['FMINP', 1, 1, 0b01111],
];
const FP_ACROSS: FpOps = [['FMAXNMV', 1, 0, 0b01100], ['FMAXV', 1, 0, 0b01111], ['FMINNMV', 1, 1, 0b01100], ['FMINV', 1, 1, 0b01111]];
const FP_ELEM: FpOps = [['FMLA', 0, 0, 0b0001], ['FMLS', 0, 0, 0b0101], ['FMUL', 0, 0, 0b1001], ['FMULX', 1, 0, 0b1001]];
// Fixed-point conversions by immediate: immh 01xx single, 1xxx double; 001x is half (no FEAT_FP16)
const FIXED_V: Unless = [...values('immh', [0, 1, 2, 3]), ...range(8, 15).map((v) => ({ immh: v, Q: 0 }))];
const FIXED_S: Unless = values('immh', [0, 1, 2, 3]);
const FP_FIXED: [string, number, number][] = [['SCVTF', 0, 0b11100], ['UCVTF', 1, 0b11100], ['FCVTZS', 0, 0b11111], ['FCVTZU', 1, 0b11111]];
const fp = row('simd-fp');
const SIMD_FP: OpSpec[] = [
  ...FP_SAME.map(([n, u, a, o]) => fp(`${n}_v`, `0 Q:1 ${u} 01110 ${a} sz:1 1 rm:5 ${bin(o, 5)} 1 rn:5 rd:5`, FP_Q)),
  ...FP_SAME.filter(([n]) => FP_SAME_SCALAR.includes(n)).map(([n, u, a, o]) => fp(`${n}_s`, `01 ${u} 11110 ${a} sz:1 1 rm:5 ${bin(o, 5)} 1 rn:5 rd:5`)),
  ...FP_MISC.map(([n, u, a, o]) => fp(`${n}_v`, `0 Q:1 ${u} 01110 ${a} sz:1 10000 ${bin(o, 5)} 10 rn:5 rd:5`, FP_Q)),
  ...FP_MISC.filter(([n]) => FP_MISC_SCALAR.includes(n)).map(([n, u, a, o]) => fp(`${n}_s`, `01 ${u} 11110 ${a} sz:1 10000 ${bin(o, 5)} 10 rn:5 rd:5`)),
  ...FP_CMP_ZERO.map(([n, u, a, o]) => fp(`${n}_vz`, `0 Q:1 ${u} 01110 ${a} sz:1 10000 ${bin(o, 5)} 10 rn:5 rd:5`, FP_Q)),
  ...FP_CMP_ZERO.map(([n, u, a, o]) => fp(`${n}_sz`, `01 ${u} 11110 ${a} sz:1 10000 ${bin(o, 5)} 10 rn:5 rd:5`)),
  fp('FCVTN_v', '0 Q:1 0 01110 0 sz:1 10000 10110 10 rn:5 rd:5'),
  fp('FCVTL_v', '0 Q:1 0 01110 0 sz:1 10000 10111 10 rn:5 rd:5'),
  // FCVTXN: double to single only (sz = 0 is reserved)
  fp('FCVTXN_v', '0 Q:1 1 01110 0 1 10000 10110 10 rn:5 rd:5'),
  fp('FCVTXN_s', '01 1 11110 0 1 10000 10110 10 rn:5 rd:5'),
  fp('FRECPX_s', '01 0 11110 1 sz:1 10000 11111 10 rn:5 rd:5'),
  ...FP_PAIR_SCALAR.map(([n, u, a, o]) => fp(`${n}_sp`, `01 ${u} 11110 ${a} sz:1 11000 ${bin(o, 5)} 10 rn:5 rd:5`)),
  ...FP_ACROSS.map(([n, u, a, o]) => fp(`${n}_v`, `0 1 ${u} 01110 ${a} 0 11000 ${bin(o, 5)} 10 rn:5 rd:5`)),
  ...FP_ELEM.map(([n, u, , o]) => fp(`${n}_ve`, `0 Q:1 ${u} 01111 1 sz:1 L:1 M:1 rm:4 ${bin(o, 4)} H:1 0 rn:5 rd:5`, [{ Q: 0, sz: 1 }, { sz: 1, L: 1 }])),
  ...FP_ELEM.map(([n, u, , o]) => fp(`${n}_se`, `01 ${u} 11111 1 sz:1 L:1 M:1 rm:4 ${bin(o, 4)} H:1 0 rn:5 rd:5`, [{ sz: 1, L: 1 }])),
  ...FP_FIXED.map(([n, u, o]) => fp(`${n}_vfix`, `0 Q:1 ${u} 011110 immh:4 immb:3 ${bin(o, 5)} 1 rn:5 rd:5`, FIXED_V)),
  ...FP_FIXED.map(([n, u, o]) => fp(`${n}_sfix`, `01 ${u} 111110 immh:4 immb:3 ${bin(o, 5)} 1 rn:5 rd:5`, FIXED_S)),
];

export const SIMD: OpSpec[] = [
  ...rows('simd-same', 'v', (u, o) => `0 Q:1 ${u} 01110 size:2 1 rm:5 ${o} 1 rn:5 rd:5`, 5, SAME_V),
  ...LOGIC.map(([name, u, size]) => row('simd-same')(`${name}_v`, `0 Q:1 ${u} 01110 ${bin(size, 2)} 1 rm:5 00011 1 rn:5 rd:5`)),
  ...rows('simd-same', 's', (u, o) => `01 ${u} 11110 size:2 1 rm:5 ${o} 1 rn:5 rd:5`, 5, SAME_S),
  ...rows('simd-diff', 'v', (u, o) => `0 Q:1 ${u} 01110 size:2 1 rm:5 ${o} 00 rn:5 rd:5`, 4, DIFF_V),
  ...rows('simd-diff', 's', (u, o) => `01 ${u} 11110 size:2 1 rm:5 ${o} 00 rn:5 rd:5`, 4, DIFF_S),
  ...rows('simd-misc', 'v', (u, o) => `0 Q:1 ${u} 01110 size:2 10000 ${o} 10 rn:5 rd:5`, 5, MISC_V.filter(([n]) => !n.startsWith('CM'))),
  ...rows('simd-misc', 'vz', (u, o) => `0 Q:1 ${u} 01110 size:2 10000 ${o} 10 rn:5 rd:5`, 5, MISC_V.filter(([n]) => n.startsWith('CM'))),
  row('simd-misc')('NOT_v', '0 Q:1 1 01110 00 10000 00101 10 rn:5 rd:5'),
  row('simd-misc')('RBIT_v', '0 Q:1 1 01110 01 10000 00101 10 rn:5 rd:5'),
  // Only 32-bit lanes (sz = 1 is unallocated)
  row('simd-misc')('URECPE_v', '0 Q:1 0 01110 10 10000 11100 10 rn:5 rd:5'),
  row('simd-misc')('URSQRTE_v', '0 Q:1 1 01110 10 10000 11100 10 rn:5 rd:5'),
  // Sign-bit operations on FP lanes (no FEAT_AFP, so NaNs are not special): a D lane needs Q = 1
  row('simd-misc')('FABS_v', '0 Q:1 0 01110 1 sz:1 10000 01111 10 rn:5 rd:5', [{ Q: 0, sz: 1 }]),
  row('simd-misc')('FNEG_v', '0 Q:1 1 01110 1 sz:1 10000 01111 10 rn:5 rd:5', [{ Q: 0, sz: 1 }]),
  ...rows('simd-misc', 's', (u, o) => `01 ${u} 11110 size:2 10000 ${o} 10 rn:5 rd:5`, 5, MISC_S.filter(([n]) => !n.startsWith('CM'))),
  ...rows('simd-misc', 'sz', (u, o) => `01 ${u} 11110 size:2 10000 ${o} 10 rn:5 rd:5`, 5, MISC_S.filter(([n]) => n.startsWith('CM'))),
  ...rows('simd-misc', 'v', (u, o) => `0 Q:1 ${u} 01110 size:2 11000 ${o} 10 rn:5 rd:5`, 5, ACROSS_V),
  row('simd-misc')('ADDP_s', '01 0 11110 11 11000 11011 10 rn:5 rd:5'),
  ...rows('simd-shift', 'vi', (u, o) => `0 Q:1 ${u} 011110 immh:4 immb:3 ${o} 1 rn:5 rd:5`, 5, SHIFT_V),
  ...rows('simd-shift', 'si', (u, o) => `01 ${u} 111110 immh:4 immb:3 ${o} 1 rn:5 rd:5`, 5, SHIFT_S),
  ...rows('simd-elem', 've', (u, o) => `0 Q:1 ${u} 01111 size:2 L:1 M:1 rm:4 ${o} H:1 0 rn:5 rd:5`, 4, ELEM_V),
  ...rows('simd-elem', 'se', (u, o) => `01 ${u} 11111 size:2 L:1 M:1 rm:4 ${o} H:1 0 rn:5 rd:5`, 4, ELEM_S),
  ...COPY,
  ...MOD_IMM,
  ...PERMUTE,
  ...SIMD_FP,
  ...CRYPTO,
];
