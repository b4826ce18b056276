// Instruction words for tests, built from the A64 encoding table (src/isa/table/) rather than hand-written
// hex: asm('SVC', { imm16: 1 }) encodes the row named SVC with those fields.
import { A64 } from '../../src/isa/a64.table.js';
import { encode, type Encoding } from '../../src/isa/encoding.js';
import { SYSREGS } from '../../src/isa/sysregs.table.js';

const ROWS = new Map<string, Encoding>(A64.map((e) => [e.name, e]));

/** Encodes the table row `name` with `fields` (missing fields are 0). */
export function asm(name: string, fields: Record<string, number> = {}): number {
  const row = ROWS.get(name);
  if (!row) throw new Error(`no A64 table row named ${name}`);
  return encode(row, fields);
}

/** HLT #0xF000: with semihosting on, the core stops with Exit.Semihosting past it (the end marker). */
export const END = asm('HLT', { imm16: 0xf000 });
export const NOP = asm('HINT', { crm: 0, op2: 0 });
export const WFI = asm('HINT', { crm: 0, op2: 3 });
export const WFE = asm('HINT', { crm: 0, op2: 2 });
export const ISB = asm('ISB', { crm: 15 });
export const ERET = asm('ERET');

/** op0.op1.CRn.CRm.op2 of a register named in sysregs.table.ts, or a literal 'op0.op1.CRn.CRm.op2'. */
export function sysregFields(reg: string): { op0: number; op1: number; crn: number; crm: number; op2: number } {
  const enc = /^\d/.test(reg) ? reg : SYSREGS.find((r) => r.name === reg)?.enc;
  if (!enc) throw new Error(`unknown system register ${reg}`);
  const [op0, op1, crn, crm, op2] = enc.split('.').map(Number);
  return { op0, op1, crn, crm, op2 };
}

/** MRS Xt, <reg> */
export function mrs(rt: number, reg: string): number {
  const { op0, op1, crn, crm, op2 } = sysregFields(reg);
  if (op0 < 2) throw new Error(`${reg}: op0 ${op0} is not an MRS encoding`);
  return asm('MRS', { o0: op0 & 1, op1, crn, crm, op2, rt });
}

/** MSR <reg>, Xt */
export function msr(reg: string, rt: number): number {
  const { op0, op1, crn, crm, op2 } = sysregFields(reg);
  if (op0 < 2) throw new Error(`${reg}: op0 ${op0} is not an MSR encoding`);
  return asm('MSR_reg', { o0: op0 & 1, op1, crn, crm, op2, rt });
}

/** MSR <pstatefield>, #imm (C6.2 MSR (immediate)): op1 and op2 select the field, CRm holds the value. */
const PSTATE_FIELDS = { SPSel: [0, 5], DAIFSet: [3, 6], DAIFClr: [3, 7], PAN: [0, 4], DIT: [3, 2], UAO: [0, 3] } as const;
export function msrImm(field: keyof typeof PSTATE_FIELDS, imm: number): number {
  const [op1, op2] = PSTATE_FIELDS[field];
  return asm('MSR_imm', { op1, crm: imm, op2 });
}

/** SYS #op1, Cn, Cm, #op2, Xt (DC, IC, AT, TLBI are aliases). */
export function sys(op1: number, crn: number, crm: number, op2: number, rt = 31): number {
  return asm('SYS', { op1, crn, crm, op2, rt });
}
export const dcZva = (rt: number) => sys(3, 7, 4, 1, rt);
export const atS1E1R = (rt: number) => sys(0, 7, 8, 0, rt);
export const atS1E0R = (rt: number) => sys(0, 7, 8, 2, rt);
export const tlbiVmalle1 = () => sys(0, 8, 7, 0);

/** MOVZ/MOVK sequence loading the 64-bit `value` into Xd. */
export function mov64(rd: number, value: bigint): number[] {
  const v = BigInt.asUintN(64, value);
  const out = [asm('MOVZ', { sf: 1, hw: 0, imm16: Number(v & 0xffffn), rd })];
  for (let hw = 1; hw < 4; hw++) {
    const part = Number((v >> BigInt(16 * hw)) & 0xffffn);
    if (part !== 0) out.push(asm('MOVK', { sf: 1, hw, imm16: part, rd }));
  }
  return out;
}

/** B to a byte offset from this instruction. */
export function b(offset: number): number {
  return asm('B', { imm26: (offset >> 2) & 0x3ffffff });
}

/** ADD Xd, Xn, #imm (Xn/Xd 31 = SP). */
export const addImm = (rd: number, rn: number, imm12: number) => asm('ADD_i', { sf: 1, imm12, rn, rd });
/** LDR Xt, [Xn, #imm] (imm a multiple of 8) / STR Xt, [Xn, #imm]. */
export const ldr = (rt: number, rn: number, imm = 0) => asm('LDR_off', { sz: 1, imm12: imm / 8, rn, rt });
export const str = (rt: number, rn: number, imm = 0) => asm('STR_off', { sz: 1, imm12: imm / 8, rn, rt });
/** LDXR Xt, [Xn] / STXR Ws, Xt, [Xn] */
export const ldxr = (rt: number, rn: number) => asm('LDXR', { sz: 1, rn, rt });
export const stxr = (rs: number, rt: number, rn: number) => asm('STXR', { sz: 1, rs, rn, rt });
