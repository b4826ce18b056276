// The trace drain (AssemblyScript, built to build/trace-drain.wasm): walks the records the trace build of
// the core wrote (formats: assembly/debug/trace.ts, src/trace/records.ts), keeps the tracer's model of the
// PE (instruction count, security state, X0-X30), applies the filters, and formats the frequent records
// (instructions, registers, memory accesses) as Tarmac straight into an output buffer. It returns to the
// host for what needs the host: disassembly it has not cached, exceptions, ERETs, world switches, a full
// output batch, and, when the host formats (NDJSON), every record that passes the filters.
// Byte formatting here rather than in JavaScript is what lets a Tarmac trace keep pace with the core.
//
// Memory: fixed areas at the offsets below (exported, so the host writes none as a number).

// ---- layout ----
export const STATE: u32 = 0x1_0000;
export const CACHE: u32 = 0x2_0000;
export const CACHE_SLOTS_LOG2: u32 = 13;
export const CACHE_SLOT_SIZE: u32 = 512; // key (6 u32), text length (u32), text
export const CACHE_TEXT_MAX: u32 = CACHE_SLOT_SIZE - 32;
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
const S_STAMP: u32 = 0x160; // 24 bytes: decimal digits of the last timestamp
const S_STAMP_LEN: u32 = 0x178; // u32
const S_STAMP_T: u32 = 0x180; // u64: the timestamp the digits are of (all ones before the first)
const HEX: u32 = 0x1200; // 256 x u16: two lowercase hex digits per byte (offset from STATE)

export const MODE_TARMAC: u32 = 0;
export const MODE_HOST: u32 = 1;

export const FILTER_WINDOW: u32 = 1;
export const FILTER_ELS: u32 = 2;
export const FILTER_WORLDS: u32 = 4;
export const FILTER_PC: u32 = 8;

// Event kinds, in src/trace/events.ts EVENT_KINDS order
export const EV_INSN: u32 = 1;
export const EV_REG: u32 = 2;
export const EV_MEM: u32 = 4;

// What drain() returns
export const RET_DONE: u32 = 0; // every record visited
export const RET_FLUSH: u32 = 1; // OUT holds a batch: write it out and call again
export const RET_FULL: u32 = 2; // a line would pass S_OUT_LIMIT: the trace ends
export const RET_MISS: u32 = 3; // the instruction at S_REC has no text in slot S_SLOT: install it and call again
export const RET_WORLD: u32 = 4; // the instruction at S_REC switched S_PREV_WORLD -> S_WORLD (and passes)
export const RET_EXC: u32 = 5; // an exception record at S_REC (S_T and S_PASS set; visited)
export const RET_ERET: u32 = 6; // an ERET record at S_REC (S_T and S_PASS set; visited)
export const RET_HOST: u32 = 7; // MODE_HOST: a record at S_REC to format (it passes and its kind is wanted)

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

/** Fills the hex table and resets the state; the host sets the filters after. */
export function init(): u32 {
  if (__heap_base > STATE) return 1; // the fixed areas sit above the module's static data
  for (let b: u32 = 0; b < 256; b++) {
    const hi = b >> 4, lo = b & 15;
    store<u16>(STATE + HEX + (b << 1), <u16>((hi < 10 ? 48 + hi : 87 + hi) | ((lo < 10 ? 48 + lo : 87 + lo) << 8)));
  }
  memory.fill(STATE, 0, HEX);
  store<i32>(STATE + S_WORLD, -1);
  store<u64>(STATE + S_STAMP_T, ~<u64>0);
  for (let s: u32 = 0; s < (<u32>1 << CACHE_SLOTS_LOG2); s++) store<u32>(CACHE + s * CACHE_SLOT_SIZE + 24, 0xffff_ffff); // no text yet
  return 0;
}

// ---- text ----

@inline function hex2(p: u32, b: u32): void {
  store<u16>(p, load<u16>(STATE + HEX + ((b & 0xff) << 1)));
}
/** Eight hex digits of a u32 at p. */
@inline function hex8(p: u32, u: u32): void {
  hex2(p, u >>> 24);
  hex2(p + 2, u >>> 16);
  hex2(p + 4, u >>> 8);
  hex2(p + 6, u);
}
@inline function hex16(p: u32, v: u64): void {
  hex8(p, <u32>(v >>> 32));
  hex8(p + 8, <u32>v);
}
/**
 * Up to 16 bytes of constant text at p, given as little-endian words (a line's fixed parts); the bytes
 * past `n` are scratch that the rest of the line overwrites (the output has slack).
 */
