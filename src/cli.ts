// The command line: cca-emu run | bench ... (commander). Usage errors and bad inputs exit with status 2 and
// one line naming the problem; a guest's semihosting exit status becomes the process's exit status.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { Machine, type Security } from './machine/machine.js';
import { ElfError } from './elf/load.js';
import { DEFAULT_RAM_MIB, MAX_RAM_MIB } from './machine/board.js';
import { benchCommand } from './bench/command.js';
import {
  gpcBenchCommand, parseGranules, parseSizes, parseForms, parseStreams, parseCount, type GpcCommandOptions,
} from './bench/gpc-command.js';

/** Exit statuses of the process besides the guest's own. */
export const EXIT_USAGE = 2;
export const EXIT_GUEST_ERROR = 3;
export const EXIT_BUDGET = 124;

class UsageError extends Error {}

function integer(name: string, min: bigint, max: bigint) {
  return (value: string): bigint => {
    if (!/^(0x[0-9a-f]+|\d+)$/i.test(value)) throw new InvalidArgumentError(`${name} must be an integer`);
    const v = BigInt(value);
    if (v < min || v > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}`);
    return v;
  };
}

interface RunOptions {
  el: bigint;
  security?: Security;
  maxInstructions?: bigint;
  ram: bigint;
  stats?: boolean;
  json?: boolean;
}

function runCommand(image: string, opts: RunOptions): number {
  const el = Number(opts.el) as 0 | 1 | 2 | 3;
  const security: Security = opts.security ?? (el === 3 ? 'root' : 'ns');
  if (el === 3 && security !== 'root') throw new UsageError(`--el 3 runs in the Root security state, not ${security}`);
  if (el < 3 && security === 'root') throw new UsageError('--security root is only for --el 3');
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(image);
  } catch (e) {
    throw new UsageError(`cannot read ${image}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const out: Buffer[] = [];
  const json = opts.json === true;
  const machine = new Machine({
    ramMiB: Number(opts.ram),
    console: (b) => (json ? out.push(Buffer.from(b)) : process.stdout.write(b)),
  });
  const loaded = machine.load(bytes);
  machine.start(loaded.entry, { el, security });
  const t0 = process.hrtime.bigint();
  const stop = machine.run(opts.maxInstructions);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const st = machine.stats();
  let status: number;
  let message: string | undefined;
  switch (stop.kind) {
    case 'exit': status = stop.status; break;
    case 'system-off': status = 0; break;
    case 'system-reset': status = 0; message = 'guest requested a system reset; stopping'; break;
    case 'budget': status = EXIT_BUDGET; message = `stopped after ${st.instructions} instructions (--max-instructions)`; break;
    case 'guest-error': status = EXIT_GUEST_ERROR; message = `guest error: ${stop.message}`; break;
  }
  const mips = seconds > 0 ? Number(st.instructions) / seconds / 1e6 : 0;
  if (json) {
    process.stdout.write(JSON.stringify({
      image, stop: stop.kind, status, message, console: Buffer.concat(out).toString('latin1'),
      instructions: Number(st.instructions), seconds, mips, exits: st.exits,
      exceptions: Number(st.exceptions), tlbMisses: Number(st.tlbMisses),
    }) + '\n');
  } else {
    if (message) process.stderr.write(`cca-emu: ${message}\n`);
    if (opts.stats) {
      const exits = Object.entries(st.exits).map(([k, v]) => `${k}=${v}`).join(' ') || 'none';
      process.stderr.write(
        `instructions: ${st.instructions}\nexits: ${exits}\nexceptions: ${st.exceptions}\ntlb misses: ${st.tlbMisses}\n` +
        `wall time: ${seconds.toFixed(3)} s\nMIPS: ${mips.toFixed(1)}\n`);
    }
  }
  return status;
}

export function main(argv: string[]): number {
  const program = new Command();
  program
    .name('cca-emu')
    .description('An instruction-level AArch64 emulator for Arm CCA (RME)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program
    .command('run')
    .description('run a bare-metal AArch64 ELF image on the FVP-like board')
    .argument('<image>', 'ELF64 AArch64 executable')
    .addOption(new Option('--el <n>', 'exception level to start at').argParser(integer('--el', 0n, 3n)).default(1n, '1'))
    .addOption(new Option('--security <state>', 'security state of the start EL').choices(['ns', 'secure', 'realm', 'root']))
    .addOption(new Option('--max-instructions <n>', 'stop after this many instructions').argParser(integer('--max-instructions', 1n, (1n << 62n))))
    .addOption(new Option('--ram <mib>', 'RAM size in MiB').argParser(integer('--ram', 16n, BigInt(MAX_RAM_MIB))).default(BigInt(DEFAULT_RAM_MIB), String(DEFAULT_RAM_MIB)))
    .option('--stats', 'print a summary on stderr (instructions, exits, wall time, MIPS)')
    .option('--json', 'print one JSON object with the results on stdout instead')
    .action((image: string, opts: RunOptions) => {
      process.exitCode = runCommand(image, opts);
    });
  const bench = program.command('bench').description('measure speed');
  bench
    .command('cpu')
    .description('run the benchmark images in cca-emu and, where installed, qemu-system-aarch64 and unicorn')
    .option('--json', 'print {"results":[...]} instead of the table')
    .addOption(new Option('--engines <list>', 'comma-separated engines to run').default('cca-emu,qemu-system,unicorn'))
    .option('--only <names>', 'comma-separated workload names (e.g. bench-sort)')
    .action((opts: { json?: boolean; engines: string; only?: string }) => {
      process.exitCode = benchCommand(opts);
    });
  bench
    .command('gpc')
    .description('measure the Granule Protection Check: raw GPT walks, cached verdicts, and the interpreter with the GPC off, folded into the TLB, and checked on every access')
    .option('--json', 'print {"walksPerSecond":N,"cachedLookupsPerSecond":N,"interpreter":{...},"layouts":[...]} instead of the table')
    .addOption(new Option('--granules <list>', 'GPCCR_EL3.PGS granule sizes: 4k,16k,64k').argParser(parseGranules).default([12, 14, 16], '4k,16k,64k'))
    .addOption(new Option('--sizes <list>', 'protected spaces, powers of two from 1g to 1t').argParser(parseSizes).default([1n << 30n, 64n << 30n, 1n << 40n], '1g,64g,1t'))
    .addOption(new Option('--forms <list>', 'descriptor forms: granule,contig,block').argParser(parseForms).default(['granule', 'contig', 'block'], 'granule,contig,block'))
    .addOption(new Option('--streams <list>', 'address streams: sequential,strided,random,hot').argParser(parseStreams).default(['sequential', 'strided', 'random', 'hot'], 'sequential,strided,random,hot'))
    .addOption(new Option('--lookups <n>', 'GPC lookups per measurement').argParser(parseCount('--lookups', 65536, 1_000_000_000)).default(4_000_000))
    .addOption(new Option('--image <elf>', 'interpreter workload: an ELF path or a benchmark image name').default('bench-sort'))
    .option('--no-interpreter', 'skip the interpreter figures')
    .addOption(new Option('--repeat <n>', 'interpreter runs per mode, interleaved (the fastest counts)').argParser(parseCount('--repeat', 1, 15)).default(3))
    .action((opts: GpcCommandOptions) => {
      process.exitCode = gpcBenchCommand(opts);
    });
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : EXIT_USAGE; // --help and --version exit 0
    }
    if (e instanceof ElfError || e instanceof UsageError) {
      process.stderr.write(`cca-emu: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
