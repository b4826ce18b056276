// An exception from a running REC to R-EL2 (RMM A4.3): the RMM serves what it can and returns to the realm
// (RSI, PSCI VERSION/FEATURES, ID register reads, SEA injection), or ends the run with a REC exit: the
// REC's state goes back into the REC object, the RmiRecExit into the host's RmiRecRun granule.
import type { WorldCpu } from '../cpu.js';
import type { SysregName } from '../../src/isa/sysregs.gen.js';
import { SYSREGS, encodingKey } from '../../src/isa/sysregs.table.js';
import { Pas } from '../phys.js';
import type { RmmContext } from './context.js';
import type { Realm } from './realm.js';
import { RecState, type Rec, type EmulatedAccess } from './rec.js';
import { REC_EXIT_OFFSET, RecExitReason, encodeRecExit, type RecExit } from './rec-run.js';
import { saveContext, contextSysreg } from './realm-context.js';
import { ICH_HCR_HOST_FIELDS, timerState } from './realm-entry.js';
import { handleRealmSmc } from './rsi/rsi.js';
import { realmPsci, PSCI_SUCCESS } from './psci.js';
import { Ripas, RTT_PAGE_LEVEL } from './rtt.js';
import { RmiStatus } from './status.js';
import { GICV3_NUM_LRS } from './rmi/version.js';
import type { RsiCaller } from './rsi/result.js';

/** A REC running on a PE, and the RmiRecRun granule its exit goes to. */
export interface RunningRec {
  realm: Realm;
  rec: Rec;
  runPtr: bigint;
}

export type RealmExceptionResult = { kind: 'resume' } | { kind: 'exit'; status: RmiStatus };

// Exception classes (Arm ARM D24.2.45 ESR_EL2)
const EC_UNKNOWN = 0x00n, EC_WFX = 0x01n, EC_HVC = 0x16n, EC_SMC = 0x17n, EC_SYSREG = 0x18n;
const EC_IABT_LOWER = 0x20n, EC_IABT_SAME = 0x21n, EC_DABT_LOWER = 0x24n, EC_DABT_SAME = 0x25n;
const ESR_IL = 1n << 25n;
const ISS_ISV = 1n << 24n;
const FSC_SEA = 0x10n;
// Vector offsets from a lower EL using AArch64 (D1.3.1): VBAR_EL2 is 0 while a REC runs
const VECTOR_SYNC = 0x400n, VECTOR_IRQ = 0x480n, VECTOR_FIQ = 0x500n, VECTOR_SERROR = 0x580n;
const ID_AA64DFR0_PMUVER = 0xfn << 8n, ID_AA64DFR0_BRPS = 0xfn << 12n, ID_AA64DFR0_WRPS = 0xfn << 20n;

const SYSREG_BY_KEY = new Map<number, SysregName>(SYSREGS.map((r) => [encodingKey(r.enc), r.name as SysregName]));
const ICC_SGI_KEYS = new Set(['ICC_SGI1R_EL1', 'ICC_ASGI1R_EL1', 'ICC_SGI0R_EL1'].map((n) => encodingKey(SYSREGS.find((r) => r.name === n)!.enc)));

/** The list registers this RMM reports (RmiFeatureRegister0.GICV3_NUM_LRS + 1, B4.4.6). */
const LR_NAMES = Array.from({ length: Number(GICV3_NUM_LRS) + 1 }, (_, n) => `ICH_LR${n}_EL2` as SysregName);

const field = (v: bigint, lo: number, bits: number) => Number((v >> BigInt(lo)) & ((1n << BigInt(bits)) - 1n));

