// RMI_DATA_CREATE, RMI_DATA_CREATE_UNKNOWN, RMI_DATA_DESTROY (RMM B4.3.1, B4.3.2, B4.3.3): one row per
// failure condition in spec order, the success effects, and the RIM extension against node:crypto.
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { RmiHost, RMI, SUCCESS, ERROR_INPUT, ERROR_REALM, ERROR_RTT, createRealm, rttsTo } from '../helpers/rmi.js';
import { GranuleState } from '../../firmware/rmm/granule.js';

const NOT_DELEGABLE = 0x1000_0000n;
const IPA = 0x20_0000n; // in the level-3 RTT the fixture creates (IPA 0x20_0000-0x3F_FFFF)
const UNPROTECTED = 0x80_0000_0000n;

interface DataCase {
  rd: bigint;
  data: bigint;
  ipa: bigint;
  src: bigint;
  flags: bigint;
}

function fixture(h: RmiHost): DataCase {
  const { rd } = createRealm(h);
  rttsTo(h, rd, IPA, 3);
  const src = h.page({ 0x0: 0x1122_3344_5566_7788n, 0xff8: 0xaan });
  return { rd, data: h.delegated(), ipa: IPA, src, flags: 1n };
}

const create = (h: RmiHost, c: DataCase) => h.call(RMI.DATA_CREATE, c.rd, c.data, c.ipa, c.src, c.flags);
const createUnknown = (h: RmiHost, c: DataCase) => h.call(RMI.DATA_CREATE_UNKNOWN, c.rd, c.data, c.ipa);

// The conditions DATA_CREATE and DATA_CREATE_UNKNOWN share, after DATA_CREATE's src_* (B4.3.1.2, B4.3.2.2)
const shared: [string, number, number, (h: RmiHost, c: DataCase) => void][] = [
  ['data_align', ERROR_INPUT, 0, (_h, c) => (c.data += 8n)],
  ['data_bound', ERROR_INPUT, 0, (_h, c) => (c.data = NOT_DELEGABLE)],
  ['data_state', ERROR_INPUT, 0, (h, c) => (c.data = h.granule())],
  ['rd_align', ERROR_INPUT, 0, (_h, c) => (c.rd += 8n)],
  ['rd_bound', ERROR_INPUT, 0, (_h, c) => (c.rd = NOT_DELEGABLE)],
  ['rd_state', ERROR_INPUT, 0, (h, c) => (c.rd = h.delegated())],
  ['ipa_align', ERROR_INPUT, 0, (_h, c) => (c.ipa += 0x10n)],
  ['ipa_bound: Unprotected', ERROR_INPUT, 0, (_h, c) => (c.ipa = UNPROTECTED)],
  ['ipa_bound: outside the IPA space', ERROR_INPUT, 0, (_h, c) => (c.ipa = 1n << 40n)],
];
// ... and after realm_state (DATA_CREATE only)
const walkRows: [string, number, number, (h: RmiHost, c: DataCase) => void][] = [
  ['rtt_walk: no level-3 RTT (walk ends at level 2)', ERROR_RTT, 2, (_h, c) => (c.ipa = 0x40_0000n)],
  ['rtt_walk: no level-2 RTT (walk ends at level 1)', ERROR_RTT, 1, (_h, c) => (c.ipa = 0x4000_0000n)],
  ['rtte_state: already ASSIGNED', ERROR_RTT, 3, (h, c) => {
    const other = { ...c, data: h.delegated() };
    expect(createUnknown(h, other).status).toBe(SUCCESS);
  }],
];

describe('RMI_DATA_CREATE failure conditions (B4.3.1.2), in spec order', () => {
  const rows: typeof shared = [
    ['src_align', ERROR_INPUT, 0, (_h, c) => (c.src += 8n)],
    ['src_bound', ERROR_INPUT, 0, (_h, c) => (c.src = NOT_DELEGABLE)],
    ['src_pas: a delegated source', ERROR_INPUT, 0, (h, c) => (c.src = h.delegated())],
    ...shared,
    ['realm_state', ERROR_REALM, 0, (h, c) => h.call(RMI.REALM_ACTIVATE, c.rd)],
    ...walkRows,
  ];
  for (const [name, status, index, spoil] of rows) {
    it(name, () => {
      const h = new RmiHost();
      const c = fixture(h);
      spoil(h, c);
      const data = c.data;
      expect(create(h, c)).toMatchObject({ status, index });
      if (name !== 'data_state') expect(h.m.rme!.rmm.ctx.granules.state(data)).not.toBe(GranuleState.Data);
    });
  }
  it('data_bound2 cannot arise: no delegable PA is at or above 2^48 on this board', () => {
    const h = new RmiHost();
    expect(h.m.rme!.rmm.ctx.platform.isDelegable(1n << 48n)).toBe(false);
  });
});

