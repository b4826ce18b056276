// The `boot` command's options, output and exit status.
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { bootRealm, type BootResult } from './boot.js';
import type { HashName } from '../../firmware/hypervisor/hypervisor.js';
import { MAX_IPA_BITS, DEFAULT_IPA_BITS, DEFAULT_RAM_MIB } from '../../firmware/hypervisor/layout.js';

export interface BootCommandOptions {
  recs: bigint;
  ipaBits: bigint;
  hash: HashName;
  ram: bigint;
  challenge?: Uint8Array;
  initrd?: string;
  tokenOut?: string;
  expectRim?: string;
  maxInstructions?: bigint;
  stats?: boolean;
  json?: boolean;
}

/** Exit statuses (src/cli.ts has the same): a failed check, a guest error, the budget. */
const EXIT_FAILED = 1, EXIT_GUEST_ERROR = 3, EXIT_BUDGET = 124;

function count(name: string, min: number, max: number) {
  return (value: string): bigint => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return BigInt(value);
  };
}

function hexBytes(name: string, maxBytes: number) {
  return (value: string): Uint8Array => {
    const digits = value.replace(/^0x/i, '');
    if (!/^([0-9a-f]{2})+$/i.test(digits) || digits.length > 2 * maxBytes) throw new InvalidArgumentError(`${name} must be hex, 1 to ${maxBytes} bytes`);
    const out = new Uint8Array(maxBytes);
    out.set(Buffer.from(digits, 'hex'));
    return out;
  };
}

/** The realm options `boot`, `measure` and `trace` share. */
export function addRealmOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--recs <n>', 'RECs (vCPUs); REC 0 boots, the others by PSCI CPU_ON').argParser(count('--recs', 1, 63)).default(1n, '1'))
    .addOption(new Option('--ipa-bits <n>', 'IPA width; the top bit is the Unprotected alias').argParser(count('--ipa-bits', DEFAULT_IPA_BITS, MAX_IPA_BITS)).default(BigInt(DEFAULT_IPA_BITS), String(DEFAULT_IPA_BITS)))
    .addOption(new Option('--hash <alg>', 'measurement hash algorithm').choices(['sha256', 'sha512']).default('sha256'))
    .addOption(new Option('--ram <mib>', 'realm RAM in MiB at IPA 0x80000000').argParser(count('--ram', 1, 1024)).default(BigInt(DEFAULT_RAM_MIB), String(DEFAULT_RAM_MIB)));
}

export function addBootCommand(program: Command, usageError: (message: string) => Error): void {
  addRealmOptions(program
    .command('boot')
    .description('boot a realm guest ELF as a realm: EL3 monitor, RMM and the Normal-world hypervisor; prints its console and a summary')
    .argument('<image>', 'realm guest: an ELF64 linked at IPA 0x80000000, or a raw arm64 kernel Image'))
    .option('--initrd <file>', 'an initial RAM disk (measured, below the DTB, named in /chosen)')
    .addOption(new Option('--challenge <hex>', 'the verifier challenge (up to 64 bytes) the host relays to the realm (host call 0xCCA3)').argParser(hexBytes('--challenge', 64)))
    .option('--token-out <file>', 'write the attestation token the realm obtained')
    .option('--expect-rim <hex>', 'fail (exit 1) unless the RMM measured this RIM')
    .addOption(new Option('--max-instructions <n>', 'stop after this many instructions (host and realm)').argParser((v) => {
      if (!/^\d+$/.test(v) || BigInt(v) < 1n) throw new InvalidArgumentError('--max-instructions must be a positive integer');
      return BigInt(v);
    }))
    .option('--stats', 'add RMI and RSI calls by command to the summary')
    .option('--json', 'print one JSON object on stdout instead of the console and the summary')
    .action((image: string, opts: BootCommandOptions) => {
      process.exitCode = bootCommand(image, opts, usageError);
    });
}

