// Firmware access to guest memory by physical address (DESIGN.md section 3). Every read and write names
// the security state of the firmware making it and the PA space it targets, and passes the core's
// Granule Protection Check first, as a hardware access would: a guest-caused fault comes back as a
// value, never as an exception.

/** The four security states, numbered as the core numbers them (and the PA spaces they reach). */
export const enum Pas {
  Secure = 0,
  NonSecure = 1,
  Root = 2,
  Realm = 3,
}

/** What the board gives the firmware: raw RAM access and the GPC's verdict (GPC_* | level << 8). */
export interface PhysicalMemory {
  /** undefined when [pa, pa + length) is not all RAM. */
  readRam(pa: bigint, length: number): Uint8Array | undefined;
  /** false when [pa, pa + data.length) is not all RAM. */
  writeRam(pa: bigint, data: Uint8Array): boolean;
  gpcProbe(pa: bigint, pas: Pas, security: Pas): number;
  /** Removes the cached translations (and GPC verdicts) of every output address in [lo, hi]. */
  invalidatePa(lo: bigint, hi: bigint): void;
}

/** Why an access did not happen: a GPC outcome (Arm ARM D9.4 Table D9-2) or no memory there. */
export type PhysFault = 'gpf' | 'gpt-walk' | 'gpt-address-size' | 'gpt-external-abort' | 'not-ram' | 'pas';

const GPC_FAULTS: PhysFault[] = ['gpf', 'gpt-walk', 'gpt-address-size', 'gpt-external-abort'];
const GRANULE = 0x1000n;

export type PhysRead = { ok: true; data: Uint8Array } | { ok: false; fault: PhysFault };

/** One firmware component's view of physical memory: EL3 (Root), the RMM (Realm), the hypervisor (Non-secure). */
export class PhysicalAccess {
  constructor(private readonly mem: PhysicalMemory, readonly security: Pas) {}

  /** Which PA spaces a security state can name (Arm ARM D8.1.2 Table D8-1). */
  private canReach(pas: Pas): boolean {
    switch (this.security) {
      case Pas.Root: return true;
      case Pas.Realm: return pas === Pas.Realm || pas === Pas.NonSecure;
      case Pas.Secure: return pas === Pas.Secure || pas === Pas.NonSecure;
      default: return pas === Pas.NonSecure;
    }
  }

  /** The GPC verdict for every granule the access touches; the first fault wins. */
  check(pa: bigint, length: number, pas: Pas = this.security): PhysFault | undefined {
    if (!this.canReach(pas)) return 'pas';
    const last = pa + BigInt(Math.max(length, 1)) - 1n;
    for (let g = pa & ~(GRANULE - 1n); g <= last; g += GRANULE) {
      const verdict = this.mem.gpcProbe(g, pas, this.security) & 0xff;
      if (verdict !== 0) return GPC_FAULTS[verdict - 1] ?? 'gpt-walk';
    }
    return undefined;
  }

  read(pa: bigint, length: number, pas: Pas = this.security): PhysRead {
    const fault = this.check(pa, length, pas);
    if (fault) return { ok: false, fault };
    const data = this.mem.readRam(pa, length);
    return data ? { ok: true, data } : { ok: false, fault: 'not-ram' };
  }

  write(pa: bigint, data: Uint8Array, pas: Pas = this.security): PhysFault | undefined {
    const fault = this.check(pa, data.length, pas);
    if (fault) return fault;
    return this.mem.writeRam(pa, data) ? undefined : 'not-ram';
  }

  read64(pa: bigint, pas: Pas = this.security): bigint | PhysFault {
    const r = this.read(pa, 8, pas);
    return r.ok ? new DataView(r.data.buffer, r.data.byteOffset).getBigUint64(0, true) : r.fault;
  }

  write64(pa: bigint, v: bigint, pas: Pas = this.security): PhysFault | undefined {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    return this.write(pa, b, pas);
  }

  /** Fills [pa, pa + length) with zeros (scrubbing a granule before it changes hands). */
  zero(pa: bigint, length: number, pas: Pas = this.security): PhysFault | undefined {
    return this.write(pa, new Uint8Array(length), pas);
  }
}
