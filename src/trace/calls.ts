// Names and argument counts of the firmware calls a trace decodes at SMC and HVC (SMCCC function IDs in W0),
// and the status their X0 returns. RMI and RSI names come from the RMM's own handler tables, so the trace
// names exactly what the firmware dispatches.
import { SMCCC_VERSION, SMCCC_ARCH_FEATURES } from '../../firmware/smccc.js';
import { RMI_COMMANDS } from '../../firmware/rmm/rmm.js';
import { RSI_COMMANDS } from '../../firmware/rmm/rsi/rsi.js';
import { REC_EXIT_OFFSET } from '../../firmware/rmm/rec-run.js';

export type CallFamily = 'SMCCC' | 'PSCI' | 'RMI' | 'RSI';

export interface CallInfo {
  name: string;
  /** The interface it belongs to: how a reader filters calls. */
  family: CallFamily;
  /** Argument registers used, X1.. */
  args: number;
}

// RMM B4.3 and B5.3: the RMI and RSI FID ranges; the FIDs 1.0 leaves unallocated are named as such
const RMI_FIRST = 0xc400_0150, RMI_LAST = 0xc400_0169;
const RSI_FIRST = 0xc400_0190, RSI_LAST = 0xc400_0199;

/** PSCI 1.1 section 5.1: function, argument count, and whether it has an SMC64 form (at 0xC400_00xx). */
const PSCI_FUNCTIONS: [number, string, number, boolean][] = [
  [0x00, 'PSCI_VERSION', 0, false], [0x01, 'PSCI_CPU_SUSPEND', 3, true], [0x02, 'PSCI_CPU_OFF', 0, false],
  [0x03, 'PSCI_CPU_ON', 3, true], [0x04, 'PSCI_AFFINITY_INFO', 2, true], [0x05, 'PSCI_MIGRATE', 1, true],
  [0x06, 'PSCI_MIGRATE_INFO_TYPE', 0, false], [0x07, 'PSCI_MIGRATE_INFO_UP_CPU', 0, true],
  [0x08, 'PSCI_SYSTEM_OFF', 0, false], [0x09, 'PSCI_SYSTEM_RESET', 0, false], [0x0a, 'PSCI_FEATURES', 1, false],
  [0x0b, 'PSCI_CPU_FREEZE', 0, false], [0x0c, 'PSCI_CPU_DEFAULT_SUSPEND', 2, true], [0x0d, 'PSCI_NODE_HW_STATE', 2, true],
  [0x0e, 'PSCI_SYSTEM_SUSPEND', 2, true], [0x0f, 'PSCI_SET_SUSPEND_MODE', 1, false], [0x10, 'PSCI_STAT_RESIDENCY', 2, true],
  [0x11, 'PSCI_STAT_COUNT', 2, true], [0x12, 'PSCI_SYSTEM_RESET2', 2, true], [0x13, 'PSCI_MEM_PROTECT', 1, false],
  [0x14, 'PSCI_MEM_PROTECT_CHECK_RANGE', 2, true],
];

export const CALLS = new Map<number, CallInfo>([
  [SMCCC_VERSION, { name: 'SMCCC_VERSION', family: 'SMCCC', args: 0 }],
  [SMCCC_ARCH_FEATURES, { name: 'SMCCC_ARCH_FEATURES', family: 'SMCCC', args: 1 }],
]);
for (const [n, name, args, smc64] of PSCI_FUNCTIONS) {
  CALLS.set(0x8400_0000 + n, { name, family: 'PSCI', args });
  if (smc64) CALLS.set(0xc400_0000 + n, { name, family: 'PSCI', args });
}
for (let fid = RMI_FIRST; fid <= RMI_LAST; fid++) {
  const c = RMI_COMMANDS.get(fid);
  CALLS.set(fid, c ? { name: c.name, family: 'RMI', args: c.arity } : { name: `RMI_UNALLOCATED_0x${fid.toString(16)}`, family: 'RMI', args: 0 });
}
for (let fid = RSI_FIRST; fid <= RSI_LAST; fid++) {
  const c = RSI_COMMANDS.get(fid);
  CALLS.set(fid, c ? { name: c.name, family: 'RSI', args: c.arity } : { name: `RSI_UNALLOCATED_0x${fid.toString(16)}`, family: 'RSI', args: 0 });
}

/** The call a function ID names, if the table has it. */
export function callInfo(fid: number): CallInfo | undefined {
  return CALLS.get(fid >>> 0);
}

