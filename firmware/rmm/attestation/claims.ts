// Claim keys of the CCA attestation token (RMM A7.2.3) and the realm token built from them.
import { CborTag, encodeCbor, type CborValue } from './cbor.js';
import { coseKey, signCoseSign1, type EcKeyPair } from './cose.js';

/** The CMW collection tag and its two members (RMM A7.2.3). */
export const CCA_TOKEN_COLLECTION_TAG = 399;
export const CCA_PLATFORM_TOKEN = 44234;
export const CCA_REALM_DELEGATED_TOKEN = 44241;

/** Realm claims (RMM A7.2.3.1). */
export const RealmClaim = {
  challenge: 10,
  profile: 265,
  personalizationValue: 44235,
  hashAlgoId: 44236,
  publicKey: 44237,
  initialMeasurement: 44238,
  extensibleMeasurements: 44239,
  publicKeyHashAlgoId: 44240,
} as const;

/** CCA platform claims (RMM A7.2.3.2). */
export const PlatformClaim = {
  challenge: 10,
  instanceId: 256,
  profile: 265,
  lifecycle: 2395,
  implementationId: 2396,
  softwareComponents: 2399,
  verificationService: 2400,
  config: 2401,
  hashAlgoId: 2402,
} as const;

/** Keys of one software component map (RMM A7.2.3.2, PSA attestation token). */
export const SwComponent = { type: 1, measurement: 2, version: 4, signerId: 5, hashAlgoId: 6 } as const;

export const REALM_PROFILE = 'tag:arm.com,2023:realm#1.0.0';
export const PLATFORM_PROFILE = 'tag:arm.com,2023:cca_platform#1.0.0';

export interface RealmTokenInput {
  challenge: Uint8Array;
  rpv: Uint8Array;
  /** The hash algorithm's IANA name: 'sha-256' or 'sha-512'. */
  hashAlgoId: string;
  /** RIM and REM1..4, each the digest length of the realm's hash algorithm. */
  rim: Uint8Array;
  rems: Uint8Array[];
  rak: EcKeyPair;
  /** The algorithm that hashes the RAK public key into the platform challenge. */
  rakHashAlgoId: string;
}

/** The realm claims map (RMM A7.2.3.1), the RAK public key as a COSE_Key (the 1.0-rel0 encoding). */
export function realmClaims(t: RealmTokenInput): Map<number, CborValue> {
  return new Map<number, CborValue>([
    [RealmClaim.challenge, t.challenge],
    [RealmClaim.profile, REALM_PROFILE],
    [RealmClaim.personalizationValue, t.rpv],
    [RealmClaim.initialMeasurement, t.rim],
    [RealmClaim.extensibleMeasurements, t.rems],
    [RealmClaim.hashAlgoId, t.hashAlgoId],
    [RealmClaim.publicKey, coseKey(t.rak.algorithm, t.rak.publicKey)],
    [RealmClaim.publicKeyHashAlgoId, t.rakHashAlgoId],
  ]);
}

/** The realm token: COSE_Sign1 over the realm claims, signed with the RAK. */
export function realmToken(t: RealmTokenInput): Uint8Array {
  return signCoseSign1(t.rak, encodeCbor(realmClaims(t)));
}

/** The CCA token (RMM A7.2.3): tag 399 over {44234: platform token, 44241: realm token}. */
export function ccaToken(platformToken: Uint8Array, realmTokenBytes: Uint8Array): Uint8Array {
  return encodeCbor(new CborTag(CCA_TOKEN_COLLECTION_TAG, new Map([
    [CCA_PLATFORM_TOKEN, platformToken],
    [CCA_REALM_DELEGATED_TOKEN, realmTokenBytes],
  ])));
}
