// A realm for RSI tests, built by a Normal-world host through real RMI calls: 40-bit IPA, RTTs down to
// level 3 at IPA 0, RIPAS RAM over [0, 0x4000) with DATA at 0x0-0x2fff (0x3000 stays unassigned RAM),
// RIPAS EMPTY from 0x4000, one runnable REC, activated. RSI commands are called as the REC exit path will.
import { expect } from 'vitest';
import { RmiHost, RMI, SUCCESS, createRealm, rttsTo } from './rmi.js';
import { handleRealmSmc } from '../../firmware/rmm/rsi/rsi.js';
import type { RsiCaller, RsiOutcome } from '../../firmware/rmm/rsi/result.js';

export const RAM_TOP = 0x4000n;
export const UNASSIGNED_RAM = 0x3000n;
export const EMPTY_IPA = 0x5000n;
/** The first Unprotected IPA of a 40-bit realm. */
export const UNPROTECTED = 1n << 39n;

export interface RsiRealm {
  h: RmiHost;
  rd: bigint;
  recAddr: bigint;
  caller: RsiCaller;
  /** The PA of the DATA granule at each assigned IPA. */
  data: Map<bigint, bigint>;
}

export function rsiRealm(opts: { hashAlgo?: bigint } = {}): RsiRealm {
  const h = new RmiHost();
  const { rd } = createRealm(h, { 0x30: opts.hashAlgo ?? 0n, 0x400: 0xabcdn });
  rttsTo(h, rd, 0n, 3);
  expect(h.call(RMI.RTT_INIT_RIPAS, rd, 0n, RAM_TOP).status).toBe(SUCCESS);
  const data = new Map<bigint, bigint>();
  for (const ipa of [0x0n, 0x1000n, 0x2000n]) {
    const g = h.delegated();
    expect(h.call(RMI.DATA_CREATE, rd, g, ipa, h.page(), 0n).status).toBe(SUCCESS);
    data.set(ipa, g);
  }
  const recAddr = h.delegated();
  const aux = [h.delegated(), h.delegated()];
  expect(h.call(RMI.REC_CREATE, rd, recAddr, h.page({ 0: 1n, 0x800: 2n, 0x808: aux[0], 0x810: aux[1] })).status).toBe(SUCCESS);
  expect(h.call(RMI.REALM_ACTIVATE, rd).status).toBe(SUCCESS);
  const ctx = h.m.rme!.rmm.ctx;
  return { h, rd, recAddr, data, caller: { ctx, realm: ctx.realms.get(rd)!, rec: ctx.recs.get(recAddr)! } };
}

/** An SMC from the realm: X0 = fid, X1.. = args. */
export function rsi(r: RsiRealm, fid: number, ...args: bigint[]): RsiOutcome {
  const out = handleRealmSmc(r.caller, [BigInt(fid), ...args]);
  if (out.kind === 'psci') throw new Error('PSCI is not RSI');
  return out;
}

/** X0.. of a command that returned to the realm. */
export function returned(o: RsiOutcome): bigint[] {
  if (o.kind !== 'return') throw new Error(`expected a return to the realm, got a REC exit (reason ${o.exit.reason})`);
  return o.x;
}

export function readIpa(r: RsiRealm, ipa: bigint, length: number): Uint8Array {
  const granule = ipa & ~0xfffn;
  return r.h.m.readPhysical(r.data.get(granule)! + (ipa - granule), length)!;
}

export function writeIpa(r: RsiRealm, ipa: bigint, bytes: Uint8Array): void {
  const granule = ipa & ~0xfffn;
  r.h.m.writePhysical(r.data.get(granule)! + (ipa - granule), bytes);
}

export const RSI = {
  VERSION: 0xc400_0190, FEATURES: 0xc400_0191, MEASUREMENT_READ: 0xc400_0192, MEASUREMENT_EXTEND: 0xc400_0193,
  ATTESTATION_TOKEN_INIT: 0xc400_0194, ATTESTATION_TOKEN_CONTINUE: 0xc400_0195, REALM_CONFIG: 0xc400_0196,
  IPA_STATE_SET: 0xc400_0197, IPA_STATE_GET: 0xc400_0198, HOST_CALL: 0xc400_0199,
} as const;

export const RSI_SUCCESS = 0n, RSI_ERROR_INPUT = 1n, RSI_ERROR_STATE = 2n, RSI_INCOMPLETE = 3n, RSI_ERROR_UNKNOWN = 4n;
