// A Normal-world host for RMM tests: a Machine started with RME at NS-EL2, issuing each RMI command as a
// real SMC #0 that the EL3 monitor dispatches to the RMM, exactly as a host hypervisor would.
import { Machine } from '../../src/machine/machine.js';
import { HostSmc } from '../../src/machine/host-smc.js';
import { RMI } from '../../firmware/hypervisor/rmi.js';

export const HOST_CODE = 0x8000_0000n;

// RMI FIDs (RMM B4.3): the hypervisor's table
export { RMI };

export const SUCCESS = 0, ERROR_INPUT = 1, ERROR_REALM = 2, ERROR_REC = 3, ERROR_RTT = 4;

export interface RmiReturn {
  status: number;
  index: number;
  /** X0-X16 after the call. */
  x: bigint[];
}

export class RmiHost {
  readonly m: Machine;
  private readonly smc: HostSmc;
  /** The next free NS granule the host hands out; grows up from HOST_CODE + 1 MiB. */
  private nextGranule = HOST_CODE + 0x10_0000n;

  constructor(ramMiB = 256) {
    this.m = new Machine({ ramMiB, console: () => {}, rme: true });
    this.m.start(HOST_CODE, { el: 2, security: 'ns' });
    this.smc = new HostSmc(this.m, HOST_CODE);
  }

  /** Issues `SMC #0` at NS-EL2 with X0 = fid and X1.. = args. */
  call(fid: number, ...args: bigint[]): RmiReturn {
    const { x } = this.smc.call(fid, ...args);
    return { status: Number(x[0] & 0xffn), index: Number((x[0] >> 8n) & 0xffn), x };
  }

  granule(): bigint {
    const g = this.nextGranule;
    this.nextGranule += 0x1000n;
    return g;
  }

  /** `n` consecutive granules aligned to `n` granules. */
  granules(n: number): bigint {
    const size = BigInt(n) * 0x1000n;
    this.nextGranule = (this.nextGranule + size - 1n) / size * size;
    const g = this.nextGranule;
    this.nextGranule += size;
    return g;
  }

  delegated(): bigint {
    const g = this.granule();
    const r = this.call(RMI.GRANULE_DELEGATE, g);
    if (r.status !== SUCCESS) throw new Error(`delegate 0x${g.toString(16)} failed: ${r.status}`);
    return g;
  }

  write64(pa: bigint, v: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    this.m.writePhysical(pa, b);
  }

  /** An NS granule holding `fields` (offset -> value) and zeros elsewhere. */
  page(fields: Record<number, bigint> = {}): bigint {
    const g = this.granule();
    this.m.writePhysical(g, new Uint8Array(0x1000));
    for (const [off, v] of Object.entries(fields)) this.write64(g + BigInt(off), v);
    return g;
  }
}

/** RmiRealmParams fields (RMM B4.4.12) for an IPA width of 40 bits with starting level 1 (2 RTTs). */
export function realmParams(rttBase: bigint, over: Record<number, bigint> = {}): Record<number, bigint> {
  return { 0x8: 40n, 0x18: 1n, 0x20: 1n, 0x30: 0n, 0x800: 1n, 0x808: rttBase, 0x810: 1n, 0x818: 2n, ...over };
}

export interface TestRealm {
  rd: bigint;
  rtt: bigint;
  params: bigint;
}

/** Delegates an RD and two starting RTTs and creates a realm (40-bit IPA, level 1 start). */
export function createRealm(h: RmiHost, over: Record<number, bigint> = {}, vmid = 1n): TestRealm {
  const rtt = h.granules(2);
  for (const g of [rtt, rtt + 0x1000n]) {
    const r = h.call(RMI.GRANULE_DELEGATE, g);
    if (r.status !== SUCCESS) throw new Error('delegate RTT');
  }
  const rd = h.delegated();
  const params = h.page(realmParams(rtt, { 0x800: vmid, ...over }));
  const r = h.call(RMI.REALM_CREATE, rd, params);
  if (r.status !== SUCCESS) throw new Error(`REALM_CREATE failed: ${r.status}`);
  return { rd, rtt, params };
}

/** Creates RTTs down to `level` (2 or 3) for `ipa`. */
export function rttsTo(h: RmiHost, rd: bigint, ipa: bigint, level: number): bigint[] {
  const made: bigint[] = [];
  for (let l = 2; l <= level; l++) {
    const shift = BigInt(12 + 9 * (3 - (l - 1)));
    const rtt = h.delegated();
    const r = h.call(RMI.RTT_CREATE, rd, rtt, (ipa >> shift) << shift, BigInt(l));
    if (r.status !== SUCCESS) throw new Error(`RTT_CREATE level ${l} failed: ${r.status}/${r.index}`);
    made.push(rtt);
  }
  return made;
}
