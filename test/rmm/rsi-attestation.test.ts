// RSI_ATTESTATION_TOKEN_INIT / CONTINUE (RMM B5.3.2, B5.3.1, A7.2.2): the token handed out in pieces
// into realm granules, put back together as the A7.2.2 pseudocode does, is the CCA token of the realm.
import { describe, it, expect } from 'vitest';
import {
  rsiRealm, rsi, returned, readIpa, RSI, RSI_SUCCESS, RSI_ERROR_INPUT, RSI_ERROR_STATE, RSI_INCOMPLETE, RSI_ERROR_UNKNOWN,
  UNPROTECTED, UNASSIGNED_RAM, type RsiRealm,
} from '../helpers/rsi.js';
import { realmAttestationToken } from '../../firmware/rmm/attestation/token.js';
import { verifyCcaToken } from '../../src/attestation/verify.js';

const CHALLENGE = Array.from({ length: 8 }, (_, i) => 0x0101_0101_0101_0101n * BigInt(i + 1));
const challengeBytes = () => {
  const b = new Uint8Array(64);
  CHALLENGE.forEach((d, i) => new DataView(b.buffer).setBigUint64(i * 8, d, true));
  return b;
};

/** A7.2.2: fill granules at 0x0, 0x1000, ... with chunks of at most `chunk` bytes. */
function retrieve(r: RsiRealm, chunk: bigint): { status: bigint; bytes: Uint8Array; calls: number } {
  const out: number[] = [];
  let status = RSI_INCOMPLETE, calls = 0;
  for (let granule = 0n; status === RSI_INCOMPLETE && granule < 0x3000n; granule += 0x1000n) {
    let offset = 0n;
    while (status === RSI_INCOMPLETE && offset < 0x1000n) {
      const size = 0x1000n - offset < chunk ? 0x1000n - offset : chunk;
      const [s, len] = returned(rsi(r, RSI.ATTESTATION_TOKEN_CONTINUE, granule, offset, size));
      calls++;
      status = s;
      out.push(...readIpa(r, granule + offset, Number(len)));
      offset += len;
    }
  }
  return { status, bytes: Uint8Array.from(out), calls };
}

describe('RSI_ATTESTATION_TOKEN_CONTINUE failure conditions (B5.3.1)', () => {
  const rows: [string, bigint, (r: RsiRealm) => [bigint, bigint, bigint]][] = [
    ['addr_align', RSI_ERROR_INPUT, () => [0x1008n, 0n, 0x100n]],
    ['addr_bound', RSI_ERROR_INPUT, () => [UNPROTECTED, 0n, 0x100n]],
    ['offset_bound', RSI_ERROR_INPUT, () => [0x1000n, 0x1000n, 0n]],
    ['size_overflow', RSI_ERROR_INPUT, () => [0x1000n, 8n, (1n << 64n) - 4n]],
    ['size_bound', RSI_ERROR_INPUT, () => [0x1000n, 0x800n, 0x801n]],
    ['state: no INIT on this REC', RSI_ERROR_STATE, (r) => ((r.caller.rec.attestInProgress = false), [0x1000n, 0n, 0x100n])],
    ['unknown: EL3 gave no attestation service', RSI_ERROR_UNKNOWN, (r) => {
      r.caller.ctx.attestation = undefined;
      returned(rsi(r, RSI.ATTESTATION_TOKEN_INIT, ...CHALLENGE));
      return [0x1000n, 0n, 0x100n];
    }],
  ];
  for (const [name, status, args] of rows) {
    it(name, () => {
      const r = rsiRealm();
      returned(rsi(r, RSI.ATTESTATION_TOKEN_INIT, ...CHALLENGE));
      expect(returned(rsi(r, RSI.ATTESTATION_TOKEN_CONTINUE, ...args(r)))[0]).toBe(status);
      if (status !== RSI_ERROR_UNKNOWN) expect(r.caller.rec.attestOffset).toBe(0);
    });
  }
  it('all conditions pass at their limits (offset 0xfff, size 1)', () => {
    const r = rsiRealm();
    returned(rsi(r, RSI.ATTESTATION_TOKEN_INIT, ...CHALLENGE));
    expect(returned(rsi(r, RSI.ATTESTATION_TOKEN_CONTINUE, 0x1000n, 0xfffn, 1n))).toEqual([RSI_INCOMPLETE, 1n]);
  });
});

