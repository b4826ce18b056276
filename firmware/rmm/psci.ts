// PSCI for realms (RMM chapter B6): the RMM answers VERSION and FEATURES itself, checks the arguments of
// the others (B6.3.x failure conditions) and forwards them to the host as a REC exit due to PSCI (A4.3.7),
// with rec.psci_pending set for the calls that name another REC (completed by RMI_PSCI_COMPLETE).
import { PSCI_VERSION, PSCI_FEATURES, PSCI_CPU_OFF, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_VERSION_1_1, functionId } from '../smccc.js';
import { recIndex, recMpidrOf } from './rec.js';
import type { RsiCaller, RsiOutcome } from './rsi/result.js';

const PSCI_CPU_SUSPEND_32 = 0x8400_0001, PSCI_CPU_SUSPEND_64 = 0xc400_0001;
const PSCI_CPU_ON_32 = 0x8400_0003, PSCI_CPU_ON_64 = 0xc400_0003;
const PSCI_AFFINITY_INFO_32 = 0x8400_0004, PSCI_AFFINITY_INFO_64 = 0xc400_0004;

export const PSCI_SUCCESS = 0n;
const NOT_SUPPORTED = BigInt.asUintN(64, -1n);
const INVALID_PARAMETERS = BigInt.asUintN(64, -2n);
const INVALID_ADDRESS = BigInt.asUintN(64, -9n);

/** The PSCI functions a realm may call (B6.3), SMC32 and SMC64 forms. */
const SUPPORTED = new Set([
  PSCI_VERSION, PSCI_FEATURES, PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64, PSCI_CPU_OFF, PSCI_CPU_ON_32, PSCI_CPU_ON_64,
  PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET,
]);

/** The PSCI function names, for traces and statistics. */
export const PSCI_NAMES = new Map<number, string>([
  [PSCI_VERSION, 'PSCI_VERSION'], [PSCI_FEATURES, 'PSCI_FEATURES'], [PSCI_CPU_SUSPEND_32, 'PSCI_CPU_SUSPEND'],
  [PSCI_CPU_SUSPEND_64, 'PSCI_CPU_SUSPEND'], [PSCI_CPU_OFF, 'PSCI_CPU_OFF'], [PSCI_CPU_ON_32, 'PSCI_CPU_ON'],
  [PSCI_CPU_ON_64, 'PSCI_CPU_ON'], [PSCI_AFFINITY_INFO_32, 'PSCI_AFFINITY_INFO'], [PSCI_AFFINITY_INFO_64, 'PSCI_AFFINITY_INFO'],
  [PSCI_SYSTEM_OFF, 'PSCI_SYSTEM_OFF'], [PSCI_SYSTEM_RESET, 'PSCI_SYSTEM_RESET'],
]);

const is32 = (fid: number) => (fid & 0x4000_0000) === 0;
const returnPsci = (x0: bigint): RsiOutcome => ({ kind: 'return', x: [x0] });

/** MpidrIsUsed (RMM B3.24): a valid RmiRecMpidr whose REC index the realm has created. */
function mpidrIsUsed({ realm }: RsiCaller, mpidr: bigint): boolean {
  // Only the affinity fields (Aff3 [39:32], Aff2-Aff0 [23:0]) may be set, and Aff0 counts RECs in 4 bits (B4.4.18)
  if ((mpidr & ~0xff_00ff_ffffn) !== 0n || (mpidr & 0xf0n) !== 0n) return false;
  return recIndex(recMpidrOf(mpidr)) < realm.recIndex;
}

/**
 * A PSCI call from the realm with X0-X3 as it made it. The exit, when there is one, carries the function
 * and its sanitised arguments (A4.3.3); `pending` tells the exit path to set rec.psci_pending.
 */
export function realmPsci(c: RsiCaller, x: bigint[]): RsiOutcome | { kind: 'psci-exit'; gprs: bigint[]; pending: boolean } {
  const fid = functionId(x[0]);
  // SMC32 calls take their arguments in W registers
  const arg = (n: number) => (is32(fid) ? x[n] & 0xffff_ffffn : x[n]);
  switch (fid) {
    case PSCI_VERSION:
      return returnPsci(PSCI_VERSION_1_1); // B6.2
    case PSCI_FEATURES: // B6.3.5
      return returnPsci(SUPPORTED.has(functionId(x[1])) ? PSCI_SUCCESS : NOT_SUPPORTED);
    case PSCI_CPU_SUSPEND_32:
    case PSCI_CPU_SUSPEND_64: // B6.3.4: every power state is a suspend request, entry and context ignored
      return { kind: 'psci-exit', gprs: [BigInt(fid), x[1] & 0xffff_ffffn, 0n, 0n], pending: false };
    case PSCI_CPU_OFF: // B6.3.2
      c.rec.runnable = false;
      return { kind: 'psci-exit', gprs: [BigInt(fid), 0n, 0n, 0n], pending: false };
    case PSCI_CPU_ON_32:
    case PSCI_CPU_ON_64: {
      // B6.3.3.2 entry, mpidr (runnable is the host's to report, through RMI_PSCI_COMPLETE)
      if (!c.realm.isProtected(arg(2))) return returnPsci(INVALID_ADDRESS);
      if (!mpidrIsUsed(c, arg(1))) return returnPsci(INVALID_PARAMETERS);
      return { kind: 'psci-exit', gprs: [BigInt(fid), arg(1), arg(2), x[3] & 0xffff_ffffn], pending: true };
    }
    case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64: {
      // B6.3.1.2 target_bound, target_match
      if ((x[2] & 0xffff_ffffn) !== 0n) return returnPsci(INVALID_PARAMETERS);
      if (!mpidrIsUsed(c, arg(1))) return returnPsci(INVALID_PARAMETERS);
      return { kind: 'psci-exit', gprs: [BigInt(fid), arg(1), 0n, 0n], pending: true };
    }
    case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET: // B6.3.6, B6.3.7: the realm is off; RMI_REC_ENTER now fails with system_off
      c.realm.systemOff();
      return { kind: 'psci-exit', gprs: [BigInt(fid), 0n, 0n, 0n], pending: false };
    default:
      return returnPsci(NOT_SUPPORTED);
  }
}
