// A minimal CBOR (RFC 8949) encoder and decoder for attestation tokens: integers, byte and text strings,
// arrays, maps, tags and the simple values false/true/null. The encoder writes the core deterministic
// encoding (RFC 8949 section 4.2.1: shortest heads, definite lengths, map keys in bytewise order), so a
// token is a function of its claims. The decoder accepts only what a token may hold and reports anything
// else as a CborError, never a host exception of another kind.

export type CborValue = number | bigint | string | Uint8Array | boolean | null | CborValue[] | CborMap | CborTag;
export type CborMap = Map<number | bigint | string, CborValue>;

export class CborTag {
  constructor(readonly tag: number, readonly value: CborValue) {}
}

export class CborError extends Error {}

const MT_UINT = 0, MT_NINT = 1, MT_BSTR = 2, MT_TSTR = 3, MT_ARRAY = 4, MT_MAP = 5, MT_TAG = 6, MT_SIMPLE = 7;

class Writer {
  private buf = new Uint8Array(256);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** The initial byte and argument in their shortest form (RFC 8949 section 3, 4.2.1). */
  head(major: number, arg: bigint): void {
    const m = major << 5;
    if (arg < 24n) return this.bytes(Uint8Array.of(m | Number(arg)));
    const [ai, n] = arg < 0x100n ? [24, 1] : arg < 0x1_0000n ? [25, 2] : arg < 0x1_0000_0000n ? [26, 4] : [27, 8];
    const out = new Uint8Array(1 + n);
    out[0] = m | ai;
    for (let i = 0; i < n; i++) out[n - i] = Number((arg >> BigInt(8 * i)) & 0xffn);
    this.bytes(out);
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function write(w: Writer, v: CborValue): void {
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new CborError(`not an integer: ${v}`);
    const n = BigInt(v);
    if (n >= 1n << 64n || n < -(1n << 64n)) throw new CborError(`integer out of range: ${n}`);
    return n >= 0n ? w.head(MT_UINT, n) : w.head(MT_NINT, -1n - n);
  }
  if (typeof v === 'string') {
    const b = new TextEncoder().encode(v);
    w.head(MT_TSTR, BigInt(b.length));
    return w.bytes(b);
  }
  if (v instanceof Uint8Array) {
    w.head(MT_BSTR, BigInt(v.length));
    return w.bytes(v);
  }
  if (typeof v === 'boolean') return w.head(MT_SIMPLE, v ? 21n : 20n);
  if (v === null) return w.head(MT_SIMPLE, 22n);
  if (Array.isArray(v)) {
    w.head(MT_ARRAY, BigInt(v.length));
    for (const item of v) write(w, item);
    return;
  }
  if (v instanceof CborTag) {
    w.head(MT_TAG, BigInt(v.tag));
    return write(w, v.value);
  }
  const entries = [...v.entries()].map(([k, val]) => ({ key: encodeCbor(k), val }));
  entries.sort((a, b) => compareBytes(a.key, b.key));
  w.head(MT_MAP, BigInt(entries.length));
  for (const e of entries) {
    w.bytes(e.key);
    write(w, e.val);
  }
}

export function encodeCbor(v: CborValue): Uint8Array {
  const w = new Writer();
  write(w, v);
  return w.result();
}

class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array, private readonly depthLimit = 32) {}

  private need(n: number): void {
    if (this.pos + n > this.b.length) throw new CborError(`truncated at byte ${this.pos}`);
  }

  private argument(ai: number): bigint {
    if (ai < 24) return BigInt(ai);
    const n = ai === 24 ? 1 : ai === 25 ? 2 : ai === 26 ? 4 : ai === 27 ? 8 : 0;
    if (n === 0) throw new CborError(`unsupported additional information ${ai} at byte ${this.pos - 1}`);
    this.need(n);
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(this.b[this.pos++]);
    return v;
  }

  private length(arg: bigint): number {
    if (arg > BigInt(this.b.length - this.pos)) throw new CborError(`length ${arg} runs past the end`);
    return Number(arg);
  }

  item(depth = 0): CborValue {
    if (depth > this.depthLimit) throw new CborError('nested too deeply');
    this.need(1);
    const ib = this.b[this.pos++];
    const major = ib >> 5;
    const arg = this.argument(ib & 0x1f);
    switch (major) {
      case MT_UINT: return arg <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(arg) : arg;
      case MT_NINT: {
        const n = -1n - arg;
        return n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n;
      }
      case MT_BSTR: case MT_TSTR: {
        const n = this.length(arg);
        const bytes = this.b.slice(this.pos, this.pos + n);
        this.pos += n;
        if (major === MT_BSTR) return bytes;
        try {
          return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          throw new CborError('text string is not UTF-8');
        }
      }
      case MT_ARRAY: {
        const n = this.length(arg);
        return Array.from({ length: n }, () => this.item(depth + 1));
      }
      case MT_MAP: {
        const n = this.length(arg * 2n);
        const m: CborMap = new Map();
        for (let i = 0; i < n / 2; i++) {
          const k = this.item(depth + 1);
          if (typeof k !== 'number' && typeof k !== 'bigint' && typeof k !== 'string') throw new CborError('map key is not an integer or text');
          if (m.has(k)) throw new CborError(`duplicate map key ${String(k)}`);
          m.set(k, this.item(depth + 1));
        }
        return m;
      }
      case MT_TAG:
        if (arg > 0xffff_ffffn) throw new CborError('tag number too large');
        return new CborTag(Number(arg), this.item(depth + 1));
      default:
        if (arg === 20n) return false;
        if (arg === 21n) return true;
        if (arg === 22n) return null;
        throw new CborError(`unsupported simple value or float (0x${ib.toString(16)})`);
    }
  }

  atEnd(): boolean {
    return this.pos === this.b.length;
  }
}

/** Decodes exactly one data item filling `bytes`. */
export function decodeCbor(bytes: Uint8Array): CborValue {
  const r = new Reader(bytes);
  const v = r.item();
  if (!r.atEnd()) throw new CborError(`${bytes.length - r.pos} bytes after the data item`);
  return v;
}
