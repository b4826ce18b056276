// The CCA token cca-emu makes (RMM A7.2.3), checked with code that is not ours: cbor2 decodes it,
// node:crypto verifies both ES384 signatures, and each claim is held against the spec's claim list.
import { describe, it, expect } from 'vitest';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { decode, encode, Tag } from 'cbor2';
import { RmiHost, createRealm } from '../helpers/rmi.js';
import { realmAttestationToken } from '../../firmware/rmm/attestation/token.js';
import { PlatformAttestation } from '../../firmware/el3/attestation.js';
import { encodeCbor, decodeCbor, CborTag, CborError } from '../../firmware/rmm/attestation/cbor.js';
import { verifyCcaToken, verdictIsGood } from '../../src/attestation/verify.js';
import { HashAlgorithm } from '../../firmware/rmm/realm.js';

const CHALLENGE = Uint8Array.from({ length: 64 }, (_, i) => i + 1);
type Cbor = unknown;
const dec = (b: Uint8Array): Cbor => decode(b, { preferMap: true });

/** A realm made through RMI on a machine booted with RME, and its token. */
function tokenOf(hashAlgo = 0n, seed?: Uint8Array) {
  const h = new RmiHost();
  const { rd } = createRealm(h, { 0x30: hashAlgo, 0x400: 0x1122334455667788n });
  const ctx = h.m.rme!.rmm.ctx;
  const realm = ctx.realms.get(rd)!;
  const el3 = seed ? new PlatformAttestation(seed) : h.m.rme!.attestation;
  return { realm, el3, token: realmAttestationToken(realm, CHALLENGE, el3) };
}

/** A P-384 public key for node:crypto from its uncompressed point. */
function nodeKey(point: Uint8Array) {
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
  return createPublicKey({ key: { kty: 'EC', crv: 'P-384', x: b64(point.subarray(1, 49)), y: b64(point.subarray(49, 97)) }, format: 'jwk' });
}

/** COSE_Sign1 (RFC 9052 4.4) checked by node:crypto: Sig_structure hashed with SHA-384, r||s signature. */
function nodeVerifies(sign1: Cbor, point: Uint8Array): boolean {
  const [prot, , payload, sig] = (sign1 as Tag).contents as Uint8Array[];
  const tbs = encode(['Signature1', prot, new Uint8Array(0), payload]);
  return verify('sha384', tbs, { key: nodeKey(point), dsaEncoding: 'ieee-p1363' }, sig);
}

