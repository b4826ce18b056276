// The block JIT's inline forms: WebAssembly for the commonest integer instructions, written from the same
// Arm ARM pseudocode as their handlers (assembly/cpu/exec-*.ts) with the fields as constants, so they cost
// a few wasm operations instead of a call. Loads and stores inline the TLB hit (mem.ts's fast path, the same
// tag compare); anything else (a miss, a misaligned SP, a fault) runs the row's handler, which does the
// whole instruction again from the start: the inline part has changed nothing by then.
// Every form here is checked against the handlers by running the differential-test sequences with each
// block compiled on its first entry (test/core/jit.test.ts).
import type { JitRow } from './jit-rows.gen.js';

/** Linear-memory offsets the inline forms use (the core exports them: STATE_X, STATE_SP, STATE_NZCV...). */
export interface JitLayout {
  x: number;
  sp: number;
  nzcv: number;
  tlbEntriesLog2: number;
}

/** WebAssembly opcodes the compiler emits. */
export const enum Op {
  block = 0x02, loop = 0x03, if = 0x04, else = 0x05, end = 0x0b, br = 0x0c, br_if = 0x0d, return = 0x0f,
  call = 0x10, drop = 0x1a, select = 0x1b,
  local_get = 0x20, local_set = 0x21, local_tee = 0x22, global_get = 0x23, global_set = 0x24,
  i32_load = 0x28, i64_load = 0x29, i64_load8_s = 0x30, i64_load8_u = 0x31, i64_load16_s = 0x32, i64_load16_u = 0x33,
  i64_load32_s = 0x34, i64_load32_u = 0x35, i32_store = 0x36, i64_store = 0x37, i64_store8 = 0x3c, i64_store16 = 0x3d,
  i64_store32 = 0x3e,
  i32_const = 0x41, i64_const = 0x42,
  i32_eqz = 0x45, i32_eq = 0x46, i32_ne = 0x47, i32_lt_u = 0x49, i32_le_u = 0x4d,
  i64_eqz = 0x50, i64_eq = 0x51, i64_ne = 0x52, i64_lt_u = 0x54, i64_le_u = 0x58,
  i32_clz = 0x67, i32_add = 0x6a, i32_sub = 0x6b, i32_mul = 0x6c, i32_div_s = 0x6d, i32_div_u = 0x6e, i32_and = 0x71, i32_or = 0x72, i32_xor = 0x73, i32_shl = 0x74,
  i32_shr_s = 0x75, i32_shr_u = 0x76, i32_rotr = 0x78,
  i64_clz = 0x79, i64_add = 0x7c, i64_sub = 0x7d, i64_mul = 0x7e, i64_div_s = 0x7f, i64_div_u = 0x80, i64_and = 0x83, i64_or = 0x84, i64_xor = 0x85, i64_shl = 0x86,
  i64_shr_s = 0x87, i64_shr_u = 0x88, i64_rotr = 0x8a,
  i32_wrap_i64 = 0xa7, i64_extend_i32_s = 0xac, i64_extend_i32_u = 0xad,
}
export const VOID = 0x40;

// Locals of a block function: the three parameters, then scratch
export const L_PC = 0, L_COUNT = 1, L_END = 2;
const L_A = 3, L_B = 4, L_R = 5, L_V0 = 6, L_V1 = 7, L_VA0 = 8, L_VA1 = 9; // i64
const L_A32 = 10, L_B32 = 11, L_R32 = 12, L_E0 = 13, L_E1 = 14; // i32
/** The block function's local declarations (after the parameters). */
export const LOCALS = [[7, 0x7e], [5, 0x7f]] as const;
// Globals in import order
export const G_PC_NOW = 0, G_NEXT_PC = 1, G_ICOUNT = 2, G_ATTENTION = 3, G_TLB_READ = 4, G_TLB_WRITE = 5;

/** Appends code to a function body (numbers where they suffice: BigInt arithmetic is slow to generate with). */
export class Code {
  private buf = new Uint8Array(4096);
  private n = 0;
  get bytes(): Uint8Array<ArrayBuffer> {
    return this.buf.subarray(0, this.n);
  }
  get length(): number {
    return this.n;
  }
  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
  }
  op(a: number, b?: number, c?: number, d?: number, e?: number): void {
    this.room(5);
    this.buf[this.n++] = a;
    if (b !== undefined) this.buf[this.n++] = b;
    if (c !== undefined) this.buf[this.n++] = c;
    if (d !== undefined) this.buf[this.n++] = d;
    if (e !== undefined) this.buf[this.n++] = e;
  }
  /** Appends `bytes` as they are. */
  raw(bytes: ArrayLike<number>): void {
    this.room(bytes.length);
    this.buf.set(bytes, this.n);
    this.n += bytes.length;
  }
  /** A name: its length, then its characters (ASCII). */
  name(s: string): void {
    this.uleb(s.length);
    for (let i = 0; i < s.length; i++) this.op(s.charCodeAt(i));
  }
  uleb(v: number): void {
    this.room(10);
    do {
      let b = v & 0x7f;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.buf[this.n++] = b;
    } while (v !== 0);
  }
  /** Signed LEB128 of a safe integer. */
  private slebNumber(v: number): void {
    this.room(10);
    for (;;) {
      const b = v & 0x7f;
      v = Math.floor(v / 128);
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        this.buf[this.n++] = b;
        return;
      }
      this.buf[this.n++] = b | 0x80;
    }
  }
  sleb(v: bigint): void {
    if (v >= -0x10_0000_0000_0000n && v <= 0x10_0000_0000_0000n) return this.slebNumber(Number(v));
    this.room(10);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
        this.buf[this.n++] = b;
        return;
      }
      this.buf[this.n++] = b | 0x80;
    }
  }
  i32(v: number): void {
    this.op(Op.i32_const);
    this.slebNumber(v | 0);
  }
  i64(v: bigint | number): void {
    this.op(Op.i64_const);
    if (typeof v === 'number' && Number.isSafeInteger(v)) this.slebNumber(v);
    else this.sleb(BigInt.asIntN(64, BigInt(v)));
  }
  get(l: number): void { this.op(Op.local_get, l); }
  set(l: number): void { this.op(Op.local_set, l); }
  /** A memory access at a constant address: opcode, alignment, offset. */
  mem(opcode: number, align: number, offset: number): void {
    this.op(opcode, align);
    this.uleb(offset);
  }
  /** local + constant, an i64 on the stack */
  plus(local: number, k: number): void {
    this.get(local);
    if (k !== 0) {
      this.i64(k);
      this.op(Op.i64_add);
    }
  }
}

