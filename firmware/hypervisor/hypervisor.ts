// The Normal-world hypervisor: the part of KVM plus kvmtool that turns a realm guest into a realm.
//
// Design (the lead's decision): the hypervisor is TypeScript at NS-EL2 and talks to the RMM only through
// SMCs that the EL3 monitor dispatches, as real host software does. Each operation is a host program (a
// generator, rmi.ts) that yields the SMCs it needs and resumes with their results; driver.ts issues them
// from the PE. REC_ENTER can therefore become a world switch later: the PE runs the realm and the program
// resumes when the REC exits. The hypervisor touches memory only as Non-secure software can (GPC-checked).
//
// The realm is built in the order kvmtool and KVM use: REALM_CREATE, RTT_INIT_RIPAS over RAM,
// DATA_CREATE (measured) of the image and the DTB, DATA_CREATE_UNKNOWN for the rest of RAM, the RECs,
// REALM_ACTIVATE. Its RIM therefore depends only on the image and the options, never on host addresses.
import { PhysicalAccess, Pas, type PhysicalMemory } from '../phys.js';
import { GranuleAllocator, GRANULE_SIZE } from './allocator.js';
import { RMI, RmiStatus, RmiError, rmi, rmiOk, type HostProgram } from './rmi.js';
import {
  REALM_RAM_BASE, DEFAULT_IPA_BITS, MAX_IPA_BITS, DEFAULT_RAM_MIB, entryShift, startingRtts, recMpidr,
} from './layout.js';
import { realmFdt } from './realm-dtb.js';
import { granulesOf, type RealmImage } from './realm-image.js';

export type HashName = 'sha256' | 'sha512';

export interface RealmOptions {
  /** Realm RAM in MiB at IPA 0x8000_0000 (default 16). */
  ramMiB?: number;
  /** RECs (vCPUs); REC 0 is runnable, the others wait for PSCI CPU_ON (default 1). */
  recs?: number;
  /** IPA width, s2sz (default 33: the top bit is the Unprotected alias). */
  ipaBits?: number;
  hash?: HashName;
  /** Realm Personalization Value, up to 64 bytes (RMM A7.1.3). */
  rpv?: Uint8Array;
  /** Realm features, all off unless asked; each must be one RMI_FEATURES offers (RMM B4.4.6). */
  lpa2?: boolean;
  /** SVE with this vector length, encoded as ZCR_ELx.LEN: (sveVl + 1) * 128 bits. */
  sveVl?: number;
  /** PMU with this many event counters. */
  pmuCounters?: number;
  /** /chosen/bootargs in the realm's DTB. */
  bootargs?: string;
  /**
   * 'image' (default) leaves the RAM the image does not fill UNASSIGNED with RIPAS RAM, for the host to
   * back on the realm's first access as KVM does; 'all' backs every such granule with
   * DATA_CREATE_UNKNOWN at build time (two SMCs per granule: about 0.25 s per MiB today).
   */
  populate?: 'all' | 'image';
}

/** Options out of range or a layout that cannot work: refused before any RMI call. */
export class RealmConfigError extends Error {
  override name = 'RealmConfigError';
}

/** A realm the hypervisor built, and every granule it gave the RMM for it. */
export interface HostRealm {
  rd: bigint;
  vmid: number;
  ipaBits: number;
  hash: HashName;
  ramBase: bigint;
  ramSize: bigint;
  rttLevelStart: number;
  /** The concatenated starting RTTs: rttNumStart granules from here. */
  rttBase: bigint;
  rttNumStart: number;
  /** RTTs below the starting level, by `level:ipa`. */
  rtts: Map<string, { ipa: bigint; level: number; granule: bigint }>;
  /** DATA granules by IPA. */
  data: Map<bigint, bigint>;
  recs: { granule: bigint; mpidr: bigint; aux: bigint[] }[];
  entry: bigint;
  dtbIpa: bigint;
  /** IPAs DATA_CREATE measured, in order (the image's granules, then the DTB's). */
  measuredIpas: bigint[];
  /** Non-secure granules the realm shares, by the Unprotected IPA they are mapped at (RTT_MAP_UNPROTECTED). */
  shared: Map<bigint, bigint>;
  state: 'new' | 'active' | 'destroyed';
}

