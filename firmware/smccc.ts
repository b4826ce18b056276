// SMC Calling Convention (Arm DEN0028, SMCCC 1.2): function identifiers and return values.

export const SMCCC_VERSION = 0x8000_0000;
export const SMCCC_ARCH_FEATURES = 0x8000_0001;
/** SMCCC 1.2, as returned by SMCCC_VERSION. */
export const SMCCC_VERSION_1_2 = 0x1_0002n;
export const SMC_UNKNOWN = -1n;
export const SMCCC_NOT_SUPPORTED = -1n;

export const PSCI_VERSION = 0x8400_0000;
export const PSCI_CPU_OFF = 0x8400_0002;
export const PSCI_SYSTEM_OFF = 0x8400_0008;
export const PSCI_SYSTEM_RESET = 0x8400_0009;
export const PSCI_FEATURES = 0x8400_000a;
/** PSCI 1.1, as returned by PSCI_VERSION. */
export const PSCI_VERSION_1_1 = 0x1_0001n;
export const PSCI_NOT_SUPPORTED = -1n;

/** The function identifier in W0 (bits 31:0 of X0). */
export function functionId(x0: bigint): number {
  return Number(x0 & 0xffff_ffffn);
}
