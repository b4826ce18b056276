// Differential-test generators for the load/store groups of src/isa/table/ldst.ts (the contract is in
// ../contract.ts). Every sequence is SEQUENCE_LENGTH straight-line instructions whose accesses all use a
// base register from BASE_REGS and stay inside the scratch area, whatever the other registers hold:
//
// - Each generator tracks where each base register points as writeback moves it. Writeback amounts are
//   multiples of 16 and bases stay within [0, SCRATCH_SIZE - 16], so every base stays 16-byte aligned.
// - Every access is naturally aligned (a whole exclusive pair or CASP pair included): the harness may run
//   the core with the MMU off, where data accesses are to Device memory and unaligned ones fault.
// - Destination registers are never base registers; stores and other sources may read any register.
// - No CONSTRAINED UNPREDICTABLE case: no writeback with Rn == Rt/Rt2, no pair load with Rt == Rt2, no
//   store exclusive whose status register is Rt, Rt2 or Rn, no CASP whose register pairs are the same.
// - Register-offset forms use XZR as the index: no other register has a value known to keep the address
//   inside the scratch area (the extension and shift are still decoded and applied, to zero).
// - Literal loads read words of the sequence itself, which starts at CODE_BASE (so alignment is known).
// - The exclusive monitor differs by design between the engines (qemu-aarch64 compares the reserved
//   value, the core the reserved address and size), so exclusive sequences keep to the cases where both
//   agree: a store exclusive either matches the last load exclusive's address and size exactly, or is to
//   another address; no other store touches a reserved location before its store exclusive.
import { A64 } from '../../a64.table.js';
import { encode, fieldMask } from '../../encoding.js';
import { BASE_REGS, BASE_OFFSETS, SCRATCH_SIZE, type DiffGroup } from '../contract.js';

export const SEQUENCE_LENGTH = 8;

const ROWS = new Map(A64.map((e) => [e.name, e]));

/** The word of table row `name` with `fields`; should-be-one bits (exclusives' Rs/Rt2) set, as an assembler does. */
export function assemble(name: string, fields: Record<string, number>): number {
  const e = ROWS.get(name);
  if (!e) throw new Error(`no table row ${name}`);
  let named = 0;
  for (const f of e.fields) named |= fieldMask(f);
  return (encode(e, fields) | (~e.mask & ~named)) >>> 0;
}

type Rand = () => number;
/** A uniform integer in [lo, hi]. */
export const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
export const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
export const bit = (rand: Rand) => (rand() < 0.5 ? 0 : 1);

const isBase = (r: number) => (BASE_REGS as readonly number[]).includes(r);
/** Registers an instruction may write (31 is XZR/WZR in every field these generators fill). */
const DEST = Array.from({ length: 32 }, (_, r) => r).filter((r) => !isBase(r));
const ANY = Array.from({ length: 32 }, (_, r) => r);
/** Even registers starting a pair that may be written: CASP's Rs. */
const EVEN_DEST = DEST.filter((r) => r % 2 === 0 && !isBase(r + 1));
const EVEN = ANY.filter((r) => r % 2 === 0);

/** A sequence under construction, with the scratch offset each base register points at. */
export class Seq {
  readonly words: number[] = [];
  readonly at: number[] = [...BASE_OFFSETS];
  /** The exclusive reservation as both engines see it: scratch offset and size. */
  monitor: { at: number; size: number } | undefined;
  constructor(readonly rand: Rand) {}
  get room(): number {
    return SEQUENCE_LENGTH - this.words.length;
  }
  emit(name: string, fields: Record<string, number>): void {
    this.words.push(assemble(name, fields));
  }
  /** A base register index (into BASE_REGS), optionally one not pointing at the reservation. */
  base(avoidMonitor = false): number {
    const ok = [0, 1, 2, 3].filter((b) => !avoidMonitor || !this.monitor || this.at[b] !== this.monitor.at);
    return pick(this.rand, ok);
  }
  /** A random multiple of `step` in [lo, hi] (lo and hi rounded inwards), or undefined if there is none. */
  multiple(step: number, lo: number, hi: number): number | undefined {
    const a = Math.ceil(lo / step), b = Math.floor(hi / step);
    if (a > b) return undefined;
    // Half the time a small offset, so neighbouring accesses overlap and read each other's stores
    if (this.rand() < 0.5) {
      const c = Math.max(a, -4), d = Math.min(b, 4);
      if (c <= d) return step * int(this.rand, c, d);
    }
    return step * int(this.rand, a, b);
  }
  /** A writeback amount (a multiple of 16 in [lo, hi]) keeping base `b` inside the scratch area. */
  writeback(b: number, lo: number, hi: number): number {
    return this.multiple(16, Math.max(lo, -this.at[b]), Math.min(hi, SCRATCH_SIZE - 16 - this.at[b]))!;
  }
  /** An access offset for `size` bytes from base `b`: a multiple of `align` in [lo, hi], inside the scratch area. */
  offset(b: number, size: number, align: number, lo: number, hi: number): number {
    return this.multiple(align, Math.max(lo, -this.at[b]), Math.min(hi, SCRATCH_SIZE - size - this.at[b]))!;
  }
}

