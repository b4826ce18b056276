// The command line: cca-emu run | bench ... (commander). Usage errors and bad inputs exit with status 2 and
// one line naming the problem; a guest's semihosting exit status becomes the process's exit status.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { jitThresholdFromEnv } from './core/core.js';
import { Machine, type Security, type MachineOptions, type StopReason, type RunStats } from './machine/machine.js';
import { ElfError } from './elf/load.js';
import { DEFAULT_RAM_MIB, MAX_RAM_MIB, MAX_CPUS } from './machine/board.js';
import { benchCommand } from './bench/command.js';
import { fuzzRmiCommand } from './fuzz/command.js';
import { addTraceCommands } from './trace/command.js';
import {
  gpcBenchCommand, parseGranules, parseSizes, parseForms, parseStreams, parseCount, type GpcCommandOptions,
} from './bench/gpc-command.js';
import { traceBenchCommand, type TraceBenchMode } from './bench/trace.js';
import { tokenVerifyCommand, platformKeyCommand, TokenInputError } from './attestation/command.js';
import { addBootCommand } from './boot/command.js';
import { RealmConfigError } from '../firmware/hypervisor/hypervisor.js';
import { measureCommand, MeasureUsageError } from './measure/command.js';
import { DEFAULT_IPA_BITS, MAX_IPA_BITS, DEFAULT_RAM_MIB as REALM_DEFAULT_RAM_MIB } from '../firmware/hypervisor/layout.js';

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
  rme?: boolean;
  dtb?: string;
  cpus: bigint;
  load: { file: string; address: bigint }[];
  entry?: bigint;
}

/** --load FILE@ADDR, repeatable. */
function loadSpec(value: string, previous: { file: string; address: bigint }[]) {
  const at = value.lastIndexOf('@');
  if (at <= 0) throw new InvalidArgumentError('--load takes FILE@ADDRESS');
  const address = integer('--load address', 0n, (1n << 64n) - 1n)(value.slice(at + 1));
  return [...previous, { file: value.slice(0, at), address }];
}

/** The options every command that runs an image takes (run, trace). */
export function addRunOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--el <n>', 'exception level to start at').argParser(integer('--el', 0n, 3n)).default(1n, '1'))
    .addOption(new Option('--security <state>', 'security state of the start EL').choices(['ns', 'secure', 'realm', 'root']))
    .addOption(new Option('--max-instructions <n>', 'stop after this many instructions').argParser(integer('--max-instructions', 1n, (1n << 62n))))
    .addOption(new Option('--ram <mib>', 'RAM size in MiB').argParser(integer('--ram', 16n, BigInt(MAX_RAM_MIB))).default(BigInt(DEFAULT_RAM_MIB), String(DEFAULT_RAM_MIB)))
    .option('--rme', 'boot the EL3 monitor with a GPT and the RMM behind RMI (for host images below EL3)')
    .addOption(new Option('--cpus <n>', 'PEs on the board (PE 0 starts, the others by PSCI CPU_ON)').argParser(integer('--cpus', 1n, BigInt(MAX_CPUS))).default(1n, '1'))
    .option('--load <file@addr>', 'copy a raw binary to a physical address (repeatable)', loadSpec, [])
    .addOption(new Option('--entry <addr>', 'start here instead of at the ELF entry').argParser(integer('--entry', 0n, (1n << 64n) - 1n)))
    .option('--dtb <auto|file>', "pass a device tree's address in x0: the board's own (auto) or a DTB file");
}

/**
 * Reads the image (and --load binaries) and puts a machine at its entry point as `opts` say (UsageError or
 * ElfError on bad input).
 */
