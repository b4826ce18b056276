// The RTT commands (RMM B4.3.15-B4.3.22): one row per failure condition in spec order, and the success
// effects (unfold, fold, destroy, host view, Unprotected mappings, RIPAS and its measurement).
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { RmiHost, RMI, SUCCESS, ERROR_INPUT, ERROR_REALM, ERROR_REC, ERROR_RTT, createRealm, rttsTo, type RmiReturn } from '../helpers/rmi.js';
import { GranuleState } from '../../firmware/rmm/granule.js';

const NOT_DELEGABLE = 0x1000_0000n;
const UNPROTECTED = 0x80_0000_0000n; // 2^39: the realm's IPA width is 40
const NS_PAGE = 0x8050_0000n;
const DESC_RW_WB = NS_PAGE | (0b110n << 2n) | (0b11n << 6n);

type Row = [string, number, number, (h: RmiHost, a: bigint[]) => void];

function run(rows: Row[], fid: number, setup: (h: RmiHost) => bigint[]) {
  for (const [name, status, index, spoil] of rows) {
    it(name, () => {
      const h = new RmiHost();
      const args = setup(h);
      spoil(h, args);
      expect(h.call(fid, ...args)).toMatchObject({ status, index });
    });
  }
}

const rdRows = (i = 0): Row[] => [
  ['rd_align', ERROR_INPUT, 0, (_h, a) => (a[i] += 8n)],
  ['rd_bound', ERROR_INPUT, 0, (_h, a) => (a[i] = NOT_DELEGABLE)],
  ['rd_state', ERROR_INPUT, 0, (h, a) => (a[i] = h.delegated())],
];

describe('RMI_RTT_CREATE failure conditions (B4.3.15.2)', () => {
  // args: rd, rtt, ipa, level
  run([
    ...rdRows(),
    ['level_bound: the starting level', ERROR_INPUT, 0, (_h, a) => (a[3] = 1n)],
    ['level_bound: below level 3', ERROR_INPUT, 0, (_h, a) => (a[3] = 4n)],
    ['ipa_align', ERROR_INPUT, 0, (_h, a) => (a[2] = 0x20_0000n)],
    ['ipa_bound', ERROR_INPUT, 0, (_h, a) => (a[2] = 1n << 40n)],
    ['rtt_align', ERROR_INPUT, 0, (_h, a) => (a[1] += 8n)],
    ['rtt_bound', ERROR_INPUT, 0, (_h, a) => (a[1] = NOT_DELEGABLE)],
    ['rtt_state', ERROR_INPUT, 0, (h, a) => (a[1] = h.granule())],
    ['rtt_walk: no level-2 RTT for a level-3 one', ERROR_RTT, 1, (_h, a) => (a[3] = 3n)],
    ['rtte_state: the RTT exists', ERROR_RTT, 1, (h, a) => rttsTo(h, a[0], a[2], 2)],
  ], RMI.RTT_CREATE, (h) => [createRealm(h).rd, h.delegated(), 0x4000_0000n, 2n]);
  it('rtt_bound2 cannot arise: no delegable PA is at or above 2^48 on this board', () => {
    expect(new RmiHost().m.rme!.rmm.ctx.platform.isDelegable(1n << 48n)).toBe(false);
  });
});

