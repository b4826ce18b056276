// Isolation invariants under random RMI sequences (DESIGN.md section 10): a seeded host issues valid-looking
// and hostile RMI calls through real SMCs; after every call the RMM's granule states, the GPT, the realms'
// RTTs and what the Normal world can read must agree.
import { describe, it, expect } from 'vitest';
import { RmiHost, RMI, realmParams, HOST_CODE } from '../helpers/rmi.js';
import { GranuleState } from '../../firmware/rmm/granule.js';
import { Gpi } from '../../firmware/el3/gpt.js';
import { RttState, entrySize } from '../../firmware/rmm/rtt.js';
import type { Realm } from '../../firmware/rmm/realm.js';
import { asm, END } from '../helpers/asm.js';

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

const POOL = 48;
const IPAS = [0n, 0x1000n, 0x2000n, 0x20_0000n, 0x20_1000n, 0x4000_0000n, 0x80_0000_0000n, 0x80_0000_1000n, 0x80_0020_0000n];

describe('isolation invariants under random RMI sequences', () => {
  for (const seed of [1, 2]) {
    it(`seed ${seed}: 800 calls`, () => {
      const h = new RmiHost();
      const r = prng(seed);
      const rmm = h.m.rme!.rmm;
      const ctx = rmm.ctx;
      const gpt = h.m.rme!.gpt;
      // The pool: granules the host plays with, starting at an aligned base so pairs can be starting RTTs
      const base = h.granules(POOL);
      const pool = Array.from({ length: POOL }, (_, i) => base + BigInt(i) * 0x1000n);
      const inState = (st: GranuleState) => pool.filter((g) => ctx.granules.state(g) === st);
      // Mostly granules in a state a command can use, so sequences go deep; sometimes anything at all
      const anyGranule = (): bigint => {
        const delegated = inState(GranuleState.Delegated);
        if (delegated.length && r.chance(0.55)) return r.pick(delegated);
        return r.chance(0.9) ? r.pick(pool) : r.pick([0x1000_0000n, pool[0] + 8n, 0x8c10_0000n, 0xffff_ffff_f000n]);
      };
      const level = () => BigInt(r.chance(0.95) ? 2 + r.int(2) : r.int(5) - 1);
      const rds = () => [...ctx.realms.keys()];
      const anyRd = () => (rds().length && r.chance(0.85) ? r.pick(rds()) : anyGranule());
      const anyRec = () => (ctx.recs.size && r.chance(0.85) ? r.pick([...ctx.recs.keys()]) : anyGranule());
      const ipa = () => (r.chance(0.9) ? r.pick(IPAS) : BigInt(r.int(1 << 30)) << BigInt(r.int(12)));
      const page = (fields: Record<number, bigint>) => h.page(fields);
      const succeeded = new Set<number>();
      const secret = (g: bigint) => 0x5ec0_0000_0000_0000n | g;

      const ops: (() => bigint[] | undefined)[] = [
        () => [BigInt(RMI.GRANULE_DELEGATE), r.pick(pool)],
        () => [BigInt(RMI.GRANULE_DELEGATE), r.pick(pool)],
        () => [BigInt(RMI.GRANULE_DELEGATE), r.pick(pool)],
        () => [BigInt(RMI.GRANULE_UNDELEGATE), anyGranule()],
        () => {
          const rtt = pool[2 * r.int(POOL / 2)];
          const p = page(realmParams(rtt, { 0x800: BigInt(r.int(4)), 0x30: BigInt(r.int(2)) }));
          return [BigInt(RMI.REALM_CREATE), anyGranule(), r.chance(0.9) ? p : anyGranule()];
        },
        // Rarely: an active realm takes no more DATA_CREATE or REC_CREATE
        () => (r.chance(0.25) ? [BigInt(RMI.REALM_ACTIVATE), anyRd()] : undefined),
        () => (r.chance(0.2) ? [BigInt(RMI.REALM_DESTROY), anyRd()] : undefined),
        () => [BigInt(RMI.RTT_CREATE), anyRd(), anyGranule(), ipa(), level()],
        () => [BigInt(RMI.RTT_CREATE), anyRd(), anyGranule(), ipa(), level()],
        () => [BigInt(RMI.RTT_DESTROY), anyRd(), ipa(), level()],
        () => [BigInt(RMI.RTT_FOLD), anyRd(), ipa(), level()],
        () => {
          // The source holds a secret naming the data granule, so leaks can be traced
          const data = anyGranule();
          const src = r.chance(0.9) ? page({ 0: secret(data), 0xff8: secret(data) }) : anyGranule();
          return [BigInt(RMI.DATA_CREATE), anyRd(), data, ipa(), src, BigInt(r.int(2))];
        },
        () => [BigInt(RMI.DATA_CREATE), anyRd(), anyGranule(), ipa(), page({ 0: 1n }), 1n],
        () => [BigInt(RMI.DATA_CREATE_UNKNOWN), anyRd(), anyGranule(), ipa()],
        () => [BigInt(RMI.DATA_DESTROY), anyRd(), ipa()],
        () => [BigInt(RMI.RTT_INIT_RIPAS), anyRd(), ipa(), ipa() + 0x1000n * BigInt(1 + r.int(4))],
        // Unprotected mappings of any granule, delegated ones included: the realm may then GPF, the host never reads
        () => [BigInt(RMI.RTT_MAP_UNPROTECTED), anyRd(), ipa(), level(), anyGranule() | (BigInt(r.int(8)) << 2n) | (3n << 6n)],
        () => [BigInt(RMI.RTT_UNMAP_UNPROTECTED), anyRd(), ipa(), level()],
        () => [BigInt(RMI.RTT_READ_ENTRY), anyRd(), ipa(), level()],
        () => {
          const aux = [anyGranule(), anyGranule()];
          const rd = anyRd();
          const realm = ctx.realms.get(rd);
          const mpidr = realm ? realm.recIndex & 0xfn : 0n;
          return [BigInt(RMI.REC_CREATE), rd, anyGranule(), page({ 0: BigInt(r.int(2)), 0x100: mpidr, 0x800: 2n, 0x808: aux[0], 0x810: aux[1] })];
        },
        () => [BigInt(RMI.REC_DESTROY), anyRec()],
        () => [BigInt(RMI.REC_AUX_COUNT), anyRd()],
        () => [BigInt(RMI.RTT_SET_RIPAS), anyRd(), anyRec(), ipa(), ipa() + 0x1000n],
      ];

      /** Every granule each realm's RTTs reference: TABLE -> RTT, ASSIGNED -> DATA. */
      function referenced(realm: Realm) {
        const rtts: bigint[] = [], data: bigint[] = [];
        const visit = (addr: bigint, level: number, entries: number) => {
          for (const e of ctx.rtts.readAll(addr, level, entries)) {
            if (e.state === RttState.Table) { rtts.push(e.addr); visit(e.addr, level + 1, 512); }
            if (e.state === RttState.Assigned) for (let o = 0n; o < entrySize(level); o += 0x1000n) data.push(e.addr + o);
          }
        };
        visit(realm.rttBase, realm.rttLevelStart, 512 * realm.rttNumStart);
        return { rtts, data };
      }

      function checkInvariants(what: string) {
        for (const g of pool) {
          const state = ctx.granules.state(g);
          const gpi = gpt.gpi(g);
          const nsFaults = (h.m.gpcProbe(g, 1, 1) & 0xff) !== 0;
          // The RMM's record and the GPT agree; the host can reach exactly the UNDELEGATED granules
          expect(gpi, `${what}: GPI of 0x${g.toString(16)} (${state})`).toBe(state === GranuleState.Undelegated ? Gpi.NonSecure : Gpi.Realm);
          expect(nsFaults, what).toBe(state !== GranuleState.Undelegated);
        }
        let data = 0, rtts = 0, recs = 0;
        for (const realm of ctx.realms.values()) {
          expect(ctx.granules.state(realm.rd)).toBe(GranuleState.Rd);
          for (const s of realm.startingRtts()) expect(ctx.granules.state(s)).toBe(GranuleState.Rtt);
          const ref = referenced(realm);
          for (const t of ref.rtts) expect(ctx.granules.state(t), `${what}: RTT`).toBe(GranuleState.Rtt);
          for (const d of ref.data) expect(ctx.granules.state(d), `${what}: DATA`).toBe(GranuleState.Data);
          data += ref.data.length;
          rtts += ref.rtts.length + realm.rttNumStart;
          recs += Number(realm.numRecs);
        }
        // Every DATA/RTT/REC granule is owned by exactly one realm object
        const census = ctx.granules.census();
        expect(census.get(GranuleState.Data) ?? 0, what).toBe(data);
        expect(census.get(GranuleState.Rtt) ?? 0, what).toBe(rtts);
        expect(census.get(GranuleState.Rec) ?? 0, what).toBe(recs);
        expect(census.get(GranuleState.RecAux) ?? 0, what).toBe(2 * recs);
        expect(census.get(GranuleState.Rd) ?? 0, what).toBe(ctx.realms.size);
      }

      // A real host load at NS-EL2: faults exactly on delegated granules
      const code = HOST_CODE + 0x100n, vectors = HOST_CODE + 0x800n;
      h.m.writePhysical(code, new Uint8Array(new Uint32Array([asm('LDR_off', { sz: 1, imm12: 0, rn: 0, rt: 1 }), END]).buffer));
      h.m.writePhysical(vectors, new Uint8Array(new Uint32Array(Array.from({ length: 0x200 }, () => END)).buffer));
      const c = h.m.core;
      c.setSysreg('VBAR_EL2', vectors);
      const hostLoadFaults = (g: bigint) => {
        c.pc = code;
        c.setX(0, g);
        c.stateChanged();
        h.m.run(1n);
        return c.pc !== code + 4n;
      };

      let i = 0;
      const step = (fid: number, ...args: bigint[]) => {
        const res = h.call(fid, ...args);
        if (res.status === 0) succeeded.add(fid);
        const what = `call ${i}: 0x${fid.toString(16)}(${args.map((a) => '0x' + a.toString(16)).join(', ')}) -> ${res.status}/${res.index}`;
        // Every status a spec value; an index only with RMI_ERROR_RTT
        expect(res.status, what).toBeLessThanOrEqual(4);
        expect(res.x[0] >> 16n, what).toBe(0n);
        if (res.status !== 4) expect(res.index, what).toBe(0);
        else expect(res.index, what).toBeLessThanOrEqual(3);
        // A granule back in the host's hands shows nothing of the realm
        if (fid === RMI.GRANULE_UNDELEGATE && res.status === 0) {
          expect(h.m.readPhysical(args[0], 0x1000)!.every((b) => b === 0), what).toBe(true);
        }
        checkInvariants(what);
        if (i % 25 === 0) {
          const g = r.pick(pool);
          expect(hostLoadFaults(g), `${what}: host load of 0x${g.toString(16)}`).toBe(ctx.granules.state(g) !== GranuleState.Undelegated);
        }
        i++;
        return res;
      };
      // Guided: a valid path down to a DATA granule at a Protected IPA of a NEW realm, each step checked
      const grow = () => {
        const fresh = () => {
          const d = inState(GranuleState.Delegated);
          if (d.length) return r.pick(d);
          const u = inState(GranuleState.Undelegated);
          return u.length ? r.pick(u) : undefined;
        };
        const newRealms = [...ctx.realms.values()].filter((x) => x.state === 'REALM_NEW');
        if (!newRealms.length) return;
        const realm = r.pick(newRealms);
        if (r.chance(0.3)) {
          const three = [fresh(), fresh(), fresh()];
          if (three.some((g) => g === undefined) || new Set(three).size < 3) return;
          for (const g of three) if (ctx.granules.state(g!) === GranuleState.Undelegated) step(RMI.GRANULE_DELEGATE, g!);
          const [rec, a0, a1] = three as bigint[];
          const mpidr = (realm.recIndex & 0xfn) | ((realm.recIndex >> 4n) << 8n);
          step(RMI.REC_CREATE, realm.rd, rec, page({ 0: 1n, 0x100: mpidr, 0x800: 2n, 0x808: a0, 0x810: a1 }));
          return;
        }
        const target = r.pick([0n, 0x1000n, 0x20_0000n, 0x4000_0000n, 0x4000_3000n]);
        for (const lvl of [2, 3]) {
          const g = fresh();
          if (g === undefined) return;
          if (ctx.granules.state(g) === GranuleState.Undelegated) step(RMI.GRANULE_DELEGATE, g);
          const shift = BigInt(12 + 9 * (4 - lvl));
          step(RMI.RTT_CREATE, realm.rd, g, (target >> shift) << shift, BigInt(lvl));
        }
        const data = fresh();
        if (data === undefined) return;
        if (ctx.granules.state(data) === GranuleState.Undelegated) step(RMI.GRANULE_DELEGATE, data);
        if (r.chance(0.7)) step(RMI.DATA_CREATE, realm.rd, data, target, page({ 0: secret(data) }), 1n);
        else step(RMI.DATA_CREATE_UNKNOWN, realm.rd, data, target);
      };

      while (i < 800) {
        if (r.chance(0.12)) { grow(); continue; }
        const call = r.pick(ops)();
        if (!call) continue;
        const [fid, ...args] = call;
        step(Number(fid), ...args);
      }
      // The sequence reached deep states, not only early failures
      for (const fid of [RMI.REALM_CREATE, RMI.RTT_CREATE, RMI.DATA_CREATE, RMI.DATA_DESTROY, RMI.REC_CREATE, RMI.GRANULE_UNDELEGATE]) {
        expect(succeeded.has(fid), `0x${fid.toString(16)} never succeeded`).toBe(true);
      }
    });
  }
});
