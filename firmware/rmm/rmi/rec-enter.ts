// RMI_REC_ENTER (RMM B4.3.14): its failure conditions, in the spec's order, over the RmiRecRun the host
// passes; then what the previous exit left to complete (A4.2.2 host call, A4.2.3 emulated MMIO or SEA,
// A5.4 RIPAS change), and the world switch into the realm (realm-entry.ts). The run ends in realm-exit.ts.
import { GranuleState } from '../granule.js';
import { isResult, type RmmContext } from '../context.js';
import type { WorldCpu } from '../../cpu.js';
import { enterRealm } from '../realm-entry.js';
import { exitBeforeRunning, seaSyndrome, type RunningRec } from '../realm-exit.js';
import { completeHostCall } from '../rsi/host-call.js';
import { completeIpaStateSet } from '../rsi/ipa-state.js';
import type { EmulatedAccess } from '../rec.js';
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

/** The value an emulated load writes to its register: SAS bytes, sign-extended per SSE and SF (A4.2.3). */
function loadedValue(data: bigint, e: EmulatedAccess): bigint {
  const bits = 8n << BigInt(e.sas);
  let v = bits === 64n ? BigInt.asUintN(64, data) : data & ((1n << bits) - 1n);
  if (e.sse) v = BigInt.asUintN(e.sf ? 64 : 32, BigInt.asIntN(Number(bits), v));
  return v;
}

/**
 * The whole command for the REC at `recAddr`: a result for the host now (a failure, or an exit taken
 * before the realm ran), or the running REC, whose exit completes the command later.
 */
export function recEnter(ctx: RmmContext, cpu: WorldCpu, recAddr: bigint, runPtr: bigint): RmiResult | RunningRec {
  const checked = recEnterChecks(ctx, recAddr, runPtr);
  if (isResult(checked)) return checked;
  const { rec, enter } = checked;
  const realm = ctx.realms.get(rec.owner)!;
  const running: RunningRec = { realm, rec, runPtr };
  // A4.2.3: after a data abort, either an SEA for the realm or the emulated access's completion
  const seaFar = enter.flags.injectSea ? rec.unprotectedAbortFar : undefined;
  if (seaFar === undefined && enter.flags.emulMmio && rec.emulated) {
    const e = rec.emulated;
    if (!e.write && e.srt !== 31) rec.gprs[e.srt] = loadedValue(enter.gprs[0], e);
    rec.pc += 4n;
  }
  rec.emulatableAbort = false;
  rec.emulated = undefined;
  rec.unprotectedAbortFar = undefined;
  // A4.2.2: the host's answer to RSI_HOST_CALL goes into the realm's RsiHostCall
  if (rec.hostCallPending) {
    const done = completeHostCall({ ctx, realm, rec }, enter.gprs);
    if (done.kind === 'exit') return error(exitBeforeRunning(ctx, cpu, running, done.exit, enter.gicv3Lrs, enter.gicv3Hcr));
    if (done.kind === 'return') done.x.forEach((v, n) => (rec.gprs[n] = v));
  }
  // A5.4: the outcome of the RIPAS change the host has made (or refused) since the exit
  if (rec.ripasTop !== 0n) completeIpaStateSet(rec, enter.flags.ripasReject).forEach((v, n) => (rec.gprs[n] = v));

  enterRealm(ctx, cpu, realm, rec, enter);
  if (seaFar !== undefined) cpu.takeException(1, 0, seaSyndrome(false, ((rec.pstate >> 2n) & 3n) === 1n), seaFar, rec.pc);
  ctx.running.set(cpu.sysreg('MPIDR_EL1'), running);
  return running;
}
