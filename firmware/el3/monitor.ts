// The EL3 monitor: SMCCC dispatch of the SMCs that reach EL3 (DESIGN.md section 6): SMCCC, PSCI 1.1 for the
// Normal world (psci.ts), RMI from the Normal world to the RMM; SMC_UNKNOWN for everything else.
import type { Cpu, PeContext, WorldCpu } from '../cpu.js';
import { Psci, PSCI_FUNCTIONS, type PsciPlatform } from './psci.js';
import {
  SMCCC_VERSION, SMCCC_ARCH_FEATURES, SMCCC_VERSION_1_2, SMC_UNKNOWN, SMCCC_NOT_SUPPORTED, PSCI_VERSION,
  PSCI_VERSION_1_1, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES, PSCI_NOT_SUPPORTED, functionId,
} from '../smccc.js';
import { isRmiFid, RMI_REC_ENTER } from '../rmm/rmm.js';
import type { RmiStatus } from '../rmm/status.js';

/** What the machine must do after an SMC has been served. */
export type MonitorAction =
  | { kind: 'return' }
  /** The PE now runs another world (RMI_REC_ENTER entered a realm): no ERET to the caller. */
  | { kind: 'resume' }
  | { kind: 'system-off' }
  | { kind: 'system-reset' }
  | { kind: 'cpu-off' };

const IMPLEMENTED = new Set([SMCCC_VERSION, SMCCC_ARCH_FEATURES, PSCI_VERSION, PSCI_FEATURES, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET]);

/** The RMM as the monitor reaches it: RMI calls from the Normal world go there (RMM B1.1). */
export interface RmiService {
  /** 'realm' when the command switched the PE into a realm (RMI_REC_ENTER). */
  rmi(cpu: WorldCpu): 'return' | 'realm';
}

export class El3Monitor {
  readonly calls = new Map<number, number>();
  rmm?: RmiService;
  private readonly psci?: Psci;
  /** The Normal world's context of each PE running a realm, by MPIDR_EL1 (EL3 context management). */
  private readonly nsContexts = new Map<bigint, PeContext>();

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
        if (this.rmm && isRmiFid(fid) && callerIsNormalWorld(cpu)) {
          // The world switch to the RMM: the Normal world's context is kept while the realm runs
          const world = worldCpu(cpu);
          const ns = fid === RMI_REC_ENTER ? world.saveContext() : undefined;
          if (this.rmm.rmi(world) === 'return') return { kind: 'return' };
          this.nsContexts.set(cpu.sysreg('MPIDR_EL1'), ns!);
          return { kind: 'resume' };
        }
        cpu.setX(0, BigInt.asUintN(64, SMC_UNKNOWN));
        return { kind: 'return' };
    }
  }

  /** The RMM finished RMI_REC_ENTER with a REC exit: back to the Normal world after its SMC, with the status. */
  completeRecEnter(cpu: WorldCpu, status: RmiStatus): void {
    const pe = cpu.sysreg('MPIDR_EL1');
    const ns = this.nsContexts.get(pe);
    if (!ns) throw new Error(`EL3: a REC exit on PE 0x${pe.toString(16)} with no Normal world context to return to`);
    this.nsContexts.delete(pe);
    cpu.restoreContext(ns);
    cpu.setX(0, BigInt(status));
    for (let i = 1; i <= 16; i++) cpu.setX(i, 0n);
    cpu.eret();
  }
}

/** The RMM switches worlds on the PE it serves: only a whole PE will do. */
function worldCpu(cpu: Cpu): WorldCpu {
  if (!('saveContext' in cpu)) throw new Error('EL3: RMI needs a PE whose context the monitor can switch');
  return cpu as WorldCpu;
}

/** SCR_EL3.{NSE, NS} = {0, 1}: the SMC came from the Normal world. */
function callerIsNormalWorld(cpu: Cpu): boolean {
  const scr = cpu.sysreg('SCR_EL3');
  return (scr & 1n) === 1n && ((scr >> 62n) & 1n) === 0n;
}
