// The host's handle on the trace drain (src/trace/wasm/drain.ts, built to build/trace-drain.wasm): its
// memory areas as views, the state fields by name, and the record copy into its input area.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const WASM_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'trace-drain.wasm');
let compiled: WebAssembly.Module | undefined;

/** drain()'s results (wasm/drain.ts RET_*). */
export const enum DrainResult {
  Done = 0,
  Flush = 1,
  Full = 2,
  Miss = 3,
  World = 4,
  Exception = 5,
  Eret = 6,
  Host = 7,
}

interface DrainExports {
  memory: WebAssembly.Memory;
  init(pe: number): number;
  drain(): number;
  [name: string]: unknown;
}

export class Drain {
  private readonly ex: DrainExports;
  readonly u8: Uint8Array;
  /** The input area as words (records are 8-byte aligned). */
  readonly words: Uint32Array;
  private readonly dv: DataView;
  private readonly state: number;
  private readonly inBase: number;
  readonly out: Uint8Array;
  readonly outBatch: number;
  private readonly cache: number;
  private readonly slotSize: number;
  readonly textMax: number;
  private readonly keySize: number;
  private readonly textAt: number;

  /** A drain whose input area holds `capacity` bytes of records (the core's ring size), for PE `pe`'s trace. */
  constructor(capacity: number, pe = 0) {
    compiled ??= new WebAssembly.Module(readFileSync(WASM_PATH));
    this.ex = new WebAssembly.Instance(compiled, { env: { abort: () => { throw new Error('trace drain abort'); } } }).exports as unknown as DrainExports;
    this.inBase = this.constant('IN');
    const need = this.inBase + capacity;
    const have = this.ex.memory.buffer.byteLength;
    if (need > have) this.ex.memory.grow(Math.ceil((need - have) / 65536));
    if (this.ex.init(pe) !== 0) throw new Error('trace drain: static data overlaps its state');
    // DrainResult names the drain's RET_* values: a build out of step with this file fails here, not later
    const results = { DONE: DrainResult.Done, FLUSH: DrainResult.Flush, FULL: DrainResult.Full, MISS: DrainResult.Miss,
      WORLD: DrainResult.World, EXC: DrainResult.Exception, ERET: DrainResult.Eret, HOST: DrainResult.Host };
    for (const [name, v] of Object.entries(results)) {
      if (this.constant(`RET_${name}`) !== v) throw new Error(`trace drain: RET_${name} is not ${v}`);
    }
    // Views after the growth: they stay valid from here on
    const buf = this.ex.memory.buffer;
    this.u8 = new Uint8Array(buf);
    this.dv = new DataView(buf);
    this.words = new Uint32Array(buf, this.inBase);
    this.state = this.constant('STATE');
    const outBase = this.constant('OUT');
    this.out = this.u8.subarray(outBase, outBase + this.constant('OUT_SIZE'));
    this.outBatch = this.constant('OUT_BATCH');
    this.cache = this.constant('CACHE');
    this.slotSize = this.constant('CACHE_SLOT_SIZE');
    this.textMax = this.constant('CACHE_TEXT_MAX');
    this.keySize = this.constant('CACHE_KEY_SIZE');
    this.textAt = this.constant('CACHE_TEXT');
  }

  /** One of the drain's exported constants (wasm/drain.ts): offsets, MODE_*, FILTER_*, RET_*. */
  constant(name: string): number {
    const g = this.ex[name];
    if (!(g instanceof WebAssembly.Global)) throw new Error(`trace drain exports no constant ${name}`);
    return Number(g.value);
  }

  private readonly fields = new Map<string, number>();
  private field(name: string): number {
    let f = this.fields.get(name);
    if (f === undefined) {
      f = this.state + this.constant(`S_${name}`);
      this.fields.set(name, f);
    }
    return f;
  }

  get32(name: string): number {
    return this.dv.getUint32(this.field(name), true);
  }
  set32(name: string, v: number): void {
    this.dv.setUint32(this.field(name), v >>> 0, true);
  }
  get64(name: string): bigint {
    return this.dv.getBigUint64(this.field(name), true);
  }
  set64(name: string, v: bigint): void {
    this.dv.setBigUint64(this.field(name), BigInt.asUintN(64, v), true);
  }
  /** Xn as the model has last seen it. */
  modelX(n: number): bigint {
    return this.dv.getBigUint64(this.field('MODEL') + n * 8, true);
  }
  /** The instruction count of the event being visited. */
  get t(): number {
    return Number(this.get64('T'));
  }

  /** Copies records into the input area, to be visited from the first. */
  load(records: Uint32Array): void {
    if (records.byteLength > this.u8.length - this.inBase) throw new Error('trace drain: more records than its input area holds');
    this.u8.set(new Uint8Array(records.buffer, records.byteOffset, records.byteLength), this.inBase);
    this.set32('IN_POS', 0);
    this.set32('IN_END', records.byteLength);
  }

  drain(): DrainResult {
    return this.ex.drain();
  }

  /** Caches an instruction's text (ASCII; the drain adds the newline) in `slot` under the key of the INSN record at word `w`. */
  install(slot: number, w: number, text: Uint8Array): void {
    const base = this.cache + slot * this.slotSize;
    if (text.length + 1 > this.textMax) throw new Error(`trace drain: an instruction's text of ${text.length} bytes (the cache holds ${this.textMax - 1})`);
    this.u8.set(new Uint8Array(this.words.buffer, this.words.byteOffset + w * 4, this.keySize), base);
    this.u8.set(text, base + this.textAt);
    this.u8[base + this.textAt + text.length] = 10;
    this.dv.setUint32(base + this.keySize, text.length + 1, true);
  }
}