/** Serves the exception that brought the PE from `running`'s realm to R-EL2. */
export function realmException(ctx: RmmContext, cpu: WorldCpu, running: RunningRec): RealmExceptionResult {
  const { realm, rec } = running;
  const esr = cpu.sysreg('ESR_EL2');
  const ec = (esr >> 26n) & 0x3fn;
  const vector = cpu.pc & 0x780n;
  if (vector === VECTOR_IRQ) return recExit(ctx, cpu, running, { reason: RecExitReason.Irq }); // A4.3.5
  if (vector === VECTOR_FIQ) return recExit(ctx, cpu, running, { reason: RecExitReason.Fiq }); // A4.3.6
  if (vector === VECTOR_SERROR) {
    // A4.3.10: EC, IDS [24], AET [12:10], EA [9], DFSC [5:0]
    return recExit(ctx, cpu, running, { reason: RecExitReason.SError, esr: esr & ((0x3fn << 26n) | (1n << 24n) | (0x7n << 10n) | (1n << 9n) | 0x3fn) });
  }
  if (vector !== VECTOR_SYNC) throw new Error(`RMM: exception at R-EL2 vector 0x${vector.toString(16)} from a realm`);
  const c: RsiCaller = { ctx, realm, rec };
  switch (ec) {
    case EC_SMC:
      return realmSmc(ctx, cpu, running, c);
    case EC_HVC:
      // A4.3.4: HVC is not a realm conduit; the Unknown exception, at the HVC (ELR_EL2 is past it)
      return injectSync(cpu, EC_UNKNOWN << 26n | ESR_IL, 0n, cpu.sysreg('ELR_EL2') - 4n);
    case EC_WFX:
      // A4.3.4.1: EC and ISS.TI; the REC resumes after the instruction
      advance(cpu);
      return recExit(ctx, cpu, running, { reason: RecExitReason.Sync, esr: (EC_WFX << 26n) | (esr & 3n) });
    case EC_SYSREG:
      return trappedSysreg(ctx, cpu, running, esr);
    case EC_DABT_LOWER:
    case EC_IABT_LOWER:
      return stage2Abort(ctx, cpu, running, esr, ec === EC_IABT_LOWER);
    default:
      // Nothing else traps to R-EL2 by design; whatever does is UNDEFINED for the realm
      return injectSync(cpu, (EC_UNKNOWN << 26n) | ESR_IL, 0n, cpu.sysreg('ELR_EL2'));
  }
}

/** An SMC from the realm: RSI (B5), PSCI (B6), SMCCC_VERSION; NOT_SUPPORTED otherwise (A4.3.4). */
function realmSmc(ctx: RmmContext, cpu: WorldCpu, running: RunningRec, c: RsiCaller): RealmExceptionResult {
  const x = Array.from({ length: 18 }, (_, n) => cpu.x(n));
  let outcome = handleRealmSmc(c, x);
  if (outcome.kind === 'psci') {
    const p = realmPsci(c, x);
    if (p.kind === 'psci-exit') {
      // A4.3.7: the call goes to the host; A4.3.3: gprs[0..3] the function and its arguments
      advance(cpu);
      running.rec.psciPending = p.pending;
      const exit: RecExit = { reason: RecExitReason.Psci, gprs: p.gprs };
      const result = recExit(ctx, cpu, running, exit);
      // A4.2.2: a call the host need not complete returns PSCI_SUCCESS on the next entry
      if (!p.pending) [PSCI_SUCCESS, 0n, 0n, 0n].forEach((v, n) => (running.rec.gprs[n] = v));
      return result;
    }
    outcome = p;
  }
  if (outcome.kind === 'return') {
    outcome.x.forEach((v, n) => cpu.setX(n, BigInt.asUintN(64, v)));
    advance(cpu);
    cpu.eret();
    return { kind: 'resume' };
  }
  // A REC exit; with `retry` the SMC runs again when the REC is next entered
  if (!outcome.retry) advance(cpu);
  return recExit(ctx, cpu, running, outcome.exit);
}

