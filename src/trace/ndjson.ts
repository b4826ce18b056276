// NDJSON: one JSON object per event, lossless (every field a record carries, 64-bit values as hex strings),
// with the names a reader wants: the table row ("op"), the disassembly, EL, security state, PA space.
import type { TraceWriter } from './writer.js';
import type { TraceOutput } from './output.js';
import { paKnown, paSpace, paHigh, paDevice, stateEl, stateWorld, stateSpsel, type ExceptionRecord, type EretRecord } from './records.js';
import { big } from './hex.js';
import { exceptionName, vectorOffset, worldName, targetWorld, callName, type CallEvent } from './events.js';
import { A64_OPS } from '../isa/ops.gen.js';
import { callStatus, type RecExitEvent } from './calls.js';
import type { Disassembler } from './disasm.js';

const hx = (v: bigint): string => `0x${v.toString(16)}`;
/** "0x..." of (hi:lo), as the drain writes 64-bit values. */
const hx2 = (lo: number, hi: number): string => (hi === 0 ? `0x${lo.toString(16)}` : `0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')}`);

export class NdjsonWriter implements TraceWriter {
  // The drain (wasm/drain.ts) writes the insn, reg and mem objects: the same members as the text here
  readonly format = 'ndjson';
  private readonly ops = new Map<number, string>();

  constructor(private readonly out: TraceOutput, private readonly dis: Disassembler, readonly pe = 0) {}

  private emit(o: Record<string, unknown>): void {
    this.out.line(JSON.stringify({ pe: this.pe, ...o }));
  }

  /** The encoding table's row for a word (the first match, as the decoder picks it), or null. */
  private op(enc: number): string | null {
    let name = this.ops.get(enc);
    if (name === undefined) {
      name = A64_OPS.find((o) => ((enc & o.mask) >>> 0) === o.value)?.name ?? '';
      this.ops.set(enc, name);
    }
    return name || null;
  }

  /** The "pa", "pas" and "device" members (without braces). */
  private pa(paLo: number, paHi: number): string {
    if (!paKnown(paHi)) return '"pa":null';
    return `"pa":"${hx2(paLo, paHigh(paHi))}","pas":"${worldName(paSpace(paHi))}","device":${paDevice(paHi)}`;
  }

  /** The fixed members of an instruction's object (PC, PA, encoding, op, disassembly, state), what follows its icount. */
  insnText(state: number, enc: number, pcLo: number, pcHi: number, paLo: number, paHi: number): string {
    const d = this.dis.word(enc, big(pcLo, pcHi));
    return `"pc":"${hx2(pcLo, pcHi)}",${this.pa(paLo, paHi)},"enc":"0x${(enc >>> 0).toString(16).padStart(8, '0')}",` +
      `"op":${JSON.stringify(this.op(enc))},"disasm":${JSON.stringify(d ?? null)},"el":${stateEl(state)},` +
      `"sp":"${stateSpsel(state) ? 'h' : 't'}","world":"${worldName(stateWorld(state))}"}`;
  }

  exception(e: ExceptionRecord, call: CallEvent | undefined): void {
    this.emit({
      type: 'exception', icount: e.icount, class: exceptionName(e), ec: Number((e.esr >> 26n) & 0x3fn), esr: hx(e.esr),
      far: e.farValid ? hx(e.far) : null, return: hx(e.ret), vector: `0x${vectorOffset(e).toString(16)}`,
      from: { el: stateEl(e.state), world: worldName(stateWorld(e.state)) }, to: { el: e.target, world: worldName(targetWorld(e)) },
      ...(call ? { call: { conduit: call.conduit, name: callName(call), family: call.info?.family ?? null, fid: hx(BigInt(call.fid)), args: call.args.map(hx) } } : {}),
    });
  }

  eret(e: EretRecord): void {
    this.emit({ type: 'eret', icount: e.icount, from: { el: stateEl(e.state), world: worldName(stateWorld(e.state)) }, target: hx(e.target), spsr: hx(e.spsr) });
  }

  worldSwitch(t: number, from: number, to: number, _pc: bigint): void {
    this.emit({ type: 'world', icount: t, from: worldName(from), to: worldName(to) });
  }

  callReturn(t: number, call: CallEvent, results: bigint[], recExit?: RecExitEvent): void {
    const status = callStatus(call.info, results[0]);
    this.emit({
      type: 'call', icount: t, name: callName(call), fid: hx(BigInt(call.fid)), results: results.map(hx), ...(status === undefined ? {} : { status }),
      ...(recExit ? { recExit: { reason: recExit.reason, ...Object.fromEntries(Object.entries(recExit.fields).map(([k, v]) => [k, hx(v)])) } } : {}),
    });
  }
}
