// The RIM computed offline (RMM A7.1.1): an SmcConduit that answers the realm builder's RMI calls without
// an RMM, following each command's effect on the RTT structure (B4.3.15, B4.3.18) and extending the RIM
// from the calls' arguments and the Non-secure pages they name, by the measurement descriptors of C1.11-C1.13.
// Written apart from firmware/rmm/measurement.ts (and on node:crypto rather than @noble/hashes), so that the
// RIM has two independent implementations and the realm layout has one owner: the hypervisor's builder.
import { createHash } from 'node:crypto';
import type { SmcConduit } from '../../firmware/hypervisor/driver.js';
import { RMI, rmiName } from '../../firmware/hypervisor/rmi.js';
import type { PhysicalMemory } from '../../firmware/phys.js';

const GRANULE = 0x1000n;
const RMI_SUCCESS = 0n;
const RMI_ERROR_RTT = 4n;
const RIM_BYTES = 64; // RmmRealmMeasurement: 512 bits, zero-filled above the digest (A7.1.1)
const DESCRIPTOR_BYTES = 0x100; // C1.11-C1.13
const DESC_DATA = 0, DESC_REC = 1, DESC_RIPAS = 2;

/** The board's RMI answers the builder needs before it creates anything (RMI_VERSION, RMI_FEATURES). */
export interface RmmDescription {
  /** RmiInterfaceVersion the RMM implements (B4.4.11). */
  version: bigint;
  /** RmiFeatureRegister0 (B4.4.6). */
  features0: bigint;
  /** RMI_REC_AUX_COUNT's answer (B4.3.11); not measured. */
  recAuxCount: bigint;
}

/** Why the offline measurer cannot follow the builder: a call it does not model, or one a real RMM would refuse. */
export class OfflineRimError extends Error {
  override name = 'OfflineRimError';
}

type Hash = 'sha256' | 'sha512';

interface OfflineRealm {
  hash: Hash;
  ipaBits: number;
  levelStart: number;
  rim: Uint8Array;
  /** RTTs below the starting level, by `level:ipa of the first entry`. */
  rtts: Set<string>;
  /** IPAs of DATA granules (level 3 only: the builder maps no blocks). */
  data: Set<bigint>;
  active: boolean;
}

const shift = (level: number) => BigInt(12 + 9 * (3 - level));
const alignDown = (ipa: bigint, level: number) => (ipa >> shift(level)) << shift(level);
const rttKey = (level: number, ipa: bigint) => `${level}:${alignDown(ipa, level - 1).toString(16)}`;

/** Hash with the realm's algorithm, zero-filled to the 64 bytes of a measurement. */
function rha(hash: Hash, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(RIM_BYTES);
  out.set(createHash(hash).update(data).digest());
  return out;
}

/** A measurement descriptor's common header: desc_type at 0x0, len at 0x8, the current RIM at 0x10. */
function descriptor(type: number, rim: Uint8Array): { bytes: Uint8Array; set64: (off: number, v: bigint) => void } {
  const bytes = new Uint8Array(DESCRIPTOR_BYTES);
  const v = new DataView(bytes.buffer);
  bytes[0] = type;
  v.setBigUint64(0x8, BigInt(DESCRIPTOR_BYTES), true);
  bytes.set(rim, 0x10);
  return { bytes, set64: (off, x) => v.setBigUint64(off, x, true) };
}

export class OfflineRim implements SmcConduit {
  readonly realms = new Map<bigint, OfflineRealm>();

  constructor(private readonly ns: PhysicalMemory, private readonly rmm: RmmDescription) {}

  /** The RIM of the realm whose RD is `rd`, as many bytes as its hash algorithm gives (as the token's claim). */
  rim(rd: bigint): Uint8Array {
    const realm = this.realms.get(rd);
    if (!realm) throw new OfflineRimError(`no realm at RD 0x${rd.toString(16)}`);
    return realm.rim.slice(0, realm.hash === 'sha256' ? 32 : 64);
  }

