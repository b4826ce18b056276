// Third-party CCA tokens (../shared/data/ccatoken, from Veraison's rust-ccatoken) through cca-emu's
// verifier: exactly the verdicts its README lists, and the claim sets that must be rejected.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyCcaToken, checkRealmClaims, checkPlatformClaims } from '../../src/attestation/verify.js';
import { decodeCbor, type CborMap } from '../../firmware/rmm/attestation/cbor.js';
import { PlatformAttestation } from '../../firmware/el3/attestation.js';
import { realmAttestationToken } from '../../firmware/rmm/attestation/token.js';
import { Realm, HashAlgorithm } from '../../firmware/rmm/realm.js';

// The vectors are third-party data: they stay in ../shared (beside the checkout), not in this repository
const DATA = join(__dirname, '../../../shared/data/ccatoken');
const HAVE_VECTORS = existsSync(join(DATA, 'README.md'));
if (!HAVE_VECTORS) console.warn(`third-party token vectors not found at ${DATA}: their tests are skipped`);
const read = (f: string) => new Uint8Array(readFileSync(join(DATA, f)));
const anchor = (f: string) => JSON.parse(readFileSync(join(DATA, f), 'utf8'))[0].pkey;

describe.runIf(HAVE_VECTORS)('third-party tokens: the README verdicts', () => {
  const rows: [string, string, 'raw EC point' | 'COSE_Key', 'ok' | 'fail', 'ok' | 'fail', 'ES256' | 'ES384'][] = [
    ['cca-token-01.cbor', 'ta-tfa.json', 'raw EC point', 'ok', 'ok', 'ES384'],
    ['cca-token-02.cbor', 'ta-02-ok.json', 'raw EC point', 'ok', 'ok', 'ES256'],
    ['cca-token-02.cbor', 'ta.json', 'raw EC point', 'ok', 'fail', 'ES256'],
    ['cca-token-draft-ffm-00.cbor', 'ta-tfa.json', 'COSE_Key', 'ok', 'ok', 'ES384'],
    ['bug-33-repro.cbor', 'ta-tfa.json', 'raw EC point', 'fail', 'ok', 'ES384'],
  ];
  for (const [token, ta, form, binding, platform, alg] of rows) {
    it(`${token} with ${ta}: realm signature ok, binding ${binding}, platform signature ${platform}`, () => {
      const v = verifyCcaToken(read(token), anchor(ta));
      expect(v).toMatchObject({ realmKeyForm: form, realmSignature: 'ok', realmAlgorithm: 'ES384', binding, platformSignature: platform, platformAlgorithm: alg });
    });
  }
  it('the RMM 1.0-rel0 shaped token has a complete, valid claim set; the older ones carry the pre-1.0 platform profile', () => {
    expect(verifyCcaToken(read('cca-token-draft-ffm-00.cbor'), anchor('ta-tfa.json')).claimErrors).toEqual([]);
    expect(verifyCcaToken(read('cca-token-01.cbor'), anchor('ta-tfa.json')).claimErrors).toEqual([
      'platform: profile (265) "http://arm.com/CCA-SSD/1.0.0" is not "tag:arm.com,2023:cca_platform#1.0.0"',
    ]);
  });
  it('a bare claim set is not a token', () => {
    expect(verifyCcaToken(read('realm-claims.cbor')).formatError).toMatch(/not a CCA token collection/);
  });
});

describe.runIf(HAVE_VECTORS)('third-party claim sets (A7.2.3.1)', () => {
  const claims = (f: string) => decodeCbor(read(f)) as CborMap;
  it('realm-claims.cbor is complete and valid', () => expect(checkRealmClaims(claims('realm-claims.cbor'))).toEqual([]));
  it('missing challenge is rejected', () => expect(checkRealmClaims(claims('realm-claims-missing-challenge.cbor'))).toEqual(['realm: missing challenge (10)']));
  it('a spurious numeric key is rejected', () => expect(checkRealmClaims(claims('realm-claims+spurious-numeric-key.cbor'))).toEqual(['realm: unknown claim 1234567']));
  it('a spurious text key is rejected', () => expect(checkRealmClaims(claims('realm-claims+spurious-text-key.cbor'))).toEqual(['realm: unknown claim unknown-key']));
  it('platform-claims.cbor: everything present, only the pre-1.0 profile differs', () => {
    expect(checkPlatformClaims(claims('platform-claims.cbor'))).toEqual([
      'platform: profile (265) "http://arm.com/CCA-SSD/1.0.0" is not "tag:arm.com,2023:cca_platform#1.0.0"',
    ]);
  });
});

describe('cca-emu token verify', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/cca-emu.js', 'token', ...args], { encoding: 'utf8' });
  it.runIf(HAVE_VECTORS)('exit 0 and "verdict: ok" for a good token with its trust anchor', () => {
    const r = cli('verify', join(DATA, 'cca-token-draft-ffm-00.cbor'), '--platform-key', join(DATA, 'ta-tfa.json'));
    expect(r.stdout).toContain('verdict: ok');
    expect(r.status).toBe(0);
  });
  it.runIf(HAVE_VECTORS)('exit 1 with the failing check named, --json', () => {
    const r = cli('verify', join(DATA, 'bug-33-repro.cbor'), '--platform-key', join(DATA, 'ta-tfa.json'), '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ realmSignature: 'ok', binding: 'fail', platformSignature: 'ok', ok: false });
  });
  it('a token cca-emu made verifies against the key `token platform-key` prints', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'cca-token-'));
    const realm = new Realm(0x1000n, 40, HashAlgorithm.Sha256, 0x2000n, 1, 2, 1, new Uint8Array(64), false);
    writeFileSync(join(tmp, 't.cbor'), realmAttestationToken(realm, new Uint8Array(64).fill(7), new PlatformAttestation(new TextEncoder().encode('s1'))));
    const key = cli('platform-key', '--seed', 's1');
    expect(key.status).toBe(0);
    writeFileSync(join(tmp, 'k.json'), key.stdout);
    expect(cli('verify', join(tmp, 't.cbor'), '--platform-key', join(tmp, 'k.json')).status).toBe(0);
    // Another machine's key does not verify it
    writeFileSync(join(tmp, 'k2.json'), cli('platform-key').stdout);
    expect(cli('verify', join(tmp, 't.cbor'), '--platform-key', join(tmp, 'k2.json')).status).toBe(1);
  });
  it.runIf(HAVE_VECTORS)('exit 2 and one line for a missing file or a key file without a JWK', () => {
    const r = cli('verify', '/nonexistent.cbor');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^cca-emu: cannot read token/);
    const k = cli('verify', join(DATA, 'cca-token-01.cbor'), '--platform-key', join(DATA, 'rv.json'));
    expect(k.status).toBe(2);
    expect(k.stderr).toMatch(/holds no EC JWK/);
    const tmp = mkdtempSync(join(tmpdir(), 'cca-key-'));
    for (const [name, jwk, message] of [
      ['curve', { kty: 'EC', crv: 'P-999', x: 'AA', y: 'AA' }, /not an EC P-256\/P-384\/P-521 JWK/],
      ['size', { kty: 'EC', crv: 'P-384', x: 'AA', y: 'AA' }, /not 48 bytes/],
      ['base64', { kty: 'EC', crv: 'P-384', x: '!!', y: 'AA' }, /not base64url/],
    ] as const) {
      writeFileSync(join(tmp, `${name}.json`), JSON.stringify(jwk));
      const bad = cli('verify', join(DATA, 'cca-token-01.cbor'), '--platform-key', join(tmp, `${name}.json`));
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(message);
    }
  });
});
