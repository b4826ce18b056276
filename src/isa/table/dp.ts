// Integer data processing: the "Data Processing -- Immediate" and "Data Processing -- Register" classes of
// the Arm ARM's C4.1 index (FEAT_MTE, FEAT_PAuth, FEAT_FlagM and FEAT_CSSC forms are not implemented, so
// their encodings stay unallocated). The groups split the space the way the handler files do:
//   dp-arith  ADR/ADRP, add/subtract (immediate, shifted register, extended register, with carry)
//   dp-logic  logical (immediate, shifted register), move wide
//   dp-shift  bitfield, extract, variable shifts
//   dp-cond   conditional select, conditional compare
//   dp-muldiv multiply (3 source), divide
//   dp-bits   bit and byte reversal, leading-bit counts, CRC32
// Where a 32-bit form leaves one bit of a field unallocated (imm6<5>, immr<5>, imms<5>), the row is split
// by datasize (`_32`, `_64`): that bit is then a literal in the pattern, and the decoder, not the handler,
// rejects the unallocated words.
import type { OpSpec } from '../encoding.js';

type Unless = Record<string, number>[];
const row = (group: string) => (name: string, pattern: string, unless?: Unless): OpSpec => ({ name, pattern, group, unless });
const arith = row('dp-arith');
const logic = row('dp-logic');
const shift = row('dp-shift');
const cond = row('dp-cond');
const muldiv = row('dp-muldiv');
const bits = row('dp-bits');

// Add/subtract (shifted register): shift type 11 (ROR) is UNDEFINED (Arm ARM C6.2.6)
const NO_ROR: Unless = [{ shift: 3 }];
// Add/subtract (extended register): a left shift above 4 is UNDEFINED (Arm ARM C6.2.4)
const EXT_SHIFT: Unless = [{ imm3: 5 }, { imm3: 6 }, { imm3: 7 }];

/**
 * Logical (immediate): N = 1 is UNDEFINED for 32 bits (Arm ARM C6.2.14), and DecodeBitMasks(immediate =
 * TRUE) (J1.1.3.19) rejects an element of all ones (imms AND levels = levels) and an element size below 2
 * (N:NOT(imms) = 000000x).
 */
const BITMASK: Unless = [
  { sf: 0, N: 1 },
  { N: 1, imms: 0b111111 }, // 64-bit element
  { N: 0, imms: 0b011111 }, // 32
  { N: 0, imms: 0b101111 }, // 16
  { N: 0, imms: 0b110111 }, // 8
  { N: 0, imms: 0b111011 }, // 4
  { N: 0, imms: 0b111101 }, // 2
  { N: 0, imms: 0b111110 }, // len < 1
  { N: 0, imms: 0b111111 },
];
// Move wide: hw<1> = 1 is UNDEFINED for 32 bits (Arm ARM C6.2.284)
const HW32: Unless = [{ sf: 0, hw: 2 }, { sf: 0, hw: 3 }];

