// Emulating the access of a REC exit due to Emulatable Data Abort (RMM A4.3.4.3): the faulting IPA from
// exit.hpfar and exit.far, the size and direction from exit.esr (ISV, SAS, WnR), the value of a write in
// exit.gprs[0]. The next REC entry sets enter.flags.emul_mmio and, for a read, enter.gprs[0] = the value
// (A4.2.3); the RMM sign-extends it if the load asked for that (ESR.ISS.SSE stays with the RMM).
import type { MmioBus, MmioSize } from './mmio.js';

/** The exit fields an emulatable data abort reports (RmiRecExit, RMM B4.4.17). */
export interface EmulatableAbort {
  esr: bigint;
  far: bigint;
  hpfar: bigint;
  /** exit.gprs[0]: the register a write stored. */
  gprs0: bigint;
}

export type MmioEmulation =
  | { kind: 'read'; ipa: bigint; bytes: MmioSize; value: bigint }
  | { kind: 'write'; ipa: bigint; bytes: MmioSize; value: bigint }
  /** Not an access the bus can serve: no ISV, a Protected IPA, or no device there. */
  | { kind: 'unclaimed'; ipa: bigint; reason: string };

// ESR_EL2 data abort ISS fields (Arm ARM D24.2.45)
const ISV = 1n << 24n;
const SAS = (esr: bigint) => Number((esr >> 22n) & 3n);
const WNR = 1n << 6n;

/** The faulting IPA: HPFAR_EL2.FIPA [43:4] is IPA[51:12]; exit.far keeps the offset within the granule. */
export function faultingIpa(hpfar: bigint, far: bigint): bigint {
  return (((hpfar >> 4n) & ((1n << 40n) - 1n)) << 12n) | (far & 0xfffn);
}

/** Serves the access on `bus`, whose devices sit at Protected IPAs and are reached through the Unprotected alias. */
export function emulateMmio(bus: MmioBus, exit: EmulatableAbort, ipaBits: number): MmioEmulation {
  const ipa = faultingIpa(exit.hpfar, exit.far);
  if (!(exit.esr & ISV)) return { kind: 'unclaimed', ipa, reason: 'no instruction syndrome (ESR.ISV 0)' };
  const aliasBit = 1n << BigInt(ipaBits - 1);
  if (!(ipa & aliasBit)) return { kind: 'unclaimed', ipa, reason: 'a Protected IPA' };
  const deviceIpa = ipa & ~aliasBit;
  const bytes = (1 << SAS(exit.esr)) as MmioSize;
  if (!bus.find(deviceIpa, bytes)) return { kind: 'unclaimed', ipa, reason: 'no emulated device there' };
  if (exit.esr & WNR) {
    const value = BigInt.asUintN(8 * bytes, exit.gprs0);
    bus.write(deviceIpa, bytes, value);
    return { kind: 'write', ipa, bytes, value };
  }
  return { kind: 'read', ipa, bytes, value: bus.read(deviceIpa, bytes)! };
}
