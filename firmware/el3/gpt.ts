// The Granule Protection Table the EL3 monitor owns (Arm ARM D9): built at boot in Root memory from the
// board's map, then changed one granule at a time by delegate/undelegate, each change followed by the
// architectural PA-range invalidation. 4 KB granules (PGS), 1 GB level-0 entries (L0GPTSZ).
import { Pas, PhysicalAccess, type PhysicalMemory } from '../phys.js';
import type { Cpu } from '../cpu.js';

/** GPI encodings (Arm ARM D9.6.5). */
export const enum Gpi {
  NoAccess = 0x0,
  Secure = 0x8,
  NonSecure = 0x9,
  Root = 0xa,
  Realm = 0xb,
  Any = 0xf,
}

export interface GpiRegion {
  base: bigint;
  size: bigint;
  gpi: Gpi;
}

const GRANULE = 0x1000n;
const L0_SHIFT = 30n; // GPCCR_EL3.L0GPTSZ = 0b0000: each level-0 entry covers 1 GB
const L0_SPAN = 1n << L0_SHIFT;
const L1_ENTRY_SPAN = 16n * GRANULE; // one level-1 descriptor: 16 GPIs of 4 KB
const L1_TABLE_BYTES = (L0_SPAN / L1_ENTRY_SPAN) * 8n; // 128 KB, and aligned to that (D9.2)
const PPS_ENCODING: [number, bigint][] = [[32, 0n], [36, 1n], [40, 2n], [42, 3n], [44, 4n], [48, 5n]];

export type GptError = 'not-granule' | 'no-l1' | 'wrong-gpi' | 'memory';

export class GranuleProtectionTable {
  private readonly root: PhysicalAccess;
  /** The level-1 table of every 1 GB region that has one; the rest are level-0 block descriptors. */
  private readonly l1 = new Map<bigint, bigint>();
  readonly ppsBits: number;

  /**
   * Writes the tables into [tableBase, tableBase + tableSize) (Root memory) and programs GPTBR_EL3 and
   * GPCCR_EL3 as TF-A does. `regions` give the GPI of every granule they cover (later ones win); every
   * other address is Non-secure. Each 1 GB with RAM or a region gets a level-1 table; the rest are blocks.
   */
  constructor(private readonly mem: PhysicalMemory, cpu: Cpu, opts: { tableBase: bigint; tableSize: bigint; regions: GpiRegion[]; ram: GpiRegion[] }) {
    this.root = new PhysicalAccess(mem, Pas.Root);
    const top = opts.ram.reduce((m, r) => (r.base + r.size > m ? r.base + r.size : m), 1n << 32n);
    const pps = PPS_ENCODING.find(([bits]) => 1n << BigInt(bits) >= top);
    if (!pps) throw new Error(`RAM up to 0x${top.toString(16)} is beyond the protected physical address size`);
    this.ppsBits = pps[0];
    const l0Entries = 1n << (BigInt(this.ppsBits) - L0_SHIFT);
    const l0Base = opts.tableBase;
    // Level-1 tables follow the level-0 table, each aligned to its 128 KB size
    let next = l0Base + L1_TABLE_BYTES;
    // Level-1 tables wherever granules differ or may change: RAM, and any region not 1 GB-aligned
    for (const r of [...opts.ram, ...opts.regions]) {
      for (let gb = r.base >> L0_SHIFT; gb <= (r.base + r.size - 1n) >> L0_SHIFT; gb++) {
        if (this.l1.has(gb)) continue;
        if (next + L1_TABLE_BYTES > opts.tableBase + opts.tableSize) throw new Error('the GPT does not fit its Root carve-out');
        this.l1.set(gb, next);
        next += L1_TABLE_BYTES;
      }
    }
    const gpiAt = (pa: bigint): Gpi => {
      let g = Gpi.NonSecure;
      for (const r of opts.regions) if (pa >= r.base && pa < r.base + r.size) g = r.gpi;
      return g;
    };
    const l0 = new Uint8Array(Number(l0Entries) * 8);
    const l0v = new DataView(l0.buffer);
    for (let i = 0n; i < l0Entries; i++) {
      const table = this.l1.get(i);
      // Table descriptor (type 0b0011) or block descriptor (type 0b0001, GPI in [7:4]) (D9.6)
      l0v.setBigUint64(Number(i) * 8, table !== undefined ? table | 3n : (BigInt(gpiAt(i << L0_SHIFT)) << 4n) | 1n, true);
    }
    this.mustWrite(l0Base, l0);
    const uniform = (g: Gpi) => BigInt(g) * 0x1111_1111_1111_1111n;
    for (const [gb, table] of this.l1) {
      const v = new BigUint64Array(Number(L1_TABLE_BYTES / 8n)).fill(uniform(Gpi.NonSecure));
      const lo = gb << L0_SHIFT, hi = lo + L0_SPAN;
      // Regions in order, later ones overwriting: whole 64 KB descriptors where a region covers them
      for (const r of opts.regions) {
        const start = r.base > lo ? r.base : lo, end = r.base + r.size < hi ? r.base + r.size : hi;
        for (let g = start & ~(GRANULE - 1n); g < end; ) {
          const e = Number((g - lo) / L1_ENTRY_SPAN);
          if ((g & (L1_ENTRY_SPAN - 1n)) === 0n && g + L1_ENTRY_SPAN <= end) {
            v[e] = uniform(r.gpi);
            g += L1_ENTRY_SPAN;
          } else {
            const shift = ((g / GRANULE) & 15n) * 4n;
            v[e] = (v[e] & ~(0xfn << shift)) | (BigInt(r.gpi) << shift);
            g += GRANULE;
          }
        }
      }
      this.mustWrite(table, new Uint8Array(v.buffer));
    }
    // GPTBR_EL3.BADDR = L0 base [51:12]; GPCCR_EL3: PPS, PGS 4 KB, SH Inner Shareable, IRGN/ORGN
    // Write-Back Read/Write-Allocate, GPC enabled (Arm ARM D24.2.56, D24.2.57)
    cpu.setSysreg('GPTBR_EL3', l0Base >> 12n);
    cpu.setSysreg('GPCCR_EL3', pps[1] | (0n << 14n) | (3n << 12n) | (1n << 10n) | (1n << 8n) | (1n << 16n));
    mem.invalidatePa(0n, (1n << 64n) - 1n);
  }

