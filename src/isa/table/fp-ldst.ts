// Loads and stores of SIMD&FP registers (Arm ARM C4.1 "Loads and Stores" with V = 1): LDR/STR of B, H, S,
// D and Q registers in the unsigned-offset, pre-index, post-index, unscaled (LDUR/STUR) and register-offset
// classes, LDR (literal), and LDP/STP/LDNP/STNP of S, D and Q pairs. The access size is `size` (B, H, S,
// D) or Q when opc<1> (`q`) is set, which only size 00 allows; the unprivileged class has no V = 1 form.
import type { OpSpec } from '../encoding.js';

type Unless = Record<string, number>[];
const fp = (name: string, pattern: string, unless?: Unless): OpSpec => ({ name, pattern, group: 'fp-ldst', unless });

// opc<1> = 1 (Q) is allocated only with size = 00
const Q_ONLY_BYTE: Unless = [{ size: 1, q: 1 }, { size: 2, q: 1 }, { size: 3, q: 1 }];
// Register offset: option<1> == 0 is UNDEFINED
const SUBWORD_INDEX: Unless = [{ option: 0b000 }, { option: 0b001 }, { option: 0b100 }, { option: 0b101 }];

function singles(): OpSpec[] {
  const out: OpSpec[] = [];
  for (const [op, l] of [['STR', '0'], ['LDR', '1']] as const) {
    const unscaled = op === 'STR' ? 'STUR_fp' : 'LDUR_fp';
    out.push(fp(`${op}_fp_off`, `size:2 111 1 01 q:1 ${l} imm12:12 rn:5 rt:5`, Q_ONLY_BYTE));
    out.push(fp(`${op}_fp_pre`, `size:2 111 1 00 q:1 ${l} 0 imm9:9 11 rn:5 rt:5`, Q_ONLY_BYTE));
    out.push(fp(`${op}_fp_post`, `size:2 111 1 00 q:1 ${l} 0 imm9:9 01 rn:5 rt:5`, Q_ONLY_BYTE));
    out.push(fp(`${op}_fp_reg`, `size:2 111 1 00 q:1 ${l} 1 rm:5 option:3 s:1 10 rn:5 rt:5`, [...Q_ONLY_BYTE, ...SUBWORD_INDEX]));
    out.push(fp(unscaled, `size:2 111 1 00 q:1 ${l} 0 imm9:9 00 rn:5 rt:5`, Q_ONLY_BYTE));
  }
  return out;
}

// Pairs: opc 00 S, 01 D, 10 Q; 11 is unallocated
const PAIR_OPC: Unless = [{ opc: 3 }];

export const FP_LDST: OpSpec[] = [
  ...singles(),
  fp('LDR_fp_lit', 'opc:2 011 1 00 imm19:19 rt:5', PAIR_OPC),
  fp('STNP_fp', 'opc:2 101 1 000 0 imm7:7 rt2:5 rn:5 rt:5', PAIR_OPC),
  fp('LDNP_fp', 'opc:2 101 1 000 1 imm7:7 rt2:5 rn:5 rt:5', PAIR_OPC),
  fp('STP_fp_post', 'opc:2 101 1 001 0 imm7:7 rt2:5 rn:5 rt:5', PAIR_OPC),
  fp('LDP_fp_post', 'opc:2 101 1 001 1 imm7:7 rt2:5 rn:5 rt:5', PAIR_OPC),
  fp('STP_fp_off', 'opc:2 101 1 010 0 imm7:7 rt2:5 rn:5 rt:5', PAIR_OPC),
  fp('LDP_fp_off', 'opc:2 101 1 010 1 imm7:7 rt2:5 rn:5 rt:5', PAIR_OPC),
  fp('STP_fp_pre', 'opc:2 101 1 011 0 imm7:7 rt2:5 rn:5 rt:5', PAIR_OPC),
  fp('LDP_fp_pre', 'opc:2 101 1 011 1 imm7:7 rt2:5 rn:5 rt:5', PAIR_OPC),
];

// ---- AdvSIMD load/store structures (C4.1 "Advanced SIMD load/store multiple structures", "... single
// structure", and their post-indexed forms; Rm = 31 post-indexes by the bytes transferred) ----

const struct = (name: string, pattern: string, unless?: Unless): OpSpec => ({ name, pattern, group: 'fp-ldst-struct', unless });

/** Multiple structures: the opcode (bits 15:12) of each mnemonic and register count. */
const MULTIPLE: [string, string][] = [
  ['1_1', '0111'], ['1_2', '1010'], ['1_3', '0110'], ['1_4', '0010'], ['2', '1000'], ['3', '0100'], ['4', '0000'],
];

function structures(): OpSpec[] {
  const out: OpSpec[] = [];
  for (const [op, l] of [['ST', '0'], ['LD', '1']] as const) {
    for (const [suffix, opcode] of MULTIPLE) {
      // LD2/LD3/LD4 of 64-bit elements into 64-bit registers is reserved (size:Q = 110)
      const unless = suffix.startsWith('1_') ? undefined : [{ size: 3, q: 0 }];
      out.push(struct(`${op}${suffix}_mult`, `0 q:1 0011000 ${l} 000000 ${opcode} size:2 rn:5 rt:5`, unless));
      out.push(struct(`${op}${suffix}_mult_post`, `0 q:1 0011001 ${l} 0 rm:5 ${opcode} size:2 rn:5 rt:5`, unless));
    }
  }
  // Single structure: opcode<2:1> (op2) selects B, H, or S/D lanes; opcode<0>:R gives the count
  const LANE_UNLESS: Unless = [
    { op2: 1, size: 1 }, { op2: 1, size: 3 }, // H: size<0> must be 0
    { op2: 2, size: 2 }, { op2: 2, size: 3 }, { op2: 2, size: 1, s: 1 }, // S (size 00) or D (size 01, S = 0)
    { op2: 3 }, // replicate, below
  ];
  for (let n = 1; n <= 4; n++) {
    const o0 = (n - 1) >> 1, r = (n - 1) & 1;
    for (const [op, l] of [['ST', '0'], ['LD', '1']] as const) {
      out.push(struct(`${op}${n}_lane`, `0 q:1 0011010 ${l} ${r} 00000 op2:2 ${o0} s:1 size:2 rn:5 rt:5`, LANE_UNLESS));
      out.push(struct(`${op}${n}_lane_post`, `0 q:1 0011011 ${l} ${r} rm:5 op2:2 ${o0} s:1 size:2 rn:5 rt:5`, LANE_UNLESS));
    }
    out.push(struct(`LD${n}R`, `0 q:1 0011010 1 ${r} 00000 11 ${o0} 0 size:2 rn:5 rt:5`));
    out.push(struct(`LD${n}R_post`, `0 q:1 0011011 1 ${r} rm:5 11 ${o0} 0 size:2 rn:5 rt:5`));
  }
  return out;
}

export const FP_LDST_STRUCT: OpSpec[] = structures();
