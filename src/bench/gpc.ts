// `cca-emu bench gpc`: the Granule Protection Check's speed, measured in one run. GPT layouts (L1 granule
// descriptors, L1 contiguous descriptors, L0 block descriptors; 4K/16K/64K granules; protected spaces of
// any power-of-two size from 1 GiB to 1 TiB) are built in guest RAM and walked by the core's own GPC over
// address streams (sequential, strided, random, hot set): raw walks per second, lookups per second through
// the verdict cache TLB fills use, and the interpreter's speed with the GPC off, folded into the TLB, and
// checked on every access. The loops run inside the core: no host call per lookup.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Machine } from '../machine/machine.js';
import type { Core } from '../core/core.js';

export type Pgs = 12 | 14 | 16;
export type Form = 'granule' | 'contig' | 'block';
export type Stream = 'sequential' | 'strided' | 'random' | 'hot';

export const FORMS: Form[] = ['granule', 'contig', 'block'];
export const STREAMS: Stream[] = ['sequential', 'strided', 'random', 'hot'];

export interface GpcBenchOptions {
  pgs: Pgs[];
  sizes: bigint[]; // protected bytes, powers of two
  forms: Form[];
  streams: Stream[];
  lookups: number; // per measurement
  image?: string; // interpreter workload (ELF); none: skip the interpreter figures
  repeat: number; // interpreter rounds (each runs the three modes)
  instructions: bigint; // interpreter instructions per run
  progress?: (line: string) => void;
}

export interface LayoutResult {
  form: Form;
  granule: string;
  protectedBytes: number;
  pps: number;
  stream: Stream;
  lookups: number;
  walksPerSecond: number;
  cachedLookupsPerSecond: number;
  passed: number;
  counters: { checks: number; gptWalks: number; verdictsReused: number; gpf: number; walkFaults: number };
}

export interface InterpreterResult {
  workload: string;
  instructions: number; // per run with the GPC off (folded: the same; every access: a fifth)
  rounds: number;
  gpcOffMips: number;
  tlbFoldedMips: number;
  everyAccessMips: number;
  foldedLoss: number; // 1 - the median of each round's folded/off ratio
  foldedLossRange: [number, number]; // the smallest and largest of the rounds
  counters: { folded: { checks: number; gptWalks: number; verdictsReused: number }; everyAccess: { checks: number; gptWalks: number } };
}

export interface GpcBenchResult {
  walksPerSecond: number;
  cachedLookupsPerSecond: number;
  interpreter: { gpcOffMips: number; tlbFoldedMips: number; everyAccessMips: number };
  layouts: LayoutResult[];
  interpreterDetail?: InterpreterResult;
}

// PAS and security-state numbers of the core (assembly/cpu/pstate.ts SEC_*)
const NONSECURE = 1;
const GPI_NS = 0x9n, GPI_ROOT = 0xan, GPI_REALM = 0xbn, GPI_ANY = 0xfn;
const L0GPTSZ = 30; // the core's GPCCR_EL3.L0GPTSZ: 1 GB per level-0 entry
const RAM_BASE = 0x8000_0000n;
const RAM_MIB = 512;
const GPT_AREA = RAM_BASE + 0x200_0000n; // GPTs are built from here (the interpreter's image sits below)
const L1_BUDGET = 16n << 20n; // distinct L1 tables beyond this are shared by several L0 entries
const STREAM_LEN = 1 << 16;
/** The headline figures' layout and stream: a full two-level walk with the tables in cache. */
const HEADLINE = { form: 'granule' as Form, pgs: 12 as Pgs, size: 1n << 30n, stream: 'hot' as Stream };
const BEST_OF = 3;

/** GPCCR_EL3 for a layout: PPS, PGS, Inner Shareable Write-Back walks, GPC on (D24.2.56). */
function gpccr(pps: number, pgs: Pgs): bigint {
  const ppsCode = ({ 32: 0, 36: 1, 40: 2, 42: 3, 44: 4, 48: 5 } as Record<number, number>)[pps];
  const pgsCode = pgs === 12 ? 0n : pgs === 14 ? 2n : 1n;
  return BigInt(ppsCode) | (pgsCode << 14n) | (3n << 12n) | (1n << 10n) | (1n << 8n) | (1n << 16n);
}