/** What an inline form needs from the block around it. */
export interface Site {
  code: Code;
  layout: JitLayout;
  word: number;
  row: JitRow;
  /** Byte offset of the instruction from the block's first. */
  offset: number;
  /** Emits the row's handler call with what it needs around it (the slow path of the memory forms). */
  call(): void;
}

const ones = (n: number): bigint => (1n << BigInt(n)) - 1n;
const M64 = ones(64);
const M32 = 0xffffffff; // as an i64 constant: a number is cheaper to encode than a BigInt

/** The values of `row`'s fields in `word`, in the order its handler takes them. */
export function rowFields(word: number, row: JitRow): number[] {
  return row.fields.map(([lo, w]) => (w === 32 ? word : (word >>> lo) & (2 ** w - 1)));
}

function fields(s: Site): number[] {
  return rowFields(s.word, s.row);
}

// ---- registers ----

/** Xn (XZR for 31) on the stack as an i64. */
function x(c: Code, l: JitLayout, n: number): void {
  if (n === 31) return c.i64(0);
  c.i32(0);
  c.mem(Op.i64_load, 3, l.x + 8 * n);
}
/** Xn or SP for 31. */
function xsp(c: Code, l: JitLayout, n: number): void {
  if (n !== 31) return x(c, l, n);
  c.i32(0);
  c.mem(Op.i64_load, 3, l.sp);
}
/** Wn as an i32. */
function w(c: Code, l: JitLayout, n: number): void {
  if (n === 31) return c.i32(0);
  c.i32(0);
  c.mem(Op.i32_load, 2, l.x + 8 * n);
}
/** Writes the i64 `value` emits to Xn (discarded for XZR), or to SP for 31 when `sp`. */
function setX(c: Code, l: JitLayout, n: number, value: () => void, sp = false): void {
  if (n === 31 && !sp) {
    value();
    c.op(Op.drop);
    return;
  }
  c.i32(0);
  value();
  c.mem(Op.i64_store, 3, n === 31 ? l.sp : l.x + 8 * n);
}
/** Writes the i32 `value` emits to Wn, zero-extended. */
function setW(c: Code, l: JitLayout, n: number, value: () => void): void {
  setX(c, l, n, () => { value(); c.op(Op.i64_extend_i32_u); });
}
function setNzcv(c: Code, l: JitLayout, value: () => void): void {
  c.i32(0);
  value();
  c.mem(Op.i32_store, 2, l.nzcv);
}

/** ConditionHolds(cond) as an i32 0/1, from a mask of the NZCV values it holds for (as alu.ts builds). */
function condition(c: Code, l: JitLayout, cond: number): void {
  const mask = CONDITION_MASKS[cond];
  if (mask === 0xffff) return c.i32(1);
  c.i32(mask);
  c.i32(0);
  c.mem(Op.i32_load, 2, l.nzcv);
  c.i32(28);
  c.op(Op.i32_shr_u, Op.i32_shr_u);
  c.i32(1);
  c.op(Op.i32_and);
}
const CONDITION_MASKS = Array.from({ length: 16 }, (_, cond) => {
  let mask = 0;
  for (let f = 0; f < 16; f++) {
    const n = (f >> 3) & 1, z = (f >> 2) & 1, cc = (f >> 1) & 1, v = f & 1;
    let r = [z, cc, n, v, cc & (z ^ 1), Number(n === v), Number(n === v) & (z ^ 1), 1][cond >> 1];
    if ((cond & 1) !== 0 && cond !== 15) r ^= 1;
    if (r) mask |= 1 << f;
  }
  return mask;
});

// ---- operands ----

/** ShiftReg with constant type and amount of the i64 (or i32) on the stack. */
function shift(c: Code, type: number, amount: number, wide: boolean): void {
  if (amount === 0) return;
  if (wide) c.i64(amount);
  else c.i32(amount);
  const ops = wide ? [Op.i64_shl, Op.i64_shr_u, Op.i64_shr_s, Op.i64_rotr] : [Op.i32_shl, Op.i32_shr_u, Op.i32_shr_s, Op.i32_rotr];
  c.op(ops[type]);
}

/**
 * AddWithCarry of locals a and b (b already inverted for a subtraction) with constant carry: leaves the
 * result in r and, when `flags`, writes NZCV as regs.ts's flags_add64/32 compute them.
 */
