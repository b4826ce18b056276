// RSI_MEASUREMENT_READ and RSI_MEASUREMENT_EXTEND (RMM B5.3.8, B5.3.7): the REM extension recomputed
// with node:crypto as B3.42 RemExtend says: REM := H(REM[digest] || value[size] zero-padded to 512 bits).
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { rsiRealm, rsi, returned, RSI, RSI_SUCCESS, RSI_ERROR_INPUT } from '../helpers/rsi.js';

const dwords = (b: Uint8Array) => Array.from({ length: 8 }, (_, i) => new DataView(b.buffer, b.byteOffset).getBigUint64(i * 8, true));
const VALUE = Uint8Array.from({ length: 64 }, (_, i) => 0x80 + i);

describe('RSI_MEASUREMENT_READ (B5.3.8)', () => {
  it('index_bound', () => expect(returned(rsi(rsiRealm(), RSI.MEASUREMENT_READ, 5n))).toEqual([RSI_ERROR_INPUT]));
  it('index 0 reads the RIM, 1-4 the REMs (zero before any extension)', () => {
    const r = rsiRealm();
    expect(returned(rsi(r, RSI.MEASUREMENT_READ, 0n))).toEqual([RSI_SUCCESS, ...dwords(r.caller.realm.measurements[0])]);
    expect(r.caller.realm.measurements[0].some((b) => b !== 0)).toBe(true);
    for (const i of [1n, 4n]) expect(returned(rsi(r, RSI.MEASUREMENT_READ, i))).toEqual([RSI_SUCCESS, ...new Array(8).fill(0n)]);
  });
});

describe('RSI_MEASUREMENT_EXTEND (B5.3.7)', () => {
  it('index_bound: 0 (the RIM)', () => expect(returned(rsi(rsiRealm(), RSI.MEASUREMENT_EXTEND, 0n, 8n, ...dwords(VALUE)))).toEqual([RSI_ERROR_INPUT]));
  it('index_bound: 5', () => expect(returned(rsi(rsiRealm(), RSI.MEASUREMENT_EXTEND, 5n, 8n, ...dwords(VALUE)))).toEqual([RSI_ERROR_INPUT]));
  it('size_bound', () => expect(returned(rsi(rsiRealm(), RSI.MEASUREMENT_EXTEND, 1n, 65n, ...dwords(VALUE)))).toEqual([RSI_ERROR_INPUT]));

  for (const [algo, hash, len] of [[0n, 'sha256', 32], [1n, 'sha512', 64]] as const) {
    it(`${hash}: two extensions of REM2, read back; the other measurements untouched`, () => {
      const r = rsiRealm({ hashAlgo: algo });
      const rim = r.caller.realm.measurements[0].slice();
      let expected = new Uint8Array(len);
      for (const size of [64, 5]) {
        expect(returned(rsi(r, RSI.MEASUREMENT_EXTEND, 2n, BigInt(size), ...dwords(VALUE)))).toEqual([RSI_SUCCESS]);
        const padded = new Uint8Array(64);
        padded.set(VALUE.subarray(0, size));
        expected = new Uint8Array(createHash(hash).update(expected).update(padded).digest());
      }
      const slot = new Uint8Array(64);
      slot.set(expected);
      expect(returned(rsi(r, RSI.MEASUREMENT_READ, 2n))).toEqual([RSI_SUCCESS, ...dwords(slot)]);
      expect(r.caller.realm.measurements[0]).toEqual(rim);
      for (const i of [1, 3, 4]) expect(r.caller.realm.measurements[i]).toEqual(new Uint8Array(64));
    });
  }
});
