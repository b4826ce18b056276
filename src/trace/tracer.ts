// The host side of tracing: drains the core's ring after every run(), keeps a model of the registers
// (to see what firmware changed between runs, and the arguments of SMC/HVC calls), applies the filters
// and hands the events to a writer.
import { Exit, type Core } from '../core/core.js';
import type { RunHooks } from '../machine/machine.js';
import {
  visitRecords, stateEl, stateWorld, REG_SP, REG_CPSR, type RecordVisitor, type ExceptionRecord, type EretRecord,
} from './records.js';
import { callEvent, type CallEvent, type EventKind } from './events.js';
import type { TraceWriter } from './writer.js';
import type { TraceOutput } from './output.js';
import { big } from './hex.js';

export interface TraceFilter {
  /** ELs to keep (all when undefined). */
  els?: Set<number>;
  /** Security states to keep, in the core's encoding (records.ts WORLDS). */
  worlds?: Set<number>;
  /** VA range of instructions to keep: [lo, hi). */
  pcRange?: [bigint, bigint];
  /** Instruction numbers to keep: [start, start + count). */
  window?: [number, number];
  /** Event kinds to write (all when undefined). */
  events?: Set<EventKind>;
}

const EC_HVC = 0x16n;
const EC_SMC = 0x17n;

export class Tracer implements RunHooks, RecordVisitor {
  // X0-X30 as the trace has last seen them (lo/hi halves)
  private readonly model = new Uint32Array(62);
  private t = 0;
  private pass = true;
  private world = -1;
  private pendingCall?: CallEvent;
  private lastCall?: CallEvent;
  private readonly want: (k: EventKind) => boolean;
  private readonly wantInsn: boolean;
  private readonly wantReg: boolean;
  private readonly wantMem: boolean;
  /** Records the core dropped (a ring overflow: reported, never silent). */
  lost = 0;
  /** Why the tracer stopped the machine, if it did. */
  stopReason?: 'max-bytes' | 'window' | 'closed';

  constructor(private readonly core: Core, private readonly writer: TraceWriter, private readonly out: TraceOutput,
    private readonly filter: TraceFilter = {}) {
    this.want = (k) => filter.events === undefined || filter.events.has(k);
    this.wantInsn = this.want('insn');
    this.wantReg = this.want('reg');
    this.wantMem = this.want('mem');
    // Before the first instruction (the initial SP and cpsr) only an unfiltered trace has a context
    this.pass = !(filter.window || filter.els || filter.worlds || filter.pcRange);
  }

  private passes(t: number, state: number, pc: bigint | undefined): boolean {
    const f = this.filter;
    if (f.window && (t < f.window[0] || t >= f.window[0] + f.window[1])) return false;
    if (f.els && !f.els.has(stateEl(state))) return false;
    if (f.worlds && !f.worlds.has(stateWorld(state))) return false;
    if (f.pcRange && pc !== undefined && (pc < f.pcRange[0] || pc >= f.pcRange[1])) return false;
    return true;
  }

  private x(n: number): bigint {
    return big(this.model[n * 2], this.model[n * 2 + 1]);
  }

  // ---- RunHooks ----

  beforeRun(): void {
    if (this.pendingCall) {
      if (this.pass && this.want('call')) this.writer.callReturn(this.t, this.pendingCall, [0, 1, 2, 3].map((n) => this.core.x(n)));
      this.pendingCall = undefined;
    }
    // Registers firmware wrote since the last run (SMC results, a REC entry): R lines at the current time
    for (let n = 0; n < 31; n++) {
      const v = this.core.x(n);
      const lo = Number(v & 0xffff_ffffn), hi = Number(v >> 32n);
      if (this.model[n * 2] === lo && this.model[n * 2 + 1] === hi) continue;
      this.model[n * 2] = lo;
      this.model[n * 2 + 1] = hi;
      if (this.pass && this.wantReg) this.writer.reg(this.t, n, 0, lo, hi, true);
    }
  }

  afterRun(exit: Exit): string | undefined {
    const { records, lost } = this.core.takeTrace();
    this.lost += lost;
    this.lastCall = undefined;
    visitRecords(records, this);
    // The call went to firmware (an EL the host owns): its results are known before the next run
    if (exit === Exit.HostException && this.lastCall) this.pendingCall = this.lastCall;
    if (this.out.closed) {
      this.stopReason = 'closed';
      return 'the trace\'s reader closed it';
    }
    if (this.out.full) {
      this.stopReason = 'max-bytes';
      return `trace stopped at instruction ${this.t}: --max-bytes ${this.out.maxBytes} reached`;
    }
    const w = this.filter.window;
    if (w && this.t >= w[0] + w[1]) {
      this.stopReason = 'window';
      return `trace window ended at instruction ${this.t}`;
    }
    return undefined;
  }

  // ---- RecordVisitor ----

  insn(icount: number, state: number, enc: number, pcLo: number, pcHi: number, paLo: number, paHi: number): void {
    this.t = icount;
    const world = stateWorld(state);
    const f = this.filter;
    this.pass = (f.window || f.els || f.worlds || f.pcRange) ? this.passes(icount, state, big(pcLo, pcHi)) : true;
    if (world !== this.world) {
      if (this.world >= 0 && this.pass && this.want('world')) this.writer.worldSwitch(icount, this.world, world);
      this.world = world;
    }
    if (this.pass && this.wantInsn) this.writer.insn(icount, state, enc, pcLo, pcHi, paLo, paHi);
  }

  reg(n: number, spEl: number, lo: number, hi: number): void {
    if (n < REG_SP) {
      this.model[n * 2] = lo;
      this.model[n * 2 + 1] = hi;
    }
    if (this.pass && this.wantReg && n <= REG_CPSR) this.writer.reg(this.t, n, spEl, lo, hi, false);
  }

  mem(write: boolean, size: number, vaLo: number, vaHi: number, paLo: number, paHi: number, vLo: number, vHi: number): void {
    if (this.pass && this.wantMem) this.writer.mem(this.t, write, size, vaLo, vaHi, paLo, paHi, vLo, vHi);
  }

  exception(e: ExceptionRecord): void {
    this.t = e.icount;
    this.pass = this.passes(e.icount, e.state, e.ret);
    let call: CallEvent | undefined;
    const ec = (e.esr >> 26n) & 0x3fn;
    if (e.type === 0 && (ec === EC_SMC || ec === EC_HVC)) {
      call = callEvent(ec === EC_SMC ? 'SMC' : 'HVC', (n) => this.x(n));
      this.lastCall = call;
    }
    if (this.pass && this.want('exception')) this.writer.exception(e, call);
  }

  eret(e: EretRecord): void {
    this.t = e.icount;
    this.pass = this.passes(e.icount, e.state, undefined);
    if (this.pass && this.want('eret')) this.writer.eret(e);
  }
}
