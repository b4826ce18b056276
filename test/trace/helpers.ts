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