describe('the CCA token, decoded by cbor2 and verified by node:crypto', () => {
  const { realm, el3, token } = tokenOf();
  const collection = dec(token) as Tag;
  const platformSign1 = dec(collection.contents instanceof Map ? (collection.contents.get(44234) as Uint8Array) : new Uint8Array()) as Tag;
  const realmSign1 = dec((collection.contents as Map<number, Uint8Array>).get(44241)!) as Tag;
  const realmClaims = dec((realmSign1.contents as Uint8Array[])[2]) as Map<number, unknown>;
  const platformClaims = dec((platformSign1.contents as Uint8Array[])[2]) as Map<number, unknown>;

  it('is a tag-399 collection of exactly the platform (44234) and realm (44241) tokens', () => {
    expect(collection.tag).toBe(399);
    expect([...(collection.contents as Map<number, unknown>).keys()].sort()).toEqual([44234, 44241]);
  });

  it('holds two COSE_Sign1_Tagged with protected header {1: -35} (ES384)', () => {
    for (const t of [realmSign1, platformSign1]) {
      expect(t.tag).toBe(18);
      const [prot, unprot, , sig] = t.contents as [Uint8Array, Map<number, unknown>, Uint8Array, Uint8Array];
      expect(dec(prot)).toEqual(new Map([[1, -35]]));
      expect(unprot.size).toBe(0);
      expect(sig.length).toBe(96);
    }
  });

  it('realm token: signed by the RAK that claim 44237 carries as an EC2 P-384 COSE_Key', () => {
    const key = dec(realmClaims.get(44237) as Uint8Array) as Map<number, unknown>;
    expect(key.get(1)).toBe(2); // kty EC2
    expect(key.get(-1)).toBe(2); // crv P-384
    const point = Uint8Array.of(4, ...(key.get(-2) as Uint8Array), ...(key.get(-3) as Uint8Array));
    expect(point).toEqual(el3.rak.publicKey);
    expect(nodeVerifies(realmSign1, point)).toBe(true);
    // The same check fails for a key that did not sign
    expect(nodeVerifies(realmSign1, el3.cpak.publicKey)).toBe(false);
  });

  it('platform token: signed by the CPAK', () => {
    expect(nodeVerifies(platformSign1, el3.cpak.publicKey)).toBe(true);
    expect(nodeVerifies(platformSign1, el3.rak.publicKey)).toBe(false);
  });

  it('binding: the platform challenge is SHA-256 of the realm public key claim (44240 = "sha-256")', () => {
    expect(realmClaims.get(44240)).toBe('sha-256');
    const digest = createHash('sha256').update(realmClaims.get(44237) as Uint8Array).digest();
    expect(Buffer.from(platformClaims.get(10) as Uint8Array)).toEqual(digest);
  });

  it('realm claims (A7.2.3.1): keys, types and sizes', () => {
    expect([...realmClaims.keys()].sort((a, b) => a - b)).toEqual([10, 265, 44235, 44236, 44237, 44238, 44239, 44240]);
    expect(realmClaims.get(10)).toEqual(CHALLENGE);
    expect(realmClaims.get(265)).toBe('tag:arm.com,2023:realm#1.0.0');
    expect(realmClaims.get(44235)).toEqual(realm.rpv);
    expect((realmClaims.get(44235) as Uint8Array).length).toBe(64);
    expect(realmClaims.get(44236)).toBe('sha-256');
    // RIM: the realm's, at the SHA-256 digest length
    expect(realmClaims.get(44238)).toEqual(realm.measurements[0].slice(0, 32));
    const rems = realmClaims.get(44239) as Uint8Array[];
    expect(rems.length).toBe(4);
    for (const r of rems) expect(r).toEqual(new Uint8Array(32));
  });

  it('platform claims (A7.2.3.2): keys, types and sizes', () => {
    expect(platformClaims.get(265)).toBe('tag:arm.com,2023:cca_platform#1.0.0');
    expect((platformClaims.get(10) as Uint8Array).length).toBe(32);
    expect((platformClaims.get(2396) as Uint8Array).length).toBe(32);
    const instance = platformClaims.get(256) as Uint8Array;
    expect(instance.length).toBe(33);
    expect(instance[0]).toBe(0x01);
    expect(platformClaims.get(2401)).toBeInstanceOf(Uint8Array);
    expect((platformClaims.get(2395) as number) >> 8).toBe(0x30); // secured
    const sw = platformClaims.get(2399) as Map<number, unknown>[];
    expect(sw.map((c) => c.get(1))).toEqual(['BL31', 'RMM']);
    for (const c of sw) {
      expect((c.get(2) as Uint8Array).length).toBe(32);
      expect((c.get(5) as Uint8Array).length).toBe(32);
    }
    expect(typeof platformClaims.get(2400)).toBe('string');
    expect(platformClaims.get(2402)).toBe('sha-256');
  });

  it('SHA-512 realm: hash algorithm "sha-512" and 64-byte measurements', () => {
    const t = tokenOf(1n);
    expect(t.realm.hashAlgo).toBe(HashAlgorithm.Sha512);
    const c = dec(((dec(((dec(t.token) as Tag).contents as Map<number, Uint8Array>).get(44241)!) as Tag).contents as Uint8Array[])[2]) as Map<number, unknown>;
    expect(c.get(44236)).toBe('sha-512');
    expect(c.get(44238)).toEqual(t.realm.measurements[0]);
    expect((c.get(44239) as Uint8Array[]).every((r) => r.length === 64)).toBe(true);
  });

  it('is reproducible from the seed: the same seed gives the same bytes, another seed other keys', () => {
    expect(tokenOf().token).toEqual(token);
    const other = tokenOf(0n, new TextEncoder().encode('another seed'));
    expect(other.el3.cpak.publicKey).not.toEqual(el3.cpak.publicKey);
    expect(other.token).not.toEqual(token);
  });

  it('passes the built-in verifier with the CPAK as trust anchor', () => {
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
    const jwk = { kty: 'EC', crv: 'P-384', x: b64(el3.cpak.publicKey.subarray(1, 49)), y: b64(el3.cpak.publicKey.subarray(49)) };
    const v = verifyCcaToken(token, jwk);
    expect(v).toMatchObject({ realmSignature: 'ok', binding: 'ok', platformSignature: 'ok', realmKeyForm: 'COSE_Key', claimErrors: [] });
    expect(verdictIsGood(v)).toBe(true);
    // One flipped bit in the realm token's signature
    const bad = token.slice();
    bad[bad.length - 1] ^= 1;
    expect(verifyCcaToken(bad, jwk).realmSignature).toBe('fail');
  });

  it('hostile input: every truncation and 500 single-bit flips give a failed verdict, never an exception', () => {
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
    const jwk = { kty: 'EC', crv: 'P-384', x: b64(el3.cpak.publicKey.subarray(1, 49)), y: b64(el3.cpak.publicKey.subarray(49)) };
    for (let n = 0; n < token.length; n += 7) expect(verdictIsGood(verifyCcaToken(token.subarray(0, n), jwk))).toBe(false);
    let seed = 12345;
    for (let i = 0; i < 500; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const bad = token.slice();
      bad[seed % bad.length] ^= 1 << (seed >>> 29);
      expect(verdictIsGood(verifyCcaToken(bad, jwk))).toBe(false);
    }
  });
});

