// The host side of tracing: after every run() it hands the core's records to the drain (wasm/drain.ts),
// which keeps the model of the PE (instruction count, security state, X0-X30), applies the filters and
// formats the frequent records in the writer's format; the tracer serves what the drain returns for
// (instruction texts, exceptions and their calls, ERETs, world switches, output batches), and writes what
// firmware changed between runs (SMC results, a REC entry) as register writes.
import { Exit, type Core } from '../core/core.js';
import type { RunHooks } from '../machine/machine.js';
import { hostRecord, REC_REG, stateEl, stateWorld, type ExceptionRecord, type EretRecord } from './records.js';
import { callEvent, EVENT_KINDS, type CallEvent, type EventKind } from './events.js';
import type { TraceWriter } from './writer.js';
import type { TraceOutput } from './output.js';
import { ascii } from './output.js';
import { Drain, DrainResult } from './drain.js';
import { RMI_REC_ENTER, recExitEvent, type RecExitEvent } from './calls.js';
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
const MAX_PENDING_CALLS = 16;
// RmiRecRun is one 4 KiB granule (RMM B4.4.20)
const REC_RUN_SIZE = 0x1000;
// Records drained while they are still in the cache: a few thousand instructions' worth
const DRAIN_POINT = 256 << 10;

const mask = (s: Set<number>): number => [...s].reduce((m, n) => m | (1 << n), 0);

export class Tracer implements RunHooks {
  private readonly drain: Drain;
  /**
   * Calls firmware is serving, innermost last, each with the EL and security state it was made from: a
   * call returns when the PE is back there (RMI_REC_ENTER only after the realm's REC exit, and an RSI call
   * that made a REC exit only on the next REC entry).
   */
  private readonly pending: { call: CallEvent; state: number }[] = [];
  private lastCall?: { call: CallEvent; state: number };
  private readonly want: (k: EventKind) => boolean;
  /** Records the core dropped (a ring overflow: reported, never silent). */
  lost = 0;
  /** Why the tracer stopped the machine, if it did. */
  stopReason?: 'max-bytes' | 'window' | 'closed' | 'write-error';

  /**
   * `readPhysical` reads guest memory for the tracer's decoding of firmware results (the REC exit that
   * RMI_REC_ENTER writes into the host's RmiRecRun); without it those go undecoded.
   */
  constructor(private readonly core: Core, private readonly writer: TraceWriter, private readonly out: TraceOutput,
    private readonly filter: TraceFilter = {}, private readonly readPhysical?: (pa: bigint, length: number) => Uint8Array | undefined) {
    this.want = (k) => filter.events === undefined || filter.events.has(k);
    this.drain = new Drain(core.traceRingSize, writer.pe);
    core.traceDrainPoint = DRAIN_POINT;
    out.adopt(this.drain.out, this.drain.outBatch);
    const d = this.drain;
    d.set32('MODE', d.constant(writer.format === 'ndjson' ? 'MODE_NDJSON' : 'MODE_TARMAC'));
    d.set32('EVENTS', EVENT_KINDS.reduce((m, k, i) => (this.want(k) ? m | (1 << i) : m), 0));
    let filters = 0;
    if (filter.window) {
      filters |= d.constant('FILTER_WINDOW');
      d.set64('WIN_START', BigInt(filter.window[0]));
      d.set64('WIN_END', BigInt(filter.window[0] + filter.window[1]));
    }
    if (filter.els) { filters |= d.constant('FILTER_ELS'); d.set32('ELS', mask(filter.els)); }
    if (filter.worlds) { filters |= d.constant('FILTER_WORLDS'); d.set32('WORLDS', mask(filter.worlds)); }
    if (filter.pcRange) {
      filters |= d.constant('FILTER_PC');
      d.set64('PC_LO', filter.pcRange[0]);
      d.set64('PC_HI', filter.pcRange[1]);
    }
    d.set32('FILTERS', filters);
    // Before the first instruction (the initial SP and cpsr) only an unfiltered trace has a context
    d.set32('PASS', filters === 0 ? 1 : 0);
  }

  private exception(e: ExceptionRecord): void {
    let call: CallEvent | undefined;
    const ec = (e.esr >> 26n) & 0x3fn;
    if (e.type === 0 && (ec === EC_SMC || ec === EC_HVC)) {
      call = callEvent(ec === EC_SMC ? 'SMC' : 'HVC', (n) => this.drain.modelX(n));
      this.lastCall = { call, state: stateEl(e.state) | (stateWorld(e.state) << 2) };
    }
    if (this.passes() && this.want('exception')) this.writer.exception(e, call);
  }

  private eret(e: EretRecord): void {
    if (this.passes() && this.want('eret')) this.writer.eret(e);
  }

  private passes(): boolean {
    return this.drain.get32('PASS') !== 0;
  }

