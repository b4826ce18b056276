// Host instructions per guest instruction under valgrind's callgrind: the deterministic companion of the
// wall-clock figures of `bench gpc` (the same measure as scripts/host-instructions.sh). A run of N1 and
// one of N2 guest instructions are counted; their difference divided by N2 - N1 leaves out start-up.
// The GPC folded into the TLB is `run --rme`: the EL3 monitor builds the GPT at boot as TF-A does and the
// image runs at Non-secure EL1 with every TLB fill checked.
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'cca-emu.js');

export function haveValgrind(): boolean {
  return spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Callgrind's total instruction count of `cca-emu run image --max-instructions n` (plus `extra` options). */
function collected(image: string, n: bigint, extra: string[]): bigint {
  // --no-liftoff: the optimizing compiler only, so both lengths run the same code; --single-threaded: no
  // background compilation or GC threads whose timing would vary between the two
  const args = ['--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null',
    process.execPath, '--no-liftoff', '--single-threaded', CLI, 'run', image, ...extra, '--max-instructions', String(n)];
  const r = spawnSync('valgrind', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const m = /Collected : (\d+)/.exec(r.stderr ?? '');
  if (!m) throw new Error(`callgrind gave no count for ${image} ${extra.join(' ')}: ${(r.stderr ?? '').slice(-300)}`);
  return BigInt(m[1]);
}

/** Host instructions per guest instruction between n1 and n2 guest instructions. */
export function hostInstructionsPerGuest(image: string, n1: bigint, n2: bigint, extra: string[] = []): number {
  const a = collected(image, n1, extra);
  const b = collected(image, n2, extra);
  return Number(b - a) / Number(n2 - n1);
}
