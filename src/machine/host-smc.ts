// A Normal-world host that issues SMCs as real instructions: `SMC #0` at NS-EL2, served by the EL3
// monitor like any host hypervisor's call, followed by `BRK` so the PE stops when the call has returned.
// RMI_REC_ENTER in between runs the realm until its REC exit. Used by the hypervisor (realm-host.ts), the
// RMM tests and the RMI fuzzer.
import type { Machine, StopReason } from './machine.js';

const SMC_0 = 0xd400_0003;
const WFI = 0xd503_207f;
/** BRK #0xcca: the host's own marker (D24.2.45 EC 0x3C, ISS the immediate). */
export const HOST_BRK_IMM = 0xcca;
const BRK_HOST = 0xd420_0000 | (HOST_BRK_IMM << 5);

export interface SmcReturn {
  /** X0-X16 after the call. */
  x: bigint[];
}

/** The machine stopped inside a host call for a reason of its own (budget, a guest error, ...). */
export class MachineStopped extends Error {
  override name = 'MachineStopped';
  constructor(readonly stop: StopReason) {
    super(`the machine stopped: ${JSON.stringify(stop)}`);
  }
}

export class HostSmc {
  /** An absolute limit on the machine's instruction count for everything run through this host. */
  limit?: bigint;

  constructor(readonly m: Machine, readonly code: bigint) {
    m.writePhysical(code, new Uint8Array(new Uint32Array([SMC_0, BRK_HOST, WFI, BRK_HOST]).buffer));
    m.hostOwnsNsEl2();
  }

  call(fid: number, ...args: bigint[]): SmcReturn {
    const c = this.m.core;
    c.setX(0, BigInt(fid));
    for (let i = 1; i <= 17; i++) c.setX(i, BigInt.asUintN(64, args[i - 1] ?? 0n));
    this.runAt(this.code);
    return { x: Array.from({ length: 17 }, (_, i) => c.x(i)) };
  }

  /** The host's EL2 physical timer: CNTHP_CVAL_EL2 = `at`, enabled and unmasked; or disabled. */
  setTimer(at: bigint | undefined): void {
    const c = this.m.core;
    if (at !== undefined) c.setSysreg('CNTHP_CVAL_EL2', at);
    c.setSysreg('CNTHP_CTL_EL2', at === undefined ? 0n : 1n);
  }

  now(): bigint {
    return this.m.core.counterNow;
  }

  /** WFI at NS-EL2 until an interrupt is signalled to the PE (the host's idle: virtual time runs on). */
  waitForInterrupt(): void {
    this.runAt(this.code + 8n);
  }

  /**
   * Runs the host's code at `pc` until its BRK. The PE is at NS-EL2 with interrupts masked before and
   * after (the BRK's exception entry leaves it so), and only the PC and X0-X17 change here: the core
   * reads them when it starts, so nothing cached needs re-deriving (state_changed would also empty the
   * TLBs, hiding a missing TLBI in the firmware).
   */
  private runAt(pc: bigint): void {
    const c = this.m.core;
    c.pc = pc;
    const stop = this.m.run(this.limit === undefined ? undefined : this.limit - c.icount);
    if (stop.kind !== 'host-break' || stop.imm !== HOST_BRK_IMM) throw new MachineStopped(stop);
  }
}
