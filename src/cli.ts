// The command line: cca-emu run | bench ... (commander). Usage errors and bad inputs exit with status 2 and
// one line naming the problem; a guest's semihosting exit status becomes the process's exit status.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { Machine, type Security, type MachineOptions, type StopReason } from './machine/machine.js';
import { ElfError } from './elf/load.js';
import { DEFAULT_RAM_MIB, MAX_RAM_MIB } from './machine/board.js';
import { benchCommand } from './bench/command.js';
import { addTraceCommands } from './trace/command.js';

/** Exit statuses of the process besides the guest's own. */
export const EXIT_USAGE = 2;
export const EXIT_GUEST_ERROR = 3;
export const EXIT_BUDGET = 124;

export class UsageError extends Error {}

export function integer(name: string, min: bigint, max: bigint) {
  return (value: string): bigint => {
    if (!/^(0x[0-9a-f]+|\d+)$/i.test(value)) throw new InvalidArgumentError(`${name} must be an integer`);
    const v = BigInt(value);
    if (v < min || v > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}`);
    return v;
  };
}

export interface RunOptions {
  el: bigint;
  security?: Security;
  maxInstructions?: bigint;
  ram: bigint;
  stats?: boolean;
  json?: boolean;
}

/** The options every command that runs an image takes (run, trace). */
export function addRunOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--el <n>', 'exception level to start at').argParser(integer('--el', 0n, 3n)).default(1n, '1'))
    .addOption(new Option('--security <state>', 'security state of the start EL').choices(['ns', 'secure', 'realm', 'root']))
    .addOption(new Option('--max-instructions <n>', 'stop after this many instructions').argParser(integer('--max-instructions', 1n, (1n << 62n))))
    .addOption(new Option('--ram <mib>', 'RAM size in MiB').argParser(integer('--ram', 16n, BigInt(MAX_RAM_MIB))).default(BigInt(DEFAULT_RAM_MIB), String(DEFAULT_RAM_MIB)));
}

/** Reads the image and puts a machine at its entry point as `opts` say (UsageError or ElfError on bad input). */
export function prepareMachine(image: string, opts: RunOptions, machine: Omit<MachineOptions, 'ramMiB'>): Machine {
  const el = Number(opts.el) as 0 | 1 | 2 | 3;
  const security: Security = opts.security ?? (el === 3 ? 'root' : 'ns');
  if (el === 3 && security !== 'root') throw new UsageError(`--el 3 runs in the Root security state, not ${security}`);
  if (el < 3 && security === 'root') throw new UsageError('--security root is only for --el 3');
  const bytes = readImage(image);
  const m = new Machine({ ramMiB: Number(opts.ram), ...machine });
  const loaded = m.load(bytes);
  m.start(loaded.entry, { el, security });
  return m;
}

export function readImage(image: string): Uint8Array {
  try {
    return readFileSync(image);
  } catch (e) {
    throw new UsageError(`cannot read ${image}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** The process's exit status for a stop, and the message to print (if any). */
export function stopStatus(stop: StopReason, instructions: bigint): { status: number; message?: string } {
  switch (stop.kind) {
    case 'exit': return { status: stop.status };
    case 'system-off': return { status: 0 };
    case 'system-reset': return { status: 0, message: 'guest requested a system reset; stopping' };
    case 'budget': return { status: EXIT_BUDGET, message: `stopped after ${instructions} instructions (--max-instructions)` };
    case 'stopped': return { status: EXIT_BUDGET, message: stop.message };
    case 'guest-error': return { status: EXIT_GUEST_ERROR, message: `guest error: ${stop.message}` };
  }
}

function runCommand(image: string, opts: RunOptions): number {
  const out: Buffer[] = [];
  const json = opts.json === true;
  const machine = prepareMachine(image, opts, {
    console: (b) => (json ? out.push(Buffer.from(b)) : process.stdout.write(b)),
  });
  const t0 = process.hrtime.bigint();
  const stop = machine.run(opts.maxInstructions);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const st = machine.stats();
  const { status, message } = stopStatus(stop, st.instructions);
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

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('cca-emu')
    .description('An instruction-level AArch64 emulator for Arm CCA (RME)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  addRunOptions(program
    .command('run')
    .description('run a bare-metal AArch64 ELF image on the FVP-like board')
    .argument('<image>', 'ELF64 AArch64 executable'))
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
  addTraceCommands(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
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
