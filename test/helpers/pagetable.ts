// Builds VMSAv8-64 stage-1 translation tables in guest physical memory, for MMU tests (Arm ARM D8.3).
import type { Machine } from '../../src/machine/machine.js';

export interface PageAttrs {
  /** AP[2:1]: 0 EL1 RW, 1 EL1+EL0 RW, 2 EL1 RO, 3 EL1+EL0 RO. */
  ap?: number;
  uxn?: boolean;
  pxn?: boolean;
  af?: boolean;
  ng?: boolean;
  attrIndx?: number;
}

export class PageTables {
  readonly root: bigint;
  private next: bigint;
  private readonly stride: number;
  private readonly startLevel: number;

  /** `granuleBits` 12, 14 or 16; tables are allocated from `pool` upwards. */
  constructor(private readonly m: Machine, readonly granuleBits: number, readonly txsz: number, pool: bigint) {
    this.stride = granuleBits - 3;
    const inbits = 64 - txsz;
    this.startLevel = 4 - Math.ceil((inbits - granuleBits) / this.stride);
    this.next = pool;
    this.root = this.alloc();
  }

  private alloc(): bigint {
    const t = this.next;
    this.next += 1n << BigInt(this.granuleBits);
    this.m.writePhysical(t, new Uint8Array(1 << this.granuleBits));
    return t;
  }

  private read(pa: bigint): bigint {
    const b = this.m.readPhysical(pa, 8)!;
    return new DataView(b.buffer, b.byteOffset).getBigUint64(0, true);
  }
  private write(pa: bigint, v: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, true);
    this.m.writePhysical(pa, b);
  }

  private shiftOf(level: number): number {
    return this.granuleBits + (3 - level) * this.stride;
  }

  /** Maps one page (level 3) or block (level < 3) of the level's size at va -> pa. */
  map(va: bigint, pa: bigint, attrs: PageAttrs = {}, level = 3): bigint {
    let table = this.root;
    for (let l = this.startLevel; l < level; l++) {
      const bits = l === this.startLevel ? 64 - this.txsz - this.shiftOf(l) : this.stride;
      const idx = (va >> BigInt(this.shiftOf(l))) & ((1n << BigInt(bits)) - 1n);
      const slot = table + idx * 8n;
      let d = this.read(slot);
      if ((d & 3n) !== 3n) {
        d = this.alloc() | 3n;
        this.write(slot, d);
      }
      table = d & 0x0000_ffff_ffff_f000n & ~((1n << BigInt(this.granuleBits)) - 1n);
    }
    const bits = level === this.startLevel ? 64 - this.txsz - this.shiftOf(level) : this.stride;
    const idx = (va >> BigInt(this.shiftOf(level))) & ((1n << BigInt(bits)) - 1n);
    const slot = table + idx * 8n;
    let d = pa | (level === 3 ? 3n : 1n);
    d |= BigInt(attrs.attrIndx ?? 0) << 2n;
    d |= BigInt(attrs.ap ?? 0) << 6n;
    d |= 3n << 8n; // SH inner shareable
    if (attrs.af ?? true) d |= 1n << 10n;
    if (attrs.ng) d |= 1n << 11n;
    if (attrs.pxn) d |= 1n << 53n;
    if (attrs.uxn) d |= 1n << 54n;
    this.write(slot, d);
    return slot;
  }

  /** TCR_EL1 value for TTBR0 with this granule and size (IPS 48-bit, TTBR1 walks disabled). */
  tcrEl1(): bigint {
    const tg0 = this.granuleBits === 12 ? 0n : this.granuleBits === 16 ? 1n : 2n;
    return BigInt(this.txsz) | (tg0 << 14n) | (1n << 23n) /* EPD1 */ | (5n << 32n);
  }
}