export const DP: OpSpec[] = [
  // ---- PC-relative addressing ----
  arith('ADR', '0 immlo:2 10000 immhi:19 rd:5'),
  arith('ADRP', '1 immlo:2 10000 immhi:19 rd:5'),

  // ---- Add/subtract (immediate) ----
  arith('ADD_i', 'sf:1 0 0 100010 sh:1 imm12:12 rn:5 rd:5'),
  arith('ADDS_i', 'sf:1 0 1 100010 sh:1 imm12:12 rn:5 rd:5'),
  arith('SUB_i', 'sf:1 1 0 100010 sh:1 imm12:12 rn:5 rd:5'),
  arith('SUBS_i', 'sf:1 1 1 100010 sh:1 imm12:12 rn:5 rd:5'),

  // ---- Add/subtract (shifted register): imm6<5> = 1 is UNDEFINED for 32 bits (Arm ARM C6.2.6) ----
  arith('ADD_sr_32', '0 0 0 01011 shift:2 0 rm:5 0 imm6:5 rn:5 rd:5', NO_ROR),
  arith('ADD_sr_64', '1 0 0 01011 shift:2 0 rm:5 imm6:6 rn:5 rd:5', NO_ROR),
  arith('ADDS_sr_32', '0 0 1 01011 shift:2 0 rm:5 0 imm6:5 rn:5 rd:5', NO_ROR),
  arith('ADDS_sr_64', '1 0 1 01011 shift:2 0 rm:5 imm6:6 rn:5 rd:5', NO_ROR),
  arith('SUB_sr_32', '0 1 0 01011 shift:2 0 rm:5 0 imm6:5 rn:5 rd:5', NO_ROR),
  arith('SUB_sr_64', '1 1 0 01011 shift:2 0 rm:5 imm6:6 rn:5 rd:5', NO_ROR),
  arith('SUBS_sr_32', '0 1 1 01011 shift:2 0 rm:5 0 imm6:5 rn:5 rd:5', NO_ROR),
  arith('SUBS_sr_64', '1 1 1 01011 shift:2 0 rm:5 imm6:6 rn:5 rd:5', NO_ROR),

  // ---- Add/subtract (extended register): opt != 00 is unallocated ----
  arith('ADD_er', 'sf:1 0 0 01011 00 1 rm:5 option:3 imm3:3 rn:5 rd:5', EXT_SHIFT),
  arith('ADDS_er', 'sf:1 0 1 01011 00 1 rm:5 option:3 imm3:3 rn:5 rd:5', EXT_SHIFT),
  arith('SUB_er', 'sf:1 1 0 01011 00 1 rm:5 option:3 imm3:3 rn:5 rd:5', EXT_SHIFT),
  arith('SUBS_er', 'sf:1 1 1 01011 00 1 rm:5 option:3 imm3:3 rn:5 rd:5', EXT_SHIFT),

  // ---- Add/subtract (with carry) ----
  arith('ADC', 'sf:1 0 0 11010000 rm:5 000000 rn:5 rd:5'),
  arith('ADCS', 'sf:1 0 1 11010000 rm:5 000000 rn:5 rd:5'),
  arith('SBC', 'sf:1 1 0 11010000 rm:5 000000 rn:5 rd:5'),
  arith('SBCS', 'sf:1 1 1 11010000 rm:5 000000 rn:5 rd:5'),

  // ---- Logical (immediate) ----
  logic('AND_i', 'sf:1 00 100100 N:1 immr:6 imms:6 rn:5 rd:5', BITMASK),
  logic('ORR_i', 'sf:1 01 100100 N:1 immr:6 imms:6 rn:5 rd:5', BITMASK),
  logic('EOR_i', 'sf:1 10 100100 N:1 immr:6 imms:6 rn:5 rd:5', BITMASK),
  logic('ANDS_i', 'sf:1 11 100100 N:1 immr:6 imms:6 rn:5 rd:5', BITMASK),

  // ---- Logical (shifted register): imm6<5> = 1 is UNDEFINED for 32 bits (Arm ARM C6.2.15) ----
  logic('AND_sr_32', '0 00 01010 shift:2 0 rm:5 0 imm6:5 rn:5 rd:5'),
  logic('AND_sr_64', '1 00 01010 shift:2 0 rm:5 imm6:6 rn:5 rd:5'),
  logic('BIC_sr_32', '0 00 01010 shift:2 1 rm:5 0 imm6:5 rn:5 rd:5'),
  logic('BIC_sr_64', '1 00 01010 shift:2 1 rm:5 imm6:6 rn:5 rd:5'),
  logic('ORR_sr_32', '0 01 01010 shift:2 0 rm:5 0 imm6:5 rn:5 rd:5'),
  logic('ORR_sr_64', '1 01 01010 shift:2 0 rm:5 imm6:6 rn:5 rd:5'),
  logic('ORN_sr_32', '0 01 01010 shift:2 1 rm:5 0 imm6:5 rn:5 rd:5'),
  logic('ORN_sr_64', '1 01 01010 shift:2 1 rm:5 imm6:6 rn:5 rd:5'),
  logic('EOR_sr_32', '0 10 01010 shift:2 0 rm:5 0 imm6:5 rn:5 rd:5'),
  logic('EOR_sr_64', '1 10 01010 shift:2 0 rm:5 imm6:6 rn:5 rd:5'),
  logic('EON_sr_32', '0 10 01010 shift:2 1 rm:5 0 imm6:5 rn:5 rd:5'),
  logic('EON_sr_64', '1 10 01010 shift:2 1 rm:5 imm6:6 rn:5 rd:5'),
  logic('ANDS_sr_32', '0 11 01010 shift:2 0 rm:5 0 imm6:5 rn:5 rd:5'),
  logic('ANDS_sr_64', '1 11 01010 shift:2 0 rm:5 imm6:6 rn:5 rd:5'),
  logic('BICS_sr_32', '0 11 01010 shift:2 1 rm:5 0 imm6:5 rn:5 rd:5'),
  logic('BICS_sr_64', '1 11 01010 shift:2 1 rm:5 imm6:6 rn:5 rd:5'),

  // ---- Move wide (immediate): opc = 01 is unallocated ----
  logic('MOVN', 'sf:1 00 100101 hw:2 imm16:16 rd:5', HW32),
  logic('MOVZ', 'sf:1 10 100101 hw:2 imm16:16 rd:5', HW32),
  logic('MOVK', 'sf:1 11 100101 hw:2 imm16:16 rd:5', HW32),

  // ---- Bitfield: N must equal sf, immr<5> and imms<5> be 0 for 32 bits (Arm ARM C6.2.354); opc = 11 is
  // unallocated ----
  shift('SBFM_32', '0 00 100110 0 0 immr:5 0 imms:5 rn:5 rd:5'),
  shift('SBFM_64', '1 00 100110 1 immr:6 imms:6 rn:5 rd:5'),
  shift('BFM_32', '0 01 100110 0 0 immr:5 0 imms:5 rn:5 rd:5'),
  shift('BFM_64', '1 01 100110 1 immr:6 imms:6 rn:5 rd:5'),
  shift('UBFM_32', '0 10 100110 0 0 immr:5 0 imms:5 rn:5 rd:5'),
  shift('UBFM_64', '1 10 100110 1 immr:6 imms:6 rn:5 rd:5'),

  // ---- Extract: op21 = 00, o0 = 0; N must equal sf, imms<5> be 0 for 32 bits (Arm ARM C6.2.160) ----
  shift('EXTR_32', '0 00 100111 0 0 rm:5 0 imms:5 rn:5 rd:5'),
  shift('EXTR_64', '1 00 100111 1 0 rm:5 imms:6 rn:5 rd:5'),

  // ---- Data-processing (2 source): variable shifts ----
  shift('LSLV', 'sf:1 0 0 11010110 rm:5 0010 00 rn:5 rd:5'),
  shift('LSRV', 'sf:1 0 0 11010110 rm:5 0010 01 rn:5 rd:5'),
  shift('ASRV', 'sf:1 0 0 11010110 rm:5 0010 10 rn:5 rd:5'),
  shift('RORV', 'sf:1 0 0 11010110 rm:5 0010 11 rn:5 rd:5'),

  // ---- Conditional select ----
  cond('CSEL', 'sf:1 0 0 11010100 rm:5 cond:4 00 rn:5 rd:5'),
  cond('CSINC', 'sf:1 0 0 11010100 rm:5 cond:4 01 rn:5 rd:5'),
  cond('CSINV', 'sf:1 1 0 11010100 rm:5 cond:4 00 rn:5 rd:5'),
  cond('CSNEG', 'sf:1 1 0 11010100 rm:5 cond:4 01 rn:5 rd:5'),

  // ---- Conditional compare (register, immediate): S = 1, o2 = 0, o3 = 0 ----
  cond('CCMN_r', 'sf:1 0 1 11010010 rm:5 cond:4 0 0 rn:5 0 nzcv:4'),
  cond('CCMP_r', 'sf:1 1 1 11010010 rm:5 cond:4 0 0 rn:5 0 nzcv:4'),
  cond('CCMN_i', 'sf:1 0 1 11010010 imm5:5 cond:4 1 0 rn:5 0 nzcv:4'),
  cond('CCMP_i', 'sf:1 1 1 11010010 imm5:5 cond:4 1 0 rn:5 0 nzcv:4'),

  // ---- Data-processing (3 source): the long and high forms are 64-bit only ----
  muldiv('MADD', 'sf:1 00 11011 000 rm:5 0 ra:5 rn:5 rd:5'),
  muldiv('MSUB', 'sf:1 00 11011 000 rm:5 1 ra:5 rn:5 rd:5'),
  muldiv('SMADDL', '1 00 11011 001 rm:5 0 ra:5 rn:5 rd:5'),
  muldiv('SMSUBL', '1 00 11011 001 rm:5 1 ra:5 rn:5 rd:5'),
  // Ra of SMULH/UMULH is (1)(1)(1)(1)(1): other values are CONSTRAINED UNPREDICTABLE, and we ignore the field
  muldiv('SMULH', '1 00 11011 010 rm:5 0 xxxxx rn:5 rd:5'),
  muldiv('UMADDL', '1 00 11011 101 rm:5 0 ra:5 rn:5 rd:5'),
  muldiv('UMSUBL', '1 00 11011 101 rm:5 1 ra:5 rn:5 rd:5'),
  muldiv('UMULH', '1 00 11011 110 rm:5 0 xxxxx rn:5 rd:5'),

  // ---- Data-processing (2 source): divide ----
  muldiv('UDIV', 'sf:1 0 0 11010110 rm:5 0000 10 rn:5 rd:5'),
  muldiv('SDIV', 'sf:1 0 0 11010110 rm:5 0000 11 rn:5 rd:5'),

  // ---- Data-processing (1 source) ----
  bits('RBIT', 'sf:1 1 0 11010110 00000 0000 00 rn:5 rd:5'),
  bits('REV16', 'sf:1 1 0 11010110 00000 0000 01 rn:5 rd:5'),
  // opc = 10 is REV of a word for 32 bits and REV32 for 64; opc = 11 (REV of a doubleword) is 64-bit only
  bits('REV_32', '0 1 0 11010110 00000 0000 10 rn:5 rd:5'),
  bits('REV32', '1 1 0 11010110 00000 0000 10 rn:5 rd:5'),
  bits('REV_64', '1 1 0 11010110 00000 0000 11 rn:5 rd:5'),
  bits('CLZ', 'sf:1 1 0 11010110 00000 0001 00 rn:5 rd:5'),
  bits('CLS', 'sf:1 1 0 11010110 00000 0001 01 rn:5 rd:5'),

  // ---- Data-processing (2 source): CRC32, where sf must be 1 exactly for the doubleword forms (Arm ARM
  // C6.2.135, C6.2.136) ----
  bits('CRC32B', '0 0 0 11010110 rm:5 010 0 00 rn:5 rd:5'),
  bits('CRC32H', '0 0 0 11010110 rm:5 010 0 01 rn:5 rd:5'),
  bits('CRC32W', '0 0 0 11010110 rm:5 010 0 10 rn:5 rd:5'),
  bits('CRC32X', '1 0 0 11010110 rm:5 010 0 11 rn:5 rd:5'),
  bits('CRC32CB', '0 0 0 11010110 rm:5 010 1 00 rn:5 rd:5'),
  bits('CRC32CH', '0 0 0 11010110 rm:5 010 1 01 rn:5 rd:5'),
  bits('CRC32CW', '0 0 0 11010110 rm:5 010 1 10 rn:5 rd:5'),
  bits('CRC32CX', '1 0 0 11010110 rm:5 010 1 11 rn:5 rd:5'),
];