describe('RMI_RTT_CREATE success', () => {
  it('makes the RTT, links it from the parent, and unfolds the parent entry into every child', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    const rtt = h.delegated();
    expect(h.call(RMI.RTT_CREATE, rd, rtt, 0x4000_0000n, 2n).status).toBe(SUCCESS);
    expect(h.m.rme!.rmm.ctx.granules.state(rtt)).toBe(GranuleState.Rtt);
    expect(h.call(RMI.RTT_READ_ENTRY, rd, 0x4000_0000n, 1n).x.slice(1, 5)).toEqual([1n, 2n, rtt, 0n]);
    expect(h.call(RMI.RTT_READ_ENTRY, rd, 0x4000_0000n + 511n * 0x20_0000n, 2n).x.slice(1, 5)).toEqual([2n, 0n, 0n, 0n]);
    // An Unprotected RTT unfolds UNASSIGNED_NS; a mapping at level 3 needs it
    rttsTo(h, rd, UNPROTECTED, 3);
    expect(h.call(RMI.RTT_MAP_UNPROTECTED, rd, UNPROTECTED + 0x1000n, 3n, DESC_RW_WB).status).toBe(SUCCESS);
  });
  it('an ASSIGNED_NS block unfolds into contiguous pages with the same attributes', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    rttsTo(h, rd, UNPROTECTED, 2);
    const block = 0x8060_0000n | (0b101n << 2n) | (0b01n << 6n);
    expect(h.call(RMI.RTT_MAP_UNPROTECTED, rd, UNPROTECTED, 2n, block).status).toBe(SUCCESS);
    const rtt = h.delegated();
    expect(h.call(RMI.RTT_CREATE, rd, rtt, UNPROTECTED, 3n).status).toBe(SUCCESS);
    expect(h.call(RMI.RTT_READ_ENTRY, rd, UNPROTECTED + 0x7000n, 3n).x.slice(1, 5)).toEqual([3n, 1n, 0x8060_7000n | (0b101n << 2n) | (0b01n << 6n), 0n]);
    // ... and folds back
    expect(h.call(RMI.RTT_FOLD, rd, UNPROTECTED, 3n).x.slice(0, 2)).toEqual([0n, rtt]);
    expect(h.call(RMI.RTT_READ_ENTRY, rd, UNPROTECTED, 3n).x.slice(1, 5)).toEqual([2n, 1n, block, 0n]);
  });
});

describe('RMI_RTT_DESTROY failure conditions (B4.3.16.2)', () => {
  // args: rd, ipa, level; the fixture has level-2 and level-3 RTTs at IPA 0
  const setup = (h: RmiHost) => { const { rd } = createRealm(h); rttsTo(h, rd, 0n, 3); return [rd, 0n, 3n]; };
  run([
    ...rdRows(),
    ['level_bound', ERROR_INPUT, 0, (_h, a) => (a[2] = 1n)],
    ['ipa_align', ERROR_INPUT, 0, (_h, a) => (a[1] = 0x1000n)],
    ['ipa_bound', ERROR_INPUT, 0, (_h, a) => (a[1] = 1n << 40n)],
    ['rtt_walk', ERROR_RTT, 1, (_h, a) => (a[1] = 0x4000_0000n)],
    ['rtte_state', ERROR_RTT, 2, (_h, a) => (a[1] = 0x20_0000n)],
    ['rtt_live: the level-2 RTT has a TABLE entry', ERROR_RTT, 2, (_h, a) => (a[2] = 2n)],
  ], RMI.RTT_DESTROY, setup);
  it('top: rtt_walk and rtte_state give the next live entry, rtt_live the ipa', () => {
    const h = new RmiHost();
    const [rd] = setup(h);
    // The walk stops in the starting RTTs, which hold nothing live after entry 0 (UNASSIGNED_NS is not live)
    expect(h.call(RMI.RTT_DESTROY, rd, 0x4000_0000n, 3n).x[2]).toBe(1n << 40n);
    expect(h.call(RMI.RTT_DESTROY, rd, 0x20_0000n, 3n).x[2]).toBe(0x4000_0000n);
    expect(h.call(RMI.RTT_DESTROY, rd, 0n, 2n).x[2]).toBe(0n);
  });
  it('success: the RTT back to DELEGATED, the parent UNASSIGNED with RIPAS DESTROYED, X1 rtt, X2 top', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    const [, l3] = rttsTo(h, rd, 0n, 3);
    expect(h.call(RMI.RTT_INIT_RIPAS, rd, 0n, 0x1000n).status).toBe(SUCCESS);
    const r = h.call(RMI.RTT_DESTROY, rd, 0n, 3n);
    expect(r.x.slice(0, 3)).toEqual([0n, l3, 0x4000_0000n]);
    expect(h.m.rme!.rmm.ctx.granules.state(l3)).toBe(GranuleState.Delegated);
    expect(h.call(RMI.RTT_READ_ENTRY, rd, 0n, 3n).x.slice(1, 5)).toEqual([2n, 0n, 0n, 2n]);
  });
});

