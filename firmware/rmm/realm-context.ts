// A REC's execution context (RMM A2.3.4: "the REC holds the PE state of a Realm vCPU"): what the RMM
// restores to the PE on REC entry and saves on REC exit. The EL2 and EL3 state is never part of it: the
// RMM programs EL2 for each entry (rec-enter.ts), and EL3's belongs to the monitor.
import { SYSREGS } from '../../src/isa/sysregs.table.js';
import type { SysregName } from '../../src/isa/sysregs.gen.js';
import type { WorldCpu } from '../cpu.js';

/**
 * The EL1 and EL0 system registers a Realm owns: every storage register of those ELs except the ID and
 * other read-only ones, the timer views computed from others (TVAL), the Secure timer, the counter
 * frequency (the platform's), the GIC CPU interface (virtualised through ICH_* instead) and the stack
 * pointers (banked, saved separately).
 */
export const REALM_SYSREGS: readonly SysregName[] = SYSREGS.filter(
  (r) =>
    /_EL[01]$/.test(r.name) &&
    (r.access === 'rw' || r.access === 'special') &&
    !/^(ICC_|CNTPS_|CNTFRQ|SP_EL)|_TVAL_/.test(r.name),
).map((r) => r.name as SysregName).concat(['FPCR', 'FPSR']);

/** SCTLR_EL1's reset value with the MMU and caches off (its RES1 bits: Arm ARM D24.2.161). */
const SCTLR_EL1_RESET = 0x30d0_0800n;

export interface RealmContext {
  sysregs: Map<SysregName, bigint>;
  v: bigint[];
  spEl0: bigint;
  spEl1: bigint;
}

/** The context of a REC that has never run: every register zero but SCTLR_EL1's RES1 bits. */
export function initialContext(): RealmContext {
  const sysregs = new Map<SysregName, bigint>(REALM_SYSREGS.map((n) => [n, 0n]));
  sysregs.set('SCTLR_EL1', SCTLR_EL1_RESET);
  return { sysregs, v: new Array<bigint>(32).fill(0n), spEl0: 0n, spEl1: 0n };
}

/** Restores the context while the PE is in firmware (EL2 or EL3, so both stack pointers are banked). */
export function loadContext(cpu: WorldCpu, c: RealmContext): void {
  for (const [name, value] of c.sysregs) cpu.setSysreg(name, value);
  c.v.forEach((v, n) => cpu.setV(n, v));
  cpu.setSpBank(0, c.spEl0);
  cpu.setSpBank(1, c.spEl1);
}

/** Saves the context after an exception took the PE from the Realm to R-EL2. */
export function saveContext(cpu: WorldCpu): RealmContext {
  const sysregs = new Map<SysregName, bigint>(REALM_SYSREGS.map((n) => [n, cpu.sysreg(n)]));
  return { sysregs, v: Array.from({ length: 32 }, (_, n) => cpu.v(n)), spEl0: cpu.spBank(0), spEl1: cpu.spBank(1) };
}
