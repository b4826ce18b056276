// The entry half of RMI_REC_ENTER (RMM B4.3.14): its failure conditions, in the spec's order, over the
// RmiRecRun the host passes. Running the realm needs the core's stage-2 translation, which is not there
// yet, so the handler table still answers RMI_REC_ENTER with SMCCC NOT_SUPPORTED and nothing calls this
// outside its tests; the execution half joins it when stage 2 lands.
import { GranuleState } from '../granule.js';
import type { RmmContext } from '../context.js';
import { RealmState } from '../realm.js';
import { RecState, type Rec } from '../rec.js';
import { readRecEnter, gicv3ConfigIsValid, type RecEnter } from '../rec-run.js';
import { error, RmiStatus, type RmiResult } from '../status.js';
import { GICV3_NUM_LRS } from './version.js';

export interface RecEntry {
  rec: Rec;
  enter: RecEnter;
}

export function recEnterChecks(ctx: RmmContext, recAddr: bigint, runPtr: bigint): RecEntry | RmiResult {
  // B4.3.14.2 run_align, run_bound, run_pas
  const badRun = ctx.checkNsGranule(runPtr);
  if (badRun) return badRun;
  // rec_align, rec_bound, rec_gran_state
  const badRec = ctx.checkGranule(recAddr, GranuleState.Rec);
  if (badRec) return badRec;
  const rec = ctx.recs.get(recAddr)!;
  const realm = ctx.realms.get(rec.owner)!;
  if (realm.state === RealmState.New) return error(RmiStatus.ErrorRealm, 0); // realm_new
  if (realm.state === RealmState.SystemOff) return error(RmiStatus.ErrorRealm, 1); // system_off
  if (rec.state === RecState.Running) return error(RmiStatus.ErrorRec); // rec_state
  if (!rec.runnable) return error(RmiStatus.ErrorRec); // rec_runnable
  const enter = readRecEnter(ctx.readNsGranule(runPtr));
  // rec_mmio: emul_mmio only after an emulatable data abort (evaluated as written, although A4.2.3 has
  // inject_sea make emul_mmio ignored on entry, and TF-RMM skips the check then)
  if (enter.flags.emulMmio && !rec.emulatableAbort) return error(RmiStatus.ErrorRec);
  if (!gicv3ConfigIsValid(enter.gicv3Hcr, enter.gicv3Lrs, Number(GICV3_NUM_LRS) + 1)) return error(RmiStatus.ErrorRec); // rec_gicv3
  if (rec.psciPending) return error(RmiStatus.ErrorRec); // rec_psci
  return { rec, enter };
}