/** The smallest PPS encoding that covers `bytes` (at least 4 GB: the RAM holding the GPT must be inside). */
export function ppsFor(bytes: bigint): number {
  const need = Math.max(32, bytes.toString(2).length - 1);
  const pps = [32, 36, 40, 42, 44, 48].find((p) => p >= need);
  if (pps === undefined) throw new Error(`no PPS covers ${bytes} bytes`);
  return pps;
}

function granuleName(pgs: Pgs): string {
  return pgs === 12 ? '4K' : pgs === 14 ? '16K' : '64K';
}

/**
 * Writes a GPT protecting [0, size) with `form` descriptors; returns the GPTBR_EL3 and GPCCR_EL3 values.
 * `mixed`: one Realm and one Root granule per 1 MB among the Non-secure ones (else all Non-secure).
 */
export function buildGpt(m: Machine, form: Form, pgs: Pgs, size: bigint, mixed = true): { gptbr: bigint; gpccr: bigint; pps: number } {
  const pps = ppsFor(size);
  const l0Entries = 1 << (pps - L0GPTSZ);
  const l0Bytes = BigInt(l0Entries * 8);
  const l0 = (GPT_AREA + l0Bytes - 1n) & ~(l0Bytes - 1n) & ~0xfffn;
  const l1Entries = 1 << (L0GPTSZ - pgs - 4);
  const l1Bytes = BigInt(l1Entries * 8);
  let next = l0 + (l0Bytes > 0x1000n ? l0Bytes : 0x1000n);
  const protectedGb = Number(size >> 30n);
  const l0Table = new BigUint64Array(l0Entries);
  const tables: bigint[] = [];
  const content = form === 'block' ? undefined : l1Table(form, l1Entries, mixed);
  for (let gb = 0; gb < l0Entries; gb++) {
    if (gb >= protectedGb) { l0Table[gb] = (GPI_ANY << 4n) | 1n; continue; } // beyond the layout: one block
    if (form === 'block') { l0Table[gb] = (GPI_NS << 4n) | 1n; continue; }
    // Distinct L1 tables up to the budget, then shared (their walks cost the same)
    if (BigInt(tables.length) * l1Bytes < L1_BUDGET) {
      const t = (next + l1Bytes - 1n) & ~(l1Bytes - 1n);
      next = t + l1Bytes;
      m.writePhysical(t, content!);
      tables.push(t);
    }
    l0Table[gb] = tables[gb % tables.length] | 3n;
  }
  // The GB of RAM holds the GPT itself: Root granules there would need their own table; any access is fine
  const ramGb = Number(RAM_BASE >> 30n);
  if (ramGb < l0Entries && ramGb >= protectedGb) l0Table[ramGb] = (GPI_ANY << 4n) | 1n;
  m.writePhysical(l0, new Uint8Array(l0Table.buffer));
  return { gptbr: l0 >> 12n, gpccr: gpccr(pps, pgs), pps };
}

/** One L1 table: granule descriptors (Non-secure, with Realm and Root granules when `mixed`) or contiguous ones. */
function l1Table(form: Form, entries: number, mixed: boolean): Uint8Array {
  const t = new BigUint64Array(entries);
  const allNs = 0x9999_9999_9999_9999n;
  for (let i = 0; i < entries; i++) {
    if (form === 'contig') t[i] = (1n << 8n) | (GPI_NS << 4n) | 1n; // Contig 0b01: 2 MB blocks of 4K granules
    else if (mixed && i % 16 === 0) t[i] = (allNs & ~0xff0n) | (GPI_REALM << 4n) | (GPI_ROOT << 8n);
    else t[i] = allNs;
  }
  return new Uint8Array(t.buffer);
}

