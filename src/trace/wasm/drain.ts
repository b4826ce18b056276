// The trace drain (AssemblyScript, built to build/trace-drain.wasm): walks the records the trace build of
// the core wrote (formats: assembly/debug/trace.ts, src/trace/records.ts), keeps the tracer's model of the
// PE (instruction count, security state, X0-X30), applies the filters, and formats the frequent records
// (instructions, registers, memory accesses) as Tarmac or NDJSON lines straight into an output buffer. It
// returns to the host for what needs the host: an instruction's text it has not cached (the writer makes
// it), exceptions, ERETs, world switches, a full output batch.
// Byte formatting here rather than in JavaScript is what lets a trace keep pace with the core; hex digits
// and timestamps are made 16 bytes at a time with SIMD (a line is mostly hex).
//
// Memory: fixed areas at the offsets below (exported, so the host writes none as a number).

// ---- layout ----
export const STATE: u32 = 0x1_0000;
export const CACHE: u32 = 0x2_0000;
export const CACHE_SLOTS_LOG2: u32 = 13;
// A slot: the key (the INSN record's first 24 bytes: header, encoding, PC, PA), the text's length (u32) at
// 24, the text (the line after its timestamps, newline included) from 32
export const CACHE_SLOT_SIZE: u32 = 512;
export const CACHE_KEY_SIZE: u32 = 24;
export const CACHE_TEXT: u32 = 32;
export const CACHE_TEXT_MAX: u32 = CACHE_SLOT_SIZE - CACHE_TEXT;
export const OUT: u32 = CACHE + (CACHE_SLOT_SIZE << CACHE_SLOTS_LOG2);
export const OUT_BATCH: u32 = 1 << 20; // the host writes the buffer out once this much is in it
export const OUT_SIZE: u32 = OUT_BATCH + 0x1_0000; // room for the lines of one record past the batch
export const IN: u32 = OUT + OUT_SIZE; // the records, copied from the core's ring; to the end of memory

// STATE fields (byte offsets from STATE)
export const S_IN_POS: u32 = 0x00; // u32: offset in IN of the next record to visit
export const S_IN_END: u32 = 0x04; // u32: bytes of records in IN
export const S_OUT_POS: u32 = 0x08; // u32: bytes in OUT
export const S_OUT_LIMIT: u32 = 0x0c; // u32: OUT may not grow past this (--max-bytes), whole lines only
export const S_MODE: u32 = 0x10; // u32: MODE_*
export const S_REC: u32 = 0x14; // u32: offset in IN of the record a return is about
export const S_SLOT: u32 = 0x18; // u32: the cache slot a MISS is about
export const S_PASS: u32 = 0x1c; // u32: the current instruction passes the filters
export const S_WORLD: u32 = 0x20; // i32: security state of the last instruction, -1 before the first
export const S_PREV_WORLD: u32 = 0x24; // i32: the state a WORLD return switched from
export const S_FILTERS: u32 = 0x28; // u32: FILTER_* bits of the filters in use
export const S_EVENTS: u32 = 0x2c; // u32: bit per event kind written (EV_*)
export const S_ELS: u32 = 0x30; // u32: bit per EL kept
export const S_WORLDS: u32 = 0x34; // u32: bit per security state kept
export const S_T: u32 = 0x38; // u64: instruction count of the event being visited
export const S_WIN_START: u32 = 0x40; // u64
export const S_WIN_END: u32 = 0x48; // u64: window [start, end)
export const S_PC_LO: u32 = 0x50; // u64
export const S_PC_HI: u32 = 0x58; // u64: pc range [lo, hi)
export const S_MODEL: u32 = 0x60; // 31 x u64: X0-X30 as last seen
export const S_BY_FIRMWARE: u32 = 0x158; // u32: the records are firmware's register writes (NDJSON says so)
const S_DIGITS: u32 = 0x180; // 32 bytes: the decimal digits of a timestamp, from the first
const S_DIGITS_LAST16: u32 = 0x1a0; // 16 bytes: its last 16 digits, right-aligned ('0' before them)
// Fixed texts, 16 bytes each with their length in the last byte (offsets from STATE)
const REG_TEXT: u32 = 0x1000; // by register: " clk R X<n> " (0-30), " clk R SP_EL<n> " (31-34), " clk R cpsr " (35)
const MEM_TEXT: u32 = 0x1400; // by write << 2 | log2(size): " clk MR<size> ", " clk MW<size> "
const ALIGN_LEFT: u32 = 0x1600; // by digit count n <= 16: the swizzle that moves the last n lanes to the front
// NDJSON's fixed texts (src/trace/ndjson.ts writes the same objects for the rarer events), with their
// lengths in the last byte of their 32 or 64
const NJ_PE: u32 = 0x1800; // 32: '{"pe":<pe>,"type":"'
const NJ_KIND: u32 = 0x1820; // 3 x 16: 'insn","icount":', 'reg","icount":', 'mem","icount":'
const NJ_REG: u32 = 0x1900; // 36 x 32, as REG_TEXT: ',"reg":"x7","value":"0x'
const NJ_REG_END: u32 = 0x1d80; // 2 x 32, by S_BY_FIRMWARE: '"}', '","by":"firmware"}', with the newline
const NJ_ACCESS: u32 = 0x1dc0; // 2 x 32, by write: ',"access":"read","size":'
const NJ_VA: u32 = 0x1e00; // 16: ',"va":"0x'
const NJ_PA: u32 = 0x1e10; // 16: '","pa":"0x'
const NJ_NO_PA: u32 = 0x1e40; // 64: '","pa":null,"gpc":null,"value":"0x'
const NJ_PAS: u32 = 0x1e80; // 8 x 64, by PA space << 1 | device: '","pas":"ns","device":false,"gpc":"pass","value":"0x'
const NJ_END: u32 = 0x2080; // 16: '"}' and the newline

