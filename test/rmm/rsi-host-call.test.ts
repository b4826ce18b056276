// RSI_HOST_CALL (RMM B5.3.4, A4.5): the RsiHostCall structure (B5.4.3) out to the host as a REC exit,
// and the host's registers back into it on the next entry (A4.2.2).
import { describe, it, expect } from 'vitest';
import { rsiRealm, rsi, returned, readIpa, writeIpa, RSI, RSI_SUCCESS, RSI_ERROR_INPUT, UNPROTECTED, UNASSIGNED_RAM, EMPTY_IPA } from '../helpers/rsi.js';
import { RMI, SUCCESS } from '../helpers/rmi.js';
import { completeHostCall } from '../../firmware/rmm/rsi/host-call.js';
import { RecExitReason } from '../../firmware/rmm/rec-run.js';

const STRUCT = 0x1100n;

function hostCallStruct(): Uint8Array {
  const b = new Uint8Array(0x100);
  const v = new DataView(b.buffer);
  v.setUint16(0, 0x4321, true);
  for (let i = 0; i < 31; i++) v.setBigUint64(8 + i * 8, 0x1000n + BigInt(i), true);
  return b;
}

describe('RSI_HOST_CALL failure conditions (B5.3.4)', () => {
  it('addr_align: 256-byte alignment', () => expect(returned(rsi(rsiRealm(), RSI.HOST_CALL, STRUCT + 0x80n))).toEqual([RSI_ERROR_INPUT]));
  it('addr_bound', () => expect(returned(rsi(rsiRealm(), RSI.HOST_CALL, UNPROTECTED))).toEqual([RSI_ERROR_INPUT]));
});

describe('RSI_HOST_CALL round trip (A4.5, A4.2.2)', () => {
  it('REC exit HOST_CALL with imm and gprs[0..30]; the host reply lands in RsiHostCall.gprs, X0 = SUCCESS', () => {
    const r = rsiRealm();
    writeIpa(r, STRUCT, hostCallStruct());
    const o = rsi(r, RSI.HOST_CALL, STRUCT);
    expect(o).toEqual({
      kind: 'exit', retry: false,
      exit: { reason: RecExitReason.HostCall, imm: 0x4321, gprs: Array.from({ length: 31 }, (_, i) => 0x1000n + BigInt(i)) },
    });
    expect(r.caller.rec.hostCallPending).toBe(true);
    const reply = Array.from({ length: 31 }, (_, i) => 0xabc0_0000n + BigInt(i));
    expect(completeHostCall(r.caller, reply)).toEqual({ kind: 'return', x: [RSI_SUCCESS] });
    expect(r.caller.rec.hostCallPending).toBe(false);
    const after = readIpa(r, STRUCT, 0x100);
    const v = new DataView(after.buffer, after.byteOffset);
    expect(v.getUint16(0, true)).toBe(0x4321); // imm is the realm's
    expect(Array.from({ length: 31 }, (_, i) => v.getBigUint64(8 + i * 8, true))).toEqual(reply);
  });
  it('the structure unassigned: a data abort REC exit, retried once the host maps it', () => {
    const r = rsiRealm();
    expect(rsi(r, RSI.HOST_CALL, UNASSIGNED_RAM)).toMatchObject({ kind: 'exit', retry: true, exit: { reason: RecExitReason.Sync, hpfar: (UNASSIGNED_RAM >> 12n) << 4n } });
    expect(r.caller.rec.hostCallPending).toBe(false);
    const g = r.h.delegated();
    expect(r.h.call(RMI.DATA_CREATE_UNKNOWN, r.rd, g, UNASSIGNED_RAM).status).toBe(SUCCESS);
    expect(rsi(r, RSI.HOST_CALL, UNASSIGNED_RAM)).toMatchObject({ kind: 'exit', retry: false, exit: { reason: RecExitReason.HostCall } });
  });
  it('the structure no longer RAM before the reply (DATA_DESTROY leaves RIPAS DESTROYED): nothing written back, the call completes', () => {
    const r = rsiRealm();
    rsi(r, RSI.HOST_CALL, STRUCT);
    expect(r.h.call(RMI.DATA_DESTROY, r.rd, 0x1000n).status).toBe(SUCCESS);
    expect(completeHostCall(r.caller, [])).toEqual({ kind: 'return', x: [RSI_SUCCESS] });
  });
  it('the structure RAM but unassigned at reply time: a data abort exit, the host call stays pending until the host maps it', () => {
    const r = rsiRealm();
    rsi(r, RSI.HOST_CALL, STRUCT);
    // The granule goes DESTROYED, then RAM again with nothing assigned (as a realm and host could arrange)
    expect(r.h.call(RMI.DATA_DESTROY, r.rd, 0x1000n).status).toBe(SUCCESS);
    r.caller.rec.ripasAddr = 0x1000n;
    r.caller.rec.ripasTop = 0x2000n;
    r.caller.rec.ripasValue = 1;
    r.caller.rec.ripasChangeDestroyed = true;
    expect(r.h.call(RMI.RTT_SET_RIPAS, r.rd, r.recAddr, 0x1000n, 0x2000n).status).toBe(SUCCESS);
    const reply = Array.from({ length: 31 }, (_, i) => BigInt(i) * 3n);
    expect(completeHostCall(r.caller, reply)).toMatchObject({ kind: 'exit', exit: { reason: RecExitReason.Sync, hpfar: (STRUCT >> 12n) << 4n } });
    expect(r.caller.rec.hostCallPending).toBe(true);
    const g = r.h.delegated();
    expect(r.h.call(RMI.DATA_CREATE_UNKNOWN, r.rd, g, 0x1000n).status).toBe(SUCCESS);
    expect(completeHostCall(r.caller, reply)).toEqual({ kind: 'return', x: [RSI_SUCCESS] });
    expect(r.caller.rec.hostCallPending).toBe(false);
    const back = r.h.m.readPhysical(g + (STRUCT & 0xfffn) + 8n, 31 * 8)!;
    const v = new DataView(back.buffer, back.byteOffset);
    expect(Array.from({ length: 31 }, (_, i) => v.getBigUint64(i * 8, true))).toEqual(reply);
  });
  it('RIPAS EMPTY: ERROR_INPUT', () => expect(returned(rsi(rsiRealm(), RSI.HOST_CALL, EMPTY_IPA))).toEqual([RSI_ERROR_INPUT]));
});
