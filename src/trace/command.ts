// cca-emu trace IMAGE (Tarmac or NDJSON of a run, with filters) and cca-emu disasm IMAGE (capstone-wasm
// over the ELF's code, labelled with its symbols).
import { Command, InvalidArgumentError, Option } from 'commander';
import { addRunOptions, prepareMachine, readImage, stopStatus, integer, UsageError, EXIT_BUDGET, type RunOptions } from '../cli.js';
import { bootRealm } from '../boot/boot.js';
import { addRealmOptions, endStatus, type BootCommandOptions } from '../boot/command.js';
import type { Machine } from '../machine/machine.js';
import { parseElf, type LoadedImage } from '../elf/load.js';
import { Disassembler } from './disasm.js';
import { TraceOutput, peOutputPath } from './output.js';
import { TarmacWriter } from './tarmac.js';
import { NdjsonWriter } from './ndjson.js';
import { Tracer, type TraceFilter } from './tracer.js';
import { EVENT_KINDS, type EventKind } from './events.js';
import { WORLDS } from './records.js';
import { PF_X } from '../elf/format.js';

interface TraceOptions extends RunOptions {
  format: 'tarmac' | 'ndjson';
  output?: string;
  els?: Set<number>;
  world?: Set<number>;
  pcRange?: [bigint, bigint];
  window?: [number, number];
  events?: Set<EventKind>;
  maxBytes?: bigint;
}

const address = (name: string) => integer(name, 0n, (1n << 64n) - 1n);

/** "A:B" with A < B, both integers (decimal or 0x). */
function rangeOf(name: string): (v: string) => [bigint, bigint] {
  return (v) => {
    const parts = v.split(':');
    if (parts.length !== 2) throw new InvalidArgumentError(`${name} must be START:END`);
    const [a, b] = parts.map(address(name));
    if (a >= b) throw new InvalidArgumentError(`${name}: START must be below END`);
    return [a, b];
  };
}

function listOf<T>(name: string, allowed: readonly string[], map: (s: string) => T): (v: string) => Set<T> {
  return (v) => {
    const items = v.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
    if (items.length === 0) throw new InvalidArgumentError(`${name} needs at least one of ${allowed.join(', ')}`);
    for (const s of items) {
      if (!allowed.includes(s)) throw new InvalidArgumentError(`${name}: '${s}' is not one of ${allowed.join(', ')}`);
    }
    return new Set(items.map(map));
  };
}

function windowOf(v: string): [number, number] {
  const parts = v.split(':');
  if (parts.length !== 2) throw new InvalidArgumentError('--window must be START:COUNT');
  const [start, count] = parts.map(integer('--window', 0n, BigInt(Number.MAX_SAFE_INTEGER)));
  if (count === 0n) throw new InvalidArgumentError('--window: COUNT must be at least 1');
  return [Number(start), Number(count)];
}

