// What a trace reports beyond the raw records: event kinds for --events, exception names from the
// syndrome, mode names, and firmware calls recognised at SMC/HVC.
import { WORLDS, stateEl, stateWorld, stateSpsel, type ExceptionRecord } from './records.js';
import { callInfo, type CallInfo } from './calls.js';

export const EVENT_KINDS = ['insn', 'reg', 'mem', 'exception', 'eret', 'world', 'call'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** ESR_ELx.EC (Arm ARM D24.2.45) -> the name Tarmac's CoreEvent_ and the NDJSON `class` use. */
const EXCEPTION_CLASS: Record<number, string> = {
  0x00: 'UNDEFINED', 0x01: 'WFX', 0x0e: 'ILLEGAL_STATE', 0x15: 'SVC', 0x16: 'HVC', 0x17: 'SMC', 0x18: 'SYSREG_TRAP',
  0x1e: 'GPC', 0x20: 'PREFETCH_ABORT', 0x21: 'PREFETCH_ABORT', 0x22: 'PC_ALIGNMENT', 0x24: 'DATA_ABORT',
  0x25: 'DATA_ABORT', 0x26: 'SP_ALIGNMENT', 0x2f: 'SERROR', 0x3c: 'BRK',
};
const ASYNC_CLASS = ['', 'IRQ', 'FIQ', 'SERROR'];

/** The exception's name: its class, with aborts that a Granule Protection Fault caused named as such. */
export function exceptionName(e: ExceptionRecord): string {
  if (e.type !== 0) return ASYNC_CLASS[e.type];
  const ec = Number((e.esr >> 26n) & 0x3fn);
  const name = EXCEPTION_CLASS[ec] ?? `EC_0x${ec.toString(16)}`;
  const fsc = Number(e.esr & 0x3fn);
  // D1.4.5.3: a GPF reported as the access's abort has fault status 0x28, or 0x24 + level on a walk
  if ((name === 'DATA_ABORT' || name === 'PREFETCH_ABORT') && (fsc === 0x28 || (fsc >= 0x23 && fsc <= 0x27))) return `GPC_${name}`;
  return name;
}

/** The vector offset the exception enters (D1.3.1: +0x400 from a lower EL, +0x200 on SP_ELx at the same EL). */
export function vectorOffset(e: ExceptionRecord): number {
  const base = e.type * 0x80;
  if (e.target > stateEl(e.state)) return base + 0x400;
  return stateSpsel(e.state) ? base + 0x200 : base;
}

/** The security state the exception enters: Root at EL3, otherwise unchanged. */
export function targetWorld(e: ExceptionRecord): number {
  return e.target === 3 ? 2 : stateWorld(e.state);
}

const MODE_SUFFIX = ['s', 'n', 'rt', 'rl'];
/** The Tarmac mode word: EL<n><t|h>_<s|n|rt|rl> (tarmac.md 2.8: the security state in the suffix). */
export function modeName(state: number): string {
  return `EL${stateEl(state)}${stateSpsel(state) ? 'h' : 't'}_${MODE_SUFFIX[stateWorld(state)]}`;
}
export const worldName = (w: number): string => WORLDS[w];

/** A firmware call made by SMC or HVC: the function ID in W0 and the arguments the table names. */
export interface CallEvent {
  conduit: 'SMC' | 'HVC';
  fid: number;
  info?: CallInfo;
  args: bigint[];
}

export function callEvent(conduit: 'SMC' | 'HVC', x: (n: number) => bigint): CallEvent {
  const fid = Number(x(0) & 0xffff_ffffn);
  const info = callInfo(fid);
  const n = info?.args ?? 7; // unknown calls: SMCCC 1.2 passes arguments in X1-X17; show the first seven
  return { conduit, fid, info, args: Array.from({ length: n }, (_, i) => x(i + 1)) };
}
export const callName = (c: CallEvent): string => c.info?.name ?? `FID_0x${c.fid.toString(16)}`;
