// Running a realm: the hypervisor's REC loop, the part of KVM's vCPU run loop and kvmtool's device model
// that a realm needs. RECs run round-robin on the host's PE through RMI_REC_ENTER, each for at most a
// time slice (the host's EL2 physical timer makes an IRQ exit), and every REC exit is served as the RMM
// specification expects of a host (RMM A4.3, D1): emulated MMIO at Unprotected IPAs (the UART and the
// GIC), memory on first touch, shared memory, RIPAS changes, PSCI, host calls, WFI idling to the next
// timer event, and virtual interrupts through the REC entry's list registers (A6.1, A6.2).
import { GRANULE_SIZE } from './allocator.js';
import type { Hypervisor, HostRealm } from './hypervisor.js';
import { RMI, RmiStatus, RmiError, rmi, rmiOk, armTimer, waitForInterrupt, type HostProgram } from './rmi.js';
import { REALM_RAM_BASE } from './layout.js';
import type { MmioBus } from './devices/mmio.js';
import { emulateMmio } from './devices/mmio-exit.js';
import type { VirtualGic } from './devices/vgic.js';

/** The host-call immediates of the sample realm guests (images/realm-common/README.md). */
export const HOST_CALL_CONSOLE = 0xcca0;
export const HOST_CALL_EXIT = 0xcca1;
export const HOST_CALL_PRINT_SHARED = 0xcca2;
/** The verifier's challenge, relayed by the host at run time (`boot --challenge`): gprs[1..8], 64 bytes. */
export const HOST_CALL_CHALLENGE = 0xcca3;
const HOST_CALL_DONE = 0n, HOST_CALL_REFUSED = (1n << 64n) - 1n;

export interface RunOptions {
  /** The realm's emulated devices by IPA (devices/realm-devices.ts). */
  bus: MmioBus;
  /** Its virtual GIC's interrupt state, when it has one. */
  vgic?: VirtualGic;
  /** Where host-call console output goes. */
  console: (bytes: Uint8Array) => void;
  /** Counter ticks a REC runs before the host takes the PE back (default 100,000). */
  slice?: bigint;
  /** Called for every REC exit, by reason name (for statistics). */
  onExit?: (reason: string, rec: number) => void;
  /** The 64-byte challenge host call 0xCCA3 hands out; without one the call is refused. */
  challenge?: Uint8Array;
  /** Called when the realm writes to an Unprotected IPA no device claims. */
  warn?: (message: string) => void;
}

export type RealmOutcome =
  | { kind: 'system-off' }
  | { kind: 'system-reset' }
  | { kind: 'exit'; status: bigint }
  | { kind: 'all-off' };

/** Something went wrong that the realm cannot recover from: which REC, which exit, where. */
export class RealmFault extends Error {
  override name = 'RealmFault';
  /** The REC whose exit it was, if one. */
  constructor(message: string, readonly rec?: number) {
    super(message);
  }
}

