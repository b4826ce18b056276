// RMI_REC_AUX_COUNT, RMI_REC_CREATE, RMI_REC_DESTROY, RMI_PSCI_COMPLETE (RMM B4.3.11, B4.3.12, B4.3.13,
// B4.3.7): one row per failure condition in spec order, and the success effects.
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { RmiHost, RMI, SUCCESS, ERROR_INPUT, ERROR_REALM, ERROR_REC, createRealm } from '../helpers/rmi.js';
import { GranuleState } from '../../firmware/rmm/granule.js';

const NOT_DELEGABLE = 0x1000_0000n;

interface RecCase {
  rd: bigint;
  rec: bigint;
  params: bigint;
  aux: bigint[];
}

function recCase(h: RmiHost, rd: bigint, over: Record<number, bigint> = {}): RecCase {
  const rec = h.delegated();
  const aux = [h.delegated(), h.delegated()];
  const params = h.page({ 0x0: 1n, 0x200: 0x8000_0000n, 0x300: 0x11n, 0x338: 0x77n, 0x800: 2n, 0x808: aux[0], 0x810: aux[1], ...over });
  return { rd, rec, params, aux };
}

const create = (h: RmiHost, c: RecCase) => h.call(RMI.REC_CREATE, c.rd, c.rec, c.params);

describe('RMI_REC_AUX_COUNT (B4.3.11)', () => {
  it('rd_align, rd_bound, rd_state; success gives the constant count', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    expect(h.call(RMI.REC_AUX_COUNT, rd + 8n).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.REC_AUX_COUNT, NOT_DELEGABLE).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.REC_AUX_COUNT, h.delegated()).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.REC_AUX_COUNT, rd).x.slice(0, 3)).toEqual([0n, 2n, 0n]);
  });
});

describe('RMI_REC_CREATE failure conditions (B4.3.12.2), in spec order', () => {
  const rows: [string, number, (h: RmiHost, c: RecCase) => void][] = [
    ['params_align', ERROR_INPUT, (_h, c) => (c.params += 8n)],
    ['params_bound', ERROR_INPUT, (_h, c) => (c.params = NOT_DELEGABLE)],
    ['params_pas', ERROR_INPUT, (h, c) => (c.params = h.delegated())],
    ['rec_align', ERROR_INPUT, (_h, c) => (c.rec += 8n)],
    ['rec_bound', ERROR_INPUT, (_h, c) => (c.rec = NOT_DELEGABLE)],
    ['rec_state', ERROR_INPUT, (h, c) => (c.rec = h.granule())],
    ['rd_align', ERROR_INPUT, (_h, c) => (c.rd += 8n)],
    ['rd_bound', ERROR_INPUT, (_h, c) => (c.rd = NOT_DELEGABLE)],
    ['rd_state', ERROR_INPUT, (h, c) => (c.rd = h.delegated())],
    ['realm_state', ERROR_REALM, (h, c) => h.call(RMI.REALM_ACTIVATE, c.rd)],
    ['mpidr_index', ERROR_INPUT, (h, c) => h.write64(c.params + 0x100n, 1n)],
    ['num_aux', ERROR_INPUT, (h, c) => h.write64(c.params + 0x800n, 1n)],
    ['aux_align', ERROR_INPUT, (h, c) => h.write64(c.params + 0x810n, c.aux[1] + 0x10n)],
    ['aux_alias: two equal', ERROR_INPUT, (h, c) => h.write64(c.params + 0x810n, c.aux[0])],
    ['aux_alias: equal to rec', ERROR_INPUT, (h, c) => h.write64(c.params + 0x810n, c.rec)],
    ['aux_state', ERROR_INPUT, (h, c) => h.write64(c.params + 0x810n, h.granule())],
  ];
  for (const [name, status, spoil] of rows) {
    it(name, () => {
      const h = new RmiHost();
      const c = recCase(h, createRealm(h).rd);
      spoil(h, c);
      expect(create(h, c)).toMatchObject({ status, index: 0 });
      expect(h.m.rme!.rmm.ctx.recs.size).toBe(0);
    });
  }
  it('num_recs: the realm already has 2^MAX_RECS_ORDER - 1 RECs', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    const max = Number((h.call(RMI.FEATURES, 0n).x[1] >> 38n) & 0xfn);
    for (let i = 0; i < (1 << max) - 1; i++) {
      const mpidr = BigInt(i & 0xf) | (BigInt(i >> 4) << 8n);
      expect(create(h, recCase(h, rd, { 0x100: mpidr, 0x0: 0n })).status).toBe(SUCCESS);
    }
    const n = (1 << max) - 1;
    expect(create(h, recCase(h, rd, { 0x100: BigInt(n & 0xf) | (BigInt(n >> 4) << 8n) }))).toMatchObject({ status: ERROR_REALM, index: 0 });
  });
});

