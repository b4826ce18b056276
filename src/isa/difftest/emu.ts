// Runs sequences in cca-emu: the code image QEMU runs, but with the semihosting HLT that stops the core
// after the sequence, the scratch area at SCRATCH_BASE, at EL0 like the Linux process QEMU runs. Stage 1 is off, and HCR_EL2.DC
// makes EL0's data accesses Normal memory, as a Linux process's are (with SCTLR_EL1.M = 0 alone they would
// be Device-nGnRnE, where unaligned accesses fault). DC also turns stage 2 on (Arm ARM D24.2.62): it maps the
// RAM's gigabyte flat as Normal memory with one level-1 block (STAGE2_TABLE).
import { Machine } from '../../machine/machine.js';
import { Exit } from '../../core/core.js';
import { CODE_BASE, SEQUENCE_BASE, SCRATCH_BASE, SCRATCH_SIZE } from './contract.js';
import { codeImage } from './program.js';
import type { DiffState } from './state.js';

const HLT_SEMIHOST = 0xd45e0000; // HLT #0xF000
const HCR_EL2_RW = 1n << 31n;
const HCR_EL2_DC = 1n << 12n;
const STAGE2_TABLE = 0x807f_f000n; // the last page of the 8 MiB RAM: VTTBR_EL2's level-1 table
// VTCR_EL2: T0SZ 25 (39-bit IPA), SL0 1 (start at level 1), Inner Shareable Write-Back walks, 4K, PS 48 bits
const VTCR_EL2 = 25n | (1n << 6n) | (0x35n << 8n) | (5n << 16n);
// Level-1 block for IPA 0x8000_0000: Normal Write-Back (MemAttr 0xf), S2AP read/write, Inner Shareable, AF
const STAGE2_BLOCK = 0x8000_0000n | 1n | (0xfn << 2n) | (3n << 6n) | (3n << 8n) | (1n << 10n);
// What Linux sets in SCTLR_EL1 for its processes and QEMU's user mode therefore behaves like: SA0 (SP
// alignment check at EL0), DZE (DC ZVA), UCT (CTR_EL0), nTWI, nTWE, UCI (cache maintenance at EL0)
const SCTLR_EL1_USER = (1n << 4n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 18n) | (1n << 26n);

// Linux lets its processes use SIMD&FP: CPACR_EL1.FPEN = 0b11 traps nothing at EL0 or EL1
const CPACR_EL1_FPEN_ALL = 3n << 20n;

let shared: Machine | undefined;
let sharedJit: Machine | undefined;

export interface EmuResult {
  final: DiffState;
  /** Set when the sequence did not run to its end (an exception, a stop before the HLT). */
  error?: string;
  /** Instructions that ran in compiled blocks. */
  compiledInstructions?: bigint;
}

/**
 * Runs `words` from `init` in cca-emu and returns the final state. With `jit` every block is compiled on its
 * first entry (src/core/jit.ts), so the sequence runs as compiled code wherever its rows allow.
 */
export function runEmu(words: number[], init: DiffState, jit = false): EmuResult {
  const m = jit
    ? (sharedJit ??= new Machine({ ramMiB: 8, console: () => {}, jit: { jitThreshold: 1, jitEager: true } }))
    : (shared ??= new Machine({ ramMiB: 8, console: () => {}, jit: { jitThreshold: 0 } }));
  const c = m.core;
  c.ex.reset();
  c.ex.jit_reset(); // the last sequence's blocks: the same addresses, other words
  m.writePhysical(CODE_BASE, new Uint8Array(codeImage(words, HLT_SEMIHOST).buffer));
  m.writePhysical(SCRATCH_BASE, init.scratch);
  m.start(SEQUENCE_BASE, { el: 0, security: 'ns' });
  const table = new BigUint64Array(512);
  table[2] = STAGE2_BLOCK;
  m.writePhysical(STAGE2_TABLE, new Uint8Array(table.buffer));
  c.setSysreg('VTCR_EL2', VTCR_EL2);
  c.setSysreg('VTTBR_EL2', STAGE2_TABLE);
  c.setSysreg('HCR_EL2', HCR_EL2_RW | HCR_EL2_DC);
  c.setSysreg('SCTLR_EL1', SCTLR_EL1_USER);
  c.setSysreg('CPACR_EL1', CPACR_EL1_FPEN_ALL);
  c.setSysreg('FPCR', BigInt(init.fpcr));
  c.setSysreg('FPSR', BigInt(init.fpsr));
  init.v.forEach((v, i) => c.setV(i, v));
  c.stateChanged();
  init.x.forEach((v, i) => c.setX(i, v));
  c.sp = init.sp;
  c.nzcv = init.nzcv;
  const compiled0 = c.ex.jit_insns.value as bigint;
  const exit = c.run(BigInt(words.length + 1));
  const compiledInstructions = (c.ex.jit_insns.value as bigint) - compiled0;
  const final: DiffState = {
    x: Array.from({ length: 31 }, (_, i) => c.x(i)),
    sp: c.sp,
    nzcv: c.nzcv,
    scratch: m.readPhysical(SCRATCH_BASE, SCRATCH_SIZE)!,
    v: Array.from({ length: 32 }, (_, i) => c.v(i)),
    fpcr: Number(c.sysreg('FPCR')),
    fpsr: Number(c.sysreg('FPSR')),
  };
  const end = SEQUENCE_BASE + BigInt(words.length * 4 + 4); // the core stops past the HLT
  if (exit !== Exit.Semihosting || c.pc !== end) {
    const esr = c.sysreg('ESR_EL1');
    const why = exit === Exit.Semihosting ? 'stopped' : `run() returned ${Exit[exit]}`;
    return {
      final,
      compiledInstructions,
      error: `${why} at pc 0x${c.pc.toString(16)}, EL${c.el} (expected the end at 0x${end.toString(16)}); ` +
        `ESR_EL1 0x${esr.toString(16)}, ELR_EL1 0x${c.sysreg('ELR_EL1').toString(16)}`,
    };
  }
  return { final, compiledInstructions };
}