// RmiRecExit (RMM B4.4.16) and RmiRecEnter (B4.4.14) as the host reads and writes them in RmiRecRun
const EXIT = 0x800;
const ENTER_EMUL_MMIO = 1n, ENTER_INJECT_SEA = 2n, ENTER_TRAP_WFI = 4n, ENTER_TRAP_WFE = 8n;
const REASON_NAMES = ['sync', 'irq', 'fiq', 'psci', 'ripas-change', 'host-call', 'serror'];
const EXIT_SYNC = 0, EXIT_PSCI = 3, EXIT_RIPAS_CHANGE = 4, EXIT_HOST_CALL = 5, EXIT_SERROR = 6;
const EC_WFX = 0x01n, EC_SYSREG = 0x18n, EC_IABT = 0x20n, EC_DABT = 0x24n;
const ISV = 1n << 24n, WNR = 1n << 6n;
// PSCI functions (PSCI 1.1 5.1) as a realm forwards them
const CPU_SUSPEND = [0x8400_0001, 0xc400_0001], CPU_OFF = 0x8400_0002, CPU_ON = [0x8400_0003, 0xc400_0003];
const AFFINITY_INFO = [0x8400_0004, 0xc400_0004], SYSTEM_OFF = 0x8400_0008, SYSTEM_RESET = 0x8400_0009;
const PSCI_SUCCESS = 0n;
// ICH_LR<n>_EL2 (GIC IHI0069 12.4.6): State [63:62], Group [60], Priority [55:48], vINTID [31:0]
const LR_PENDING = 1n << 62n, LR_GROUP1 = 1n << 60n, LR_STATE = 3n << 62n;
const NUM_LRS = 4;
const TIMER_PPIS = { virtual: 27, physical: 30 };

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** The host's view of one REC while the realm runs. */
interface HostRec {
  index: number;
  granule: bigint;
  mpidr: bigint;
  /** RmiRecRun: a Non-secure granule of the host's. */
  run: bigint;
  /** Runnable as far as the host knows (REC 0 at the start, others after CPU_ON). */
  on: boolean;
  /** Idle after WFI (or CPU_SUSPEND) until an interrupt is pending for it or its timer fires. */
  waiting: boolean;
  /** The earliest count at which one of its EL1 timers fires, per the last exit. */
  wakeAt?: bigint;
  /** What the next RmiRecEnter carries. */
  flags: bigint;
  gprs: bigint[];
  lrs: bigint[];
}

export class RecLoop {
  private readonly recs: HostRec[];
  private next = 0;
  private readonly slice: bigint;
  private readonly decoder = new TextDecoder();

  constructor(private readonly hyp: Hypervisor, private readonly realm: HostRealm, private readonly o: RunOptions) {
    this.slice = o.slice ?? 100_000n;
    this.recs = realm.recs.map((r, index) => ({
      index, granule: r.granule, mpidr: r.mpidr, run: hyp.pool.alloc(), on: index === 0, waiting: false,
      flags: 0n, gprs: new Array<bigint>(31).fill(0n), lrs: new Array<bigint>(NUM_LRS).fill(0n),
    }));
  }

  /** The Unprotected alias bit of this realm's IPA space (RMM A5.2.2). */
  private get aliasBit(): bigint {
    return 1n << BigInt(this.realm.ipaBits - 1);
  }

  /** Runs the realm until it powers off, asks to exit, or every REC is off. */
  *run(): HostProgram<RealmOutcome> {
    try {
      for (;;) {
        const rec = yield* this.pick();
        if (rec === undefined) return { kind: 'all-off' };
        const outcome = yield* this.enter(rec);
        if (outcome) return outcome;
      }
    } finally {
      yield* armTimer(undefined);
      for (const r of this.recs) this.hyp.pool.free(r.run);
    }
  }

  /** The next REC to run, round-robin; idles the PE while every REC that is on waits. */
  private *pick(): HostProgram<HostRec | undefined> {
    for (;;) {
      const on = this.recs.filter((r) => r.on);
      if (on.length === 0) return undefined;
      const now = yield* armTimer(undefined);
      for (const r of on) {
        if (r.waiting && ((r.wakeAt !== undefined && now >= r.wakeAt) || this.o.vgic?.nextPending(r.index) !== undefined)) r.waiting = false;
      }
      for (let k = 0; k < this.recs.length; k++) {
        const r = this.recs[(this.next + k) % this.recs.length];
        if (r.on && !r.waiting) {
          this.next = (r.index + 1) % this.recs.length;
          return r;
        }
      }
      const deadlines = on.map((r) => r.wakeAt).filter((t): t is bigint => t !== undefined);
      if (deadlines.length === 0) {
        throw new RealmFault(`every REC waits (WFI) with no timer armed and no interrupt pending: the realm can never wake`);
      }
      const until = deadlines.reduce((a, b) => (a < b ? a : b));
      yield* waitForInterrupt(until);
    }
  }

