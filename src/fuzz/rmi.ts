// An adversarial host for the RMM: seeded random and guided RMI sequences, issued as real SMCs from NS-EL2,
// with hostile arguments (wrong granules, garbage addresses, delegated pages as sources and Unprotected
// mappings) among valid-looking ones. After every call it checks the isolation invariants: the RMM's
// granule states, the GPT and Normal-world access agree; every DATA/RTT/REC/RD granule is accounted for by
// exactly one realm; undelegated granules come back scrubbed; every status is a spec value.
import { Machine } from '../machine/machine.js';
import { HostSmc } from '../machine/host-smc.js';
import { GranuleState } from '../../firmware/rmm/granule.js';
import { Gpi } from '../../firmware/el3/gpt.js';
import { RttState, entrySize, decode } from '../../firmware/rmm/rtt.js';
import { RealmState } from '../../firmware/rmm/realm.js';
import { RMI_COMMANDS } from '../../firmware/rmm/rmm.js';

export interface FuzzOptions {
  calls: number;
  seed: number;
  /** Breaks the firmware on purpose before the first call (tests show that the checks catch it). */
  sabotage?: (m: Machine) => void;
}

export interface FuzzReport {
  calls: number;
  violations: number;
  hostErrors: number;
  /** RMI status names, and "<command>:<status>" for each command. */
  statusCounts: Record<string, number>;
  /** The first few violations and host errors, described. */
  problems: string[];
}

const FID = Object.fromEntries([...RMI_COMMANDS].map(([fid, c]) => [c.name, fid])) as Record<string, number>;
const STATUS_NAMES = ['RMI_SUCCESS', 'RMI_ERROR_INPUT', 'RMI_ERROR_REALM', 'RMI_ERROR_REC', 'RMI_ERROR_RTT'];
const HOST_CODE = 0x8000_0000n;
const POOL = 48;
const IPAS = [0n, 0x1000n, 0x2000n, 0x20_0000n, 0x20_1000n, 0x4000_0000n, 0x80_0000_0000n, 0x80_0000_1000n, 0x80_0020_0000n];
const GARBAGE = [0x1000_0000n, 0x8c10_0000n, 0xffff_ffff_f000n, 1n << 48n];
const MAX_PROBLEMS = 10;
/** Calls between full sweeps (every granule's GPI and NS access, every realm's RTTs); the last call gets one too. */
export const FULL_SWEEP_EVERY = 64;

/** What a successful call changed: granules that moved into or out of the Realm PAS, realms whose RTTs it wrote. */
interface Changes {
  gpi: bigint[];
  realms: bigint[];
}
const NO_CHANGES: Changes = { gpi: [], realms: [] };

const u64At = (page: Uint8Array, off: number) => new DataView(page.buffer, page.byteOffset).getBigUint64(off, true);
const hexList = (xs: Iterable<bigint>) => [...xs].map((x) => '0x' + x.toString(16)).join(', ');
const sameSet = (a: Set<bigint>, b: Set<bigint>) => a.size === b.size && [...a].every((x) => b.has(x));

/**
 * The granule states and ownership a correct RMM must have, derived from the successful commands' arguments
 * and outputs only (RMM A2.2.3's transitions), never from the RMM's own records.
 */
class Shadow {
  readonly states = new Map<bigint, GranuleState>();
  readonly realms = new Map<bigint, { starting: bigint[]; rtts: Set<bigint>; data: Set<bigint>; recs: number }>();
  readonly recs = new Map<bigint, { rd: bigint; aux: bigint[] }>();

  state(g: bigint): GranuleState {
    return this.states.get(g) ?? GranuleState.Undelegated;
  }

  private set(g: bigint, st: GranuleState): void {
    if (st === GranuleState.Undelegated) this.states.delete(g);
    else this.states.set(g, st);
  }