function addWithCarry(s: Site, wide: boolean, carry: number, flags: boolean): void {
  const { code: c, layout: l } = s;
  const [a, b, r] = wide ? [L_A, L_B, L_R] : [L_A32, L_B32, L_R32];
  const add = wide ? Op.i64_add : Op.i32_add;
  c.get(a);
  c.get(b);
  c.op(add);
  if (carry) {
    if (wide) c.i64(1);
    else c.i32(1);
    c.op(add);
  }
  c.set(r);
  if (!flags) return;
  const top = wide ? 63 : 31;
  const k = (v: number) => (wide ? c.i64(v) : c.i32(v));
  const shr = wide ? Op.i64_shr_u : Op.i32_shr_u;
  const wrap = () => { if (wide) c.op(Op.i32_wrap_i64); };
  setNzcv(c, l, () => {
    // N
    c.get(r); k(top); c.op(shr); wrap(); c.i32(31); c.op(Op.i32_shl);
    // Z
    c.get(r); c.op(wide ? Op.i64_eqz : Op.i32_eqz); c.i32(30); c.op(Op.i32_shl, Op.i32_or);
    // C: unsigned overflow of a + b + carry
    c.get(r); c.get(a); c.op(carry ? (wide ? Op.i64_le_u : Op.i32_le_u) : (wide ? Op.i64_lt_u : Op.i32_lt_u));
    c.i32(29); c.op(Op.i32_shl, Op.i32_or);
    // V: ((a ^ r) & (b ^ r)) >>> top
    c.get(a); c.get(r); c.op(wide ? Op.i64_xor : Op.i32_xor);
    c.get(b); c.get(r); c.op(wide ? Op.i64_xor : Op.i32_xor);
    c.op(wide ? Op.i64_and : Op.i32_and); k(top); c.op(shr); wrap(); c.i32(28); c.op(Op.i32_shl, Op.i32_or);
  });
}

/** DecodeBitMasks for the logical-immediate forms, replicated to 64 bits (alu.ts logical_imm); undefined if reserved. */
function logicalImmediate(n: number, immr: number, imms: number): bigint | undefined {
  const v = (n << 6) | (~imms & 0x3f);
  if (v === 0) return undefined;
  const len = 31 - Math.clz32(v);
  if (len < 1) return undefined;
  const esize = 1 << len;
  const levels = esize - 1;
  const sBits = imms & levels;
  const r = immr & levels;
  if (sBits === levels) return undefined;
  let elem = ones(sBits + 1);
  if (r !== 0) elem = ((elem >> BigInt(r)) | (elem << BigInt(esize - r))) & ones(esize);
  let out = 0n;
  for (let i = 0; i < 64; i += esize) out |= elem << BigInt(i);
  return out;
}

// ---- the forms ----

type Form = (s: Site, f: number[]) => boolean;

const LOGICAL_SR: Record<string, [op: Op, invert: boolean, flags: boolean]> = {
  AND: [Op.i64_and, false, false], BIC: [Op.i64_and, true, false], ORR: [Op.i64_or, false, false],
  ORN: [Op.i64_or, true, false], EOR: [Op.i64_xor, false, false], EON: [Op.i64_xor, true, false],
  ANDS: [Op.i64_and, false, true], BICS: [Op.i64_and, true, true],
};

function addSubImmediate(sub: boolean, flags: boolean): Form {
  return (s, [sf, sh, imm12, rn, rd]) => {
    const { code: c, layout: l } = s;
    const imm = imm12 * (sh ? 0x1000 : 1);
    const wide = sf !== 0;
    if (wide) {
      xsp(c, l, rn); c.set(L_A);
      c.i64(sub ? -imm - 1 : imm); c.set(L_B); // ~imm
    } else {
      xsp(c, l, rn); c.op(Op.i32_wrap_i64); c.set(L_A32);
      c.i32(sub ? ~imm : imm); c.set(L_B32);
    }
    addWithCarry(s, wide, sub ? 1 : 0, flags);
    const value = () => { c.get(wide ? L_R : L_R32); if (!wide) c.op(Op.i64_extend_i32_u); };
    setX(c, l, rd, value, !flags);
    return true;
  };
}

function addSubShifted(sub: boolean, flags: boolean, wide: boolean): Form {
  return (s, [type, rm, imm6, rn, rd]) => {
    const { code: c, layout: l } = s;
    if (type === 3) return false; // reserved: the handler's behaviour
    if (wide) {
      x(c, l, rn); c.set(L_A);
      x(c, l, rm); shift(c, type, imm6, true);
      if (sub) { c.i64(-1); c.op(Op.i64_xor); }
      c.set(L_B);
    } else {
      w(c, l, rn); c.set(L_A32);
      w(c, l, rm); shift(c, type, imm6, false);
      if (sub) { c.i32(-1); c.op(Op.i32_xor); }
      c.set(L_B32);
    }
    addWithCarry(s, wide, sub ? 1 : 0, flags);
    if (wide) setX(c, l, rd, () => c.get(L_R));
    else setW(c, l, rd, () => c.get(L_R32));
    return true;
  };
}

function logicalShifted(name: string, wide: boolean): Form {
  const [op, invert, flags] = LOGICAL_SR[name];
  return (s, [type, rm, imm6, rn, rd]) => {
    const { code: c, layout: l } = s;
    if (wide) {
      x(c, l, rn);
      x(c, l, rm); shift(c, type, imm6, true);
      if (invert) { c.i64(-1); c.op(Op.i64_xor); }
      c.op(op);
      c.set(L_R);
    } else {
      w(c, l, rn);
      w(c, l, rm); shift(c, type, imm6, false);
      if (invert) { c.i32(-1); c.op(Op.i32_xor); }
      c.op(op - (Op.i64_and - Op.i32_and)); // the i32 opcode of the same operation
      c.op(Op.i64_extend_i32_u);
      c.set(L_R);
    }
    if (flags) {
      // N from the datasize's top bit, Z, C = V = 0
      setNzcv(c, l, () => {
        c.get(L_R); c.i64(wide ? 63 : 31); c.op(Op.i64_shr_u, Op.i32_wrap_i64); c.i32(31); c.op(Op.i32_shl);
        c.get(L_R); c.op(Op.i64_eqz); c.i32(30); c.op(Op.i32_shl, Op.i32_or);
      });
    }
    setX(c, l, rd, () => c.get(L_R));
    return true;
  };
}

