// A Normal-world host that issues SMCs as real instructions: `SMC #0` at NS-EL2, served by the EL3
// monitor like any host hypervisor's call. Used by RMM tests and the RMI fuzzer.
import { Machine } from './machine.js';

const SMC_0 = 0xd400_0003;

export interface SmcReturn {
  /** X0-X16 after the call. */
  x: bigint[];
}

export class HostSmc {
  constructor(readonly m: Machine, readonly code: bigint) {
    m.writePhysical(code, new Uint8Array(new Uint32Array([SMC_0]).buffer));
  }

  call(fid: number, ...args: bigint[]): SmcReturn {
    const c = this.m.core;
    c.setX(0, BigInt(fid));
    for (let i = 1; i <= 17; i++) c.setX(i, BigInt.asUintN(64, args[i - 1] ?? 0n));
    // Only the PC and X0-X17 change: the core reads them when it starts, so no cached state needs
    // re-deriving (state_changed would also empty the TLBs, hiding a missing TLBI in the firmware)
    c.pc = this.code;
    const stop = this.m.run(1n);
    if (stop.kind !== 'budget' || c.pc !== this.code + 4n) throw new Error(`SMC did not return: ${JSON.stringify(stop)} at 0x${c.pc.toString(16)}`);
    return { x: Array.from({ length: 17 }, (_, i) => c.x(i)) };
  }
}