/** The trace's output file (PE 0's), or stdout. */
function openOutput(opts: TraceOptions): TraceOutput {
  const toStdout = opts.output === undefined || opts.output === '-';
  try {
    return new TraceOutput(toStdout ? undefined : peOutputPath(opts.output!, 0), opts.maxBytes === undefined ? Infinity : Number(opts.maxBytes));
  } catch (e) {
    throw new UsageError(`cannot write ${opts.output}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** The guest's console goes to stderr when the trace has stdout. */
function consoleFor(opts: TraceOptions): (b: Uint8Array) => void {
  const toStdout = opts.output === undefined || opts.output === '-';
  return (b) => (toStdout ? process.stderr.write(b) : process.stdout.write(b));
}

function tracerFor(machine: Machine, dis: Disassembler, out: TraceOutput, opts: TraceOptions): Tracer {
  const writer = opts.format === 'ndjson' ? new NdjsonWriter(out, dis, 0) : new TarmacWriter(out, dis);
  const filter: TraceFilter = { els: opts.els, worlds: opts.world, pcRange: opts.pcRange, window: opts.window, events: opts.events };
  return new Tracer(machine.core, writer, out, filter, (pa, n) => machine.readPhysical(pa, n));
}

/** --stats and the ring's health on stderr. */
function report(opts: TraceOptions, tracer: Tracer | undefined, out: TraceOutput, instructions: bigint, seconds: number): void {
  if (opts.stats) {
    process.stderr.write(`instructions: ${instructions}\ntrace bytes: ${out.written}\nwall time: ${seconds.toFixed(3)} s\n` +
      `MIPS: ${(seconds > 0 ? Number(instructions) / seconds / 1e6 : 0).toFixed(2)}\n`);
  }
  if (tracer && tracer.lost > 0) process.stderr.write(`cca-emu: the trace ring dropped ${tracer.lost} records (an emulator bug)\n`);
}

/** A write of the trace failed (a full disk, say): said on stderr, and the exit status is 1. */
function writeFailed(out: TraceOutput): boolean {
  if (out.writeError === undefined) return false;
  process.stderr.write(`cca-emu: cannot write the trace to ${out.path ?? 'stdout'}: ${out.writeError}\n`);
  return true;
}

async function traceCommand(image: string, opts: TraceOptions): Promise<number> {
  const dis = await Disassembler.create();
  // One tracer follows one PE: the round-robin PE switch would interleave their records
  if (opts.cpus > 1n) throw new UsageError('trace follows one PE for now: --cpus must be 1');
  const machine = prepareMachine(image, opts, { trace: true, console: consoleFor(opts) });
  const out = openOutput(opts);
  const tracer = tracerFor(machine, dis, out, opts);
  machine.hooks = tracer;
  const t0 = process.hrtime.bigint();
  const stop = machine.run(opts.maxInstructions);
  out.close();
  const instructions = machine.stats().instructions;
  report(opts, tracer, out, instructions, Number(process.hrtime.bigint() - t0) / 1e9);
  if (writeFailed(out)) return 1;
  const { status, message } = stopStatus(stop, instructions);
  // The window is done, or the reader has all it wanted: a complete trace
  if (tracer.stopReason === 'window' || tracer.stopReason === 'closed') return 0;
  if (message) process.stderr.write(`cca-emu: ${message}\n`);
  return status;
}

interface TraceBootOptions extends TraceOptions, Omit<BootCommandOptions, 'stats' | 'json' | 'tokenOut' | 'expectRim'> {}

/** `trace boot IMAGE`: a realm boot as `boot` runs it (PE 0: the hypervisor at NS-EL2, the realm's RECs), traced. */
async function traceBootCommand(image: string, opts: TraceBootOptions): Promise<number> {
  const dis = await Disassembler.create();
  const elf = readImage(image);
  const out = openOutput(opts);
  let tracer: Tracer | undefined;
  const warnings: string[] = [];
  const r = bootRealm(elf, {
    recs: Number(opts.recs), ipaBits: Number(opts.ipaBits), hash: opts.hash, ramMiB: Number(opts.ram),
    challenge: opts.challenge, maxInstructions: opts.maxInstructions, console: consoleFor(opts), warn: (m) => warnings.push(m),
    trace: (machine) => (tracer = tracerFor(machine, dis, out, opts)),
  });
  out.close();
  report(opts, tracer, out, r.instructions, r.seconds);
  if (writeFailed(out)) return 1;
  for (const w of warnings) process.stderr.write(`cca-emu: warning: ${w}\n`);
  if (tracer?.stopReason === 'window' || tracer?.stopReason === 'closed') return 0;
  if (tracer?.stopReason === 'max-bytes') {
    process.stderr.write(`cca-emu: trace stopped: --max-bytes ${opts.maxBytes} reached\n`);
    return EXIT_BUDGET;
  }
  const problems: string[] = [];
  const status = endStatus(r, problems);
  for (const p of problems) process.stderr.write(`cca-emu: ${p}\n`);
  return status;
}

/** The code bytes at [start, end) of the image's loaded segments, by virtual address. */
function codeAt(img: LoadedImage, start: bigint, end: bigint): { va: bigint; word: number }[] {
  const words: { va: bigint; word: number }[] = [];
  for (const s of img.segments) {
    const lo = s.vaddr > start ? s.vaddr : start;
    const segEnd = s.vaddr + BigInt(s.data.length);
    const hi = segEnd < end ? segEnd : end;
    const dv = new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength);
    for (let va = (lo + 3n) & ~3n; va + 4n <= hi; va += 4n) words.push({ va, word: dv.getUint32(Number(va - s.vaddr), true) });
  }
  return words.sort((a, b) => (a.va < b.va ? -1 : a.va > b.va ? 1 : 0));
}

async function disasmCommand(image: string, opts: { symbol?: string; range?: [bigint, bigint] }): Promise<number> {
  if (opts.symbol !== undefined && opts.range !== undefined) throw new UsageError('give --symbol or --range, not both');
  const img = parseElf(readImage(image), [{ name: 'all', base: 0n, size: 1n << 64n, kind: 'ram' }]);
  const dis = await Disassembler.create();
  let words: { va: bigint; word: number }[];
  if (opts.symbol !== undefined) {
    const start = img.symbols.get(opts.symbol);
    if (start === undefined) throw new UsageError(`no symbol ${opts.symbol} in ${image}`);
    // The symbol's extent: as far as the image's code symbols attribute addresses to it
    const inSymbol = (va: bigint) => { const s = img.symbolAt(va); return s === opts.symbol || s?.startsWith(`${opts.symbol}+`); };
    words = codeAt(img, start, (1n << 64n) - 1n);
    const end = words.findIndex((w) => !inSymbol(w.va));
    if (end >= 0) words = words.slice(0, end);
  } else if (opts.range !== undefined) {
    words = codeAt(img, opts.range[0], opts.range[1]);
  } else {
    words = img.segments.filter((s) => s.flags & PF_X).flatMap((s) => codeAt(img, s.vaddr, s.vaddr + BigInt(s.data.length)));
  }
  if (words.length === 0) throw new UsageError('no code in that range of the image');
  const lines: string[] = [];
  for (const { va, word } of words) {
    const sym = img.symbolAt(va);
    if (sym !== undefined && !sym.includes('+')) lines.push(`${lines.length ? '\n' : ''}${va.toString(16).padStart(16, '0')} <${sym}>:`);
    const text = dis.word(word, va) ?? `.inst 0x${word.toString(16).padStart(8, '0')}`;
    // Branch and address targets get the symbol they land in, as objdump shows them
    const target = /^(b|bl|b\.\w+|cbn?z|tbn?z|adr)\s.*#0x([0-9a-f]+)$/.exec(text);
    const where = target ? img.symbolAt(BigInt(`0x${target[2]}`)) : undefined;
    lines.push(`${va.toString(16).padStart(16, '0')}:  ${word.toString(16).padStart(8, '0')}  ${text}${where ? ` <${where}>` : ''}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

/** The options of both trace forms: format, output, filters, limits. */
function addTraceOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'trace format').choices(['tarmac', 'ndjson']).default('tarmac'))
    .option('-o, --output <file>', 'write the trace to FILE (PE 0; PE n writes FILE with .pe<n> before the extension); default stdout')
    // --el is run's start EL, so the EL filter is --els
    .addOption(new Option('--els <list>', 'keep only these ELs (e.g. 1,2)').argParser(listOf('--els', ['0', '1', '2', '3'], Number)))
    .addOption(new Option('--world <list>', 'keep only these security states').argParser(listOf('--world', WORLDS, (s) => WORLDS.indexOf(s as (typeof WORLDS)[number]))))
    .addOption(new Option('--pc-range <A:B>', 'keep only instructions with A <= PC < B').argParser(rangeOf('--pc-range')))
    .addOption(new Option('--window <START:COUNT>', 'keep only instructions START .. START+COUNT-1 (numbered from 1), then stop').argParser(windowOf))
    .addOption(new Option('--events <kinds>', `keep only these event kinds: ${EVENT_KINDS.join(',')}`).argParser(listOf('--events', EVENT_KINDS, (s) => s as EventKind)))
    .addOption(new Option('--max-bytes <n>', 'stop when the trace would exceed N bytes').argParser(integer('--max-bytes', 1n, 1n << 53n)))
    .option('--stats', 'print instructions, trace bytes, wall time and MIPS on stderr');
}

