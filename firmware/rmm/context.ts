// What every RMI command works on: the RMM's objects, its Realm-PAS view of memory, the EL3 services
// and the platform's description. Shared checks live here so that each command reads like its spec table.
import { Pas, type PhysicalAccess } from '../phys.js';
import { GranuleState, Granules, isGranuleAligned, GRANULE_SIZE } from './granule.js';
import type { Realm } from './realm.js';
import type { Rec } from './rec.js';
import { Rtts } from './rtt.js';
import { input, type RmiResult } from './status.js';
import type { El3Attestation } from './attestation/token.js';
import type { RunningRec } from './realm-exit.js';

/** The RMM-EL3 interface (TF-A's RMM_GTSI_DELEGATE / RMM_GTSI_UNDELEGATE): false when EL3 refuses. */
export interface El3Services {
  delegate(addr: bigint): boolean;
  undelegate(addr: bigint): boolean;
}

export interface RmmPlatform {
  /** PaIsDelegable (RMM B3.25): the Non-secure DRAM a host may give the RMM. */
  isDelegable(addr: bigint): boolean;
  /** ID_AA64DFR0_EL1.{BRPs, WRPs} (minus one, as the register and RmiFeatureRegister0 both count). */
  breakpointsMinusOne: number;
  watchpointsMinusOne: number;
  vmidBits: 8 | 16;
  /** Drops cached stage-2 translations whose output address is in [lo, hi] (the RMM's TLBI after unmapping). */
  invalidateOutput(lo: bigint, hi: bigint): void;
}

export class RmmContext {
  readonly granules = new Granules();
  readonly realms = new Map<bigint, Realm>();
  readonly recs = new Map<bigint, Rec>();
  readonly vmids = new Set<number>();
  /** The REC each PE is running, by the PE's MPIDR_EL1 (between RMI_REC_ENTER and the REC exit). */
  readonly running = new Map<bigint, RunningRec>();
  /** RSI and PSCI calls realms made, by command name (statistics for `boot`). */
  readonly realmCalls: Record<string, number> = {};
  /** Observes every attestation token handed out whole to a realm (`boot --token-out`). */
  onToken?: (token: Uint8Array) => void;
  readonly rtts: Rtts;
  /** The attestation half of the RMM-EL3 interface; without it, token generation fails (RSI_ERROR_UNKNOWN). */
  attestation?: El3Attestation;

  constructor(readonly mem: PhysicalAccess, readonly el3: El3Services, readonly platform: RmmPlatform) {
    this.rtts = new Rtts(mem);
  }

  invalidateOutput(lo: bigint, hi: bigint): void {
    this.platform.invalidateOutput(lo, hi);
  }

  /** X_align, X_bound, X_state for a granule argument: undefined when all three pass. */
  checkGranule(addr: bigint, state: GranuleState): RmiResult | undefined {
    if (!isGranuleAligned(addr)) return input(); // X_align
    if (!this.platform.isDelegable(addr)) return input(); // X_bound
    if (this.granules.state(addr) !== state) return input(); // X_state
    return undefined;
  }

  /** rd_align, rd_bound, rd_state: the realm, or the failure. */
  realmAt(rd: bigint): Realm | RmiResult {
    return this.checkGranule(rd, GranuleState.Rd) ?? this.realms.get(rd)!;
  }

  /** X_align, X_bound, X_pas for a Non-secure granule the host passes (params, src, run). */
  checkNsGranule(addr: bigint): RmiResult | undefined {
    if (!isGranuleAligned(addr)) return input(); // X_align
    if (!this.platform.isDelegable(addr)) return input(); // X_bound
    // X_pas: found by the GPC check before the access, so the RMM never takes the GPF (RMM A2.2.5)
    if (this.mem.check(addr, Number(GRANULE_SIZE), Pas.NonSecure) !== undefined) return input();
    return undefined;
  }

  /** A Non-secure granule that passed checkNsGranule. */
  readNsGranule(addr: bigint): Uint8Array {
    const r = this.mem.read(addr, Number(GRANULE_SIZE), Pas.NonSecure);
    if (!r.ok) throw new Error(`RMM cannot read NS granule 0x${addr.toString(16)}: ${r.fault}`);
    return r.data;
  }

  /** Overwrites a granule the RMM owns, so nothing of its old contents can be observed (RMM A2.2.4). */
  scrub(addr: bigint): void {
    const fault = this.mem.zero(addr, Number(GRANULE_SIZE), Pas.Realm);
    if (fault) throw new Error(`RMM cannot scrub granule 0x${addr.toString(16)}: ${fault}`);
  }

  writeRealmGranule(addr: bigint, data: Uint8Array): void {
    const fault = this.mem.write(addr, data, Pas.Realm);
    if (fault) throw new Error(`RMM cannot write granule 0x${addr.toString(16)}: ${fault}`);
  }

  readRealmGranule(addr: bigint): Uint8Array {
    const r = this.mem.read(addr, Number(GRANULE_SIZE), Pas.Realm);
    if (!r.ok) throw new Error(`RMM cannot read granule 0x${addr.toString(16)}: ${r.fault}`);
    return r.data;
  }
}

export function isResult(x: unknown): x is RmiResult {
  return typeof x === 'object' && x !== null && 'status' in x;
}
