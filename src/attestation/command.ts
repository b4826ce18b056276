// `cca-emu token verify FILE [--platform-key JWK] [--json]` and `cca-emu token platform-key [--seed S]`.
import { readFileSync } from 'node:fs';
import { verifyCcaToken, verdictIsGood, publicKeyOfJwk, type JsonWebKey, type TokenVerdict } from './verify.js';
import { PlatformAttestation, DEFAULT_ATTESTATION_SEED } from '../../firmware/el3/attestation.js';

/** Thrown for input the user must fix: the CLI prints it and exits with its usage status. */
export class TokenInputError extends Error {}

export const EXIT_VERIFY_FAILED = 1;

function readInput(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new TokenInputError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** A JWK file, or a trust-anchor list (as Veraison's ta*.json) whose first entry holds it as `pkey`. */
export function readPlatformKey(path: string): JsonWebKey {
  let json: unknown;
  try {
    json = JSON.parse(readInput(path, 'platform key').toString('utf8'));
  } catch (e) {
    if (e instanceof TokenInputError) throw e;
    throw new TokenInputError(`${path} is not JSON`);
  }
  const jwk = (Array.isArray(json) ? (json[0] as { pkey?: unknown })?.pkey : json) as Partial<JsonWebKey> | undefined;
  if (!jwk || typeof jwk.x !== 'string' || typeof jwk.y !== 'string' || typeof jwk.crv !== 'string' || jwk.kty !== 'EC') {
    throw new TokenInputError(`${path} holds no EC JWK (kty, crv, x, y)`);
  }
  try {
    publicKeyOfJwk(jwk as JsonWebKey);
  } catch (e) {
    throw new TokenInputError(`${path}: ${(e as Error).message}`);
  }
  return jwk as JsonWebKey;
}

function report(v: TokenVerdict): string {
  const lines = [
    `realm signature:    ${v.realmSignature}${v.realmAlgorithm ? ` (${v.realmAlgorithm}, key as ${v.realmKeyForm ?? 'unreadable'})` : ''}`,
    `binding:            ${v.binding}`,
    `platform signature: ${v.platformSignature}${v.platformSignature === 'unchecked' ? ' (no --platform-key)' : v.platformAlgorithm ? ` (${v.platformAlgorithm})` : ''}`,
    ...v.claimErrors.map((e) => `claim:              ${e}`),
  ];
  if (v.formatError) lines.unshift(`format:             ${v.formatError}`);
  lines.push(verdictIsGood(v) ? 'verdict: ok' : 'verdict: FAILED');
  return lines.join('\n') + '\n';
}

export function tokenVerifyCommand(file: string, opts: { platformKey?: string; json?: boolean }): number {
  const token = new Uint8Array(readInput(file, 'token'));
  const key = opts.platformKey ? readPlatformKey(opts.platformKey) : undefined;
  const v = verifyCcaToken(token, key);
  if (opts.json) {
    const { realmClaims: _r, platformClaims: _p, ...summary } = v;
    process.stdout.write(JSON.stringify({ ...summary, ok: verdictIsGood(v) }) + '\n');
  } else {
    process.stdout.write(report(v));
  }
  return verdictIsGood(v) ? 0 : EXIT_VERIFY_FAILED;
}

/** The CPAK of a machine with this seed, as a JWK: the trust anchor for its tokens. */
export function platformKeyCommand(opts: { seed?: string }): number {
  const seed = opts.seed === undefined ? DEFAULT_ATTESTATION_SEED : new TextEncoder().encode(opts.seed);
  const { publicKey } = new PlatformAttestation(seed).cpak;
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
  process.stdout.write(JSON.stringify({ kty: 'EC', crv: 'P-384', x: b64(publicKey.subarray(1, 49)), y: b64(publicKey.subarray(49)) }, null, 2) + '\n');
  return 0;
}
