// RSI_VERSION, RSI_FEATURES, RSI_REALM_CONFIG (RMM B5.3.10, B5.3.3, B5.3.9).
import { HashAlgorithm } from '../realm.js';
import { GRANULE_SIZE, isGranuleAligned } from '../granule.js';
import { realmTarget, writeRealm } from './memory.js';
import { RsiStatus, rsiInput, rsiReturn, type RsiCaller, type RsiOutcome } from './result.js';

/** RsiInterfaceVersion 1.0: major [30:16], minor [15:0]. */
export const RSI_ABI_VERSION = 0x1_0000n;

export function rsiVersion(_c: RsiCaller, req: bigint): RsiOutcome {
  // B2.1: compatible when the major revisions match and ours has at least the requested minor
  const compatible = req >> 31n === 0n && req >> 16n === RSI_ABI_VERSION >> 16n && (req & 0xffffn) <= (RSI_ABI_VERSION & 0xffffn);
  return rsiReturn(compatible ? RsiStatus.Success : RsiStatus.ErrorInput, RSI_ABI_VERSION, RSI_ABI_VERSION);
}

/** RSI 1.0 defines no features: every index reads as zero (RMM B5.3.3). */
export function rsiFeatures(_c: RsiCaller, _index: bigint): RsiOutcome {
  return rsiReturn(RsiStatus.Success, 0n);
}

/** RsiRealmConfig (RMM B5.4.5): ipa_width @0x0, hash_algo @0x8, rpv @0x200; the rest zero. */
export function rsiRealmConfig(c: RsiCaller, addr: bigint): RsiOutcome {
  if (!isGranuleAligned(addr)) return rsiInput(); // B5.3.9 failure: addr_align
  if (!c.realm.isProtected(addr)) return rsiInput(); // B5.3.9 failure: addr_bound
  const target = realmTarget(c, addr, true);
  if (target.kind === 'abort') return { kind: 'exit', exit: target.exit, retry: true };
  if (target.kind === 'not-ram') return rsiInput();
  const cfg = new Uint8Array(Number(GRANULE_SIZE));
  const v = new DataView(cfg.buffer);
  v.setBigUint64(0x000, BigInt(c.realm.ipaWidth), true);
  v.setUint8(0x008, c.realm.hashAlgo === HashAlgorithm.Sha256 ? 0 : 1);
  cfg.set(c.realm.rpv, 0x200);
  writeRealm(c, target.pa, cfg);
  return rsiReturn(RsiStatus.Success);
}