const LOGICAL_IMMEDIATES = new Map<number, bigint | undefined>();

function logicalImm(name: 'AND' | 'ORR' | 'EOR' | 'ANDS'): Form {
  return (s, [sf, n, immr, imms, rn, rd]) => {
    const { code: c, layout: l } = s;
    if (sf === 0 && n !== 0) return false;
    const key = (n << 12) | (immr << 6) | imms;
    if (!LOGICAL_IMMEDIATES.has(key)) LOGICAL_IMMEDIATES.set(key, logicalImmediate(n, immr, imms));
    let imm = LOGICAL_IMMEDIATES.get(key);
    if (imm === undefined) return false;
    if (sf === 0) imm &= 0xffffffffn;
    const op = { AND: Op.i64_and, ORR: Op.i64_or, EOR: Op.i64_xor, ANDS: Op.i64_and }[name];
    x(c, l, rn);
    if (sf === 0) { c.i64(M32); c.op(Op.i64_and); }
    c.i64(imm);
    c.op(op);
    c.set(L_R);
    if (name === 'ANDS') {
      setNzcv(c, l, () => {
        c.get(L_R); c.i64(sf ? 63 : 31); c.op(Op.i64_shr_u, Op.i32_wrap_i64); c.i32(31); c.op(Op.i32_shl);
        c.get(L_R); c.op(Op.i64_eqz); c.i32(30); c.op(Op.i32_shl, Op.i32_or);
      });
    }
    setX(c, l, rd, () => c.get(L_R), name !== 'ANDS');
    return true;
  };
}

function moveWide(kind: 'N' | 'Z' | 'K'): Form {
  return (s, [sf, hw, imm16, rd]) => {
    const { code: c, layout: l } = s;
    if (sf === 0 && hw > 1) return false;
    const pos = BigInt(hw * 16);
    const mask = sf ? M64 : 0xffffffffn;
    if (kind === 'K') {
      setX(c, l, rd, () => {
        x(c, l, rd);
        c.i64(~(0xffffn << pos) & mask);
        c.op(Op.i64_and);
        c.i64(BigInt(imm16) << pos);
        c.op(Op.i64_or);
      });
    } else {
      const v = kind === 'Z' ? BigInt(imm16) << pos : ~(BigInt(imm16) << pos) & mask;
      setX(c, l, rd, () => c.i64(v));
    }
    return true;
  };
}

function conditionalSelect(kind: 'EL' | 'INC' | 'INV' | 'NEG'): Form {
  return (s, [sf, rm, cond, rn, rd]) => {
    const { code: c, layout: l } = s;
    setX(c, l, rd, () => {
      x(c, l, rn);
      x(c, l, rm);
      if (kind === 'INC') { c.i64(1); c.op(Op.i64_add); }
      if (kind === 'INV') { c.i64(-1); c.op(Op.i64_xor); }
      if (kind === 'NEG') { c.set(L_B); c.i64(0); c.get(L_B); c.op(Op.i64_sub); }
      condition(c, l, cond);
      c.op(Op.select);
      if (!sf) { c.i64(M32); c.op(Op.i64_and); }
    });
    return true;
  };
}

function multiplyAdd(sub: boolean): Form {
  return (s, [sf, rm, ra, rn, rd]) => {
    const { code: c, layout: l } = s;
    setX(c, l, rd, () => {
      x(c, l, ra);
      x(c, l, rn);
      x(c, l, rm);
      c.op(Op.i64_mul, sub ? Op.i64_sub : Op.i64_add);
      if (!sf) { c.i64(M32); c.op(Op.i64_and); }
    });
    return true;
  };
}

/** UBFM/SBFM with constant immr and imms: the extract, insert-in-zero and shift aliases. */
function bitfieldMove(signed: boolean, wide: boolean): Form {
  return (s, [immr, imms, rn, rd]) => {
    const { code: c, layout: l } = s;
    const size = wide ? 64 : 32;
    setX(c, l, rd, () => {
      x(c, l, rn);
      if (!wide) {
        // Work on the low word moved to the top of 64 bits, so one sign-extending shift serves both sizes
        c.i64(32); c.op(Op.i64_shl);
      }
      const top = 63 - (imms + (64 - size)); // bits above the field's top (imms) once moved up
      if (imms >= immr) {
        // Extract bits imms:immr to the bottom
        c.i64(top); c.op(Op.i64_shl);
        c.i64(top + immr + (64 - size)); c.op(signed ? Op.i64_shr_s : Op.i64_shr_u);
      } else {
        // Bits imms:0 to position size - immr
        c.i64(top); c.op(Op.i64_shl);
        c.i64(top + (64 - size)); c.op(signed ? Op.i64_shr_s : Op.i64_shr_u);
        c.i64(size - immr); c.op(Op.i64_shl);
      }
      if (!wide) { c.i64(M32); c.op(Op.i64_and); }
    });
    return true;
  };
}

// ---- branches: they set next_pc (the handlers' branch_to) ----

function branchTo(s: Site, offset: number): void {
  s.code.plus(L_PC, s.offset + offset);
}