  /** One RMI_REC_ENTER of `rec` and the service of its exit; an outcome ends the run. */
  private *enter(rec: HostRec): HostProgram<RealmOutcome | undefined> {
    this.fillListRegisters(rec);
    const entry = new Uint8Array(0x800);
    const v = new DataView(entry.buffer);
    v.setBigUint64(0x000, rec.flags | ENTER_TRAP_WFI | ENTER_TRAP_WFE, true);
    rec.gprs.forEach((g, n) => v.setBigUint64(0x200 + 8 * n, BigInt.asUintN(64, g), true));
    v.setBigUint64(0x300, 0n, true); // gicv3_hcr: no maintenance interrupts asked for
    rec.lrs.forEach((lr, n) => v.setBigUint64(0x308 + 8 * n, lr, true));
    this.hyp.writeNs(rec.run, entry);
    rec.flags = 0n;
    rec.gprs.fill(0n);

    const now = yield* armTimer(undefined);
    yield* armTimer(now + this.slice); // the host's time slice: an IRQ exit when it ends
    const r = yield* rmi(RMI.REC_ENTER, rec.granule, rec.run);
    if (r.status !== RmiStatus.Success) throw new RmiError('RMI_REC_ENTER', r.status, r.index, `of REC ${rec.index}`);

    const exit = new DataView(this.hyp.readNs(rec.run + BigInt(EXIT), 0x800).buffer);
    const reason = exit.getUint8(0x000);
    const esr = exit.getBigUint64(0x100, true);
    const gprs = Array.from({ length: 31 }, (_, n) => exit.getBigUint64(0x200 + 8 * n, true));
    this.takeListRegisters(rec, exit);
    this.timersAfterExit(rec, exit, yield* armTimer(undefined));
    this.o.onExit?.(exitName(reason, esr), rec.index);
    switch (reason) {
      case EXIT_SYNC:
        return yield* this.sync(rec, esr, exit.getBigUint64(0x108, true), exit.getBigUint64(0x110, true), gprs);
      case EXIT_PSCI:
        return yield* this.psci(rec, gprs);
      case EXIT_RIPAS_CHANGE: {
        // RMM A5.4: the host accepts every change the realm asks for
        const base = exit.getBigUint64(0x500, true), top = exit.getBigUint64(0x508, true);
        yield* this.hyp.setRipas(this.realm, rec.granule, base, top);
        return undefined;
      }
      case EXIT_HOST_CALL:
        return this.hostCall(rec, exit.getUint16(0x600, true), gprs);
      case EXIT_SERROR:
        throw new RealmFault(`REC ${rec.index}: SError (ESR ${hex(esr)})`, rec.index);
      default:
        return undefined; // IRQ, FIQ: the host's tick or a timer; nothing else to do
    }
  }

  /** A synchronous exception the RMM passed on (A4.3.4). */
  private *sync(rec: HostRec, esr: bigint, far: bigint, hpfar: bigint, gprs: bigint[]): HostProgram<undefined> {
    const ec = (esr >> 26n) & 0x3fn;
    const ipa = ((hpfar >> 4n) << 12n) | (far & 0xfffn);
    if (ec === EC_WFX) {
      // WFE only yields the PE; WFI idles the REC until an interrupt or its timer
      if ((esr & 1n) === 0n) rec.waiting = true;
      return undefined;
    }
    if (ec === EC_SYSREG) {
      this.o.vgic?.sendSgi(rec.index, gprs[0]); // ICC_SGI1R_EL1 (the only register the RMM forwards)
      return undefined;
    }
    if (ec !== EC_DABT && ec !== EC_IABT) throw new RealmFault(`REC ${rec.index}: unexpected synchronous exit, ESR ${hex(esr)}`, rec.index);
    if ((ipa & this.aliasBit) === 0n) {
      // A Protected IPA with RIPAS RAM the host has not backed yet: memory on first touch, as KVM does
      const e = yield* this.hyp.readEntry(this.realm, ipa);
      if (e.state === 0 && e.ripas === 1) {
        yield* this.hyp.backWithData(this.realm, ipa);
        return undefined;
      }
      throw new RealmFault(`REC ${rec.index}: ${ec === EC_IABT ? 'instruction fetch' : 'access'} at IPA ${hex(ipa)} whose RIPAS is ${['EMPTY', 'RAM', 'DESTROYED'][e.ripas] ?? e.ripas} (ESR ${hex(esr)})`, rec.index);
    }
    const addr = ipa & ~this.aliasBit;
    const ramTop = REALM_RAM_BASE + this.realm.ramSize;
    if (addr >= REALM_RAM_BASE && addr < ramTop) {
      // The realm shares memory it gave back (RIPAS EMPTY) through the alias: the host maps its own granule
      yield* this.hyp.share(this.realm, ipa & ~(GRANULE_SIZE - 1n));
      return undefined;
    }
    const access = emulateMmio(this.o.bus, { esr, far, hpfar, gprs0: gprs[0] }, this.realm.ipaBits);
    if (access.kind === 'unclaimed') {
      // Nothing the host can emulate: a Synchronous External Abort for the realm (RMM A4.2.3)
      this.o.warn?.(`REC ${rec.index}: ${(esr & WNR) !== 0n ? 'write to' : 'read of'} IPA ${hex(ipa)}, ${access.reason}: external abort injected`);
      rec.flags |= ENTER_INJECT_SEA;
      return undefined;
    }
    if (access.kind === 'read') rec.gprs[0] = access.value;
    rec.flags |= ENTER_EMUL_MMIO;
    return undefined;
  }