  /** Applies a successful command; `ns` reads the host's parameter pages. */
  apply(name: string, args: bigint[], x: bigint[], ns: (pa: bigint) => Uint8Array): Changes {
    const realm = this.realms.get(args[0]);
    switch (name) {
      case 'RMI_GRANULE_DELEGATE':
        this.set(args[0], GranuleState.Delegated);
        return { gpi: [args[0]], realms: [] };
      case 'RMI_GRANULE_UNDELEGATE':
        this.set(args[0], GranuleState.Undelegated);
        return { gpi: [args[0]], realms: [] };
      case 'RMI_REALM_CREATE': {
        const params = ns(args[1]);
        const base = u64At(params, 0x808), count = Number(u64At(params, 0x818));
        const starting = Array.from({ length: count }, (_, i) => base + BigInt(i) * 0x1000n);
        this.set(args[0], GranuleState.Rd);
        for (const g of starting) this.set(g, GranuleState.Rtt);
        this.realms.set(args[0], { starting, rtts: new Set(starting), data: new Set(), recs: 0 });
        return { gpi: [], realms: [args[0]] };
      }
      case 'RMI_REALM_DESTROY':
        this.set(args[0], GranuleState.Delegated);
        for (const g of realm?.starting ?? []) this.set(g, GranuleState.Delegated);
        this.realms.delete(args[0]);
        return NO_CHANGES;
      case 'RMI_RTT_CREATE':
        this.set(args[1], GranuleState.Rtt);
        realm?.rtts.add(args[1]);
        return { gpi: [], realms: [args[0]] };
      case 'RMI_RTT_DESTROY':
      case 'RMI_RTT_FOLD':
        // X1: the RTT granule the command released
        this.set(x[1], GranuleState.Delegated);
        realm?.rtts.delete(x[1]);
        return { gpi: [], realms: [args[0]] };
      case 'RMI_DATA_CREATE':
      case 'RMI_DATA_CREATE_UNKNOWN':
        this.set(args[1], GranuleState.Data);
        realm?.data.add(args[1]);
        return { gpi: [], realms: [args[0]] };
      case 'RMI_DATA_DESTROY':
        // X1: the DATA granule the command released
        this.set(x[1], GranuleState.Delegated);
        realm?.data.delete(x[1]);
        return { gpi: [], realms: [args[0]] };
      case 'RMI_REC_CREATE': {
        const params = ns(args[2]);
        const aux = Array.from({ length: Number(u64At(params, 0x800)) }, (_, i) => u64At(params, 0x808 + 8 * i));
        this.set(args[1], GranuleState.Rec);
        for (const g of aux) this.set(g, GranuleState.RecAux);
        this.recs.set(args[1], { rd: args[0], aux });
        if (realm) realm.recs++;
        return NO_CHANGES;
      }
      case 'RMI_REC_DESTROY': {
        const rec = this.recs.get(args[0]);
        this.set(args[0], GranuleState.Delegated);
        for (const g of rec?.aux ?? []) this.set(g, GranuleState.Delegated);
        this.recs.delete(args[0]);
        const owner = rec && this.realms.get(rec.rd);
        if (owner) owner.recs--;
        return NO_CHANGES;
      }
      case 'RMI_RTT_MAP_UNPROTECTED':
      case 'RMI_RTT_UNMAP_UNPROTECTED':
      case 'RMI_RTT_INIT_RIPAS':
      case 'RMI_RTT_SET_RIPAS':
        return { gpi: [], realms: [args[0]] };
      default:
        return NO_CHANGES;
    }
  }
}

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { int, pick: <T>(xs: T[]): T => xs[int(xs.length)], chance: (p: number) => next() < p };
}

function realmParams(rttBase: bigint, vmid: bigint, hash: bigint): Record<number, bigint> {
  // 40-bit IPA, starting level 1 with 2 concatenated RTTs (RMM B4.4.12)
  return { 0x8: 40n, 0x18: 1n, 0x20: 1n, 0x30: hash, 0x800: vmid, 0x808: rttBase, 0x810: 1n, 0x818: 2n };
}