describe('RMI_RTT_DESTROY of an Unprotected-range RTT (B4.3.16.3)', () => {
  it('the parent becomes UNASSIGNED with RIPAS DESTROYED, not UNASSIGNED_NS, so it takes no Unprotected mapping', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    const [, l3] = rttsTo(h, rd, UNPROTECTED, 3);
    // ASSIGNED_NS entries do not keep the RTT live (A5.5.8)
    expect(h.call(RMI.RTT_MAP_UNPROTECTED, rd, UNPROTECTED + 0x1000n, 3n, DESC_RW_WB).status).toBe(SUCCESS);
    const r = h.call(RMI.RTT_DESTROY, rd, UNPROTECTED, 3n);
    expect(r.x.slice(0, 2)).toEqual([0n, l3]);
    expect(h.m.rme!.rmm.ctx.granules.state(l3)).toBe(GranuleState.Delegated);
    // RMI_RTT_READ_ENTRY: level 2, RMI_UNASSIGNED, no desc, RIPAS DESTROYED (ripas_prot: the state is UNASSIGNED)
    expect(h.call(RMI.RTT_READ_ENTRY, rd, UNPROTECTED, 2n).x.slice(1, 5)).toEqual([2n, 0n, 0n, 2n]);
    // RTT_MAP_UNPROTECTED's rtte_state wants UNASSIGNED_NS: refused at the block level
    expect(h.call(RMI.RTT_MAP_UNPROTECTED, rd, UNPROTECTED, 2n, NS_PAGE & ~0x1f_ffffn)).toMatchObject({ status: ERROR_RTT, index: 2 });
    // A new RTT there unfolds the same UNASSIGNED entries (B4.3.15.3 rtte_c_state), still refusing the mapping
    expect(h.call(RMI.RTT_CREATE, rd, h.delegated(), UNPROTECTED, 3n).status).toBe(SUCCESS);
    expect(h.call(RMI.RTT_MAP_UNPROTECTED, rd, UNPROTECTED + 0x1000n, 3n, DESC_RW_WB)).toMatchObject({ status: ERROR_RTT, index: 3 });
  });
});

describe('RMI_RTT_FOLD failure conditions (B4.3.17.2)', () => {
  const setup = (h: RmiHost) => { const { rd } = createRealm(h); rttsTo(h, rd, 0n, 3); return [rd, 0n, 3n]; };
  run([
    ...rdRows(),
    ['level_bound', ERROR_INPUT, 0, (_h, a) => (a[2] = 1n)],
    ['ipa_align', ERROR_INPUT, 0, (_h, a) => (a[1] = 0x1000n)],
    ['ipa_bound', ERROR_INPUT, 0, (_h, a) => (a[1] = 1n << 40n)],
    ['rtt_walk', ERROR_RTT, 1, (_h, a) => (a[1] = 0x4000_0000n)],
    ['rtte_state', ERROR_RTT, 2, (_h, a) => (a[1] = 0x20_0000n)],
    ['rtt_homo: RIPAS differs', ERROR_RTT, 3, (h, a) => h.call(RMI.RTT_INIT_RIPAS, a[0], 0n, 0x1000n)],
    ['rtt_homo: ASSIGNED pages not all there', ERROR_RTT, 3, (h, a) => h.call(RMI.DATA_CREATE_UNKNOWN, a[0], h.delegated(), 0n)],
  ], RMI.RTT_FOLD, setup);
  it('success: a homogeneous UNASSIGNED RTT folds into its parent', () => {
    const h = new RmiHost();
    const [rd] = setup(h);
    expect(h.call(RMI.RTT_INIT_RIPAS, rd, 0n, 0x20_0000n).status).toBe(SUCCESS);
    const l3 = h.call(RMI.RTT_READ_ENTRY, rd, 0n, 2n).x[3];
    expect(h.call(RMI.RTT_FOLD, rd, 0n, 3n).x.slice(0, 2)).toEqual([0n, l3]);
    expect(h.call(RMI.RTT_READ_ENTRY, rd, 0n, 3n).x.slice(1, 5)).toEqual([2n, 0n, 0n, 1n]);
    expect(h.m.rme!.rmm.ctx.granules.state(l3)).toBe(GranuleState.Delegated);
  });
});

