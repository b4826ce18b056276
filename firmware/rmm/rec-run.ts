// RmiRecRun (RMM B4.4.20): the NS granule through which the host and the RMM exchange a REC's entry
// (RmiRecEnter, B4.4.14, at 0x000) and exit (RmiRecExit, B4.4.16, at 0x800) state, byte for byte.

export const REC_EXIT_OFFSET = 0x800;
const GPRS = 31;
const LRS = 16;

/** RmiRecEnterFlags (B4.4.15). */
export interface RecEnterFlags {
  emulMmio: boolean;
  injectSea: boolean;
  trapWfi: boolean;
  trapWfe: boolean;
  /** RmiResponse: true for RMI_REJECT. */
  ripasReject: boolean;
}

export interface RecEnter {
  flags: RecEnterFlags;
  gprs: bigint[];
  gicv3Hcr: bigint;
  gicv3Lrs: bigint[];
}

/** RmiRecExitReason (B4.4.17). */
export const enum RecExitReason {
  Sync = 0,
  Irq = 1,
  Fiq = 2,
  Psci = 3,
  RipasChange = 4,
  HostCall = 5,
  SError = 6,
}

export interface RecExit {
  reason: RecExitReason;
  esr?: bigint;
  far?: bigint;
  hpfar?: bigint;
  gprs?: bigint[];
  gicv3Hcr?: bigint;
  gicv3Lrs?: bigint[];
  gicv3Misr?: bigint;
  gicv3Vmcr?: bigint;
  cntpCtl?: bigint;
  cntpCval?: bigint;
  cntvCtl?: bigint;
  cntvCval?: bigint;
  ripasBase?: bigint;
  ripasTop?: bigint;
  ripasValue?: number;
  imm?: number;
  pmuOverflowActive?: boolean;
}

export function readRecEnter(run: Uint8Array): RecEnter {
  const v = new DataView(run.buffer, run.byteOffset, REC_EXIT_OFFSET);
  const f = v.getBigUint64(0x000, true);
  return {
    flags: { emulMmio: (f & 1n) !== 0n, injectSea: (f & 2n) !== 0n, trapWfi: (f & 4n) !== 0n, trapWfe: (f & 8n) !== 0n, ripasReject: (f & 16n) !== 0n },
    gprs: Array.from({ length: GPRS }, (_, n) => v.getBigUint64(0x200 + 8 * n, true)),
    gicv3Hcr: v.getBigUint64(0x300, true),
    gicv3Lrs: Array.from({ length: LRS }, (_, n) => v.getBigUint64(0x308 + 8 * n, true)),
  };
}

/** The RmiRecExit bytes (0x800): every field the exit does not set is zero (RMM A4.3.1). */
export function encodeRecExit(e: RecExit): Uint8Array {
  const bytes = new Uint8Array(0x800);
  const v = new DataView(bytes.buffer);
  const u64 = (off: number, x: bigint | undefined) => v.setBigUint64(off, BigInt.asUintN(64, x ?? 0n), true);
  v.setUint8(0x000, e.reason);
  u64(0x100, e.esr);
  u64(0x108, e.far);
  u64(0x110, e.hpfar);
  e.gprs?.forEach((x, n) => u64(0x200 + 8 * n, x));
  u64(0x300, e.gicv3Hcr);
  e.gicv3Lrs?.forEach((x, n) => u64(0x308 + 8 * n, x));
  u64(0x388, e.gicv3Misr);
  u64(0x390, e.gicv3Vmcr);
  u64(0x400, e.cntpCtl);
  u64(0x408, e.cntpCval);
  u64(0x410, e.cntvCtl);
  u64(0x418, e.cntvCval);
  u64(0x500, e.ripasBase);
  u64(0x508, e.ripasTop);
  v.setUint8(0x510, e.ripasValue ?? 0);
  v.setUint16(0x600, e.imm ?? 0, true);
  v.setUint8(0x700, e.pmuOverflowActive ? 1 : 0);
  return bytes;
}

// ICH_HCR_EL2 bits the host may set (RMM B4.4.14): UIE, LRENPIE, NPIE, VGrp0EIE, VGrp0DIE, VGrp1EIE, VGrp1DIE, TDIR
const GICV3_HCR_ALLOWED = 0xfen | (1n << 14n);
const ICH_LR_HW = 1n << 61n;

/**
 * Gicv3ConfigIsValid (RMM B3.18, whose body the spec leaves out; A6.1): only the permitted ICH_HCR_EL2
 * bits, no list register with HW set (the host cannot link a realm interrupt to a physical one), and
 * nothing in list registers beyond the `numLrs` the RMM reports in RmiFeatureRegister0.
 */
export function gicv3ConfigIsValid(hcr: bigint, lrs: bigint[], numLrs: number): boolean {
  if ((hcr & ~GICV3_HCR_ALLOWED) !== 0n) return false;
  return lrs.every((lr, n) => (lr & ICH_LR_HW) === 0n && (n < numLrs || lr === 0n));
}