// ---- single registers ----

/** The single-register mnemonics: row name stem per class, whether a store, and the access size. */
interface Single {
  off: string; // also `${off}_pre`, `_post`, `_reg`
  unscaled: string;
  unpriv: string;
  store: boolean;
  scale: number; // log2 of the access size, or 2 + sz for the rows with an `sz` field
  variant?: 'sz' | 'opc0';
}
const SINGLES: Single[] = [
  { off: 'STRB', unscaled: 'STURB', unpriv: 'STTRB', store: true, scale: 0 },
  { off: 'LDRB', unscaled: 'LDURB', unpriv: 'LDTRB', store: false, scale: 0 },
  { off: 'LDRSB', unscaled: 'LDURSB', unpriv: 'LDTRSB', store: false, scale: 0, variant: 'opc0' },
  { off: 'STRH', unscaled: 'STURH', unpriv: 'STTRH', store: true, scale: 1 },
  { off: 'LDRH', unscaled: 'LDURH', unpriv: 'LDTRH', store: false, scale: 1 },
  { off: 'LDRSH', unscaled: 'LDURSH', unpriv: 'LDTRSH', store: false, scale: 1, variant: 'opc0' },
  { off: 'STR', unscaled: 'STUR', unpriv: 'STTR', store: true, scale: 2, variant: 'sz' },
  { off: 'LDR', unscaled: 'LDUR', unpriv: 'LDTR', store: false, scale: 2, variant: 'sz' },
  { off: 'LDRSW', unscaled: 'LDURSW', unpriv: 'LDTRSW', store: false, scale: 2 },
];
type SingleClass = 'off' | 'pre' | 'post' | 'reg' | 'unscaled' | 'unpriv';
/** Row name -> its mnemonic and class. */
const SINGLE_ROWS = new Map<string, [Single, SingleClass]>();
for (const s of SINGLES) {
  for (const c of ['off', 'pre', 'post', 'reg'] as const) SINGLE_ROWS.set(`${s.off}_${c}`, [s, c]);
  SINGLE_ROWS.set(s.unscaled, [s, 'unscaled']);
  SINGLE_ROWS.set(s.unpriv, [s, 'unpriv']);
}

function emitSingle(q: Seq, s: Single, cls: SingleClass): void {
  const r = q.rand;
  const v = s.variant ? bit(r) : 0;
  const scale = s.variant === 'sz' ? s.scale + v : s.scale;
  const size = 1 << scale;
  const b = q.base(s.store);
  const rn = BASE_REGS[b];
  const writeback = cls === 'pre' || cls === 'post';
  const rt = s.store ? pick(r, ANY.filter((t) => !writeback || t !== rn)) : pick(r, DEST);
  const f: Record<string, number> = { rn, rt };
  if (s.variant) f[s.variant] = v;
  const name = cls === 'unscaled' ? s.unscaled : cls === 'unpriv' ? s.unpriv : `${s.off}_${cls}`;
  switch (cls) {
    case 'off':
      f.imm12 = q.offset(b, size, size, 0, 4095 * size) / size;
      break;
    case 'pre':
    case 'post': {
      const wb = q.writeback(b, -256, 240);
      f.imm9 = wb & 0x1ff;
      q.at[b] += wb;
      break;
    }
    case 'unscaled':
    case 'unpriv':
      f.imm9 = q.offset(b, size, size, -256, 255) & 0x1ff;
      break;
    case 'reg':
      Object.assign(f, { rm: 31, option: pick(r, [2, 3, 6, 7]), s: bit(r) });
      break;
  }
  q.emit(name, f);
}

/** Prefetches never access memory; they still name a base register. */
function emitPrefetch(q: Seq, name: string): void {
  const r = q.rand;
  const f: Record<string, number> = { rt: int(r, 0, 31) };
  if (name !== 'PRFM_lit') f.rn = BASE_REGS[q.base()];
  if (name === 'PRFM_off') f.imm12 = int(r, 0, 4095);
  if (name === 'PRFUM') f.imm9 = int(r, 0, 511);
  if (name === 'PRFM_reg') Object.assign(f, { rm: pick(r, ANY), option: pick(r, [2, 3, 6, 7]), s: bit(r) });
  if (name === 'PRFM_lit') f.imm19 = int(r, -8, 8) & 0x7ffff;
  q.emit(name, f);
}

