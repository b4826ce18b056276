// RMI_VERSION and RMI_FEATURES (RMM B4.3.23, B4.3.4, B2.1), and the completeness of the RMI FID range.
import { describe, it, expect } from 'vitest';
import { RmiHost, RMI, SUCCESS, ERROR_INPUT } from '../helpers/rmi.js';
import { RMI_COMMANDS, RMI_FID_FIRST, RMI_FID_LAST } from '../../firmware/rmm/rmm.js';

describe('RMI_VERSION (B4.3.23, B2.1)', () => {
  it('1.0 requested: success, lower = req, higher = 1.0, the rest MBZ', () => {
    const h = new RmiHost();
    const r = h.call(RMI.VERSION, 0x1_0000n, 0xdeadn, 0xbeefn);
    expect(r.x.slice(0, 17)).toEqual([0n, 0x1_0000n, 0x1_0000n, ...Array(14).fill(0n)]);
  });
  it('incompatible requests: RMI_ERROR_INPUT, and both outputs say 1.0', () => {
    const h = new RmiHost();
    for (const req of [0x1_0001n, 0x2_0000n, 0x0_0005n, 1n << 31n]) {
      const r = h.call(RMI.VERSION, req);
      expect(r.status).toBe(ERROR_INPUT);
      expect(r.x.slice(1, 3)).toEqual([0x1_0000n, 0x1_0000n]);
    }
  });
});

describe('RMI_FEATURES (B4.3.4, B4.4.6)', () => {
  it('RmiFeatureRegister0: S2SZ 48, no LPA2/SVE/PMU, both hashes, breakpoints from ID_AA64DFR0_EL1', () => {
    const h = new RmiHost();
    const r = h.call(RMI.FEATURES, 0n);
    expect(r.status).toBe(SUCCESS);
    const f = r.x[1];
    expect(f & 0xffn).toBe(48n);
    expect((f >> 8n) & 1n).toBe(0n);
    expect((f >> 9n) & 1n).toBe(0n);
    expect((f >> 26n) & 1n).toBe(0n);
    expect((f >> 32n) & 3n).toBe(3n);
    const dfr0 = h.m.core.sysreg('ID_AA64DFR0_EL1');
    expect((f >> 14n) & 0x3fn).toBe((dfr0 >> 12n) & 0xfn);
    expect((f >> 20n) & 0x3fn).toBe((dfr0 >> 20n) & 0xfn);
    expect(f >> 42n).toBe(0n);
  });
  it('any other index reads as zero', () => {
    const h = new RmiHost();
    expect(h.call(RMI.FEATURES, 1n).x.slice(0, 2)).toEqual([0n, 0n]);
  });
});

describe('the RMI FID range 0xC4000150-0xC4000169 (B4.3)', () => {
  it('every allocated 1.0 command is in the table; the three unallocated FIDs are not', () => {
    const unallocated = [0xc400_0156, 0xc400_0160, 0xc400_0163];
    for (let fid = RMI_FID_FIRST; fid <= RMI_FID_LAST; fid++) {
      expect(RMI_COMMANDS.has(fid), fid.toString(16)).toBe(!unallocated.includes(fid));
    }
    expect(RMI_COMMANDS.size).toBe(23);
    expect([...RMI_COMMANDS.values()].filter((c) => !c.handler).map((c) => c.name)).toEqual(['RMI_REC_ENTER']);
  });
});