describe('token retrieval (A7.2.2)', () => {
  it('INIT gives the size; CONTINUE hands out the CCA token piece by piece, INCOMPLETE until the last piece', () => {
    const r = rsiRealm();
    const [s, size] = returned(rsi(r, RSI.ATTESTATION_TOKEN_INIT, ...CHALLENGE));
    expect(s).toBe(RSI_SUCCESS);
    expect(r.caller.rec.attestInProgress).toBe(true);
    const got = retrieve(r, 0x300n);
    expect(got.status).toBe(RSI_SUCCESS);
    expect(BigInt(got.bytes.length)).toBe(size);
    expect(got.calls).toBe(Math.ceil(Number(size) / 0x300) + Math.floor(Number(size) / 0x1000)); // granule ends cut a chunk short
    expect(got.bytes).toEqual(realmAttestationToken(r.caller.realm, challengeBytes(), r.h.m.rme!.attestation));
    const v = verifyCcaToken(got.bytes);
    expect(v).toMatchObject({ realmSignature: 'ok', binding: 'ok', claimErrors: [] });
    expect(v.realmClaims!.get(10)).toEqual(challengeBytes());
    // Complete: attest_state is NO_ATTEST_IN_PROGRESS again
    expect(r.caller.rec.attestInProgress).toBe(false);
    expect(returned(rsi(r, RSI.ATTESTATION_TOKEN_CONTINUE, 0x1000n, 0n, 0x100n))).toEqual([RSI_ERROR_STATE]);
  });
  it('a token spanning two granules when handed out 0x1000 at a time lands whole', () => {
    const r = rsiRealm();
    const [, size] = returned(rsi(r, RSI.ATTESTATION_TOKEN_INIT, ...CHALLENGE));
    const got = retrieve(r, 0x1000n);
    expect(got.calls).toBe(Math.ceil(Number(size) / 0x1000));
    expect(BigInt(got.bytes.length)).toBe(size);
  });
  it('a size-0 CONTINUE writes nothing and is INCOMPLETE', () => {
    const r = rsiRealm();
    returned(rsi(r, RSI.ATTESTATION_TOKEN_INIT, ...CHALLENGE));
    expect(returned(rsi(r, RSI.ATTESTATION_TOKEN_CONTINUE, 0x1000n, 0n, 0n))).toEqual([RSI_INCOMPLETE, 0n]);
  });
  it('a new INIT abandons the generation in progress and starts from the first byte with the new challenge', () => {
    const r = rsiRealm();
    returned(rsi(r, RSI.ATTESTATION_TOKEN_INIT, ...CHALLENGE));
    returned(rsi(r, RSI.ATTESTATION_TOKEN_CONTINUE, 0x0n, 0n, 0x100n));
    const other = CHALLENGE.map((d) => d ^ 0xffn);
    returned(rsi(r, RSI.ATTESTATION_TOKEN_INIT, ...other));
    expect(r.caller.rec.attestOffset).toBe(0);
    const got = retrieve(r, 0x1000n);
    expect(verifyCcaToken(got.bytes).realmClaims!.get(10)).not.toEqual(challengeBytes());
  });
  it('the token carries the REMs as extended before INIT', () => {
    const r = rsiRealm();
    returned(rsi(r, RSI.MEASUREMENT_EXTEND, 3n, 4n, 0xdeadbeefn));
    returned(rsi(r, RSI.ATTESTATION_TOKEN_INIT, ...CHALLENGE));
    const rems = verifyCcaToken(retrieve(r, 0x1000n).bytes).realmClaims!.get(44239) as Uint8Array[];
    expect(rems[2]).toEqual(r.caller.realm.measurements[3].slice(0, 32));
    expect(rems[2].some((b) => b !== 0)).toBe(true);
  });
  it('an unassigned RAM granule: a data abort REC exit to be retried, nothing handed out', () => {
    const r = rsiRealm();
    returned(rsi(r, RSI.ATTESTATION_TOKEN_INIT, ...CHALLENGE));
    expect(rsi(r, RSI.ATTESTATION_TOKEN_CONTINUE, UNASSIGNED_RAM, 0n, 0x100n)).toMatchObject({ kind: 'exit', retry: true, exit: { reason: 0 } });
    expect(r.caller.rec.attestOffset).toBe(0);
  });
});