export const MODE_TARMAC: u32 = 0;
export const MODE_NDJSON: u32 = 1;

export const FILTER_WINDOW: u32 = 1;
export const FILTER_ELS: u32 = 2;
export const FILTER_WORLDS: u32 = 4;
export const FILTER_PC: u32 = 8;

// Event kinds, in src/trace/events.ts EVENT_KINDS order
export const EV_INSN: u32 = 1;
export const EV_REG: u32 = 2;
export const EV_MEM: u32 = 4;
const EV_WORLD: u32 = 32;

// What drain() returns
export const RET_DONE: u32 = 0; // every record visited
export const RET_FLUSH: u32 = 1; // OUT holds a batch: write it out and call again
export const RET_FULL: u32 = 2; // a line would pass S_OUT_LIMIT: the trace ends
export const RET_MISS: u32 = 3; // the instruction at S_REC has no text in slot S_SLOT: install it and call again
export const RET_WORLD: u32 = 4; // the instruction at S_REC switched S_PREV_WORLD -> S_WORLD (and passes)
export const RET_EXC: u32 = 5; // an exception record at S_REC (S_T and S_PASS set; visited)
export const RET_ERET: u32 = 6; // an ERET record at S_REC (S_T and S_PASS set; visited)
export const RET_HOST: u32 = 7; // a record at S_REC of a kind the core does not write: the host reports it

// Record kinds and sizes (assembly/debug/trace.ts)
const REC_INSN: u32 = 1;
const REC_REG: u32 = 2;
const REC_MEM: u32 = 3;
const REC_EXC: u32 = 4;
const REC_ERET: u32 = 5;
const REG_SP: u32 = 31;
const REG_CPSR: u32 = 32;

const NL: u8 = 10;
const SPACE: u8 = 32;

@inline function st32(f: u32): u32 { return load<u32>(STATE + f); }
@inline function set32(f: u32, v: u32): void { store<u32>(STATE + f, v); }
@inline function st64(f: u32): u64 { return load<u64>(STATE + f); }

/** ASCII `s` at p; returns p past it. */
function ascii(p: u32, s: string): u32 {
  for (let k = 0; k < s.length; k++) store<u8>(p + k, <u8>s.charCodeAt(k));
  return p + s.length;
}
/** The decimal digits of n at p; returns p past them. */
function decimal(p: u32, n: u32): u32 {
  let len: u32 = 0;
  let v = n;
  do { len++; v /= 10; } while (v != 0);
  for (let k = <i32>len - 1; k >= 0; k--) { store<u8>(p + k, <u8>(48 + n % 10)); n /= 10; }
  return p + len;
}
/** Ends the fixed text that starts at `e` and runs to p: its length goes in the last of its `size` bytes. */
function ends(e: u32, p: u32, size: u32 = 16): void {
  store<u8>(e + size - 1, <u8>(p - e));
}
/** A fixed text: ASCII `s` at e, its length in the last of `size` bytes. */
function text(e: u32, s: string, size: u32 = 16): void {
  ends(e, ascii(e, s), size);
}

