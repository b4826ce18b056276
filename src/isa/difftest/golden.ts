// Golden files: per group, the final states QEMU produced for fixed cases (test/isa/golden/<group>.json),
// so the test suite replays them in cca-emu without QEMU.
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { GoldenFinal } from './state.js';

export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'isa', 'golden');
/** The base seed of golden cases: changing it re-seeds every group. */
export const GOLDEN_BASE_SEED = 'golden-v1';
export const GOLDEN_COUNT = 300;

export interface GoldenCase {
  seed: number;
  words: string[];
  final: GoldenFinal;
}

export interface GoldenFile {
  group: string;
  /** The reference that produced the final states (qemu-aarch64 --version, first line). */
  recordedWith: string;
  cases: GoldenCase[];
}

export function goldenPath(group: string): string {
  return join(GOLDEN_DIR, `${group}.json`);
}

export function readGolden(group: string): GoldenFile | undefined {
  const path = goldenPath(group);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as GoldenFile) : undefined;
}

/** One case per line, so re-recording a group shows as a readable diff. */
export function writeGolden(file: GoldenFile): void {
  mkdirSync(GOLDEN_DIR, { recursive: true });
  const lines = file.cases.map((c) => '    ' + JSON.stringify(c));
  const text =
    `{\n  "group": ${JSON.stringify(file.group)},\n  "recordedWith": ${JSON.stringify(file.recordedWith)},\n` +
    `  "cases": [\n${lines.join(',\n')}\n  ]\n}\n`;
  writeFileSync(goldenPath(file.group), text);
}