@inline function put(p: u32, lo: u64, hi: u64, n: u32): u32 {
  store<u64>(p, lo);
  store<u64>(p, hi, 8);
  return p + n;
}
// The fixed parts of the lines (ASCII, little-endian)
const CLK_IT_LO: u64 = 0x205449206b6c6320; // " clk IT (" (9)
const CLK_IT_HI: u64 = 0x28;
const CLK_R_X: u64 = 0x582052206b6c6320; // " clk R X" (8)
const CLK_R_SP_LO: u64 = 0x532052206b6c6320; // " clk R SP_EL" (12)
const CLK_R_SP_HI: u64 = 0x4c455f50;
const CLK_R_CPSR_LO: u64 = 0x632052206b6c6320; // " clk R cpsr " (12)
const CLK_R_CPSR_HI: u64 = 0x20727370;
const CLK_MW: u64 = 0x574d206b6c6320; // " clk MW" (7)
const CLK_MR: u64 = 0x524d206b6c6320; // " clk MR" (7)
const SUFFIX_S: u64 = 0x535f; // "_S"
const SUFFIX_NS: u64 = 0x534e5f; // "_NS"

/** Copies n bytes in 8-byte words (both areas have room for the overshoot): lines are short. */
@inline function copy(dst: u32, src: u32, n: u32): void {
  for (let k: u32 = 0; k < n; k += 8) store<u64>(dst + k, load<u64>(src + k));
}

/** The timestamp `t` in decimal at p (24 bytes written: three stores instead of a loop over the digits). */
@inline function stamp(p: u32, t: u64): u32 {
  if (t != load<u64>(STATE + S_STAMP_T)) newStamp(t);
  const d = STATE + S_STAMP;
  store<u64>(p, load<u64>(d));
  store<u64>(p, load<u64>(d, 8), 8);
  store<u64>(p, load<u64>(d, 16), 16);
  return p + load<u32>(STATE + S_STAMP_LEN);
}

/** Sets the digits to `t`'s; consecutive instructions count up by one, so the digits are incremented. */
function newStamp(t: u64): void {
  const d = STATE + S_STAMP;
  let len = st32(S_STAMP_LEN);
  if (t == st64(S_STAMP_T) + 1 && len > 0) {
    let k = <i32>len - 1;
    while (k >= 0 && load<u8>(d + k) == 57) store<u8>(d + (k--), 48);
    if (k >= 0) store<u8>(d + k, load<u8>(d + k) + 1);
    else {
      memory.copy(d + 1, d, len);
      store<u8>(d, 49);
      len++;
    }
  } else {
    len = 0;
    let v = t;
    do { len++; v /= 10; } while (v != 0);
    v = t;
    for (let k = <i32>len - 1; k >= 0; k--) { store<u8>(d + k, <u8>(48 + v % 10)); v /= 10; }
  }
  set32(S_STAMP_LEN, len);
  store<u64>(STATE + S_STAMP_T, t);
}

