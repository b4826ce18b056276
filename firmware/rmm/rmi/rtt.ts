// The RTT commands (RMM B4.3.15-B4.3.22): structure (create, destroy, fold), inspection (read entry),
// Unprotected mappings, and RIPAS (init, set).
import { GranuleState, GRANULE_SIZE, isGranuleAligned } from '../granule.js';
import { isResult, type RmmContext } from '../context.js';
import { RealmState, type Realm } from '../realm.js';
import { RecState } from '../rec.js';
import { rimExtendRipas } from '../measurement.js';
import {
  RTT_PAGE_LEVEL, RttState, Ripas, HOST_ATTR_MASK, entrySize, isLevelAligned, unfold, fold, type RttWalk,
} from '../rtt.js';
import { input, success, error, RmiStatus, type RmiResult } from '../status.js';

const PA_48 = 1n << 48n;
const OA_MASK = 0x0000_ffff_ffff_f000n;

/** level_bound for RTT_CREATE, RTT_DESTROY, RTT_FOLD: a level below the starting one, up to 3. */
function structureLevelValid(realm: Realm, level: bigint): boolean {
  return level > BigInt(realm.rttLevelStart) && level <= BigInt(RTT_PAGE_LEVEL);
}

/** RttLevelIsBlockOrPage (RMM B3.66): levels 1 to 3 that the realm's RTTs have. */
function blockOrPageLevel(realm: Realm, level: bigint): boolean {
  return level >= BigInt(Math.max(1, realm.rttLevelStart)) && level <= BigInt(RTT_PAGE_LEVEL);
}

/** The shared prefix of the structure commands: rd_*, level_bound, ipa_align (to level - 1), ipa_bound. */
function structureTarget(ctx: RmmContext, rd: bigint, ipa: bigint, level: bigint): { realm: Realm; level: number } | RmiResult {
  const realm = ctx.realmAt(rd); // rd_align, rd_bound, rd_state
  if (isResult(realm)) return realm;
  if (!structureLevelValid(realm, level)) return input(); // level_bound
  if (!isLevelAligned(ipa, Number(level) - 1)) return input(); // ipa_align
  if (!realm.inIpaSpace(ipa)) return input(); // ipa_bound
  return { realm, level: Number(level) };
}

export function rttCreate(ctx: RmmContext, rd: bigint, rtt: bigint, ipa: bigint, levelArg: bigint): RmiResult {
  // B4.3.15.2 rd_align, rd_bound, rd_state, level_bound, ipa_align, ipa_bound
  const t = structureTarget(ctx, rd, ipa, levelArg);
  if (isResult(t)) return t;
  const { realm, level } = t;
  // rtt_align, rtt_bound, rtt_state
  const badRtt = ctx.checkGranule(rtt, GranuleState.Delegated);
  if (badRtt) return badRtt;
  if (!realm.featLpa2 && rtt >= PA_48) return input(); // rtt_bound2
  const walk = ctx.rtts.walk(realm, ipa, level - 1);
  if (walk.level < level - 1) return error(RmiStatus.ErrorRtt, walk.level); // rtt_walk
  if (walk.entry.state === RttState.Table) return error(RmiStatus.ErrorRtt, walk.level); // rtte_state
  ctx.granules.makeRtt(rtt);
  ctx.rtts.writeAll(rtt, level, unfold(walk.entry, level));
  ctx.rtts.write(walk.entryAddr, walk.level, { state: RttState.Table, ripas: Ripas.Empty, addr: rtt, attrs: 0n });
  return success();
}

/** The walk to the parent of an RTT at `level`, or the failure with the `top` the host needs. */
function parentWalk(ctx: RmmContext, realm: Realm, ipa: bigint, level: number, withTop: boolean): RttWalk | RmiResult {
  const walk = ctx.rtts.walk(realm, ipa, level - 1);
  if (walk.level < level - 1 || walk.entry.state !== RttState.Table) {
    // rtt_walk, rtte_state
    return withTop ? error(RmiStatus.ErrorRtt, walk.level, 0n, ctx.rtts.skipNonLive(walk, ipa)) : error(RmiStatus.ErrorRtt, walk.level);
  }
  return walk;
}

