// A machine whose PE 0 runs the Normal-world hypervisor (firmware/hypervisor/) at NS-EL2: the EL3
// monitor and the RMM boot with RME, and every RMI call the hypervisor makes is a real `SMC #0`.
// Tests and the `boot` command share it.
import { Machine } from './machine.js';
import { HostSmc } from './host-smc.js';
import { DRAM0_BASE, DRAM0_MAX, RME_CARVE_OUT } from './board.js';
import { Hypervisor } from '../../firmware/hypervisor/hypervisor.js';
import { GranuleAllocator, GRANULE_SIZE } from '../../firmware/hypervisor/allocator.js';
import { drive, type CallCounts } from '../../firmware/hypervisor/driver.js';
import type { HostProgram } from '../../firmware/hypervisor/rmi.js';

export interface RealmHostOptions {
  /** The board's RAM (default 256 MiB); the hypervisor's pool is DRAM0 below the RME carve-out. */
  ramMiB?: number;
  cpus?: number;
  console?: (bytes: Uint8Array) => void;
  /** Run the trace build of the core (`cca-emu trace boot`). */
  trace?: boolean;
}

export class RealmHost {
  readonly machine: Machine;
  readonly smc: HostSmc;
  readonly hypervisor: Hypervisor;
  /** RMI calls made so far, by command. */
  readonly rmiCalls: CallCounts = {};

  constructor(o: RealmHostOptions = {}) {
    const ramMiB = o.ramMiB ?? 256;
    this.machine = new Machine({ ramMiB, cpus: o.cpus, console: o.console ?? (() => {}), rme: true, trace: o.trace });
    // The hypervisor's code page: the `SMC #0` each call executes
    const code = DRAM0_BASE;
    this.machine.start(code, { el: 2, security: 'ns' });
    // No semihosting on this machine: a realm's HLT is UNDEFINED, as on hardware
    this.machine.core.semihosting = false;
    this.smc = new HostSmc(this.machine, code);
    this.initHostInterrupts();
    const dram0 = BigInt(Math.min(ramMiB * 1024 * 1024, Number(DRAM0_MAX)));
    this.hypervisor = new Hypervisor(this.machine, new GranuleAllocator(code + GRANULE_SIZE, DRAM0_BASE + dram0 - RME_CARVE_OUT));
  }

  /**
   * What the host kernel's GIC driver does at boot on PE 0: the distributor and redistributor on, the
   * EL2 physical timer's PPI (the host's tick) and the realm's EL1 timer PPIs in Group 1 and enabled, the
   * CPU interface taking Group 1. A realm timer that fires while the realm runs then makes an IRQ exit.
   */
  private initHostInterrupts(): void {
    const gic = this.machine.gic;
    const ppis = (1n << 26n) | (1n << 27n) | (1n << 30n);
    const sgiBase = 0x1_0000n;
    gic.distributor.write(0x0n, 4, 2n); // GICD_CTLR.EnableGrp1
    gic.redistributors.write(0x14n, 4, 0n); // GICR_WAKER: awake
    gic.redistributors.write(sgiBase + 0x80n, 4, ppis); // GICR_IGROUPR0: Group 1
    gic.redistributors.write(sgiBase + 0x100n, 4, ppis); // GICR_ISENABLER0
    gic.writeSysreg(0, 'ICC_PMR_EL1', 0xffn);
    gic.writeSysreg(0, 'ICC_IGRPEN1_EL1', 1n);
  }

  /** Runs a host program (one of the hypervisor's operations) on PE 0 to completion. */
  run<T>(program: HostProgram<T>): T {
    return drive(program, this.smc, this.rmiCalls);
  }
}
