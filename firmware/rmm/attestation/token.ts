// The CCA attestation token of a realm (RMM A7.2): the realm token signed with the RAK that EL3 gives
// the RMM, bound to EL3's platform token by the hash of the RAK public key as the platform challenge.
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { HashAlgorithm, type Realm } from '../realm.js';
import { ccaToken, realmToken } from './claims.js';
import { coseKey, type EcKeyPair } from './cose.js';

/** RMM_ATTEST_GET_REALM_KEY and RMM_ATTEST_GET_PLAT_TOKEN, as TF-A's RMM-EL3 interface offers them. */
export interface El3Attestation {
  realmAttestationKey(): EcKeyPair;
  /** The platform token whose challenge claim is `challenge`. */
  platformToken(challenge: Uint8Array): Uint8Array;
}

const IANA_HASH_NAME = { [HashAlgorithm.Sha256]: 'sha-256', [HashAlgorithm.Sha512]: 'sha-512' } as const;
const DIGEST_SIZE = { [HashAlgorithm.Sha256]: 32, [HashAlgorithm.Sha512]: 64 } as const;

/** The RAK hash that binds the two tokens (SHA-256 of the COSE_Key, as TF-RMM computes it). */
export const RAK_HASH_ALGO_ID = 'sha-256';

/** The whole CCA token for `realm` with a 64-byte challenge. */
export function realmAttestationToken(realm: Realm, challenge: Uint8Array, el3: El3Attestation): Uint8Array {
  const rak = el3.realmAttestationKey();
  const platform = el3.platformToken(sha256(coseKey(rak.algorithm, rak.publicKey)));
  // Measurements are held in 64-byte slots; the claims carry the digest length (RMM A7.2.3.1)
  const size = DIGEST_SIZE[realm.hashAlgo];
  const [rim, ...rems] = realm.measurements.map((m) => m.slice(0, size));
  const realmPart = realmToken({
    challenge, rpv: realm.rpv, hashAlgoId: IANA_HASH_NAME[realm.hashAlgo], rim, rems, rak, rakHashAlgoId: RAK_HASH_ALGO_ID,
  });
  return ccaToken(platform, realmPart);
}

/**
 * The REM extension (RMM B5.3.7, B3.42 RemExtend): the `size` low bytes of the value, zero-padded to
 * 512 bits, hashed after the current REM: REM := H(REM[digest] || value[size] || zeros[64 - size]).
 * (TF-RMM hashes the `size` bytes alone; the specification pads, and it is the law here.)
 */
export function remExtend(algo: HashAlgorithm, rem: Uint8Array, value: Uint8Array, size: number): Uint8Array {
  const input = new Uint8Array(DIGEST_SIZE[algo] + 64);
  input.set(rem.subarray(0, DIGEST_SIZE[algo]));
  input.set(value.subarray(0, size), DIGEST_SIZE[algo]);
  const out = new Uint8Array(64);
  out.set(algo === HashAlgorithm.Sha256 ? sha256(input) : sha512(input));
  return out;
}