  private mustWrite(pa: bigint, data: Uint8Array): void {
    const fault = this.root.write(pa, data);
    if (fault) throw new Error(`cannot write the GPT at 0x${pa.toString(16)}: ${fault}`);
  }

  /** The level-1 descriptor address and nibble shift of a granule, if its 1 GB region has a table. */
  private locate(pa: bigint): { at: bigint; shift: bigint } | undefined {
    const table = this.l1.get(pa >> L0_SHIFT);
    if (table === undefined) return undefined;
    const offset = pa & (L0_SPAN - 1n);
    return { at: table + (offset / L1_ENTRY_SPAN) * 8n, shift: ((offset / GRANULE) & 15n) * 4n };
  }

  /** The GPI of the granule at `pa` as the table holds it. */
  gpi(pa: bigint): Gpi | undefined {
    const loc = this.locate(pa);
    if (!loc) return undefined;
    const d = this.root.read64(loc.at);
    return typeof d === 'bigint' ? Number((d >> loc.shift) & 0xfn) as Gpi : undefined;
  }

  private setGpi(loc: { at: bigint; shift: bigint }, pa: bigint, gpi: Gpi): GptError | undefined {
    const d = this.root.read64(loc.at);
    if (typeof d !== 'bigint') return 'memory';
    if (this.root.write64(loc.at, (d & ~(0xfn << loc.shift)) | (BigInt(gpi) << loc.shift))) return 'memory';
    // TLBI RPALOS for the granule after the descriptor write (Arm ARM D9.5)
    this.mem.invalidatePa(pa, pa + GRANULE - 1n);
    return undefined;
  }

  /**
   * Moves one granule from GPI `from` to `to` (the RMM-EL3 interface's delegate and undelegate).
   * Leaving the Realm PAS passes through NoAccess first, as TF-A's sequence does, so no PE can reach
   * the granule from either side between the two writes.
   */
  transition(pa: bigint, from: Gpi, to: Gpi): GptError | undefined {
    if ((pa & (GRANULE - 1n)) !== 0n) return 'not-granule';
    const loc = this.locate(pa);
    if (!loc) return 'no-l1';
    if (this.gpi(pa) !== from) return 'wrong-gpi';
    if (from === Gpi.Realm) {
      const err = this.setGpi(loc, pa, Gpi.NoAccess);
      if (err) return err;
    }
    return this.setGpi(loc, pa, to);
  }
}
