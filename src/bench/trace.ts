// cca-emu bench trace: one image run untraced, traced to a Tarmac file and traced to an NDJSON file, in the
// same process, with the wall and CPU time of each run and its rate in millions of instructions per second.
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { Machine } from '../machine/machine.js';
import { Disassembler } from '../trace/disasm.js';
import { TraceOutput } from '../trace/output.js';
import { TarmacWriter } from '../trace/tarmac.js';
import { NdjsonWriter } from '../trace/ndjson.js';
import { Tracer } from '../trace/tracer.js';
import { BenchError } from './cpu.js';
import { resolveImage } from './gpc-command.js';

export type TraceBenchMode = 'untraced' | 'tarmac' | 'ndjson';

export interface TraceBenchRow {
  mode: TraceBenchMode;
  instructions: number;
  wallSeconds: number;
  cpuSeconds: number;
  /** Millions of instructions per wall second and per CPU second (user + system, this process). */
  mips: number;
  cpuMips: number;
  /** Bytes of trace written. */
  bytes: number;
}

/** Runs `elf` at EL1 for at most `max` instructions in one mode; the trace goes to a file in `dir`, deleted after. */
export function benchTraceRun(elf: string, mode: TraceBenchMode, max: bigint, dis: Disassembler, dir: string): TraceBenchRow {
  const m = new Machine({ ramMiB: 256, trace: mode !== 'untraced', console: () => {} });
  const image = m.load(readFileSync(elf));
  m.start(image.entry, { el: 1, security: 'ns' });
  const path = join(dir, `${basename(elf, '.elf')}.${mode}`);
  let out: TraceOutput | undefined;
  if (mode !== 'untraced') {
    out = new TraceOutput(path);
    const writer = mode === 'tarmac' ? new TarmacWriter(out, dis) : new NdjsonWriter(out, dis);
    m.hooks = new Tracer(m.core, writer, out);
  }
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const stop = m.run(max);
  out?.close();
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  rmSync(path, { force: true });
  if (out?.writeError !== undefined) throw new BenchError(`cannot write the ${mode} trace to ${path}: ${out.writeError}`);
  if (stop.kind === 'guest-error' || (stop.kind === 'exit' && stop.status !== 0)) {
    throw new BenchError(`${basename(elf)} did not pass ${mode}: ${JSON.stringify(stop)}`);
  }
  const instructions = Number(m.stats().instructions);
  return {
    mode, instructions, wallSeconds, cpuSeconds, mips: instructions / wallSeconds / 1e6, cpuMips: instructions / cpuSeconds / 1e6,
    bytes: out?.written ?? 0,
  };
}

export interface TraceBenchOptions {
  image: string;
  /** Instructions of the untraced and Tarmac runs (the image runs to its end when it stops first). */
  max: bigint;
  /** Instructions of the NDJSON run: it writes several times the bytes of Tarmac, at a fraction of its rate. */
  ndjsonMax: bigint;
  modes: TraceBenchMode[];
}

export async function benchTrace(opts: TraceBenchOptions): Promise<TraceBenchRow[]> {
  const dis = await Disassembler.create();
  const dir = mkdtempSync(join(tmpdir(), 'cca-bench-trace-'));
  try {
    return opts.modes.map((mode) => benchTraceRun(opts.image, mode, mode === 'ndjson' ? opts.ndjsonMax : opts.max, dis, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatTraceBench(image: string, rows: TraceBenchRow[]): string {
  const lines = [`${basename(image)}: traced to files in ${tmpdir()}`,
    'mode        instructions   wall s    CPU s   MIPS (wall)   MIPS (CPU)   trace bytes  bytes/insn'];
  for (const r of rows) {
    lines.push(`${r.mode.padEnd(10)} ${String(r.instructions).padStart(13)} ${r.wallSeconds.toFixed(2).padStart(8)} ${r.cpuSeconds.toFixed(2).padStart(8)}` +
      ` ${r.mips.toFixed(2).padStart(13)} ${r.cpuMips.toFixed(2).padStart(12)} ${String(r.bytes).padStart(13)} ${(r.bytes / r.instructions).toFixed(1).padStart(11)}`);
  }
  return lines.join('\n');
}

export async function traceBenchCommand(opts: { image: string; maxInstructions: bigint; ndjsonInstructions: bigint; json?: boolean; modes: TraceBenchMode[] }): Promise<number> {
  const image = resolveImage(opts.image);
  if (image === undefined) {
    process.stderr.write(`cca-emu: no image ${opts.image} (a path, or a benchmark name such as bench-sort)\n`);
    return 2;
  }
  let rows: TraceBenchRow[];
  try {
    rows = await benchTrace({ image, max: opts.maxInstructions, ndjsonMax: opts.ndjsonInstructions, modes: opts.modes });
  } catch (e) {
    if (e instanceof BenchError) {
      process.stderr.write(`cca-emu: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  process.stdout.write(opts.json ? JSON.stringify({ image, results: rows }) + '\n' : formatTraceBench(image, rows) + '\n');
  return 0;
}
