// REC objects (RMM A2.3, C1.19): a realm's vCPU as the RMM holds it between entries.
import { initialContext, type RealmContext } from './realm-context.js';

export const enum RecState {
  Ready = 'REC_READY',
  Running = 'REC_RUNNING',
}

/** RmmRecMpidr (RMM B4.4.18): aff0 [3:0], aff1 [15:8], aff2 [23:16], aff3 [31:24]; the rest SBZ. */
export function recIndex(mpidr: bigint): bigint {
  const aff0 = mpidr & 0xfn, aff1 = (mpidr >> 8n) & 0xffn, aff2 = (mpidr >> 16n) & 0xffn, aff3 = (mpidr >> 24n) & 0xffn;
  // RecIndex (RMM A2.3.3, B3.38): the concatenation Aff3:Aff2:Aff1:Aff0[3:0]
  return aff0 | (aff1 << 4n) | (aff2 << 12n) | (aff3 << 20n);
}

/** The RmiRecMpidr form of an MPIDR_EL1 value a realm passes to PSCI (Aff3 moves from [39:32] to [31:24]). */
export function recMpidrOf(mpidr: bigint): bigint {
  return (mpidr & 0xff_ffffn) | (((mpidr >> 32n) & 0xffn) << 24n);
}

/** What an emulatable data abort needs on the next entry to complete a load (RMM A4.2.3, ESR_EL2.ISS). */
export interface EmulatedAccess {
  write: boolean;
  srt: number;
  /** SAS: log2 of the access size in bytes. */
  sas: number;
  sse: boolean;
  sf: boolean;
}

/** PSTATE of a REC on its first entry: EL1h with D, A, I and F masked (RMM A2.3.4). */
export const REC_INITIAL_PSTATE = 0x3c5n;

export class Rec {
  state = RecState.Ready;
  readonly gprs: bigint[] = new Array<bigint>(32).fill(0n);
  /** SPSR-layout PSTATE (with NZCV) the REC resumes with. */
  pstate = REC_INITIAL_PSTATE;
  context: RealmContext = initialContext();
  /** The GIC virtual CPU interface state that is the REC's own (ICH_VMCR_EL2, ICH_AP0R0/AP1R0_EL2). */
  gic = { vmcr: 0n, ap0r: 0n, ap1r: 0n };
  /** The EL1 timer outputs as the last REC exit reported them (RMM A6.2: masked on the next entry). */
  timersAsserted = { virtual: false, physical: false };
  /** Set with emulatableAbort: the access to complete. */
  emulated?: EmulatedAccess;
  /** The FAR of the most recent exit's data abort at an Unprotected IPA (inject_sea applies to it, RMM A4.2.3). */
  unprotectedAbortFar?: bigint;
  psciPending = false;
  hostCallPending = false;
  ripasAddr = 0n;
  ripasTop = 0n;
  ripasValue = 0;
  /** RsiRipasChangeDestroyed: whether the pending change may overwrite RIPAS DESTROYED. */
  ripasChangeDestroyed = false;
  emulatableAbort = false;
  /** The RsiHostCall a pending host call completes into (RMM A4.5). */
  hostCallAddr = 0n;
  /** RSI attestation (RMM B5.3.1-2): attest_state, the token being handed out and how much of it has gone. */
  attestInProgress = false;
  attestToken?: Uint8Array;
  attestOffset = 0;

  constructor(
    readonly addr: bigint,
    readonly owner: bigint,
    readonly mpidr: bigint,
    public runnable: boolean,
    public pc: bigint,
    gprs: bigint[],
    readonly aux: bigint[],
  ) {
    gprs.forEach((v, i) => (this.gprs[i] = v));
  }
}