describe('RMI_DATA_CREATE_UNKNOWN failure conditions (B4.3.2.2), in spec order', () => {
  for (const [name, status, index, spoil] of [...shared, ...walkRows]) {
    it(name, () => {
      const h = new RmiHost();
      const c = fixture(h);
      spoil(h, c);
      expect(createUnknown(h, c)).toMatchObject({ status, index });
    });
  }
  it('no realm_state condition: allowed in REALM_ACTIVE', () => {
    const h = new RmiHost();
    const c = fixture(h);
    h.call(RMI.REALM_ACTIVATE, c.rd);
    expect(createUnknown(h, c).status).toBe(SUCCESS);
  });
});

describe('RMI_DATA_CREATE success', () => {
  it('copies the NS source into a DATA granule mapped at the IPA with RIPAS RAM, and extends the RIM', () => {
    for (const [flags, algo, name] of [[1n, 0n, 'sha256'], [0n, 1n, 'sha512']] as const) {
      const h = new RmiHost();
      const { rd } = createRealm(h, { 0x30: algo });
      rttsTo(h, rd, IPA, 3);
      const c: DataCase = { rd, data: h.delegated(), ipa: IPA, src: h.page({ 0x0: 0x1122_3344_5566_7788n, 0xff8: 0xaan }), flags };
      const realm = h.m.rme!.rmm.ctx.realms.get(rd)!;
      const rim = realm.measurements[0].slice();
      expect(create(h, c).status).toBe(SUCCESS);
      expect(h.m.rme!.rmm.ctx.granules.state(c.data)).toBe(GranuleState.Data);
      const content = h.m.readPhysical(c.src, 0x1000)!;
      // The host cannot read the DATA granule; the RMM's Realm view holds the copy
      expect(h.m.gpcProbe(c.data, 1, 1) & 0xff).toBe(1);
      expect(h.m.readPhysical(c.data, 0x1000)).toEqual(content);
      // READ_ENTRY: level 3, ASSIGNED, desc = the PA, RIPAS RAM
      expect(h.call(RMI.RTT_READ_ENTRY, rd, IPA, 3n).x.slice(1, 5)).toEqual([3n, 1n, c.data, 1n]);
      const desc = new Uint8Array(0x100);
      const dv = new DataView(desc.buffer);
      dv.setBigUint64(0x8, 0x100n, true);
      desc.set(rim, 0x10);
      dv.setBigUint64(0x50, IPA, true);
      dv.setBigUint64(0x58, flags, true);
      if (flags === 1n) desc.set(createHash(name).update(content).digest(), 0x60);
      const expected = new Uint8Array(64);
      expected.set(createHash(name).update(desc).digest());
      expect(realm.measurements[0]).toEqual(expected);
    }
  });
  it('the stage-2 descriptor is a valid page mapping of the DATA granule in the Realm PAS', () => {
    const h = new RmiHost();
    const c = fixture(h);
    expect(create(h, c).status).toBe(SUCCESS);
    const l3 = h.call(RMI.RTT_READ_ENTRY, c.rd, IPA, 2n).x[3];
    const d = h.m.rme!.rmm.ctx.mem.read64(l3 + ((IPA >> 12n) & 511n) * 8n, 3) as bigint;
    expect(d & 3n).toBe(3n); // valid page
    expect(d & 0xffff_ffff_f000n).toBe(c.data);
    expect((d >> 55n) & 1n).toBe(0n); // NS = 0: Realm PA space
    expect((d >> 10n) & 1n).toBe(1n); // AF
  });
});

