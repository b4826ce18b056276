// Runs sequences under qemu-aarch64 (Linux user mode): the reference side of the differential tests.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram, parseOutput } from './program.js';
import type { DiffState } from './state.js';

export const QEMU = process.env.QEMU_AARCH64 ?? '/usr/bin/qemu-aarch64';

export function qemuAvailable(): boolean {
  return existsSync(QEMU);
}

let dir: string | undefined;
let serial = 0;

/** Runs `words` from `init` in QEMU and returns the final state; rejects if the program misbehaves. */
export function runQemu(words: number[], init: DiffState): Promise<DiffState> {
  dir ??= mkdtempSync(join(tmpdir(), 'cca-difftest-'));
  const path = join(dir, `seq${serial++}.elf`);
  writeFileSync(path, buildProgram(words, init), { mode: 0o755 });
  return new Promise((resolve, reject) => {
    const child = spawn(QEMU, [path], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      rmSync(path, { force: true });
      reject(e);
    });
    child.on('close', (code, signal) => {
      rmSync(path, { force: true });
      if (code !== 0) {
        const why = signal ? `signal ${signal}` : `exit status ${code}`;
        reject(new Error(`qemu-aarch64 failed (${why}): ${Buffer.concat(err).toString().trim()}`));
        return;
      }
      try {
        resolve(parseOutput(new Uint8Array(Buffer.concat(out))));
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** Runs `jobs` with at most `limit` QEMU processes at a time, keeping their order. */
export async function runAll<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** Removes the temporary directory (call once at the end of a run). */
export function cleanupQemu(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}
