// COSE_Sign1 (RFC 9052 section 4.2, 4.4) with ECDSA (RFC 9053 section 2.1), and EC2 COSE_Key (RFC 9053
// section 7.1): the signature format of both halves of the CCA attestation token (RMM A7.2.3).
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha384 } from '@noble/hashes/sha2.js';
import { CborError, CborTag, decodeCbor, encodeCbor, type CborMap, type CborValue } from './cbor.js';

export const COSE_SIGN1_TAG = 18;
const HEADER_ALG = 1;

/** The ECDSA algorithms a token may carry: COSE alg id, curve and coordinate size. */
export const ECDSA_ALGORITHMS = {
  ES256: { alg: -7, curve: p256, crv: 1, size: 32, jwkCrv: 'P-256' },
  ES384: { alg: -35, curve: p384, crv: 2, size: 48, jwkCrv: 'P-384' },
  ES512: { alg: -36, curve: p521, crv: 3, size: 66, jwkCrv: 'P-521' },
} as const;
export type EcdsaName = keyof typeof ECDSA_ALGORITHMS;

export interface EcKeyPair {
  algorithm: EcdsaName;
  secretKey: Uint8Array;
  /** SEC 1 uncompressed point: 0x04 || x || y. */
  publicKey: Uint8Array;
}

/** A key pair derived from a seed and a label (HKDF-SHA384), so the same machine signs the same way. */
export function deriveKeyPair(algorithm: EcdsaName, seed: Uint8Array, label: string): EcKeyPair {
  const { curve } = ECDSA_ALGORITHMS[algorithm];
  // FIPS 186-5 A.2.1: the curve's seed length carries 64 bits more than n, so the reduction is unbiased
  const material = hkdf(sha384, seed, undefined, new TextEncoder().encode(label), curve.lengths.seed!);
  const secretKey = curve.utils.randomSecretKey(material);
  return { algorithm, secretKey, publicKey: curve.getPublicKey(secretKey, false) };
}

/** The EC2 COSE_Key of a public key: {kty: EC2, crv, x, y} (RFC 9053 section 7.1.1). */
export function coseKey(algorithm: EcdsaName, publicKey: Uint8Array): Uint8Array {
  const { crv, size } = ECDSA_ALGORITHMS[algorithm];
  return encodeCbor(new Map<number, CborValue>([
    [1, 2],
    [-1, crv],
    [-2, publicKey.slice(1, 1 + size)],
    [-3, publicKey.slice(1 + size, 1 + 2 * size)],
  ]));
}

/** The Sig_structure for a COSE_Sign1 with no external AAD (RFC 9052 section 4.4). */
function toBeSigned(protectedHeader: Uint8Array, payload: Uint8Array): Uint8Array {
  return encodeCbor(['Signature1', protectedHeader, new Uint8Array(0), payload]);
}

/** COSE_Sign1_Tagged over `payload`; ECDSA with RFC 6979 nonces, so the signature is deterministic. */
export function signCoseSign1(key: EcKeyPair, payload: Uint8Array): Uint8Array {
  const { alg, curve } = ECDSA_ALGORITHMS[key.algorithm];
  const protectedHeader = encodeCbor(new Map([[HEADER_ALG, alg]]));
  const signature = curve.sign(toBeSigned(protectedHeader, payload), key.secretKey);
  return encodeCbor(new CborTag(COSE_SIGN1_TAG, [protectedHeader, new Map(), payload, signature]));
}

export interface CoseSign1 {
  protectedHeader: Uint8Array;
  algorithm?: EcdsaName;
  payload: Uint8Array;
  signature: Uint8Array;
}

/** Takes a COSE_Sign1 apart (tagged or not); throws CborError when it is not one. */
export function parseCoseSign1(bytes: Uint8Array): CoseSign1 {
  let v = decodeCbor(bytes);
  if (v instanceof CborTag) {
    if (v.tag !== COSE_SIGN1_TAG) throw new CborError(`tag ${v.tag} is not COSE_Sign1 (18)`);
    v = v.value;
  }
  if (!Array.isArray(v) || v.length !== 4) throw new CborError('COSE_Sign1 is not an array of 4');
  const [protectedHeader, unprotected, payload, signature] = v;
  if (!(protectedHeader instanceof Uint8Array) || !(unprotected instanceof Map) || !(payload instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
    throw new CborError('COSE_Sign1 members have the wrong types');
  }
  const header = protectedHeader.length ? decodeCbor(protectedHeader) : new Map();
  if (!(header instanceof Map)) throw new CborError('protected header is not a map');
  const alg = (header as CborMap).get(HEADER_ALG);
  const algorithm = (Object.keys(ECDSA_ALGORITHMS) as EcdsaName[]).find((n) => ECDSA_ALGORITHMS[n].alg === alg);
  return { protectedHeader, algorithm, payload, signature };
}

/** Checks the signature of a parsed COSE_Sign1 with an uncompressed public key of the same curve. */
export function verifyCoseSign1(msg: CoseSign1, publicKey: Uint8Array): boolean {
  if (!msg.algorithm) return false;
  const { curve, size } = ECDSA_ALGORITHMS[msg.algorithm];
  if (msg.signature.length !== 2 * size || publicKey.length !== 1 + 2 * size) return false;
  try {
    // Other signers need not normalise s, so high-s signatures are valid ECDSA here
    return curve.verify(msg.signature, toBeSigned(msg.protectedHeader, msg.payload), publicKey, { lowS: false });
  } catch {
    return false;
  }
}

/** The uncompressed point of an EC2 COSE_Key, or undefined when it is not one of a known curve. */
export function publicKeyOfCoseKey(bytes: Uint8Array): { algorithm: EcdsaName; publicKey: Uint8Array } | undefined {
  const key = decodeCbor(bytes);
  if (!(key instanceof Map) || key.get(1) !== 2) return undefined;
  const algorithm = (Object.keys(ECDSA_ALGORITHMS) as EcdsaName[]).find((n) => ECDSA_ALGORITHMS[n].crv === key.get(-1));
  const x = key.get(-2), y = key.get(-3);
  if (!algorithm || !(x instanceof Uint8Array) || !(y instanceof Uint8Array)) return undefined;
  const { size } = ECDSA_ALGORITHMS[algorithm];
  if (x.length !== size || y.length !== size) return undefined;
  const publicKey = new Uint8Array(1 + 2 * size);
  publicKey[0] = 4;
  publicKey.set(x, 1);
  publicKey.set(y, 1 + size);
  return { algorithm, publicKey };
}