  call(fid: number, ...args: bigint[]): { x: bigint[] } {
    const out = (x0: bigint, ...rest: bigint[]) => ({ x: [x0, ...rest, ...new Array<bigint>(16 - rest.length).fill(0n)] });
    switch (fid) {
      case RMI.VERSION:
        return out(RMI_SUCCESS, this.rmm.version, this.rmm.version);
      case RMI.FEATURES:
        return out(RMI_SUCCESS, args[0] === 0n ? this.rmm.features0 : 0n);
      case RMI.GRANULE_DELEGATE:
      case RMI.GRANULE_UNDELEGATE:
        return out(RMI_SUCCESS);
      case RMI.REALM_CREATE:
        this.realmCreate(args[0], this.page(args[1]));
        return out(RMI_SUCCESS);
      case RMI.RTT_CREATE:
        this.rttCreate(this.realm(args[0], fid), args[2], Number(args[3]));
        return out(RMI_SUCCESS);
      case RMI.RTT_INIT_RIPAS: {
        const r = this.initRipas(this.realm(args[0], fid), args[1], args[2]);
        return 'top' in r ? out(RMI_SUCCESS, r.top) : out(RMI_ERROR_RTT | (BigInt(r.level) << 8n));
      }
      case RMI.DATA_CREATE:
        this.dataCreate(this.realm(args[0], fid), args[2], this.page(args[3]), args[4]);
        return out(RMI_SUCCESS);
      case RMI.DATA_CREATE_UNKNOWN:
        // Unmeasured (B4.3.2 extends no RIM), but the granule is mapped all the same
        this.dataCreate(this.realm(args[0], fid), args[2], undefined, 0n);
        return out(RMI_SUCCESS);
      case RMI.REC_AUX_COUNT:
        this.realm(args[0], fid);
        return out(RMI_SUCCESS, this.rmm.recAuxCount);
      case RMI.REC_CREATE:
        this.recCreate(this.realm(args[0], fid), this.page(args[2]));
        return out(RMI_SUCCESS);
      case RMI.REALM_ACTIVATE:
        this.realm(args[0], fid).active = true;
        return out(RMI_SUCCESS);
      default:
        throw new OfflineRimError(`${rmiName(fid)} is not part of building a realm`);
    }
  }

  private page(pa: bigint): Uint8Array {
    const bytes = this.ns.readRam(pa, Number(GRANULE));
    if (!bytes) throw new OfflineRimError(`the host's page at 0x${pa.toString(16)} is not memory`);
    return bytes;
  }

  private realm(rd: bigint, fid: number): OfflineRealm {
    const realm = this.realms.get(rd);
    if (!realm) throw new OfflineRimError(`${rmiName(fid)} names RD 0x${rd.toString(16)}, which is no realm`);
    if (realm.active && fid !== RMI.REC_AUX_COUNT) throw new OfflineRimError(`${rmiName(fid)} after RMI_REALM_ACTIVATE: the RIM is final`);
    return realm;
  }

  /** B4.3.9.4: the RIM starts as the hash of a zeroed RmiRealmParams holding only the measured attributes. */
  private realmCreate(rd: bigint, params: Uint8Array): void {
    const v = new DataView(params.buffer, params.byteOffset);
    const hashAlgo = v.getBigUint64(0x30, true);
    if (hashAlgo > 1n) throw new OfflineRimError(`RmiRealmParams.hash_algo ${hashAlgo} is reserved`);
    const hash: Hash = hashAlgo === 0n ? 'sha256' : 'sha512';
    const measured = new Uint8Array(Number(GRANULE));
    const mv = new DataView(measured.buffer);
    // flags 0x0, s2sz 0x8, sve_vl 0x10, num_bps 0x18, num_wps 0x20, pmu_num_ctrs 0x28, hash_algo 0x30 (B4.4.12)
    for (const off of [0x0, 0x8, 0x10, 0x18, 0x20, 0x28, 0x30]) mv.setBigUint64(off, v.getBigUint64(off, true), true);
    this.realms.set(rd, {
      hash, ipaBits: Number(v.getBigUint64(0x8, true)), levelStart: Number(v.getBigInt64(0x810, true)),
      rim: rha(hash, measured), rtts: new Set(), data: new Set(), active: false,
    });
  }

  /** The deepest level an RTT walk toward `ipa` reaches (RttWalk, A5.5.10), at most `target`. */
  private walkLevel(realm: OfflineRealm, ipa: bigint, target = 3): number {
    let level = realm.levelStart;
    while (level < target && realm.rtts.has(rttKey(level + 1, ipa))) level++;
    return level;
  }

  /** B4.3.15: a new RTT at `level` under an existing parent. */
  private rttCreate(realm: OfflineRealm, ipa: bigint, level: number): void {
    if (level <= realm.levelStart || level > 3 || alignDown(ipa, level - 1) !== ipa) throw new OfflineRimError(`RMI_RTT_CREATE at 0x${ipa.toString(16)} level ${level} is invalid`);
    if (this.walkLevel(realm, ipa, level - 1) !== level - 1 || realm.rtts.has(rttKey(level, ipa))) {
      throw new OfflineRimError(`RMI_RTT_CREATE at 0x${ipa.toString(16)} level ${level}: no parent RTT, or the RTT exists`);
    }
    realm.rtts.add(rttKey(level, ipa));
  }

