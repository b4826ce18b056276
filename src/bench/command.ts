// The bench cpu command: runs every benchmark image in each available engine and prints the table.
import { basename, join } from 'node:path';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeElf } from '../elf/write.js';
import {
  availableEngines, benchImages, runCcaEmu, runQemu, runUnicorn, formatTable, BenchError, type BenchResult, type Engine,
} from './cpu.js';

/** An image that only exits (semihosting SYS_EXIT, status 0): the engines' start-up cost. */
function nullImage(dir: string): string {
  // adr x1, block ; movz x0, #0x18 ; hlt #0xf000 ; block: .quad 0x20026, 0
  const words = [0x10000061, 0xd2800300, 0xd45e0000, 0x20026, 0, 0, 0];
  const path = join(dir, 'null.elf');
  writeFileSync(path, writeElf({ entry: 0x8000_0000n, segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array(new Uint32Array(words).buffer), flags: 5 }] }));
  return path;
}

const REPEAT = 3;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[s.length >> 1];
}

export function benchCommand(opts: { json?: boolean; engines: string; only?: string }): number {
  const wanted = opts.engines.split(',').map((s) => s.trim()) as Engine[];
  const engines = availableEngines().filter((e) => wanted.includes(e));
  const only = opts.only?.split(',').map((s) => s.trim());
  const images = benchImages().filter((p) => !only || only.includes(basename(p, '.elf')));
  if (images.length === 0) {
    process.stderr.write('cca-emu: no benchmark images found (images/bench-*/bench-*.elf)\n');
    return 2;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'cca-bench-'));
  const results: BenchResult[] = [];
  try {
    const nul = nullImage(tmp);
    // Warm-up: V8 compiles the core with its baseline compiler first and tiers up while it runs
    runCcaEmu(images[0]);
    for (const elf of images) {
      const workload = basename(elf, '.elf');
      const ours = runCcaEmu(elf);
      const add = (engine: Engine, seconds: number) =>
        results.push({ workload, engine, instructions: ours.instructions, seconds, mips: ours.instructions / seconds / 1e6 });
      // Each engine's time is the median of REPEAT runs, interleaved so that noise hits all engines alike
      const times: Record<Engine, number[]> = { 'cca-emu': [ours.seconds], 'qemu-system': [], unicorn: [] };
      // A peer's run that is within its start-up noise gives no figure (undefined): its cell shows '-'
      const unresolved = new Set<Engine>();
      const peer = (e: Engine, seconds: number | undefined) => (seconds === undefined ? unresolved.add(e) : times[e].push(seconds));
      for (let i = 0; i < REPEAT; i++) {
        if (i > 0) times['cca-emu'].push(runCcaEmu(elf).seconds);
        if (engines.includes('qemu-system')) peer('qemu-system', runQemu(elf, nul));
        if (engines.includes('unicorn')) peer('unicorn', runUnicorn(elf, nul));
      }
      for (const e of engines) if (!unresolved.has(e)) add(e, median(times[e]));
      if (!opts.json) process.stderr.write(`${workload}: done\n`);
    }
  } catch (e) {
    if (e instanceof BenchError) {
      process.stderr.write(`cca-emu: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stdout.write(opts.json ? JSON.stringify({ results }) + '\n' : formatTable(results) + '\n');
  return 0;
}