function bootCommand(image: string, opts: BootCommandOptions, usageError: (message: string) => Error): number {
  let elf: Uint8Array;
  try {
    elf = readFileSync(image);
  } catch (e) {
    throw usageError(`cannot read ${image}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (opts.expectRim !== undefined && !/^[0-9a-f]+$/i.test(opts.expectRim)) throw usageError('--expect-rim must be hex');
  let initrd: Uint8Array | undefined;
  if (opts.initrd !== undefined) {
    try {
      initrd = readFileSync(opts.initrd);
    } catch (e) {
      throw usageError(`cannot read ${opts.initrd}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
  const console: Buffer[] = [];
  const warnings: string[] = [];
  // The console goes out a line at a time (the UART hands over one byte per exit)
  let line: number[] = [];
  const flush = () => {
    if (line.length) process.stdout.write(Uint8Array.from(line));
    line = [];
  };
  const r = bootRealm(elf, {
    recs: Number(opts.recs), ipaBits: Number(opts.ipaBits), hash: opts.hash, ramMiB: Number(opts.ram),
    challenge: opts.challenge, maxInstructions: opts.maxInstructions, initrd,
    console: (b) => {
      if (opts.json) return void console.push(Buffer.from(b));
      for (const byte of b) line.push(byte);
      if (b.includes(10)) flush();
    },
    warn: (m) => warnings.push(m),
  });
  flush();
  const problems: string[] = [];
  let status = endStatus(r, problems);
  if (opts.expectRim !== undefined && r.rim !== opts.expectRim.toLowerCase()) {
    problems.push(`the RIM is ${r.rim}, not ${opts.expectRim.toLowerCase()} (--expect-rim)`);
    if (status === 0) status = EXIT_FAILED;
  }
  if (opts.tokenOut !== undefined) {
    if (!r.token) {
      problems.push('the realm obtained no attestation token (--token-out)');
      if (status === 0) status = EXIT_FAILED;
    } else {
      try {
        writeFileSync(opts.tokenOut, r.token);
      } catch (e) {
        throw usageError(`cannot write ${opts.tokenOut}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
    }
  }
  if (opts.json) {
    process.stdout.write(JSON.stringify({
      console: Buffer.concat(console).toString('latin1'), end: r.end.kind, ...('status' in r.end ? { status: Number(r.end.status) } : {}),
      rim: r.rim, rems: r.rems, recExits: r.recExits, rmiCalls: r.rmiCalls, rsiCalls: r.rsiCalls,
      instructions: Number(r.instructions), seconds: r.seconds, tornDown: r.tornDown, problems, warnings,
    }) + '\n');
  } else {
    for (const w of warnings) process.stderr.write(`cca-emu: warning: ${w}\n`);
    process.stderr.write(summary(r, opts.stats === true));
    for (const p of problems) process.stderr.write(`cca-emu: ${p}\n`);
  }
  return status;
}

/** The process's exit status for how the realm ended; what went wrong goes into `problems`. */
export function endStatus(r: BootResult, problems: string[]): number {
  switch (r.end.kind) {
    case 'system-off':
    case 'all-off':
      return 0;
    case 'system-reset':
      problems.push('the realm asked for a system reset; stopping');
      return 0;
    case 'exit':
      if (r.end.status !== 0n) problems.push(`the realm ended with status ${r.end.status} (host call 0xCCA1): its self-check failed`);
      return r.end.status === 0n ? 0 : Number(r.end.status > 255n ? 255n : r.end.status) || EXIT_FAILED;
    case 'budget':
      problems.push(`stopped after ${r.instructions} instructions (--max-instructions)`);
      return EXIT_BUDGET;
    case 'error':
      problems.push(`realm error: ${r.end.message}`);
      return EXIT_GUEST_ERROR;
  }
}

function table(title: string, counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return `${title}: none\n`;
  return `${title}:\n` + entries.map(([k, v]) => `  ${k.padEnd(32)} ${v}\n`).join('');
}

function summary(r: BootResult, stats: boolean): string {
  let s = `\n--- realm ${r.end.kind}${'status' in r.end ? ` (status ${r.end.status})` : ''}\n`;
  s += `RIM   ${r.rim}\n`;
  r.rems.forEach((m, i) => (s += `REM${i}  ${m}\n`));
  s += table('REC exits', r.recExits);
  if (stats) s += table('RMI calls', r.rmiCalls) + table('RSI and PSCI calls', r.rsiCalls);
  // Instructions of the whole machine (host and realm); the time includes building and tearing the realm down
  s += `${r.instructions} instructions in ${r.seconds.toFixed(3)} s${r.tornDown ? '; realm torn down' : ''}\n`;
  return s;
}

