// The static Linux user-mode program that runs one sequence under qemu-aarch64: a prologue at CODE_BASE
// loads NZCV, SP and X0-X30 from a state block and branches to the sequence at SEQUENCE_BASE (where cca-emu
// runs it too, so ADR, ADRP and literal loads agree), after FPCR, FPSR and V0-V31; the sequence falls
// through into a branch to the epilogue, which saves X0-X30, SP, NZCV, FPCR, FPSR and V0-V31 to the block
// and writes the block, then the scratch area, to stdout, and exits.
import { writeElf } from '../../elf/write.js';
import { PF_R, PF_W, PF_X } from '../../elf/format.js';
import { CODE_BASE, SEQUENCE_BASE, SCRATCH_BASE, SCRATCH_SIZE } from './contract.js';
import type { DiffState } from './state.js';

const SEQUENCE_OFFSET = Number(SEQUENCE_BASE - CODE_BASE);
/**
 * The state block (X0-X30, SP, NZCV, FPCR, FPSR: 8 bytes each, then V0-V31 at a 16-byte aligned offset),
 * in its own page away from the scratch area.
 */
export const STATE_BASE = 0x8020_0000n;
const SP_SLOT = 31 * 8;
const NZCV_SLOT = 32 * 8;
const FPCR_SLOT = 33 * 8;
const FPSR_SLOT = 34 * 8;
const V_SLOT = 36 * 8;
export const STATE_SIZE = V_SLOT + 32 * 16;

// The few instructions the harness itself needs (64-bit forms)
const movz = (rd: number, imm16: number, hw = 0) => (0xd2800000 | (hw << 21) | (imm16 << 5) | rd) >>> 0;
const movk = (rd: number, imm16: number, hw: number) => (0xf2800000 | (hw << 21) | (imm16 << 5) | rd) >>> 0;
const ldr = (rt: number, rn: number, off: number) => (0xf9400000 | ((off / 8) << 10) | (rn << 5) | rt) >>> 0;
const str = (rt: number, rn: number, off: number) => (0xf9000000 | ((off / 8) << 10) | (rn << 5) | rt) >>> 0;
const ldp = (rt: number, rt2: number, rn: number, off: number) => (0xa9400000 | ((off / 8) << 15) | (rt2 << 10) | (rn << 5) | rt) >>> 0;
const stp = (rt: number, rt2: number, rn: number, off: number) => (0xa9000000 | ((off / 8) << 15) | (rt2 << 10) | (rn << 5) | rt) >>> 0;
const ldpQ = (rt: number, rt2: number, rn: number, off: number) => (0xad400000 | ((off / 16) << 15) | (rt2 << 10) | (rn << 5) | rt) >>> 0;
const stpQ = (rt: number, rt2: number, rn: number, off: number) => (0xad000000 | ((off / 16) << 15) | (rt2 << 10) | (rn << 5) | rt) >>> 0;
const MSR_FPCR = 0xd51b4400;
const MSR_FPSR = 0xd51b4420;
const MRS_FPCR = 0xd53b4400;
const MRS_FPSR = 0xd53b4420;
const MSR_NZCV = 0xd51b4200;
const MRS_NZCV = 0xd53b4200;
const MSR_TPIDR_EL0 = 0xd51bd040;
const MRS_TPIDR_EL0 = 0xd53bd040;
const movToSp = (rn: number) => (0x9100001f | (rn << 5)) >>> 0; // ADD SP, Xn, #0
const movFromSp = (rd: number) => (0x910003e0 | rd) >>> 0; // ADD Xd, SP, #0
const SVC_0 = 0xd4000001;
const b = (from: number, to: number) => (0x14000000 | (((to - from) >> 2) & 0x3ffffff)) >>> 0;
const SYS_WRITE = 64;
const SYS_EXIT = 93;

/** MOVZ/MOVK of a 64-bit constant. */
function movImm(rd: number, v: bigint): number[] {
  const out = [movz(rd, Number(v & 0xffffn))];
  for (let hw = 1; hw < 4; hw++) {
    const part = Number((v >> BigInt(16 * hw)) & 0xffffn);
    if (part) out.push(movk(rd, part, hw));
  }
  return out;
}

function prologue(): number[] {
  const out = [...movImm(30, STATE_BASE)];
  out.push(ldr(0, 30, NZCV_SLOT), MSR_NZCV, ldr(0, 30, SP_SLOT), movToSp(0));
  out.push(ldr(0, 30, FPCR_SLOT), MSR_FPCR | 0, ldr(0, 30, FPSR_SLOT), MSR_FPSR | 0);
  for (let r = 0; r < 32; r += 2) out.push(ldpQ(r, r + 1, 30, V_SLOT + r * 16));
  for (let r = 0; r < 30; r += 2) out.push(ldp(r, r + 1, 30, r * 8));
  out.push(ldr(30, 30, 30 * 8));
  out.push(b(out.length * 4, SEQUENCE_OFFSET));
  return out;
}