/** A `bits`-wide field sign-extended (bits <= 32). */
const sext = (v: number, bits: number): number => (v << (32 - bits)) >> (32 - bits);

function setNextPc(s: Site, value: () => void): void {
  value();
  s.code.op(Op.global_set, G_NEXT_PC);
}

/** next_pc = taken ? target : PC + 4, with the i32 condition `taken` emits. */
function conditionalBranch(s: Site, offset: number, taken: () => void): void {
  setNextPc(s, () => {
    branchTo(s, offset);
    s.code.plus(L_PC, s.offset + 4);
    taken();
    s.code.op(Op.select);
  });
}

const BRANCH: Record<string, Form> = {
  B_cond: (s, [imm19, cond]) => { conditionalBranch(s, sext(imm19, 19) * 4, () => condition(s.code, s.layout, cond)); return true; },
  B: (s, [imm26]) => { setNextPc(s, () => branchTo(s, sext(imm26, 26) * 4)); return true; },
  BL: (s, [imm26]) => {
    setX(s.code, s.layout, 30, () => s.code.plus(L_PC, s.offset + 4));
    setNextPc(s, () => branchTo(s, sext(imm26, 26) * 4));
    return true;
  },
  CBZ: (s, [sf, imm19, rt]) => { conditionalBranch(s, sext(imm19, 19) * 4, () => regIsZero(s, sf, rt, true)); return true; },
  CBNZ: (s, [sf, imm19, rt]) => { conditionalBranch(s, sext(imm19, 19) * 4, () => regIsZero(s, sf, rt, false)); return true; },
  TBZ: (s, [b5, b40, imm14, rt]) => { conditionalBranch(s, sext(imm14, 14) * 4, () => testBit(s, (b5 << 5) | b40, rt, true)); return true; },
  TBNZ: (s, [b5, b40, imm14, rt]) => { conditionalBranch(s, sext(imm14, 14) * 4, () => testBit(s, (b5 << 5) | b40, rt, false)); return true; },
  BR: (s, [rn]) => { setNextPc(s, () => x(s.code, s.layout, rn)); return true; },
  RET: (s, [rn]) => { setNextPc(s, () => x(s.code, s.layout, rn)); return true; },
};

function regIsZero(s: Site, sf: number, rt: number, zero: boolean): void {
  if (sf) { x(s.code, s.layout, rt); s.code.op(Op.i64_eqz); } else { w(s.code, s.layout, rt); s.code.op(Op.i32_eqz); }
  if (!zero) s.code.op(Op.i32_eqz);
}

function testBit(s: Site, bit: number, rt: number, zero: boolean): void {
  x(s.code, s.layout, rt);
  s.code.i64(bit);
  s.code.op(Op.i64_shr_u, Op.i32_wrap_i64);
  s.code.i32(1);
  s.code.op(Op.i32_and);
  if (zero) s.code.op(Op.i32_eqz);
}

// ---- loads and stores: the TLB hit inline, the rest through the handler ----

interface Access {
  /** log2 of the access size */
  scale: number;
  /** offset from the address the instruction computes */
  offset: number;
  /** register loaded or stored */
  rt: number;
  /** a load's extension: sign-extend, and to 64 bits (else the low word) */
  signed?: boolean;
  sf?: boolean;
}

const LOAD_OP = [[Op.i64_load8_u, 0], [Op.i64_load16_u, 1], [Op.i64_load32_u, 2], [Op.i64_load, 3]];
const STORE_OP = [[Op.i64_store8, 0], [Op.i64_store16, 1], [Op.i64_store32, 2], [Op.i64_store, 3]];

/**
 * A load or store of one or two registers at Xn|SP + `disp` (`post`: at Xn|SP, then the writeback), with
 * writeback of Xn|SP + `disp` when `writeback`. Falls back to the handler for anything but all TLB hits.
 */
function access(s: Site, load: boolean, rn: number, disp: number, accesses: Access[], writeback: boolean, post: boolean, index?: () => void): void {
  const { code: c, layout: l } = s;
  c.op(Op.block, VOID); // done
  c.op(Op.block, VOID); // slow
  // The base: SP must be 16-byte aligned for the fast path (base() checks the alignment otherwise)
  xsp(c, l, rn);
  c.set(L_B);
  if (rn === 31) {
    c.get(L_B); c.i64(15); c.op(Op.i64_and, Op.i64_eqz, Op.i32_eqz, Op.br_if, 0);
  }
  if (index) {
    // The register offset (no writeback in these forms)
    c.get(L_B); index(); c.op(Op.i64_add); c.set(L_B);
  }
  const vas = [L_VA0, L_VA1], es = [L_E0, L_E1], vs = [L_V0, L_V1];
  accesses.forEach((a, i) => {
    c.plus(L_B, (post ? 0 : disp) + a.offset);
    c.set(vas[i]);
    // The slot: table + ((va >>> 12) & (entries - 1)) * 32
    c.op(Op.global_get, load ? G_TLB_READ : G_TLB_WRITE);
    c.get(vas[i]); c.i64(12); c.op(Op.i64_shr_u, Op.i32_wrap_i64);
    c.i32((1 << l.tlbEntriesLog2) - 1); c.op(Op.i32_and);
    c.i32(5); c.op(Op.i32_shl, Op.i32_add);
    c.op(Op.local_tee, es[i]);
    // A hit: the tag equals the page of an aligned address (a misaligned one keeps a low bit and misses)
    c.mem(Op.i64_load, 3, 0);
    c.get(vas[i]); c.i64(-(0x1000 - (1 << a.scale)) - 1); c.op(Op.i64_and); // ~(page - size)
    c.op(Op.i64_ne, Op.br_if, 0);
  });
  // Every access hits: nothing can fault from here
  const host = (i: number) => {
    c.get(vas[i]); c.get(es[i]); c.mem(Op.i64_load, 3, 8); c.op(Op.i64_add, Op.i32_wrap_i64);
  };
  if (load) {
    accesses.forEach((a, i) => {
      host(i);
      const [opc, align] = LOAD_OP[a.scale];
      c.mem(opc, align, 0);
      if (a.signed) {
        const bits = 8 << a.scale;
        c.i64(64 - bits); c.op(Op.i64_shl); c.i64(64 - bits); c.op(Op.i64_shr_s);
        if (!a.sf) { c.i64(M32); c.op(Op.i64_and); }
      }
      c.set(vs[i]);
    });
    // Register writes last, the second first (as ldp writes Rt2 before Rt)
    for (let i = accesses.length - 1; i >= 0; i--) setX(c, l, accesses[i].rt, () => c.get(vs[i]));
  } else {
    accesses.forEach((a, i) => {
      host(i);
      x(c, l, a.rt);
      const [opc, align] = STORE_OP[a.scale];
      c.mem(opc, align, 0);
    });
  }
  if (writeback) setX(c, l, rn, () => c.plus(L_B, disp), true);
  c.op(Op.br, 1); // done
  c.op(Op.end); // slow
  s.call();
  c.op(Op.end); // done
}

