// The generated decoder against the table: every row's instances decode to it (or to a declared earlier
// row), the WebAssembly decision tree picks the same row as the reference decoder (first match in table
// order) for every instance and for a million random words, and the committed generated files are current.
import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { A64 } from '../../src/isa/a64.table.js';
import { randomInstance, referenceDecode, prng, type Encoding } from '../../src/isa/encoding.js';
import { generatedFiles } from '../../src/isa/generate.js';
import { Core } from '../../src/core/core.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const INSTANCES = 200;
const RANDOM_WORDS = 1_000_000;

/**
 * Rows some of whose instances belong to an earlier row, on purpose: row -> the earlier rows that take
 * them. Anything else an instance decodes to is an accidental overlap.
 */
const EXPECTED_OVERLAPS: Record<string, string[]> = {};

const index = new Map<Encoding, number>(A64.map((e, i) => [e, i]));
const refIndex = (w: number): number => {
  const e = referenceDecode(A64, w);
  return e ? index.get(e)! : -1;
};

let core: Core | undefined;
function wasmIndex(w: number): number {
  core ??= new Core(1 << 20);
  return (core.ex.decode_index as (w: number) => number)(w);
}

function instances(e: Encoding, seed: number): number[] {
  const rand = prng(seed);
  return Array.from({ length: INSTANCES }, () => randomInstance(e, rand));
}

describe('the A64 table', () => {
  it('has unique row names', () => {
    const names = A64.map((e) => e.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('decodes every instance of a row to that row or to a declared earlier row', () => {
    const overlaps: Record<string, string[]> = {};
    const shadowed: string[] = [];
    A64.forEach((e, i) => {
      let own = 0;
      for (const w of instances(e, 1000 + i)) {
        const got = referenceDecode(A64, w)!;
        expect(index.get(got)!, `${e.name} instance 0x${w.toString(16)} decodes to the later row ${got.name}`).toBeLessThanOrEqual(i);
        if (got === e) own++;
        else if (!(overlaps[e.name] ??= []).includes(got.name)) overlaps[e.name].push(got.name);
      }
      if (own === 0) shadowed.push(e.name);
    });
    for (const [row, earlier] of Object.entries(overlaps)) console.log(`overlap: instances of ${row} decode to ${earlier.join(', ')}`);
    expect(overlaps).toEqual(EXPECTED_OVERLAPS);
    expect(shadowed, 'rows none of whose instances decode to them').toEqual([]);
  });
});

describe('the generated WebAssembly decoder', () => {
  it('picks the reference row for every instance of every row, and for its one- and two-bit neighbours', () => {
    const rand = prng(7);
    const bad: string[] = [];
    A64.forEach((e, i) => {
      for (const w of instances(e, 2000 + i)) {
        const flip1 = (w ^ (1 << Math.floor(rand() * 32))) >>> 0;
        const flip2 = (flip1 ^ (1 << Math.floor(rand() * 32))) >>> 0;
        for (const v of [w, flip1, flip2]) {
          const want = refIndex(v);
          const got = wasmIndex(v);
          if (got !== want && bad.length < 20) bad.push(`0x${v.toString(16).padStart(8, '0')}: reference ${A64[want]?.name ?? 'unallocated'}, wasm ${A64[got]?.name ?? 'unallocated'}`);
        }
      }
    });
    expect(bad).toEqual([]);
  });

  it(`agrees with the reference decoder on ${RANDOM_WORDS.toLocaleString('en')} random words`, () => {
    const rand = prng(0xdec0de);
    const bad: string[] = [];
    let allocated = 0;
    for (let n = 0; n < RANDOM_WORDS; n++) {
      const w = (rand() * 2 ** 32) >>> 0;
      const want = refIndex(w);
      if (want >= 0) allocated++;
      if (wasmIndex(w) !== want && bad.length < 20) bad.push(`0x${w.toString(16).padStart(8, '0')}: reference ${A64[want]?.name ?? 'unallocated'}, wasm ${A64[wasmIndex(w)]?.name ?? 'unallocated'}`);
    }
    expect(bad).toEqual([]);
    expect(allocated).toBeGreaterThan(0);
  }, 240_000); // ~40 s alone, past a minute when the machine is shared
});

describe('generated files', () => {
  it('are what src/isa/generate.ts writes from the current tables (run npm run gen)', () => {
    const stale: string[] = [];
    for (const [rel, text] of generatedFiles()) {
      const path = join(root, rel);
      if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(rel);
    }
    expect(stale).toEqual([]);
  });
});