export function rttDestroy(ctx: RmmContext, rd: bigint, ipa: bigint, levelArg: bigint): RmiResult {
  // B4.3.16.2 rd_align, rd_bound, rd_state, level_bound, ipa_align, ipa_bound
  const t = structureTarget(ctx, rd, ipa, levelArg);
  if (isResult(t)) return t;
  const { realm, level } = t;
  const walk = parentWalk(ctx, realm, ipa, level, true); // rtt_walk, rtte_state
  if (isResult(walk)) return walk;
  const child = walk.entry.addr;
  const entries = ctx.rtts.readAll(child, level);
  // rtt_live: an RTT with an ASSIGNED or TABLE entry is live (A5.5.8)
  if (entries.some((e) => e.state === RttState.Assigned || e.state === RttState.Table)) {
    return error(RmiStatus.ErrorRtt, level, 0n, ipa);
  }
  // The parent forgets what the child held: UNASSIGNED with RIPAS DESTROYED (B4.3.16.3 rtte_state,
  // ripas), for an Unprotected IPA too: 1.0-rel0 makes no exception for it, so the range then takes no
  // RTT_MAP_UNPROTECTED (rtte_state wants UNASSIGNED_NS) until the realm is destroyed. TF-RMM restores
  // UNASSIGNED_NS there instead.
  ctx.rtts.write(walk.entryAddr, walk.level, { state: RttState.Unassigned, ripas: Ripas.Destroyed, addr: 0n, attrs: 0n });
  // ASSIGNED_NS entries do not keep an RTT live but may be in the TLB
  const size = entrySize(level);
  for (const e of entries) if (e.state === RttState.AssignedNs) ctx.invalidateOutput(e.addr, e.addr + size - 1n);
  ctx.scrub(child);
  ctx.granules.releaseRtt(child);
  return success(child, ctx.rtts.skipNonLive(walk, ipa));
}

export function rttFold(ctx: RmmContext, rd: bigint, ipa: bigint, levelArg: bigint): RmiResult {
  // B4.3.17.2 rd_align, rd_bound, rd_state, level_bound, ipa_align, ipa_bound
  const t = structureTarget(ctx, rd, ipa, levelArg);
  if (isResult(t)) return t;
  const { realm, level } = t;
  const walk = parentWalk(ctx, realm, ipa, level, false); // rtt_walk, rtte_state
  if (isResult(walk)) return walk;
  const child = walk.entry.addr;
  const folded = fold(ctx.rtts.readAll(child, level), level);
  if (!folded) return error(RmiStatus.ErrorRtt, level); // rtt_homo
  ctx.rtts.write(walk.entryAddr, walk.level, folded);
  ctx.scrub(child);
  ctx.granules.releaseRtt(child);
  return success(child);
}

/** The host's view of an entry (RMM B4.3.20.3, B3.61): X2 state, X3 desc, X4 ripas. */
function hostView(w: RttWalk): bigint[] {
  const e = w.entry;
  switch (e.state) {
    case RttState.Unassigned: return [0n, 0n, BigInt(e.ripas)];
    case RttState.UnassignedNs: return [0n, 0n, 0n];
    case RttState.Assigned: return [1n, e.addr, BigInt(e.ripas)];
    case RttState.AssignedNs: return [1n, e.addr | e.attrs, 0n];
    case RttState.Table: return [2n, e.addr, 0n];
  }
}

export function rttReadEntry(ctx: RmmContext, rd: bigint, ipa: bigint, level: bigint): RmiResult {
  // B4.3.20.2 rd_align, rd_bound, rd_state
  const realm = ctx.realmAt(rd);
  if (isResult(realm)) return realm;
  // level_bound: RttLevelIsValid
  if (level < BigInt(realm.rttLevelStart) || level > BigInt(RTT_PAGE_LEVEL)) return input();
  if (!isLevelAligned(ipa, Number(level))) return input(); // ipa_align
  if (!realm.inIpaSpace(ipa)) return input(); // ipa_bound
  const walk = ctx.rtts.walk(realm, ipa, Number(level));
  return success(BigInt(walk.level), ...hostView(walk));
}

/** RttDescriptorIsValidForUnprotected (RMM B3.56): only OA, MemAttr[2:0] and S2AP; MemAttr 0b100 is reserved with FWB. */
function unprotectedDescValid(desc: bigint): boolean {
  if ((desc & ~(OA_MASK | HOST_ATTR_MASK)) !== 0n) return false;
  return ((desc >> 2n) & 7n) !== 0b100n;
}

export function rttMapUnprotected(ctx: RmmContext, rd: bigint, ipa: bigint, levelArg: bigint, desc: bigint): RmiResult {
  if (!unprotectedDescValid(desc)) return input(); // B4.3.19.2 attr_valid
  const realm = ctx.realmAt(rd); // rd_align, rd_bound, rd_state
  if (isResult(realm)) return realm;
  if (!blockOrPageLevel(realm, levelArg)) return input(); // level_bound
  const level = Number(levelArg);
  const addr = desc & OA_MASK;
  if (!isLevelAligned(addr, level)) return input(); // addr_align
  if (!realm.featLpa2 && addr >= PA_48) return input(); // addr_bound
  if (!isLevelAligned(ipa, level)) return input(); // ipa_align
  if (!realm.inIpaSpace(ipa) || realm.isProtected(ipa)) return input(); // ipa_bound
  const walk = ctx.rtts.walk(realm, ipa, level);
  if (walk.level < level) return error(RmiStatus.ErrorRtt, walk.level); // rtt_walk
  if (walk.entry.state !== RttState.UnassignedNs) return error(RmiStatus.ErrorRtt, walk.level); // rtte_state
  ctx.rtts.write(walk.entryAddr, walk.level, { state: RttState.AssignedNs, ripas: Ripas.Empty, addr, attrs: desc & HOST_ATTR_MASK });
  return success();
}