/** records.ts WORLDS */
function worldName(w: i32): string {
  return w == 0 ? "secure" : w == 1 ? "ns" : w == 2 ? "root" : "realm";
}

/** NDJSON's fixed texts for PE `pe`. */
function initNdjson(pe: u32): void {
  ends(STATE + NJ_PE, ascii(decimal(ascii(STATE + NJ_PE, '{"pe":'), pe), ',"type":"'), 32);
  text(STATE + NJ_KIND, 'insn","icount":');
  text(STATE + NJ_KIND + 16, 'reg","icount":');
  text(STATE + NJ_KIND + 32, 'mem","icount":');
  for (let n: u32 = 0; n < 36; n++) {
    const e = STATE + NJ_REG + (n << 5);
    let p = ascii(e, ',"reg":"');
    if (n < REG_SP) p = decimal(ascii(p, "x"), n);
    else if (n < REG_SP + 4) p = decimal(ascii(p, "sp_el"), n - REG_SP);
    else p = ascii(p, "cpsr");
    ends(e, ascii(p, '","value":"0x'), 32);
  }
  text(STATE + NJ_REG_END, '"}\n', 32);
  text(STATE + NJ_REG_END + 32, '","by":"firmware"}\n', 32);
  text(STATE + NJ_ACCESS, ',"access":"read","size":', 32);
  text(STATE + NJ_ACCESS + 32, ',"access":"write","size":', 32);
  text(STATE + NJ_VA, ',"va":"0x');
  text(STATE + NJ_PA, '","pa":"0x');
  text(STATE + NJ_NO_PA, '","pa":null,"gpc":null,"value":"0x', 64);
  for (let space = 0; space < 4; space++) {
    for (let device = 0; device < 2; device++) {
      const e = STATE + NJ_PAS + (<u32>((space << 1) | device) << 6);
      const p = ascii(ascii(ascii(e, '","pas":"'), worldName(space)), '","device":');
      ends(e, ascii(ascii(p, device != 0 ? "true" : "false"), ',"gpc":"pass","value":"0x'), 64);
    }
  }
  text(STATE + NJ_END, '"}\n');
}

/** Fills the fixed texts (NDJSON's naming PE `pe`) and resets the state; the host sets the filters after. */
export function init(pe: u32): u32 {
  if (__heap_base > STATE) return 1; // the fixed areas sit above the module's static data
  memory.fill(STATE, 0, CACHE - STATE);
  for (let n: u32 = 0; n < 31; n++) {
    const e = STATE + REG_TEXT + (n << 4);
    text(e, " clk R X");
    let k: u32 = 8;
    if (n >= 10) store<u8>(e + k++, <u8>(48 + n / 10));
    store<u8>(e + k++, <u8>(48 + n % 10));
    store<u8>(e + k++, SPACE);
    store<u8>(e + 15, <u8>k);
  }
  for (let el: u32 = 0; el < 4; el++) {
    const e = STATE + REG_TEXT + ((REG_SP + el) << 4);
    text(e, " clk R SP_EL0 ");
    store<u8>(e + 12, <u8>(48 + el));
  }
  text(STATE + REG_TEXT + ((REG_SP + 4) << 4), " clk R cpsr ");
  for (let w: u32 = 0; w < 2; w++) {
    for (let l: u32 = 0; l < 4; l++) {
      const e = STATE + MEM_TEXT + (((w << 2) | l) << 4);
      text(e, w != 0 ? " clk MW0 " : " clk MR0 ");
      store<u8>(e + 7, <u8>(48 + (<u32>1 << l)));
    }
  }
  for (let n: u32 = 0; n <= 16; n++) {
    for (let k: u32 = 0; k < 16; k++) store<u8>(STATE + ALIGN_LEFT + (n << 4) + k, <u8>(16 - n + k));
  }
  initNdjson(pe);
  store<i32>(STATE + S_WORLD, -1);
  for (let s: u32 = 0; s < (<u32>1 << CACHE_SLOTS_LOG2); s++) store<u32>(CACHE + s * CACHE_SLOT_SIZE, 0); // no record has header 0
  return 0;
}

// ---- text ----

const HEX_DIGITS: v128 = i8x16(48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102);
// Each byte of a u64 twice, most significant first: one lane per hex digit
const BYTES_BIG_ENDIAN_TWICE: v128 = i8x16(7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0);
const EVEN_LANES: v128 = i8x16(-1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0);
const LAST_LANE_ONE: v128 = i8x16(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);