describe('RMI_RTT_READ_ENTRY failure conditions (B4.3.20.2)', () => {
  run([
    ...rdRows(),
    ['level_bound: above the starting level', ERROR_INPUT, 0, (_h, a) => (a[2] = 0n)],
    ['level_bound: below level 3', ERROR_INPUT, 0, (_h, a) => (a[2] = 4n)],
    ['ipa_align', ERROR_INPUT, 0, (_h, a) => (a[1] = 0x1000n)],
    ['ipa_bound', ERROR_INPUT, 0, (_h, a) => (a[1] = 1n << 40n)],
  ], RMI.RTT_READ_ENTRY, (h) => [createRealm(h).rd, 0n, 2n]);
  it('a walk that stops early is not an error: X1 is the level reached', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    expect(h.call(RMI.RTT_READ_ENTRY, rd, 0x1000n, 3n).x.slice(0, 5)).toEqual([0n, 1n, 0n, 0n, 0n]);
  });
});

describe('RMI_RTT_MAP_UNPROTECTED failure conditions (B4.3.19.2)', () => {
  // args: rd, ipa, level, desc
  const setup = (h: RmiHost) => { const { rd } = createRealm(h); rttsTo(h, rd, UNPROTECTED, 3); return [rd, UNPROTECTED, 3n, DESC_RW_WB]; };
  run([
    ['attr_valid: valid bit set', ERROR_INPUT, 0, (_h, a) => (a[3] |= 1n)],
    ['attr_valid: NS bit set', ERROR_INPUT, 0, (_h, a) => (a[3] |= 1n << 55n)],
    ['attr_valid: MemAttr 0b100', ERROR_INPUT, 0, (_h, a) => (a[3] = NS_PAGE | (0b100n << 2n))],
    ...rdRows(),
    ['level_bound', ERROR_INPUT, 0, (_h, a) => (a[2] = 0n)],
    ['addr_align', ERROR_INPUT, 0, (_h, a) => (a[2] = 2n)],
    ['ipa_align', ERROR_INPUT, 0, (_h, a) => (a[1] += 0x800n)],
    ['ipa_bound: Protected', ERROR_INPUT, 0, (_h, a) => (a[1] = 0x1000n)],
    ['ipa_bound: outside the IPA space', ERROR_INPUT, 0, (_h, a) => (a[1] = 1n << 40n)],
    ['rtt_walk', ERROR_RTT, 2, (_h, a) => (a[1] = UNPROTECTED + 0x20_0000n)],
    ['rtte_state: already mapped', ERROR_RTT, 3, (h, a) => h.call(RMI.RTT_MAP_UNPROTECTED, a[0], a[1], 3n, a[3])],
  ], RMI.RTT_MAP_UNPROTECTED, setup);
  it('addr_bound cannot arise: attr_valid already rejects an OA at or above 2^48', () => {
    const h = new RmiHost();
    const [rd, ipa] = setup(h);
    expect(h.call(RMI.RTT_MAP_UNPROTECTED, rd, ipa, 3n, 1n << 48n).status).toBe(ERROR_INPUT);
  });
  it('success: ASSIGNED_NS with the host attributes, a valid NS stage-2 descriptor', () => {
    const h = new RmiHost();
    const [rd, ipa, level, desc] = setup(h);
    expect(h.call(RMI.RTT_MAP_UNPROTECTED, rd, ipa, level, desc).status).toBe(SUCCESS);
    expect(h.call(RMI.RTT_READ_ENTRY, rd, ipa, 3n).x.slice(1, 5)).toEqual([3n, 1n, desc, 0n]);
    const l3 = h.call(RMI.RTT_READ_ENTRY, rd, ipa, 2n).x[3];
    const d = h.m.rme!.rmm.ctx.mem.read64(l3, 3) as bigint;
    expect(d & 3n).toBe(3n);
    expect((d >> 55n) & 1n).toBe(1n); // NS
    expect((d >> 54n) & 1n).toBe(1n); // XN: no instruction fetch from Unprotected IPAs (A5.2.6)
  });
});

