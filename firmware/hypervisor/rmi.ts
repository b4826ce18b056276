// The host's side of the RMI ABI (RMM B4.3, B4.4), as a host hypervisor's header has it: function IDs,
// status codes, and the call as a value a host program yields. The hypervisor reaches the RMM only by
// SMC through the EL3 monitor, so a call here is a request, and its result is the registers X0-X16.

/** RMI function identifiers (RMM B4.3, SMC64 fast calls in the 0xC4000150 range). */
export const RMI = {
  VERSION: 0xc400_0150, GRANULE_DELEGATE: 0xc400_0151, GRANULE_UNDELEGATE: 0xc400_0152, DATA_CREATE: 0xc400_0153,
  DATA_CREATE_UNKNOWN: 0xc400_0154, DATA_DESTROY: 0xc400_0155, REALM_ACTIVATE: 0xc400_0157, REALM_CREATE: 0xc400_0158,
  REALM_DESTROY: 0xc400_0159, REC_CREATE: 0xc400_015a, REC_DESTROY: 0xc400_015b, REC_ENTER: 0xc400_015c,
  RTT_CREATE: 0xc400_015d, RTT_DESTROY: 0xc400_015e, RTT_MAP_UNPROTECTED: 0xc400_015f, RTT_READ_ENTRY: 0xc400_0161,
  RTT_UNMAP_UNPROTECTED: 0xc400_0162, PSCI_COMPLETE: 0xc400_0164, FEATURES: 0xc400_0165, RTT_FOLD: 0xc400_0166,
  REC_AUX_COUNT: 0xc400_0167, RTT_INIT_RIPAS: 0xc400_0168, RTT_SET_RIPAS: 0xc400_0169,
} as const;

export type RmiCommand = keyof typeof RMI;

const NAMES = new Map<number, string>(Object.entries(RMI).map(([name, fid]) => [fid, `RMI_${name}`]));

/** The Arm name of an RMI FID (`RMI_DATA_CREATE`), or the FID in hex for anything else. */
export function rmiName(fid: number): string {
  return NAMES.get(fid) ?? `0x${fid.toString(16)}`;
}

/** RmiStatusCode (RMM B4.4.25). */
export const enum RmiStatus {
  Success = 0,
  ErrorInput = 1,
  ErrorRealm = 2,
  ErrorRec = 3,
  ErrorRtt = 4,
}

const STATUS_NAMES = ['RMI_SUCCESS', 'RMI_ERROR_INPUT', 'RMI_ERROR_REALM', 'RMI_ERROR_REC', 'RMI_ERROR_RTT'];

/** An SMC the host program asks its PE to issue: X0 = fid, X1.. = args. */
export interface SmcRequest {
  fid: number;
  args: bigint[];
}

/**
 * The host's idle (WFI at NS-EL2 with its EL2 physical timer armed at `until`, a count of the generic
 * counter): virtual time runs on until an interrupt is signalled to the PE. Resumes with [count now].
 */
export interface WaitRequest {
  wait: true;
  until?: bigint;
}

/** Arms the host's EL2 physical timer (CNTHP) at count `at`, or disarms it; resumes with [count now]. */
export interface TimerRequest {
  timer: bigint | undefined;
}

export type HostRequest = SmcRequest | WaitRequest | TimerRequest;

/**
 * A host program: a generator that yields each SMC it needs and is resumed with X0-X16 after the call.
 * REC_ENTER is a world switch: the PE runs the realm and the generator resumes when the REC exits.
 */
export type HostProgram<T> = Generator<HostRequest, T, bigint[]>;

/** Waits for an interrupt, with the host timer at `until` if given; returns the count after waking. */
export function* waitForInterrupt(until?: bigint): HostProgram<bigint> {
  return (yield { wait: true, until })[0];
}

/** Arms (or with undefined, disarms) the host timer; returns the count now. */
export function* armTimer(at: bigint | undefined): HostProgram<bigint> {
  return (yield { timer: at })[0];
}

/** A command's result as RmiCommandReturnCode splits X0 (RMM B4.4.1): status [7:0], index [15:8]. */
export interface RmiReturn {
  status: RmiStatus;
  index: number;
  /** X0-X16 as the call left them. */
  x: bigint[];
}

/** The RMM refused a command the hypervisor had every reason to expect to succeed. */
export class RmiError extends Error {
  override name = 'RmiError';
  constructor(readonly command: string, readonly status: RmiStatus, readonly index: number, detail: string) {
    super(`${command} ${detail} failed: ${STATUS_NAMES[status] ?? `status ${status}`}, index ${index}`);
  }
}

/** Issues one RMI command. */
export function* rmi(fid: number, ...args: bigint[]): HostProgram<RmiReturn> {
  const x = yield { fid, args };
  return { status: Number(x[0] & 0xffn) as RmiStatus, index: Number((x[0] >> 8n) & 0xffn), x };
}

/** Issues one RMI command that must succeed; `detail` names its operands for the error. */
export function* rmiOk(detail: string, fid: number, ...args: bigint[]): HostProgram<bigint[]> {
  const r = yield* rmi(fid, ...args);
  if (r.status !== RmiStatus.Success) throw new RmiError(rmiName(fid), r.status, r.index, detail);
  return r.x;
}