  /**
   * B4.3.18: the entries of one RTT from `base` up to the first TABLE entry, the RTT's end or `top`, whole
   * entries only; one RIPAS descriptor per entry (B4.3.18.4). An entry [base, top) covers only in part, or
   * a base not aligned to the walk's level, is RMI_ERROR_RTT at that level, as the builder expects.
   */
  private initRipas(realm: OfflineRealm, base: bigint, top: bigint): { top: bigint } | { level: number } {
    if (top <= base || top > 1n << BigInt(realm.ipaBits - 1) || top % GRANULE !== 0n) {
      throw new OfflineRimError(`RMI_RTT_INIT_RIPAS over [0x${base.toString(16)}, 0x${top.toString(16)}) is invalid`);
    }
    const level = this.walkLevel(realm, base);
    const size = 1n << shift(level);
    if (base % size !== 0n) return { level }; // base_align
    if (level === 3 && realm.data.has(base)) return { level }; // rtte_state: ASSIGNED
    // The walk's RTT: the whole IPA space for the starting level, else 512 entries of the parent's entry
    const rttEnd = level === realm.levelStart ? 1n << BigInt(realm.ipaBits) : alignDown(base, level - 1) + 512n * size;
    let end = base;
    while (end < rttEnd && end + size <= top && !(level < 3 && realm.rtts.has(rttKey(level + 1, end)))) end += size;
    if (end === base) return { level }; // no_progress
    for (let ipa = base; ipa < end; ipa += size) {
      const d = descriptor(DESC_RIPAS, realm.rim);
      d.set64(0x50, ipa);
      d.set64(0x58, ipa + size < top ? ipa + size : top);
      realm.rim = rha(realm.hash, d.bytes);
    }
    return { top: end };
  }

  /** B4.3.1.4: ipa and flags, and the content's hash when flags.measure (bit 0) is set. */
  private dataCreate(realm: OfflineRealm, ipa: bigint, src: Uint8Array | undefined, flags: bigint): void {
    if (this.walkLevel(realm, ipa) !== 3 || realm.data.has(ipa)) throw new OfflineRimError(`DATA_CREATE at 0x${ipa.toString(16)}: no level-3 RTT, or already mapped`);
    realm.data.add(ipa);
    if (!src) return;
    const d = descriptor(DESC_DATA, realm.rim);
    d.set64(0x50, ipa);
    d.set64(0x58, flags);
    if (flags & 1n) d.bytes.set(rha(realm.hash, src), 0x60);
    realm.rim = rha(realm.hash, d.bytes);
  }

  /** B4.3.12.4: for a runnable REC, the hash of a zeroed RmiRecParams holding flags, pc and gprs. */
  private recCreate(realm: OfflineRealm, params: Uint8Array): void {
    if ((params[0] & 1) === 0) return; // RmiRecCreateFlags.runnable
    const measured = new Uint8Array(Number(GRANULE));
    measured.set(params.subarray(0x0, 0x8), 0x0); // flags
    measured.set(params.subarray(0x200, 0x208), 0x200); // pc
    measured.set(params.subarray(0x300, 0x340), 0x300); // gprs[0..7]
    const d = descriptor(DESC_REC, realm.rim);
    d.bytes.set(rha(realm.hash, measured), 0x50);
    realm.rim = rha(realm.hash, d.bytes);
  }
}

/** Non-secure memory for the builder's parameter and source pages: sparse, every access allowed. */
export class HostPages implements PhysicalMemory {
  private readonly pages = new Map<bigint, Uint8Array>();

  private granule(g: bigint): Uint8Array {
    let p = this.pages.get(g);
    if (!p) this.pages.set(g, (p = new Uint8Array(Number(GRANULE))));
    return p;
  }

  readRam(pa: bigint, length: number): Uint8Array | undefined {
    const out = new Uint8Array(length);
    for (let done = 0; done < length;) {
      const a = pa + BigInt(done), off = Number(a % GRANULE), n = Math.min(length - done, Number(GRANULE) - off);
      out.set(this.granule(a - BigInt(off)).subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  writeRam(pa: bigint, data: Uint8Array): boolean {
    for (let done = 0; done < data.length;) {
      const a = pa + BigInt(done), off = Number(a % GRANULE), n = Math.min(data.length - done, Number(GRANULE) - off);
      this.granule(a - BigInt(off)).set(data.subarray(done, done + n), off);
      done += n;
    }
    return true;
  }

  gpcProbe(): number {
    return 0; // no GPT: the host's own pages
  }

  invalidatePa(): void {}
}