  /** PSCI the RMM forwarded (A4.3.7, D1.4); calls naming another REC are completed with RMI_PSCI_COMPLETE. */
  private *psci(rec: HostRec, gprs: bigint[]): HostProgram<RealmOutcome | undefined> {
    const fid = Number(gprs[0] & 0xffff_ffffn);
    if (fid === SYSTEM_OFF) return { kind: 'system-off' };
    if (fid === SYSTEM_RESET) return { kind: 'system-reset' };
    if (fid === CPU_OFF) {
      rec.on = false;
      return undefined;
    }
    if (CPU_SUSPEND.includes(fid)) {
      rec.waiting = true;
      return undefined;
    }
    if (CPU_ON.includes(fid) || AFFINITY_INFO.includes(fid)) {
      const target = this.recs.find((r) => r.mpidr === recMpidrOfPsci(gprs[1]));
      if (!target) throw new RealmFault(`REC ${rec.index}: PSCI for MPIDR ${hex(gprs[1])}, which no REC has`, rec.index);
      yield* rmiOk(`for REC ${rec.index} and REC ${target.index}`, RMI.PSCI_COMPLETE, rec.granule, target.granule, PSCI_SUCCESS);
      if (CPU_ON.includes(fid)) target.on = true;
      return undefined;
    }
    throw new RealmFault(`REC ${rec.index}: PSCI function ${hex(BigInt(fid))} forwarded by the RMM, which it should not forward`, rec.index);
  }

  /**
   * RSI_HOST_CALL (RMM A4.5): the sample guests' requests (images/realm-common/README.md); gprs[0] comes
   * back 0 when served, all ones when refused (an unknown imm, a length out of range).
   */
  private hostCall(rec: HostRec, imm: number, gprs: bigint[]): RealmOutcome | undefined {
    rec.gprs = [...gprs];
    let done = true;
    if (imm === HOST_CALL_CONSOLE && gprs[0] <= 232n) {
      const bytes = new Uint8Array(232);
      const v = new DataView(bytes.buffer);
      for (let i = 0; i < 29; i++) v.setBigUint64(i * 8, gprs[i + 1], true);
      this.o.console(bytes.subarray(0, Number(gprs[0])));
    } else if (imm === HOST_CALL_EXIT) {
      return { kind: 'exit', status: gprs[0] };
    } else if (imm === HOST_CALL_PRINT_SHARED && gprs[1] <= 4096n) {
      this.o.console(this.readShared(rec, gprs[0], Number(gprs[1])));
    } else if (imm === HOST_CALL_CHALLENGE && this.o.challenge) {
      const v = new DataView(this.o.challenge.buffer, this.o.challenge.byteOffset, 64);
      for (let i = 0; i < 8; i++) rec.gprs[1 + i] = v.getBigUint64(i * 8, true);
    } else {
      done = false;
    }
    rec.gprs[0] = done ? HOST_CALL_DONE : HOST_CALL_REFUSED;
    return undefined;
  }