/** STREAM_LEN physical addresses in [0, size). */
export function addressStream(kind: Stream, size: bigint, pgs: Pgs, seed = 1): BigUint64Array {
  const s = new BigUint64Array(STREAM_LEN);
  const granule = 1n << BigInt(pgs);
  let x = seed >>> 0 || 1;
  const rand = () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x;
  };
  const randomGranule = () => ((BigInt(rand()) << 20n) ^ BigInt(rand())) * granule % size;
  const hot = Array.from({ length: 256 }, randomGranule);
  const stride = (1n << 20n) + granule; // 1 MB and a granule: a new L1 descriptor every time
  for (let i = 0; i < STREAM_LEN; i++) {
    const n = BigInt(i);
    switch (kind) {
      case 'sequential': s[i] = (n * granule) % size; break;
      case 'strided': s[i] = (n * stride) % size; break;
      case 'random': s[i] = randomGranule(); break;
      case 'hot': s[i] = hot[i & 255]; break;
    }
    s[i] += BigInt(i * 64) & (granule - 1n); // an offset inside the granule
  }
  return s;
}

const scratchOf = new WeakMap<Core, number>();
function streamPointer(core: Core, s: BigUint64Array): number {
  let at = scratchOf.get(core);
  if (at === undefined) scratchOf.set(core, (at = core.ex.scratch(STREAM_LEN * 8)));
  core.bytes.set(new Uint8Array(s.buffer), at);
  return at;
}

/**
 * The CPU time `f` takes (user + system of this process): on a machine shared with other work, wall time
 * counts the time the scheduler gives to others; CPU time counts only ours.
 */
function seconds(f: () => void): number {
  const t0 = process.cpuUsage();
  f();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1e6;
}

function counters(core: Core) {
  const k = core.gpcCounters();
  return { checks: Number(k.checks), gptWalks: Number(k.gptWalks), verdictsReused: Number(k.verdictsReused), gpf: Number(k.faults.gpf), walkFaults: Number(k.faults.walk) };
}

function diff<T extends Record<string, number>>(a: T, b: T): T {
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v - a[k]])) as T;
}

/** Measures one layout over each stream: raw walks, then cached lookups (one cold pass fills the cache). */
function measure(m: Machine, form: Form, pgs: Pgs, size: bigint, streams: Stream[], lookups: number, progress?: () => void): LayoutResult[] {
  const core = m.core;
  const { gptbr, gpccr: cr, pps } = buildGpt(m, form, pgs, size);
  core.setSysreg('GPTBR_EL3', gptbr);
  core.setSysreg('GPCCR_EL3', cr);
  return streams.map((stream) => {
    progress?.();
    return measureStream(core, form, pgs, size, pps, stream, lookups);
  });
}

/** The address stream in the core's memory, with the verdict cache empty: what the lookup loops start from. */
function streamReady(core: Core, stream: Stream, size: bigint, pgs: Pgs): number {
  core.ex.tlb_flush(); // PAALL: the verdict cache starts empty
  return streamPointer(core, addressStream(stream, size, pgs));
}

/** Fills the verdict cache with the stream's pages, as the cached-lookup measure does before it counts. */
function coldPass(core: Core, ptr: number): void {
  core.ex.gpc_bench_cached(ptr, STREAM_LEN, STREAM_LEN, NONSECURE, NONSECURE);
}

function measureStream(core: Core, form: Form, pgs: Pgs, size: bigint, pps: number, stream: Stream, lookups: number): LayoutResult {
  const ptr = streamReady(core, stream, size, pgs);
  const k0 = counters(core);
  let passed = 0;
  // Each rate is the best of BEST_OF runs of a third of the lookups: the shared machine's noise only slows
  const part = Math.ceil(lookups / BEST_OF);
  let walkSeconds = Infinity, cachedSeconds = Infinity;
  for (let i = 0; i < BEST_OF; i++) {
    walkSeconds = Math.min(walkSeconds, seconds(() => { passed += core.ex.gpc_bench_walks(ptr, STREAM_LEN, part, NONSECURE, NONSECURE); }));
  }
  coldPass(core, ptr);
  for (let i = 0; i < BEST_OF; i++) {
    cachedSeconds = Math.min(cachedSeconds, seconds(() => { core.ex.gpc_bench_cached(ptr, STREAM_LEN, part, NONSECURE, NONSECURE); }));
  }
  lookups = part * BEST_OF;
  return {
    form, granule: granuleName(pgs), protectedBytes: Number(size), pps, stream, lookups,
    walksPerSecond: part / walkSeconds, cachedLookupsPerSecond: part / cachedSeconds, passed,
    counters: diff(k0, counters(core)),
  };
}