/** Rows of the single-register forms: [scale, signed, sf] by row name prefix. */
const SINGLE: Record<string, [scale: number | 'sz', signed: boolean, sf: boolean | 'sz', load: boolean]> = {
  LDR: ['sz', false, 'sz', true], STR: ['sz', false, 'sz', false], LDRB: [0, false, false, true], STRB: [0, false, false, false],
  LDRH: [1, false, false, true], STRH: [1, false, false, false], LDRSW: [2, true, true, true],
};

function single(name: string, mode: 'off' | 'pre' | 'post'): Form {
  const [scaleOf, signed, sfOf, load] = SINGLE[name];
  return (s, f) => {
    // LDR/STR carry sz first; the others start at the offset
    const sz = scaleOf === 'sz' ? f[0] : 0;
    const [imm, rn, rt] = scaleOf === 'sz' ? f.slice(1) : f;
    const scale = scaleOf === 'sz' ? (sz ? 3 : 2) : scaleOf;
    const sf = sfOf === 'sz' ? sz !== 0 : sfOf;
    if (mode === 'off') {
      access(s, load, rn, imm * (1 << scale), [{ scale, offset: 0, rt, signed, sf }], false, false);
    } else {
      // Writeback with Rn == Rt is CONSTRAINED UNPREDICTABLE for loads: the handler's choice stands
      if (rn === rt && rn !== 31) return false;
      access(s, load, rn, sext(imm, 9), [{ scale, offset: 0, rt, signed, sf }], true, mode === 'post');
    }
    return true;
  };
}

function pair(load: boolean, mode: 'off' | 'pre' | 'post'): Form {
  return (s, [sz, imm7, rt2, rn, rt]) => {
    const scale = sz ? 3 : 2;
    if (mode !== 'off' && (rn === rt || rn === rt2) && rn !== 31) return false;
    const a: Access[] = [
      { scale, offset: 0, rt, sf: scale === 3 },
      { scale, offset: 1 << scale, rt: rt2, sf: scale === 3 },
    ];
    access(s, load, rn, sext(imm7, 7) * (1 << scale), a, mode !== 'off', mode === 'post');
    return true;
  };
}

/** ExtendReg(m, option, shift) of the register-offset loads and stores (ldst-common.ts extend_reg). */
function loadStoreIndex(c: Code, l: JitLayout, rm: number, option: number, amount: number): void {
  x(c, l, rm);
  if ((option & 1) === 0) {
    if (option & 4) { c.op(Op.i32_wrap_i64, Op.i64_extend_i32_s); } else { c.i64(M32); c.op(Op.i64_and); }
  }
  if (amount) { c.i64(amount); c.op(Op.i64_shl); }
}

/** Register-offset forms: [scale, signed, sf, load] ('sz': from the size bit; 'opc0': 64-bit when opc<0> is 0). */
const INDEXED: Record<string, [scale: number | 'sz', signed: boolean, sf: boolean | 'sz' | 'opc0', load: boolean]> = {
  LDR: ['sz', false, 'sz', true], STR: ['sz', false, 'sz', false], LDRB: [0, false, false, true], STRB: [0, false, false, false],
  LDRH: [1, false, false, true], STRH: [1, false, false, false], LDRSW: [2, true, true, true],
  LDRSB: [0, true, 'opc0', true], LDRSH: [1, true, 'opc0', true],
};

function indexed(name: string): Form {
  const [scaleOf, signed, sfOf, load] = INDEXED[name];
  return (s, f) => {
    const lead = scaleOf === 'sz' || sfOf === 'opc0' ? f[0] : 0;
    const [rm, option, sh, rn, rt] = scaleOf === 'sz' || sfOf === 'opc0' ? f.slice(1) : f;
    const scale = scaleOf === 'sz' ? (lead ? 3 : 2) : scaleOf;
    const sf = sfOf === 'sz' ? lead !== 0 : sfOf === 'opc0' ? lead === 0 : sfOf;
    access(s, load, rn, 0, [{ scale, offset: 0, rt, signed, sf }], false, false, () => loadStoreIndex(s.code, s.layout, rm, option, sh * scale));
    return true;
  };
}

