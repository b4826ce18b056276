// RMI_GRANULE_DELEGATE / RMI_GRANULE_UNDELEGATE (RMM B4.3.5, B4.3.6): each failure condition in spec
// order, and the success effects on the GPT, the host's access and the granule's contents.
import { describe, it, expect } from 'vitest';
import { RmiHost, RMI, SUCCESS, ERROR_INPUT, createRealm } from '../helpers/rmi.js';
import { Gpi } from '../../firmware/el3/gpt.js';
import { GranuleState } from '../../firmware/rmm/granule.js';

const NOT_DELEGABLE = 0x1000_0000n; // no RAM there
const CARVE_OUT = 0x8c10_0000n; // the RMM's own Realm memory, not the host's to give

describe('RMI_GRANULE_DELEGATE failure conditions (B4.3.5.2)', () => {
  it('gran_align', () => {
    const h = new RmiHost();
    expect(h.call(RMI.GRANULE_DELEGATE, h.granule() + 8n).status).toBe(ERROR_INPUT);
  });
  it('gran_bound', () => {
    const h = new RmiHost();
    expect(h.call(RMI.GRANULE_DELEGATE, NOT_DELEGABLE).status).toBe(ERROR_INPUT);
    expect(h.call(RMI.GRANULE_DELEGATE, CARVE_OUT).status).toBe(ERROR_INPUT);
  });
  it('gran_state', () => {
    const h = new RmiHost();
    const g = h.delegated();
    expect(h.call(RMI.GRANULE_DELEGATE, g).status).toBe(ERROR_INPUT);
  });
  it('gran_gpt: a granule whose GPI is not Non-secure is refused by EL3', () => {
    const h = new RmiHost();
    const g = h.granule();
    // Another agent (here the test, standing in for EL3 firmware) made the granule Secure
    expect(h.m.rme!.gpt.transition(g, Gpi.NonSecure, Gpi.Secure)).toBeUndefined();
    expect(h.call(RMI.GRANULE_DELEGATE, g)).toMatchObject({ status: ERROR_INPUT, index: 0 });
    expect(h.m.rme!.rmm.ctx.granules.state(g)).toBe(GranuleState.Undelegated);
  });
});

describe('RMI_GRANULE_DELEGATE success', () => {
  it('moves the GPT entry to Realm and the host loses access, with only that granule invalidated', () => {
    const h = new RmiHost();
    const g = h.granule();
    const before = h.m.core.gpcCounters().paInvalidations;
    const r = h.call(RMI.GRANULE_DELEGATE, g);
    expect(r.status).toBe(SUCCESS);
    expect(r.x.slice(1, 17).every((v) => v === 0n)).toBe(true); // outputs not defined MBZ (B1.2)
    expect(h.m.rme!.gpt.gpi(g)).toBe(Gpi.Realm);
    expect(h.m.rme!.gpt.gpi(g + 0x1000n)).toBe(Gpi.NonSecure);
    expect(h.m.core.gpcCounters().paInvalidations).toBe(before + 1n);
    expect(h.m.rme!.rmm.ctx.granules.state(g)).toBe(GranuleState.Delegated);
    expect(h.m.gpcProbe(g, 1, 1) & 0xff).toBe(1); // NS access: GPF
    expect(h.m.gpcProbe(g, 3, 3) & 0xff).toBe(0); // Realm access: pass
  });
});

describe('RMI_GRANULE_UNDELEGATE failure conditions (B4.3.6.2)', () => {
  it('gran_align', () => {
    const h = new RmiHost();
    expect(h.call(RMI.GRANULE_UNDELEGATE, h.delegated() + 0x800n).status).toBe(ERROR_INPUT);
  });
  it('gran_bound', () => {
    const h = new RmiHost();
    expect(h.call(RMI.GRANULE_UNDELEGATE, CARVE_OUT).status).toBe(ERROR_INPUT);
  });
  it('gran_state: UNDELEGATED, and an RD', () => {
    const h = new RmiHost();
    expect(h.call(RMI.GRANULE_UNDELEGATE, h.granule()).status).toBe(ERROR_INPUT);
    const { rd } = createRealm(h);
    expect(h.call(RMI.GRANULE_UNDELEGATE, rd).status).toBe(ERROR_INPUT);
  });
});

describe('RMI_GRANULE_UNDELEGATE success', () => {
  it('returns the granule to Non-secure, scrubbed', () => {
    const h = new RmiHost();
    const g = h.delegated();
    // The RMM's data in the granule (written through the Realm PAS) must not reach the host
    h.m.rme!.rmm.ctx.mem.write64(g + 0x40n, 0xdead_beefn, 3);
    expect(h.call(RMI.GRANULE_UNDELEGATE, g).status).toBe(SUCCESS);
    expect(h.m.rme!.gpt.gpi(g)).toBe(Gpi.NonSecure);
    expect(h.m.readPhysical(g, 0x1000)!.every((b) => b === 0)).toBe(true);
    expect(h.m.rme!.rmm.ctx.granules.state(g)).toBe(GranuleState.Undelegated);
    expect(h.call(RMI.GRANULE_DELEGATE, g).status).toBe(SUCCESS);
  });
});
