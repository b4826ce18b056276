// Realm Translation Tables (RMM A5.5): real VMSAv8-64 stage-2 tables (4 KB granule) in RTT granules, so
// the core's stage-2 walker translates through them. Valid descriptors are architectural (Arm ARM D8.3);
// the states a walker must fault on are invalid descriptors whose spare bits carry the RMM's record of
// the entry (HIPAS, RIPAS and, for an ASSIGNED granule the realm cannot reach, its address).
import { Pas, type PhysicalAccess } from '../phys.js';
import type { Realm } from './realm.js';

export const enum RttState {
  Unassigned = 'UNASSIGNED',
  Assigned = 'ASSIGNED',
  UnassignedNs = 'UNASSIGNED_NS',
  AssignedNs = 'ASSIGNED_NS',
  Table = 'TABLE',
}

/** RmiRipas (RMM B4.4.23). */
export const enum Ripas {
  Empty = 0,
  Ram = 1,
  Destroyed = 2,
}

export interface RttEntry {
  state: RttState;
  ripas: Ripas;
  /** Output address: the DATA granule, the host's NS address, or the next-level RTT. */
  addr: bigint;
  /** For ASSIGNED_NS: the host's MemAttr[2:0] (bits 4:2) and S2AP (bits 7:6) in place. */
  attrs: bigint;
}

export const RTT_ENTRIES = 512;
export const RTT_PAGE_LEVEL = 3;
const OA_MASK = 0x0000_ffff_ffff_f000n; // OA[47:12]
export const HOST_ATTR_MASK = 0xdcn; // MemAttr[2:0] bits 4:2, S2AP bits 7:6

// Architectural stage-2 fields (Arm ARM D8.3 Table D8-53)
const VALID = 1n;
const TYPE_TABLE_OR_PAGE = 2n;
const MEMATTR_NORMAL_WB = 0b110n << 2n; // FEAT_S2FWB: Normal Write-Back
const S2AP_RW = 0b11n << 6n;
const SH_INNER = 0b11n << 8n;
const AF = 1n << 10n;
const XN = 1n << 54n;
const NS = 1n << 55n; // Realm EL1&0 stage 2: the output address is in the Non-secure PA space
// Software encoding of invalid descriptors: HIPAS in [4:2], RIPAS in [6:5]
const SW_HIPAS_ASSIGNED = 1n << 2n;
const SW_HIPAS_UNASSIGNED_NS = 2n << 2n;

/** Size of the IPA range one entry at `level` maps (RMM A5.5.1). */
export function entrySize(level: number): bigint {
  return 1n << entryShift(level);
}
export function entryShift(level: number): bigint {
  return BigInt(12 + 9 * (3 - level));
}

export function isLevelAligned(addr: bigint, level: number): boolean {
  return (addr & (entrySize(level) - 1n)) === 0n;
}

export function alignDown(addr: bigint, level: number): bigint {
  return addr & ~(entrySize(level) - 1n);
}

export function encode(e: RttEntry, level: number): bigint {
  const type = level === RTT_PAGE_LEVEL ? TYPE_TABLE_OR_PAGE : 0n;
  switch (e.state) {
    case RttState.Table:
      return e.addr | TYPE_TABLE_OR_PAGE | VALID;
    case RttState.AssignedNs:
      return e.addr | e.attrs | SH_INNER | AF | XN | NS | type | VALID;
    case RttState.Assigned:
      // Only RIPAS RAM makes an assigned granule reachable (RMM A5.3.1)
      if (e.ripas === Ripas.Ram) return e.addr | MEMATTR_NORMAL_WB | S2AP_RW | SH_INNER | AF | type | VALID;
      return e.addr | (BigInt(e.ripas) << 5n) | SW_HIPAS_ASSIGNED;
    case RttState.UnassignedNs:
      return SW_HIPAS_UNASSIGNED_NS;
    case RttState.Unassigned:
      return BigInt(e.ripas) << 5n;
  }
}