/** ExtendReg of the data-processing forms (alu.ts extend_reg): the value extended by `option`, shifted by `amount`. */
function extendReg(c: Code, l: JitLayout, rm: number, option: number, amount: number): void {
  x(c, l, rm);
  const bits = [8, 16, 32, 64][option & 3];
  if (bits < 64) {
    if (option & 4) { c.i64(64 - bits); c.op(Op.i64_shl); c.i64(64 - bits); c.op(Op.i64_shr_s); } else { c.i64(2 ** bits - 1); c.op(Op.i64_and); }
  }
  if (amount) { c.i64(amount); c.op(Op.i64_shl); }
}

function addSubExtended(sub: boolean, flags: boolean): Form {
  return (s, [sf, rm, option, imm3, rn, rd]) => {
    const { code: c, layout: l } = s;
    if (imm3 > 4) return false; // reserved: the handler's behaviour
    const wide = sf !== 0;
    if (wide) {
      xsp(c, l, rn); c.set(L_A);
      extendReg(c, l, rm, option, imm3);
      if (sub) { c.i64(-1); c.op(Op.i64_xor); }
      c.set(L_B);
    } else {
      xsp(c, l, rn); c.op(Op.i32_wrap_i64); c.set(L_A32);
      extendReg(c, l, rm, option, imm3); c.op(Op.i32_wrap_i64);
      if (sub) { c.i32(-1); c.op(Op.i32_xor); }
      c.set(L_B32);
    }
    addWithCarry(s, wide, sub ? 1 : 0, flags);
    setX(c, l, rd, () => { c.get(wide ? L_R : L_R32); if (!wide) c.op(Op.i64_extend_i32_u); }, !flags);
    return true;
  };
}

/** CCMP/CCMN: the comparison's flags when the condition holds, else the immediate NZCV. */
function conditionalCompare(sub: boolean, immediate: boolean): Form {
  return (s, [sf, m, cond, rn, nzcv]) => {
    const { code: c, layout: l } = s;
    const wide = sf !== 0;
    condition(c, l, cond);
    c.op(Op.if, VOID);
    if (wide) {
      x(c, l, rn); c.set(L_A);
      if (immediate) c.i64(sub ? -m - 1 : m); else { x(c, l, m); if (sub) { c.i64(-1); c.op(Op.i64_xor); } }
      c.set(L_B);
    } else {
      w(c, l, rn); c.set(L_A32);
      if (immediate) c.i32(sub ? ~m : m); else { w(c, l, m); if (sub) { c.i32(-1); c.op(Op.i32_xor); } }
      c.set(L_B32);
    }
    addWithCarry(s, wide, sub ? 1 : 0, true);
    c.op(Op.else);
    setNzcv(c, l, () => c.i32(nzcv << 28));
    c.op(Op.end);
    return true;
  };
}

/** LSLV/LSRV/ASRV/RORV: wasm's shifts take the amount modulo the width, as the Arm ARM's do. */
function variableShift(op64: Op, op32: Op): Form {
  return (s, [sf, rm, rn, rd]) => {
    const { code: c, layout: l } = s;
    if (sf) setX(c, l, rd, () => { x(c, l, rn); x(c, l, rm); c.op(op64); });
    else setW(c, l, rd, () => { w(c, l, rn); w(c, l, rm); c.op(op32); });
    return true;
  };
}

/** UDIV/SDIV: a zero divisor gives 0, and -1 negates (wasm would trap on both). */
function divide(signed: boolean): Form {
  return (s, [sf, rm, rn, rd]) => {
    const { code: c, layout: l } = s;
    const wide = sf !== 0;
    const [a, b] = wide ? [L_A, L_B] : [L_A32, L_B32];
    const k = (v: number) => (wide ? c.i64(v) : c.i32(v));
    const [eq, eqz, sub, div] = wide
      ? [Op.i64_eq, Op.i64_eqz, Op.i64_sub, signed ? Op.i64_div_s : Op.i64_div_u]
      : [Op.i32_eq, Op.i32_eqz, Op.i32_sub, signed ? Op.i32_div_s : Op.i32_div_u];
    const reg = (n: number) => (wide ? x(c, l, n) : w(c, l, n));
    reg(rn); c.set(a);
    reg(rm); c.set(b);
    // Written out plainly: result = d == 0 ? 0 : (signed && d == -1) ? -n : n / safe(d)
    const emit = () => {
      k(0); // d == 0
      if (signed) {
        k(0); c.get(a); c.op(sub); // -n
        c.get(a);
        k(1); c.get(b); c.get(b); c.op(eqz); c.get(b); k(-1); c.op(eq, Op.i32_or); c.op(Op.select); // d, or 1 for 0 and -1
        c.op(div);
        c.get(b); k(-1); c.op(eq);
        c.op(Op.select); // d == -1 ? -n : n / d
      } else {
        c.get(a);
        k(1); c.get(b); c.get(b); c.op(eqz); c.op(Op.select); // d, or 1 for 0
        c.op(div);
      }
      c.get(b); c.op(eqz);
      c.op(Op.select); // d == 0 ? 0 : ...
      if (!wide) c.op(Op.i64_extend_i32_u);
    };
    setX(c, l, rd, emit);
    return true;
  };
}