describe('the CBOR encoder (RFC 8949), against cbor2', () => {
  const values: [string, unknown][] = [
    ['0', 0], ['23', 23], ['24', 24], ['255', 255], ['256', 256], ['65535', 65535], ['65536', 65536],
    ['2^32-1', 0xffff_ffff], ['2^32', 0x1_0000_0000], ['-1', -1], ['-24', -24], ['-25', -25], ['-35', -35],
    ['-2^32', -0x1_0000_0000], ['2^64-1', (1n << 64n) - 1n], ['-2^64', -(1n << 64n)],
    ['text', 'sha-256'], ['utf-8 text', 'héllo'], ['bytes', new Uint8Array([1, 2, 3])], ['empty bytes', new Uint8Array()],
    ['array', [1, 'a', new Uint8Array([9])]], ['true', true], ['false', false], ['null', null],
  ];
  for (const [name, v] of values) {
    it(`${name}: the shortest encoding, as cbor2 writes it, and back`, () => {
      const ours = encodeCbor(v as never);
      expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(encode(v)).toString('hex'));
      expect(decodeCbor(ours)).toEqual(v);
    });
  }
  it('maps: keys in bytewise order of their encodings (RFC 8949 4.2.1), whatever the insertion order', () => {
    const ours = encodeCbor(new Map<number | string, number>([['b', 1], [44241, 2], [10, 3], [-1, 4], ['a', 5], [265, 6]]));
    expect([...(dec(ours) as Map<unknown, unknown>).keys()]).toEqual([10, 265, 44241, -1, 'a', 'b']);
  });
  it('tags', () => {
    const t = dec(encodeCbor(new CborTag(399, new Map([[1, 2]])))) as Tag;
    expect(t.tag).toBe(399);
  });
  it('rejects malformed input with CborError: truncation, trailing bytes, indefinite lengths, floats, duplicate keys', () => {
    for (const hex of ['5820', '0000', '5f41ff', 'f93c00', 'a2010201020a']) {
      expect(() => decodeCbor(Buffer.from(hex, 'hex'))).toThrow(CborError);
    }
  });
});
