// RMI_REALM_CREATE, RMI_REALM_ACTIVATE, RMI_REALM_DESTROY (RMM B4.3.9, B4.3.8, B4.3.10).
import { GranuleState, GRANULE_SIZE } from '../granule.js';
import { isResult, type RmmContext } from '../context.js';
import { HashAlgorithm, Realm, RealmState } from '../realm.js';
import { rimInit } from '../measurement.js';
import { RTT_ENTRIES, RttState, Ripas, entryShift, type RttEntry } from '../rtt.js';
import { input, success, error, RmiStatus, type RmiResult } from '../status.js';
import { S2SZ_MAX } from './version.js';

/** RmiRealmParams (RMM B4.4.12), decoded. */
interface RealmParams {
  flags: bigint;
  s2sz: bigint;
  numBps: bigint;
  numWps: bigint;
  hashAlgo: bigint;
  rpv: Uint8Array;
  vmid: bigint;
  rttBase: bigint;
  rttLevelStart: bigint;
  rttNumStart: bigint;
}

// Bytes of RmiRealmParams outside every field: SBZ (B4.4.12)
const RESERVED: [number, number][] = [[0x38, 0x400], [0x440, 0x800], [0x820, 0x1000]];
const UINT8_SLOTS = [0x08, 0x10, 0x18, 0x20, 0x28, 0x30];

/** RmiRealmParamsIsValid: no reserved encoding, every SBZ bit zero. */
function paramsValid(bytes: Uint8Array, v: DataView): boolean {
  if (v.getBigUint64(0x0, true) >> 3n !== 0n) return false; // RmiRealmFlags [63:3]
  if (UINT8_SLOTS.some((o) => v.getBigUint64(o, true) > 0xffn)) return false;
  if (v.getBigUint64(0x30, true) > HashAlgorithm.Sha512) return false; // RmiHashAlgorithm
  if (v.getBigUint64(0x800, true) > 0xffffn) return false; // Bits16 vmid
  if (v.getBigUint64(0x818, true) > 0xffff_ffffn) return false; // UInt32 rtt_num_start
  return RESERVED.every(([lo, hi]) => bytes.subarray(lo, hi).every((b) => b === 0));
}

function parse(v: DataView, bytes: Uint8Array): RealmParams {
  return {
    flags: v.getBigUint64(0x0, true),
    s2sz: v.getBigUint64(0x8, true),
    numBps: v.getBigUint64(0x18, true),
    numWps: v.getBigUint64(0x20, true),
    hashAlgo: v.getBigUint64(0x30, true),
    rpv: bytes.slice(0x400, 0x440),
    vmid: v.getBigUint64(0x800, true),
    rttBase: v.getBigUint64(0x808, true),
    rttLevelStart: v.getBigInt64(0x810, true),
    rttNumStart: v.getBigUint64(0x818, true),
  };
}

/** RealmParamsSupported (RMM B3.34): what RmiFeatureRegister0 offers. */
function paramsSupported(ctx: RmmContext, p: RealmParams): boolean {
  if ((p.flags & 0b111n) !== 0n) return false; // lpa2, sve, pmu: none offered
  if (p.s2sz < 32n || p.s2sz > BigInt(S2SZ_MAX)) return false;
  if (p.numBps < 1n || p.numBps > BigInt(ctx.platform.breakpointsMinusOne)) return false;
  if (p.numWps < 1n || p.numWps > BigInt(ctx.platform.watchpointsMinusOne)) return false;
  return true;
}

/** The number of concatenated starting-level RTTs for an IPA width (Arm ARM D8.2), 0 if inconsistent. */
export function startingRttCount(s2sz: bigint, level: bigint): bigint {
  if (level < 0n || level > 3n) return 0n; // level -1 needs LPA2
  const shift = entryShift(Number(level));
  // The starting level must resolve at least one bit and at most 16 concatenated tables
  if (s2sz <= shift || s2sz > shift + 13n) return 0n;
  return s2sz - shift <= 9n ? 1n : 1n << (s2sz - shift - 9n);
}

