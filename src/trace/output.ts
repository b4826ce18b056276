// Where trace text goes: bytes formatted straight into a buffer (no strings on the hot path), written in
// large batches, with the --max-bytes limit enforced on whole lines. A line is begin() .. end().
import { writeSync, openSync, closeSync } from 'node:fs';
import { extname } from 'node:path';

const BATCH = 1 << 20;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));
const SLACK = 1 << 16; // room for the longest line past BATCH
const HEX = new Uint8Array(512);
for (let b = 0; b < 256; b++) {
  const s = b.toString(16).padStart(2, '0');
  HEX[2 * b] = s.charCodeAt(0);
  HEX[2 * b + 1] = s.charCodeAt(1);
}

/** ASCII bytes of a string (the writers produce ASCII only). */
export function ascii(s: string): Uint8Array {
  const a = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i) & 0x7f;
  return a;
}

export class TraceOutput {
  private buf: Uint8Array = new Uint8Array(BATCH + SLACK);
  private batch = BATCH;
  private pos = 0;
  private lineStart = 0; // where the line being written starts; equals pos between lines
  private flushed = 0;
  /** Set when a line did not fit under maxBytes, or the reader closed the output: nothing more is written. */
  full = false;
  /** Set when the reader closed the output. */
  closed = false;
  /** The error code (ENOSPC, EIO ...) of a write that failed; nothing more is written. */
  writeError?: string;
  private readonly fd: number;

  constructor(readonly path: string | undefined, readonly maxBytes = Infinity) {
    this.fd = path === undefined ? 1 : openSync(path, 'w');
  }

  /**
   * Writes into `buf` from now on (the trace drain's output area, which it fills with lines of its own),
   * out to disk once `batch` bytes are in it; what is pending moves along.
   */
  adopt(buf: Uint8Array, batch: number): void {
    if (buf.length < batch + SLACK) throw new Error('trace output: a buffer without room past its batch');
    buf.set(this.buf.subarray(0, this.pos));
    this.buf = buf;
    this.batch = batch;
  }

  /** Bytes in the buffer, all whole lines (between lines). Set after someone else appended lines to it. */
  get pending(): number {
    return this.pos;
  }
  set pending(n: number) {
    this.pos = this.lineStart = n;
  }

  /** How far the buffer may fill before the trace passes maxBytes. */
  get room(): number {
    return Math.max(0, Math.min(this.buf.length, this.maxBytes - this.flushed));
  }

  /** Bytes accepted so far. */
  get written(): number {
    return this.flushed + this.pos;
  }

  /** Starts a line; false when the output is full (write nothing then). */
  begin(): boolean {
    if (this.full) return false;
    if (this.pos >= this.batch) this.flush();
    return true;
  }

  /** Ends the line; drops it, and closes the output, if it would pass maxBytes. */
  end(): void {
    this.buf[this.pos++] = 10;
    if (this.flushed + this.pos > this.maxBytes) {
      this.pos = this.lineStart;
      this.full = true;
    }
    this.lineStart = this.pos;
  }

  line(s: string): void {
    if (!this.begin()) return;
    this.str(s);
    this.end();
  }

  str(s: string): void {
    const n = Math.min(s.length, SLACK - 64 - (this.pos - this.lineStart));
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i) & 0x7f;
    this.pos = p;
  }

  bytes(a: Uint8Array): void {
    const n = a.length;
    if (n > 16) {
      this.buf.set(a, this.pos);
      this.pos += n;
      return;
    }
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = a[i];
    this.pos = p;
  }

  // The decimal digits of the last timestamp: consecutive instructions count up by one, so the digits
  // are incremented in place rather than divided out for every line
  private readonly stampDigits = new Uint8Array(20);
  private stampLen = 0;
  private stampValue = -1;

  /** A timestamp (a non-negative integer) in decimal. */
  stamp(t: number): void {
    const d = this.stampDigits;
    if (t !== this.stampValue) {
      if (t === this.stampValue + 1 && this.stampLen > 0) {
        let k = this.stampLen - 1;
        while (k >= 0 && d[k] === 57) d[k--] = 48;
        if (k >= 0) d[k]++;
        else {
          d.copyWithin(1, 0, this.stampLen);
          d[0] = 49;
          this.stampLen++;
        }
      } else {
        const s = String(t);
        for (let i = 0; i < s.length; i++) d[i] = s.charCodeAt(i);
        this.stampLen = s.length;
      }
      this.stampValue = t;
    }
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < this.stampLen; i++) b[p++] = d[i];
    this.pos = p;
  }

  /** Eight hex digits of a u32. */
  hex8(u: number): void {
    const b = this.buf;
    const p = this.pos;
    let i = (u >>> 23) & 0x1fe;
    b[p] = HEX[i]; b[p + 1] = HEX[i + 1];
    i = (u >>> 15) & 0x1fe;
    b[p + 2] = HEX[i]; b[p + 3] = HEX[i + 1];
    i = (u >>> 7) & 0x1fe;
    b[p + 4] = HEX[i]; b[p + 5] = HEX[i + 1];
    i = (u << 1) & 0x1fe;
    b[p + 6] = HEX[i]; b[p + 7] = HEX[i + 1];
    this.pos = p + 8;
  }

  /** The low `digits` (2, 4, 8) hex digits of a u32. */
  hexLow(u: number, digits: number): void {
    const b = this.buf;
    for (let k = digits - 1; k >= 0; k--) b[this.pos + k] = HEX[((u >>> ((digits - 1 - k) * 4)) & 0xf) * 2 + 1];
    this.pos += digits;
  }

  /** Writes the complete lines (a line in progress stays). */
  flush(): void {
    let off = 0;
    const end = this.lineStart;
    if (this.writeError !== undefined) return;
    while (off < end) {
      try {
        off += writeSync(this.fd, this.buf, off, end - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          // The reader went away (e.g. `| head`): the trace ends here
          this.full = true;
          this.closed = true;
          this.pos = this.lineStart = 0;
          return;
        }
        // stdout may be a non-blocking pipe: wait for the reader
        if (code !== 'EAGAIN') {
          this.failed(e);
          return;
        }
        Atomics.wait(PAUSE, 0, 0, 1);
      }
    }
    this.buf.copyWithin(0, end, this.pos);
    this.pos -= end;
    this.lineStart -= end;
    this.flushed += end;
  }

  /** A write failed (a full disk, say): the trace ends, and its writer reports `writeError`. */
  private failed(e: unknown): void {
    this.writeError = (e as NodeJS.ErrnoException).code ?? String(e);
    this.full = true;
    this.pos = this.lineStart = 0;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      if (this.path !== undefined) closeSync(this.fd);
    }
  }
}

/** The file PE `pe` writes: FILE itself for PE 0, FILE with `.pe<N>` before the extension for the others. */
export function peOutputPath(file: string, pe: number): string {
  if (pe === 0) return file;
  const ext = extname(file);
  return ext ? `${file.slice(0, -ext.length)}.pe${pe}${ext}` : `${file}.pe${pe}`;
}