export function prepareMachine(image: string | undefined, opts: RunOptions, machine: Omit<MachineOptions, 'ramMiB'>): Machine {
  const el = Number(opts.el) as 0 | 1 | 2 | 3;
  const security: Security = opts.security ?? (el === 3 ? 'root' : 'ns');
  if (el === 3 && security !== 'root') throw new UsageError(`--el 3 runs in the Root security state, not ${security}`);
  if (el < 3 && security === 'root') throw new UsageError('--security root is only for --el 3');
  if (opts.rme && el === 3) throw new UsageError('with --rme the EL3 monitor is the firmware: start the image below EL3');
  if (opts.rme && opts.ram < 128n) throw new UsageError('--rme needs --ram 128 or more (64 MiB are reserved for the GPT and the RMM)');
  if (image === undefined && opts.load.length === 0) throw new UsageError('run needs an ELF image or --load FILE@ADDR');
  if (image === undefined && opts.entry === undefined) throw new UsageError('raw binaries (--load) need --entry ADDR');
  const bytes = image === undefined ? undefined : readImage(image);
  const m = new Machine({ ramMiB: Number(opts.ram), cpus: Number(opts.cpus), rme: opts.rme === true, ...machine });
  const loaded = bytes === undefined ? undefined : m.load(bytes);
  for (const l of opts.load) {
    try {
      m.loadRaw(readImage(l.file), l.address);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--load ${l.file}: ${(e as Error).message}`);
    }
  }
  const entry = opts.entry ?? loaded!.entry;
  if (!m.validEntryPoint(entry)) throw new UsageError(`the entry point 0x${entry.toString(16)} is not in RAM`);
  m.start(entry, { el, security });
  if (opts.dtb !== undefined) {
    // The Linux boot protocol: the DTB's physical address in x0
    let dtb: Uint8Array;
    if (opts.dtb === 'auto') dtb = m.deviceTree();
    else {
      dtb = readImage(opts.dtb);
      if (dtb.length < 40 || new DataView(dtb.buffer, dtb.byteOffset).getUint32(0) !== 0xd00dfeed) {
        throw new UsageError(`${opts.dtb} is not a flattened device tree (no 0xd00dfeed magic)`);
      }
    }
    try {
      m.core.setX(0, m.placeDtb(dtb));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
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
    case 'host-break': return { status: EXIT_GUEST_ERROR, message: `guest error: BRK #0x${stop.imm.toString(16)} at EL2` };
  }
}

/** The --stats line of the block JIT. */
export function jitSummary(st: RunStats): string {
  const j = st.jit;
  if (j.blocks === 0 && j.instructions === 0n) return 'no block compiled';
  const share = st.instructions > 0n ? (Number(j.instructions) / Number(st.instructions)) * 100 : 0;
  return `${j.blocks} blocks in ${j.modules} modules, compiled in ${j.milliseconds.toFixed(0)} ms; ${share.toFixed(1)}% of the instructions ran compiled`;
}

function runCommand(image: string | undefined, opts: RunOptions): number {
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
      jit: { ...st.jit, instructions: Number(st.jit.instructions) },
    }) + '\n');
  } else {
    if (message) process.stderr.write(`cca-emu: ${message}\n`);
    if (opts.stats) {
      const exits = Object.entries(st.exits).map(([k, v]) => `${k}=${v}`).join(' ') || 'none';
      process.stderr.write(
        `instructions: ${st.instructions}\nexits: ${exits}\nexceptions: ${st.exceptions}\ntlb misses: ${st.tlbMisses}\n` +
        `jit: ${jitSummary(st)}\nwall time: ${seconds.toFixed(3)} s\nMIPS: ${mips.toFixed(1)}\n`);
    }
  }
  return status;
}