export function realmCreate(ctx: RmmContext, rd: bigint, paramsPtr: bigint): RmiResult {
  // B4.3.9.2 params_align, params_bound, params_pas
  const badParams = ctx.checkNsGranule(paramsPtr);
  if (badParams) return badParams;
  const bytes = ctx.readNsGranule(paramsPtr);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!paramsValid(bytes, v)) return input(); // params_valid
  const p = parse(v, bytes);
  if (!paramsSupported(ctx, p)) return input(); // params_supp
  // alias: the RD is one of the starting RTTs
  if (p.rttNumStart > 0n && rd >= p.rttBase && rd <= p.rttBase + (p.rttNumStart - 1n) * GRANULE_SIZE) return input();
  // rd_align, rd_bound, rd_state
  const badRd = ctx.checkGranule(rd, GranuleState.Delegated);
  if (badRd) return badRd;
  // rtt_align: to the size of all the starting RTTs together
  const rttsSize = (p.rttNumStart > 0n ? p.rttNumStart : 1n) * GRANULE_SIZE;
  if (p.rttBase % rttsSize !== 0n) return input();
  // rtt_num_level: RttConfigIsValid(s2sz, rtt_level_start, rtt_num_start)
  const count = startingRttCount(p.s2sz, p.rttLevelStart);
  if (count === 0n || count !== p.rttNumStart) return input();
  // rtt_state: every starting RTT delegable and DELEGATED
  const rtts = Array.from({ length: Number(count) }, (_, i) => p.rttBase + BigInt(i) * GRANULE_SIZE);
  if (rtts.some((a) => !ctx.platform.isDelegable(a) || ctx.granules.state(a) !== GranuleState.Delegated)) return input();
  // vmid_valid: within the platform's VMID width and not in use
  if (p.vmid >= 1n << BigInt(ctx.platform.vmidBits) || ctx.vmids.has(Number(p.vmid))) return input();

  const realm = new Realm(rd, Number(p.s2sz), Number(p.hashAlgo) as HashAlgorithm, p.rttBase, Number(p.rttLevelStart),
    Number(p.rttNumStart), Number(p.vmid), p.rpv, false);
  realm.numBps = p.numBps;
  realm.numWps = p.numWps;
  ctx.granules.makeRd(rd);
  for (const a of rtts) ctx.granules.makeRtt(a);
  // Every Protected IPA UNASSIGNED with RIPAS EMPTY, every Unprotected IPA UNASSIGNED_NS (B4.3.9.3)
  const level = realm.rttLevelStart;
  const entries: RttEntry[] = Array.from({ length: RTT_ENTRIES * rtts.length }, (_, i) => {
    const unprotected = !realm.isProtected(BigInt(i) << entryShift(level));
    return { state: unprotected ? RttState.UnassignedNs : RttState.Unassigned, ripas: Ripas.Empty, addr: 0n, attrs: 0n };
  });
  ctx.rtts.writeAll(p.rttBase, level, entries);
  realm.measurements[0] = rimInit(realm.hashAlgo, bytes);
  ctx.vmids.add(realm.vmid);
  ctx.realms.set(rd, realm);
  return success();
}

export function realmActivate(ctx: RmmContext, rd: bigint): RmiResult {
  // B4.3.8.2 rd_align, rd_bound, rd_state
  const realm = ctx.realmAt(rd);
  if (isResult(realm)) return realm;
  if (realm.state !== RealmState.New) return error(RmiStatus.ErrorRealm); // realm_state
  realm.activate();
  return success();
}

/** A realm is live while it has RECs or any starting RTT is live (RMM A2.1.4, A5.5.8). */
function realmIsLive(ctx: RmmContext, realm: Realm): boolean {
  if (realm.numRecs !== 0n) return true;
  const all = ctx.rtts.readAll(realm.rttBase, realm.rttLevelStart, RTT_ENTRIES * realm.rttNumStart);
  return all.some((e) => e.state === RttState.Assigned || e.state === RttState.Table);
}

export function realmDestroy(ctx: RmmContext, rd: bigint): RmiResult {
  // B4.3.10.2 rd_align, rd_bound, rd_state
  const realm = ctx.realmAt(rd);
  if (isResult(realm)) return realm;
  if (realmIsLive(ctx, realm)) return error(RmiStatus.ErrorRealm); // realm_live
  for (const a of realm.startingRtts()) {
    ctx.scrub(a);
    ctx.granules.releaseRtt(a);
  }
  ctx.scrub(rd);
  ctx.granules.releaseRd(rd);
  ctx.vmids.delete(realm.vmid);
  ctx.realms.delete(rd);
  return success();
}