/** "VA[:PA[_S|_NS]]" as IT and M lines write it: the PA only when the access's TLB entry named it. */
function address(p: u32, va: u64, paLo: u32, paHi: u32): u32 {
  hex16(p, va);
  p += 16;
  if ((paHi & 0x8000_0000) != 0) return p;
  store<u8>(p, 58); // ':'
  hex8(p + 1, paHi & 0xfffff);
  hex8(p + 9, paLo);
  p += 17;
  const space = (paHi >>> 24) & 3; // Secure, Non-secure, Root, Realm: TTU accepts only _S and _NS
  if (space == 0) p = put(p, SUFFIX_S, 0, 2);
  else if (space == 1) p = put(p, SUFFIX_NS, 0, 3);
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
  let i = st32(S_IN_POS);
  const end = st32(S_IN_END);
  let o = OUT + st32(S_OUT_POS);
  const limit = OUT + st32(S_OUT_LIMIT);
  const batch = OUT + OUT_BATCH;
  const host = st32(S_MODE) == MODE_HOST;
  const events = st32(S_EVENTS);
  let pass = st32(S_PASS);
  let ret = RET_DONE;
  while (i < end) {
    if (o >= batch) { ret = RET_FLUSH; break; }
    const r = IN + i;
    const hdr = load<u32>(r);
    const kind = hdr & 0xff;
    let line = o;
    if (kind == REC_INSN) {
      const state = (hdr >>> 8) & 0xff;
      const t = load<u64>(r, 24);
      const pc = load<u64>(r, 8);
      store<u64>(STATE + S_T, t);
      pass = st32(S_FILTERS) == 0 ? 1 : passes(t, state, pc, true);
      const world = <i32>((state >> 2) & 3);
      const was = load<i32>(STATE + S_WORLD);
      if (world != was) {
        store<i32>(STATE + S_WORLD, world);
        if (was >= 0 && pass != 0 && (events & (1 << 5)) != 0) {
          store<i32>(STATE + S_PREV_WORLD, was);
          set32(S_REC, i);
          ret = RET_WORLD;
          break; // the host writes the switch, then this record is visited again (the world now the same)
        }
      }
      if (pass != 0 && (events & EV_INSN) != 0) {
        if (host) { set32(S_REC, i); i += 32; ret = RET_HOST; break; }
        const enc = load<u32>(r, 4);
        const paLo = load<u32>(r, 16), paHi = load<u32>(r, 20);
        const slot = (<u32>pc >>> 2) & ((<u32>1 << CACHE_SLOTS_LOG2) - 1);
        const c = CACHE + slot * CACHE_SLOT_SIZE;
        if (load<u64>(c) != pc || load<u32>(c, 8) != enc || load<u32>(c, 12) != state || load<u32>(c, 16) != paLo ||
          load<u32>(c, 20) != paHi || load<u32>(c, 24) > CACHE_TEXT_MAX) {
          set32(S_REC, i);
          set32(S_SLOT, slot);
          ret = RET_MISS;
          break;
        }
        o = stamp(o, t);
        o = put(o, CLK_IT_LO, CLK_IT_HI, 9);
        o = stamp(o, t);
        const n = load<u32>(c, 24);
        copy(o, c + 32, n);
        o += n;
        store<u8>(o++, NL);
      }
      i += 32;
    } else if (kind == REC_REG) {
      const n = (hdr >>> 8) & 0xff;
      const v = load<u64>(r, 8);
      if (n < REG_SP) store<u64>(STATE + S_MODEL + (n << 3), v);
      if (pass != 0 && (events & EV_REG) != 0 && n <= REG_CPSR) {
        if (host) { set32(S_REC, i); i += 16; ret = RET_HOST; break; }
        o = stamp(o, st64(S_T));
        if (n < REG_SP) {
          o = put(o, CLK_R_X, 0, 8);
          if (n >= 10) store<u8>(o++, <u8>(48 + n / 10));
          store<u8>(o++, <u8>(48 + n % 10));
          store<u8>(o++, SPACE);
          hex16(o, v);
          o += 16;
        } else if (n == REG_SP) {
          o = put(o, CLK_R_SP_LO, CLK_R_SP_HI, 12);
          store<u8>(o++, <u8>(48 + ((hdr >>> 16) & 3)));
          store<u8>(o++, SPACE);
          hex16(o, v);
          o += 16;
        } else {
          o = put(o, CLK_R_CPSR_LO, CLK_R_CPSR_HI, 12);
          hex8(o, <u32>v);
          o += 8;
        }
        store<u8>(o++, NL);
      }
      i += 16;
    } else if (kind == REC_MEM) {
      if (pass != 0 && (events & EV_MEM) != 0) {
        if (host) { set32(S_REC, i); i += 32; ret = RET_HOST; break; }
        const size = (hdr >>> 8) & 0xff;
        const write = ((hdr >>> 16) & 1) != 0;
        const vaLo = load<u32>(r, 8), vaHi = load<u32>(r, 12);
        const paLo = load<u32>(r, 16), paHi = load<u32>(r, 20);
        const v = load<u64>(r, 24);
        const t = st64(S_T);
        // A block (DC ZVA writes zeros) goes as 8-byte lines, which every Tarmac reader takes
        const step = size <= 8 ? size : 8;
        for (let off: u32 = 0; off < size; off += step) {
          if (o > limit) break; // the line before did not fit: the check below ends the trace there
          line = o;
          o = stamp(o, t);
          o = put(o, write ? CLK_MW : CLK_MR, 0, 7);
          store<u8>(o++, <u8>(48 + step));
          store<u8>(o++, SPACE);
          // the low halves step on without a carry, as the records' 32-bit halves do in the JS writers
          o = address(o, (<u64>vaHi << 32) | <u64>(vaLo + off), paLo + off, paHi);
          store<u8>(o++, SPACE);
          if (step == 8) {
            hex16(o, v);
            o += 16;
          } else {
            for (let k: u32 = 0; k < step; k++) hex2(o + (step - 1 - k) * 2, <u32>(v >>> (k * 8)));
            o += step * 2;
          }
          store<u8>(o++, NL);
        }
      }
      i += 32;
    } else if (kind == REC_EXC) {
      const state = (hdr >>> 8) & 0xff;
      const t = load<u64>(r, 32);
      store<u64>(STATE + S_T, t);
      pass = passes(t, state, load<u64>(r, 24), true);
      set32(S_REC, i);
      i += 40;
      ret = RET_EXC;
      break;
    } else if (kind == REC_ERET) {
      const state = (hdr >>> 8) & 0xff;
      const t = load<u64>(r, 24);
      store<u64>(STATE + S_T, t);
      pass = passes(t, state, 0, false);
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