const FORMS: Record<string, Form> = {
  ADR: (s, [immlo, immhi, rd]) => {
    setX(s.code, s.layout, rd, () => s.code.plus(L_PC, s.offset + sext((immhi << 2) | immlo, 21)));
    return true;
  },
  ADRP: (s, [immlo, immhi, rd]) => {
    setX(s.code, s.layout, rd, () => {
      s.code.plus(L_PC, s.offset);
      s.code.i64(-0x1000);
      s.code.op(Op.i64_and);
      s.code.i64(sext((immhi << 2) | immlo, 21) * 0x1000);
      s.code.op(Op.i64_add);
    });
    return true;
  },
  ADD_er: addSubExtended(false, false), ADDS_er: addSubExtended(false, true),
  SUB_er: addSubExtended(true, false), SUBS_er: addSubExtended(true, true),
  CCMN_r: conditionalCompare(false, false), CCMP_r: conditionalCompare(true, false),
  CCMN_i: conditionalCompare(false, true), CCMP_i: conditionalCompare(true, true),
  LSLV: variableShift(Op.i64_shl, Op.i32_shl), LSRV: variableShift(Op.i64_shr_u, Op.i32_shr_u),
  ASRV: variableShift(Op.i64_shr_s, Op.i32_shr_s), RORV: variableShift(Op.i64_rotr, Op.i32_rotr),
  UDIV: divide(false), SDIV: divide(true),
  CLZ: (s, [sf, rn, rd]) => {
    const { code: c, layout: l } = s;
    if (sf) setX(c, l, rd, () => { x(c, l, rn); c.op(Op.i64_clz); });
    else setW(c, l, rd, () => { w(c, l, rn); c.op(Op.i32_clz); });
    return true;
  },
  UMADDL: (s, [rm, ra, rn, rd]) => {
    const { code: c, layout: l } = s;
    setX(c, l, rd, () => { x(c, l, ra); w(c, l, rn); c.op(Op.i64_extend_i32_u); w(c, l, rm); c.op(Op.i64_extend_i32_u, Op.i64_mul, Op.i64_add); });
    return true;
  },
  SMADDL: (s, [rm, ra, rn, rd]) => {
    const { code: c, layout: l } = s;
    setX(c, l, rd, () => { x(c, l, ra); w(c, l, rn); c.op(Op.i64_extend_i32_s); w(c, l, rm); c.op(Op.i64_extend_i32_s, Op.i64_mul, Op.i64_add); });
    return true;
  },
  ADD_i: addSubImmediate(false, false), ADDS_i: addSubImmediate(false, true),
  SUB_i: addSubImmediate(true, false), SUBS_i: addSubImmediate(true, true),
  MOVN: moveWide('N'), MOVZ: moveWide('Z'), MOVK: moveWide('K'),
  AND_i: logicalImm('AND'), ORR_i: logicalImm('ORR'), EOR_i: logicalImm('EOR'), ANDS_i: logicalImm('ANDS'),
  CSEL: conditionalSelect('EL'), CSINC: conditionalSelect('INC'), CSINV: conditionalSelect('INV'), CSNEG: conditionalSelect('NEG'),
  MADD: multiplyAdd(false), MSUB: multiplyAdd(true),
  SBFM_32: bitfieldMove(true, false), SBFM_64: bitfieldMove(true, true),
  UBFM_32: bitfieldMove(false, false), UBFM_64: bitfieldMove(false, true),
  LDP_off: pair(true, 'off'), LDP_pre: pair(true, 'pre'), LDP_post: pair(true, 'post'),
  STP_off: pair(false, 'off'), STP_pre: pair(false, 'pre'), STP_post: pair(false, 'post'),
  ...BRANCH,
};
for (const sub of [false, true]) {
  for (const flags of [false, true]) {
    for (const wide of [false, true]) {
      FORMS[`${sub ? 'SUB' : 'ADD'}${flags ? 'S' : ''}_sr_${wide ? 64 : 32}`] = addSubShifted(sub, flags, wide);
    }
  }
}
for (const name of Object.keys(LOGICAL_SR)) {
  FORMS[`${name}_sr_32`] = logicalShifted(name, false);
  FORMS[`${name}_sr_64`] = logicalShifted(name, true);
}
for (const name of Object.keys(INDEXED)) FORMS[`${name}_reg`] = indexed(name);
for (const name of Object.keys(SINGLE)) {
  for (const mode of ['off', 'pre', 'post'] as const) FORMS[`${name}_${mode}`] = single(name, mode);
}

/**
 * A conditional branch inside a block (jit.ts follows the not-taken path): its target, as an offset from the
 * branch, and the condition under which it is taken. Undefined for the other branches.
 */
export function sideExit(s: Site): { offset: number; taken: () => void } | undefined {
  const f = fields(s);
  const c = s.code, l = s.layout;
  switch (s.row.handler.slice('jit_'.length)) {
    case 'B_cond': return { offset: sext(f[0], 19) * 4, taken: () => condition(c, l, f[1]) };
    case 'CBZ': return { offset: sext(f[1], 19) * 4, taken: () => regIsZero(s, f[0], f[2], true) };
    case 'CBNZ': return { offset: sext(f[1], 19) * 4, taken: () => regIsZero(s, f[0], f[2], false) };
    case 'TBZ': return { offset: sext(f[2], 14) * 4, taken: () => testBit(s, (f[0] << 5) | f[1], f[3], true) };
    case 'TBNZ': return { offset: sext(f[2], 14) * 4, taken: () => testBit(s, (f[0] << 5) | f[1], f[3], false) };
    case 'B': return undefined;
    default: throw new Error(`${s.row.handler} cannot be inside a block`);
  }
}

/** Emits the instruction at `s` inline; false when it has no inline form (the caller emits the call). */
export function emitInline(s: Site): boolean {
  const form = FORMS[s.row.handler.slice('jit_'.length)];
  return form ? form(s, fields(s)) : false;
}

/** The rows with an inline form (tests check each is exercised). */
export const INLINE_FORMS: readonly string[] = Object.keys(FORMS);