/** MRS/MSR trapped by HCR_EL2.TID3 or the GIC's SGI traps (D24.2.45 EC 0x18 ISS). */
function trappedSysreg(ctx: RmmContext, cpu: WorldCpu, running: RunningRec, esr: bigint): RealmExceptionResult {
  const [op0, op2, op1, crn, rt, crm, read] = [field(esr, 20, 2), field(esr, 17, 3), field(esr, 14, 3), field(esr, 10, 4), field(esr, 5, 5), field(esr, 1, 4), field(esr, 0, 1) === 1];
  const key = (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
  if (read && op0 === 3 && op1 === 0 && crn === 0 && crm >= 1 && crm <= 7) {
    if (rt !== 31) cpu.setX(rt, sanitisedId(cpu, running.realm, SYSREG_BY_KEY.get(key)));
    advance(cpu);
    cpu.eret();
    return { kind: 'resume' };
  }
  if (!read && ICC_SGI_KEYS.has(key)) {
    // SGI generation is the host's to emulate: the exit carries the syndrome and the value written
    advance(cpu);
    const value = rt === 31 ? 0n : cpu.x(rt);
    return recExit(ctx, cpu, running, { reason: RecExitReason.Sync, esr: esr & ((0x3fn << 26n) | ESR_IL | 0x1ff_ffffn), gprs: [value] });
  }
  return injectSync(cpu, (EC_UNKNOWN << 26n) | ESR_IL, 0n, cpu.sysreg('ELR_EL2'));
}

/**
 * The realm's view of an ID register (RMM A4.3.4 "emulated by RMM"): what the PE implements, without the
 * features the realm was not given: no PMU, and the breakpoints and watchpoints of its RmiRealmParams.
 */
function sanitisedId(cpu: WorldCpu, realm: Realm, name: SysregName | undefined): bigint {
  if (name === undefined) return 0n; // unallocated in the ID space: RAZ
  let v = cpu.sysreg(name);
  if (name === 'ID_AA64DFR0_EL1') {
    v &= ~(ID_AA64DFR0_PMUVER | ID_AA64DFR0_BRPS | ID_AA64DFR0_WRPS);
    v |= ((realm.numBps & 0xfn) << 12n) | ((realm.numWps & 0xfn) << 20n);
  }
  return v;
}

/** A stage-2 abort (A4.3.4.2, A4.3.4.3, A5.2): emulatable MMIO, a host fix-up, or an SEA for the realm. */
function stage2Abort(ctx: RmmContext, cpu: WorldCpu, running: RunningRec, esr: bigint, fetch: boolean): RealmExceptionResult {
  const { realm } = running;
  const far = cpu.sysreg('FAR_EL2');
  const hpfar = cpu.sysreg('HPFAR_EL2');
  const ipa = ((hpfar >> 4n) << 12n) | (far & 0xfffn);
  const common = (0x3fn << 26n) | (0x3n << 11n) | (1n << 10n) | (1n << 9n) | 0x3fn; // EC, SET, FnV, EA, xFSC
  const elr = cpu.sysreg('ELR_EL2');
  if (!realm.isProtected(ipa)) {
    // A5.2.6: the realm cannot execute from Unprotected memory
    if (fetch) return injectSea(cpu, true, far, elr);
    if ((esr & ISS_ISV) !== 0n) {
      // Emulatable: ISV, SAS [23:22], SF [15], WnR [6] too; SSE stays with the RMM, which extends the load
      const write = (esr & (1n << 6n)) !== 0n;
      const srt = field(esr, 16, 5);
      const emulated = { write, srt, sas: field(esr, 22, 2), sse: (esr & (1n << 21n)) !== 0n, sf: (esr & (1n << 15n)) !== 0n };
      const exitEsr = esr & (common | ISS_ISV | (0x3n << 22n) | (1n << 15n) | (1n << 6n));
      const value = write && srt !== 31 ? cpu.x(srt) : 0n;
      return recExit(ctx, cpu, running, { reason: RecExitReason.Sync, esr: exitEsr, far: far & 0xfffn, hpfar, gprs: write ? [value] : undefined }, { unprotectedAbortFar: far, emulated });
    }
    return recExit(ctx, cpu, running, { reason: RecExitReason.Sync, esr: esr & (common | ESR_IL), hpfar }, { unprotectedAbortFar: far });
  }
  const walk = ctx.rtts.walk(realm, ipa, RTT_PAGE_LEVEL);
  // A5.2.3: RIPAS EMPTY means no memory the realm may touch: a Synchronous External Abort (A5.2.7)
  if (walk.entry.ripas === Ripas.Empty) return injectSea(cpu, fetch, far, elr);
  // HIPAS UNASSIGNED with RIPAS RAM (the host must give it memory), or RIPAS DESTROYED: the host's to see
  const keep = fetch ? common & ~(1n << 10n) : common;
  return recExit(ctx, cpu, running, { reason: RecExitReason.Sync, esr: esr & keep, hpfar });
}

/** The syndrome of a Synchronous External Abort for the realm (A5.2.7; D24.2.45 DFSC/IFSC 0b010000). */
export function seaSyndrome(fetch: boolean, fromEl1: boolean): bigint {
  const ec = fetch ? (fromEl1 ? EC_IABT_SAME : EC_IABT_LOWER) : fromEl1 ? EC_DABT_SAME : EC_DABT_LOWER;
  return (ec << 26n) | ESR_IL | FSC_SEA;
}

/** Returns to the realm and takes a Synchronous External Abort there. */
function injectSea(cpu: WorldCpu, fetch: boolean, far: bigint, ret: bigint): RealmExceptionResult {
  const fromEl1 = ((cpu.sysreg('SPSR_EL2') >> 2n) & 3n) === 1n;
  return injectSync(cpu, seaSyndrome(fetch, fromEl1), far, ret);
}

/** ERET to the realm, then a synchronous exception there as the architecture would take it, returning to `ret`. */
function injectSync(cpu: WorldCpu, esr: bigint, far: bigint, ret: bigint): RealmExceptionResult {
  cpu.eret();
  cpu.takeException(1, 0, esr, far, ret);
  return { kind: 'resume' };
}

/** Past the instruction that trapped. */
function advance(cpu: WorldCpu): void {
  cpu.setSysreg('ELR_EL2', cpu.sysreg('ELR_EL2') + 4n);
}

/**
 * Ends the run (A4.3): the REC's state into the REC object (A4.3.3), the GIC and timer state into the
 * exit (A6.1, A6.2), the exit into RmiRecRun; the virtual CPU interface off.
 */
function recExit(ctx: RmmContext, cpu: WorldCpu, running: RunningRec, exit: RecExit, o: { unprotectedAbortFar?: bigint; emulated?: EmulatedAccess } = {}): RealmExceptionResult {
  const { rec } = running;
  // A4.3.4.3: only an Emulatable Data Abort exit leaves rec.emulatable_abort set
  rec.emulatableAbort = o.emulated !== undefined;
  rec.emulated = o.emulated;
  rec.unprotectedAbortFar = o.unprotectedAbortFar;
  for (let n = 0; n <= 30; n++) rec.gprs[n] = cpu.x(n);
  rec.pc = cpu.sysreg('ELR_EL2');
  rec.pstate = cpu.sysreg('SPSR_EL2');
  rec.context = saveContext(cpu);
  rec.gic = { vmcr: cpu.sysreg('ICH_VMCR_EL2'), ap0r: cpu.sysreg('ICH_AP0R0_EL2'), ap1r: cpu.sysreg('ICH_AP1R0_EL2') };
  const timers = timerFields(cpu.physicalCount, (n) => cpu.sysreg(n));
  rec.timersAsserted = timers.asserted;
  const hcr = cpu.sysreg('ICH_HCR_EL2');
  const full: RecExit = {
    ...exit,
    gicv3Hcr: hcr & (ICH_HCR_HOST_FIELDS | (0x1fn << 27n)), // and EOIcount
    gicv3Lrs: LR_NAMES.map((n) => cpu.sysreg(n)),
    gicv3Misr: cpu.sysreg('ICH_MISR_EL2'),
    gicv3Vmcr: rec.gic.vmcr,
    ...timers.fields,
  };
  cpu.setSysreg('ICH_HCR_EL2', hcr & ~1n); // A6.1: En == 0 on REC exit
  rec.state = RecState.Ready;
  const fault = ctx.mem.write(running.runPtr + BigInt(REC_EXIT_OFFSET), encodeRecExit(full), Pas.NonSecure);
  return { kind: 'exit', status: fault ? RmiStatus.ErrorInput : RmiStatus.Success };
}

/** The REC's EL1 timers as an exit reports them (A6.2), from registers read by `sysreg`. */
function timerFields(count: bigint, sysreg: (name: SysregName) => bigint) {
  const v = timerState(sysreg('CNTV_CTL_EL0'), sysreg('CNTV_CVAL_EL0'), count);
  const p = timerState(sysreg('CNTP_CTL_EL0'), sysreg('CNTP_CVAL_EL0'), count);
  return {
    fields: { cntvCtl: v.ctl, cntvCval: sysreg('CNTV_CVAL_EL0'), cntpCtl: p.ctl, cntpCval: sysreg('CNTP_CVAL_EL0') },
    asserted: { virtual: v.asserted, physical: p.asserted },
  };
}

/**
 * A REC exit on entry, before the realm runs (A4.2.2: the RsiHostCall could not be written back): the
 * timer and GIC state are the REC's own, as they would be had it exited at once.
 */
export function exitBeforeRunning(ctx: RmmContext, cpu: WorldCpu, running: RunningRec, exit: RecExit, lrs: bigint[], hcr: bigint): RmiStatus {
  const { rec } = running;
  const full: RecExit = {
    ...exit,
    gicv3Hcr: hcr & ICH_HCR_HOST_FIELDS,
    gicv3Lrs: lrs,
    gicv3Vmcr: rec.gic.vmcr,
    ...timerFields(cpu.physicalCount, (n) => contextSysreg(rec.context, n)).fields,
  };
  const fault = ctx.mem.write(running.runPtr + BigInt(REC_EXIT_OFFSET), encodeRecExit(full), Pas.NonSecure);
  return fault ? RmiStatus.ErrorInput : RmiStatus.Success;
}
