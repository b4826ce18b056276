// What an RSI command gives back to the REC exit path (RMM B5.2, B5.4.1): either X0.. for the realm, or
// a REC exit to the host (the command completes on the next REC entry, or runs again after a data abort).
import type { RmmContext } from '../context.js';
import type { Realm } from '../realm.js';
import type { Rec } from '../rec.js';
import type { RecExit } from '../rec-run.js';

/** RsiCommandReturnCode (RMM B5.4.1). */
export const enum RsiStatus {
  Success = 0,
  ErrorInput = 1,
  ErrorState = 2,
  Incomplete = 3,
  ErrorUnknown = 4,
}

export type RsiOutcome =
  /** Return to the realm after the SMC with these values in X0, X1, ... (the rest of X0-X17 unchanged). */
  | { kind: 'return'; x: bigint[] }
  /**
   * REC exit to the host. With `retry`, the realm's PC stays at the SMC so the command runs again once
   * the host has served the exit (a data abort on realm memory the RMM had to touch); otherwise the
   * command completes on the next REC entry (RSI_HOST_CALL, RSI_IPA_STATE_SET).
   */
  | { kind: 'exit'; exit: RecExit; retry: boolean };

/** The realm and REC an RSI command runs for (RMM B5.3.x.1.2 CurrentRealm(), CurrentRec()). */
export interface RsiCaller {
  ctx: RmmContext;
  realm: Realm;
  rec: Rec;
}

export const rsiReturn = (status: RsiStatus, ...out: bigint[]): RsiOutcome => ({ kind: 'return', x: [BigInt(status), ...out] });
export const rsiInput = (): RsiOutcome => rsiReturn(RsiStatus.ErrorInput);

/** The 64-byte value a command takes in eight registers, doubleword 0 first (RMM B5.3.2, B5.3.7). */
export function bytesOfDoublewords(dws: bigint[]): Uint8Array {
  const bytes = new Uint8Array(64);
  const v = new DataView(bytes.buffer);
  dws.slice(0, 8).forEach((dw, i) => v.setBigUint64(i * 8, BigInt.asUintN(64, dw), true));
  return bytes;
}

/** A 64-byte value as the eight registers a command returns it in (RMM B5.3.8). */
export function doublewordsOf(bytes: Uint8Array): bigint[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, 64);
  return Array.from({ length: 8 }, (_, i) => v.getBigUint64(i * 8, true));
}