  /** Drains the records loaded into the drain; false once the output is full. */
  private run(): boolean {
    const d = this.drain, out = this.out, w = this.writer;
    for (;;) {
      if (out.full) return false;
      d.set32('OUT_POS', out.pending);
      d.set32('OUT_LIMIT', out.room);
      const r = d.drain();
      out.pending = d.get32('OUT_POS');
      switch (r) {
        case DrainResult.Done:
          return true;
        case DrainResult.Flush:
          out.flush();
          break;
        case DrainResult.Full:
          out.full = true;
          return false;
        case DrainResult.Miss: {
          const i = d.get32('REC') >> 2, ws = d.words;
          d.install(d.get32('SLOT'), i, ascii(w.insnText((ws[i] >>> 8) & 0xff, ws[i + 1], ws[i + 2], ws[i + 3], ws[i + 4], ws[i + 5])));
          break;
        }
        case DrainResult.World: {
          const i = d.get32('REC') >> 2;
          w.worldSwitch(d.t, d.get32('PREV_WORLD'), d.get32('WORLD'), big(d.words[i + 2], d.words[i + 3]));
          break;
        }
        default: { // Exception, Eret, Host: the record at REC, already visited by the drain
          const rec = hostRecord(d.words, d.get32('REC') >> 2);
          if ('exception' in rec) this.exception(rec.exception);
          else this.eret(rec.eret);
        }
      }
    }
  }

  /** The PE's EL and security state now, as records encode them (EL in bits 1:0, state in 3:2). */
  private peState(): number {
    const el = this.core.el;
    // Arm ARM D1.2 (RME): below EL3 the state is SCR_EL3.{NSE, NS}; these encodings are records.ts WORLDS'
    const scr = el === 3 ? 0n : this.core.sysreg('SCR_EL3');
    const world = el === 3 ? 2 : Number(((scr >> 61n) & 2n) | (scr & 1n));
    return el | (world << 2);
  }

  private callReturned(call: CallEvent): void {
    if (this.drain.get32('PASS') === 0 || !this.want('call')) return;
    const results = [0, 1, 2, 3].map((n) => this.core.x(n));
    // RMM B4.3.12: on success the REC exit is in the RmiRecRun at run_ptr (X2)
    let recExit: RecExitEvent | undefined;
    if (call.fid === RMI_REC_ENTER && results[0] === 0n && call.args.length >= 2) {
      const run = this.readPhysical?.(call.args[1], REC_RUN_SIZE);
      if (run) recExit = recExitEvent(run);
    }
    this.writer.callReturn(this.drain.t, call, results, recExit);
  }

  // ---- RunHooks ----

  beforeRun(): void {
    if (this.pending.length > 0) {
      const here = this.peState();
      for (let i = this.pending.length - 1; i >= 0; i--) {
        if (this.pending[i].state !== here) continue;
        this.callReturned(this.pending[i].call);
        this.pending.splice(i, 1);
      }
    }
    // Registers firmware wrote since the last run (SMC results, a REC entry): register records of its own,
    // drained like the core's, at the current time
    const changed = new Uint32Array(31 * 4);
    let words = 0;
    for (let n = 0; n < 31; n++) {
      const v = this.core.x(n);
      if (v === this.drain.modelX(n)) continue;
      changed[words] = REC_REG | (n << 8);
      changed[words + 2] = Number(v & 0xffff_ffffn);
      changed[words + 3] = Number(v >> 32n);
      words += 4;
    }
    if (words === 0) return;
    this.drain.load(changed.subarray(0, words));
    this.drain.set32('BY_FIRMWARE', 1);
    this.run();
    this.drain.set32('BY_FIRMWARE', 0);
  }

  afterRun(exit: Exit): string | undefined {
    const { records, lost } = this.core.takeTrace();
    this.lost += lost;
    this.lastCall = undefined;
    this.drain.load(records);
    this.run();
    // The call went to firmware (an EL the host owns): its results are known once the PE is back
    if (exit === Exit.HostException && this.lastCall) {
      this.pending.push(this.lastCall);
      // A call whose caller never runs again (CPU_OFF, a realm destroyed mid-call) is forgotten eventually
      if (this.pending.length > MAX_PENDING_CALLS) this.pending.shift();
    }
    const t = this.drain.t;
    if (this.out.writeError !== undefined) {
      this.stopReason = 'write-error';
      return `cannot write the trace: ${this.out.writeError}`;
    }
    if (this.out.closed) {
      this.stopReason = 'closed';
      return 'the trace\'s reader closed it';
    }
    if (this.out.full) {
      this.stopReason = 'max-bytes';
      return `trace stopped at instruction ${t}: --max-bytes ${this.out.maxBytes} reached`;
    }
    const win = this.filter.window;
    if (win && t >= win[0] + win[1]) {
      this.stopReason = 'window';
      return `trace window ended at instruction ${t}`;
    }
    return undefined;
  }
}