describe('RMI_RTT_UNMAP_UNPROTECTED failure conditions (B4.3.22.2)', () => {
  const setup = (h: RmiHost) => {
    const { rd } = createRealm(h);
    rttsTo(h, rd, UNPROTECTED, 3);
    h.call(RMI.RTT_MAP_UNPROTECTED, rd, UNPROTECTED, 3n, DESC_RW_WB);
    return [rd, UNPROTECTED, 3n];
  };
  run([
    ...rdRows(),
    ['level_bound', ERROR_INPUT, 0, (_h, a) => (a[2] = 0n)],
    ['ipa_align', ERROR_INPUT, 0, (_h, a) => (a[1] += 0x800n)],
    ['ipa_bound', ERROR_INPUT, 0, (_h, a) => (a[1] = 0n)],
    ['rtt_walk', ERROR_RTT, 2, (_h, a) => (a[1] = UNPROTECTED + 0x20_0000n)],
    ['rtte_state', ERROR_RTT, 3, (_h, a) => (a[1] = UNPROTECTED + 0x1000n)],
  ], RMI.RTT_UNMAP_UNPROTECTED, setup);
  it('success: back to UNASSIGNED_NS, X1 top past the unmapped entry', () => {
    const h = new RmiHost();
    const [rd, ipa] = setup(h);
    expect(h.call(RMI.RTT_UNMAP_UNPROTECTED, rd, ipa, 3n).x.slice(0, 2)).toEqual([0n, UNPROTECTED + 0x20_0000n]);
    expect(h.call(RMI.RTT_READ_ENTRY, rd, ipa, 3n).x.slice(1, 5)).toEqual([3n, 0n, 0n, 0n]);
  });
});

describe('RMI_RTT_INIT_RIPAS failure conditions (B4.3.18.2)', () => {
  // args: rd, base, top; a level-3 RTT at IPA 0
  const setup = (h: RmiHost) => { const { rd } = createRealm(h); rttsTo(h, rd, 0n, 3); return [rd, 0n, 0x4000n]; };
  run([
    ...rdRows(),
    ['size_valid', ERROR_INPUT, 0, (_h, a) => (a[2] = a[1])],
    ['top_bound', ERROR_INPUT, 0, (_h, a) => (a[2] = UNPROTECTED + 0x1000n)],
    ['realm_state', ERROR_REALM, 0, (h, a) => h.call(RMI.REALM_ACTIVATE, a[0])],
    ['base_align: the walk ends at level 1 for an unaligned base', ERROR_RTT, 1, (_h, a) => { a[1] = 0x4000_1000n; a[2] = 0x4000_2000n; }],
    ['rtte_state: ASSIGNED', ERROR_RTT, 3, (h, a) => h.call(RMI.DATA_CREATE_UNKNOWN, a[0], h.delegated(), 0n)],
    ['top_gran_align', ERROR_INPUT, 0, (_h, a) => (a[2] = 0x4010n)],
    ['no_progress: a level-2 entry with top short of its end', ERROR_RTT, 2, (_h, a) => { a[1] = 0x20_0000n; a[2] = 0x21_0000n; }],
  ], RMI.RTT_INIT_RIPAS, setup);
  it('success: RIPAS RAM for [base, out_top), the RIM extended once per entry', () => {
    const h = new RmiHost();
    const [rd] = setup(h);
    const realm = h.m.rme!.rmm.ctx.realms.get(rd)!;
    let rim = realm.measurements[0].slice();
    const r = h.call(RMI.RTT_INIT_RIPAS, rd, 0x1000n, 0x3000n);
    expect(r.x.slice(0, 2)).toEqual([0n, 0x3000n]);
    expect([0n, 0x1000n, 0x2000n, 0x3000n].map((ipa) => h.call(RMI.RTT_READ_ENTRY, rd, ipa, 3n).x[4])).toEqual([0n, 1n, 1n, 0n]);
    for (const base of [0x1000n, 0x2000n]) {
      const desc = new Uint8Array(0x100);
      const dv = new DataView(desc.buffer);
      dv.setUint8(0, 2); dv.setBigUint64(8, 0x100n, true);
      desc.set(rim, 0x10);
      dv.setBigUint64(0x50, base, true); dv.setBigUint64(0x58, base + 0x1000n, true);
      rim = new Uint8Array(64);
      rim.set(createHash('sha256').update(desc).digest());
    }
    expect(realm.measurements[0]).toEqual(rim);
  });
  it('success at a block level: out_top stops at the next TABLE entry', () => {
    const h = new RmiHost();
    const { rd } = createRealm(h);
    rttsTo(h, rd, 0x60_0000n, 3); // level-2 RTT for 0-1 GB, TABLE at entry 3
    expect(h.call(RMI.RTT_INIT_RIPAS, rd, 0n, 0x4000_0000n).x.slice(0, 2)).toEqual([0n, 0x60_0000n]);
    expect(h.call(RMI.RTT_READ_ENTRY, rd, 0x40_0000n, 2n).x[4]).toBe(1n);
  });
});

