// RSI_IPA_STATE_SET and RSI_IPA_STATE_GET (RMM B5.3.6, B5.3.5, A5.4). SET is a request to the host: it
// records the range in the REC and exits; the host's RMI_RTT_SET_RIPAS calls move rec.ripas_addr, and
// the next REC entry reports the outcome (completeIpaStateSet).
import { isGranuleAligned } from '../granule.js';
import { Ripas, RttState, entrySize, alignDown, RTT_PAGE_LEVEL } from '../rtt.js';
import { RecExitReason } from '../rec-run.js';
import type { Rec } from '../rec.js';
import type { Realm } from '../realm.js';
import { RsiStatus, rsiInput, rsiReturn, type RsiCaller, type RsiOutcome } from './result.js';

/** RsiResponse (RMM B5.4.4). */
export const RSI_ACCEPT = 0n, RSI_REJECT = 1n;

/** AddrRangeIsProtected (RMM B3.5): all of [base, top) is below the realm's Unprotected bit. */
function rangeIsProtected(realm: Realm, base: bigint, top: bigint): boolean {
  return realm.isProtected(base) && top <= 1n << BigInt(realm.ipaWidth - 1);
}

export function rsiIpaStateSet({ realm, rec }: RsiCaller, base: bigint, top: bigint, ripas: bigint, flags: bigint): RsiOutcome {
  if (!isGranuleAligned(base)) return rsiInput(); // B5.3.6 failure: base_align
  if (!isGranuleAligned(top)) return rsiInput(); // B5.3.6 failure: top_align
  if (top <= base) return rsiInput(); // B5.3.6 failure: size_valid
  if (!rangeIsProtected(realm, base, top)) return rsiInput(); // B5.3.6 failure: rgn_bound
  const value = ripas & 0xffn;
  if (value !== BigInt(Ripas.Empty) && value !== BigInt(Ripas.Ram)) return rsiInput(); // B5.3.6 failure: ripas_valid
  rec.ripasAddr = base;
  rec.ripasTop = top;
  rec.ripasValue = Number(value);
  rec.ripasChangeDestroyed = (flags & 1n) === 1n;
  // RMM A4.3.8: REC exit due to RIPAS change, the range and the value as the host sees them
  return {
    kind: 'exit',
    retry: false,
    exit: { reason: RecExitReason.RipasChange, ripasBase: base, ripasTop: top, ripasValue: Number(value) },
  };
}

/**
 * The next REC entry's half of RSI_IPA_STATE_SET: X0-X2 for the realm (RMM B5.3.6 success, B3.40
 * RecRipasChangeResponse: a host may refuse only a change to RAM, and only where progress stopped).
 */
export function completeIpaStateSet(rec: Rec, hostRejected: boolean): bigint[] {
  const rejected = rec.ripasValue === Ripas.Ram && rec.ripasAddr !== rec.ripasTop && hostRejected;
  const x = [BigInt(RsiStatus.Success), rec.ripasAddr, rejected ? RSI_REJECT : RSI_ACCEPT];
  // Outside a RIPAS change exit the REC's range is empty (RMM A4.3.8)
  rec.ripasAddr = 0n;
  rec.ripasTop = 0n;
  return x;
}

export function rsiIpaStateGet({ ctx, realm }: RsiCaller, base: bigint, top: bigint): RsiOutcome {
  if (!isGranuleAligned(base)) return rsiInput(); // B5.3.5 failure: base_align
  if (!isGranuleAligned(top)) return rsiInput(); // B5.3.5 failure: end_align
  if (top <= base) return rsiInput(); // B5.3.5 failure: size_valid
  if (!rangeIsProtected(realm, base, top)) return rsiInput(); // B5.3.5 failure: rgn_bound
  // The entries of the RTT that maps `base`, from `base` while the RIPAS stays the same, up to `top`
  const walk = ctx.rtts.walk(realm, base, RTT_PAGE_LEVEL);
  const ripas = walk.entry.ripas;
  const entries = ctx.rtts.readAll(walk.rttAddr, walk.level, walk.entries);
  const size = entrySize(walk.level);
  let outTop = alignDown(base, walk.level) + size;
  for (let i = Number((outTop - walk.rttIpaBase) / size); i < walk.entries && outTop < top; i++, outTop += size) {
    // A TABLE entry's RIPAS is its children's, which this RTT cannot tell: stop before it
    if (entries[i].state === RttState.Table || entries[i].ripas !== ripas) break;
  }
  return rsiReturn(RsiStatus.Success, outTop < top ? outTop : top, BigInt(ripas));
}
