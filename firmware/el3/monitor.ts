// The EL3 monitor: SMCCC dispatch of the SMCs that reach EL3 (DESIGN.md section 6). For now the SMCCC
// and PSCI calls that bare-metal software makes first; RMI and the rest of PSCI come with the firmware.
import type { Cpu } from '../cpu.js';
import { Psci, PSCI_FUNCTIONS, type PsciPlatform } from './psci.js';
import {
  SMCCC_VERSION, SMCCC_ARCH_FEATURES, SMCCC_VERSION_1_2, SMC_UNKNOWN, SMCCC_NOT_SUPPORTED, PSCI_VERSION,
  PSCI_VERSION_1_1, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES, PSCI_NOT_SUPPORTED, functionId,
} from '../smccc.js';

/** What the machine must do after an SMC has been served. */
export type MonitorAction = { kind: 'return' } | { kind: 'system-off' } | { kind: 'system-reset' } | { kind: 'cpu-off' };

const IMPLEMENTED = new Set([SMCCC_VERSION, SMCCC_ARCH_FEATURES, PSCI_VERSION, PSCI_FEATURES, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET]);

export class El3Monitor {
  readonly calls = new Map<number, number>();
  private readonly psci?: Psci;

  /** With a platform, the PSCI CPU power functions (psci.ts) are served too. */
  constructor(platform?: PsciPlatform) {
    if (platform) this.psci = new Psci(platform);
  }

  /** Serves the SMC whose arguments are in X0-X17; results go to X0-X3 as SMCCC says. */
  smc(cpu: Cpu): MonitorAction {
    const fid = functionId(cpu.x(0));
    this.calls.set(fid, (this.calls.get(fid) ?? 0) + 1);
    const power = this.psci?.call(fid, cpu);
    if (power) return power;
    switch (fid) {
      case SMCCC_VERSION:
        cpu.setX(0, SMCCC_VERSION_1_2);
        return { kind: 'return' };
      case SMCCC_ARCH_FEATURES:
        // No architectural workaround functions are needed on this PE (SMCCC 1.2 section 7.4.?)
        cpu.setX(0, BigInt.asUintN(64, SMCCC_NOT_SUPPORTED));
        return { kind: 'return' };
      case PSCI_VERSION:
        cpu.setX(0, PSCI_VERSION_1_1);
        return { kind: 'return' };
      case PSCI_FEATURES: {
        const queried = functionId(cpu.x(1));
        const served = IMPLEMENTED.has(queried) || (this.psci !== undefined && PSCI_FUNCTIONS.has(queried));
        cpu.setX(0, served ? 0n : BigInt.asUintN(64, PSCI_NOT_SUPPORTED));
        return { kind: 'return' };
      }
      case PSCI_SYSTEM_OFF:
        return { kind: 'system-off' };
      case PSCI_SYSTEM_RESET:
        return { kind: 'system-reset' };
      default:
        cpu.setX(0, BigInt.asUintN(64, SMC_UNKNOWN));
        return { kind: 'return' };
    }
  }
}
