// Branches, exception generation and the system instruction space (Arm ARM C4.1.66-C4.1.67).
import type { OpSpec } from '../encoding.js';

const b = (name: string, pattern: string, unless?: Record<string, number>[]): OpSpec => ({ name, pattern, group: 'branch', unless });
const s = (name: string, pattern: string, unless?: Record<string, number>[]): OpSpec => ({ name, pattern, group: 'system', unless });

export const BRANCH_SYSTEM: OpSpec[] = [
  b('B_cond', '0101010 0 imm19:19 0 cond:4'),
  b('B', '000101 imm26:26'),
  b('BL', '100101 imm26:26'),
  b('CBZ', 'sf:1 011010 0 imm19:19 rt:5'),
  b('CBNZ', 'sf:1 011010 1 imm19:19 rt:5'),
  b('TBZ', 'b5:1 011011 0 b40:5 imm14:14 rt:5'),
  b('TBNZ', 'b5:1 011011 1 b40:5 imm14:14 rt:5'),
  b('BR', '1101011 0000 11111 000000 rn:5 00000'),
  b('BLR', '1101011 0001 11111 000000 rn:5 00000'),
  b('RET', '1101011 0010 11111 000000 rn:5 00000'),
  b('ERET', '1101011 0100 11111 000000 11111 00000'),

  s('SVC', '11010100 000 imm16:16 000 01'),
  s('HVC', '11010100 000 imm16:16 000 10'),
  s('SMC', '11010100 000 imm16:16 000 11'),
  s('BRK', '11010100 001 imm16:16 000 00'),
  s('HLT', '11010100 010 imm16:16 000 00'),
  // Every hint is allocated: the unimplemented ones execute as NOP (C6.2.?? HINT)
  s('HINT', '11010101 00000011 0010 crm:4 op2:3 11111'),
  s('CLREX', '11010101 00000011 0011 crm:4 010 11111'),
  s('DSB', '11010101 00000011 0011 crm:4 100 11111'),
  s('DMB', '11010101 00000011 0011 crm:4 101 11111'),
  s('ISB', '11010101 00000011 0011 crm:4 110 11111'),
  s('MSR_imm', '1101010100000 op1:3 0100 crm:4 op2:3 11111'),
  s('SYS', '1101010100001 op1:3 crn:4 crm:4 op2:3 rt:5'),
  s('SYSL', '1101010100101 op1:3 crn:4 crm:4 op2:3 rt:5'),
  s('MSR_reg', '1101010100 0 1 o0:1 op1:3 crn:4 crm:4 op2:3 rt:5'),
  s('MRS', '1101010100 1 1 o0:1 op1:3 crn:4 crm:4 op2:3 rt:5'),
];
