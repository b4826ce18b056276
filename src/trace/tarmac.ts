// Tarmac text as Arm's tarmac-trace-utilities parse it (shared/reference/tarmac.md, section 2.8 profile):
// IT lines with VA:PA, encoding and mode, R lines for every register written (X30 and SP full width,
// PSTATE as cpsr), MR/MW lines, E lines for exceptions and INFO_EXCEPTION_REASON lines for what has no
// Tarmac form (calls, ERET, world switches). Realm and Root PAs carry no suffix: TTU accepts only _S/_NS.
import type { TraceWriter } from './writer.js';
import { ascii, type TraceOutput } from './output.js';
import { REG_SP, REG_CPSR, paKnown, paSpace, paHigh, stateEl, stateWorld, type ExceptionRecord, type EretRecord } from './records.js';
import { hex8, hex16, big, hexBig } from './hex.js';
import { exceptionName, vectorOffset, modeName, worldName, targetWorld, callName, type CallEvent } from './events.js';
import { callStatus } from './calls.js';
import type { Disassembler } from './disasm.js';

const CACHE_SIZE = 1 << 16;
const PA_SUFFIX_TEXT = ['_S', '_NS', '', '']; // by PA space: Secure, Non-secure, Root, Realm
const PA_SUFFIX = PA_SUFFIX_TEXT.map(ascii);
const CLK = ascii(' clk ');
const IT = ascii(' clk IT (');
// Everything between the timestamp and the value, per register and per access size
const R_X = Array.from({ length: 31 }, (_, n) => ascii(` clk R X${n} `));
const R_SP = Array.from({ length: 4 }, (_, n) => ascii(` clk R SP_EL${n} `));
const R_CPSR = ascii(' clk R cpsr ');
const MR = [1, 2, 4, 8].map((n) => ascii(` clk MR${n} `));
const MW = [1, 2, 4, 8].map((n) => ascii(` clk MW${n} `));
const SIZE_INDEX = [0, 0, 1, 1, 2, 2, 2, 2, 3];

interface CachedInsn {
  pcLo: number;
  pcHi: number;
  enc: number;
  state: number;
  paLo: number;
  paHi: number;
  /** ") VA:PA enc O mode : disasm" */
  text: Uint8Array;
}

export class TarmacWriter implements TraceWriter {
  // The text after the timestamp of recent instructions, direct-mapped by PC (loops format from here)
  private readonly cache: (CachedInsn | undefined)[] = new Array(CACHE_SIZE).fill(undefined);

  constructor(private readonly out: TraceOutput, private readonly dis: Disassembler) {}

  /** "address:pa" as IT and M lines write it; the PA only when the access's TLB entry named it. */
  private address(lo: number, hi: number, paLo: number, paHi: number): void {
    const o = this.out;
    o.hex8(hi);
    o.hex8(lo);
    if (!paKnown(paHi)) return;
    o.str(':');
    o.hex8(paHigh(paHi));
    o.hex8(paLo);
    o.bytes(PA_SUFFIX[paSpace(paHi)]);
  }

  insn(t: number, state: number, enc: number, pcLo: number, pcHi: number, paLo: number, paHi: number): void {
    const slot = (pcLo >>> 2) & (CACHE_SIZE - 1);
    let c = this.cache[slot];
    if (c === undefined || c.pcLo !== pcLo || c.pcHi !== pcHi || c.enc !== enc || c.state !== state || c.paLo !== paLo || c.paHi !== paHi) {
      const text = this.dis.word(enc, big(pcLo, pcHi)) ?? `.inst 0x${hex8(enc)} ; undefined`;
      const pa = paKnown(paHi) ? `:${hex16(paLo, paHigh(paHi))}${PA_SUFFIX_TEXT[paSpace(paHi)]}` : '';
      c = { pcLo, pcHi, enc, state, paLo, paHi, text: ascii(`) ${hex16(pcLo, pcHi)}${pa} ${hex8(enc)} O ${modeName(state)} : ${text}`) };
      this.cache[slot] = c;
    }
    const o = this.out;
    if (!o.begin()) return;
    o.stamp(t);
    o.bytes(IT);
    o.stamp(t);
    o.bytes(c.text);
    o.end();
  }

  reg(t: number, n: number, spEl: number, lo: number, hi: number): void {
    const o = this.out;
    if (!o.begin()) return;
    o.stamp(t);
    if (n < REG_SP) {
      o.bytes(R_X[n]);
      o.hex8(hi);
      o.hex8(lo);
    } else if (n === REG_SP) {
      o.bytes(R_SP[spEl]);
      o.hex8(hi);
      o.hex8(lo);
    } else {
      o.bytes(R_CPSR);
      o.hex8(lo);
    }
    o.end();
  }

  mem(t: number, write: boolean, size: number, vaLo: number, vaHi: number, paLo: number, paHi: number, vLo: number, vHi: number): void {
    const o = this.out;
    // A block (DC ZVA writes zeros) goes as 8-byte lines, which every Tarmac reader takes
    const step = size <= 8 ? size : 8;
    for (let off = 0; off < size; off += step) {
      if (!o.begin()) return;
      o.stamp(t);
      o.bytes((write ? MW : MR)[SIZE_INDEX[step]]);
      this.address(vaLo + off, vaHi, paLo + off, paHi);
      o.str(' ');
      if (step === 8) {
        o.hex8(vHi);
        o.hex8(vLo);
      } else {
        o.hexLow(vLo, step * 2);
      }
      o.end();
    }
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

  worldSwitch(t: number, from: number, to: number): void {
    this.text(t, `INFO_EXCEPTION_REASON world switch ${worldName(from)}->${worldName(to)}`);
  }

  callReturn(t: number, call: CallEvent, results: bigint[]): void {
    const status = callStatus(call.info, results[0]);
    this.text(t, `INFO_EXCEPTION_REASON ${callName(call)} returned ${results.map((r, i) => `x${i}=0x${r.toString(16)}`).join(' ')}` +
      (status === undefined ? '' : ` status=${status}`));
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