function epilogue(): number[] {
  // TPIDR_EL0 holds X0 while X0 points at the state block
  const out = [MSR_TPIDR_EL0 | 0, ...movImm(0, STATE_BASE)];
  for (let r = 1; r < 31; r += 2) out.push(stp(r, r + 1, 0, r * 8));
  out.push(MRS_TPIDR_EL0 | 1, str(1, 0, 0), movFromSp(1), str(1, 0, SP_SLOT), MRS_NZCV | 1, str(1, 0, NZCV_SLOT));
  out.push(MRS_FPCR | 1, str(1, 0, FPCR_SLOT), MRS_FPSR | 1, str(1, 0, FPSR_SLOT));
  for (let r = 0; r < 32; r += 2) out.push(stpQ(r, r + 1, 0, V_SLOT + r * 16));
  out.push(movz(0, 1), ...movImm(1, STATE_BASE), movz(2, STATE_SIZE), movz(8, SYS_WRITE), SVC_0);
  out.push(movz(0, 1), ...movImm(1, SCRATCH_BASE), movz(2, SCRATCH_SIZE), movz(8, SYS_WRITE), SVC_0);
  out.push(movz(0, 0), movz(8, SYS_EXIT), SVC_0);
  return out;
}

/** The block the prologue loads: X0-X30, SP, NZCV, FPCR, FPSR, V0-V31. */
function stateBlock(s: DiffState): Uint8Array {
  const block = new Uint8Array(STATE_SIZE);
  const dv = new DataView(block.buffer);
  s.x.forEach((v, i) => dv.setBigUint64(i * 8, BigInt.asUintN(64, v), true));
  dv.setBigUint64(SP_SLOT, BigInt.asUintN(64, s.sp), true);
  dv.setBigUint64(NZCV_SLOT, BigInt(s.nzcv >>> 0), true);
  dv.setBigUint64(FPCR_SLOT, BigInt(s.fpcr >>> 0), true);
  dv.setBigUint64(FPSR_SLOT, BigInt(s.fpsr >>> 0), true);
  s.v.forEach((v, i) => {
    dv.setBigUint64(V_SLOT + i * 16, BigInt.asUintN(64, v), true);
    dv.setBigUint64(V_SLOT + i * 16 + 8, BigInt.asUintN(64, v >> 64n), true);
  });
  return block;
}

/**
 * The code at CODE_BASE: prologue, epilogue, and the sequence at SEQUENCE_BASE followed by `end`. QEMU's
 * program ends the sequence with a branch to the epilogue; cca-emu's image ends it with the HLT that stops
 * the core, and is otherwise the same bytes.
 */
export function codeImage(words: number[], end: 'epilogue' | number): Uint32Array {
  const pro = prologue();
  const epi = epilogue();
  if ((pro.length + epi.length) * 4 > SEQUENCE_OFFSET) throw new Error('the harness code overlaps the sequence');
  const code = new Uint32Array((SEQUENCE_OFFSET >> 2) + words.length + 1);
  code.set(pro, 0);
  code.set(epi, pro.length);
  code.set(words, SEQUENCE_OFFSET >> 2);
  const after = SEQUENCE_OFFSET + words.length * 4;
  code[after >> 2] = end === 'epilogue' ? b(after, pro.length * 4) : end;
  return code;
}

/** The ELF image that runs `words` from `init` and prints the final state (see parseOutput). */
export function buildProgram(words: number[], init: DiffState): Uint8Array {
  return writeElf({
    entry: CODE_BASE,
    segments: [
      { vaddr: CODE_BASE, data: new Uint8Array(codeImage(words, 'epilogue').buffer), flags: PF_R | PF_X },
      { vaddr: SCRATCH_BASE, data: init.scratch, flags: PF_R | PF_W },
      { vaddr: STATE_BASE, data: stateBlock(init), flags: PF_R | PF_W },
    ],
  });
}

/** The final state from the program's output, or an error naming what is wrong with it. */
export function parseOutput(out: Uint8Array): DiffState {
  if (out.length !== STATE_SIZE + SCRATCH_SIZE) throw new Error(`expected ${STATE_SIZE + SCRATCH_SIZE} bytes of output, got ${out.length}`);
  const dv = new DataView(out.buffer, out.byteOffset, STATE_SIZE);
  const x: bigint[] = [];
  for (let i = 0; i < 31; i++) x.push(dv.getBigUint64(i * 8, true));
  return {
    x,
    sp: dv.getBigUint64(SP_SLOT, true),
    nzcv: Number(dv.getBigUint64(NZCV_SLOT, true) & 0xffffffffn) >>> 0,
    scratch: out.slice(STATE_SIZE),
    v: Array.from({ length: 32 }, (_, i) => (dv.getBigUint64(V_SLOT + i * 16 + 8, true) << 64n) | dv.getBigUint64(V_SLOT + i * 16, true)),
    fpcr: Number(dv.getBigUint64(FPCR_SLOT, true) & 0xffffffffn) >>> 0,
    fpsr: Number(dv.getBigUint64(FPSR_SLOT, true) & 0xffffffffn) >>> 0,
  };
}
