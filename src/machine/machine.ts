// The machine: the PEs' core on the FVP board, the firmware behind SMC, semihosting and the UARTs.
// run() drives core.run() and serves every exit until the guest stops.
import { Core, Exit, type DeviceHandler, type CoreOptions } from '../core/core.js';
import { Pl011 } from '../devices/pl011.js';
import { parseElf, type LoadedImage, type MemoryRegion } from '../elf/load.js';
import { El3Monitor } from '../../firmware/el3/monitor.js';
import { bootRme, type RmeFirmware } from '../../firmware/el3/boot.js';
import type { PhysicalMemory, Pas } from '../../firmware/phys.js';
import { semihostingCall, type GuestMemory } from './semihosting.js';
import { RME_CARVE_OUT, RME_ROOT_SIZE, TRUSTED_MEMORY } from './board.js';
import {
  DRAM0_BASE, DRAM0_MAX, DRAM1_BASE, UART_BASES, UART_SIZE, CNTFRQ, MAX_CPUS, mpidrOf, PERIPHERAL_WINDOWS, V2M_SYSREGS_BASE,
  SP805_BASE, SP805_INTID, CNTCONTROL_BASE, SBSA_WDOG_REFRESH_BASE, SBSA_WDOG_CONTROL_BASE, SBSA_WDOG_INTID, CNTCTLBASE_BASE,
  CNTBASE_FRAMES, FRAME_SIZE,
} from './board.js';
import {
  PeripheralWindow, V2mSysRegs, Sp805, SbsaWatchdog, CntControl, CntCtlBase, CntBaseFrame, type TimedDevice, type PeripheralContext,
} from '../devices/fvp-peripherals.js';
import type { PsciPlatform, PowerState } from '../../firmware/el3/psci.js';
import type { Cpu } from '../../firmware/cpu.js';
import { GicV3, GICD_BASE, GICD_SIZE, GICR_BASE, GICR_STRIDE, el1Route } from '../devices/gicv3.js';
import { evaluateTimers } from '../devices/generic-timer.js';
import { PeView } from './pe-view.js';
import { SYSREGS, encodingKey } from '../isa/sysregs.table.js';
import { boardFdt } from './board-dtb.js';
import { SYSREG_NAMES, type SysregName } from '../isa/sysregs.gen.js';

export type Security = 'secure' | 'ns' | 'realm' | 'root';

/** SCR_EL3.{NSE, NS} = {1, 1}: the lower ELs are in Realm state. */
const REALM_SCR = (1n << 62n) | 1n;

export interface MachineOptions {
  ramMiB: number;
  /** PEs on the board, 1 (default) to 8; PE 0 starts, the others wait for PSCI CPU_ON. */
  cpus?: number;
  /** Called with every byte the guest writes to its console. */
  console: (bytes: Uint8Array) => void;
  /** Realm Management: at start the EL3 monitor builds the GPT, enables the GPC and starts the RMM. */
  rme?: boolean;
  /** The seed the platform's attestation keys (CPAK, RAK) are derived from; default: a fixed one. */
  attestationSeed?: Uint8Array;
  /** Called once per unmodelled device address the guest touches (default: console.warn). */
  warn?: (message: string) => void;
  /** Run the trace build of the core (src/trace/ drains its records through `hooks`). */
  trace?: boolean;
  /** The block JIT's settings (src/core/jit.ts; default: on, CCA_EMU_JIT overrides). */
  jit?: Pick<CoreOptions, 'jitThreshold' | 'jitEager' | 'jitInline'>;
}

/** Observers of the run loop (the tracer): called around every core.run(). */
export interface RunHooks {
  beforeRun(): void;
  /** After core.run() returned `exit`; a message stops the machine with that reason. */
  afterRun(exit: Exit): string | undefined;
}

export interface StartOptions {
  el: 0 | 1 | 2 | 3;
  security: Security;
}

export type StopReason =
  | { kind: 'exit'; status: number } // semihosting exit
  | { kind: 'system-off' }
  | { kind: 'system-reset' }
  | { kind: 'budget' } // --max-instructions reached
  | { kind: 'stopped'; message: string } // a run hook stopped the machine (e.g. the tracer's --max-bytes)
  | { kind: 'host-break'; imm: number } // BRK at an NS-EL2 the host owns (src/machine/host-smc.ts)
  | { kind: 'guest-error'; message: string }; // the guest did something it cannot recover from