export function decode(d: bigint, level: number): RttEntry {
  const addr = d & OA_MASK;
  if ((d & VALID) !== 0n) {
    if (level < RTT_PAGE_LEVEL && (d & TYPE_TABLE_OR_PAGE) !== 0n) return { state: RttState.Table, ripas: Ripas.Empty, addr, attrs: 0n };
    if ((d & NS) !== 0n) return { state: RttState.AssignedNs, ripas: Ripas.Empty, addr, attrs: d & HOST_ATTR_MASK };
    return { state: RttState.Assigned, ripas: Ripas.Ram, addr, attrs: 0n };
  }
  const ripas = Number((d >> 5n) & 3n) as Ripas;
  switch ((d >> 2n) & 7n) {
    case 1n: return { state: RttState.Assigned, ripas, addr, attrs: 0n };
    case 2n: return { state: RttState.UnassignedNs, ripas: Ripas.Empty, addr: 0n, attrs: 0n };
    default: return { state: RttState.Unassigned, ripas, addr: 0n, attrs: 0n };
  }
}

function unassignedEmpty(): RttEntry {
  return { state: RttState.Unassigned, ripas: Ripas.Empty, addr: 0n, attrs: 0n };
}

export function isLive(e: RttEntry): boolean {
  return e.state === RttState.Assigned || e.state === RttState.AssignedNs || e.state === RttState.Table;
}

export interface RttWalk {
  level: number;
  /** The RTT holding the entry (the first starting-level RTT at the starting level). */
  rttAddr: bigint;
  /** The IPA the RTT's first entry maps, and how many entries it has (concatenated starting RTTs). */
  rttIpaBase: bigint;
  entries: number;
  entryAddr: bigint;
  entry: RttEntry;
}

/** Reads and writes RTT entries through the RMM's Realm-PAS view of memory. */
export class Rtts {
  constructor(private readonly mem: PhysicalAccess) {}

  read(entryAddr: bigint, level: number): RttEntry {
    const d = this.mem.read64(entryAddr, Pas.Realm);
    if (typeof d !== 'bigint') throw new Error(`RTT entry 0x${entryAddr.toString(16)} unreadable: ${d}`);
    return decode(d, level);
  }

  write(entryAddr: bigint, level: number, e: RttEntry): void {
    const fault = this.mem.write64(entryAddr, encode(e, level), Pas.Realm);
    if (fault) throw new Error(`RTT entry 0x${entryAddr.toString(16)} unwritable: ${fault}`);
  }

  /** All entries of one RTT (512, or the concatenated starting RTTs' count). */
  readAll(rttAddr: bigint, level: number, entries = RTT_ENTRIES): RttEntry[] {
    const r = this.mem.read(rttAddr, entries * 8, Pas.Realm);
    if (!r.ok) throw new Error(`RTT 0x${rttAddr.toString(16)} unreadable: ${r.fault}`);
    const v = new DataView(r.data.buffer, r.data.byteOffset);
    const out: RttEntry[] = new Array(entries);
    for (let i = 0; i < entries; i++) {
      // Most entries of a fresh RTT are UNASSIGNED/EMPTY (0): skip the BigInt work for them
      out[i] = v.getUint32(i * 8, true) === 0 && v.getUint32(i * 8 + 4, true) === 0 ? unassignedEmpty() : decode(v.getBigUint64(i * 8, true), level);
    }
    return out;
  }

  writeAll(rttAddr: bigint, level: number, es: RttEntry[]): void {
    const bytes = new Uint8Array(es.length * 8);
    const v = new DataView(bytes.buffer);
    es.forEach((e, i) => v.setBigUint64(i * 8, encode(e, level), true));
    const fault = this.mem.write(rttAddr, bytes, Pas.Realm);
    if (fault) throw new Error(`RTT 0x${rttAddr.toString(16)} unwritable: ${fault}`);
  }

  /** RttWalk (RMM A5.5.10, B3.78): from the starting level toward `target`, stopping at a non-TABLE entry. */
  walk(realm: Realm, ipa: bigint, target: number): RttWalk {
    let level = realm.rttLevelStart;
    let rttAddr = realm.rttBase;
    let entries = Number(1n << (BigInt(realm.ipaWidth) - entryShift(level)));
    let rttIpaBase = 0n;
    for (;;) {
      const index = (ipa >> entryShift(level)) & BigInt(entries - 1);
      const entryAddr = rttAddr + index * 8n;
      const entry = this.read(entryAddr, level);
      if (level >= target || entry.state !== RttState.Table) return { level, rttAddr, rttIpaBase, entries, entryAddr, entry };
      rttAddr = entry.addr;
      level++;
      entries = RTT_ENTRIES;
      rttIpaBase = alignDown(ipa, level - 1);
    }
  }

