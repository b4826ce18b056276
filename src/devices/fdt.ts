// A flattened device tree (DTB) writer, Devicetree Specification v0.4 chapter 5 "Flattened Devicetree (DTB)
// Format": header, memory reservation block, structure block, strings block. Browser-safe (bytes only).
// The output is the one Debian's dtc gives for the same tree (version 17, strings shared as dtc shares
// them), so `dtc -I dtb -O dts` and back reproduces it byte for byte.

const FDT_MAGIC = 0xd00dfeed;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_END = 9;
const VERSION = 17;
const LAST_COMP_VERSION = 16;
const HEADER_SIZE = 40;

/** A property value: its bytes, built by the helpers below. */
export type PropValue = Uint8Array;

/** Big-endian 32-bit cells (`<a b c>` in dts). */
export function cells(...values: (number | bigint)[]): PropValue {
  const out = new Uint8Array(values.length * 4);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setUint32(i * 4, Number(BigInt.asUintN(32, BigInt(v)))));
  return out;
}

/** 64-bit values as two cells each (`/bits/ 64` or `<hi lo>`): addresses and sizes with #*-cells 2. */
export function cells64(...values: bigint[]): PropValue {
  return cells(...values.flatMap((v) => [BigInt.asUintN(64, v) >> 32n, v & 0xffff_ffffn]));
}

/** NUL-terminated strings (a string list when several). */
export function strings(...values: string[]): PropValue {
  return new TextEncoder().encode(values.map((s) => s + '\0').join(''));
}

/** An empty property (a boolean such as `interrupt-controller;`). */
export const empty: PropValue = new Uint8Array(0);

export class FdtNode {
  readonly props: [string, PropValue][] = [];
  readonly children: FdtNode[] = [];

  constructor(readonly name: string) {
    if (name.includes('/') && name !== '') throw new Error(`node name ${name} contains '/'`);
  }

  prop(name: string, value: PropValue): this {
    if (this.props.some(([n]) => n === name)) throw new Error(`property ${name} set twice in node ${this.name || '/'}`);
    this.props.push([name, value]);
    return this;
  }

  /** Adds a child node and returns it. */
  child(name: string): FdtNode {
    if (this.children.some((c) => c.name === name)) throw new Error(`node ${name} added twice under ${this.name || '/'}`);
    const c = new FdtNode(name);
    this.children.push(c);
    return c;
  }
}

export interface Reservation {
  address: bigint;
  size: bigint;
}

/** Grows a byte buffer as it is written (big-endian words, as the format wants). */
class Writer {
  private buf = new Uint8Array(1024);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  u32(v: number): void {
    this.ensure(4);
    new DataView(this.buf.buffer).setUint32(this.length, v >>> 0);
    this.length += 4;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  align4(): void {
    while (this.length % 4) this.bytes(Uint8Array.of(0));
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** The DTB of the tree under `root` (whose name is the empty string), with `reservations` in /memreserve/. */
export function writeFdt(root: FdtNode, reservations: Reservation[] = [], bootCpuId = 0): Uint8Array {
  const strs = new Writer();
  let strText = '';
  // A name already in the table, as a whole string or as the tail of one, is shared (as dtc does)
  const stringOffset = (name: string): number => {
    const at = (strText + '\0').indexOf(name + '\0');
    if (at >= 0 && at < strText.length) return at;
    const off = strs.length;
    strs.bytes(strings(name));
    strText += name + '\0';
    return off;
  };
  const struct = new Writer();
  const emit = (node: FdtNode) => {
    struct.u32(FDT_BEGIN_NODE);
    struct.bytes(strings(node.name));
    struct.align4();
    for (const [name, value] of node.props) {
      struct.u32(FDT_PROP);
      struct.u32(value.length);
      struct.u32(stringOffset(name));
      struct.bytes(value);
      struct.align4();
    }
    node.children.forEach(emit);
    struct.u32(FDT_END_NODE);
  };
  emit(root);
  struct.u32(FDT_END);

  const rsvOffset = HEADER_SIZE; // 8-byte aligned
  const rsvSize = (reservations.length + 1) * 16;
  const structOffset = rsvOffset + rsvSize;
  const stringsOffset = structOffset + struct.length;
  const total = stringsOffset + strs.length;
  const out = new Writer();
  for (const v of [FDT_MAGIC, total, structOffset, stringsOffset, rsvOffset, VERSION, LAST_COMP_VERSION, bootCpuId, strs.length, struct.length]) {
    out.u32(v);
  }
  for (const r of [...reservations, { address: 0n, size: 0n }]) {
    out.bytes(cells64(r.address, r.size));
  }
  out.bytes(struct.result());
  out.bytes(strs.result());
  return out.result();
}