export interface RunStats {
  instructions: bigint;
  exits: Record<string, number>;
  tlbMisses: bigint;
  exceptions: bigint;
  /** The block JIT (src/core/jit.ts): blocks compiled, the instructions that ran in them, compile time. */
  jit: { blocks: number; modules: number; milliseconds: number; instructions: bigint };
}

// Instructions per core.run() call. Short enough that V8's tier-up from its baseline compiler to the
// optimizing one (which only takes effect on a new call) happens early in a run; long enough that the
// calls cost nothing measurable.
const SLICE = 1_000_000n;
const RME_FEAT_SEL2 = 8; // assembly/mmu/gpc.ts
/** Instructions a PE runs before the next one takes its turn (round-robin, when there are several). */
export const QUANTUM = 20_000n;
const SECURITY_BITS: Record<Security, number> = { secure: 0, ns: 1, root: 2, realm: 3 };
/** The EL3 registers a PE that CPU_ON starts gets from the caller, as our EL3 firmware programs every PE alike. */
const EL3_STATE = (SYSREG_NAMES as SysregName[]).filter((n) => n.endsWith('_EL3') && !n.startsWith('ICC_'));
/** System register names by encoding key (op0:op1:CRn:CRm:op2), for the accesses the core passes to us. */
const SYSREG_BY_KEY = new Map(SYSREGS.map((s) => [encodingKey(s.enc), s.name]));

/** One PE's bookkeeping: its power state, whether it waits in WFI, and its state while another PE runs. */
interface Pe {
  mpidr: bigint;
  power: PowerState;
  waiting: boolean;
  saved?: Uint8Array;
}

export class Machine implements GuestMemory, PhysicalMemory, PsciPlatform {
  readonly core: Core;
  readonly regions: MemoryRegion[] = [];
  readonly monitor = new El3Monitor(this);
  /** The running PE as the firmware sees it (GIC CPU interface registers included). */
  readonly firmwareCpu: PeView;
  readonly exits: Record<string, number> = {};
  readonly gic: GicV3;
  readonly pes: Pe[];
  /** The PE whose state is in the core. */
  current = 0;
  image?: LoadedImage;
  /** The GPT, the granule transition service and the RMM, once started with `rme`. */
  rme?: RmeFirmware;
  /** Devices whose interrupts depend on time: the watchdogs and the memory-mapped timer frames. */
  readonly timedDevices: TimedDevice[] = [];
  hooks?: RunHooks;
  private readonly ram: { base: bigint; size: bigint; host: number }[] = [];
  /** What load() and loadRaw() put in RAM, so the DTB goes elsewhere. */
  private readonly loaded: { base: bigint; size: bigint }[] = [];
  private startOptions?: StartOptions;
  /** Set while the host serves an exception (the firmware's GIC register writes need no line updates). */
  private inFirmware = false;
  /** Core HOST_OWNED_ELS: bit (security * 4 + EL) for each EL whose exceptions the host serves. */
  private ownedEls = 0;
  /** The system registers' reset values, for PEs that CPU_ON starts. */
  private readonly resetState: Uint8Array;

  constructor(readonly options: MachineOptions) {
    const cpus = options.cpus ?? 1;
    if (!Number.isInteger(cpus) || cpus < 1 || cpus > MAX_CPUS) throw new Error(`cpus must be 1..${MAX_CPUS}, not ${cpus}`);
    this.pes = Array.from({ length: cpus }, (_, i) => ({ mpidr: mpidrOf(i), power: i === 0 ? 'on' : 'off', waiting: false }));
    this.gic = new GicV3(this.pes.map((p) => p.mpidr));
    const bytes = options.ramMiB * 1024 * 1024;
    this.core = new Core(bytes, { trace: options.trace, ...options.jit });
    this.firmwareCpu = new PeView(this.core, this.gic, () => this.current);
    this.resetState = this.core.savePe();
    const size0 = BigInt(Math.min(bytes, Number(DRAM0_MAX)));
    this.addRam('DRAM0', DRAM0_BASE, size0, 0);
    if (BigInt(bytes) > size0) this.addRam('DRAM1', DRAM1_BASE, BigInt(bytes) - size0, Number(size0));
    UART_BASES.forEach((base, i) => {
      this.core.addDevice(base, UART_SIZE, new Pl011((b) => options.console(Uint8Array.of(b))));
      this.regions.push({ name: `UART${i}`, base, size: UART_SIZE, kind: 'device' });
    });
    this.core.addDevice(GICD_BASE, GICD_SIZE, this.gic.distributor);
    this.regions.push({ name: 'GICD', base: GICD_BASE, size: GICD_SIZE, kind: 'device' });
    const gicrSize = GICR_STRIDE * BigInt(this.gic.mpidrs.length);
    this.core.addDevice(GICR_BASE, gicrSize, this.gic.redistributors);
    this.regions.push({ name: 'GICR', base: GICR_BASE, size: gicrSize, kind: 'device' });
    // An interrupt controller output that changes while the PE runs (an MMIO write, a device) reaches it
    // at the next instruction boundary
    this.gic.onChange = (pe) => {
      // While firmware serves an exception the run loop re-reads the lines before the core runs again
      if (pe !== this.current || this.inFirmware) return;
      const lines = this.gic.lines(pe);
      this.core.setInterruptLines(lines.irq, lines.fiq, lines.virq, lines.vfiq);
    };
    this.addPeripherals(options.warn ?? ((m) => console.warn(`cca-emu: ${m}`)));
  }

