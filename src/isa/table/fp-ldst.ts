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
