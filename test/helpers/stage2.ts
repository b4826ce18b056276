// Builds VMSAv8-64 stage-2 translation tables in guest physical memory (Arm ARM D8.2.8.2-D8.2.10.2, D8.3):
// the start level from VTCR_EL2.SL0, concatenated start tables, S2AP/XN/MemAttr/NS descriptors.
import type { Machine } from '../../src/machine/machine.js';

export interface S2Attrs {
  /** S2AP: bit 0 read, bit 1 write (default 3, read/write). */
  s2ap?: number;
  xn?: boolean;
  af?: boolean;
  /** MemAttr[3:0]: 0xf Normal Write-Back (default), 0x0-0x3 Device, 0x5 Normal Non-cacheable. */
  memAttr?: number;
  /** NS (bit 55): the Non-secure PAS from Realm state. */
  ns?: boolean;
}

export class Stage2Tables {
  readonly root: bigint;
  readonly startLevel: number;
  private next: bigint;
  private readonly stride: number;

  /** `granuleBits` 12, 14 or 16, `t0sz` the IPA size, `sl0` the VTCR_EL2.SL0 that picks the start level. */
  constructor(private readonly m: Machine, readonly granuleBits: number, readonly t0sz: number, readonly sl0: number, pool: bigint) {
    this.stride = granuleBits - 3;
    this.startLevel = granuleBits === 12 ? [2, 1, 0, 3][sl0] : [3, 2, 1, 0][sl0];
    const rootBytes = 1n << BigInt(this.topBits() + 3);
    const align = rootBytes > 1n << BigInt(granuleBits) ? rootBytes : 1n << BigInt(granuleBits);
    this.next = (pool + align - 1n) & ~(align - 1n);
    this.root = this.next;
    this.next += align;
    this.m.writePhysical(this.root, new Uint8Array(Number(align)));
  }

  /** Bits the start level resolves (more than a stride: concatenated tables). */
  topBits(): number {
    return 64 - this.t0sz - this.shiftOf(this.startLevel);
  }

  shiftOf(level: number): number {
    return this.granuleBits + (3 - level) * this.stride;
  }

  private alloc(): bigint {
    const t = this.next;
    this.next += 1n << BigInt(this.granuleBits);
    this.m.writePhysical(t, new Uint8Array(1 << this.granuleBits));
    return t;
  }

  read(pa: bigint): bigint {
    const b = this.m.readPhysical(pa, 8)!;
    return new DataView(b.buffer, b.byteOffset).getBigUint64(0, true);
  }
  write(pa: bigint, v: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    this.m.writePhysical(pa, b);
  }

  /** The address of the descriptor for `ipa` at `level`, creating the tables above it. */
  slot(ipa: bigint, level: number): bigint {
    let table = this.root;
    for (let l = this.startLevel; ; l++) {
      const bits = l === this.startLevel ? this.topBits() : this.stride;
      const idx = (ipa >> BigInt(this.shiftOf(l))) & ((1n << BigInt(bits)) - 1n);
      const slot = table + idx * 8n;
      if (l === level) return slot;
      let d = this.read(slot);
      if ((d & 3n) !== 3n) {
        d = this.alloc() | 3n;
        this.write(slot, d);
      }
      table = d & 0x0000_ffff_ffff_f000n & ~((1n << BigInt(this.granuleBits)) - 1n);
    }
  }

  /** Maps one page (level 3) or block of the level's size at ipa -> pa; returns the descriptor's address. */
  map(ipa: bigint, pa: bigint, attrs: S2Attrs = {}, level = 3): bigint {
    const slot = this.slot(ipa, level);
    this.write(slot, Stage2Tables.descriptor(pa, attrs, level === 3));
    return slot;
  }

  static descriptor(pa: bigint, attrs: S2Attrs, page: boolean): bigint {
    let d = pa | (page ? 3n : 1n);
    d |= BigInt(attrs.memAttr ?? 0xf) << 2n;
    d |= BigInt(attrs.s2ap ?? 3) << 6n;
    d |= 3n << 8n; // SH inner shareable
    if (attrs.af ?? true) d |= 1n << 10n;
    if (attrs.xn) d |= 1n << 54n;
    if (attrs.ns) d |= 1n << 55n;
    return d;
  }

  vtcr(): bigint {
    const tg0 = this.granuleBits === 12 ? 0n : this.granuleBits === 16 ? 1n : 2n;
    return BigInt(this.t0sz) | (BigInt(this.sl0) << 6n) | (0x35n << 8n) /* SH IS, WB */ | (tg0 << 14n) | (5n << 16n) /* PS 48 */;
  }

  vttbr(vmid = 0): bigint {
    return this.root | (BigInt(vmid) << 48n);
  }

  /** Points VTTBR_EL2/VTCR_EL2 at these tables. */
  install(vmid = 0): void {
    this.m.core.setSysreg('VTCR_EL2', this.vtcr());
    this.m.core.setSysreg('VTTBR_EL2', this.vttbr(vmid));
  }
}

/** An identity stage 2 of 1 GB blocks over the first 512 GB of IPA (4K granule, start level 1), Normal WB. */
export function identityStage2(m: Machine, pool: bigint): Stage2Tables {
  const s2 = new Stage2Tables(m, 12, 25, 1, pool);
  for (let gb = 0n; gb < 512n; gb++) s2.map(gb << 30n, gb << 30n, {}, 1);
  return s2;
}
