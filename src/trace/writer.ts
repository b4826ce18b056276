// The events a trace writer formats, after the tracer has filtered them. Times are instruction counts.
// Instructions, registers and memory accesses are most of a trace: the drain (wasm/drain.ts) formats those
// itself, in the writer's format, and asks the writer only for each instruction's text, which it caches.
import type { ExceptionRecord, EretRecord } from './records.js';
import type { CallEvent } from './events.js';
import type { RecExitEvent } from './calls.js';

export interface TraceWriter {
  /** The format the drain writes the frequent lines in. */
  readonly format: 'tarmac' | 'ndjson';
  /** The PE the trace follows (NDJSON names it in every object). */
  readonly pe: number;
  /** An instruction's line after its instruction count, without the newline, for the drain to cache. */
  insnText(state: number, enc: number, pcLo: number, pcHi: number, paLo: number, paHi: number): string;
  exception(e: ExceptionRecord, call: CallEvent | undefined): void;
  eret(e: EretRecord): void;
  /** The instruction at `pc` runs in security state `to`; the one before ran in `from`. */
  worldSwitch(t: number, from: number, to: number, pc: bigint): void;
  /** Firmware (a host service) finished a call: X0-X3 as it returns them, and the REC exit RMI_REC_ENTER wrote. */
  callReturn(t: number, call: CallEvent, results: bigint[], recExit?: RecExitEvent): void;
}