  /** The FVP peripheral windows, with the devices bare-metal software touches mapped in them. */
  private addPeripherals(warn: (message: string) => void): void {
    const ctx: PeripheralContext = {
      counter: () => this.core.counterNow,
      setSpi: (intid, level) => this.gic.setSpiLevel(intid, level),
      frequency: CNTFRQ,
    };
    const windows = PERIPHERAL_WINDOWS.map((w) => new PeripheralWindow(w.base, w.size, warn));
    const map = (name: string, pa: bigint, size: bigint, handler: DeviceHandler) => {
      windows.find((w) => pa >= w.base && pa < w.base + w.size)!.map(name, pa, size, handler);
    };
    map('V2M-SYSREGS', V2M_SYSREGS_BASE, FRAME_SIZE, new V2mSysRegs(ctx));
    const sp805 = new Sp805(ctx, SP805_INTID);
    map('SP805', SP805_BASE, FRAME_SIZE, sp805);
    const sbsa = new SbsaWatchdog(ctx, SBSA_WDOG_INTID);
    map('SBSA-WDOG-REFRESH', SBSA_WDOG_REFRESH_BASE, FRAME_SIZE, sbsa.refreshFrame);
    map('SBSA-WDOG-CONTROL', SBSA_WDOG_CONTROL_BASE, FRAME_SIZE, sbsa.controlFrame);
    map('CNTControlBase', CNTCONTROL_BASE, FRAME_SIZE, new CntControl(ctx));
    const frames = CNTBASE_FRAMES.map((f) => new CntBaseFrame(ctx, f.intid));
    CNTBASE_FRAMES.forEach((f, i) => map(`CNTBase${i}`, f.base, FRAME_SIZE, frames[i]));
    map('CNTCTLBase', CNTCTLBASE_BASE, FRAME_SIZE, new CntCtlBase(ctx, frames));
    this.timedDevices.push(sp805, sbsa, ...frames);
    windows.forEach((w, i) => {
      this.core.addDevice(w.base, w.size, w);
      this.regions.push({ name: `PERIPHERALS${i}`, base: w.base, size: w.size, kind: 'device' });
    });
  }

  private addRam(name: string, base: bigint, size: bigint, host: number): void {
    this.core.addRam(base, size, host);
    this.ram.push({ base, size, host });
    this.regions.push({ name, base, size, kind: 'ram' });
  }

  /** Linear-memory offset of a physical RAM address range, or undefined if it is not all RAM. */
  private ramOffset(pa: bigint, length: number): number | undefined {
    for (const r of this.ram) {
      if (pa >= r.base && pa + BigInt(length) <= r.base + r.size) return this.core.ramBase + r.host + Number(pa - r.base);
    }
    return undefined;
  }

  writePhysical(pa: bigint, data: Uint8Array): void {
    const off = this.ramOffset(pa, data.length);
    if (off === undefined) throw new Error(`physical range 0x${pa.toString(16)}+${data.length} is not RAM`);
    this.core.bytes.set(data, off);
  }

  readPhysical(pa: bigint, length: number): Uint8Array | undefined {
    const off = this.ramOffset(pa, length);
    return off === undefined ? undefined : this.core.bytes.slice(off, off + length);
  }

