// Tarmac text as Arm's tarmac-trace-utilities parse it (shared/reference/tarmac.md, section 2.8 profile):
// IT lines with VA:PA, encoding and mode, R lines for every register written (X30 and SP full width,
// PSTATE as cpsr), MR/MW lines, E lines for exceptions and INFO_EXCEPTION_REASON lines for what has no
// Tarmac form (calls, ERET, world switches). Realm and Root PAs carry no suffix: TTU accepts only _S/_NS.
import type { TraceWriter } from './writer.js';
import { ascii, type TraceOutput } from './output.js';
import { paKnown, paSpace, paHigh, stateEl, stateWorld, type ExceptionRecord, type EretRecord } from './records.js';
import { hex8, hex16, big, hexBig } from './hex.js';
import { exceptionName, vectorOffset, modeName, worldName, targetWorld, callName, type CallEvent } from './events.js';
import { callStatus, type RecExitEvent } from './calls.js';
import type { Disassembler } from './disasm.js';

const PA_SUFFIX = ['_S', '_NS', '', '']; // by PA space: Secure, Non-secure, Root, Realm
const CLK = ascii(' clk ');

export class TarmacWriter implements TraceWriter {
  // The drain (wasm/drain.ts) writes IT, R and MR/MW lines: the same formats as the text below
  readonly format = 'tarmac';

  constructor(private readonly out: TraceOutput, private readonly dis: Disassembler, readonly pe = 0) {}

  /** ") VA:PA enc O mode : disasm", what follows the timestamps of an IT line. */
  insnText(state: number, enc: number, pcLo: number, pcHi: number, paLo: number, paHi: number): string {
    const text = this.dis.word(enc, big(pcLo, pcHi)) ?? `.inst 0x${hex8(enc)} ; undefined`;
    const pa = paKnown(paHi) ? `:${hex16(paLo, paHigh(paHi))}${PA_SUFFIX[paSpace(paHi)]}` : '';
    return `) ${hex16(pcLo, pcHi)}${pa} ${hex8(enc)} O ${modeName(state)} : ${text}`;
  }

  exception(e: ExceptionRecord, call: CallEvent | undefined): void {
    const name = exceptionName(e);
    this.text(e.icount, `E ${hexBig(e.ret)} ${hex8(vectorOffset(e))} CoreEvent_${name}`);
    let why = `${name} from ${modeName(e.state)} to EL${e.target} ESR=0x${e.esr.toString(16)}`;
    if (e.farValid) why += ` FAR=0x${e.far.toString(16)}`;
    const from = stateWorld(e.state), to = targetWorld(e);
    if (to !== from) why += ` world=${worldName(from)}->${worldName(to)}`;
    if (call) why += ` call=${callName(call)} fid=0x${call.fid.toString(16)}${call.args.map((a, i) => ` x${i + 1}=0x${a.toString(16)}`).join('')}`;
    this.text(e.icount, `INFO_EXCEPTION_REASON ${why}`);
  }

  eret(e: EretRecord): void {
    this.text(e.icount, `INFO_EXCEPTION_REASON ERET from EL${stateEl(e.state)} to 0x${e.target.toString(16)} SPSR=0x${e.spsr.toString(16)}`);
  }

  worldSwitch(t: number, from: number, to: number, pc: bigint): void {
    // An E line (a CoreEvent, as TTU reads it) at the first instruction in the new state, and the states
    this.text(t, `E ${hexBig(pc)} 00000000 CoreEvent_WORLD_SWITCH`);
    this.text(t, `INFO_EXCEPTION_REASON world switch ${worldName(from)}->${worldName(to)}`);
  }

  callReturn(t: number, call: CallEvent, results: bigint[], recExit?: RecExitEvent): void {
    const status = callStatus(call.info, results[0]);
    let line = `INFO_EXCEPTION_REASON ${callName(call)} returned ${results.map((r, i) => `x${i}=0x${r.toString(16)}`).join(' ')}`;
    if (status !== undefined) line += ` status=${status}`;
    if (recExit) line += ` rec_exit=${recExit.reason}${Object.entries(recExit.fields).map(([k, v]) => ` ${k}=0x${v.toString(16)}`).join('')}`;
    this.text(t, line);
  }

  /** A line of the rarer kinds, formatted as a string. */
  private text(t: number, rest: string): void {
    const o = this.out;
    if (!o.begin()) return;
    o.stamp(t);
    o.bytes(CLK);
    o.str(rest);
    o.end();
  }
}
