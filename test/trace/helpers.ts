// Runs a sample image on the trace build in-process and returns its trace text (Tarmac or NDJSON).
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine, type StopReason } from '../../src/machine/machine.js';
import { Disassembler } from '../../src/trace/disasm.js';
import { TraceOutput } from '../../src/trace/output.js';
import { TarmacWriter } from '../../src/trace/tarmac.js';
import { NdjsonWriter } from '../../src/trace/ndjson.js';
import { Tracer, type TraceFilter } from '../../src/trace/tracer.js';
import { bootRealm, type BootResult } from '../../src/boot/boot.js';

const dir = mkdtempSync(join(tmpdir(), 'cca-trace-'));
let n = 0;

/** A sample image by name, or any ELF by path. */
const imagePath = (name: string) => (name.endsWith('.elf') ? name : `images/${name}/${name}.elf`);

export interface Traced {
  text: string;
  console: string;
  stop: StopReason;
  instructions: bigint;
  lost: number;
}

export async function traceImage(name: string, el: 0 | 1 | 2 | 3, format: 'tarmac' | 'ndjson', opts: { max?: bigint; filter?: TraceFilter; maxBytes?: number } = {}): Promise<Traced> {
  const dis = await Disassembler.create();
  let console = '';
  const m = new Machine({ ramMiB: 256, trace: true, console: (b) => (console += Buffer.from(b).toString('latin1')) });
  const image = m.load(readFileSync(imagePath(name)));
  m.start(image.entry, { el, security: el === 3 ? 'root' : 'ns' });
  const path = join(dir, `trace-${n++}.${format}`);
  const out = new TraceOutput(path, opts.maxBytes);
  const writer = format === 'tarmac' ? new TarmacWriter(out, dis) : new NdjsonWriter(out, dis);
  const tracer = new Tracer(m.core, writer, out, opts.filter ?? {});
  m.hooks = tracer;
  const stop = m.run(opts.max ?? 2_000_000_000n);
  out.close();
  return { text: readFileSync(path, 'latin1'), console, stop, instructions: m.stats().instructions, lost: tracer.lost };
}

/** The same image on the release core: the reference the trace build must match. */
export function runRelease(name: string, el: 0 | 1 | 2 | 3, max = 2_000_000_000n) {
  let console = '';
  const m = new Machine({ ramMiB: 256, console: (b) => (console += Buffer.from(b).toString('latin1')) });
  const image = m.load(readFileSync(imagePath(name)));
  m.start(image.entry, { el, security: el === 3 ? 'root' : 'ns' });
  const stop = m.run(max);
  return { console, stop, instructions: m.stats().instructions };
}

export interface TracedBoot {
  text: string;
  console: string;
  end: BootResult['end'];
  instructions: bigint;
  lost: number;
}

/** A sample realm guest booted as `cca-emu trace boot` does (PE 0: hypervisor, RMM entries, the realm), traced. */
export async function traceRealm(name: string, format: 'tarmac' | 'ndjson', opts: { filter?: TraceFilter; recs?: number } = {}): Promise<TracedBoot> {
  const dis = await Disassembler.create();
  let console = '';
  const path = join(dir, `realm-${n++}.${format}`);
  const out = new TraceOutput(path);
  let tracer: Tracer | undefined;
  const r = bootRealm(readFileSync(imagePath(name)), {
    recs: opts.recs, console: (b) => (console += Buffer.from(b).toString('latin1')),
    trace: (m) => (tracer = new Tracer(m.core, format === 'tarmac' ? new TarmacWriter(out, dis) : new NdjsonWriter(out, dis), out, opts.filter ?? {},
      (pa, length) => m.readPhysical(pa, length))),
  });
  out.close();
  return { text: readFileSync(path, 'latin1'), console, end: r.end, instructions: r.instructions, lost: tracer!.lost };
}

/** The same realm boot on the release core. */
export function bootRelease(name: string, recs?: number) {
  let console = '';
  const r = bootRealm(readFileSync(imagePath(name)), { recs, console: (b) => (console += Buffer.from(b).toString('latin1')) });
  return { console, end: r.end, instructions: r.instructions };
}