  /** Bytes of memory the realm shares with the host, at IPA `ipa` (Protected or its alias). */
  private readShared(rec: HostRec, ipa: bigint, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let done = 0; done < length; ) {
      const at = (ipa + BigInt(done)) | this.aliasBit;
      const page = at & ~(GRANULE_SIZE - 1n);
      const pa = this.realm.shared.get(page);
      if (pa === undefined) throw new RealmFault(`REC ${rec.index}: asked the host to read IPA ${hex(at)}, which the realm does not share`, rec.index);
      const offset = Number(at - page);
      const n = Math.min(length - done, Number(GRANULE_SIZE) - offset);
      out.set(this.hyp.readNs(pa + BigInt(offset), n), done);
      done += n;
    }
    return out;
  }

  /** Puts the REC's highest-priority pending interrupts into free list registers (A6.1). */
  private fillListRegisters(rec: HostRec): void {
    const vgic = this.o.vgic;
    if (!vgic) return;
    for (let n = 0; n < NUM_LRS; n++) {
      if ((rec.lrs[n] & LR_STATE) !== 0n) continue;
      // An injected interrupt is active in the distributor until its LR comes back invalid: never twice
      const p = vgic.nextPending(rec.index);
      if (!p) break;
      vgic.markInjected(rec.index, p.intid);
      rec.lrs[n] = LR_PENDING | LR_GROUP1 | (BigInt(p.priority & 0xff) << 48n) | BigInt(p.intid);
    }
  }

  /** The list registers as the realm left them: an interrupt whose LR went invalid was handled. */
  private takeListRegisters(rec: HostRec, exit: DataView): void {
    for (let n = 0; n < NUM_LRS; n++) {
      const before = rec.lrs[n];
      const after = exit.getBigUint64(0x308 + 8 * n, true);
      if ((before & LR_STATE) !== 0n && (after & LR_STATE) === 0n) this.o.vgic?.markDone(rec.index, Number(before & 0xffff_ffffn));
      rec.lrs[n] = after;
    }
  }

  /** A6.2: the REC's EL1 timers as the exit reports them drive its timer PPIs, and its wake-up time. */
  private timersAfterExit(rec: HostRec, exit: DataView, now: bigint): void {
    let wakeAt: bigint | undefined;
    for (const [kind, ctlAt, cvalAt] of [['virtual', 0x410, 0x418], ['physical', 0x400, 0x408]] as const) {
      const ctl = exit.getBigUint64(ctlAt, true), cval = exit.getBigUint64(cvalAt, true);
      const live = (ctl & 1n) === 1n && (ctl & 2n) === 0n;
      const fired = live && ((ctl & 4n) !== 0n || now >= cval);
      if (fired) this.o.vgic?.raise(rec.index, TIMER_PPIS[kind]);
      else this.o.vgic?.lower(rec.index, TIMER_PPIS[kind]);
      if (live && (wakeAt === undefined || cval < wakeAt)) wakeAt = cval;
    }
    rec.wakeAt = wakeAt;
  }
}

/** The RmiRecMpidr (RMM B4.4.18, Aff3 at [31:24]) of an MPIDR value a realm passes to PSCI (Aff3 at [39:32]). */
function recMpidrOfPsci(mpidr: bigint): bigint {
  return (mpidr & 0xff_ffffn) | (((mpidr >> 32n) & 0xffn) << 24n);
}

/** A REC exit's name for statistics: the reason, and for synchronous exits what caused it. */
export function exitName(reason: number, esr: bigint): string {
  const name = REASON_NAMES[reason] ?? `reason-${reason}`;
  if (reason !== EXIT_SYNC) return name;
  const ec = (esr >> 26n) & 0x3fn;
  if (ec === EC_WFX) return (esr & 1n) === 0n ? 'wfi' : 'wfe';
  if (ec === EC_SYSREG) return 'sysreg';
  if (ec === EC_IABT) return 'instruction-abort';
  if (ec === EC_DABT) return (esr & ISV) !== 0n ? 'mmio' : 'data-abort';
  return `sync-ec-${hex(ec)}`;
}

