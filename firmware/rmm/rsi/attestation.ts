// RSI_ATTESTATION_TOKEN_INIT and RSI_ATTESTATION_TOKEN_CONTINUE (RMM B5.3.2, B5.3.1, A7.2.2): INIT makes
// the whole CCA token at once (signing is quick here), CONTINUE hands it out into realm granules.
import { GRANULE_SIZE, isGranuleAligned } from '../granule.js';
import { realmAttestationToken } from '../attestation/token.js';
import { realmTarget, writeRealm } from './memory.js';
import { RsiStatus, bytesOfDoublewords, rsiInput, rsiReturn, type RsiCaller, type RsiOutcome } from './result.js';

export function rsiAttestationTokenInit(c: RsiCaller, ...challenge: bigint[]): RsiOutcome {
  // A new INIT abandons any generation in progress on this REC (RMM A7.2.2)
  const { rec } = c;
  rec.attestInProgress = true;
  rec.attestOffset = 0;
  rec.attestToken = c.ctx.attestation ? realmAttestationToken(c.realm, bytesOfDoublewords(challenge), c.ctx.attestation) : undefined;
  // X1: an upper bound of the token size; the exact size is one
  return rsiReturn(RsiStatus.Success, BigInt(rec.attestToken?.length ?? 0));
}

export function rsiAttestationTokenContinue(c: RsiCaller, addr: bigint, offset: bigint, size: bigint): RsiOutcome {
  const { rec } = c;
  if (!isGranuleAligned(addr)) return rsiInput(); // B5.3.1 failure: addr_align
  if (!c.realm.isProtected(addr)) return rsiInput(); // B5.3.1 failure: addr_bound
  if (offset >= GRANULE_SIZE) return rsiInput(); // B5.3.1 failure: offset_bound
  if (offset + size >= 1n << 64n) return rsiInput(); // B5.3.1 failure: size_overflow
  if (offset + size > GRANULE_SIZE) return rsiInput(); // B5.3.1 failure: size_bound
  if (!rec.attestInProgress) return rsiReturn(RsiStatus.ErrorState); // B5.3.1 failure: state
  const token = rec.attestToken;
  // B5.3.1 failure: unknown (no attestation service from EL3, so no token could be made)
  if (!token) return rsiReturn(RsiStatus.ErrorUnknown);
  const target = realmTarget(c, addr + offset, true);
  if (target.kind === 'abort') return { kind: 'exit', exit: target.exit, retry: true };
  if (target.kind === 'not-ram') return rsiInput();
  const chunk = token.subarray(rec.attestOffset, rec.attestOffset + Number(size));
  writeRealm(c, target.pa, chunk);
  rec.attestOffset += chunk.length;
  if (rec.attestOffset < token.length) return rsiReturn(RsiStatus.Incomplete, BigInt(chunk.length));
  // B5.3.1 success: complete
  c.ctx.onToken?.(token);
  rec.attestInProgress = false;
  rec.attestToken = undefined;
  return rsiReturn(RsiStatus.Success, BigInt(chunk.length));
}
