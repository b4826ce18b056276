// PSCI 1.1 power management for the Normal world (Arm DEN0022 "Arm Power State Coordination Interface"):
// CPU_ON, CPU_OFF, AFFINITY_INFO and MIGRATE_INFO_TYPE. PSCI_VERSION, PSCI_FEATURES, SYSTEM_OFF and
// SYSTEM_RESET stay in the monitor's dispatch. The PEs themselves belong to the machine: it implements
// PsciPlatform.
import type { Cpu } from '../cpu.js';
import { PSCI_CPU_OFF } from '../smccc.js';

// Function IDs (DEN0022 5.1): SMC32 and, where an argument is an address or MPIDR, SMC64 forms too
export const PSCI_CPU_ON_32 = 0x8400_0003;
export const PSCI_CPU_ON_64 = 0xc400_0003;
export const PSCI_AFFINITY_INFO_32 = 0x8400_0004;
export const PSCI_AFFINITY_INFO_64 = 0xc400_0004;
export const PSCI_MIGRATE_INFO_TYPE = 0x8400_0006;

// Return codes (DEN0022 5.2.2)
export const PSCI_SUCCESS = 0n;
export const PSCI_INVALID_PARAMETERS = -2n;
export const PSCI_DENIED = -3n;
export const PSCI_ALREADY_ON = -4n;
export const PSCI_ON_PENDING = -5n;
export const PSCI_INVALID_ADDRESS = -9n;

/** AFFINITY_INFO's answers (DEN0022 5.1.5). */
export const AFFINITY_ON = 0n;
export const AFFINITY_OFF = 1n;
export const AFFINITY_ON_PENDING = 2n;

/** MIGRATE_INFO_TYPE: no Trusted OS, or one that needs no migration (DEN0022 5.1.6). */
export const MIGRATE_NOT_REQUIRED = 2n;

export type PowerState = 'on' | 'off' | 'on-pending';

/** What PSCI needs of the machine's PEs. */
export interface PsciPlatform {
  /** The PE whose MPIDR affinity fields (Aff3..Aff0) are `affinity`, or undefined if none is. */
  peByAffinity(affinity: bigint): number | undefined;
  powerState(pe: number): PowerState;
  /** Whether `address` may be a Non-secure entry point (it lies in RAM). */
  validEntryPoint(address: bigint): boolean;
  /** Starts PE `pe` at `entry` with `contextId` in X0, at the EL and security state of `caller`'s call. */
  powerOn(pe: number, entry: bigint, contextId: bigint, caller: Cpu): void;
}

/** The affinity fields of an MPIDR argument: bits 39:32 and 23:0 (DEN0022 5.1.4 target_cpu). */
function affinityOf(mpidr: bigint): bigint {
  return mpidr & 0xff_00ff_ffffn;
}

export type PsciResult = { kind: 'return' } | { kind: 'cpu-off' };

export const PSCI_FUNCTIONS = new Set([
  PSCI_CPU_OFF, PSCI_CPU_ON_32, PSCI_CPU_ON_64, PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64, PSCI_MIGRATE_INFO_TYPE,
]);

export class Psci {
  constructor(private readonly platform: PsciPlatform) {}

  /** Serves `fid` if it is one of this module's functions; undefined otherwise. */
  call(fid: number, cpu: Cpu): PsciResult | undefined {
    if (!PSCI_FUNCTIONS.has(fid)) return undefined;
    // SMC32 calls take 32-bit arguments (W registers): SMCCC 1.2 section 2.6
    const smc64 = (fid & 0x4000_0000) !== 0;
    const arg = (n: number) => (smc64 ? cpu.x(n) : cpu.x(n) & 0xffff_ffffn);
    const ret = (v: bigint): PsciResult => {
      cpu.setX(0, BigInt.asUintN(64, v));
      return { kind: 'return' };
    };
    switch (fid) {
      case PSCI_CPU_ON_32:
      case PSCI_CPU_ON_64: {
        const pe = this.platform.peByAffinity(affinityOf(arg(1)));
        // DEN0022 5.1.4: INVALID_PARAMETERS for a target that does not exist,
        if (pe === undefined) return ret(PSCI_INVALID_PARAMETERS);
        // then the entry point, then the target's state (the order TF-A checks them in)
        if (!this.platform.validEntryPoint(arg(2))) return ret(PSCI_INVALID_ADDRESS);
        const state = this.platform.powerState(pe);
        if (state === 'on') return ret(PSCI_ALREADY_ON);
        if (state === 'on-pending') return ret(PSCI_ON_PENDING);
        this.platform.powerOn(pe, arg(2), arg(3), cpu);
        return ret(PSCI_SUCCESS);
      }
      case PSCI_CPU_OFF:
        // Never returns on success (DEN0022 5.1.3); DENIED only matters with a Trusted OS, which we do not have
        return { kind: 'cpu-off' };
      case PSCI_AFFINITY_INFO_32:
      case PSCI_AFFINITY_INFO_64: {
        // Levels above 0 are optional from PSCI 1.0 (DEN0022 5.1.5): we only describe single PEs
        if (arg(2) !== 0n) return ret(PSCI_INVALID_PARAMETERS);
        const pe = this.platform.peByAffinity(affinityOf(arg(1)));
        if (pe === undefined) return ret(PSCI_INVALID_PARAMETERS);
        const state = this.platform.powerState(pe);
        return ret(state === 'on' ? AFFINITY_ON : state === 'off' ? AFFINITY_OFF : AFFINITY_ON_PENDING);
      }
      case PSCI_MIGRATE_INFO_TYPE:
        return ret(MIGRATE_NOT_REQUIRED);
    }
    return undefined;
  }
}
