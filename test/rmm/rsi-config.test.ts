// RSI_VERSION, RSI_FEATURES, RSI_REALM_CONFIG (RMM B5.3.10, B5.3.3, B5.3.9), and the realm SMC dispatch.
import { describe, it, expect } from 'vitest';
import { rsiRealm, rsi, returned, readIpa, RSI, RSI_SUCCESS, RSI_ERROR_INPUT, UNPROTECTED, UNASSIGNED_RAM, EMPTY_IPA } from '../helpers/rsi.js';
import { RSI_COMMANDS, handleRealmSmc } from '../../firmware/rmm/rsi/rsi.js';

describe('RSI_VERSION (B5.3.10)', () => {
  const r = rsiRealm();
  it('1.0 is compatible: SUCCESS, lower = higher = 1.0', () => {
    expect(returned(rsi(r, RSI.VERSION, 0x1_0000n))).toEqual([RSI_SUCCESS, 0x1_0000n, 0x1_0000n]);
  });
  for (const [name, req] of [['1.1 (a newer minor)', 0x1_0001n], ['2.0', 0x2_0000n], ['0.0', 0n], ['bit 31 set', (1n << 31n) | 0x1_0000n]] as const) {
    it(`${name} is not: ERROR_INPUT, still reporting 1.0`, () => {
      expect(returned(rsi(r, RSI.VERSION, req))).toEqual([RSI_ERROR_INPUT, 0x1_0000n, 0x1_0000n]);
    });
  }
});

describe('RSI_FEATURES (B5.3.3)', () => {
  const r = rsiRealm();
  it('every index reads zero in 1.0', () => {
    for (const i of [0n, 1n, 0xffffn]) expect(returned(rsi(r, RSI.FEATURES, i))).toEqual([RSI_SUCCESS, 0n]);
  });
});

describe('RSI_REALM_CONFIG (B5.3.9)', () => {
  it('addr_align', () => expect(returned(rsi(rsiRealm(), RSI.REALM_CONFIG, 0x1008n))).toEqual([RSI_ERROR_INPUT]));
  it('addr_bound', () => expect(returned(rsi(rsiRealm(), RSI.REALM_CONFIG, UNPROTECTED))).toEqual([RSI_ERROR_INPUT]));
  it('success: ipa_width, hash_algo and rpv written into the realm granule, the rest zero', () => {
    const r = rsiRealm({ hashAlgo: 1n });
    const before = readIpa(r, 0x1000n, 0x1000);
    before.fill(0xee);
    r.h.m.writePhysical(r.data.get(0x1000n)!, before);
    expect(returned(rsi(r, RSI.REALM_CONFIG, 0x1000n))).toEqual([RSI_SUCCESS]);
    const cfg = readIpa(r, 0x1000n, 0x1000);
    const v = new DataView(cfg.buffer, cfg.byteOffset);
    expect(v.getBigUint64(0, true)).toBe(40n);
    expect(cfg[8]).toBe(1); // RSI_HASH_SHA_512
    expect(cfg.subarray(0x200, 0x240)).toEqual(r.caller.realm.rpv);
    expect(v.getBigUint64(0x200, true)).toBe(0xabcdn);
    const elsewhere = [...cfg.subarray(9, 0x200), ...cfg.subarray(0x240)];
    expect(elsewhere.every((b) => b === 0)).toBe(true);
  });
  it('an unassigned RAM granule: a data abort REC exit (stage-2 translation fault, level 3), the SMC to be retried', () => {
    const o = rsi(rsiRealm(), RSI.REALM_CONFIG, UNASSIGNED_RAM);
    expect(o).toMatchObject({ kind: 'exit', retry: true, exit: { reason: 0, far: 0n, hpfar: (UNASSIGNED_RAM >> 12n) << 4n } });
    const esr = (o as { exit: { esr: bigint } }).exit.esr;
    expect(esr >> 26n).toBe(0x24n); // Data Abort from a lower EL
    expect(esr & 0x3fn).toBe(0x07n); // translation fault, level 3
    expect((esr >> 6n) & 1n).toBe(1n); // a write
  });
  it('RIPAS EMPTY: ERROR_INPUT (nothing the realm may use there)', () => {
    expect(returned(rsi(rsiRealm(), RSI.REALM_CONFIG, EMPTY_IPA))).toEqual([RSI_ERROR_INPUT]);
  });
});

describe('the realm SMC dispatch hook (RMM B5.3, A4.3.4)', () => {
  const r = rsiRealm();
  const smc = (fid: number) => handleRealmSmc(r.caller, [BigInt(fid)]);
  it('every FID of 0xC4000190-0xC4000199 is an RSI command', () => {
    const names = [];
    for (let fid = 0xc400_0190; fid <= 0xc400_0199; fid++) names.push(RSI_COMMANDS.get(fid)?.name);
    expect(names).toEqual(['RSI_VERSION', 'RSI_FEATURES', 'RSI_MEASUREMENT_READ', 'RSI_MEASUREMENT_EXTEND',
      'RSI_ATTESTATION_TOKEN_INIT', 'RSI_ATTESTATION_TOKEN_CONTINUE', 'RSI_REALM_CONFIG', 'RSI_IPA_STATE_SET',
      'RSI_IPA_STATE_GET', 'RSI_HOST_CALL']);
  });
  it('SMCCC_VERSION answers 1.2', () => expect(smc(0x8000_0000)).toEqual({ kind: 'return', x: [0x1_0002n] }));
  it('PSCI (SMC32 and SMC64) goes to the caller', () => {
    expect(smc(0x8400_0000).kind).toBe('psci');
    expect(smc(0xc400_0003).kind).toBe('psci');
  });
  it('anything else is SMCCC_NOT_SUPPORTED: past the RSI range, the SMC32 form of an RSI FID, an RMI FID', () => {
    for (const fid of [0xc400_019a, 0x8400_0190, 0xc400_0150, 0x8200_0000]) expect(smc(fid)).toEqual({ kind: 'return', x: [(1n << 64n) - 1n] });
  });
});
