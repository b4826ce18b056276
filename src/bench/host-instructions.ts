// Host instructions per unit of work under valgrind's callgrind: the deterministic companion of the
// wall-clock figures of `bench gpc` (the measure of scripts/host-instructions.sh). A run of N1 and one of
// N2 units (guest instructions, GPT walks or cached lookups) are counted; their difference divided by
// N2 - N1 leaves out start-up. Each run is one mode of the bench, set up as the bench sets it up
// (gpc-mode-run.ts).
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunMode } from './gpc.js';

// This file runs from src/bench/ or bundled into dist/cli/: the project root is two levels up from either
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODE_RUN = join(root, 'src', 'bench', 'gpc-mode-run.ts');
const TSX = join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs');

export function haveValgrind(): boolean {
  return spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Callgrind's total instruction count of one mode's run of `n` units, and the units it ran. */
function collected(mode: RunMode, n: bigint, image: string): { ir: bigint; units: bigint } {
  // --no-liftoff: the optimizing compiler only, so both lengths run the same code; --single-threaded: no
  // background compilation or GC threads whose timing would vary between the two; fixed seeds: V8's hash
  // tables laid out alike (identical runs then differ by about 5 M host instructions instead of 14 M)
  const args = ['--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null',
    process.execPath, '--no-liftoff', '--single-threaded', '--hash-seed=1', '--random-seed=1', '--import', TSX,
    MODE_RUN, mode, String(n), image];
  const r = spawnSync('valgrind', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const m = /Collected : (\d+)/.exec(r.stderr ?? '');
  if (!m || r.status !== 0) throw new Error(`callgrind gave no count for ${mode} ${image}: ${(r.stderr ?? '').slice(-300)}`);
  // An interpreter mode prints the guest instructions it ran: fewer than n when the workload exits first
  const interpreted = mode !== 'walks' && mode !== 'cached';
  return { ir: BigInt(m[1]), units: interpreted ? BigInt(r.stdout.trim()) : n };
}

/** Host instructions per unit between n1 and n2 units of `mode` (guest instructions of `image`, walks, lookups). */
export function hostInstructionsPer(mode: RunMode, n1: bigint, n2: bigint, image: string): number {
  // One run outside valgrind first: tsx's transpile cache is then warm for both counted runs (a cold cache
  // added most of a billion instructions to the first count of a session)
  spawnSync(process.execPath, ['--import', TSX, MODE_RUN, mode, '100000', image], { stdio: 'ignore' });
  const a = collected(mode, n1, image);
  const b = collected(mode, n2, image);
  if (b.units <= a.units) throw new Error(`${mode}: ${image} ran ${a.units} instructions in both runs: too short a workload for ${n1} -> ${n2}`);
  return Number(b.ir - a.ir) / Number(b.units - a.units);
}