describe('RMI_RTT_SET_RIPAS failure conditions (B4.3.21.2)', () => {
  // args: rd, rec, base, top; the REC carries a pending request for [0, 0x4000) -> RAM
  const setup = (h: RmiHost) => {
    const { rd } = createRealm(h);
    rttsTo(h, rd, 0n, 3);
    const rec = h.delegated();
    const aux = [h.delegated(), h.delegated()];
    expect(h.call(RMI.REC_CREATE, rd, rec, h.page({ 0x800: 2n, 0x808: aux[0], 0x810: aux[1] })).status).toBe(SUCCESS);
    h.call(RMI.REALM_ACTIVATE, rd);
    // What an RSI_IPA_STATE_SET exit leaves in the REC (RMM A5.4)
    Object.assign(h.m.rme!.rmm.ctx.recs.get(rec)!, { ripasAddr: 0n, ripasTop: 0x4000n, ripasValue: 1 });
    return [rd, rec, 0n, 0x4000n];
  };
  run([
    ...rdRows(),
    ['rec_align', ERROR_INPUT, 0, (_h, a) => (a[1] += 8n)],
    ['rec_bound', ERROR_INPUT, 0, (_h, a) => (a[1] = NOT_DELEGABLE)],
    ['rec_gran_state', ERROR_INPUT, 0, (_h, a) => (a[1] = a[0])],
    ['rec_state', ERROR_REC, 0, (h, a) => (h.m.rme!.rmm.ctx.recs.get(a[1])!.state = 'REC_RUNNING' as never)],
    ['rec_owner', ERROR_REC, 0, (h, a) => (a[0] = createRealm(h, {}, 3n).rd)],
    ['size_valid', ERROR_INPUT, 0, (_h, a) => (a[3] = 0n)],
    ['base_bound', ERROR_INPUT, 0, (_h, a) => (a[2] = 0x1000n)],
    ['top_bound', ERROR_INPUT, 0, (_h, a) => (a[3] = 0x5000n)],
    ['base_align', ERROR_RTT, 1, (h, a) => Object.assign(h.m.rme!.rmm.ctx.recs.get(a[1])!, { ripasAddr: 0x4000_1000n, ripasTop: 0x4000_3000n }) && ((a[2] = 0x4000_1000n), (a[3] = 0x4000_2000n))],
    ['top_gran_align', ERROR_INPUT, 0, (_h, a) => (a[3] = 0x3ff0n)],
    ['no_progress: a DESTROYED entry the request may not change', ERROR_RTT, 3, (h, a) => {
      // As RMI_DATA_DESTROY of a RAM page leaves it (the realm is active, so no DATA_CREATE to destroy)
      h.m.rme!.rmm.ctx.rtts.write(h.call(RMI.RTT_READ_ENTRY, a[0], 0n, 2n).x[3], 3, { state: 'UNASSIGNED' as never, ripas: 2, addr: 0n, attrs: 0n });
    }],
  ], RMI.RTT_SET_RIPAS, setup);
  it('success: RIPAS changed, rec.ripas_addr advanced to out_top', () => {
    const h = new RmiHost();
    const [rd, rec] = setup(h);
    const r: RmiReturn = h.call(RMI.RTT_SET_RIPAS, rd, rec, 0n, 0x2000n);
    expect(r.x.slice(0, 2)).toEqual([0n, 0x2000n]);
    expect(h.m.rme!.rmm.ctx.recs.get(rec)!.ripasAddr).toBe(0x2000n);
    expect([0n, 0x1000n, 0x2000n].map((ipa) => h.call(RMI.RTT_READ_ENTRY, rd, ipa, 3n).x[4])).toEqual([1n, 1n, 0n]);
    expect(h.call(RMI.RTT_SET_RIPAS, rd, rec, 0x2000n, 0x4000n).x.slice(0, 2)).toEqual([0n, 0x4000n]);
  });
});
