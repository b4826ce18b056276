// A CCA attestation token verifier (RMM A7.2.3): takes the tag-399 collection apart, checks the realm
// token's signature with the realm public key it carries, the binding (platform challenge == hash of
// that key), the platform token's signature with a trust anchor, and each claim set against the spec's
// claim list. Errors in the input are verdicts, never exceptions.
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { CborError, CborTag, decodeCbor, type CborMap, type CborValue } from '../../firmware/rmm/attestation/cbor.js';
import {
  ECDSA_ALGORITHMS, parseCoseSign1, publicKeyOfCoseKey, verifyCoseSign1, type CoseSign1, type EcdsaName,
} from '../../firmware/rmm/attestation/cose.js';
import {
  CCA_PLATFORM_TOKEN, CCA_REALM_DELEGATED_TOKEN, CCA_TOKEN_COLLECTION_TAG, PLATFORM_PROFILE, PlatformClaim, REALM_PROFILE,
  RealmClaim, SwComponent,
} from '../../firmware/rmm/attestation/claims.js';

export type Check = 'ok' | 'fail' | 'unchecked';

export interface TokenVerdict {
  realmSignature: Check;
  binding: Check;
  platformSignature: Check;
  realmKeyForm?: 'raw EC point' | 'COSE_Key';
  realmAlgorithm?: EcdsaName;
  platformAlgorithm?: EcdsaName;
  /** Claim-set problems, one line each (missing, wrong type or size, unknown key). */
  claimErrors: string[];
  /** Why the token could not be taken apart at all. */
  formatError?: string;
  realmClaims?: CborMap;
  platformClaims?: CborMap;
}

export interface JsonWebKey {
  kty: string;
  crv: string;
  x: string;
  y: string;
}

const HASHES: Record<string, (b: Uint8Array) => Uint8Array> = { 'sha-256': sha256, 'sha-384': sha384, 'sha-512': sha512 };

function fromBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*$/.test(b64)) throw new Error('JWK coordinate is not base64url');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The uncompressed point of an EC JWK (RFC 7518 section 6.2.1). */
export function publicKeyOfJwk(jwk: JsonWebKey): { algorithm: EcdsaName; publicKey: Uint8Array } {
  const algorithm = (Object.keys(ECDSA_ALGORITHMS) as EcdsaName[]).find((n) => ECDSA_ALGORITHMS[n].jwkCrv === jwk.crv);
  if (jwk.kty !== 'EC' || !algorithm) throw new Error(`not an EC P-256/P-384/P-521 JWK (kty ${jwk.kty}, crv ${jwk.crv})`);
  const x = fromBase64Url(jwk.x), y = fromBase64Url(jwk.y);
  const size = ECDSA_ALGORITHMS[algorithm].size;
  if (x.length !== size || y.length !== size) throw new Error(`JWK coordinates are not ${size} bytes`);
  return { algorithm, publicKey: Uint8Array.of(4, ...x, ...y) };
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
const isBytes = (v: CborValue | undefined, ...sizes: number[]): boolean => v instanceof Uint8Array && (sizes.length === 0 || sizes.includes(v.length));
const isText = (v: CborValue | undefined): v is string => typeof v === 'string';
const isUint = (v: CborValue | undefined): boolean => (typeof v === 'number' || typeof v === 'bigint') && v >= 0;

/** RMM A7.2.3.1: every mandatory realm claim present with its type and size, nothing unknown. */
export function checkRealmClaims(c: CborMap): string[] {
  const errors: string[] = [];
  const known = new Set<unknown>(Object.values(RealmClaim));
  for (const k of c.keys()) if (!known.has(k)) errors.push(`realm: unknown claim ${String(k)}`);
  const need = (key: number, name: string, ok: boolean) => {
    if (!c.has(key)) errors.push(`realm: missing ${name} (${key})`);
    else if (!ok) errors.push(`realm: ${name} (${key}) has the wrong type or size`);
  };
  need(RealmClaim.challenge, 'challenge', isBytes(c.get(RealmClaim.challenge), 64));
  need(RealmClaim.personalizationValue, 'personalization value', isBytes(c.get(RealmClaim.personalizationValue), 64));
  const rim = c.get(RealmClaim.initialMeasurement);
  need(RealmClaim.initialMeasurement, 'initial measurement', isBytes(rim, 32, 48, 64));
  const rems = c.get(RealmClaim.extensibleMeasurements);
  need(RealmClaim.extensibleMeasurements, 'extensible measurements',
    Array.isArray(rems) && rems.length === 4 && rems.every((r) => isBytes(r, 32, 48, 64)));
  need(RealmClaim.hashAlgoId, 'hash algorithm id', isText(c.get(RealmClaim.hashAlgoId)));
  need(RealmClaim.publicKey, 'public key', isBytes(c.get(RealmClaim.publicKey)));
  need(RealmClaim.publicKeyHashAlgoId, 'public key hash algorithm id', isText(c.get(RealmClaim.publicKeyHashAlgoId)));
  const profile = c.get(RealmClaim.profile);
  if (profile !== undefined && profile !== REALM_PROFILE) errors.push(`realm: profile (265) is not "${REALM_PROFILE}"`);
  return errors;
}

/** RMM A7.2.3.2: the CCA platform claims. */
export function checkPlatformClaims(c: CborMap): string[] {
  const errors: string[] = [];
  const known = new Set<unknown>(Object.values(PlatformClaim));
  for (const k of c.keys()) if (!known.has(k)) errors.push(`platform: unknown claim ${String(k)}`);
  const need = (key: number, name: string, ok: boolean) => {
    if (!c.has(key)) errors.push(`platform: missing ${name} (${key})`);
    else if (!ok) errors.push(`platform: ${name} (${key}) has the wrong type or size`);
  };
  const profile = c.get(PlatformClaim.profile);
  if (profile === undefined) errors.push(`platform: missing profile (${PlatformClaim.profile})`);
  else if (profile !== PLATFORM_PROFILE) errors.push(`platform: profile (265) ${JSON.stringify(profile)} is not "${PLATFORM_PROFILE}"`);
  need(PlatformClaim.challenge, 'challenge', isBytes(c.get(PlatformClaim.challenge), 32, 48, 64));
  need(PlatformClaim.implementationId, 'implementation id', isBytes(c.get(PlatformClaim.implementationId), 32));
  const instance = c.get(PlatformClaim.instanceId);
  need(PlatformClaim.instanceId, 'instance id', isBytes(instance, 33) && (instance as Uint8Array)[0] === 0x01);
  need(PlatformClaim.config, 'platform config', isBytes(c.get(PlatformClaim.config)));
  need(PlatformClaim.lifecycle, 'lifecycle', isUint(c.get(PlatformClaim.lifecycle)));
  const sw = c.get(PlatformClaim.softwareComponents);
  need(PlatformClaim.softwareComponents, 'software components', Array.isArray(sw) && sw.every((m) => m instanceof Map
    && isBytes(m.get(SwComponent.measurement)) && isBytes(m.get(SwComponent.signerId))));
  const vs = c.get(PlatformClaim.verificationService);
  if (vs !== undefined && !isText(vs)) errors.push('platform: verification service (2400) is not text');
  need(PlatformClaim.hashAlgoId, 'hash algorithm id', isText(c.get(PlatformClaim.hashAlgoId)));
  return errors;
}

function claimsOf(msg: CoseSign1): CborMap {
  const c = decodeCbor(msg.payload);
  if (!(c instanceof Map)) throw new CborError('the payload is not a claims map');
  return c;
}

/** The realm public key claim in either form a token may hold: a raw EC point, or a COSE_Key (1.0-rel0). */
function realmPublicKey(claim: Uint8Array): { form: 'raw EC point' | 'COSE_Key'; algorithm: EcdsaName; publicKey: Uint8Array } | undefined {
  const raw = (Object.keys(ECDSA_ALGORITHMS) as EcdsaName[]).find((n) => claim.length === 1 + 2 * ECDSA_ALGORITHMS[n].size);
  if (claim[0] === 0x04 && raw) return { form: 'raw EC point', algorithm: raw, publicKey: claim };
  try {
    const k = publicKeyOfCoseKey(claim);
    return k && { form: 'COSE_Key', ...k };
  } catch {
    return undefined;
  }
}

export function verifyCcaToken(bytes: Uint8Array, platformKey?: JsonWebKey): TokenVerdict {
  const v: TokenVerdict = { realmSignature: 'unchecked', binding: 'unchecked', platformSignature: 'unchecked', claimErrors: [] };
  try {
    const top = decodeCbor(bytes);
    if (!(top instanceof CborTag) || top.tag !== CCA_TOKEN_COLLECTION_TAG || !(top.value instanceof Map)) {
      throw new CborError(`not a CCA token collection (tag ${CCA_TOKEN_COLLECTION_TAG} over a map)`);
    }
    const platformBytes = top.value.get(CCA_PLATFORM_TOKEN), realmBytes = top.value.get(CCA_REALM_DELEGATED_TOKEN);
    if (!(platformBytes instanceof Uint8Array) || !(realmBytes instanceof Uint8Array)) {
      throw new CborError(`the collection lacks the platform (${CCA_PLATFORM_TOKEN}) or realm (${CCA_REALM_DELEGATED_TOKEN}) token`);
    }
    const realm = parseCoseSign1(realmBytes), platform = parseCoseSign1(platformBytes);
    v.realmAlgorithm = realm.algorithm;
    v.platformAlgorithm = platform.algorithm;
    const rc = (v.realmClaims = claimsOf(realm)), pc = (v.platformClaims = claimsOf(platform));
    v.claimErrors.push(...checkRealmClaims(rc), ...checkPlatformClaims(pc));

    const keyClaim = rc.get(RealmClaim.publicKey);
    const rak = keyClaim instanceof Uint8Array ? realmPublicKey(keyClaim) : undefined;
    v.realmKeyForm = rak?.form;
    v.realmSignature = rak && rak.algorithm === realm.algorithm && verifyCoseSign1(realm, rak.publicKey) ? 'ok' : 'fail';

    const hash = HASHES[String(rc.get(RealmClaim.publicKeyHashAlgoId))];
    const challenge = pc.get(PlatformClaim.challenge);
    v.binding = keyClaim instanceof Uint8Array && hash && challenge instanceof Uint8Array && equal(hash(keyClaim), challenge) ? 'ok' : 'fail';

    if (platformKey) {
      const pk = publicKeyOfJwk(platformKey);
      v.platformSignature = pk.algorithm === platform.algorithm && verifyCoseSign1(platform, pk.publicKey) ? 'ok' : 'fail';
    }
  } catch (e) {
    if (!(e instanceof CborError)) throw e;
    v.formatError = e.message;
  }
  return v;
}

/** Every check that ran passed, and the claims are complete. */
export function verdictIsGood(v: TokenVerdict): boolean {
  return !v.formatError && v.claimErrors.length === 0 && [v.realmSignature, v.binding, v.platformSignature].every((c) => c !== 'fail');
}
