// A differential-test case: a group's sequence and the seed of its initial state. The case is a pure
// function of (group, seed); golden files keep the words as well, so they stay valid if a generator changes.
import { prng } from '../encoding.js';
import type { DiffGroup } from './contract.js';
import { hex32, seedOf } from './state.js';

export interface DiffCase {
  group: string;
  seed: number;
  words: number[];
}

export function makeCase(group: DiffGroup, seed: number): DiffCase {
  // The sequence draws from its own stream so the initial state does not depend on the sequence's length
  return { group: group.name, seed, words: group.sequence(prng(seed ^ 0x5eed_0001)) };
}

/** The seeds of `count` cases of a group, from a run's base seed (a fixed one for golden files). */
export function caseSeeds(group: string, base: string | number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => seedOf(`${base}/${group}/${i}`));
}

/** A mismatch report: group, seed, the words in hex, then one line per difference. */
export function describeMismatch(c: DiffCase, lines: string[]): string {
  return `${c.group} seed ${c.seed} [${c.words.map(hex32).join(' ')}]\n` + lines.map((l) => `    ${l}`).join('\n');
}
