// The platform side of attestation, as TF-A serves it to the RMM over the RMM-EL3 interface
// (RMM_ATTEST_GET_REALM_KEY, RMM_ATTEST_GET_PLAT_TOKEN): the realm attestation key, and the CCA platform
// token (RMM A7.2.3.2) signed with the platform attestation key, its challenge the hash of the RAK.
// Both keys come from a seed the machine owns, so a machine with the same seed gives the same tokens.
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeCbor, type CborValue } from '../rmm/attestation/cbor.js';
import { deriveKeyPair, signCoseSign1, type EcKeyPair } from '../rmm/attestation/cose.js';
import type { El3Attestation } from '../rmm/attestation/token.js';
import { PLATFORM_PROFILE, PlatformClaim, SwComponent } from '../rmm/attestation/claims.js';

/** The seed of a machine given none: fixed, so default tokens are reproducible across runs. */
export const DEFAULT_ATTESTATION_SEED = new TextEncoder().encode('cca-emu default attestation seed');

const label = (s: string) => new TextEncoder().encode(s);

/** PSA lifecycle "secured" (RMM A7.2.3.2 cca-platform-lifecycle-secured-type). */
const LIFECYCLE_SECURED = 0x3000;

export class PlatformAttestation implements El3Attestation {
  // The key pairs are derived on first use: P-384 point arithmetic is most of a realm boot's start-up
  private cpakPair?: EcKeyPair;
  private rakPair?: EcKeyPair;
  /** The implementation ID names the platform's design, not the seed: every cca-emu has the same one. */
  readonly implementationId = sha256(label('cca-emu platform implementation 1'));

  constructor(private readonly seed: Uint8Array = DEFAULT_ATTESTATION_SEED) {}

  /** The CCA platform attestation key (CPAK; PSA's IAK). */
  get cpak(): EcKeyPair {
    return (this.cpakPair ??= deriveKeyPair('ES384', this.seed, 'cca-emu CPAK'));
  }

  get rak(): EcKeyPair {
    return (this.rakPair ??= deriveKeyPair('ES384', this.seed, 'cca-emu RAK'));
  }

  /** EAT UEID of type RAND (0x01) followed by the hash of the CPAK public key, as PSA platforms derive it. */
  get instanceId(): Uint8Array {
    return new Uint8Array([0x01, ...sha256(this.cpak.publicKey)]);
  }

  /** RMM_ATTEST_GET_REALM_KEY: the RAK, a P-384 key pair (ES384, as TF-RMM uses it). */
  realmAttestationKey(): EcKeyPair {
    return this.rak;
  }

  platformToken(challenge: Uint8Array): Uint8Array {
    return signCoseSign1(this.cpak, encodeCbor(this.claims(challenge)));
  }

  /** The CCA platform claims (RMM A7.2.3.2); the components are the firmware this machine runs. */
  claims(challenge: Uint8Array): Map<number, CborValue> {
    const component = (type: string, version: string) => new Map<number, CborValue>([
      [SwComponent.type, type],
      [SwComponent.measurement, sha256(label(`cca-emu ${type} ${version}`))],
      [SwComponent.version, version],
      [SwComponent.signerId, sha256(label('cca-emu firmware signer'))],
      [SwComponent.hashAlgoId, 'sha-256'],
    ]);
    return new Map<number, CborValue>([
      [PlatformClaim.profile, PLATFORM_PROFILE],
      [PlatformClaim.challenge, challenge],
      [PlatformClaim.implementationId, this.implementationId],
      [PlatformClaim.instanceId, this.instanceId],
      [PlatformClaim.config, new Uint8Array(4)],
      [PlatformClaim.lifecycle, LIFECYCLE_SECURED],
      [PlatformClaim.softwareComponents, [component('BL31', '0.1.0'), component('RMM', '1.0-rel0')]],
      [PlatformClaim.verificationService, 'https://veraison.example/.well-known/veraison/verification'],
      [PlatformClaim.hashAlgoId, 'sha-256'],
    ]);
  }
}
