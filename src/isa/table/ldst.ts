// Loads and stores of general-purpose registers (Arm ARM C4.1 "Loads and Stores"): single registers in
// every addressing mode, pairs, exclusives and load-acquire/store-release, and the FEAT_LSE atomics.
// One row per instruction page of C6.2 and addressing class; a 1-bit field selects the page's 32-bit or
// 64-bit variant where that is all that differs. Every V=1 (SIMD&FP) encoding is left out, as are the
// features the core does not report (LRCPC's LDAPR*, LOR's LDLAR/STLLR, MTE, PAuth, MOPS, LS64, RCW, LSUI,
// GCS): those words match no row and are UNDEFINED.
import type { OpSpec } from '../encoding.js';

type Unless = Record<string, number>[];
const ldst = (name: string, pattern: string, unless?: Unless): OpSpec => ({ name, pattern, group: 'ldst', unless });
const pair = (name: string, pattern: string): OpSpec => ({ name, pattern, group: 'ldst-pair' });
const excl = (name: string, pattern: string): OpSpec => ({ name, pattern, group: 'ldst-excl' });
const atomic = (name: string, pattern: string): OpSpec => ({ name, pattern, group: 'atomic' });

/**
 * The single-register forms that share the size:opc layout of the immediate and register classes:
 * size and opc bits as they appear in bits 31:30 and 23:22 ('s' = the 32/64 `sz` field, 'o' = `opc0`,
 * LDRSB/LDRSH's 64-bit (0) or 32-bit (1) variant).
 */
const SINGLE: { name: string; size: string; opc: string; unpriv: string; unscaled: string }[] = [
  { name: 'STRB', size: '00', opc: '00', unpriv: 'STTRB', unscaled: 'STURB' },
  { name: 'LDRB', size: '00', opc: '01', unpriv: 'LDTRB', unscaled: 'LDURB' },
  { name: 'LDRSB', size: '00', opc: '1o', unpriv: 'LDTRSB', unscaled: 'LDURSB' },
  { name: 'STRH', size: '01', opc: '00', unpriv: 'STTRH', unscaled: 'STURH' },
  { name: 'LDRH', size: '01', opc: '01', unpriv: 'LDTRH', unscaled: 'LDURH' },
  { name: 'LDRSH', size: '01', opc: '1o', unpriv: 'LDTRSH', unscaled: 'LDURSH' },
  { name: 'STR', size: '1s', opc: '00', unpriv: 'STTR', unscaled: 'STUR' },
  { name: 'LDR', size: '1s', opc: '01', unpriv: 'LDTR', unscaled: 'LDUR' },
  { name: 'LDRSW', size: '10', opc: '10', unpriv: 'LDTRSW', unscaled: 'LDURSW' },
];

/** Spells 's'/'o' as the fields `sz:1`/`opc0:1` in a pattern. */
const bits = (b: string) => b.replace(/^1s$/, '1 sz:1').replace(/^1o$/, '1 opc0:1');

// Register offset: option<1> == 0 is UNDEFINED (C6.2.217 LDR (register) decode), for PRFM too
const SUBWORD_INDEX: Unless = [{ option: 0b000 }, { option: 0b001 }, { option: 0b100 }, { option: 0b101 }];

function singles(): OpSpec[] {
  const out: OpSpec[] = [];
  for (const { name, size, opc, unpriv, unscaled } of SINGLE) {
    const head = `${bits(size)} 111 0`;
    out.push(ldst(`${name}_off`, `${head} 01 ${bits(opc)} imm12:12 rn:5 rt:5`));
    out.push(ldst(`${name}_pre`, `${head} 00 ${bits(opc)} 0 imm9:9 11 rn:5 rt:5`));
    out.push(ldst(`${name}_post`, `${head} 00 ${bits(opc)} 0 imm9:9 01 rn:5 rt:5`));
    out.push(ldst(`${name}_reg`, `${head} 00 ${bits(opc)} 1 rm:5 option:3 s:1 10 rn:5 rt:5`, SUBWORD_INDEX));
    out.push(ldst(unscaled, `${head} 00 ${bits(opc)} 0 imm9:9 00 rn:5 rt:5`));
    out.push(ldst(unpriv, `${head} 00 ${bits(opc)} 0 imm9:9 10 rn:5 rt:5`));
  }
  return out;
}