export function fuzzRmi(opts: FuzzOptions): FuzzReport {
  const m = new Machine({ ramMiB: 256, console: () => {}, rme: true });
  m.start(HOST_CODE, { el: 2, security: 'ns' });
  const smc = new HostSmc(m, HOST_CODE);
  opts.sabotage?.(m);
  const r = prng(opts.seed);
  const rme = m.rme!;
  const ctx = rme.rmm.ctx;
  const report: FuzzReport = { calls: 0, violations: 0, hostErrors: 0, statusCounts: {}, problems: [] };
  const problem = (kind: 'violations' | 'hostErrors', what: string) => {
    report[kind]++;
    if (report.problems.length < MAX_PROBLEMS) report.problems.push(what);
  };

  // The host's memory: a pool of granules to play with (aligned, so pairs can be starting RTTs), then pages
  const poolBase = HOST_CODE + 0x10_0000n;
  const pool = Array.from({ length: POOL }, (_, i) => poolBase + BigInt(i) * 0x1000n);
  // The host's own bytes in every granule: undelegation must wipe whatever a granule held (RMM A2.2.4)
  m.writePhysical(poolBase, new Uint8Array(POOL * 0x1000).fill(0xa5));
  const pagesBase = poolBase + BigInt(POOL) * 0x1000n;
  let nextPage = 0n;
  const page = (fields: Record<number, bigint>) => {
    // Pages are reused round-robin: 256 are plenty for the arguments of one call
    const p = pagesBase + (nextPage++ % 256n) * 0x1000n;
    m.writePhysical(p, new Uint8Array(0x1000));
    const b = new Uint8Array(8);
    for (const [off, v] of Object.entries(fields)) {
      new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
      m.writePhysical(p + BigInt(off), b);
    }
    return p;
  };

  const inState = (st: GranuleState) => pool.filter((g) => ctx.granules.state(g) === st);
  // Mostly granules in a state a command can use, so sequences go deep; sometimes anything at all
  const anyGranule = (): bigint => {
    const delegated = inState(GranuleState.Delegated);
    if (delegated.length && r.chance(0.55)) return r.pick(delegated);
    return r.chance(0.9) ? r.pick(pool) : r.chance(0.5) ? r.pick(GARBAGE) : r.pick(pool) + BigInt(1 + r.int(0xfff));
  };
  const level = () => BigInt(r.chance(0.95) ? 2 + r.int(2) : r.int(5) - 1);
  const anyRd = () => (ctx.realms.size && r.chance(0.85) ? r.pick([...ctx.realms.keys()]) : anyGranule());
  const anyRec = () => (ctx.recs.size && r.chance(0.85) ? r.pick([...ctx.recs.keys()]) : anyGranule());
  const ipa = () => (r.chance(0.9) ? r.pick(IPAS) : BigInt(r.int(1 << 30)) << BigInt(r.int(12)));
  const secret = (g: bigint) => 0x5ec0_0000_0000_0000n | g;

  const hostile: (() => [string, ...bigint[]] | undefined)[] = [
    () => ['RMI_GRANULE_DELEGATE', r.pick(pool)],
    () => ['RMI_GRANULE_DELEGATE', r.pick(pool)],
    () => ['RMI_GRANULE_DELEGATE', r.chance(0.8) ? r.pick(pool) : r.pick(GARBAGE)],
    () => ['RMI_GRANULE_UNDELEGATE', anyGranule()],
    () => {
      const rtt = pool[2 * r.int(POOL / 2)];
      const params = r.chance(0.9) ? page(realmParams(rtt, BigInt(r.int(4)), BigInt(r.int(2)))) : anyGranule();
      return ['RMI_REALM_CREATE', anyGranule(), params];
    },
    // Rarely: an active realm takes no more DATA_CREATE or REC_CREATE, a destroyed one nothing
    () => (r.chance(0.25) ? ['RMI_REALM_ACTIVATE', anyRd()] : undefined),
    () => (r.chance(0.2) ? ['RMI_REALM_DESTROY', anyRd()] : undefined),
    () => ['RMI_RTT_CREATE', anyRd(), anyGranule(), ipa(), level()],
    () => ['RMI_RTT_CREATE', anyRd(), anyGranule(), ipa(), level()],
    () => ['RMI_RTT_DESTROY', anyRd(), ipa(), level()],
    () => ['RMI_RTT_FOLD', anyRd(), ipa(), level()],
    () => {
      const data = anyGranule();
      // The source holds a secret naming the data granule; a delegated source must be refused
      const src = r.chance(0.9) ? page({ 0: secret(data), 0xff8: secret(data) }) : anyGranule();
      return ['RMI_DATA_CREATE', anyRd(), data, ipa(), src, BigInt(r.int(2))];
    },
    () => ['RMI_DATA_CREATE_UNKNOWN', anyRd(), anyGranule(), ipa()],
    () => ['RMI_DATA_DESTROY', anyRd(), ipa()],
    () => ['RMI_RTT_INIT_RIPAS', anyRd(), ipa(), ipa() + 0x1000n * BigInt(1 + r.int(4))],
    // Unprotected mappings of any granule, delegated ones included: the realm may then GPF, the host never reads
    () => ['RMI_RTT_MAP_UNPROTECTED', anyRd(), ipa(), level(), anyGranule() | (BigInt(r.int(8)) << 2n) | (3n << 6n)],
    () => ['RMI_RTT_UNMAP_UNPROTECTED', anyRd(), ipa(), level()],
    () => ['RMI_RTT_READ_ENTRY', anyRd(), ipa(), level()],
    () => {
      const rd = anyRd();
      const idx = ctx.realms.get(rd)?.recIndex ?? 0n;
      const params = page({ 0: BigInt(r.int(2)), 0x100: (idx & 0xfn) | ((idx >> 4n) << 8n), 0x800: 2n, 0x808: anyGranule(), 0x810: anyGranule() });
      return ['RMI_REC_CREATE', rd, anyGranule(), params];
    },
    () => ['RMI_REC_DESTROY', anyRec()],
    () => ['RMI_REC_AUX_COUNT', anyRd()],
    () => ['RMI_RTT_SET_RIPAS', anyRd(), anyRec(), ipa(), ipa() + 0x1000n],
    () => ['RMI_PSCI_COMPLETE', anyRec(), anyRec(), 0n],
    () => ['RMI_FEATURES', BigInt(r.int(3))],
    () => ['RMI_VERSION', r.pick([0x1_0000n, 0x1_0001n, 0x2_0000n])],
  ];

  // ---- The fuzzer's own accounting: what every granule must be, and which realm owns it ----
  // Updated from each call's arguments, outputs and status alone (a failed command changes nothing,
  // RMM B4.3), so after every call the RMM's granule states and objects are compared with it whole.
  const shadow = new Shadow();

  /** Every granule a realm's RTTs reference (TABLE -> RTT, ASSIGNED -> DATA), read straight from memory. */
  function referenced(rd: bigint) {
    const realm = ctx.realms.get(rd)!;
    const rtts: bigint[] = [], data: bigint[] = [];
    const visit = (addr: bigint, lvl: number, entries: number) => {
      const bytes = m.readPhysical(addr, entries * 8)!;
      const words = new Uint32Array(bytes.buffer, bytes.byteOffset, entries * 2);
      for (let i = 0; i < entries; i++) {
        // Only a valid descriptor or an invalid one with HIPAS ASSIGNED (bits 4:2 = 1) can be TABLE or ASSIGNED
        const lo = words[2 * i];
        if ((lo & 1) === 0 && ((lo >>> 2) & 7) !== 1) continue;
        const e = decode((BigInt(words[2 * i + 1]) << 32n) | BigInt(words[2 * i]), lvl);
        if (e.state === RttState.Table) { rtts.push(e.addr); visit(e.addr, lvl + 1, 512); }
        if (e.state === RttState.Assigned) for (let o = 0n; o < entrySize(lvl); o += 0x1000n) data.push(e.addr + o);
      }
    };
    visit(realm.rttBase, realm.rttLevelStart, 512 * realm.rttNumStart);
    return { rtts, data };
  }

  // A real host load at NS-EL2 (LDR X1, [X0]) with a vector table that stops the PE: faults exactly on delegated granules
  const loadCode = HOST_CODE + 0x100n, vectors = HOST_CODE + 0x800n;
  const LDR_X1_X0 = 0xf940_0001, HLT_F000 = 0xd45e_0000;
  m.writePhysical(loadCode, new Uint8Array(new Uint32Array([LDR_X1_X0, HLT_F000]).buffer));
  m.writePhysical(vectors, new Uint8Array(new Uint32Array(Array.from({ length: 0x200 }, () => HLT_F000)).buffer));
  m.core.setSysreg('VBAR_EL2', vectors);
  m.core.stateChanged();
  /** The value a host load of `g` read, or undefined when it faulted. */
  const hostLoad = (g: bigint): bigint | undefined => {
    const c = m.core;
    c.pc = loadCode;
    c.setX(0, g);
    c.setX(1, 0x0bad_0bad_0bad_0badn);
    m.run(1n);
    return c.pc === loadCode + 4n ? c.x(1) : undefined;
  };

  /** The GPT, the GPC and a real host load agree with the granule's state (RMM A2.2.5). */
  function checkAccess(g: bigint, load: boolean, fail: (msg: string) => void): void {
    const state = ctx.granules.state(g);
    const delegated = state !== GranuleState.Undelegated;
    const gpi = rme.gpt.gpi(g);
    if (gpi !== (delegated ? Gpi.Realm : Gpi.NonSecure)) fail(`GPI of 0x${g.toString(16)} is ${gpi} for a ${state} granule`);
    const nsFaults = (m.gpcProbe(g, 1, 1) & 0xff) !== 0;
    if (nsFaults !== delegated) fail(`Non-secure access to ${state} granule 0x${g.toString(16)} ${nsFaults ? 'faults' : 'passes'}`);
    if (load && (hostLoad(g) === undefined) !== delegated) fail(`host load of ${state} granule 0x${g.toString(16)} ${delegated ? 'passes' : 'faults'}`);
  }

  /** A realm's RTTs reference exactly the RTT and DATA granules the fuzzer gave it, each in its state. */
  function checkRealm(rd: bigint, fail: (msg: string) => void): void {
    const realm = ctx.realms.get(rd)!;
    const own = shadow.realms.get(rd)!;
    const ref = referenced(rd);
    const rtts = new Set([...realm.startingRtts(), ...ref.rtts]);
    if (!sameSet(rtts, own.rtts)) fail(`RD 0x${rd.toString(16)}: its RTTs are [${hexList(rtts)}], it was given [${hexList(own.rtts)}]`);
    const data = new Set(ref.data);
    if (data.size !== ref.data.length) fail(`RD 0x${rd.toString(16)}: a DATA granule is mapped twice`);
    if (!sameSet(data, own.data)) fail(`RD 0x${rd.toString(16)}: its RTTs map DATA [${hexList(data)}], it was given [${hexList(own.data)}]`);
    if (realm.numRecs !== BigInt(own.recs)) fail(`RD 0x${rd.toString(16)} counts ${realm.numRecs} RECs, it was given ${own.recs}`);
  }

  /**
   * After every call: the RMM's granule states, realms and RECs are exactly the fuzzer's accounting; the
   * granules whose GPI the call changed, and the realms whose RTTs it changed, are checked in depth.
   * `full` checks every granule's GPI and NS access and every realm's RTTs.
   */
  function checkInvariants(what: string, changed: Changes, full: boolean): void {
    const fail = (msg: string) => problem('violations', `${what}: ${msg}`);
    let n = 0;
    for (const [g, st] of ctx.granules.entries()) {
      n++;
      const want = shadow.state(g);
      if (st !== want) fail(`granule 0x${g.toString(16)} is ${st}, expected ${want}`);
    }
    if (n !== shadow.states.size) {
      for (const [g, st] of shadow.states) if (ctx.granules.state(g) === GranuleState.Undelegated) fail(`granule 0x${g.toString(16)} is UNDELEGATED, expected ${st}`);
    }
    if (!sameSet(new Set(ctx.realms.keys()), new Set(shadow.realms.keys()))) fail(`realms [${hexList(ctx.realms.keys())}], expected [${hexList(shadow.realms.keys())}]`);
    if (!sameSet(new Set(ctx.recs.keys()), new Set(shadow.recs.keys()))) fail(`RECs [${hexList(ctx.recs.keys())}], expected [${hexList(shadow.recs.keys())}]`);
    for (const [addr, rec] of ctx.recs) {
      const own = shadow.recs.get(addr);
      if (own && (rec.owner !== own.rd || rec.aux.join() !== own.aux.join())) fail(`REC 0x${addr.toString(16)} belongs to 0x${rec.owner.toString(16)} with aux [${hexList(rec.aux)}], expected 0x${own.rd.toString(16)} with [${hexList(own.aux)}]`);
    }
    if (full) {
      for (const g of pool) checkAccess(g, false, fail);
      checkAccess(r.pick(pool), true, fail);
      for (const rd of ctx.realms.keys()) if (shadow.realms.has(rd)) checkRealm(rd, fail);
      return;
    }
    for (const g of changed.gpi) checkAccess(g, true, fail);
    for (const rd of changed.realms) if (ctx.realms.has(rd) && shadow.realms.has(rd)) checkRealm(rd, fail);
  }

  const step = (name: string, ...args: bigint[]) => {
    if (report.calls >= opts.calls) return;
    const fid = FID[name];
    const what = `call ${report.calls}: ${name}(${args.map((a) => '0x' + a.toString(16)).join(', ')})`;
    report.calls++;
    // Sometimes warm the TLB with the host's view of a granule it is about to delegate: the delegation must remove it
    if (name === 'RMI_GRANULE_DELEGATE' && r.chance(0.3) && ctx.granules.state(args[0]) === GranuleState.Undelegated && pool.includes(args[0])) hostLoad(args[0]);
    let x: bigint[];
    try {
      x = smc.call(fid, ...args).x;
    } catch (e) {
      problem('hostErrors', `${what}: ${(e as Error).message}`);
      return;
    }
    const x0 = x[0];
    const status = Number(x0 & 0xffn), index = Number((x0 >> 8n) & 0xffn);
    const statusName = STATUS_NAMES[status] ?? `0x${x0.toString(16)}`;
    report.statusCounts[statusName] = (report.statusCounts[statusName] ?? 0) + 1;
    report.statusCounts[`${name}:${statusName}`] = (report.statusCounts[`${name}:${statusName}`] ?? 0) + 1;
    // Every status a spec value; an index only with RMI_ERROR_RTT, and then a level (RMM B4.4.1)
    if (status > 4 || x0 >> 16n !== 0n || (status !== 4 && index !== 0) || index > 3) problem('violations', `${what}: returned 0x${x0.toString(16)}`);
    // A granule back in the host's hands shows nothing of the realm
    if (name === 'RMI_GRANULE_UNDELEGATE' && status === 0 && !m.readPhysical(args[0], 0x1000)!.every((b) => b === 0)) {
      problem('violations', `${what}: undelegated granule not scrubbed`);
    }
    try {
      const changed = status === 0 ? shadow.apply(name, args, x, (pa) => m.readPhysical(pa, 0x1000)!) : NO_CHANGES;
      checkInvariants(`${what} -> ${statusName}/${index}`, changed, report.calls % FULL_SWEEP_EVERY === 0 || report.calls === opts.calls);
    } catch (e) {
      problem('hostErrors', `${what}: invariant check: ${(e as Error).message}`);
    }
  };

  // Guided: valid paths to realms, RECs and DATA granules in a NEW realm, each step a checked call
  const GROW_TARGETS = [0n, 0x1000n, 0x20_0000n, 0x4000_0000n, 0x4000_3000n];
  const fresh = () => {
    const d = inState(GranuleState.Delegated);
    if (d.length) return r.pick(d);
    const u = inState(GranuleState.Undelegated);
    return u.length ? r.pick(u) : undefined;
  };
  const ensureDelegated = (g: bigint) => {
    if (ctx.granules.state(g) === GranuleState.Undelegated) step('RMI_GRANULE_DELEGATE', g);
  };
  const grow = () => {
    const newRealms = [...ctx.realms.values()].filter((x) => x.state === RealmState.New);
    if (!newRealms.length || r.chance(0.1)) {
      // A realm on a free aligned pair of granules
      const pairs = pool.filter((g, i) => i % 2 === 0 && [g, g + 0x1000n].every((x) => [GranuleState.Undelegated, GranuleState.Delegated].includes(ctx.granules.state(x))));
      const rd = fresh();
      if (!pairs.length || rd === undefined) return;
      const rtt = r.pick(pairs);
      if (rd === rtt || rd === rtt + 0x1000n) return;
      for (const g of [rtt, rtt + 0x1000n, rd]) ensureDelegated(g);
      step('RMI_REALM_CREATE', rd, page(realmParams(rtt, BigInt(r.int(256)), BigInt(r.int(2)))));
      return;
    }
    const realm = r.pick(newRealms);
    if (r.chance(0.3)) {
      const three = [fresh(), fresh(), fresh()];
      if (three.some((g) => g === undefined) || new Set(three).size < 3) return;
      const [rec, a0, a1] = three as bigint[];
      for (const g of [rec, a0, a1]) ensureDelegated(g);
      const idx = realm.recIndex;
      step('RMI_REC_CREATE', realm.rd, rec, page({ 0: 1n, 0x100: (idx & 0xfn) | ((idx >> 4n) << 8n), 0x800: 2n, 0x808: a0, 0x810: a1 }));
      return;
    }
    const target = r.pick(GROW_TARGETS);
    for (const lvl of [2, 3]) {
      const g = fresh();
      if (g === undefined) return;
      ensureDelegated(g);
      const shift = BigInt(12 + 9 * (4 - lvl));
      step('RMI_RTT_CREATE', realm.rd, g, (target >> shift) << shift, BigInt(lvl));
    }
    const data = fresh();
    if (data === undefined) return;
    ensureDelegated(data);
    if (r.chance(0.7)) step('RMI_DATA_CREATE', realm.rd, data, target, page({ 0: secret(data) }), 1n);
    else step('RMI_DATA_CREATE_UNKNOWN', realm.rd, data, target);
  };

  // Guided: the host's teardown of one realm, as the realm destruction flow orders it (RMM D1.2.5)
  const shrink = () => {
    if (!ctx.realms.size) return;
    const realm = r.pick([...ctx.realms.values()]);
    for (const [addr, rec] of [...ctx.recs]) if (rec.owner === realm.rd) step('RMI_REC_DESTROY', addr);
    for (const target of GROW_TARGETS) step('RMI_DATA_DESTROY', realm.rd, target);
    for (const target of GROW_TARGETS) {
      step('RMI_RTT_DESTROY', realm.rd, (target >> 21n) << 21n, 3n);
      step('RMI_RTT_DESTROY', realm.rd, (target >> 30n) << 30n, 2n);
    }
    step('RMI_REALM_DESTROY', realm.rd);
  };

  while (report.calls < opts.calls) {
    if (r.chance(0.12)) {
      grow();
      continue;
    }
    if (r.chance(0.01)) {
      shrink();
      continue;
    }
    const call = r.pick(hostile)();
    if (call) step(...call);
  }
  return report;
}
