// Host instructions per guest instruction under valgrind's callgrind: the deterministic companion of the
// wall-clock figures of `bench gpc` (the measure of scripts/host-instructions.sh). A run of N1 and one of
// N2 guest instructions are counted; their difference divided by N2 - N1 leaves out start-up. Each run is
// one mode of the interpreter comparison, set up as the bench sets it up (gpc-mode-run.ts).
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Mode } from './gpc.js';

const here = dirname(fileURLToPath(import.meta.url));
const MODE_RUN = join(here, 'gpc-mode-run.ts');
const TSX = join(here, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs');

export function haveValgrind(): boolean {
  return spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Callgrind's total instruction count of one mode's run of `n` instructions. */
function collected(image: string, mode: Mode, n: bigint): bigint {
  // --no-liftoff: the optimizing compiler only, so both lengths run the same code; --single-threaded: no
  // background compilation or GC threads whose timing would vary between the two
  const args = ['--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null',
    process.execPath, '--no-liftoff', '--single-threaded', '--import', TSX, MODE_RUN, image, mode, String(n)];
  const r = spawnSync('valgrind', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const m = /Collected : (\d+)/.exec(r.stderr ?? '');
  if (!m || r.status !== 0) throw new Error(`callgrind gave no count for ${image} ${mode}: ${(r.stderr ?? '').slice(-300)}`);
  return BigInt(m[1]);
}

/** Host instructions per guest instruction between n1 and n2 guest instructions. */
export function hostInstructionsPerGuest(image: string, mode: Mode, n1: bigint, n2: bigint): number {
  // One run outside valgrind first: tsx's transpile cache is then warm for both counted runs (a cold cache
  // added most of a billion instructions to the first count of a session)
  spawnSync(process.execPath, ['--import', TSX, MODE_RUN, image, mode, '1000000'], { stdio: 'ignore' });
  const a = collected(image, mode, n1);
  const b = collected(image, mode, n2);
  return Number(b - a) / Number(n2 - n1);
}