export function addTraceCommands(program: Command): void {
  const trace = addTraceOptions(addRunOptions(program
    .command('trace')
    .description('run an image and trace every instruction: Tarmac (Arm\'s tarmac-trace-utilities read it) or NDJSON; `trace boot IMAGE` traces a realm boot')
    .argument('<image>', 'ELF64 AArch64 executable')))
    // `trace boot ... -o FILE`: the options after `boot` are the realm boot's
    .enablePositionalOptions()
    .action(async (image: string, opts: TraceOptions) => {
      process.exitCode = await traceCommand(image, opts);
    });
  addTraceOptions(addRealmOptions(trace
    .command('boot')
    .description('boot a realm guest as `boot` does and trace PE 0: the hypervisor at NS-EL2, the SMCs to EL3 and the RMM, the realm at Realm EL1 (mode suffix _rl), world switches as E lines')
    .argument('<image>', 'realm guest ELF64 linked at IPA 0x80000000')))
    .addOption(new Option('--max-instructions <n>', 'stop after this many instructions (host and realm)').argParser(integer('--max-instructions', 1n, 1n << 62n)))
    .action(async (image: string, opts: TraceBootOptions) => {
      process.exitCode = await traceBootCommand(image, opts);
    });
  program
    .command('disasm')
    .description('disassemble an image\'s code with capstone-wasm, labelled with its symbols')
    .argument('<image>', 'ELF64 AArch64 executable')
    .option('--symbol <name>', 'only the code of this symbol')
    .addOption(new Option('--range <A:B>', 'only addresses A <= VA < B').argParser(rangeOf('--range')))
    .action(async (image: string, opts: { symbol?: string; range?: [bigint, bigint] }) => {
      process.exitCode = await disasmCommand(image, opts);
    });
}