/** LDR/LDRSW (literal): a word or doubleword of the sequence itself, naturally aligned. */
function emitLiteral(q: Seq, name: string): void {
  const r = q.rand;
  const sz = name === 'LDR_lit' ? bit(r) : 0;
  const i = q.words.length;
  const j = sz ? 2 * int(r, 0, SEQUENCE_LENGTH / 2 - 1) : int(r, 0, SEQUENCE_LENGTH - 1);
  const f: Record<string, number> = { imm19: (j - i) & 0x7ffff, rt: pick(r, DEST) };
  if (name === 'LDR_lit') f.sz = sz;
  q.emit(name, f);
}

// ---- pairs ----

const PAIR_ROWS: Record<string, { store: boolean; cls: 'off' | 'pre' | 'post'; signed?: boolean }> = {
  STP_off: { store: true, cls: 'off' }, STP_pre: { store: true, cls: 'pre' }, STP_post: { store: true, cls: 'post' },
  LDP_off: { store: false, cls: 'off' }, LDP_pre: { store: false, cls: 'pre' }, LDP_post: { store: false, cls: 'post' },
  LDPSW_off: { store: false, cls: 'off', signed: true }, LDPSW_pre: { store: false, cls: 'pre', signed: true },
  LDPSW_post: { store: false, cls: 'post', signed: true },
  STNP: { store: true, cls: 'off' }, LDNP: { store: false, cls: 'off' },
};

function emitPair(q: Seq, name: string): void {
  const r = q.rand;
  const { store, cls, signed } = PAIR_ROWS[name];
  const sz = signed ? 0 : bit(r);
  const esize = 4 << sz;
  const b = q.base(store);
  const rn = BASE_REGS[b];
  let rt: number, rt2: number;
  if (store) {
    const ok = ANY.filter((t) => cls === 'off' || t !== rn);
    [rt, rt2] = [pick(r, ok), pick(r, ok)];
  } else {
    rt = pick(r, DEST);
    rt2 = pick(r, DEST.filter((t) => t !== rt));
  }
  let off: number;
  if (cls === 'off') off = q.offset(b, 2 * esize, esize, -64 * esize, 63 * esize);
  else {
    off = q.writeback(b, -256, 240);
    q.at[b] += off;
  }
  const f: Record<string, number> = { imm7: (off / esize) & 0x7f, rt2, rn, rt };
  if (!signed) f.sz = sz;
  q.emit(name, f);
}

// ---- exclusives and ordered ----

/** A post-index move of a base register by a multiple of 16 (an LDR or STR of a doubleword). */
function emitMove(q: Seq): void {
  const r = q.rand;
  const store = bit(r) === 1;
  const b = q.base(store);
  const wb = q.writeback(b, -64, 64);
  const rn = BASE_REGS[b];
  q.emit(store ? 'STR_post' : 'LDR_post', { sz: 1, imm9: wb & 0x1ff, rn, rt: store ? pick(r, ANY.filter((t) => t !== rn)) : pick(r, DEST) });
  q.at[b] += wb;
}

const EXCL_SIZES: Record<string, (f: Record<string, number>) => number> = {};
for (const n of ['STXR', 'STLXR', 'LDXR', 'LDAXR', 'STLR', 'LDAR']) {
  EXCL_SIZES[`${n}B`] = () => 1;
  EXCL_SIZES[`${n}H`] = () => 2;
  EXCL_SIZES[n] = (f) => 4 << f.sz;
}
for (const n of ['STXP', 'STLXP', 'LDXP', 'LDAXP']) EXCL_SIZES[n] = (f) => 8 << f.sz;

