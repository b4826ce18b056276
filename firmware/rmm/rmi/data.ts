// RMI_DATA_CREATE, RMI_DATA_CREATE_UNKNOWN, RMI_DATA_DESTROY (RMM B4.3.1, B4.3.2, B4.3.3).
import { GranuleState, GRANULE_SIZE, isGranuleAligned } from '../granule.js';
import { isResult, type RmmContext } from '../context.js';
import { RealmState, type Realm } from '../realm.js';
import { rimExtendData } from '../measurement.js';
import { RTT_PAGE_LEVEL, RttState, Ripas } from '../rtt.js';
import { input, success, error, RmiStatus, type RmiResult } from '../status.js';

const PA_48 = 1n << 48n;
const RMI_MEASURE_CONTENT = 1n;

/** The checks DATA_CREATE and DATA_CREATE_UNKNOWN share, from data_align on; the realm and walk on success. */
function checkDataTarget(ctx: RmmContext, rd: bigint, data: bigint, ipa: bigint, needNew: boolean) {
  // data_align, data_bound, data_state
  const badData = ctx.checkGranule(data, GranuleState.Delegated);
  if (badData) return badData;
  // rd_align, rd_bound, rd_state
  const realm = ctx.realmAt(rd);
  if (isResult(realm)) return realm;
  // data_bound2 reads the realm, so it follows rd_state (well-formedness, RMM B1.6)
  if (!realm.featLpa2 && data >= PA_48) return input();
  if (!isGranuleAligned(ipa)) return input(); // ipa_align
  if (!realm.isProtected(ipa)) return input(); // ipa_bound
  if (needNew && realm.state !== RealmState.New) return error(RmiStatus.ErrorRealm); // realm_state
  const walk = ctx.rtts.walk(realm, ipa, RTT_PAGE_LEVEL);
  if (walk.level < RTT_PAGE_LEVEL) return error(RmiStatus.ErrorRtt, walk.level); // rtt_walk
  if (walk.entry.state !== RttState.Unassigned) return error(RmiStatus.ErrorRtt, walk.level); // rtte_state
  return { realm, walk };
}

export function dataCreate(ctx: RmmContext, rd: bigint, data: bigint, ipa: bigint, src: bigint, flags: bigint): RmiResult {
  // B4.3.1.2 src_align, src_bound, src_pas
  const badSrc = ctx.checkNsGranule(src);
  if (badSrc) return badSrc;
  const t = checkDataTarget(ctx, rd, data, ipa, true);
  if (isResult(t)) return t;
  const { realm, walk } = t;
  // Copied from the host's granule through the Non-secure PAS, GPC-checked (B4.3.1.3)
  const content = ctx.readNsGranule(src);
  ctx.granules.makeData(data);
  ctx.writeRealmGranule(data, content);
  ctx.rtts.write(walk.entryAddr, walk.level, { state: RttState.Assigned, ripas: Ripas.Ram, addr: data, attrs: 0n });
  measureData(realm, ipa, flags, content);
  return success();
}

function measureData(realm: Realm, ipa: bigint, flags: bigint, content: Uint8Array): void {
  const measured = (flags & RMI_MEASURE_CONTENT) !== 0n ? content : undefined;
  realm.measurements[0] = rimExtendData(realm.hashAlgo, realm.measurements[0], ipa, flags, measured);
}

export function dataCreateUnknown(ctx: RmmContext, rd: bigint, data: bigint, ipa: bigint): RmiResult {
  // B4.3.2.2: the same conditions without src and realm_state
  const t = checkDataTarget(ctx, rd, data, ipa, false);
  if (isResult(t)) return t;
  ctx.granules.makeData(data);
  // Contents unknown to the realm, and nothing of the granule's past visible (A2.2.4)
  ctx.scrub(data);
  ctx.rtts.write(t.walk.entryAddr, t.walk.level, { ...t.walk.entry, state: RttState.Assigned, addr: data });
  return success();
}

export function dataDestroy(ctx: RmmContext, rd: bigint, ipa: bigint): RmiResult {
  // B4.3.3.2 rd_align, rd_bound, rd_state
  const realm = ctx.realmAt(rd);
  if (isResult(realm)) return realm;
  if (!isGranuleAligned(ipa)) return input(); // ipa_align
  if (!realm.isProtected(ipa)) return input(); // ipa_bound
  const walk = ctx.rtts.walk(realm, ipa, RTT_PAGE_LEVEL);
  // rtt_walk, rtte_state: X2 tells the host where the next live entry is
  if (walk.level < RTT_PAGE_LEVEL || walk.entry.state !== RttState.Assigned) {
    return error(RmiStatus.ErrorRtt, walk.level, 0n, ctx.rtts.skipNonLive(walk, ipa));
  }
  const data = walk.entry.addr;
  // RIPAS RAM becomes DESTROYED; EMPTY and DESTROYED stay (B4.3.3.3)
  const ripas = walk.entry.ripas === Ripas.Ram ? Ripas.Destroyed : walk.entry.ripas;
  ctx.rtts.write(walk.entryAddr, walk.level, { state: RttState.Unassigned, ripas, addr: 0n, attrs: 0n });
  if (walk.entry.ripas === Ripas.Ram) ctx.invalidateOutput(data, data + GRANULE_SIZE - 1n);
  ctx.scrub(data);
  ctx.granules.releaseData(data);
  return success(data, ctx.rtts.skipNonLive(walk, ipa));
}

