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
