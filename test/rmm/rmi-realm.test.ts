// RMI_REALM_CREATE, RMI_REALM_ACTIVATE, RMI_REALM_DESTROY (RMM B4.3.9, B4.3.8, B4.3.10): one row per
// failure condition that breaks only that condition, and the success effects.
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { RmiHost, RMI, SUCCESS, ERROR_INPUT, ERROR_REALM, realmParams, createRealm, rttsTo } from '../helpers/rmi.js';
import { Gpi } from '../../firmware/el3/gpt.js';
import { GranuleState } from '../../firmware/rmm/granule.js';
import { RealmState } from '../../firmware/rmm/realm.js';

const NOT_DELEGABLE = 0x1000_0000n;

interface CreateCase {
  rd: bigint;
  params: bigint;
}

/** A valid REALM_CREATE whose inputs `breakIt` then spoils in exactly one way. */
function create(h: RmiHost, over: Record<number, bigint> = {}, tweak?: (c: CreateCase, rtt: bigint) => void) {
  const rtt = h.granules(2);
  h.call(RMI.GRANULE_DELEGATE, rtt);
  h.call(RMI.GRANULE_DELEGATE, rtt + 0x1000n);
  const c: CreateCase = { rd: h.delegated(), params: 0n };
  c.params = h.page(realmParams(rtt, over));
  tweak?.(c, rtt);
  return h.call(RMI.REALM_CREATE, c.rd, c.params);
}

describe('RMI_REALM_CREATE failure conditions (B4.3.9.2), in spec order', () => {
  const rows: [string, (h: RmiHost) => ReturnType<typeof create>][] = [
    ['params_align', (h) => create(h, {}, (c) => (c.params += 8n))],
    ['params_bound', (h) => create(h, {}, (c) => (c.params = NOT_DELEGABLE))],
    ['params_pas', (h) => create(h, {}, (c) => (c.params = h.delegated()))],
    ['params_valid: flags SBZ bit', (h) => create(h, { 0x0: 1n << 3n })],
    ['params_valid: hash_algo reserved', (h) => create(h, { 0x30: 2n })],
    ['params_valid: s2sz slot upper bytes', (h) => create(h, { 0x8: 40n | (1n << 8n) })],
    ['params_valid: reserved byte', (h) => create(h, { 0x100: 1n })],
    ['params_supp: s2sz above RmiFeatureRegister0.S2SZ', (h) => create(h, { 0x8: 49n, 0x810: 0n, 0x818: 2n })],
    ['params_supp: s2sz below 32', (h) => create(h, { 0x8: 31n, 0x818: 1n })],
    ['params_supp: LPA2 not offered', (h) => create(h, { 0x0: 1n })],
    ['params_supp: SVE not offered', (h) => create(h, { 0x0: 2n })],
    ['params_supp: PMU not offered', (h) => create(h, { 0x0: 4n })],
    ['params_supp: num_bps 0', (h) => create(h, { 0x18: 0n })],
    ['params_supp: num_wps above the platform', (h) => create(h, { 0x20: 0xffn })],
    ['alias: rd is a starting RTT', (h) => create(h, {}, (c, rtt) => (c.rd = rtt + 0x1000n))],
    ['rd_align', (h) => create(h, {}, (c) => (c.rd += 0x10n))],
    ['rd_bound', (h) => create(h, {}, (c) => (c.rd = NOT_DELEGABLE))],
    ['rd_state', (h) => create(h, {}, (c) => (c.rd = h.granule()))],
    ['rtt_align', (h) => create(h, {}, (c, rtt) => h.write64(c.params + 0x808n, rtt + 0x1000n))],
    ['rtt_num_level: count wrong for the width', (h) => create(h, { 0x818: 1n })],
    ['rtt_num_level: starting level too deep for the width', (h) => create(h, { 0x810: 3n, 0x818: 1n })],
    ['rtt_state: an RTT not delegated', (h) => create(h, {}, (_c, rtt) => h.call(RMI.GRANULE_UNDELEGATE, rtt + 0x1000n))],
    ['vmid_valid: VMID in use', (h) => { createRealm(h, {}, 7n); return create(h, { 0x800: 7n }); }],
  ];
  for (const [name, run] of rows) {
    it(name, () => {
      const h = new RmiHost();
      expect(run(h)).toMatchObject({ status: ERROR_INPUT, index: 0 });
      expect(h.m.rme!.rmm.ctx.realms.size).toBe(name.startsWith('vmid') ? 1 : 0);
    });
  }
  it('vmid_valid: VMID beyond the platform VMID width', () => {
    const h = new RmiHost();
    const bits = h.m.rme!.rmm.ctx.platform.vmidBits;
    expect(create(h, { 0x800: bits === 16 ? 0xffffn : 0x100n }).status).toBe(bits === 16 ? SUCCESS : ERROR_INPUT);
  });
});

