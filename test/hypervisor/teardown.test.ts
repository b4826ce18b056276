// Tearing realms down: RECs, DATA, RTTs bottom-up, the realm, every granule undelegated; several realms
// side by side; a build that fails half-way leaves nothing behind.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { RealmHost } from '../../src/machine/realm-host.js';
import { realmImageFromElf } from '../../firmware/hypervisor/realm-image.js';
import { Hypervisor, type HostRealm, type RealmOptions } from '../../firmware/hypervisor/hypervisor.js';
import { GranuleAllocator } from '../../firmware/hypervisor/allocator.js';
import { RMI, rmi, RmiStatus } from '../../firmware/hypervisor/rmi.js';
import { PhysicalAccess, Pas } from '../../firmware/phys.js';

const RAM = 0x8000_0000n;
const MiB = 1n << 20n;
const HELLO = readFileSync('images/hello/hello.elf');
const image = (ramMiB = 16) => realmImageFromElf(HELLO, RAM, BigInt(ramMiB) * MiB);

function build(h: RealmHost, o: RealmOptions = {}, hyp = h.hypervisor): HostRealm {
  return h.run(hyp.createRealm(image(o.ramMiB), o));
}

function census(h: RealmHost): Record<string, number> {
  return Object.fromEntries(h.machine.rme!.rmm.ctx.granules.census());
}

/** Every granule of [lo, hi) is UNDELEGATED in the RMM and readable and writable by Non-secure software. */
function expectAllNonSecure(h: RealmHost, lo: bigint, hi: bigint): void {
  const ns = new PhysicalAccess(h.machine, Pas.NonSecure);
  const granules = h.machine.rme!.rmm.ctx.granules;
  let checked = 0;
  for (let g = lo; g < hi; g += 0x1000n) {
    expect(granules.state(g)).toBe('UNDELEGATED');
    expect(ns.check(g, 0x1000)).toBeUndefined();
    expect(ns.read(g, 8).ok).toBe(true);
    checked++;
  }
  expect(checked).toBeGreaterThan(0);
}

function readEntry(h: RealmHost, realm: HostRealm, ipa: bigint) {
  const r = h.run(rmi(RMI.RTT_READ_ENTRY, realm.rd, ipa, 3n));
  return { status: r.status, state: Number(r.x[2]), desc: r.x[3] };
}

describe('teardown', () => {
  test('destroys RECs, DATA, RTTs bottom-up and the realm, and undelegates every granule', () => {
    const h = new RealmHost();
    const realm = build(h, { recs: 2, ipaBits: 40 }); // level 1 start: level-2 and level-3 RTTs to destroy
    const delegated = h.rmiCalls.RMI_GRANULE_DELEGATE;
    const data = realm.data.size;
    h.run(h.hypervisor.destroyRealm(realm));
    expect(realm.state).toBe('destroyed');
    expect(h.rmiCalls).toMatchObject({
      RMI_REC_DESTROY: 2, RMI_DATA_DESTROY: data, RMI_RTT_DESTROY: 3, RMI_REALM_DESTROY: 1, RMI_GRANULE_UNDELEGATE: delegated,
    });
    expect(census(h)).toEqual({});
    expect(h.hypervisor.pool.allocated).toBe(0);
    expect(h.hypervisor.realms).toEqual([]);
    expectAllNonSecure(h, h.hypervisor.pool.base, h.hypervisor.pool.touched);
    // The RD is a plain granule again: the RMM no longer knows the realm (RMM B4.3.20.2 rd_state)
    expect(h.run(rmi(RMI.RTT_READ_ENTRY, realm.rd, RAM, 3n)).status).toBe(RmiStatus.ErrorInput);
    expect(() => h.run(h.hypervisor.destroyRealm(realm))).toThrow(/already destroyed/);
  });

  test("a populated realm's DATA_CREATE_UNKNOWN granules go back too", () => {
    const h = new RealmHost();
    const realm = build(h, { ramMiB: 2, populate: 'all' });
    expect(census(h).DATA).toBe(512);
    h.run(h.hypervisor.destroyRealm(realm));
    expect(census(h)).toEqual({});
    expectAllNonSecure(h, h.hypervisor.pool.base, h.hypervisor.pool.touched);
  });

  test('realms side by side: destroying one leaves the other intact, and its VMID is reused', () => {
    const h = new RealmHost();
    const a = build(h);
    const b = build(h, { hash: 'sha512', recs: 3 });
    const rimB = Buffer.from(h.machine.rme!.rmm.ctx.realms.get(b.rd)!.measurements[0]);
    expect([a.vmid, b.vmid]).toEqual([1, 2]);
    h.run(h.hypervisor.destroyRealm(a));
    // b is untouched: its granules, its mappings, its RIM
    expect(census(h)).toEqual({ RD: 1, RTT: 10, DATA: b.data.size, REC: 3, REC_AUX: 6 });
    for (const [ipa, granule] of b.data) expect(readEntry(h, b, ipa)).toEqual({ status: RmiStatus.Success, state: 1, desc: granule });
    expect(Buffer.from(h.machine.rme!.rmm.ctx.realms.get(b.rd)!.measurements[0])).toEqual(rimB);
    const c = build(h);
    expect(c.vmid).toBe(1);
    h.run(h.hypervisor.destroyRealm(b));
    h.run(h.hypervisor.destroyRealm(c));
    expect(census(h)).toEqual({});
    expect(h.hypervisor.pool.allocated).toBe(0);
    expectAllNonSecure(h, h.hypervisor.pool.base, h.hypervisor.pool.touched);
  });

  test('a build that runs out of memory half-way undoes itself', () => {
    const h = new RealmHost();
    // A second hypervisor on the same PE with a pool of 30 granules: the RD, RTTs and some DATA fit, not all
    const pool = new GranuleAllocator(0x8800_0000n, 0x8800_0000n + 30n * 0x1000n);
    const hyp = new Hypervisor(h.machine, pool);
    expect(() => build(h, {}, hyp)).toThrow(/ran out of Non-secure memory/);
    expect(h.rmiCalls.RMI_DATA_CREATE).toBeGreaterThan(0);
    expect(h.rmiCalls.RMI_REALM_DESTROY).toBe(1);
    expect(census(h)).toEqual({});
    expect(pool.allocated).toBe(0);
    expect(hyp.realms).toEqual([]);
    expectAllNonSecure(h, pool.base, pool.touched);
    // The hypervisor is still usable: the same VMID, a whole realm this time
    const ok = build(h);
    expect(ok.vmid).toBe(1);
  });
});