export type Mode = 'off' | 'folded' | 'every';
/** What `bench gpc --callgrind` counts: an interpreter mode, or the headline stream's walks or cached lookups. */
export type RunMode = Mode | 'walks' | 'cached';
export const RUN_MODES: RunMode[] = ['off', 'folded', 'every', 'walks', 'cached'];

/** The GPT the interpreter runs under: 4 GB protected, 4K granules, every granule Non-secure. */
interface InterpreterGpt { gptbr: bigint; gpccr: bigint }

interface ImageRun { instructions: number; seconds: number; counters: ReturnType<typeof counters> }

/**
 * Runs an image at EL1 Non-secure (GPC off, folded into the TLB, or checked on every access) for at most
 * `budget` instructions (or to its exit).
 */
function runImage(m: Machine, gpt: InterpreterGpt, elf: Uint8Array, mode: Mode, budget: bigint): ImageRun {
  const core = m.core;
  core.ex.reset(); // registers, system registers, TLB and configuration from scratch; RAM keeps the GPT
  const image = m.load(elf);
  m.start(image.entry, { el: 1, security: 'ns' });
  if (mode !== 'off') {
    core.setSysreg('GPTBR_EL3', gpt.gptbr);
    core.setSysreg('GPCCR_EL3', gpt.gpccr);
  }
  core.gpcEveryAccess = mode === 'every';
  core.stateChanged();
  const k0 = counters(core);
  const i0 = m.stats().instructions;
  let stop: ReturnType<Machine['run']> | undefined;
  const s = seconds(() => { stop = m.run(budget); });
  const finished = stop?.kind === 'budget' || (stop?.kind === 'exit' && stop.status === 0);
  if (!finished) throw new Error(`${mode}: the workload stopped early: ${JSON.stringify(stop)}`);
  return { instructions: Number(m.stats().instructions - i0), seconds: s, counters: diff(k0, counters(core)) };
}

/**
 * One mode on a machine of its own, set up as benchGpc sets it up: `n` instructions of `image` in an
 * interpreter mode (as interpreterFigures runs it), or `n` lookups of the headline stream, raw walks or
 * through the verdict cache after its cold pass (as measureStream runs them). What the callgrind measure
 * runs, once per mode and length, in a process of its own. Returns the instructions run or the passes.
 */
export function runMode(mode: RunMode, n: bigint, image: string): number {
  const m = new Machine({ ramMiB: RAM_MIB, console: () => {} });
  if (mode === 'walks' || mode === 'cached') {
    const core = m.core;
    const { gptbr, gpccr: cr } = buildGpt(m, HEADLINE.form, HEADLINE.pgs, HEADLINE.size);
    core.setSysreg('GPTBR_EL3', gptbr);
    core.setSysreg('GPCCR_EL3', cr);
    const ptr = streamReady(core, HEADLINE.stream, HEADLINE.size, HEADLINE.pgs);
    if (mode === 'walks') return core.ex.gpc_bench_walks(ptr, STREAM_LEN, Number(n), NONSECURE, NONSECURE);
    coldPass(core, ptr);
    return core.ex.gpc_bench_cached(ptr, STREAM_LEN, Number(n), NONSECURE, NONSECURE);
  }
  const { gptbr, gpccr: cr } = buildGpt(m, 'granule', 12, 4n << 30n, false);
  return runImage(m, { gptbr, gpccr: cr }, readFileSync(image), mode, n).instructions;
}

