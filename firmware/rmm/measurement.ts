// Realm measurements (RMM A7.1): the RIM's initialisation and extensions with the measurement
// descriptors of C1.11-C1.13, in the realm's hash algorithm, results zero-filled to 64 bytes.
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { HashAlgorithm } from './realm.js';

const DESCRIPTOR_SIZE = 0x100;

export function realmHash(algo: HashAlgorithm, data: Uint8Array): Uint8Array {
  const digest = algo === HashAlgorithm.Sha256 ? sha256(data) : sha512(data);
  const out = new Uint8Array(64);
  out.set(digest);
  return out;
}

/** RimInit (RMM B4.3.9.4): the hash of a zeroed RmiRealmParams holding only the measured fields. */
export function rimInit(algo: HashAlgorithm, params: Uint8Array): Uint8Array {
  const measured = new Uint8Array(0x1000);
  // flags, s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs, hash_algo: the 8-byte slots at 0x0-0x37
  measured.set(params.subarray(0, 0x38));
  return realmHash(algo, measured);
}

function descriptor(type: number, rim: Uint8Array): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(DESCRIPTOR_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint8(0x00, type);
  view.setBigUint64(0x08, BigInt(DESCRIPTOR_SIZE), true);
  bytes.set(rim, 0x10);
  return { bytes, view };
}

/** RimExtendData (RMM B4.3.1.4, C1.11 RmmMeasurementDescriptorData). */
export function rimExtendData(algo: HashAlgorithm, rim: Uint8Array, ipa: bigint, flags: bigint, content?: Uint8Array): Uint8Array {
  const d = descriptor(0, rim);
  d.view.setBigUint64(0x50, ipa, true);
  d.view.setBigUint64(0x58, flags, true);
  if (content) d.bytes.set(realmHash(algo, content), 0x60);
  return realmHash(algo, d.bytes);
}

/** RimExtendRec (RMM B4.3.12.4, C1.12 RmmMeasurementDescriptorRec): flags, pc and gprs[0..7] only. */
export function rimExtendRec(algo: HashAlgorithm, rim: Uint8Array, params: Uint8Array): Uint8Array {
  const measured = new Uint8Array(0x1000);
  measured.set(params.subarray(0x000, 0x008), 0x000);
  measured.set(params.subarray(0x200, 0x208), 0x200);
  measured.set(params.subarray(0x300, 0x340), 0x300);
  const d = descriptor(1, rim);
  d.bytes.set(realmHash(algo, measured), 0x50);
  return realmHash(algo, d.bytes);
}

/** RimExtendRipas (RMM B4.3.18.4, C1.13 RmmMeasurementDescriptorRipas), for one RTT entry. */
export function rimExtendRipas(algo: HashAlgorithm, rim: Uint8Array, base: bigint, top: bigint): Uint8Array {
  const d = descriptor(2, rim);
  d.view.setBigUint64(0x50, base, true);
  d.view.setBigUint64(0x58, top, true);
  return realmHash(algo, d.bytes);
}