// RMM B4.4.25 RmiStatusCode, B5.4.1 RsiCommandReturnCode, PSCI 1.1 section 5.2.2 return codes
const RMI_STATUS = ['RMI_SUCCESS', 'RMI_ERROR_INPUT', 'RMI_ERROR_REALM', 'RMI_ERROR_REC', 'RMI_ERROR_RTT'];
const RSI_STATUS = ['RSI_SUCCESS', 'RSI_ERROR_INPUT', 'RSI_ERROR_STATE', 'RSI_INCOMPLETE', 'RSI_ERROR_UNKNOWN'];
const PSCI_STATUS = ['SUCCESS', 'NOT_SUPPORTED', 'INVALID_PARAMETERS', 'DENIED', 'ALREADY_ON', 'ON_PENDING',
  'INTERNAL_FAILURE', 'NOT_PRESENT', 'DISABLED', 'INVALID_ADDRESS'];

// PSCI functions whose X0 is a value when it is not negative (a version, a feature mask, a state, a count)
const PSCI_VALUES = new Set(['PSCI_VERSION', 'PSCI_FEATURES', 'PSCI_MIGRATE_INFO_TYPE', 'PSCI_MIGRATE_INFO_UP_CPU',
  'PSCI_AFFINITY_INFO', 'PSCI_NODE_HW_STATE', 'PSCI_STAT_RESIDENCY', 'PSCI_STAT_COUNT']);

/**
 * X0 after the call, as the family's status: RMI's status and index (B4.4.1 RmiCommandReturnCode), RSI's
 * status, PSCI's codes. Undefined where X0 is a value rather than a status (PSCI_VERSION, say).
 */
export function callStatus(info: CallInfo | undefined, x0: bigint): string | undefined {
  if (x0 === (1n << 64n) - 1n) return 'SMCCC_NOT_SUPPORTED';
  switch (info?.family) {
    case 'RMI': {
      const status = RMI_STATUS[Number(x0 & 0xffn)] ?? `RMI_STATUS_${x0 & 0xffn}`;
      const index = Number((x0 >> 8n) & 0xffn);
      return index === 0 ? status : `${status}(${index})`;
    }
    case 'RSI':
      return RSI_STATUS[Number(x0 & 0xffn)] ?? `RSI_STATUS_${x0 & 0xffn}`;
    case 'PSCI': {
      const code = -Number(BigInt.asIntN(32, BigInt.asUintN(32, x0)));
      if (code > 0) return PSCI_STATUS[code] ?? `PSCI_ERROR_${code}`;
      return code === 0 && !PSCI_VALUES.has(info.name) ? 'SUCCESS' : undefined;
    }
    default:
      return undefined;
  }
}

/** A REC exit as RMI_REC_ENTER wrote it into the host's RmiRecRun: the reason and what that reason sets. */
export interface RecExitEvent {
  reason: string;
  fields: Record<string, bigint>;
}

// RMM B4.4.17 RmiRecExitReason
const REC_EXIT_REASONS = ['RMI_EXIT_SYNC', 'RMI_EXIT_IRQ', 'RMI_EXIT_FIQ', 'RMI_EXIT_PSCI', 'RMI_EXIT_RIPAS_CHANGE', 'RMI_EXIT_HOST_CALL', 'RMI_EXIT_SERROR'];
export const RMI_REC_ENTER = 0xc400_015c;

/** The RmiRecExit part (RMM B4.4.16, at 0x800 of RmiRecRun) of `run`: its reason and the fields that reason fills. */
export function recExitEvent(run: Uint8Array): RecExitEvent {
  const v = new DataView(run.buffer, run.byteOffset + REC_EXIT_OFFSET, run.byteLength - REC_EXIT_OFFSET);
  const code = v.getUint8(0x000);
  const u64 = (off: number) => v.getBigUint64(off, true);
  const fields: Record<string, bigint> = {};
  switch (code) {
    case 0: // sync: the syndrome, and the fault addresses for aborts
    case 6:
      Object.assign(fields, { esr: u64(0x100), far: u64(0x108), hpfar: u64(0x110) });
      break;
    case 3: // PSCI: the function and its arguments in gprs[0..3]
      Object.assign(fields, { x0: u64(0x200), x1: u64(0x208), x2: u64(0x210), x3: u64(0x218) });
      break;
    case 4:
      Object.assign(fields, { ripas_base: u64(0x500), ripas_top: u64(0x508), ripas_value: BigInt(v.getUint8(0x510)) });
      break;
    case 5:
      fields.imm = BigInt(v.getUint16(0x600, true));
      break;
  }
  return { reason: REC_EXIT_REASONS[code] ?? `RMI_EXIT_0x${code.toString(16)}`, fields };
}