/** What the build will do, fixed before the first RMI call. */
export interface RealmPlan {
  ipaBits: number;
  ramSize: bigint;
  recs: number;
  hash: HashName;
  rpv: Uint8Array;
  populate: 'all' | 'image';
  lpa2: boolean;
  sveVl?: number;
  pmuCounters?: number;
  /** Granules DATA_CREATE loads, by IPA in ascending order: the image's, then the DTB's. */
  pages: [bigint, Uint8Array][];
  entry: bigint;
  dtbIpa: bigint;
}

// RmiFeatureRegister0 fields (RMM B4.4.6)
const FEAT_S2SZ = (r: bigint) => Number(r & 0xffn);
const FEAT_LPA2 = 1n << 8n;
const FEAT_SVE_EN = 1n << 9n;
const FEAT_SVE_VL = (r: bigint) => Number((r >> 10n) & 0xfn);
const FEAT_NUM_BPS = (r: bigint) => (r >> 14n) & 0x3fn;
const FEAT_NUM_WPS = (r: bigint) => (r >> 20n) & 0x3fn;
const FEAT_PMU_EN = 1n << 26n;
const FEAT_PMU_NUM_CTRS = (r: bigint) => Number((r >> 27n) & 0x1fn);
const FEAT_HASH_SHA_256 = 1n << 32n;
const FEAT_HASH_SHA_512 = 1n << 33n;
const FEAT_MAX_RECS_ORDER = (r: bigint) => Number((r >> 38n) & 0xfn);
/** RmiInterfaceVersion 1.0 (RMM B4.4.11). */
const RMI_ABI_1_0 = 0x1_0000n;
const RMI_MEASURE_CONTENT = 1n; // RmiDataFlags.measure (RMM B4.4.2)
const RMI_RUNNABLE = 1n; // RmiRecParams.flags.runnable (RMM B4.4.15)
const RTT_PAGE_LEVEL = 3;
/** The DTB goes at the top of RAM, 2 MiB aligned as kvmtool places it (a DTB must not cross 2 MiB). */
const DTB_ALIGN = 0x20_0000n;
const MAX_RPV_BYTES = 64;

const hex = (v: bigint) => `0x${v.toString(16)}`;

function le64(page: Uint8Array, offset: number, v: bigint): void {
  new DataView(page.buffer, page.byteOffset).setBigUint64(offset, BigInt.asUintN(64, v), true);
}

export class Hypervisor {
  readonly realms: HostRealm[] = [];
  private readonly ns: PhysicalAccess;
  private readonly vmids = new Set<number>();

  /** `pool` is the Non-secure memory the hypervisor may delegate and use for parameter pages. */
  constructor(mem: PhysicalMemory, readonly pool: GranuleAllocator) {
    this.ns = new PhysicalAccess(mem, Pas.NonSecure);
  }

