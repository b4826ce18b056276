// A REC's execution context (RMM A2.3.4: "the REC holds the PE state of a Realm vCPU"): what the RMM
// restores to the PE on REC entry and saves on REC exit. The EL2 and EL3 state is never part of it: the
// RMM programs EL2 for each entry (realm-entry.ts), and EL3's belongs to the monitor.
import { SYSREGS } from '../../src/isa/sysregs.table.js';
import { SYSREG_INDEX, type SysregName } from '../../src/isa/sysregs.gen.js';
import type { RegisterSet, WorldCpu } from '../cpu.js';

/**
 * The EL1 and EL0 system registers a Realm owns: every storage register of those ELs except the ID and
 * other read-only ones, the timer views computed from others (TVAL), the Secure timer, the counter
 * frequency (the platform's), the GIC CPU interface (virtualised through ICH_* instead) and the stack
 * pointers (banked, saved separately).
 */
const NAMES: readonly SysregName[] = SYSREGS.filter(
  (r) =>
    /_EL[01]$/.test(r.name) &&
    (r.access === 'rw' || r.access === 'special') &&
    !/^(ICC_|CNTPS_|CNTFRQ|SP_EL)|_TVAL_/.test(r.name),
).map((r) => r.name as SysregName).concat(['FPCR', 'FPSR']);

export const REALM_SYSREGS: RegisterSet = { names: NAMES, indices: Int32Array.from(NAMES, (n) => SYSREG_INDEX[n]) };

/** SCTLR_EL1's reset value with the MMU and caches off (its RES1 bits: Arm ARM D24.2.161). */
const SCTLR_EL1_RESET = 0x30d0_0800n;

export interface RealmContext {
  /** REALM_SYSREGS then V0-V31 (WorldCpu.saveRegisters). */
  registers: Uint8Array;
  spEl0: bigint;
  spEl1: bigint;
}

/** A register's value in a saved context. */
export function contextSysreg(c: RealmContext, name: SysregName): bigint {
  const i = NAMES.indexOf(name);
  if (i < 0) throw new Error(`${name} is not part of a REC's context`);
  return new DataView(c.registers.buffer, c.registers.byteOffset).getBigUint64(i * 8, true);
}

/** The context of a REC that has never run: every register zero but SCTLR_EL1's RES1 bits. */
export function initialContext(): RealmContext {
  const registers = new Uint8Array(NAMES.length * 8 + 32 * 16);
  new DataView(registers.buffer).setBigUint64(NAMES.indexOf('SCTLR_EL1') * 8, SCTLR_EL1_RESET, true);
  return { registers, spEl0: 0n, spEl1: 0n };
}

/** Restores the context while the PE is in firmware (EL2 or EL3, so both stack pointers are banked). */
export function loadContext(cpu: WorldCpu, c: RealmContext): void {
  cpu.loadRegisters(REALM_SYSREGS, c.registers);
  cpu.setSpBank(0, c.spEl0);
  cpu.setSpBank(1, c.spEl1);
}

/** Saves the context after an exception took the PE from the Realm to R-EL2. */
export function saveContext(cpu: WorldCpu): RealmContext {
  return { registers: cpu.saveRegisters(REALM_SYSREGS), spEl0: cpu.spBank(0), spEl1: cpu.spBank(1) };
}