const median = (v: number[]) => {
  const s = [...v].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * The interpreter's speed in the three modes, all on machine `m`: one WebAssembly instance, so the three
 * run the very same machine code (with one instance per mode, the second ran 20% slower than the first
 * with the very same settings). Every mode is warmed up first; then `repeat` rounds run the three modes
 * back to back in a rotating order. The figures are medians, and the folded mode's cost is the median of
 * each round's folded/off ratio: two runs seconds apart share the machine's load, where the best or the
 * median of each mode alone compares runs a minute apart.
 */
export function interpreterFigures(m: Machine, image: string, repeat: number, budget: bigint, progress?: (line: string) => void): InterpreterResult {
  const elf = readFileSync(image);
  const modes: Mode[] = ['off', 'folded', 'every'];
  const { gptbr, gpccr: cr } = buildGpt(m, 'granule', 12, 4n << 30n, false);
  const gpt = { gptbr, gpccr: cr };
  // Checking every access is several times slower: a fifth of the budget gives its rate as well
  const budgetOf = (mode: Mode) => (mode === 'every' ? budget / 5n : budget);
  for (const mode of modes) {
    progress?.(`interpreter: warm-up, GPC ${mode}`);
    runImage(m, gpt, elf, mode, budgetOf(mode) / 2n); // the wasm tiers up on every path
  }
  const mips: Record<Mode, number[]> = { off: [], folded: [], every: [] };
  const ratios: number[] = [];
  let instructions = 0;
  let folded: ReturnType<typeof counters> | undefined;
  let every: ReturnType<typeof counters> | undefined;
  for (let i = 0; i < repeat; i++) {
    const round: Partial<Record<Mode, number>> = {};
    for (let j = 0; j < modes.length; j++) {
      const mode = modes[(i + j) % modes.length];
      progress?.(`interpreter: round ${i + 1}/${repeat}, GPC ${mode}`);
      const r = runImage(m, gpt, elf, mode, budgetOf(mode));
      round[mode] = r.instructions / r.seconds / 1e6;
      mips[mode].push(round[mode]!);
      if (mode === 'off') instructions = r.instructions;
      if (mode === 'folded') folded = r.counters;
      if (mode === 'every') every = r.counters;
    }
    ratios.push(round.folded! / round.off!);
  }
  return {
    workload: basename(image, '.elf'), instructions, rounds: repeat,
    gpcOffMips: median(mips.off), tlbFoldedMips: median(mips.folded), everyAccessMips: median(mips.every),
    foldedLoss: 1 - median(ratios), foldedLossRange: [1 - Math.max(...ratios), 1 - Math.min(...ratios)],
    counters: {
      folded: { checks: folded!.checks, gptWalks: folded!.gptWalks, verdictsReused: folded!.verdictsReused },
      everyAccess: { checks: every!.checks, gptWalks: every!.gptWalks },
    },
  };
}

/** The whole benchmark. The headline walk and lookup rates are the hot-set stream over 4K granule descriptors. */
export function benchGpc(o: GpcBenchOptions): GpcBenchResult {
  const m = new Machine({ ramMiB: RAM_MIB, console: () => {} });
  // Warm-up: the loops compiled (on their first call) and the caches filled before anything is timed
  measure(m, HEADLINE.form, HEADLINE.pgs, HEADLINE.size, [HEADLINE.stream], Math.min(o.lookups, 4_000_000));
  const layouts: LayoutResult[] = [];
  // L0 block descriptors do not depend on the granule size: one set of them
  const combos = o.forms.flatMap((form) => (form === 'block' ? [o.pgs[0]] : o.pgs).map((pgs) => ({ form, pgs })));
  const total = combos.length * o.sizes.length * o.streams.length;
  for (const { form, pgs } of combos) {
    for (const size of o.sizes) {
      let k = 0;
      const progress = () => o.progress?.(`layouts: ${layouts.length + ++k}/${total} ${form} ${granuleName(pgs)} ${size >> 30n} GiB ${o.streams[k - 1]}`);
      layouts.push(...measure(m, form, pgs, size, o.streams, o.lookups, progress));
    }
  }
  const [head] = measure(m, HEADLINE.form, HEADLINE.pgs, HEADLINE.size, [HEADLINE.stream], o.lookups);
  const interp = o.image ? interpreterFigures(m, o.image, o.repeat, o.instructions, o.progress) : undefined;
  return {
    walksPerSecond: head.walksPerSecond,
    cachedLookupsPerSecond: head.cachedLookupsPerSecond,
    interpreter: {
      gpcOffMips: interp?.gpcOffMips ?? 0,
      tlbFoldedMips: interp?.tlbFoldedMips ?? 0,
      everyAccessMips: interp?.everyAccessMips ?? 0,
    },
    layouts,
    interpreterDetail: interp,
  };
}