  /** Validates the options and lays the realm out; throws RealmConfigError. No RMI call. */
  plan(image: RealmImage, o: RealmOptions = {}): RealmPlan {
    const ipaBits = o.ipaBits ?? DEFAULT_IPA_BITS;
    const ramMiB = o.ramMiB ?? DEFAULT_RAM_MIB;
    const recs = o.recs ?? 1;
    const hash = o.hash ?? 'sha256';
    if (!Number.isInteger(ipaBits) || ipaBits < DEFAULT_IPA_BITS || ipaBits > MAX_IPA_BITS) {
      // RAM at 2 GiB must lie below the Unprotected alias bit
      throw new RealmConfigError(`IPA width must be ${DEFAULT_IPA_BITS} to ${MAX_IPA_BITS} bits, not ${ipaBits}`);
    }
    const protectedTop = 1n << BigInt(ipaBits - 1);
    const maxRamMiB = Number((protectedTop - REALM_RAM_BASE) >> 20n);
    if (!Number.isInteger(ramMiB) || ramMiB < 1 || ramMiB > maxRamMiB) {
      throw new RealmConfigError(`realm RAM must be 1 to ${maxRamMiB} MiB with a ${ipaBits}-bit IPA, not ${ramMiB}`);
    }
    if (!Number.isInteger(recs) || recs < 1) throw new RealmConfigError(`a realm needs at least one REC, not ${recs}`);
    if (hash !== 'sha256' && hash !== 'sha512') throw new RealmConfigError(`hash algorithm must be sha256 or sha512, not ${String(hash)}`);
    const rpv = o.rpv ?? new Uint8Array(0);
    if (rpv.length > MAX_RPV_BYTES) throw new RealmConfigError(`the RPV is ${rpv.length} bytes; at most ${MAX_RPV_BYTES}`);
    const populate = o.populate ?? 'image';
    if (o.sveVl !== undefined && (!Number.isInteger(o.sveVl) || o.sveVl < 0 || o.sveVl > 15)) {
      throw new RealmConfigError(`the SVE vector length must be 0 to 15 ((VL + 1) x 128 bits), not ${o.sveVl}`);
    }
    if (o.pmuCounters !== undefined && (!Number.isInteger(o.pmuCounters) || o.pmuCounters < 0 || o.pmuCounters > 31)) {
      throw new RealmConfigError(`PMU counters must be 0 to 31, not ${o.pmuCounters}`);
    }

    const ramSize = BigInt(ramMiB) << 20n;
    const ramTop = REALM_RAM_BASE + ramSize;
    for (const ipa of image.pages.keys()) {
      if (ipa < REALM_RAM_BASE || ipa + GRANULE_SIZE > ramTop) {
        throw new RealmConfigError(`the image's granule at IPA ${hex(ipa)} is outside realm RAM [${hex(REALM_RAM_BASE)}, ${hex(ramTop)})`);
      }
    }
    const mpidrs = Array.from({ length: recs }, (_, i) => recMpidr(i));
    const fdt = (initrd?: { start: bigint; end: bigint }) => realmFdt({ ramBase: REALM_RAM_BASE, ramSize, mpidrs, bootargs: o.bootargs, initrd });
    // The DTB's size does not depend on where the initrd goes: its /chosen cells are fixed width
    const sized = fdt(image.initrd ? { start: 0n, end: 0n } : undefined);
    const dtbSpan = (BigInt(sized.length) + GRANULE_SIZE - 1n) & ~(GRANULE_SIZE - 1n);
    const occupied = (at: bigint, span: bigint) =>
      [...image.pages.keys()].some((ipa) => ipa >= at && ipa < at + span) ||
      (image.reserved !== undefined && at < image.reserved.end && at + span > image.reserved.start);
    // Where kvmtool puts it, the top 2 MiB-aligned part of RAM; else the top granules, if the image leaves them
    const dtbIpa = [(ramTop - dtbSpan) & ~(DTB_ALIGN - 1n), ramTop - dtbSpan].find((at) => at >= REALM_RAM_BASE && !occupied(at, dtbSpan));
    if (dtbIpa === undefined) {
      throw new RealmConfigError(`the realm's DTB (${sized.length} bytes) does not fit in ${ramMiB} MiB of RAM beside the image; give the realm more RAM`);
    }
    // The initrd right below the DTB (measured like the image), its range in /chosen
    let initrd: { start: bigint; end: bigint } | undefined;
    if (image.initrd) {
      const span = (BigInt(image.initrd.length) + GRANULE_SIZE - 1n) & ~(GRANULE_SIZE - 1n);
      const at = dtbIpa - span;
      if (image.initrd.length === 0 || at < REALM_RAM_BASE || occupied(at, span)) {
        throw new RealmConfigError(`the initrd (${image.initrd.length} bytes) does not fit in ${ramMiB} MiB of RAM beside the image and the DTB; give the realm more RAM`);
      }
      initrd = { start: at, end: at + BigInt(image.initrd.length) };
    }
    const dtb = fdt(initrd);
    const dtbPages = granulesOf(dtbIpa, dtb);
    const initrdPages = image.initrd && initrd ? granulesOf(initrd.start, image.initrd) : [];
    const imagePages = [...image.pages.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { ipaBits, ramSize, recs, hash, rpv, populate, lpa2: o.lpa2 ?? false, sveVl: o.sveVl, pmuCounters: o.pmuCounters, pages: [...imagePages, ...initrdPages, ...dtbPages], entry: image.entry, dtbIpa };
  }

  /** Builds and activates a realm; on any failure it tears down what it built and rethrows. */
  *createRealm(image: RealmImage, options: RealmOptions = {}): HostProgram<HostRealm> {
    const p = this.plan(image, options);
    const features = yield* this.checkRmm(p);
    const start = startingRtts(p.ipaBits);
    const vmid = this.allocVmid();
    const realm: HostRealm = {
      rd: 0n, vmid, ipaBits: p.ipaBits, hash: p.hash, ramBase: REALM_RAM_BASE, ramSize: p.ramSize,
      rttLevelStart: start.level, rttBase: 0n, rttNumStart: start.count, rtts: new Map(), data: new Map(), recs: [],
      entry: p.entry, dtbIpa: p.dtbIpa, measuredIpas: [], shared: new Map(), state: 'new',
    };
    this.realms.push(realm);
    // The host's own pages for parameters and DATA_CREATE sources, returned when the build ends
    const scratch: bigint[] = [];
    try {
      yield* this.createRd(realm, p, features, scratch);
      yield* this.initRipas(realm, REALM_RAM_BASE, REALM_RAM_BASE + p.ramSize);
      const src = this.pool.alloc();
      scratch.push(src);
      for (const [ipa, content] of p.pages) {
        yield* this.tablesFor(realm, ipa);
        this.writeNs(src, content);
        const data = yield* this.delegate();
        yield* this.rmiOrUndelegate([data], `at IPA ${hex(ipa)}`, RMI.DATA_CREATE, realm.rd, data, ipa, src, RMI_MEASURE_CONTENT);
        realm.data.set(ipa, data);
        realm.measuredIpas.push(ipa);
      }
      if (p.populate === 'all') {
        for (let ipa = REALM_RAM_BASE; ipa < REALM_RAM_BASE + p.ramSize; ipa += GRANULE_SIZE) {
          if (realm.data.has(ipa)) continue;
          yield* this.tablesFor(realm, ipa);
          const data = yield* this.delegate();
          yield* this.rmiOrUndelegate([data], `at IPA ${hex(ipa)}`, RMI.DATA_CREATE_UNKNOWN, realm.rd, data, ipa);
          realm.data.set(ipa, data);
        }
      }
      yield* this.createRecs(realm, p, scratch);
      yield* rmiOk(`of RD ${hex(realm.rd)}`, RMI.REALM_ACTIVATE, realm.rd);
      realm.state = 'active';
      return realm;
    } catch (e) {
      if (realm.rd !== 0n) yield* this.destroyRealm(realm);
      else this.forget(realm);
      throw e;
    } finally {
      for (const g of scratch) this.pool.free(g);
    }
  }

  /** RMI_VERSION and RMI_FEATURES: the RMM must offer what the options ask for (RMM B4.3.23, B4.3.4). */
  private *checkRmm(p: RealmPlan): HostProgram<bigint> {
    const v = yield* rmi(RMI.VERSION, RMI_ABI_1_0);
    if (v.status !== RmiStatus.Success) throw new RealmConfigError(`the RMM does not implement RMI 1.0 (it reports ${hex(v.x[2])})`);
    const f = (yield* rmiOk('(register 0)', RMI.FEATURES, 0n))[1];
    if (p.ipaBits > FEAT_S2SZ(f)) throw new RealmConfigError(`the RMM supports IPA widths up to ${FEAT_S2SZ(f)} bits, not ${p.ipaBits}`);
    if (!(f & (p.hash === 'sha256' ? FEAT_HASH_SHA_256 : FEAT_HASH_SHA_512))) throw new RealmConfigError(`the RMM does not offer ${p.hash}`);
    if (p.lpa2 && !(f & FEAT_LPA2)) throw new RealmConfigError('the RMM does not offer LPA2');
    if (p.sveVl !== undefined && (!(f & FEAT_SVE_EN) || p.sveVl > FEAT_SVE_VL(f))) {
      throw new RealmConfigError(f & FEAT_SVE_EN ? `the RMM offers SVE vector lengths up to ${FEAT_SVE_VL(f)}, not ${p.sveVl}` : 'the RMM does not offer SVE');
    }
    if (p.pmuCounters !== undefined && (!(f & FEAT_PMU_EN) || p.pmuCounters > FEAT_PMU_NUM_CTRS(f))) {
      throw new RealmConfigError(f & FEAT_PMU_EN ? `the RMM offers up to ${FEAT_PMU_NUM_CTRS(f)} PMU counters, not ${p.pmuCounters}` : 'the RMM does not offer a PMU');
    }
    const maxRecs = (1 << FEAT_MAX_RECS_ORDER(f)) - 1;
    if (p.recs > maxRecs) throw new RealmConfigError(`the RMM supports up to ${maxRecs} RECs per realm, not ${p.recs}`);
    return f;
  }

  /** Delegates the RD and the starting RTTs and issues RMI_REALM_CREATE with RmiRealmParams (RMM B4.4.12). */
  private *createRd(realm: HostRealm, p: RealmPlan, features: bigint, scratch: bigint[]): HostProgram<void> {
    const rtts = this.pool.allocContiguous(realm.rttNumStart);
    const starting = Array.from({ length: realm.rttNumStart }, (_, i) => rtts + BigInt(i) * GRANULE_SIZE);
    const delegated: bigint[] = [];
    try {
      for (const g of starting) {
        yield* rmiOk(`of starting RTT ${hex(g)}`, RMI.GRANULE_DELEGATE, g);
        delegated.push(g);
      }
      const rd = yield* this.delegate();
      delegated.push(rd);
      const params = new Uint8Array(Number(GRANULE_SIZE));
      // flags: lpa2 [0], sve [1], pmu [2] (RmiRealmFlags)
      le64(params, 0x000, (p.lpa2 ? 1n : 0n) | (p.sveVl !== undefined ? 2n : 0n) | (p.pmuCounters !== undefined ? 4n : 0n));
      le64(params, 0x008, BigInt(p.ipaBits)); // s2sz
      le64(params, 0x010, BigInt(p.sveVl ?? 0)); // sve_vl
      le64(params, 0x018, FEAT_NUM_BPS(features)); // num_bps: as many as offered, as KVM asks
      le64(params, 0x020, FEAT_NUM_WPS(features)); // num_wps
      le64(params, 0x028, BigInt(p.pmuCounters ?? 0)); // pmu_num_ctrs
      le64(params, 0x030, p.hash === 'sha256' ? 0n : 1n); // hash_algo
      params.set(p.rpv, 0x400);
      le64(params, 0x800, BigInt(realm.vmid));
      le64(params, 0x808, rtts); // rtt_base
      le64(params, 0x810, BigInt(realm.rttLevelStart));
      le64(params, 0x818, BigInt(realm.rttNumStart));
      const page = this.pool.alloc();
      scratch.push(page);
      this.writeNs(page, params);
      yield* rmiOk(`of RD ${hex(rd)}`, RMI.REALM_CREATE, rd, page);
      realm.rd = rd;
      realm.rttBase = rtts;
    } catch (e) {
      for (const g of delegated) yield* this.undelegate(g);
      for (const g of starting) if (!delegated.includes(g)) this.pool.free(g);
      throw e;
    }
  }

  /** RMI_RTT_INIT_RIPAS over [base, top), creating the RTTs a partly covered entry needs (RMM B4.3.18). */
  private *initRipas(realm: HostRealm, base: bigint, top: bigint): HostProgram<void> {
    while (base < top) {
      const r = yield* rmi(RMI.RTT_INIT_RIPAS, realm.rd, base, top);
      if (r.status === RmiStatus.Success) {
        base = r.x[1];
      } else if (r.status === RmiStatus.ErrorRtt && r.index < RTT_PAGE_LEVEL) {
        // The walk ended at an entry [base, top) covers only in part: split it
        yield* this.createRtt(realm, base, r.index + 1);
      } else {
        throw new RmiError('RMI_RTT_INIT_RIPAS', r.status, r.index, `over [${hex(base)}, ${hex(top)})`);
      }
    }
  }

  /** Creates the RTTs down to level 3 that map `ipa`, those the host has not made yet. */
  private *tablesFor(realm: HostRealm, ipa: bigint): HostProgram<void> {
    for (let level = realm.rttLevelStart + 1; level <= RTT_PAGE_LEVEL; level++) {
      const key = rttKey(ipa, level);
      if (!realm.rtts.has(key)) yield* this.createRtt(realm, ipa, level);
    }
  }

  private *createRtt(realm: HostRealm, ipa: bigint, level: number): HostProgram<void> {
    const at = alignTo(ipa, level - 1);
    const rtt = yield* this.delegate();
    yield* this.rmiOrUndelegate([rtt], `at IPA ${hex(at)} level ${level}`, RMI.RTT_CREATE, realm.rd, rtt, at, BigInt(level));
    realm.rtts.set(rttKey(ipa, level), { ipa: at, level, granule: rtt });
  }

  /** RMI_REC_AUX_COUNT, then one REC per vCPU: REC 0 runnable at the entry with x0 = the DTB (RMM B4.4.15). */
  private *createRecs(realm: HostRealm, p: RealmPlan, scratch: bigint[]): HostProgram<void> {
    const auxCount = Number((yield* rmiOk(`of RD ${hex(realm.rd)}`, RMI.REC_AUX_COUNT, realm.rd))[1]);
    const page = this.pool.alloc();
    scratch.push(page);
    for (let i = 0; i < p.recs; i++) {
      // Granules delegated for this REC and not yet its; undelegated if anything fails before REC_CREATE
      const pending: bigint[] = [];
      try {
        for (let k = 0; k < auxCount; k++) pending.push(yield* this.delegate());
        const rec = yield* this.delegate();
        pending.push(rec);
        const aux = pending.slice(0, auxCount);
        const params = new Uint8Array(Number(GRANULE_SIZE));
        const mpidr = recMpidr(i);
        const boot = i === 0;
        le64(params, 0x000, boot ? RMI_RUNNABLE : 0n); // flags
        le64(params, 0x100, mpidr);
        le64(params, 0x200, boot ? p.entry : 0n); // pc
        le64(params, 0x300, boot ? p.dtbIpa : 0n); // gprs[0]: the DTB, as the arm64 boot protocol has it
        le64(params, 0x800, BigInt(auxCount));
        aux.forEach((a, k) => le64(params, 0x808 + 8 * k, a));
        this.writeNs(page, params);
        yield* rmiOk(`for REC ${i}`, RMI.REC_CREATE, realm.rd, rec, page);
        realm.recs.push({ granule: rec, mpidr, aux });
      } catch (e) {
        for (const g of pending) yield* this.undelegate(g);
        throw e;
      }
    }
  }

  /**
   * Tears a realm down as KVM does: RECs, DATA, the RTTs bottom-up, the realm, each granule undelegated
   * and returned to the pool (RMM B4.3.13, B4.3.3, B4.3.16, B4.3.10).
   */
  *destroyRealm(realm: HostRealm): HostProgram<void> {
    if (realm.state === 'destroyed') throw new Error(`realm ${hex(realm.rd)} is already destroyed`);
    for (const rec of realm.recs) {
      yield* rmiOk(`of ${hex(rec.granule)}`, RMI.REC_DESTROY, rec.granule);
      for (const g of [rec.granule, ...rec.aux]) yield* this.undelegate(g);
    }
    realm.recs = [];
    for (const [ipa, data] of realm.data) {
      const x = yield* rmiOk(`at IPA ${hex(ipa)}`, RMI.DATA_DESTROY, realm.rd, ipa);
      if (x[1] !== data) throw new Error(`RMI_DATA_DESTROY at IPA ${hex(ipa)} returned granule ${hex(x[1])}, not ${hex(data)}`);
      yield* this.undelegate(data);
    }
    realm.data.clear();
    for (const [ipa, pa] of realm.shared) {
      yield* rmiOk(`at IPA ${hex(ipa)}`, RMI.RTT_UNMAP_UNPROTECTED, realm.rd, ipa, BigInt(RTT_PAGE_LEVEL));
      this.pool.free(pa);
    }
    realm.shared.clear();
    const bottomUp = [...realm.rtts.values()].sort((a, b) => b.level - a.level || (a.ipa < b.ipa ? -1 : 1));
    for (const t of bottomUp) {
      const x = yield* rmiOk(`at IPA ${hex(t.ipa)} level ${t.level}`, RMI.RTT_DESTROY, realm.rd, t.ipa, BigInt(t.level));
      if (x[1] !== t.granule) throw new Error(`RMI_RTT_DESTROY at IPA ${hex(t.ipa)} returned ${hex(x[1])}, not ${hex(t.granule)}`);
      yield* this.undelegate(t.granule);
    }
    realm.rtts.clear();
    yield* rmiOk(`of RD ${hex(realm.rd)}`, RMI.REALM_DESTROY, realm.rd);
    for (let i = 0; i < realm.rttNumStart; i++) yield* this.undelegate(realm.rttBase + BigInt(i) * GRANULE_SIZE);
    yield* this.undelegate(realm.rd);
    realm.state = 'destroyed';
    this.forget(realm);
  }

  // ---- what the REC loop (rec-loop.ts) asks of the realm's memory while it runs ----

  /** Backs a Protected IPA the realm touched with a fresh granule (RMI_DATA_CREATE_UNKNOWN, RMM B4.3.2). */
  *backWithData(realm: HostRealm, ipa: bigint): HostProgram<void> {
    const page = ipa & ~(GRANULE_SIZE - 1n);
    yield* this.tablesFor(realm, page);
    const data = yield* this.delegate();
    yield* this.rmiOrUndelegate([data], `at IPA ${hex(page)}`, RMI.DATA_CREATE_UNKNOWN, realm.rd, data, page);
    realm.data.set(page, data);
  }

  /** Maps a zeroed Non-secure granule at an Unprotected IPA (RMI_RTT_MAP_UNPROTECTED, RMM B4.3.19). */
  *share(realm: HostRealm, ipa: bigint): HostProgram<bigint> {
    const page = ipa & ~(GRANULE_SIZE - 1n);
    yield* this.tablesFor(realm, page);
    const pa = this.pool.alloc();
    this.writeNs(pa, new Uint8Array(Number(GRANULE_SIZE)));
    // Normal Write-Back memory (MemAttr 0b110 with FEAT_S2FWB), read/write (S2AP 0b11)
    const r = yield* rmi(RMI.RTT_MAP_UNPROTECTED, realm.rd, page, BigInt(RTT_PAGE_LEVEL), pa | (0b110n << 2n) | (0b11n << 6n));
    if (r.status !== RmiStatus.Success) {
      this.pool.free(pa);
      throw new RmiError('RMI_RTT_MAP_UNPROTECTED', r.status, r.index, `at IPA ${hex(page)}`);
    }
    realm.shared.set(page, pa);
    return pa;
  }

  /** RMI_RTT_SET_RIPAS over [base, top) for `rec`'s pending change, splitting entries it covers in part (B4.3.21). */
  *setRipas(realm: HostRealm, rec: bigint, base: bigint, top: bigint): HostProgram<void> {
    while (base < top) {
      const r = yield* rmi(RMI.RTT_SET_RIPAS, realm.rd, rec, base, top);
      if (r.status === RmiStatus.Success) base = r.x[1];
      else if (r.status === RmiStatus.ErrorRtt && r.index < RTT_PAGE_LEVEL) yield* this.createRtt(realm, base, r.index + 1);
      else throw new RmiError('RMI_RTT_SET_RIPAS', r.status, r.index, `over [${hex(base)}, ${hex(top)})`);
    }
  }

  /** The RTT entry that maps `ipa` as the host sees it (RMI_RTT_READ_ENTRY, B4.3.20): state 0 UNASSIGNED, 1 ASSIGNED, 2 TABLE. */
  *readEntry(realm: HostRealm, ipa: bigint): HostProgram<{ level: number; state: number; ripas: number }> {
    const x = yield* rmiOk(`at IPA ${hex(ipa)}`, RMI.RTT_READ_ENTRY, realm.rd, ipa & ~(GRANULE_SIZE - 1n), BigInt(RTT_PAGE_LEVEL));
    return { level: Number(x[1]), state: Number(x[2]), ripas: Number(x[4]) };
  }

  /** Non-secure memory as the host reads it (a shared granule, a REC's run page). */
  readNs(pa: bigint, length: number): Uint8Array {
    const r = this.ns.read(pa, length);
    if (!r.ok) throw new Error(`the hypervisor cannot read ${hex(pa)}: ${r.fault}`);
    return r.data;
  }

  private forget(realm: HostRealm): void {
    this.vmids.delete(realm.vmid);
    const i = this.realms.indexOf(realm);
    if (i >= 0) this.realms.splice(i, 1);
  }

  private allocVmid(): number {
    // VMID 0 is the host's own; a realm's must differ from every live realm's (RMM B4.3.9.2 vmid_valid)
    let v = 1;
    while (this.vmids.has(v)) v++;
    this.vmids.add(v);
    return v;
  }

  /** A granule from the pool, delegated to the Realm PAS (RMM B4.3.5). */
  private *delegate(): HostProgram<bigint> {
    const g = this.pool.alloc();
    const r = yield* rmi(RMI.GRANULE_DELEGATE, g);
    if (r.status !== RmiStatus.Success) {
      this.pool.free(g);
      throw new RmiError('RMI_GRANULE_DELEGATE', r.status, r.index, `of ${hex(g)}`);
    }
    return g;
  }

  /** Undelegates a granule (RMM B4.3.6) and returns it to the pool. */
  private *undelegate(g: bigint): HostProgram<void> {
    yield* rmiOk(`of ${hex(g)}`, RMI.GRANULE_UNDELEGATE, g);
    this.pool.free(g);
  }

  /** A command that consumes freshly delegated granules; if it fails, they go back before the error. */
  private *rmiOrUndelegate(granules: bigint[], detail: string, fid: number, ...args: bigint[]): HostProgram<bigint[]> {
    try {
      return yield* rmiOk(detail, fid, ...args);
    } catch (e) {
      for (const g of granules) yield* this.undelegate(g);
      throw e;
    }
  }

  writeNs(pa: bigint, data: Uint8Array): void {
    const fault = this.ns.write(pa, data);
    if (fault) throw new Error(`the hypervisor cannot write its page at ${hex(pa)}: ${fault}`);
  }
}

function alignTo(ipa: bigint, level: number): bigint {
  const shift = entryShift(level);
  return (ipa >> shift) << shift;
}

/** The key of the RTT at `level` that maps `ipa`: it covers one entry of level - 1. */
function rttKey(ipa: bigint, level: number): string {
  return `${level}:${alignTo(ipa, level - 1).toString(16)}`;
}