describe('RMI_REC_CREATE success', () => {
  it('makes the REC and its aux granules, counts it, and measures a runnable REC', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    const ctx = h.m.rme!.rmm.ctx;
    const realm = ctx.realms.get(rd)!;
    const rimBefore = realm.measurements[0].slice();
    const c = recCase(h, rd);
    expect(create(h, c).status).toBe(SUCCESS);
    expect(ctx.granules.state(c.rec)).toBe(GranuleState.Rec);
    expect(c.aux.map((a) => ctx.granules.state(a))).toEqual([GranuleState.RecAux, GranuleState.RecAux]);
    expect(realm.recIndex).toBe(1n);
    expect(realm.numRecs).toBe(1n);
    const rec = ctx.recs.get(c.rec)!;
    expect(rec).toMatchObject({ owner: rd, runnable: true, pc: 0x8000_0000n, mpidr: 0n });
    expect(rec.gprs.slice(0, 9)).toEqual([0x11n, 0n, 0n, 0n, 0n, 0n, 0n, 0x77n, 0n]);
    // RIM: RmmMeasurementDescriptorRec over RHA(flags, pc, gprs only) (B4.3.12.4)
    const image = new Uint8Array(0x1000);
    const dv = new DataView(image.buffer);
    dv.setBigUint64(0, 1n, true); dv.setBigUint64(0x200, 0x8000_0000n, true); dv.setBigUint64(0x300, 0x11n, true); dv.setBigUint64(0x338, 0x77n, true);
    const desc = new Uint8Array(0x100);
    const dd = new DataView(desc.buffer);
    dd.setUint8(0, 1); dd.setBigUint64(8, 0x100n, true);
    desc.set(rimBefore, 0x10);
    desc.set(createHash('sha256').update(image).digest(), 0x50);
    const expected = new Uint8Array(64);
    expected.set(createHash('sha256').update(desc).digest());
    expect(realm.measurements[0]).toEqual(expected);
  });
  it('a REC that is not runnable leaves the RIM alone', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    const realm = h.m.rme!.rmm.ctx.realms.get(rd)!;
    const rim = realm.measurements[0].slice();
    expect(create(h, recCase(h, rd, { 0x0: 0n })).status).toBe(SUCCESS);
    expect(realm.measurements[0]).toEqual(rim);
  });
});

describe('RMI_REC_DESTROY (B4.3.13)', () => {
  it('rec_align, rec_bound, rec_gran_state', () => {
    const h = new RmiHost();
    const c = recCase(h, createRealm(h).rd);
    expect(create(h, c).status).toBe(SUCCESS);
    expect(h.call(RMI.REC_DESTROY, c.rec + 8n).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.REC_DESTROY, NOT_DELEGABLE).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.REC_DESTROY, c.aux[0]).status).toBe(ERROR_INPUT);
  });
  it('rec_state: a running REC', () => {
    const h = new RmiHost();
    const c = recCase(h, createRealm(h).rd);
    expect(create(h, c).status).toBe(SUCCESS);
    // Only RMI_REC_ENTER runs a REC; stand in for a second PE inside it
    const rec = h.m.rme!.rmm.ctx.recs.get(c.rec)!;
    rec.state = 'REC_RUNNING' as typeof rec.state;
    expect(h.call(RMI.REC_DESTROY, c.rec)).toMatchObject({ status: ERROR_REC, index: 0 });
  });
  it('success: REC and aux back to DELEGATED, the realm no longer live', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    const c = recCase(h, rd);
    expect(create(h, c).status).toBe(SUCCESS);
    expect(h.call(RMI.REC_DESTROY, c.rec).status).toBe(SUCCESS);
    const ctx = h.m.rme!.rmm.ctx;
    expect([c.rec, ...c.aux].map((g) => ctx.granules.state(g))).toEqual(Array(3).fill(GranuleState.Delegated));
    expect(ctx.realms.get(rd)!.numRecs).toBe(0n);
    expect(ctx.realms.get(rd)!.recIndex).toBe(1n);
    expect(h.call(RMI.REALM_DESTROY, rd).status).toBe(SUCCESS);
  });
});

