// Sequence building blocks for the per-group generators: random instances of table rows, with register
// fields drawn often from a small per-sequence pool so that instructions consume each other's results.
import { A64 } from '../../a64.table.js';
import { randomInstance, type Encoding } from '../../encoding.js';
import type { DiffGroup } from '../contract.js';

/** The A64 rows of a table group, in table order. */
export function rowsOf(group: string): Encoding[] {
  const rows = A64.filter((e) => e.group === group);
  if (rows.length === 0) throw new Error(`no A64 rows in group '${group}'`);
  return rows;
}

const REGISTER_FIELDS = new Set(['rd', 'rn', 'rm', 'ra', 'rt', 'rt2', 'rs']);

export interface SequenceOptions {
  /** Instructions per sequence. */
  length?: number;
  /** Register numbers a pool may not contain, and fields may not be forced to. */
  avoid?: number[];
  /** Field values to fix for a row (e.g. keep a base register), given the row and the PRNG. */
  fix?: (e: Encoding, rand: () => number) => Record<string, number>;
}

/**
 * `length` random instances of `rows` (each row equally likely). Every register field takes, half of the
 * time, one of five registers chosen for the sequence (four general-purpose ones and register 31) instead
 * of its random value.
 */
export function randomSequence(rows: Encoding[], rand: () => number, opts: SequenceOptions = {}): number[] {
  const avoid = new Set(opts.avoid ?? []);
  const pool: number[] = [31];
  while (pool.length < 5) {
    const r = Math.floor(rand() * 31);
    if (!avoid.has(r) && !pool.includes(r)) pool.push(r);
  }
  const words: number[] = [];
  for (let i = 0; i < (opts.length ?? 8); i++) {
    const e = rows[Math.floor(rand() * rows.length)];
    const fix: Record<string, number> = {};
    for (const f of e.fields) {
      if (REGISTER_FIELDS.has(f.name) && f.width === 5 && rand() < 0.5) fix[f.name] = pool[Math.floor(rand() * pool.length)];
    }
    Object.assign(fix, opts.fix?.(e, rand));
    words.push(randomInstance(e, rand, fix));
  }
  return words;
}

/** A DiffGroup covering every row of the table group of the same name with straight-line random sequences. */
export function tableGroup(name: string, opts: SequenceOptions = {}): DiffGroup {
  const rows = rowsOf(name);
  return {
    name,
    ops: rows.map((e) => e.name),
    sequence: (rand) => randomSequence(rows, rand, opts),
  };
}
