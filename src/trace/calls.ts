// Names and argument counts of the firmware calls a trace decodes at SMC and HVC (SMCCC function IDs in W0).
// One entry per function: the RMI and RSI commands join this table when the RMM exists
// (RMM DEN0137 B4.3 / B5.3 list their FIDs: 0xC400_0150.. for RMI, 0xC400_0190.. for RSI).
import {
  SMCCC_VERSION, SMCCC_ARCH_FEATURES, PSCI_VERSION, PSCI_CPU_OFF, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES,
} from '../../firmware/smccc.js';

export interface CallInfo {
  name: string;
  /** The interface it belongs to: how a reader filters calls. */
  family: 'SMCCC' | 'PSCI' | 'RMI' | 'RSI';
  /** Argument registers used, X1.. */
  args: number;
}

export const CALLS = new Map<number, CallInfo>([
  [SMCCC_VERSION, { name: 'SMCCC_VERSION', family: 'SMCCC', args: 0 }],
  [SMCCC_ARCH_FEATURES, { name: 'SMCCC_ARCH_FEATURES', family: 'SMCCC', args: 1 }],
  [PSCI_VERSION, { name: 'PSCI_VERSION', family: 'PSCI', args: 0 }],
  [PSCI_CPU_OFF, { name: 'PSCI_CPU_OFF', family: 'PSCI', args: 0 }],
  [0xc400_0003, { name: 'PSCI_CPU_ON', family: 'PSCI', args: 3 }],
  [0xc400_0004, { name: 'PSCI_AFFINITY_INFO', family: 'PSCI', args: 2 }],
  [PSCI_SYSTEM_OFF, { name: 'PSCI_SYSTEM_OFF', family: 'PSCI', args: 0 }],
  [PSCI_SYSTEM_RESET, { name: 'PSCI_SYSTEM_RESET', family: 'PSCI', args: 0 }],
  [PSCI_FEATURES, { name: 'PSCI_FEATURES', family: 'PSCI', args: 1 }],
]);

/** The call a function ID names, or a placeholder naming the ID. */
export function callInfo(fid: number): CallInfo | undefined {
  return CALLS.get(fid >>> 0);
}