describe('RMI_REALM_CREATE success', () => {
  it('makes the RD and the starting RTTs, all Protected IPAs UNASSIGNED/EMPTY and Unprotected UNASSIGNED_NS', () => {
    const h = new RmiHost();
    const { rd, rtt } = createRealm(h, { 0x400: 0x1122n }, 9n);
    const ctx = h.m.rme!.rmm.ctx;
    expect(ctx.granules.state(rd)).toBe(GranuleState.Rd);
    expect(ctx.granules.state(rtt)).toBe(GranuleState.Rtt);
    expect(ctx.granules.state(rtt + 0x1000n)).toBe(GranuleState.Rtt);
    const realm = ctx.realms.get(rd)!;
    expect(realm).toMatchObject({ state: RealmState.New, ipaWidth: 40, rttLevelStart: 1, rttNumStart: 2, vmid: 9, recIndex: 0n, numRecs: 0n });
    expect(realm.rpv[0]).toBe(0x22);
    // READ_ENTRY: X1 level, X2 state, X3 desc, X4 ripas
    expect(h.call(RMI.RTT_READ_ENTRY, rd, 0x40_0000_0000n, 1n).x.slice(1, 5)).toEqual([1n, 0n, 0n, 0n]);
    expect(h.call(RMI.RTT_READ_ENTRY, rd, 0x80_0000_0000n, 1n).x.slice(1, 5)).toEqual([1n, 0n, 0n, 0n]);
    // The RTTs stay out of the host's reach
    expect(h.m.gpcProbe(rtt, 1, 1) & 0xff).toBe(1);
    expect(h.m.rme!.gpt.gpi(rtt)).toBe(Gpi.Realm);
  });
  it('RIM = RHA(params with only flags..hash_algo kept), SHA-256 and SHA-512', () => {
    for (const [algo, name] of [[0n, 'sha256'], [1n, 'sha512']] as const) {
      const h = new RmiHost();
      const { rd } = createRealm(h, { 0x30: algo, 0x400: 0xabn });
      const image = new Uint8Array(0x1000);
      const dv = new DataView(image.buffer);
      dv.setBigUint64(0x8, 40n, true); dv.setBigUint64(0x18, 1n, true); dv.setBigUint64(0x20, 1n, true); dv.setBigUint64(0x30, algo, true);
      const expected = new Uint8Array(64);
      expected.set(createHash(name).update(image).digest());
      expect(h.m.rme!.rmm.ctx.realms.get(rd)!.measurements[0]).toEqual(expected);
    }
  });
});

describe('RMI_REALM_ACTIVATE (B4.3.8)', () => {
  it('rd_align, rd_bound, rd_state', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    expect(h.call(RMI.REALM_ACTIVATE, rd + 8n).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.REALM_ACTIVATE, NOT_DELEGABLE).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.REALM_ACTIVATE, h.delegated()).status).toBe(ERROR_INPUT);
  });
  it('realm_state, and success', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    expect(h.call(RMI.REALM_ACTIVATE, rd).status).toBe(SUCCESS);
    expect(h.m.rme!.rmm.ctx.realms.get(rd)!.state).toBe(RealmState.Active);
    expect(h.call(RMI.REALM_ACTIVATE, rd)).toMatchObject({ status: ERROR_REALM, index: 0 });
  });
});

describe('RMI_REALM_DESTROY (B4.3.10)', () => {
  it('rd_align, rd_bound, rd_state', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    expect(h.call(RMI.REALM_DESTROY, rd + 8n).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.REALM_DESTROY, NOT_DELEGABLE).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.REALM_DESTROY, h.delegated()).status).toBe(ERROR_INPUT);
  });
  it('realm_live: a starting RTT with a TABLE entry', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    const [l2] = rttsTo(h, rd, 0n, 2);
    expect(h.call(RMI.REALM_DESTROY, rd)).toMatchObject({ status: ERROR_REALM, index: 0 });
    expect(h.call(RMI.RTT_DESTROY, rd, 0n, 2n).x[1]).toBe(l2);
    expect(h.call(RMI.REALM_DESTROY, rd).status).toBe(SUCCESS);
  });
  it('realm_live: a REC', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    const rec = h.delegated();
    const aux = [h.delegated(), h.delegated()];
    const params = h.page({ 0x800: 2n, 0x808: aux[0], 0x810: aux[1] });
    expect(h.call(RMI.REC_CREATE, rd, rec, params).status).toBe(SUCCESS);
    expect(h.call(RMI.REALM_DESTROY, rd).status).toBe(ERROR_REALM);
  });
  it('success: the RD and RTTs back to DELEGATED, scrubbed, the VMID free again', () => {
    const h = new RmiHost();
    const { rd, rtt } = createRealm(h, {}, 5n);
    expect(h.call(RMI.REALM_DESTROY, rd).status).toBe(SUCCESS);
    const ctx = h.m.rme!.rmm.ctx;
    for (const g of [rd, rtt, rtt + 0x1000n]) {
      expect(ctx.granules.state(g)).toBe(GranuleState.Delegated);
      expect(h.call(RMI.GRANULE_UNDELEGATE, g).status).toBe(SUCCESS);
      expect(h.m.readPhysical(g, 0x1000)!.every((b) => b === 0)).toBe(true);
    }
    expect(ctx.vmids.has(5)).toBe(false);
    createRealm(h, {}, 5n);
  });
});