  /** Entry `i` onward of one RTT, decoded one at a time so a search can stop at the first match. */
  private *entriesFrom(rttAddr: bigint, level: number, entries: number, first: number): Generator<[number, RttEntry]> {
    const r = this.mem.read(rttAddr + BigInt(first) * 8n, (entries - first) * 8, Pas.Realm);
    if (!r.ok) throw new Error(`RTT 0x${rttAddr.toString(16)} unreadable: ${r.fault}`);
    const v = new DataView(r.data.buffer, r.data.byteOffset);
    for (let i = first; i < entries; i++) {
      const at = (i - first) * 8;
      const lo = v.getUint32(at, true), hi = v.getUint32(at + 4, true);
      yield [i, lo === 0 && hi === 0 ? unassignedEmpty() : decode(v.getBigUint64(at, true), level)];
    }
  }

  /** RttSkipNonLiveEntries (RMM B3.76): the IPA of the first live entry from `ipa` to the end of the walk's RTT. */
  skipNonLive(w: RttWalk, ipa: bigint): bigint {
    const size = entrySize(w.level);
    for (const [i, e] of this.entriesFrom(w.rttAddr, w.level, w.entries, Number((alignDown(ipa, w.level) - w.rttIpaBase) / size))) {
      if (isLive(e)) return w.rttIpaBase + BigInt(i) * size;
    }
    return w.rttIpaBase + BigInt(w.entries) * size;
  }

  /** RttSkipEntriesWithRipas (RMM B3.75): first TABLE (or DESTROYED) entry at or after `base`, clipped to `top`. */
  skipEntriesWithRipas(w: RttWalk, base: bigint, top: bigint, stopAtDestroyed: boolean): bigint {
    const size = entrySize(w.level);
    let result = w.rttIpaBase + BigInt(w.entries) * size;
    for (const [i, e] of this.entriesFrom(w.rttAddr, w.level, w.entries, Number((alignDown(base, w.level) - w.rttIpaBase) / size))) {
      // Nothing at or past `top` can change the result
      if (w.rttIpaBase + BigInt(i) * size >= top) break;
      if (e.state === RttState.Table || (stopAtDestroyed && e.ripas === Ripas.Destroyed && e.state !== RttState.AssignedNs)) {
        result = w.rttIpaBase + BigInt(i) * size;
        break;
      }
    }
    return alignDown(result < top ? result : top, w.level);
  }
}

/** The entries of a new RTT at `level` that unfold `parent` (RMM A5.5.7). */
export function unfold(parent: RttEntry, level: number): RttEntry[] {
  const size = entrySize(level);
  const assigned = parent.state === RttState.Assigned || parent.state === RttState.AssignedNs;
  return Array.from({ length: RTT_ENTRIES }, (_, i) => ({ ...parent, addr: assigned ? parent.addr + BigInt(i) * size : 0n }));
}

/** RttFold (RMM A5.5.6): the parent entry a homogeneous RTT at `level` folds into, or undefined. */
export function fold(es: RttEntry[], level: number): RttEntry | undefined {
  const first = es[0];
  const size = entrySize(level);
  const same = (e: RttEntry) => e.state === first.state && e.ripas === first.ripas;
  switch (first.state) {
    case RttState.Unassigned:
    case RttState.UnassignedNs:
      return es.every(same) ? { ...first, addr: 0n } : undefined;
    case RttState.Assigned:
    case RttState.AssignedNs: {
      // A block only from level 2 or 3 RTTs, its address aligned to the parent entry's size
      if (level < 2 || !isLevelAligned(first.addr, level - 1)) return undefined;
      const contiguous = es.every((e, i) => same(e) && e.attrs === first.attrs && e.addr === first.addr + BigInt(i) * size);
      return contiguous ? { ...first } : undefined;
    }
    default:
      return undefined;
  }
}