export async function main(argv: string[]): Promise<number> {
  const jit = jitThresholdFromEnv();
  if (typeof jit === 'string') {
    process.stderr.write(`cca-emu: ${jit}\n`);
    return 2;
  }
  const program = new Command();
  program
    .name('cca-emu')
    .description('An instruction-level AArch64 emulator for Arm CCA (RME)')
    .exitOverride()
    // A command's options go to it, not to the command above it (`trace -o F` and `trace boot IMAGE -o F`)
    .enablePositionalOptions()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  addRunOptions(program
    .command('run')
    .description('run a bare-metal AArch64 ELF image on the FVP-like board')
    .argument('[image]', 'ELF64 AArch64 executable (optional with --load)'))
    .option('--stats', 'print a summary on stderr (instructions, exits, wall time, MIPS)')
    .option('--json', 'print one JSON object with the results on stdout instead')
    .action((image: string | undefined, opts: RunOptions) => {
      process.exitCode = runCommand(image, opts);
    });
  program
    .command('dtb')
    .description("write the board's device tree blob (what run --dtb auto passes)")
    .addOption(new Option('--ram <mib>', 'RAM size in MiB').argParser(integer('--ram', 16n, BigInt(MAX_RAM_MIB))).default(BigInt(DEFAULT_RAM_MIB), String(DEFAULT_RAM_MIB)))
    .addOption(new Option('--cpus <n>', 'PEs on the board').argParser(integer('--cpus', 1n, BigInt(MAX_CPUS))).default(1n, '1'))
    .requiredOption('-o, --output <file>', 'where to write it')
    .action((opts: { ram: bigint; cpus: bigint; output: string }) => {
      const dtb = new Machine({ ramMiB: Number(opts.ram), cpus: Number(opts.cpus), console: () => {} }).deviceTree();
      try {
        writeFileSync(opts.output, dtb);
      } catch (e) {
        throw new UsageError(`cannot write ${opts.output}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
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
  program
    .command('fuzz')
    .description('adversarial tests of the firmware')
    .command('rmi')
    .description('random and hostile RMI sequences from a Normal-world host, checking isolation invariants after every call')
    .addOption(new Option('--calls <n>', 'number of RMI calls').argParser(integer('--calls', 1n, 1n << 40n)).default(10_000n, '10000'))
    .addOption(new Option('--seed <n>', 'seed of the random sequence').argParser(integer('--seed', 0n, 0xffff_ffffn)).default(1n, '1'))
    .option('--json', 'print {"calls","violations","hostErrors","statusCounts","problems"} on stdout')
    .action((opts: { calls: bigint; seed: bigint; json?: boolean }) => {
      process.exitCode = fuzzRmiCommand(opts);
    });
  addTraceCommands(program);
  addBootCommand(program, (message) => new UsageError(message));
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
    .addOption(new Option('--repeat <n>', 'interpreter rounds, each running the three modes back to back (medians count)').argParser(parseCount('--repeat', 1, 31)).default(9))
    .addOption(new Option('--instructions <n>', 'interpreter instructions per run (fewer if the workload exits first)').argParser(integer('--instructions', 1_000_000n, 10_000_000_000n)).default(30_000_000n, '30000000'))
    .option('--callgrind', 'also count host instructions per guest instruction (GPC off and folded, 10 M -> 100 M instructions) and per walk and cached lookup (4 M -> 44 M) under valgrind (minutes)')
    .action((opts: GpcCommandOptions) => {
      process.exitCode = gpcBenchCommand(opts);
    });
  bench
    .command('trace')
    .description('run an image untraced, traced to a Tarmac file and to an NDJSON file, in one process: wall and CPU time and MIPS of each')
    .addOption(new Option('--image <elf>', 'an ELF path or a benchmark image name').default('bench-sort'))
    .addOption(new Option('--max-instructions <n>', 'instructions of the untraced and Tarmac runs (fewer if the image ends first)').argParser(integer('--max-instructions', 1n, 1n << 50n)).default(20_000_000n, '20000000'))
    .addOption(new Option('--ndjson-instructions <n>', 'instructions of the NDJSON run').argParser(integer('--ndjson-instructions', 1n, 1n << 50n)).default(10_000_000n, '10000000'))
    .addOption(new Option('--modes <list>', 'runs to make: untraced,tarmac,ndjson').default('untraced,tarmac,ndjson'))
    .option('--json', 'print {"image","results":[{mode,instructions,wallSeconds,cpuSeconds,mips,cpuMips,bytes}]}')
    .action(async (opts: { image: string; maxInstructions: bigint; ndjsonInstructions: bigint; modes: string; json?: boolean }) => {
      const modes = opts.modes.split(',').map((s) => s.trim());
      const bad = modes.find((m) => !['untraced', 'tarmac', 'ndjson'].includes(m));
      if (bad !== undefined || modes.length === 0) throw new UsageError(`--modes: '${bad ?? ''}' is not one of untraced, tarmac, ndjson`);
      process.exitCode = await traceBenchCommand({ ...opts, modes: modes as TraceBenchMode[] });
    });
  program
    .command('measure')
    .description("compute a realm's RIM offline (RMM A7.1.1): the hypervisor's realm builder, measured without running the RMM")
    .argument('<image>', 'realm guest ELF64 image (segments at IPAs in realm RAM from 0x80000000)')
    .addOption(new Option('--recs <n>', 'RECs (vCPUs)').argParser(integer('--recs', 1n, 63n)).default(1n, '1'))
    .addOption(new Option('--ipa-bits <n>', 'IPA width (the top bit is the Unprotected alias)').argParser(integer('--ipa-bits', BigInt(DEFAULT_IPA_BITS), BigInt(MAX_IPA_BITS))).default(BigInt(DEFAULT_IPA_BITS), String(DEFAULT_IPA_BITS)))
    .addOption(new Option('--hash <algo>', 'the realm hash algorithm').choices(['sha256', 'sha512']).default('sha256'))
    .addOption(new Option('--ram <mib>', 'realm RAM in MiB').argParser(integer('--ram', 1n, 1n << 20n)).default(BigInt(REALM_DEFAULT_RAM_MIB), String(REALM_DEFAULT_RAM_MIB)))
    .option('--rpv <hex>', 'Realm Personalization Value, up to 64 bytes (not part of the RIM: RMM B4.3.9.4)')
    .option('--json', 'print {"rim","hash","recs","ipaBits","ramMiB"} instead of the RIM alone')
    .action((image: string, opts: Parameters<typeof measureCommand>[1]) => {
      process.exitCode = measureCommand(image, opts);
    });
  const token = program.command('token').description('CCA attestation tokens (RMM A7.2)');
  token
    .command('verify <file>')
    .description('check a CCA token: realm signature, platform binding, platform signature, claims; exit 1 on any failure')
    .option('--platform-key <jwk>', 'trust anchor: a JWK file, or a list whose first entry holds it as "pkey"')
    .option('--json', 'print the verdict as one JSON object')
    .action((file: string, opts: { platformKey?: string; json?: boolean }) => {
      process.exitCode = tokenVerifyCommand(file, opts);
    });
  token
    .command('platform-key')
    .description("print the platform attestation public key (CPAK) of cca-emu's machines as a JWK")
    .option('--seed <text>', 'the attestation seed the machine was given')
    .action((opts: { seed?: string }) => {
      process.exitCode = platformKeyCommand(opts);
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : EXIT_USAGE; // --help and --version exit 0
    }
    if (e instanceof ElfError || e instanceof UsageError || e instanceof TokenInputError || e instanceof MeasureUsageError || e instanceof RealmConfigError) {
      process.stderr.write(`cca-emu: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
