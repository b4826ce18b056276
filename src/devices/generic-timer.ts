// The generic timers' interrupt outputs (Arm ARM D12 "The Generic Timer in AArch64 state"): the core keeps
// the registers and the count; this reads them after every exit to drive the timer PPIs and to tell the
// run loop how many instructions it may execute before the next timer condition changes.
import type { SysregName } from '../isa/sysregs.gen.js';

/** What the timers need of a PE: its system registers. */
export interface TimerRegisters {
  sysreg(name: SysregName): bigint;
}

interface TimerSpec {
  name: string;
  ctl: SysregName;
  cval: SysregName;
  /** The PPI the timer drives, as FVP Base numbers them (its device tree: PPIs 13, 14, 11, 10). */
  intid: number;
  /** Whether the comparison is against the virtual count (CNTPCT - CNTVOFF_EL2). */
  virtual: boolean;
  /** The CNTHCTL_EL2 bit that masks the output in Realm state (FEAT_RME CNTPMASK/CNTVMASK), if any. */
  realmMask?: bigint;
}

// CNTHV (the EL2 virtual timer) exists only with FEAT_VHE, which this PE does not implement
export const TIMERS: readonly TimerSpec[] = [
  { name: 'CNTPS', ctl: 'CNTPS_CTL_EL1', cval: 'CNTPS_CVAL_EL1', intid: 29, virtual: false },
  { name: 'CNTP', ctl: 'CNTP_CTL_EL0', cval: 'CNTP_CVAL_EL0', intid: 30, virtual: false, realmMask: 1n << 19n },
  { name: 'CNTV', ctl: 'CNTV_CTL_EL0', cval: 'CNTV_CVAL_EL0', intid: 27, virtual: true, realmMask: 1n << 18n },
  { name: 'CNTHP', ctl: 'CNTHP_CTL_EL2', cval: 'CNTHP_CVAL_EL2', intid: 26, virtual: false },
];

const CTL_ENABLE = 1n;
const CTL_IMASK = 2n;
const U64 = (1n << 64n) - 1n;

export interface TimerState {
  intid: number;
  /** The interrupt output: ENABLE, not IMASK, and the condition met (D12.2.4 "The timer output signal"). */
  asserted: boolean;
}

/**
 * Each timer's output at physical count `count`, and the number of ticks until the earliest output that
 * is low now goes high (undefined when none will without a register write).
 */
export function evaluateTimers(regs: TimerRegisters, count: bigint): { states: TimerState[]; ticksToNext?: bigint } {
  const offset = regs.sysreg('CNTVOFF_EL2');
  // Arm ARM D24.10 CNTHCTL_EL2.CNTPMASK/CNTVMASK: in Realm state (SCR_EL3.{NSE,NS} = {1,1}) IMASK acts as set
  const scr = regs.sysreg('SCR_EL3');
  const realm = (scr & 1n) === 1n && ((scr >> 62n) & 1n) === 1n;
  const cnthctl = realm ? regs.sysreg('CNTHCTL_EL2') : 0n;
  const states: TimerState[] = [];
  let ticksToNext: bigint | undefined;
  for (const t of TIMERS) {
    const ctl = regs.sysreg(t.ctl);
    const cval = regs.sysreg(t.cval);
    const now = t.virtual ? (count - offset) & U64 : count;
    const masked = (ctl & CTL_IMASK) !== 0n || (t.realmMask !== undefined && (cnthctl & t.realmMask) !== 0n);
    const live = (ctl & CTL_ENABLE) !== 0n && !masked;
    // ISTATUS: the condition is met when the count is at or past CVAL, compared as unsigned 64-bit (D12.2.4)
    const met = now >= cval;
    states.push({ intid: t.intid, asserted: live && met });
    if (live && !met) {
      const ticks = cval - now;
      if (ticksToNext === undefined || ticks < ticksToNext) ticksToNext = ticks;
    }
  }
  return { states, ticksToNext };
}
