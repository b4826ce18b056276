// The architectural state a differential test starts from and ends with, and the initial state's
// generator: every sequence's start is a pure function of its seed, so golden files store only the seed.
import { createHash } from 'node:crypto';
import { prng } from '../encoding.js';
import { SCRATCH_BASE, SCRATCH_SIZE, BASE_REGS, BASE_OFFSETS } from './contract.js';

/** The state both engines start from, and what they are compared on at the end. */
export interface DiffState {
  /** X0-X30. */
  x: bigint[];
  sp: bigint;
  /** NZCV in bits 31:28, as the NZCV register reads. */
  nzcv: number;
  /** SCRATCH_SIZE bytes at SCRATCH_BASE. */
  scratch: Uint8Array;
}

const M64 = (1n << 64n) - 1n;

/** Values on the edges of the integer operations: carries, overflows, sign and width boundaries. */
const EDGES: bigint[] = [
  0n, 1n, M64, 0x7fff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n, 0xffff_ffffn, 0x8000_0000n, 0x7fff_ffffn,
  0xffff_ffff_8000_0000n,
];
/** More values worth meeting: near the edges, byte and halfword boundaries, shift amounts, bit patterns. */
const SPECIAL: bigint[] = [
  2n, 3n, M64 - 1n, 0x8000_0000_0000_0001n, 0x1_0000_0000n, 0xffff_ffff_7fff_ffffn, 0xffff_fffen,
  0xffffn, 0x8000n, 0x7fffn, 0xffn, 0x80n, 0x7fn,
  0x5555_5555_5555_5555n, 0xaaaa_aaaa_aaaa_aaaan, 0x0123_4567_89ab_cdefn,
  31n, 32n, 33n, 63n, 64n, 65n,
];

function u32(rand: () => number): bigint {
  return BigInt((rand() * 2 ** 32) >>> 0);
}

const pick = <T>(rand: () => number, list: T[]): T => list[Math.floor(rand() * list.length)];

/**
 * A register value: edges 30% of the time (each about 3%), other special values 15%, small numbers 15%,
 * 32-bit values zero- or sign-extended 16%, single bits 6%, and any 64 bits for the rest.
 */
export function randomValue(rand: () => number): bigint {
  const r = rand();
  if (r < 0.3) return pick(rand, EDGES);
  if (r < 0.45) return pick(rand, SPECIAL);
  if (r < 0.6) return BigInt.asUintN(64, BigInt(Math.floor(rand() * 130)) - 65n); // -65..64
  if (r < 0.68) return u32(rand); // zero-extended word
  if (r < 0.76) return BigInt.asUintN(64, BigInt.asIntN(32, u32(rand))); // sign-extended word
  if (r < 0.82) return 1n << BigInt(Math.floor(rand() * 64)); // one bit
  return (u32(rand) << 32n) | u32(rand);
}

/** The initial state of sequence `seed`: the same in both engines and on every run. */
export function initialState(seed: number): DiffState {
  const rand = prng(seed);
  const x: bigint[] = [];
  for (let i = 0; i < 31; i++) x.push(randomValue(rand));
  BASE_REGS.forEach((r, i) => (x[r] = SCRATCH_BASE + BigInt(BASE_OFFSETS[i])));
  // SP: 16-byte aligned, inside the scratch area with room on both sides for SP-relative accesses
  const slots = (SCRATCH_SIZE - 0x200) / 16;
  const sp = SCRATCH_BASE + 0x100n + BigInt(Math.floor(rand() * slots) * 16);
  const nzcv = (Math.floor(rand() * 16) << 28) >>> 0;
  const scratch = new Uint8Array(SCRATCH_SIZE);
  for (let i = 0; i < SCRATCH_SIZE; i += 4) {
    const v = (rand() * 2 ** 32) >>> 0;
    scratch[i] = v & 0xff;
    scratch[i + 1] = (v >>> 8) & 0xff;
    scratch[i + 2] = (v >>> 16) & 0xff;
    scratch[i + 3] = v >>> 24;
  }
  return { x, sp, nzcv, scratch };
}

/** A 32-bit seed from a string (FNV-1a): group names and indexes make distinct, stable seeds. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export const hex64 = (v: bigint): string => '0x' + BigInt.asUintN(64, v).toString(16).padStart(16, '0');
export const hex32 = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The final state as golden files keep it: hex strings, and the scratch area as its hash. */
export interface GoldenFinal {
  x: string[];
  sp: string;
  nzcv: string;
  scratchSha256: string;
}

export function toGolden(s: DiffState): GoldenFinal {
  return { x: s.x.map(hex64), sp: hex64(s.sp), nzcv: hex32(s.nzcv), scratchSha256: sha256(s.scratch) };
}

/**
 * The differences between an expected and an actual final state, one readable line each (empty when they
 * agree). With both scratch areas at hand it names the first differing bytes, else only the hashes.
 */
export function diffStates(expected: DiffState | GoldenFinal, actual: DiffState, initial?: DiffState): string[] {
  const want = 'scratchSha256' in expected ? expected : toGolden(expected);
  const got = toGolden(actual);
  const out: string[] = [];
  const was = initial ? toGolden(initial) : undefined;
  for (let i = 0; i < 31; i++) {
    if (want.x[i] !== got.x[i]) out.push(`x${i}: expected ${want.x[i]}, got ${got.x[i]}${was ? ` (was ${was.x[i]})` : ''}`);
  }
  if (want.sp !== got.sp) out.push(`sp: expected ${want.sp}, got ${got.sp}${was ? ` (was ${was.sp})` : ''}`);
  if (want.nzcv !== got.nzcv) out.push(`nzcv: expected ${want.nzcv}, got ${got.nzcv}${was ? ` (was ${was.nzcv})` : ''}`);
  if (want.scratchSha256 !== got.scratchSha256) {
    if ('scratch' in expected) {
      const at: string[] = [];
      for (let i = 0; i < actual.scratch.length && at.length < 8; i++) {
        if (expected.scratch[i] !== actual.scratch[i]) {
          const addr = SCRATCH_BASE + BigInt(i);
          at.push(`0x${addr.toString(16)}: expected ${expected.scratch[i].toString(16).padStart(2, '0')}, got ${actual.scratch[i].toString(16).padStart(2, '0')}`);
        }
      }
      out.push(`scratch differs: ${at.join('; ')}`);
    } else {
      out.push(`scratch differs: expected sha256 ${want.scratchSha256}, got ${got.scratchSha256}`);
    }
  }
  return out;
}
