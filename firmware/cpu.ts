// What the firmware sees of a PE: its registers and system registers, and the few operations EL3 and R-EL2
// software performs on a PE (exception entry and return, context save and restore). The firmware never
// touches the WebAssembly core directly, so it runs unchanged against any implementation of this interface.
import type { SysregName } from '../src/isa/sysregs.gen.js';

export interface Cpu {
  x(n: number): bigint;
  setX(n: number, v: bigint): void;
  sysreg(name: SysregName): bigint;
  setSysreg(name: SysregName, v: bigint): void;
}

/** A fixed list of system registers, prepared once (registerSet) for bulk saves and loads. */
export interface RegisterSet {
  readonly names: readonly SysregName[];
  /** Their indices in the PE's register file (src/isa/sysregs.gen.ts SYSREG_INDEX). */
  readonly indices: Int32Array;
}

/** A copy of a PE's whole state, as EL3 context management keeps the world it is not running. */
export type PeContext = Uint8Array;

/** A PE as firmware that switches worlds (the EL3 monitor, the RMM) drives it. */
export interface WorldCpu extends Cpu {
  /** Vn as a 128-bit value. */
  v(n: number): bigint;
  setV(n: number, v: bigint): void;
  /** SP_ELn while another stack pointer is selected (as it is inside firmware at EL2 or EL3). */
  spBank(el: number): bigint;
  setSpBank(el: number, v: bigint): void;
  /** PSTATE in SPSR layout without NZCV. */
  pstate: bigint;
  pc: bigint;
  /** The physical count now (CNTPCT_EL0). */
  readonly physicalCount: bigint;
  /** The named system registers and V0-V31 as one opaque block (a context switch's bulk copy). */
  saveRegisters(names: RegisterSet): Uint8Array;
  loadRegisters(names: RegisterSet, block: Uint8Array): void;
  saveContext(): PeContext;
  restoreContext(saved: PeContext): void;
  /** ERET from the current EL (the firmware's), with ELR/SPSR of that EL. */
  eret(): void;
  /** Takes an exception to `target` at vector `offset` (0 sync, 0x80 IRQ, ...) returning to `ret`. */
  takeException(target: number, offset: number, esr: bigint, far: bigint, ret: bigint): void;
  /** After a direct change of EL, security state or translation registers. */
  stateChanged(): void;
}