describe('RMI_PSCI_COMPLETE failure conditions (B4.3.7.2)', () => {
  function two(h: RmiHost, targetRunnable = false) {
    const { rd } = createRealm(h);
    const a = recCase(h, rd), b = recCase(h, rd, { 0x100: 1n, 0x0: targetRunnable ? 1n : 0n });
    expect(create(h, a).status).toBe(SUCCESS);
    expect(create(h, b).status).toBe(SUCCESS);
    const recs = h.m.rme!.rmm.ctx.recs;
    // The realm's PSCI_CPU_ON(target MPIDR 1) left pending by a REC exit
    recs.get(a.rec)!.psciPending = true;
    recs.get(a.rec)!.gprs[1] = 1n;
    return { rd, calling: a.rec, target: b.rec, recs };
  }
  it('alias', () => {
    const h = new RmiHost();
    const t = two(h);
    expect(h.call(RMI.PSCI_COMPLETE, t.calling, t.calling, 0n).status).toBe(ERROR_INPUT);
  });
  it('calling_align, calling_bound, calling_state', () => {
    const h = new RmiHost();
    const t = two(h);
    expect(h.call(RMI.PSCI_COMPLETE, t.calling + 8n, t.target, 0n).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.PSCI_COMPLETE, NOT_DELEGABLE, t.target, 0n).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.PSCI_COMPLETE, t.rd, t.target, 0n).status).toBe(ERROR_INPUT);
  });
  it('target_align, target_bound, target_state', () => {
    const h = new RmiHost();
    const t = two(h);
    expect(h.call(RMI.PSCI_COMPLETE, t.calling, t.target + 8n, 0n).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.PSCI_COMPLETE, t.calling, NOT_DELEGABLE, 0n).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.PSCI_COMPLETE, t.calling, t.rd, 0n).status).toBe(ERROR_INPUT);
  });
  it('pending', () => {
    const h = new RmiHost();
    const t = two(h);
    t.recs.get(t.calling)!.psciPending = false;
    expect(h.call(RMI.PSCI_COMPLETE, t.calling, t.target, 0n).status).toBe(ERROR_INPUT);
  });
  it('owner', () => {
    const h = new RmiHost();
    const t = two(h);
    const other = createRealm(h, {}, 2n);
    const c = recCase(h, other.rd);
    expect(create(h, c).status).toBe(SUCCESS);
    t.recs.get(t.calling)!.gprs[1] = 0n; // the other realm's REC has MPIDR 0
    expect(h.call(RMI.PSCI_COMPLETE, t.calling, c.rec, 0n).status).toBe(ERROR_INPUT);
  });
  it('target', () => {
    const h = new RmiHost();
    const t = two(h);
    t.recs.get(t.calling)!.gprs[1] = 2n;
    expect(h.call(RMI.PSCI_COMPLETE, t.calling, t.target, 0n).status).toBe(ERROR_INPUT);
  });
  it('status: PSCI_DENIED for a runnable target', () => {
    const h = new RmiHost();
    const t = two(h, true);
    expect(h.call(RMI.PSCI_COMPLETE, t.calling, t.target, BigInt.asUintN(64, -3n)).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.PSCI_COMPLETE, t.calling, t.target, 0n).status).toBe(SUCCESS);
  });
  it('status: not a PSCI return code; PSCI_DENIED for a target that is not runnable succeeds and clears the request', () => {
    const h = new RmiHost();
    const t = two(h);
    expect(h.call(RMI.PSCI_COMPLETE, t.calling, t.target, 5n).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.PSCI_COMPLETE, t.calling, t.target, BigInt.asUintN(64, -3n)).status).toBe(SUCCESS);
    expect(t.recs.get(t.calling)!.psciPending).toBe(false);
  });
});