/** The 16 hex digits of v, most significant first, as the 16 lanes of a vector. */
@inline function hexv(v: u64): v128 {
  const b = v128.swizzle(i64x2.splat(v), BYTES_BIG_ENDIAN_TWICE);
  const nibbles = v128.bitselect(i8x16.shr_u(b, 4), v128.and(b, i8x16.splat(15)), EVEN_LANES);
  return v128.swizzle(HEX_DIGITS, nibbles);
}
// The fixed parts of the lines (ASCII, little-endian)
const CLK_IT_LO: u64 = 0x205449206b6c6320; // " clk IT (" (9)
const CLK_IT_HI: u64 = 0x28;

/**
 * Sets S_DIGITS and S_DIGITS_LAST16 to the decimal digits of t; returns how many there are. Consecutive
 * instructions count up by one, which the walk does in a vector; this is for the rest.
 */
function digits(t: u64): u32 {
  let len: u32 = 0;
  let v = t;
  do { len++; v /= 10; } while (v != 0);
  v = t;
  for (let k = <i32>len - 1; k >= 0; k--) { store<u8>(STATE + S_DIGITS + k, <u8>(48 + v % 10)); v /= 10; }
  v = t;
  for (let k = 15; k >= 0; k--) { store<u8>(STATE + S_DIGITS_LAST16 + k, <u8>(48 + v % 10)); v /= 10; }
  return len;
}

/** A timestamp of `len` digits at p: `front` holds them when there are at most 16, else S_DIGITS does. */
@inline function stamp(p: u32, front: v128, len: u32): u32 {
  if (len <= 16) store<v128>(p, front);
  else {
    store<v128>(p, load<v128>(STATE + S_DIGITS));
    store<v128>(p, load<v128>(STATE + S_DIGITS, 16), 16);
  }
  return p + len;
}

/** The fixed text at e (of 16, 32 or 64 bytes) at p; returns p past it. */
@inline function fixed16(p: u32, e: u32): u32 {
  store<v128>(p, load<v128>(e));
  return p + load<u8>(e, 15);
}
@inline function fixed32(p: u32, e: u32): u32 {
  store<v128>(p, load<v128>(e));
  store<v128>(p, load<v128>(e, 16), 16);
  return p + load<u8>(e, 31);
}
@inline function fixed64(p: u32, e: u32): u32 {
  store<v128>(p, load<v128>(e));
  store<v128>(p, load<v128>(e, 16), 16);
  store<v128>(p, load<v128>(e, 32), 32);
  store<v128>(p, load<v128>(e, 48), 48);
  return p + load<u8>(e, 63);
}

/** v in hex without leading zeros (NDJSON's "0x..." values, as JavaScript's toString(16)) at p. */
@inline function shortHex(p: u32, v: u64): u32 {
  const n = v == 0 ? 1 : <u32>(67 - clz(v)) >> 2;
  store<v128>(p, hexv(v << (<u64>(16 - n) << 2)));
  return p + n;
}

/** An NDJSON line's start: '{"pe":<pe>,"type":"<kind>","icount":<t>', of kind 0 insn, 1 reg, 2 mem. */
@inline function ndjsonStart(p: u32, kind: u32, front: v128, len: u32): u32 {
  p = fixed32(p, STATE + NJ_PE);
  p = fixed16(p, STATE + NJ_KIND + (kind << 4));
  return stamp(p, front, len);
}

/** "VA[:PA[_S|_NS]]" as IT and M lines write it: the PA only when the access's TLB entry named it. */
@inline function address(p: u32, va: u64, paLo: u32, paHi: u32): u32 {
  store<v128>(p, hexv(va));
  p += 16;
  if ((paHi & 0x8000_0000) != 0) return p;
  store<u8>(p, 58); // ':'
  store<v128>(p + 1, hexv((<u64>(paHi & 0xfffff) << 32) | <u64>paLo));
  p += 17;
  const space = (paHi >>> 24) & 3; // Secure, Non-secure, Root, Realm: TTU accepts only _S and _NS
  if (space == 0) {
    store<u16>(p, 0x535f); // "_S"
    p += 2;
  } else if (space == 1) {
    store<u32>(p, 0x534e5f); // "_NS"
    p += 3;
  }
  return p;
}

// ---- filters ----

