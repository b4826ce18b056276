// What the firmware sees of a PE: its registers and system registers. The firmware never touches the
// WebAssembly core directly, so it runs unchanged against any implementation of this interface.
import type { SysregName } from '../src/isa/sysregs.gen.js';

export interface Cpu {
  x(n: number): bigint;
  setX(n: number, v: bigint): void;
  sysreg(name: SysregName): bigint;
  setSysreg(name: SysregName, v: bigint): void;
}