describe('RMI_DATA_CREATE_UNKNOWN success', () => {
  it('maps a scrubbed DATA granule and leaves RIPAS as it was', () => {
    const h = new RmiHost();
    const c = fixture(h);
    h.m.rme!.rmm.ctx.mem.write64(c.data, 0x5555n, 3); // stale content in the delegated granule
    const rim = h.m.rme!.rmm.ctx.realms.get(c.rd)!.measurements[0].slice();
    expect(createUnknown(h, c).status).toBe(SUCCESS);
    expect(h.call(RMI.RTT_READ_ENTRY, c.rd, IPA, 3n).x.slice(1, 5)).toEqual([3n, 1n, c.data, 0n]);
    expect(h.m.readPhysical(c.data, 0x1000)!.every((b) => b === 0)).toBe(true);
    expect(h.m.rme!.rmm.ctx.realms.get(c.rd)!.measurements[0]).toEqual(rim);
  });
});

describe('RMI_DATA_DESTROY (B4.3.3)', () => {
  const rows: [string, number, number, (h: RmiHost, c: DataCase) => void][] = [
    ['rd_align', ERROR_INPUT, 0, (_h, c) => (c.rd += 8n)],
    ['rd_bound', ERROR_INPUT, 0, (_h, c) => (c.rd = NOT_DELEGABLE)],
    ['rd_state', ERROR_INPUT, 0, (h, c) => (c.rd = h.delegated())],
    ['ipa_align', ERROR_INPUT, 0, (_h, c) => (c.ipa += 8n)],
    ['ipa_bound', ERROR_INPUT, 0, (_h, c) => (c.ipa = UNPROTECTED)],
  ];
  for (const [name, status, index, spoil] of rows) {
    it(name, () => {
      const h = new RmiHost();
      const c = fixture(h);
      expect(create(h, c).status).toBe(SUCCESS);
      spoil(h, c);
      const r = h.call(RMI.DATA_DESTROY, c.rd, c.ipa);
      expect(r).toMatchObject({ status, index });
    });
  }
  it('rtt_walk: top is the next live entry of the RTT where the walk stopped', () => {
    const h = new RmiHost();
    const c = fixture(h);
    expect(create(h, c).status).toBe(SUCCESS);
    // Level-2 RTT: the entry at 0x20_0000 is a TABLE (live), the rest unassigned
    expect(h.call(RMI.DATA_DESTROY, c.rd, 0x40_0000n)).toMatchObject({ status: ERROR_RTT, index: 2 });
    expect(h.call(RMI.DATA_DESTROY, c.rd, 0x40_0000n).x[2]).toBe(0x4000_0000n);
    expect(h.call(RMI.DATA_DESTROY, c.rd, 0n).x[2]).toBe(0x20_0000n);
  });
  it('rtte_state: top skips the unassigned entries', () => {
    const h = new RmiHost();
    const c = fixture(h);
    expect(create(h, c).status).toBe(SUCCESS);
    const r = h.call(RMI.DATA_DESTROY, c.rd, IPA + 0x1000n);
    expect(r).toMatchObject({ status: ERROR_RTT, index: 3 });
    expect(r.x[2]).toBe(IPA + 0x20_0000n);
  });
  it('success: the granule back to DELEGATED scrubbed, RIPAS RAM -> DESTROYED, X1 data, X2 top', () => {
    const h = new RmiHost();
    const c = fixture(h);
    expect(create(h, c).status).toBe(SUCCESS);
    const second = { ...c, data: h.delegated(), ipa: IPA + 0x5000n };
    expect(createUnknown(h, second).status).toBe(SUCCESS);
    const r = h.call(RMI.DATA_DESTROY, c.rd, IPA);
    expect(r.status).toBe(SUCCESS);
    expect(r.x.slice(1, 3)).toEqual([c.data, IPA + 0x5000n]);
    expect(h.m.rme!.rmm.ctx.granules.state(c.data)).toBe(GranuleState.Delegated);
    expect(h.m.readPhysical(c.data, 0x1000)!.every((b) => b === 0)).toBe(true);
    expect(h.call(RMI.RTT_READ_ENTRY, c.rd, IPA, 3n).x.slice(1, 5)).toEqual([3n, 0n, 0n, 2n]);
    // EMPTY stays EMPTY
    expect(h.call(RMI.DATA_DESTROY, c.rd, second.ipa).x.slice(0, 3)).toEqual([0n, second.data, IPA + 0x20_0000n]);
    expect(h.call(RMI.RTT_READ_ENTRY, c.rd, second.ipa, 3n).x[4]).toBe(0n);
  });
});