export function rttUnmapUnprotected(ctx: RmmContext, rd: bigint, ipa: bigint, levelArg: bigint): RmiResult {
  const realm = ctx.realmAt(rd); // B4.3.22.2 rd_align, rd_bound, rd_state
  if (isResult(realm)) return realm;
  if (!blockOrPageLevel(realm, levelArg)) return input(); // level_bound
  const level = Number(levelArg);
  if (!isLevelAligned(ipa, level)) return input(); // ipa_align
  if (!realm.inIpaSpace(ipa) || realm.isProtected(ipa)) return input(); // ipa_bound
  const walk = ctx.rtts.walk(realm, ipa, level);
  // rtt_walk, rtte_state
  if (walk.level < level || walk.entry.state !== RttState.AssignedNs) {
    return error(RmiStatus.ErrorRtt, walk.level, ctx.rtts.skipNonLive(walk, ipa));
  }
  ctx.rtts.write(walk.entryAddr, walk.level, { state: RttState.UnassignedNs, ripas: Ripas.Empty, addr: 0n, attrs: 0n });
  ctx.invalidateOutput(walk.entry.addr, walk.entry.addr + entrySize(level) - 1n);
  return success(ctx.rtts.skipNonLive(walk, ipa));
}

export function rttInitRipas(ctx: RmmContext, rd: bigint, base: bigint, top: bigint): RmiResult {
  const realm = ctx.realmAt(rd); // B4.3.18.2 rd_align, rd_bound, rd_state
  if (isResult(realm)) return realm;
  if (top <= base) return input(); // size_valid
  if (!realm.isProtected(BigInt.asUintN(64, top - GRANULE_SIZE))) return input(); // top_bound
  if (realm.state !== RealmState.New) return error(RmiStatus.ErrorRealm); // realm_state
  const walk = ctx.rtts.walk(realm, base, RTT_PAGE_LEVEL);
  if (!isLevelAligned(base, walk.level)) return error(RmiStatus.ErrorRtt, walk.level); // base_align
  if (walk.entry.state !== RttState.Unassigned) return error(RmiStatus.ErrorRtt, walk.level); // rtte_state
  if (!isGranuleAligned(top)) return input(); // top_gran_align
  const walkTop = ctx.rtts.skipEntriesWithRipas(walk, base, top, false);
  if (walkTop === base) return error(RmiStatus.ErrorRtt, walk.level); // no_progress
  const size = entrySize(walk.level);
  for (let ipa = base; ipa < walkTop; ipa += size) {
    const at = walk.rttAddr + ((ipa - walk.rttIpaBase) / size) * 8n;
    ctx.rtts.write(at, walk.level, { ...ctx.rtts.read(at, walk.level), ripas: Ripas.Ram });
    // One RIM extension per RTT entry (B4.3.18.4)
    const entryTop = ipa + size < top ? ipa + size : top;
    realm.measurements[0] = rimExtendRipas(realm.hashAlgo, realm.measurements[0], ipa, entryTop);
  }
  return success(walkTop);
}

export function rttSetRipas(ctx: RmmContext, rd: bigint, recAddr: bigint, base: bigint, top: bigint): RmiResult {
  const realm = ctx.realmAt(rd); // B4.3.21.2 rd_align, rd_bound, rd_state
  if (isResult(realm)) return realm;
  // rec_align, rec_bound, rec_gran_state
  const badRec = ctx.checkGranule(recAddr, GranuleState.Rec);
  if (badRec) return badRec;
  const rec = ctx.recs.get(recAddr)!;
  if (rec.state === RecState.Running) return error(RmiStatus.ErrorRec); // rec_state
  if (rec.owner !== rd) return error(RmiStatus.ErrorRec); // rec_owner
  if (top <= base) return input(); // size_valid
  if (base !== rec.ripasAddr) return input(); // base_bound
  if (top > rec.ripasTop) return input(); // top_bound
  const walk = ctx.rtts.walk(realm, base, RTT_PAGE_LEVEL);
  const unchanged = walk.entry.ripas === rec.ripasValue;
  if (!isLevelAligned(base, walk.level) && !unchanged) return error(RmiStatus.ErrorRtt, walk.level); // base_align
  if (!isGranuleAligned(top)) return input(); // top_gran_align
  const walkTop = ctx.rtts.skipEntriesWithRipas(walk, base, top, !rec.ripasChangeDestroyed);
  if (walkTop === base && !unchanged) return error(RmiStatus.ErrorRtt, walk.level); // no_progress
  const size = entrySize(walk.level);
  for (let ipa = base; ipa < walkTop; ipa += size) {
    const at = walk.rttAddr + ((ipa - walk.rttIpaBase) / size) * 8n;
    const e = ctx.rtts.read(at, walk.level);
    ctx.rtts.write(at, walk.level, { ...e, ripas: rec.ripasValue });
    // A granule that stops being RAM must drop out of the TLB
    if (e.state === RttState.Assigned && e.ripas === Ripas.Ram && rec.ripasValue !== Ripas.Ram) {
      ctx.invalidateOutput(e.addr, e.addr + size - 1n);
    }
  }
  rec.ripasAddr = walkTop;
  return success(walkTop);
}

