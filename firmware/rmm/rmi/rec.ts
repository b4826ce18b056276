// RMI_REC_AUX_COUNT, RMI_REC_CREATE, RMI_REC_DESTROY, RMI_PSCI_COMPLETE (RMM B4.3.11, B4.3.12, B4.3.13, B4.3.7).
import { GranuleState, isGranuleAligned } from '../granule.js';
import { isResult, type RmmContext } from '../context.js';
import { RealmState } from '../realm.js';
import { Rec, RecState, recIndex, recMpidrOf, REC_INITIAL_PSTATE } from '../rec.js';
import { initialContext } from '../realm-context.js';
import { rimExtendRec } from '../measurement.js';
import { input, success, error, RmiStatus, type RmiResult } from '../status.js';
import { MAX_RECS_ORDER } from './version.js';

/**
 * Auxiliary granules per REC. This RMM keeps REC context in its own objects, yet still takes the
 * granules from the host as TF-RMM does (for SIMD, PMU and attestation state), so hosts exercise the path.
 */
export const REC_AUX_GRANULES = 2n;
const MAX_AUX = 16;

export function recAuxCount(ctx: RmmContext, rd: bigint): RmiResult {
  // B4.3.11.2 rd_align, rd_bound, rd_state
  const realm = ctx.realmAt(rd);
  if (isResult(realm)) return realm;
  return success(REC_AUX_GRANULES);
}

export function recCreate(ctx: RmmContext, rd: bigint, rec: bigint, paramsPtr: bigint): RmiResult {
  // B4.3.12.2 params_align, params_bound, params_pas
  const badParams = ctx.checkNsGranule(paramsPtr);
  if (badParams) return badParams;
  // rec_align, rec_bound, rec_state
  const badRec = ctx.checkGranule(rec, GranuleState.Delegated);
  if (badRec) return badRec;
  // rd_align, rd_bound, rd_state
  const realm = ctx.realmAt(rd);
  if (isResult(realm)) return realm;
  if (realm.state !== RealmState.New) return error(RmiStatus.ErrorRealm); // realm_state
  if (realm.numRecs === (1n << MAX_RECS_ORDER) - 1n) return error(RmiStatus.ErrorRealm); // num_recs
  const bytes = ctx.readNsGranule(paramsPtr);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mpidr = v.getBigUint64(0x100, true);
  if (recIndex(mpidr) !== realm.recIndex) return input(); // mpidr_index
  const numAux = v.getBigUint64(0x800, true);
  if (numAux !== REC_AUX_GRANULES) return input(); // num_aux
  const aux = Array.from({ length: Number(numAux) }, (_, i) => v.getBigUint64(0x808 + 8 * i, true));
  if (aux.some((a) => !isGranuleAligned(a))) return input(); // aux_align
  if (aux.some((a, i) => a === rec || aux.indexOf(a) !== i)) return input(); // aux_alias
  // aux_state
  if (aux.some((a) => !ctx.platform.isDelegable(a) || ctx.granules.state(a) !== GranuleState.Delegated)) return input();

  const flags = v.getBigUint64(0x0, true);
  const runnable = (flags & 1n) !== 0n;
  const gprs = Array.from({ length: 8 }, (_, i) => v.getBigUint64(0x300 + 8 * i, true));
  ctx.granules.makeRec(rec);
  for (const a of aux) ctx.granules.makeRecAux(a);
  ctx.recs.set(rec, new Rec(rec, rd, mpidr, runnable, v.getBigUint64(0x200, true), gprs, aux));
  realm.recIndex++;
  realm.numRecs++;
  // Only a runnable REC is measured (B4.3.12.4)
  if (runnable) realm.measurements[0] = rimExtendRec(realm.hashAlgo, realm.measurements[0], bytes);
  return success();
}

export function recDestroy(ctx: RmmContext, addr: bigint): RmiResult {
  // B4.3.13.2 rec_align, rec_bound, rec_gran_state
  const bad = ctx.checkGranule(addr, GranuleState.Rec);
  if (bad) return bad;
  const rec = ctx.recs.get(addr)!;
  if (rec.state === RecState.Running) return error(RmiStatus.ErrorRec); // rec_state
  for (const a of rec.aux) {
    ctx.scrub(a);
    ctx.granules.releaseRecAux(a);
  }
  ctx.scrub(addr);
  ctx.granules.releaseRec(addr);
  ctx.realms.get(rec.owner)!.numRecs--;
  ctx.recs.delete(addr);
  return success();
}

/** PsciReturnCode values RMI_PSCI_COMPLETE accepts (RMM B3.27, PSCI). */
export const PSCI_SUCCESS = 0n;
export const PSCI_DENIED = BigInt.asUintN(64, -3n);
const PSCI_ALREADY_ON = BigInt.asUintN(64, -4n);
/** AFFINITY_INFO's "OFF" (PSCI 5.1.8). */
const PSCI_AFFINITY_OFF = 1n;
const PSCI_CPU_ON_32 = 0x8400_0003, PSCI_CPU_ON_64 = 0xc400_0003;
const PSCI_AFFINITY_INFO_32 = 0x8400_0004, PSCI_AFFINITY_INFO_64 = 0xc400_0004;

export function psciComplete(ctx: RmmContext, callingAddr: bigint, targetAddr: bigint, status: bigint): RmiResult {
  if (callingAddr === targetAddr) return input(); // B4.3.7.2 alias
  // calling_align, calling_bound, calling_state
  const badCalling = ctx.checkGranule(callingAddr, GranuleState.Rec);
  if (badCalling) return badCalling;
  // target_align, target_bound, target_state
  const badTarget = ctx.checkGranule(targetAddr, GranuleState.Rec);
  if (badTarget) return badTarget;
  const calling = ctx.recs.get(callingAddr)!, target = ctx.recs.get(targetAddr)!;
  if (!calling.psciPending) return input(); // pending
  if (target.owner !== calling.owner) return input(); // owner
  if (target.mpidr !== recMpidrOf(calling.gprs[1])) return input(); // target
  // status: PSCI_SUCCESS always, PSCI_DENIED only when the target is not runnable (B3.27)
  if (status !== PSCI_SUCCESS && !(status === PSCI_DENIED && !target.runnable)) return input();
  calling.psciPending = false;
  // B4.3.7.3: the request's outcome in the calling REC's X0 (returned on its next entry), X1-X3 cleared
  const fid = Number(calling.gprs[0] & 0xffff_ffffn);
  let result = status;
  if (status === PSCI_SUCCESS && (fid === PSCI_CPU_ON_32 || fid === PSCI_CPU_ON_64)) {
    if (target.runnable) {
      result = PSCI_ALREADY_ON; // on_already
    } else {
      // on_success: the target starts at the entry point with the context id in X0, from reset state
      target.gprs.fill(0n);
      target.gprs[0] = calling.gprs[3];
      target.pc = calling.gprs[2];
      target.pstate = REC_INITIAL_PSTATE;
      target.context = initialContext();
      target.runnable = true;
    }
  } else if (status === PSCI_SUCCESS && (fid === PSCI_AFFINITY_INFO_32 || fid === PSCI_AFFINITY_INFO_64)) {
    result = target.runnable ? PSCI_SUCCESS : PSCI_AFFINITY_OFF; // affinity_on, affinity_off
  }
  calling.gprs[0] = result;
  calling.gprs[1] = calling.gprs[2] = calling.gprs[3] = 0n;
  return success();
}