  // PhysicalMemory: what the firmware's GPC-checked accesses (firmware/phys.ts) stand on
  readRam(pa: bigint, length: number): Uint8Array | undefined {
    return this.readPhysical(pa, length);
  }
  writeRam(pa: bigint, data: Uint8Array): boolean {
    if (this.ramOffset(pa, data.length) === undefined) return false;
    this.writePhysical(pa, data);
    return true;
  }
  gpcProbe(pa: bigint, pas: Pas, security: Pas): number {
    return this.core.gpcProbe(pa, pas, security);
  }
  invalidatePa(lo: bigint, hi: bigint): void {
    this.core.ex.tlb_invalidate_pa(lo, hi);
  }

  readVirtual(va: bigint, length: number): Uint8Array | undefined {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const a = va + BigInt(done);
      const pa = this.core.translate(a, 0);
      if (pa === undefined) return undefined;
      const n = Math.min(length - done, 4096 - Number(a & 0xfffn));
      const chunk = this.readPhysical(pa, n);
      if (!chunk) return undefined;
      out.set(chunk, done);
      done += n;
    }
    return out;
  }

  /** Validates the whole ELF first (ElfError), then copies it in: a bad file never half-loads. */
  load(bytes: Uint8Array): LoadedImage {
    const image = parseElf(bytes, this.regions);
    for (const s of image.segments) {
      const off = this.ramOffset(s.paddr, Number(s.memsz))!;
      this.core.bytes.fill(0, off, off + Number(s.memsz));
      this.core.bytes.set(s.data, off);
    }
    this.image = image;
    for (const seg of image.segments) this.loaded.push({ base: seg.paddr, size: seg.memsz });
    return image;
  }

  /** Copies a raw binary to physical address `pa` (`run --load FILE@ADDR`); it must lie wholly in RAM. */
  loadRaw(bytes: Uint8Array, pa: bigint): void {
    if (this.ramOffset(pa, bytes.length) === undefined) {
      throw new Error(`0x${pa.toString(16)}+0x${bytes.length.toString(16)} is not in RAM`);
    }
    this.writePhysical(pa, bytes);
    this.loaded.push({ base: pa, size: BigInt(bytes.length) });
  }

  /** The board's device tree (src/machine/board-dtb.ts). */
  deviceTree(bootargs?: string): Uint8Array {
    return boardFdt({ memory: this.ram.map((r) => ({ base: r.base, size: r.size })), mpidrs: this.gic.mpidrs, bootargs });
  }

  /**
   * Copies a DTB to the top of DRAM0, 2 MiB aligned as the Linux arm64 boot protocol asks, and returns its
   * address; throws if it does not fit or would overlap the loaded image.
   */
  placeDtb(dtb: Uint8Array): bigint {
    const TWO_MIB = 0x20_0000n;
    const dram0 = this.ram[0];
    const span = (BigInt(dtb.length) + TWO_MIB - 1n) & ~(TWO_MIB - 1n);
    const at = dram0.base + dram0.size - span;
    if (dtb.length > Number(TWO_MIB) || at < dram0.base) throw new Error(`the DTB (${dtb.length} bytes) does not fit in RAM`);
    for (const l of this.loaded) {
      if (l.base < at + span && at < l.base + l.size) {
        throw new Error(`the DTB at 0x${at.toString(16)} would overlap what was loaded at 0x${l.base.toString(16)}`);
      }
    }
    this.writePhysical(at, dtb);
    return at;
  }

  /** Puts the PE at `entry` in the given EL and security state; the ELs above it are our firmware's. */
  start(entry: bigint, opts: StartOptions): void {
    const c = this.core;
    this.startOptions = opts;
    const mpidr = this.pes[this.current].mpidr;
    c.setSysreg('CNTFRQ_EL0', CNTFRQ);
    c.setSysreg('MPIDR_EL1', mpidr);
    c.setSysreg('VMPIDR_EL2', mpidr);
    c.setSysreg('MIDR_EL1', c.sysreg('MIDR_EL1'));
    c.setSysreg('VPIDR_EL2', c.sysreg('MIDR_EL1'));
    const sec = SECURITY_BITS[opts.security];
    // SCR_EL3: NS and NSE select the lower ELs' security state; RW (AArch64), HCE (HVC enabled)
    const scr = BigInt(sec & 1) | (BigInt(sec >> 1) << 62n) | (1n << 10n) | (1n << 8n);
    c.setSysreg('SCR_EL3', scr);
    c.setSysreg('HCR_EL2', 1n << 31n); // RW: EL1 is AArch64
    // EL1 may use the physical counter and timer when our firmware owns EL2 (CNTHCTL_EL2.EL1PCTEN, EL1PCEN)
    if (opts.el < 2) c.setSysreg('CNTHCTL_EL2', 3n);
    c.pstate = BigInt(opts.el << 2) | (opts.el > 0 ? 1n : 0n) | (0xfn << 6n);
    c.pc = entry;
    // Exceptions to the ELs above the image's are served by the host: bit (security * 4 + el)
    let owned = 0;
    if (opts.el < 3) owned |= 1 << (2 * 4 + 3);
    if (opts.el < 2) owned |= 1 << (sec * 4 + 2);
    // With RME, R-EL2 is the RMM's: exceptions from a running REC come to firmware/rmm/realm-exit.ts
    if (this.options.rme) owned |= 1 << (SECURITY_BITS.realm * 4 + 2);
    this.ownedEls = owned;
    c.hostOwnedEls = owned;
    c.semihosting = true;
    if (this.options.rme) this.startRme(opts);
    c.stateChanged();
  }

  /**
   * The host's TypeScript hypervisor is the software at NS-EL2 (src/machine/host-smc.ts): exceptions to
   * NS-EL2 come to the host, which is how it learns that its code stopped at a BRK.
   */
  hostOwnsNsEl2(): void {
    this.ownedEls |= 1 << (SECURITY_BITS.ns * 4 + 2);
    this.core.hostOwnedEls = this.ownedEls;
  }

  /** The EL3 monitor's boot with RME (DESIGN.md sections 4-6): GPT, GPC on, the RMM behind RMI. */
  private startRme(opts: StartOptions): void {
    if (opts.el === 3) throw new Error('with RME the EL3 monitor is the firmware: start the image below EL3');
    const dram0 = this.ram[0];
    if (dram0.size < 2n * RME_CARVE_OUT) throw new Error(`RME needs at least ${Number(2n * RME_CARVE_OUT) >> 20} MiB of RAM`);
    // A GPC-capable PE: FEAT_SEL2 makes the Secure GPI valid for trusted memory
    this.core.setRmeFeatures(RME_FEAT_SEL2);
    this.rme = bootRme(this, this.core, {
      ram: this.ram.map((r) => ({ base: r.base, size: r.size })),
      carveOut: { base: dram0.base + dram0.size - RME_CARVE_OUT, size: RME_CARVE_OUT },
      rootSize: RME_ROOT_SIZE,
      secure: TRUSTED_MEMORY,
      attestationSeed: this.options.attestationSeed,
    });
    this.monitor.rmm = this.rme.rmm;
  }

  private count(kind: string): void {
    this.exits[kind] = (this.exits[kind] ?? 0) + 1;
  }

  /** Runs until the guest stops or `maxInstructions` have executed. */
  run(maxInstructions?: bigint): StopReason {
    const c = this.core;
    const limit = maxInstructions === undefined ? undefined : c.icount + maxInstructions;
    let quantumLeft = QUANTUM;
    for (;;) {
      const left = limit === undefined ? SLICE : limit - c.icount;
      if (left <= 0n) return { kind: 'budget' };
      // Stop at the next timer deadline (one tick per instruction), so its interrupt arrives on time
      const ticksToNext = this.syncInterrupts();
      if ((this.pes.length > 1 && quantumLeft <= 0n) || !this.runnable(this.current)) {
        const next = this.nextRunnable();
        if (next === undefined) {
          if (this.pes.every((p) => p.power === 'off')) return { kind: 'guest-error', message: 'every PE is off (PSCI CPU_OFF)' };
          // Every PE waits: fast-forward virtual time to the next timer deadline, if there is one
          if (ticksToNext === undefined) {
            return { kind: 'guest-error', message: `WFI at 0x${this.waitPc().toString(16)} with no interrupt source to wake it` };
          }
          c.timeSkipped += ticksToNext;
          continue;
        }
        this.switchTo(next);
        quantumLeft = QUANTUM;
        continue;
      }
      this.pes[this.current].waiting = false; // runnable: awake, or woken by an interrupt
      let budget = left < SLICE ? left : SLICE;
      if (ticksToNext !== undefined && ticksToNext < budget) budget = ticksToNext;
      if (this.pes.length > 1 && quantumLeft < budget) budget = quantumLeft;
      const before = c.icount;
      this.hooks?.beforeRun();
      const exit = c.run(budget);
      const stopped = this.hooks?.afterRun(exit);
      quantumLeft -= c.icount - before;
      if (stopped !== undefined) return { kind: 'stopped', message: stopped };
      switch (exit) {
        case Exit.Budget:
        case Exit.TraceFull:
          break;
        case Exit.Timer:
          this.count('timer');
          break;
        case Exit.Sysreg: {
          this.count('sysreg');
          const stop = this.hostSysreg();
          if (stop) return stop;
          break;
        }
        case Exit.Semihosting: {
          this.count('semihosting');
          const r = semihostingCall(Number(c.x(0) & 0xffffffffn), c.x(1), this, this.options.console);
          if (r.kind === 'exit') return r;
          if (r.kind === 'error') return { kind: 'guest-error', message: r.message };
          // The core has already stepped past the HLT: it resumes at the next instruction
          c.setX(0, r.x0);
          break;
        }
        case Exit.HostException: {
          const stop = this.serveHostException();
          if (stop) return stop;
          break;
        }
        case Exit.Wfi:
          // The PE sleeps until the GIC signals it (the core has stepped past the WFI)
          this.count('wfi');
          this.pes[this.current].waiting = true;
          break;
        case Exit.ExceptionLoop:
          return { kind: 'guest-error', message: this.exceptionLoop() };
        default:
          return { kind: 'guest-error', message: `core stopped with exit ${Exit[exit] ?? exit}` };
      }
    }
  }

  /**
   * Drives every PE's timer PPIs from the timers' state now and the GIC's outputs to the running PE into
   * the core; returns the ticks until the next deadline of any PE's timer.
   */
  private syncInterrupts(): bigint | undefined {
    const count = this.core.physicalCount;
    let earliest: bigint | undefined;
    this.pes.forEach((p, i) => {
      if (p.power === 'off') return;
      const regs = i === this.current ? this.core : { sysreg: (n: SysregName) => this.core.savedSysreg(p.saved!, n) };
      const { states, ticksToNext } = evaluateTimers(regs, count);
      for (const t of states) this.gic.setPpiLevel(i, t.intid, t.asserted);
      if (ticksToNext !== undefined && (earliest === undefined || ticksToNext < earliest)) earliest = ticksToNext;
    });
    for (const d of this.timedDevices) {
      const ticks = d.sync(count);
      if (ticks !== undefined && (earliest === undefined || ticks < earliest)) earliest = ticks;
    }
    const lines = this.gic.lines(this.current);
    this.core.setInterruptLines(lines.irq, lines.fiq, lines.virq, lines.vfiq);
    return earliest;
  }

  /** A PE may run: it is on and not waiting, or waiting with an interrupt signalled to it (which wakes it). */
  private runnable(pe: number): boolean {
    const p = this.pes[pe];
    if (p.power === 'off') return false;
    if (!p.waiting) return true;
    const lines = this.gic.lines(pe);
    return lines.irq || lines.fiq || lines.virq || lines.vfiq;
  }

  /** The next runnable PE after the current one, round-robin (the current one last). */
  private nextRunnable(): number | undefined {
    for (let k = 1; k <= this.pes.length; k++) {
      const pe = (this.current + k) % this.pes.length;
      if (this.runnable(pe)) return pe;
    }
    return undefined;
  }

  /** Puts PE `pe`'s state in the core (saving the running one's) and wakes it. */
  private switchTo(pe: number): void {
    const p = this.pes[pe];
    p.waiting = false;
    if (p.power === 'on-pending') p.power = 'on';
    if (pe === this.current) return;
    this.count('pe-switch');
    this.pes[this.current].saved = this.core.savePe();
    this.core.loadPe(p.saved!);
    p.saved = undefined;
    this.current = pe;
    const lines = this.gic.lines(pe);
    this.core.setInterruptLines(lines.irq, lines.fiq, lines.virq, lines.vfiq);
  }

  /** Where the waiting PE that is running stopped (for the error when nothing can wake anyone). */
  private waitPc(): bigint {
    return this.core.pc - 4n;
  }

  // ---- PsciPlatform: the EL3 monitor's PSCI functions act on the PEs ----

  peByAffinity(affinity: bigint): number | undefined {
    const i = this.pes.findIndex((p) => (p.mpidr & 0xff_00ff_ffffn) === affinity);
    return i < 0 ? undefined : i;
  }

  powerState(pe: number): PowerState {
    return this.pes[pe].power;
  }

  validEntryPoint(address: bigint): boolean {
    return (address & 3n) === 0n && this.ram.some((r) => address >= r.base && address < r.base + r.size);
  }

  /**
   * CPU_ON: PE `pe` comes out of reset as our EL3 firmware would leave it: its EL3 registers as the
   * caller's (SCR_EL3, the GPT registers, ...), entered at the caller's EL and security state with the
   * MMU off, DAIF masked and X0 = `contextId` (DEN0022 6.4.3 "CPU_ON entry state").
   */
  powerOn(pe: number, entry: bigint, contextId: bigint, caller: Cpu): void {
    const c = this.core;
    const callerPe = this.current;
    const el3 = EL3_STATE.map((n) => [n, caller.sysreg(n)] as const);
    // The caller's EL: the one the SMC came from, in SPSR_EL3.M[3:2]
    const el = BigInt((caller.sysreg('SPSR_EL3') >> 2n) & 3n);
    const mine = c.savePe();
    c.loadPe(this.resetState);
    this.current = pe;
    this.start(entry, this.startOptions ?? { el: 1, security: 'ns' });
    for (const [name, v] of el3) c.setSysreg(name, v);
    c.pstate = (el << 2n) | 1n | (0xfn << 6n); // ELxh, DAIF masked
    c.setX(0, contextId);
    c.stateChanged();
    const target = this.pes[pe];
    target.saved = c.savePe();
    target.power = 'on-pending';
    target.waiting = false;
    c.loadPe(mine);
    this.current = callerPe;
  }

  /**
   * An MRS/MSR of a register the GIC's CPU interface serves (the core has stepped past it). At EL1 with
   * HCR_EL2.IMO/FMO (EL2 enabled, TGE 0) the ICC_* names reach the virtual interface (ICV_*), and SGI
   * generation traps to EL2 (IHI0069 12.1.4).
   */
  /** An exception to an EL the host owns, served with the GIC's line updates deferred to the run loop. */
  private serveHostException(): StopReason | undefined {
    this.inFirmware = true;
    try {
      return this.hostException();
    } finally {
      this.inFirmware = false;
    }
  }

  private hostSysreg(): StopReason | undefined {
    const c = this.core;
    const arg = c.exitArg;
    const key = Number(arg & 0xffffn);
    const name = SYSREG_BY_KEY.get(key)!;
    const rt = Number((arg >> 16n) & 0x1fn);
    const read = ((arg >> 24n) & 1n) === 1n;
    const scr = c.sysreg('SCR_EL3');
    const el2Enabled = (scr & 1n) !== 0n || (scr & (1n << 18n)) !== 0n; // NS, or EEL2
    const hcr = c.el === 1 && el2Enabled ? c.sysreg('HCR_EL2') : 0n;
    const tge = (hcr & (1n << 27n)) !== 0n;
    const route = tge ? 'physical' : el1Route(name, (hcr & (1n << 4n)) !== 0n, (hcr & (1n << 3n)) !== 0n);
    const pe = this.current;
    if (route === 'trap-el2') {
      // Back to the MSR and take the trap there: EC 0x18 with the instruction's encoding (Arm ARM D24.2.45)
      const op0 = (key >> 14) & 3, op1 = (key >> 11) & 7, crn = (key >> 7) & 15, crm = (key >> 3) & 15, op2 = key & 7;
      const iss = (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (read ? 1 : 0);
      c.pc -= 4n;
      c.ex.host_take_exception(2, 0, (0x18n << 26n) | (1n << 25n) | BigInt(iss), 0n, c.pc);
      // EL2 may be the host's own (the RMM's R-EL2): then the trap is served now, as any exception there
      return c.exitReason === Exit.HostException ? this.serveHostException() : undefined;
    }
    const virtual = route === 'virtual' || name.startsWith('ICH_');
    if (read) c.setX(rt, virtual ? this.gic.readVirtual(pe, name) : this.gic.readSysreg(pe, name));
    else if (virtual) this.gic.writeVirtual(pe, name, c.x(rt));
    else this.gic.writeSysreg(pe, name, c.x(rt));
  }

  /** From a running REC to R-EL2: the RMM's (RMM A4.3); a REC exit returns the PE to the Normal world. */
  private realmException(): void {
    const r = this.rme!.rmm.realmException(this.firmwareCpu);
    if (r.kind === 'exit') {
      this.count('rec-exit');
      this.monitor.completeRecEnter(this.firmwareCpu, r.status);
    }
  }

  /** An exception was taken to an EL our firmware owns: serve it and return to the guest. */
  private hostException(): StopReason | undefined {
    const c = this.core;
    const el = c.exitEl;
    if (el === 2 && (c.sysreg('SCR_EL3') & REALM_SCR) === REALM_SCR && this.rme) {
      this.realmException();
      return undefined;
    }
    const esr = c.sysreg(el === 3 ? 'ESR_EL3' : el === 2 ? 'ESR_EL2' : 'ESR_EL1');
    const ec = Number((esr >> 26n) & 0x3fn);
    if (el === 3 && ec === 0x17) {
      this.count('smc');
      const action = this.monitor.smc(this.firmwareCpu);
      if (action.kind === 'cpu-off') {
        // The PE powers down inside the call: the run loop moves on to another PE
        this.pes[this.current].power = 'off';
        return undefined;
      }
      if (action.kind === 'resume') {
        this.count('rec-enter');
        return undefined;
      }
      if (action.kind !== 'return') return action;
      c.eret();
      return undefined;
    }
    if (el === 2 && ec === 0x3c && c.exitSecurity === SECURITY_BITS.ns) {
      // BRK at NS-EL2 owned by the host: the host's hypervisor code has done what it was started for
      this.count('brk');
      return { kind: 'host-break', imm: Number(esr & 0xffffn) };
    }
    if (el === 2 && ec === 0x16) {
      // HVC with no hypervisor behind EL2: SMCCC's "not supported"
      this.count('hvc');
      c.setX(0, (1n << 64n) - 1n);
      c.eret();
      return undefined;
    }
    const elr = c.sysreg(el === 3 ? 'ELR_EL3' : el === 2 ? 'ELR_EL2' : 'ELR_EL1');
    const far = c.sysreg(el === 3 ? 'FAR_EL3' : el === 2 ? 'FAR_EL2' : 'FAR_EL1');
    return {
      kind: 'guest-error',
      message: `unhandled exception to firmware at EL${el}: ESR 0x${esr.toString(16)} (EC 0x${ec.toString(16)}), ` +
        `ELR 0x${elr.toString(16)}, FAR 0x${far.toString(16)}${this.where(elr)}`,
    };
  }

  /** Describes an exception loop: the vector the PE keeps faulting at, and the latest fault there. */
  private exceptionLoop(): string {
    const c = this.core;
    const el = c.el;
    if (el === 2 && (c.sysreg('SCR_EL3') & REALM_SCR) === REALM_SCR && this.rme) {
      // Stopped on the way to the RMM: the realm's own vectors cannot be entered
      const [esr, elr, far] = [c.sysreg('ESR_EL2'), c.sysreg('ELR_EL2'), c.sysreg('FAR_EL2')];
      return `exception loop in the realm: the PE keeps faulting at 0x${elr.toString(16)} (ESR_EL2 0x${esr.toString(16)}, ` +
        `FAR_EL2 0x${far.toString(16)}) with nothing retiring; did the guest execute garbage or forget to set VBAR_EL1?`;
    }
    const reg = (n: 1 | 2 | 3, r: 'ESR' | 'ELR' | 'FAR') => c.sysreg(`${r}_EL${n}` as 'ESR_EL1');
    const e = el === 0 ? 1 : (el as 1 | 2 | 3);
    return `exception loop at EL${el}: the vector at 0x${c.pc.toString(16)} faults as soon as it is entered ` +
      `(ESR_EL${e} 0x${reg(e, 'ESR').toString(16)}, ELR_EL${e} 0x${reg(e, 'ELR').toString(16)}, FAR_EL${e} 0x${reg(e, 'FAR').toString(16)}); ` +
      `did the guest execute garbage or forget to set VBAR_EL${e}?`;
  }

  where(addr: bigint): string {
    const s = this.image?.symbolAt(addr);
    return s ? ` (${s})` : '';
  }

  stats(): RunStats {
    const k = this.core.counters();
    const j = this.core.jit;
    return {
      instructions: k.instructions, exits: { ...this.exits }, tlbMisses: k.tlbMisses, exceptions: k.exceptions,
      jit: { blocks: j?.blocks ?? 0, modules: j?.modules ?? 0, milliseconds: j?.milliseconds ?? 0, instructions: this.core.ex.jit_insns.value as bigint },
    };
  }
}