function emitExclusive(q: Seq, name: string): void {
  const r = q.rand;
  const f: Record<string, number> = {};
  if (!/[BH]$/.test(name)) f.sz = bit(r);
  const size = EXCL_SIZES[name](f);
  const pairOp = name.endsWith('P');
  if (name.startsWith('LD')) {
    const b = q.base();
    f.rn = BASE_REGS[b];
    f.rt = pick(r, DEST);
    if (pairOp) f.rt2 = pick(r, DEST.filter((t) => t !== f.rt));
    if (name.startsWith('LDX') || name.startsWith('LDAX')) q.monitor = { at: q.at[b], size };
  } else if (name.startsWith('STL') && !name.startsWith('STLX')) {
    // STLR: not to a reserved location
    f.rn = BASE_REGS[q.base(true)];
    f.rt = pick(r, ANY);
  } else {
    // Store exclusive: exactly the reservation, size included (it succeeds), or another address (it fails)
    const sizes = 'sz' in f ? [0, 1].map((sz) => EXCL_SIZES[name]({ sz })) : [size];
    const m = q.monitor;
    const reserved = m ? q.at.indexOf(m.at) : -1; // base registers never point at the same place
    let b: number;
    if (m && reserved >= 0 && sizes.includes(m.size) && r() < 0.7) {
      b = reserved;
      if ('sz' in f) f.sz = sizes.indexOf(m.size);
    } else b = q.base(true);
    f.rn = BASE_REGS[b];
    f.rt = pick(r, ANY);
    if (pairOp) f.rt2 = pick(r, ANY);
    f.rs = pick(r, DEST.filter((s) => s !== f.rt && s !== f.rt2));
    q.monitor = undefined;
  }
  q.emit(name, f);
}

// ---- atomics ----

const LOAD_OF_SIZE = ['LDRB_off', 'LDRH_off', 'LDR_off', 'LDR_off'];

function emitAtomic(q: Seq, name: string): void {
  const r = q.rand;
  const b = q.base();
  const rn = BASE_REGS[b];
  const cas = name.startsWith('CAS');
  const f: Record<string, number> = { rn };
  if (cas) Object.assign(f, { l: bit(r), o0: bit(r) });
  else Object.assign(f, { a: bit(r), r: bit(r) });
  // No base mnemonic ends in B or H: the suffix is the size
  let scale = name.endsWith('B') ? 0 : name.endsWith('H') ? 1 : -1;
  if (scale < 0) {
    f.sz = bit(r);
    scale = 2 + f.sz;
  }
  if (name === 'CASP') {
    f.sz = bit(r);
    const s = pick(r, EVEN_DEST);
    const t = pick(r, EVEN.filter((x) => x !== s));
    // Half the time load the compare pair from the location first, so the swap happens
    if (q.room >= 2 && r() < 0.5) q.emit('LDP_off', { sz: f.sz, imm7: 0, rt2: s + 1, rn, rt: s });
    Object.assign(f, { rs41: s >> 1, rt41: t >> 1 });
  } else if (cas) {
    f.rs = pick(r, DEST);
    f.rt = pick(r, ANY);
    if (q.room >= 2 && r() < 0.5) q.emit(LOAD_OF_SIZE[scale], { ...(scale >= 2 ? { sz: scale - 2 } : {}), imm12: 0, rn, rt: f.rs });
  } else {
    f.rs = pick(r, ANY);
    f.rt = pick(r, DEST); // 31 with A = 0 is the ST<op> alias
  }
  q.emit(name, f);
}

// ---- the groups ----

const rowsOf = (group: string) => A64.filter((e) => e.group === group).map((e) => e.name);
const LDST_ROWS = rowsOf('ldst');
const REG_ROWS = LDST_ROWS.filter((n) => n.endsWith('_reg'));
const IMM_ROWS = LDST_ROWS.filter((n) => !n.endsWith('_reg'));

function group(name: string, ops: string[], emitOne: (q: Seq, op: string) => void, mover = false, helpers: string[] = []): DiffGroup {
  return {
    name,
    ops,
    helpers: [...(mover ? ['STR_post', 'LDR_post'] : []), ...helpers],
    sequence(rand: Rand): number[] {
      const q = new Seq(rand);
      while (q.room > 0) {
        if (mover && rand() < 0.2) emitMove(q);
        else emitOne(q, pick(rand, ops));
      }
      return q.words;
    },
  };
}

function emitLdst(q: Seq, op: string): void {
  const single = SINGLE_ROWS.get(op);
  if (single) emitSingle(q, ...single);
  else if (op.startsWith('PRF')) emitPrefetch(q, op);
  else emitLiteral(q, op);
}

export const LDST_GROUPS: DiffGroup[] = [
  group('ldst-imm', IMM_ROWS, emitLdst),
  group('ldst-reg', REG_ROWS, emitLdst),
  group('ldst-pair', rowsOf('ldst-pair'), emitPair),
  group('ldst-excl', rowsOf('ldst-excl'), emitExclusive, true),
  // CAS and CASP sequences load the compare value first, half the time, so that the swap happens
  group('atomic', rowsOf('atomic'), emitAtomic, true, [...new Set(LOAD_OF_SIZE), 'LDP_off']),
];