function passes(t: u64, state: u32, pc: u64, hasPc: bool): u32 {
  const f = st32(S_FILTERS);
  if (f == 0) return 1;
  if ((f & FILTER_WINDOW) != 0 && (t < st64(S_WIN_START) || t >= st64(S_WIN_END))) return 0;
  if ((f & FILTER_ELS) != 0 && (st32(S_ELS) & (<u32>1 << (state & 3))) == 0) return 0;
  if ((f & FILTER_WORLDS) != 0 && (st32(S_WORLDS) & (<u32>1 << ((state >> 2) & 3))) == 0) return 0;
  if ((f & FILTER_PC) != 0 && hasPc && (pc < st64(S_PC_LO) || pc >= st64(S_PC_HI))) return 0;
  return 1;
}

// ---- the walk ----

/** Visits records from S_IN_POS to S_IN_END; returns RET_* (see above). */
export function drain(): u32 {
  // A walk per format, each with its format's branches folded away
  return st32(S_MODE) == MODE_NDJSON ? walk(true) : walk(false);
}

// @ts-ignore: decorator
@inline function walk(ndjson: bool): u32 {
  let i = st32(S_IN_POS);
  const end = st32(S_IN_END);
  let o = OUT + st32(S_OUT_POS);
  const limit = OUT + st32(S_OUT_LIMIT);
  const batch = OUT + OUT_BATCH;
  const events = st32(S_EVENTS);
  const filtered = st32(S_FILTERS) != 0;
  let pass = st32(S_PASS);
  // The timestamp of S_T: its last 16 digits right-aligned (counted up in place), and left-aligned to write
  let t = st64(S_T);
  let len = digits(t);
  let last16 = load<v128>(STATE + S_DIGITS_LAST16);
  let align = load<v128>(STATE + ALIGN_LEFT + (min(len, 16) << 4));
  let front = v128.swizzle(last16, align);
  let ret = RET_DONE;
  while (i < end) {
    if (o >= batch) { ret = RET_FLUSH; break; }
    const r = IN + i;
    const hdr = load<u32>(r);
    const kind = hdr & 0xff;
    let line = o;
    if (kind == REC_INSN) {
      const state = (hdr >>> 8) & 0xff;
      const next = load<u64>(r, 24);
      const pc = load<u64>(r, 8);
      if (next != t) {
        if (next == t + 1 && len <= 16 && i8x16.extract_lane_u(last16, 15) != 57) {
          last16 = i8x16.add(last16, LAST_LANE_ONE);
          // Leading zeros stay until the count gains a digit: 99 -> 100 takes the path below
        } else {
          len = digits(next);
          last16 = load<v128>(STATE + S_DIGITS_LAST16);
          align = load<v128>(STATE + ALIGN_LEFT + (min(len, 16) << 4));
        }
        front = v128.swizzle(last16, align);
        t = next;
        store<u64>(STATE + S_T, t);
      }
      pass = filtered ? passes(t, state, pc, true) : 1;
      const world = <i32>((state >> 2) & 3);
      const was = load<i32>(STATE + S_WORLD);
      if (world != was) {
        store<i32>(STATE + S_WORLD, world);
        if (was >= 0 && pass != 0 && (events & EV_WORLD) != 0) {
          store<i32>(STATE + S_PREV_WORLD, was);
          set32(S_REC, i);
          ret = RET_WORLD;
          break; // the host writes the switch, then this record is visited again (the world now the same)
        }
      }
      if (pass != 0 && (events & EV_INSN) != 0) {
        const slot = (<u32>pc >>> 2) & ((<u32>1 << CACHE_SLOTS_LOG2) - 1);
        const c = CACHE + slot * CACHE_SLOT_SIZE;
        if (((load<u64>(c) ^ load<u64>(r)) | (load<u64>(c, 8) ^ pc) | (load<u64>(c, 16) ^ load<u64>(r, 16))) != 0) {
          set32(S_REC, i);
          set32(S_SLOT, slot);
          ret = RET_MISS;
          break;
        }
        if (ndjson) {
          o = ndjsonStart(o, 0, front, len);
          store<u8>(o++, 44); // ','
        } else {
          o = stamp(o, front, len);
          store<u64>(o, CLK_IT_LO);
          store<u64>(o, CLK_IT_HI, 8);
          o = stamp(o + 9, front, len);
        }
        const n = load<u32>(c, 24);
        for (let k: u32 = 0; k < n; k += 16) store<v128>(o + k, load<v128>(c + CACHE_TEXT + k));
        o += n;
      }
      i += 32;
    } else if (kind == REC_REG) {
      const n = (hdr >>> 8) & 0xff;
      const v = load<u64>(r, 8);
      if (n < REG_SP) store<u64>(STATE + S_MODEL + (n << 3), v);
      if (pass != 0 && (events & EV_REG) != 0 && n <= REG_CPSR) {
        // X0-X30, SP_EL0-3 (the EL in bits 17:16), cpsr
        const name = n < REG_SP ? n : n == REG_SP ? REG_SP + ((hdr >>> 16) & 3) : REG_SP + 4;
        if (ndjson) {
          o = ndjsonStart(o, 1, front, len);
          o = fixed32(o, STATE + NJ_REG + (name << 5));
          o = shortHex(o, v);
          o = fixed32(o, STATE + NJ_REG_END + (st32(S_BY_FIRMWARE) != 0 ? 32 : 0));
          i += 16;
          if (o > limit) { o = line; ret = RET_FULL; break; }
          continue;
        }
        o = stamp(o, front, len);
        o = fixed16(o, STATE + REG_TEXT + (name << 4));
        if (n != REG_CPSR) {
          store<v128>(o, hexv(v));
          o += 16;
        } else {
          store<v128>(o, hexv(v << 32));
          o += 8;
        }
        store<u8>(o++, NL);
      }
      i += 16;
    } else if (kind == REC_MEM) {
      if (pass != 0 && (events & EV_MEM) != 0) {
        const size = (hdr >>> 8) & 0xff;
        const write = (hdr >>> 16) & 1;
        const vaLo = load<u32>(r, 8), vaHi = load<u32>(r, 12);
        const paLo = load<u32>(r, 16), paHi = load<u32>(r, 20);
        const v = load<u64>(r, 24);
        if (ndjson) {
          // One object per access, whatever its size; it completed, so the GPC let it (its verdict is taken
          // when the TLB entry is made)
          o = ndjsonStart(o, 2, front, len);
          o = fixed32(o, STATE + NJ_ACCESS + (write << 5));
          o = decimal(o, size);
          o = fixed16(o, STATE + NJ_VA);
          o = shortHex(o, load<u64>(r, 8));
          if ((paHi & 0x8000_0000) != 0) o = fixed64(o, STATE + NJ_NO_PA);
          else {
            o = fixed16(o, STATE + NJ_PA);
            o = shortHex(o, (<u64>(paHi & 0xfffff) << 32) | <u64>paLo);
            o = fixed64(o, STATE + NJ_PAS + (((((paHi >>> 24) & 3) << 1) | ((paHi >>> 26) & 1)) << 6));
          }
          o = shortHex(o, v);
          o = fixed16(o, STATE + NJ_END);
          i += 32;
          if (o > limit) { o = line; ret = RET_FULL; break; }
          continue;
        }
        // A block (DC ZVA writes zeros) goes as 8-byte lines, which every Tarmac reader takes
        const step = size <= 8 ? size : 8;
        const e = STATE + MEM_TEXT + (((write << 2) | ctz(step)) << 4);
        // The value's bytes at the top, so that its digits come first
        const digitsOfValue = hexv(v << (64 - (<u64>step << 3)));
        for (let off: u32 = 0; off < size; off += step) {
          if (o > limit) break; // the line before did not fit: the check below ends the trace there
          line = o;
          o = stamp(o, front, len);
          o = fixed16(o, e);
          // the low halves step on without a carry, as the records' 32-bit halves do in the JS writers
          o = address(o, (<u64>vaHi << 32) | <u64>(vaLo + off), paLo + off, paHi);
          store<u8>(o++, SPACE);
          store<v128>(o, digitsOfValue);
          o += step << 1;
          store<u8>(o++, NL);
        }
      }
      i += 32;
    } else if (kind == REC_EXC) {
      const state = (hdr >>> 8) & 0xff;
      store<u64>(STATE + S_T, load<u64>(r, 32));
      pass = passes(load<u64>(r, 32), state, load<u64>(r, 24), true);
      set32(S_REC, i);
      i += 40;
      ret = RET_EXC;
      break;
    } else if (kind == REC_ERET) {
      const state = (hdr >>> 8) & 0xff;
      store<u64>(STATE + S_T, load<u64>(r, 24));
      pass = passes(load<u64>(r, 24), state, 0, false);
      set32(S_REC, i);
      i += 32;
      ret = RET_ERET;
      break;
    } else {
      // Not a record kind the core writes: the host reports it
      set32(S_REC, i);
      ret = RET_HOST;
      i = end;
      break;
    }
    if (o > limit) {
      o = line;
      ret = RET_FULL;
      break;
    }
  }
  set32(S_IN_POS, i);
  set32(S_OUT_POS, o - OUT);
  set32(S_PASS, pass);
  return ret;
}
