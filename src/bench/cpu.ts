// `cca-emu bench cpu`: the benchmark images in cca-emu and, where installed, the same ELF in
// qemu-system-aarch64 (TCG) and unicorn, measured in the same run. Instruction counts are cca-emu's
// (the same ELF executes the same instructions everywhere); each engine's time is its own.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine } from '../machine/machine.js';

export type Engine = 'cca-emu' | 'qemu-system' | 'unicorn';

export interface BenchResult {
  workload: string;
  engine: Engine;
  instructions: number;
  seconds: number;
  mips: number;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const IMAGES_DIR = join(root, 'images');

/** The benchmark images: images/bench-NAME/bench-NAME.elf. */
export function benchImages(): string[] {
  return readdirSync(IMAGES_DIR)
    .filter((d) => d.startsWith('bench-') && existsSync(join(IMAGES_DIR, d, `${d}.elf`)))
    .sort()
    .map((d) => join(IMAGES_DIR, d, `${d}.elf`));
}

export class BenchError extends Error {}

/** Runs one image in cca-emu at EL1; returns instructions and wall seconds of the run itself. */
export function runCcaEmu(elf: string): { instructions: number; seconds: number; output: string } {
  let output = '';
  const m = new Machine({ ramMiB: 256, console: (b) => (output += Buffer.from(b).toString('latin1')) });
  const image = m.load(readFileSync(elf));
  m.start(image.entry, { el: 1, security: 'ns' });
  const t0 = process.hrtime.bigint();
  const stop = m.run(20_000_000_000n);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (stop.kind !== 'exit' || stop.status !== 0) {
    throw new BenchError(`${basename(elf)} did not pass in cca-emu: ${JSON.stringify(stop)}; output: ${output.trim()}`);
  }
  return { instructions: Number(m.stats().instructions), seconds, output };
}

// Debian's python3-unicorn is installed for the system interpreter, whatever python3 is first on PATH
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

export function availableEngines(): Engine[] {
  const engines: Engine[] = ['cca-emu'];
  if (has('qemu-system-aarch64', ['--version'])) engines.push('qemu-system');
  if (has(PYTHON, ['-c', 'import unicorn'])) engines.push('unicorn');
  return engines;
}

/** Wall seconds of a child process (every engine is timed the same way: wall clock, same run). */
function timedChild(cmd: string, args: string[], timeoutMs: number): { seconds: number; status: number | null; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'latin1', timeout: timeoutMs });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, status: r.status, stderr: r.stderr ?? '' };
}

function qemuArgs(elf: string): string[] {
  return ['-M', 'virt', '-cpu', 'max', '-m', '3G', '-nographic', '-nodefaults', '-net', 'none', '-monitor', 'none', '-serial', 'none',
    '-semihosting-config', 'enable=on,target=native', '-kernel', elf];
}

/**
 * The work's own time: a run's wall seconds minus the start-up cost measured just before, or undefined when
 * the difference is within the start-up's noise (under a tenth of it), where no figure would mean anything.
 */
function netSeconds(run: number, startup: number): number | undefined {
  const net = run - startup;
  return net > startup / 10 ? net : undefined;
}

/** Wall seconds of qemu-system-aarch64 on `elf`, minus its start-up cost measured on `nullElf`. */
export function runQemu(elf: string, nullElf: string): number | undefined {
  const base = timedChild('qemu-system-aarch64', qemuArgs(nullElf), 60_000);
  const r = timedChild('qemu-system-aarch64', qemuArgs(elf), 600_000);
  if (r.status !== 0) throw new BenchError(`${basename(elf)} failed in qemu-system-aarch64 (status ${r.status}): ${r.stderr.trim()}`);
  return netSeconds(r.seconds, base.seconds);
}

/** Wall seconds of unicorn on `elf` (scripts/unicorn-run.py), minus its start-up cost on `nullElf`. */
export function runUnicorn(elf: string, nullElf: string): number | undefined {
  const script = join(root, 'scripts', 'unicorn-run.py');
  const base = timedChild(PYTHON, [script, nullElf], 60_000);
  const r = timedChild(PYTHON, [script, elf], 1_800_000);
  if (r.status !== 0) throw new BenchError(`${basename(elf)} failed in unicorn (status ${r.status}): ${r.stderr.trim()}`);
  return netSeconds(r.seconds, base.seconds);
}

export function formatTable(results: BenchResult[]): string {
  const workloads = [...new Set(results.map((r) => r.workload))];
  const engines = [...new Set(results.map((r) => r.engine))];
  const head = ['workload', 'instructions', ...engines.flatMap((e) => [`${e} s`, `${e} MIPS`])];
  const others = engines.filter((e) => e !== 'cca-emu');
  head.push(...others.map((e) => `vs ${e}`));
  const rows = workloads.map((w) => {
    const by = (e: Engine) => results.find((r) => r.workload === w && r.engine === e);
    const ours = by('cca-emu')!;
    const cells = [w, String(ours.instructions)];
    for (const e of engines) {
      const r = by(e);
      cells.push(r ? r.seconds.toFixed(3) : '-', r ? r.mips.toFixed(1) : '-');
    }
    for (const e of others) {
      const r = by(e);
      cells.push(r ? `${(ours.mips / r.mips).toFixed(2)}x` : '-');
    }
    return cells;
  });
  // Geometric-mean MIPS per engine across workloads
  const geo = (e: Engine) => {
    const v = results.filter((r) => r.engine === e).map((r) => Math.log(r.mips));
    return v.length ? Math.exp(v.reduce((a, b) => a + b, 0) / v.length) : NaN;
  };
  // The ratio's geomean is over the workloads both engines have a figure for
  const ratio = (e: Engine) => {
    const v = workloads.flatMap((w) => {
      const a = results.find((r) => r.workload === w && r.engine === 'cca-emu');
      const b = results.find((r) => r.workload === w && r.engine === e);
      return a && b ? [Math.log(a.mips / b.mips)] : [];
    });
    return v.length ? Math.exp(v.reduce((x, y) => x + y, 0) / v.length) : NaN;
  };
  const total = ['geomean', ''];
  for (const e of engines) total.push('', geo(e).toFixed(1));
  for (const e of others) total.push(`${ratio(e).toFixed(2)}x`);
  rows.push(total);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), line(widths.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}
