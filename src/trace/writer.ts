// The events a trace writer formats, after the tracer has filtered them. Times are instruction counts.
// Instructions, registers and memory accesses are most of a trace: the drain (wasm/drain.ts) formats those
// itself for a Tarmac writer, which gives it only each instruction's text; an NDJSON writer formats them.
import type { ExceptionRecord, EretRecord } from './records.js';
import type { CallEvent } from './events.js';
import type { RecExitEvent } from './calls.js';

interface EventWriter {
  exception(e: ExceptionRecord, call: CallEvent | undefined): void;
  eret(e: EretRecord): void;
  /** The instruction at `pc` runs in security state `to`; the one before ran in `from`. */
  worldSwitch(t: number, from: number, to: number, pc: bigint): void;
  /** Firmware (a host service) finished a call: X0-X3 as it returns them, and the REC exit RMI_REC_ENTER wrote. */
  callReturn(t: number, call: CallEvent, results: bigint[], recExit?: RecExitEvent): void;
}

/** A writer whose instruction, register and memory lines the drain formats (Tarmac). */
export interface DrainFormattedWriter extends EventWriter {
  readonly formatsRecords: false;
  /** An instruction's line after its timestamps, without the newline, for the drain to cache. */
  insnText(state: number, enc: number, pcLo: number, pcHi: number, paLo: number, paHi: number): string;
}

/** A writer that formats every event itself (NDJSON). */
export interface RecordWriter extends EventWriter {
  readonly formatsRecords: true;
  insn(t: number, state: number, enc: number, pcLo: number, pcHi: number, paLo: number, paHi: number): void;
  /** A register write: n is 0-30 for Xn, REG_SP (spEl names the SP) or REG_CPSR; `host` for firmware's writes. */
  reg(t: number, n: number, spEl: number, lo: number, hi: number, host: boolean): void;
  mem(t: number, write: boolean, size: number, vaLo: number, vaHi: number, paLo: number, paHi: number, vLo: number, vHi: number): void;
}

export type TraceWriter = DrainFormattedWriter | RecordWriter;
