// What the hypervisor's REC loop sees of an emulated device: a window of the realm's IPA space (the
// protected IPA; the realm reaches it through the Unprotected alias, RMM A5.2.1) that it reads and
// writes on an emulatable data abort exit (RMM A4.3.4.3: ESR.ISV set, the access size from ESR.SAS).

export type MmioSize = 1 | 2 | 4 | 8;

export interface MmioDevice {
  /** The window's IPA without the Unprotected alias bit. */
  readonly base: bigint;
  readonly size: bigint;
  /** A read of `bytes` at `offset` from base; the value zero-extended. */
  read(offset: bigint, bytes: MmioSize): bigint;
  /** A write of the low `bytes` of `value` at `offset` from base. */
  write(offset: bigint, bytes: MmioSize, value: bigint): void;
}

/** Whether [ipa, ipa + bytes) lies inside the device's window. */
export function mmioContains(device: MmioDevice, ipa: bigint, bytes: MmioSize): boolean {
  return ipa >= device.base && ipa + BigInt(bytes) <= device.base + device.size;
}

/** The emulated devices of one realm, found by IPA (without the Unprotected alias bit). */
export class MmioBus {
  constructor(readonly devices: readonly MmioDevice[]) {}

  find(ipa: bigint, bytes: MmioSize): MmioDevice | undefined {
    return this.devices.find((d) => mmioContains(d, ipa, bytes));
  }

  /** The value read, or undefined when no device covers [ipa, ipa + bytes). */
  read(ipa: bigint, bytes: MmioSize): bigint | undefined {
    const d = this.find(ipa, bytes);
    return d?.read(ipa - d.base, bytes);
  }

  /** False when no device covers [ipa, ipa + bytes). */
  write(ipa: bigint, bytes: MmioSize, value: bigint): boolean {
    const d = this.find(ipa, bytes);
    d?.write(ipa - d.base, bytes, BigInt.asUintN(8 * bytes, value));
    return d !== undefined;
  }
}
