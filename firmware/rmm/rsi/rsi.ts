// The RSI handler table (RMM B5.3) and the hook the REC exit path calls for an SMC from a realm
// (RMM A4.3.4, B1.1): RSI commands are served here; PSCI is left to the caller; anything else is
// SMCCC_NOT_SUPPORTED, except SMCCC_VERSION, which realms probe first.
import { SMCCC_VERSION, SMCCC_VERSION_1_2, SMCCC_NOT_SUPPORTED, functionId } from '../../smccc.js';
import type { RsiCaller, RsiOutcome } from './result.js';
import { rsiVersion, rsiFeatures, rsiRealmConfig } from './version.js';
import { rsiMeasurementRead, rsiMeasurementExtend } from './measurement.js';
import { rsiAttestationTokenInit, rsiAttestationTokenContinue } from './attestation.js';
import { rsiIpaStateSet, rsiIpaStateGet } from './ipa-state.js';
import { rsiHostCall } from './host-call.js';
import { PSCI_NAMES } from '../psci.js';

export const RSI_FID_FIRST = 0xc400_0190;
export const RSI_FID_LAST = 0xc400_0199;

type Handler = (c: RsiCaller, ...args: bigint[]) => RsiOutcome;

interface RsiCommand {
  name: string;
  /** Input registers X1..X<arity>. */
  arity: number;
  handler: Handler;
}

/** RMM B5.3: every FID of the RSI range. */
export const RSI_COMMANDS = new Map<number, RsiCommand>([
  [0xc400_0190, { name: 'RSI_VERSION', arity: 1, handler: rsiVersion as Handler }],
  [0xc400_0191, { name: 'RSI_FEATURES', arity: 1, handler: rsiFeatures as Handler }],
  [0xc400_0192, { name: 'RSI_MEASUREMENT_READ', arity: 1, handler: rsiMeasurementRead as Handler }],
  [0xc400_0193, { name: 'RSI_MEASUREMENT_EXTEND', arity: 10, handler: rsiMeasurementExtend as Handler }],
  [0xc400_0194, { name: 'RSI_ATTESTATION_TOKEN_INIT', arity: 8, handler: rsiAttestationTokenInit as Handler }],
  [0xc400_0195, { name: 'RSI_ATTESTATION_TOKEN_CONTINUE', arity: 3, handler: rsiAttestationTokenContinue as Handler }],
  [0xc400_0196, { name: 'RSI_REALM_CONFIG', arity: 1, handler: rsiRealmConfig as Handler }],
  [0xc400_0197, { name: 'RSI_IPA_STATE_SET', arity: 4, handler: rsiIpaStateSet as Handler }],
  [0xc400_0198, { name: 'RSI_IPA_STATE_GET', arity: 2, handler: rsiIpaStateGet as Handler }],
  [0xc400_0199, { name: 'RSI_HOST_CALL', arity: 1, handler: rsiHostCall as Handler }],
]);

/** PSCI function ranges, SMC32 and SMC64 (PSCI 1.1 section 5.1): the REC exit path's, not RSI's. */
export function isPsciFid(fid: number): boolean {
  return (fid >= 0x8400_0000 && fid <= 0x8400_001f) || (fid >= 0xc400_0000 && fid <= 0xc400_001f);
}

export type RealmSmcOutcome = RsiOutcome | { kind: 'psci' };

/**
 * An SMC the realm executed, with X0-X17 as it left them. The REC exit path writes `x` back into X0..
 * and resumes the realm after the SMC, or makes the REC exit; `psci` is for it to handle (RMM B6).
 */
export function handleRealmSmc(c: RsiCaller, x: bigint[]): RealmSmcOutcome {
  const fid = functionId(x[0]);
  const command = RSI_COMMANDS.get(fid);
  const name = command?.name ?? PSCI_NAMES.get(fid) ?? (fid === SMCCC_VERSION ? 'SMCCC_VERSION' : `0x${fid.toString(16)}`);
  c.ctx.realmCalls[name] = (c.ctx.realmCalls[name] ?? 0) + 1;
  if (command) return command.handler(c, ...Array.from({ length: command.arity }, (_, i) => x[i + 1] ?? 0n));
  if (isPsciFid(fid)) return { kind: 'psci' };
  if (fid === SMCCC_VERSION) return { kind: 'return', x: [SMCCC_VERSION_1_2] };
  return { kind: 'return', x: [BigInt.asUintN(64, SMCCC_NOT_SUPPORTED)] };
}
