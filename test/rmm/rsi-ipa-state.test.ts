// RSI_IPA_STATE_SET and RSI_IPA_STATE_GET (RMM B5.3.6, B5.3.5, A5.4): SET's REC exit, the host's
// RMI_RTT_SET_RIPAS, and the response the next entry gives the realm (B3.40).
import { describe, it, expect } from 'vitest';
import { rsiRealm, rsi, returned, RSI, RSI_SUCCESS, RSI_ERROR_INPUT, RAM_TOP, UNPROTECTED } from '../helpers/rsi.js';
import { RMI, SUCCESS } from '../helpers/rmi.js';
import { completeIpaStateSet, RSI_ACCEPT, RSI_REJECT } from '../../firmware/rmm/rsi/ipa-state.js';
import { RecExitReason } from '../../firmware/rmm/rec-run.js';

const EMPTY = 0n, RAM = 1n, DESTROYED = 2n;

describe('RSI_IPA_STATE_SET failure conditions (B5.3.6)', () => {
  const rows: [string, [bigint, bigint, bigint, bigint]][] = [
    ['base_align', [0x4008n, 0x8000n, RAM, 0n]],
    ['top_align', [0x4000n, 0x8008n, RAM, 0n]],
    ['size_valid', [0x4000n, 0x4000n, RAM, 0n]],
    ['rgn_bound', [0x4000n, UNPROTECTED + 0x1000n, RAM, 0n]],
    ['ripas_valid', [0x4000n, 0x8000n, DESTROYED, 0n]],
  ];
  for (const [name, args] of rows) {
    it(name, () => {
      const r = rsiRealm();
      expect(returned(rsi(r, RSI.IPA_STATE_SET, ...args))).toEqual([RSI_ERROR_INPUT]);
      expect(r.caller.rec.ripasTop).toBe(0n);
    });
  }
  it('all conditions pass at the limit: top = the first Unprotected IPA', () => {
    expect(rsi(rsiRealm(), RSI.IPA_STATE_SET, UNPROTECTED - 0x1000n, UNPROTECTED, EMPTY, 0n).kind).toBe('exit');
  });
});

describe('RSI_IPA_STATE_SET round trip (A5.4)', () => {
  it('REC exit RIPAS_CHANGE with the range; the host changes part of it; the realm learns new_base and ACCEPT', () => {
    const r = rsiRealm();
    const o = rsi(r, RSI.IPA_STATE_SET, 0x4000n, 0x8000n, RAM, 1n);
    expect(o).toEqual({ kind: 'exit', retry: false, exit: { reason: RecExitReason.RipasChange, ripasBase: 0x4000n, ripasTop: 0x8000n, ripasValue: 1 } });
    expect(r.caller.rec).toMatchObject({ ripasAddr: 0x4000n, ripasTop: 0x8000n, ripasValue: 1, ripasChangeDestroyed: true });
    expect(r.h.call(RMI.RTT_SET_RIPAS, r.rd, r.recAddr, 0x4000n, 0x6000n).status).toBe(SUCCESS);
    expect(completeIpaStateSet(r.caller.rec, false)).toEqual([RSI_SUCCESS, 0x6000n, RSI_ACCEPT]);
    expect(returned(rsi(r, RSI.IPA_STATE_GET, 0x4000n, 0x8000n))).toEqual([RSI_SUCCESS, 0x6000n, RAM]);
    // Outside the exchange the REC's range is empty again
    expect(r.caller.rec).toMatchObject({ ripasAddr: 0n, ripasTop: 0n });
  });
  it('the host may refuse a change to RAM where progress stopped: REJECT', () => {
    const r = rsiRealm();
    rsi(r, RSI.IPA_STATE_SET, 0x4000n, 0x8000n, RAM, 0n);
    expect(completeIpaStateSet(r.caller.rec, true)).toEqual([RSI_SUCCESS, 0x4000n, RSI_REJECT]);
  });
  it('a refusal of a change to EMPTY, or of a finished change, is no refusal (B3.40): ACCEPT', () => {
    const r = rsiRealm();
    rsi(r, RSI.IPA_STATE_SET, 0x0n, 0x1000n, EMPTY, 0n);
    expect(completeIpaStateSet(r.caller.rec, true)).toEqual([RSI_SUCCESS, 0x0n, RSI_ACCEPT]);
    rsi(r, RSI.IPA_STATE_SET, 0x4000n, 0x5000n, RAM, 0n);
    expect(r.h.call(RMI.RTT_SET_RIPAS, r.rd, r.recAddr, 0x4000n, 0x5000n).status).toBe(SUCCESS);
    expect(completeIpaStateSet(r.caller.rec, true)).toEqual([RSI_SUCCESS, 0x5000n, RSI_ACCEPT]);
  });
});

describe('RSI_IPA_STATE_GET (B5.3.5)', () => {
  const rows: [string, [bigint, bigint]][] = [
    ['base_align', [0x10n, 0x4000n]],
    ['end_align', [0x0n, 0x4010n]],
    ['size_valid', [0x4000n, 0x3000n]],
    ['rgn_bound', [0x0n, UNPROTECTED + 0x1000n]],
  ];
  for (const [name, args] of rows) it(name, () => expect(returned(rsi(rsiRealm(), RSI.IPA_STATE_GET, ...args))).toEqual([RSI_ERROR_INPUT]));

  const r = rsiRealm();
  it('the run of equal RIPAS from base: RAM up to RAM_TOP (assigned or not), clipped to top', () => {
    expect(returned(rsi(r, RSI.IPA_STATE_GET, 0x0n, 0x10_0000n))).toEqual([RSI_SUCCESS, RAM_TOP, RAM]);
    expect(returned(rsi(r, RSI.IPA_STATE_GET, 0x1000n, 0x2000n))).toEqual([RSI_SUCCESS, 0x2000n, RAM]);
  });
  it('EMPTY from RAM_TOP to the end of the level-3 RTT', () => {
    expect(returned(rsi(r, RSI.IPA_STATE_GET, RAM_TOP, 0x40_0000n))).toEqual([RSI_SUCCESS, 0x20_0000n, EMPTY]);
  });
  it('a DESTROYED granule (DATA_DESTROY) is reported as such', () => {
    const d = rsiRealm();
    expect(d.h.call(RMI.DATA_DESTROY, d.rd, 0x1000n).status).toBe(SUCCESS);
    expect(returned(rsi(d, RSI.IPA_STATE_GET, 0x0n, RAM_TOP))).toEqual([RSI_SUCCESS, 0x1000n, RAM]);
    expect(returned(rsi(d, RSI.IPA_STATE_GET, 0x1000n, RAM_TOP))).toEqual([RSI_SUCCESS, 0x2000n, DESTROYED]);
  });
});