export const LDST: OpSpec[] = [
  ...singles(),
  // Prefetch: size=11 opc=10 of the unsigned-offset, register-offset and unscaled classes (no pre/post).
  // Every prfop is allocated; those without a defined operation, including FEAT_RPRFM's, are NOPs.
  ldst('PRFM_off', '11 111 0 01 10 imm12:12 rn:5 rt:5'),
  ldst('PRFM_reg', '11 111 0 00 10 1 rm:5 option:3 s:1 10 rn:5 rt:5', SUBWORD_INDEX),
  ldst('PRFUM', '11 111 0 00 10 0 imm9:9 00 rn:5 rt:5'),
  // Load register (literal)
  ldst('LDR_lit', '0 sz:1 011 0 00 imm19:19 rt:5'),
  ldst('LDRSW_lit', '10 011 0 00 imm19:19 rt:5'),
  ldst('PRFM_lit', '11 011 0 00 imm19:19 rt:5'),

  // Load/store register pair: opc selects 32-bit (00), LDPSW (01, loads only) or 64-bit (10); opc=11 and
  // STGP (01, L=0, FEAT_MTE) are unallocated. Bits 25:23 are the class: 000 no-allocate, 001 post-index,
  // 010 signed offset, 011 pre-index.
  pair('STP_post', 'sz:1 0 101 0 001 0 imm7:7 rt2:5 rn:5 rt:5'),
  pair('LDP_post', 'sz:1 0 101 0 001 1 imm7:7 rt2:5 rn:5 rt:5'),
  pair('LDPSW_post', '01 101 0 001 1 imm7:7 rt2:5 rn:5 rt:5'),
  pair('STP_off', 'sz:1 0 101 0 010 0 imm7:7 rt2:5 rn:5 rt:5'),
  pair('LDP_off', 'sz:1 0 101 0 010 1 imm7:7 rt2:5 rn:5 rt:5'),
  pair('LDPSW_off', '01 101 0 010 1 imm7:7 rt2:5 rn:5 rt:5'),
  pair('STP_pre', 'sz:1 0 101 0 011 0 imm7:7 rt2:5 rn:5 rt:5'),
  pair('LDP_pre', 'sz:1 0 101 0 011 1 imm7:7 rt2:5 rn:5 rt:5'),
  pair('LDPSW_pre', '01 101 0 011 1 imm7:7 rt2:5 rn:5 rt:5'),
  pair('STNP', 'sz:1 0 101 0 000 0 imm7:7 rt2:5 rn:5 rt:5'),
  pair('LDNP', 'sz:1 0 101 0 000 1 imm7:7 rt2:5 rn:5 rt:5'),

  // Load/store exclusive register: size 001000 o2=0 L o1=0 Rs o0 Rt2 Rn Rt. Rs of the loads and Rt2 of all
  // are should-be-one fields: other values execute as if they were ones (a permitted CONSTRAINED
  // UNPREDICTABLE choice, and what QEMU does).
  excl('STXRB', '00 001000 0 0 0 rs:5 0 xxxxx rn:5 rt:5'),
  excl('STLXRB', '00 001000 0 0 0 rs:5 1 xxxxx rn:5 rt:5'),
  excl('LDXRB', '00 001000 0 1 0 xxxxx 0 xxxxx rn:5 rt:5'),
  excl('LDAXRB', '00 001000 0 1 0 xxxxx 1 xxxxx rn:5 rt:5'),
  excl('STXRH', '01 001000 0 0 0 rs:5 0 xxxxx rn:5 rt:5'),
  excl('STLXRH', '01 001000 0 0 0 rs:5 1 xxxxx rn:5 rt:5'),
  excl('LDXRH', '01 001000 0 1 0 xxxxx 0 xxxxx rn:5 rt:5'),
  excl('LDAXRH', '01 001000 0 1 0 xxxxx 1 xxxxx rn:5 rt:5'),
  excl('STXR', '1 sz:1 001000 0 0 0 rs:5 0 xxxxx rn:5 rt:5'),
  excl('STLXR', '1 sz:1 001000 0 0 0 rs:5 1 xxxxx rn:5 rt:5'),
  excl('LDXR', '1 sz:1 001000 0 1 0 xxxxx 0 xxxxx rn:5 rt:5'),
  excl('LDAXR', '1 sz:1 001000 0 1 0 xxxxx 1 xxxxx rn:5 rt:5'),
  // Load/store exclusive pair: 1 sz 001000 0 L 1 Rs o0 Rt2 Rn Rt (bit 31 = 0 is CASP)
  excl('STXP', '1 sz:1 001000 0 0 1 rs:5 0 rt2:5 rn:5 rt:5'),
  excl('STLXP', '1 sz:1 001000 0 0 1 rs:5 1 rt2:5 rn:5 rt:5'),
  excl('LDXP', '1 sz:1 001000 0 1 1 xxxxx 0 rt2:5 rn:5 rt:5'),
  excl('LDAXP', '1 sz:1 001000 0 1 1 xxxxx 1 rt2:5 rn:5 rt:5'),
  // Load/store ordered: size 001000 1 L 0 Rs o0 Rt2 Rn Rt, Rs and Rt2 should-be-one. o0=0 is FEAT_LOR's
  // STLLR/LDLAR, not implemented.
  excl('STLRB', '00 001000 1 0 0 xxxxx 1 xxxxx rn:5 rt:5'),
  excl('LDARB', '00 001000 1 1 0 xxxxx 1 xxxxx rn:5 rt:5'),
  excl('STLRH', '01 001000 1 0 0 xxxxx 1 xxxxx rn:5 rt:5'),
  excl('LDARH', '01 001000 1 1 0 xxxxx 1 xxxxx rn:5 rt:5'),
  excl('STLR', '1 sz:1 001000 1 0 0 xxxxx 1 xxxxx rn:5 rt:5'),
  excl('LDAR', '1 sz:1 001000 1 1 0 xxxxx 1 xxxxx rn:5 rt:5'),

  // Compare and swap (FEAT_LSE): size 001000 1 L 1 Rs o0 Rt2=11111 Rn Rt; L = acquire, o0 = release.
  // Other Rt2 values are unallocated.
  atomic('CASB', '00 001000 1 l:1 1 rs:5 o0:1 11111 rn:5 rt:5'),
  atomic('CASH', '01 001000 1 l:1 1 rs:5 o0:1 11111 rn:5 rt:5'),
  atomic('CAS', '1 sz:1 001000 1 l:1 1 rs:5 o0:1 11111 rn:5 rt:5'),
  // CASP: Rs and Rt must be even (bits 16 and 0 fixed at 0; odd ones are UNDEFINED, C6.2.54)
  atomic('CASP', '0 sz:1 001000 0 l:1 1 rs41:4 0 o0:1 11111 rn:5 rt41:4 0'),
  // Atomic memory operations: size 111 V=0 00 A R 1 Rs o3 opc 00 Rn Rt. o3=0 opc=op selects LD<op>;
  // o3=1 opc=000 is SWP; the other o3=1 encodings (LDAPR*, FEAT_LRCPC) are unallocated here.
  ...atomics(),
];

function atomics(): OpSpec[] {
  const ops: [string, string][] = [
    ['LDADD', '0 000'], ['LDCLR', '0 001'], ['LDEOR', '0 010'], ['LDSET', '0 011'],
    ['LDSMAX', '0 100'], ['LDSMIN', '0 101'], ['LDUMAX', '0 110'], ['LDUMIN', '0 111'], ['SWP', '1 000'],
  ];
  const out: OpSpec[] = [];
  for (const [name, o3opc] of ops) {
    out.push(atomic(`${name}B`, `00 111 0 00 a:1 r:1 1 rs:5 ${o3opc} 00 rn:5 rt:5`));
    out.push(atomic(`${name}H`, `01 111 0 00 a:1 r:1 1 rs:5 ${o3opc} 00 rn:5 rt:5`));
    out.push(atomic(name, `1 sz:1 111 0 00 a:1 r:1 1 rs:5 ${o3opc} 00 rn:5 rt:5`));
  }
  return out;
}
