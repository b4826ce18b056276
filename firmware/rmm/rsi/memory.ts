// Realm memory as an RSI command reaches it: the IPA through the realm's RTTs, then the Realm PAS
// through the GPC (firmware/phys.ts). RMM A5.2.2: only a Protected IPA with RIPAS RAM that is ASSIGNED
// is backed; an unassigned one with RIPAS RAM becomes a data abort REC exit for the host to fix.
import { Pas } from '../../phys.js';
import { Ripas, RttState, alignDown, RTT_PAGE_LEVEL } from '../rtt.js';
import { RecExitReason, type RecExit } from '../rec-run.js';
import type { RsiCaller } from './result.js';

export type RealmTarget =
  | { kind: 'ram'; pa: bigint }
  /** Not backed while the RIPAS is RAM: report a stage-2 translation fault to the host. */
  | { kind: 'abort'; exit: RecExit }
  /** RIPAS EMPTY or DESTROYED: nothing the realm may use (TF-RMM answers RSI_ERROR_INPUT). */
  | { kind: 'not-ram' };

const EC_DABT_LOWER = 0x24n;
const ESR_IL = 1n << 25n;
const ESR_WNR = 1n << 6n;
const DFSC_TRANSLATION = 0x4n;

/** ESR_EL2 and HPFAR_EL2 of a stage-2 translation fault at `ipa` (Arm ARM D24.2.47, D24.2.76). */
function translationAbort(ipa: bigint, level: number, write: boolean): RecExit {
  return {
    reason: RecExitReason.Sync,
    esr: (EC_DABT_LOWER << 26n) | ESR_IL | (write ? ESR_WNR : 0n) | DFSC_TRANSLATION | BigInt(level),
    far: 0n,
    hpfar: (ipa >> 12n) << 4n,
  };
}

/** Where the Protected `ipa` lives, for an access that stays inside its granule. */
export function realmTarget({ ctx, realm }: RsiCaller, ipa: bigint, write: boolean): RealmTarget {
  const w = ctx.rtts.walk(realm, ipa, RTT_PAGE_LEVEL);
  if (w.entry.ripas !== Ripas.Ram) return { kind: 'not-ram' };
  if (w.entry.state !== RttState.Assigned) return { kind: 'abort', exit: translationAbort(ipa, w.level, write) };
  return { kind: 'ram', pa: w.entry.addr + (ipa - alignDown(ipa, w.level)) };
}

export function readRealm({ ctx }: RsiCaller, pa: bigint, length: number): Uint8Array {
  const r = ctx.mem.read(pa, length, Pas.Realm);
  // An ASSIGNED granule is DATA in the Realm PAS; anything else is the RMM's own bug
  if (!r.ok) throw new Error(`RMM cannot read realm memory at PA 0x${pa.toString(16)}: ${r.fault}`);
  return r.data;
}

export function writeRealm({ ctx }: RsiCaller, pa: bigint, data: Uint8Array): void {
  const fault = ctx.mem.write(pa, data, Pas.Realm);
  if (fault) throw new Error(`RMM cannot write realm memory at PA 0x${pa.toString(16)}: ${fault}`);
}
