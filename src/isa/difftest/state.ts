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
  /** V0-V31 as 128-bit values (lane 0 in the low bits). */
  v: bigint[];
  fpcr: number;
  fpsr: number;
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

/** An IEEE format as FP lanes hold it: exponent and fraction widths. */
interface FpFormat {
  e: number;
  f: number;
}
const HALF: FpFormat = { e: 5, f: 10 };
const SINGLE: FpFormat = { e: 8, f: 23 };
const DOUBLE: FpFormat = { e: 11, f: 52 };

const bits = (rand: () => number, n: number): bigint => {
  let v = 0n;
  for (let i = 0; i < n; i += 16) v = (v << 16n) | BigInt(Math.floor(rand() * 0x10000));
  return BigInt.asUintN(n, v);
};

/**
 * A lane of format `fmt`: the special values FP instructions treat apart half the time (signed zeros and
 * infinities, quiet and signalling NaNs with payloads, the smallest and largest denormals and normals,
 * ties that the rounding modes separate, and integers at the limits of the conversions with their
 * neighbours), numbers of moderate magnitude a third of the time, and any bits for the rest.
 */
export function randomFpLane(rand: () => number, fmt: FpFormat): bigint {
  const { e, f } = fmt;
  const bias = (1 << (e - 1)) - 1;
  const maxExp = (1 << e) - 1;
  const F = BigInt(f);
  const make = (sign: number, exp: number, frac: bigint) => (BigInt(sign) << BigInt(e + f)) | (BigInt(exp) << F) | BigInt.asUintN(f, frac);
  const sign = rand() < 0.5 ? 0 : 1;
  const r = rand();
  if (r < 0.5) {
    const topFrac = 1n << (F - 1n);
    const ulps = BigInt(Math.floor(rand() * 3)); // 0, 1 or 2 ulps off
    const limits = [15, 16, 31, 32, 63, 64].filter((k) => k + bias < maxExp);
    const k = limits[Math.floor(rand() * limits.length)];
    const cases: (() => bigint)[] = [
      () => make(sign, 0, 0n), // zero
      () => make(sign, maxExp, 0n), // infinity
      () => make(sign, maxExp, topFrac | (rand() < 0.5 ? 0n : bits(rand, f))), // quiet NaN
      () => make(sign, maxExp, (bits(rand, f - 1) || 1n)), // signalling NaN
      () => make(sign, 0, 1n + ulps), // smallest denormals
      () => make(sign, 0, (1n << F) - 1n - ulps), // largest denormals
      () => make(sign, 0, bits(rand, f)), // any denormal
      () => make(sign, 1, ulps), // smallest normals
      () => make(sign, maxExp - 1, (1n << F) - 1n - ulps), // largest normals
      () => make(sign, bias + Math.floor(rand() * 3) - 1, ulps === 0n ? topFrac : topFrac + (ulps === 1n ? 1n : -1n)), // ties 0.75, 1.5, 3
      () => make(sign, bias - 1, 0n), // 0.5
      () => make(sign, bias + Math.floor(rand() * 4), bits(rand, 3) << (F - 3n)), // small halves: 1..15.5
      () => make(sign, k + bias, ulps), // 2^k and just above
      () => make(sign, k + bias - 1, (1n << F) - 1n - ulps), // just below 2^k
    ];
    return cases[Math.floor(rand() * cases.length)]();
  }
  if (r < 0.83) return make(sign, Math.max(1, Math.min(maxExp - 1, bias + Math.floor(rand() * 80) - 40)), bits(rand, f));
  return bits(rand, e + f + 1);
}

/** A V register: FP lanes of one size (or any bits) in both halves. */
export function randomV(rand: () => number): bigint {
  const r = rand();
  if (r < 0.1) return bits(rand, 128);
  const fmt = r < 0.45 ? DOUBLE : r < 0.8 ? SINGLE : HALF;
  const lane = fmt.e + fmt.f + 1;
  let v = 0n;
  for (let i = 0; i < 128; i += lane) v |= randomFpLane(rand, fmt) << BigInt(i);
  return v;
}

/** FPCR bits the initial state varies: RMode (23:22), FZ (24), DN (25), AHP (26). */
export function randomFpcr(rand: () => number): number {
  let v = Math.floor(rand() * 4) << 22;
  if (rand() < 0.25) v |= 1 << 24;
  if (rand() < 0.25) v |= 1 << 25;
  if (rand() < 0.25) v |= 1 << 26;
  return v >>> 0;
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
  // The SIMD&FP state draws from its own stream, so that groups recorded before it existed keep their X values
  const frand = prng(seed ^ 0x0f9a_51d3);
  const v = Array.from({ length: 32 }, () => randomV(frand));
  const fpcr = randomFpcr(frand);
  return { x, sp, nzcv, scratch, v, fpcr, fpsr: 0 };
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

export const hex128 = (v: bigint): string => '0x' + BigInt.asUintN(128, v).toString(16).padStart(32, '0');

/**
 * The final state as golden files keep it: hex strings, the scratch area as its hash, and of V0-V31 only
 * the registers that differ from the initial state (which the seed gives). Files recorded before the
 * SIMD&FP state existed have no v, fpcr or fpsr, and are compared without them.
 */
export interface GoldenFinal {
  x: string[];
  sp: string;
  nzcv: string;
  scratchSha256: string;
  v?: Record<string, string>;
  fpcr?: string;
  fpsr?: string;
}

export function toGolden(s: DiffState, initial?: DiffState): GoldenFinal {
  const v: Record<string, string> = {};
  s.v.forEach((val, i) => {
    if (!initial || initial.v[i] !== val) v[i] = hex128(val);
  });
  return { x: s.x.map(hex64), sp: hex64(s.sp), nzcv: hex32(s.nzcv), scratchSha256: sha256(s.scratch), v, fpcr: hex32(s.fpcr), fpsr: hex32(s.fpsr) };
}

/** V0-V31 of a golden final state as hex, given the initial state its v is relative to. */
function goldenV(g: GoldenFinal, initial: DiffState): string[] {
  return initial.v.map((val, i) => g.v?.[i] ?? hex128(val));
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
  if (want.v !== undefined) {
    // A golden state's v is relative to the initial state; a full state compares register by register
    const wantV = 'scratchSha256' in expected ? (initial ? goldenV(expected, initial) : undefined) : expected.v.map(hex128);
    if (!wantV) throw new Error('comparing V registers with a golden state needs the initial state');
    for (let i = 0; i < 32; i++) {
      const g = hex128(actual.v[i]);
      if (wantV[i] !== g) out.push(`v${i}: expected ${wantV[i]}, got ${g}${initial ? ` (was ${hex128(initial.v[i])})` : ''}`);
    }
    if (want.fpcr !== got.fpcr) out.push(`fpcr: expected ${want.fpcr}, got ${got.fpcr}${was ? ` (was ${was.fpcr})` : ''}`);
    if (want.fpsr !== got.fpsr) out.push(`fpsr: expected ${want.fpsr}, got ${got.fpsr}${was ? ` (was ${was.fpsr})` : ''}`);
  }
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
