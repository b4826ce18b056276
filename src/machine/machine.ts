// The machine: one PE's core on the FVP board, the firmware behind SMC, semihosting and the UARTs.
// run() drives core.run() and serves every exit until the guest stops.
import { Core, Exit } from '../core/core.js';
import { Pl011 } from '../devices/pl011.js';
import { parseElf, type LoadedImage, type MemoryRegion } from '../elf/load.js';
import { El3Monitor } from '../../firmware/el3/monitor.js';
import { semihostingCall, type GuestMemory } from './semihosting.js';
import { DRAM0_BASE, DRAM0_MAX, DRAM1_BASE, UART_BASES, UART_SIZE, CNTFRQ, MPIDR_PE0 } from './board.js';

export type Security = 'secure' | 'ns' | 'realm' | 'root';

export interface MachineOptions {
  ramMiB: number;
  /** Called with every byte the guest writes to its console. */
  console: (bytes: Uint8Array) => void;
  /** Run the trace build of the core (src/trace/ drains its records through `hooks`). */
  trace?: boolean;
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
  | { kind: 'guest-error'; message: string }; // the guest did something it cannot recover from

export interface RunStats {
  instructions: bigint;
  exits: Record<string, number>;
  tlbMisses: bigint;
  exceptions: bigint;
}

// Instructions per core.run() call. Short enough that V8's tier-up from its baseline compiler to the
// optimizing one (which only takes effect on a new call) happens early in a run; long enough that the
// calls cost nothing measurable.
const SLICE = 1_000_000n;
const SECURITY_BITS: Record<Security, number> = { secure: 0, ns: 1, root: 2, realm: 3 };

export class Machine implements GuestMemory {
  readonly core: Core;
  readonly regions: MemoryRegion[] = [];
  readonly monitor = new El3Monitor();
  readonly exits: Record<string, number> = {};
  image?: LoadedImage;
  hooks?: RunHooks;
  private readonly ram: { base: bigint; size: bigint; host: number }[] = [];

  constructor(readonly options: MachineOptions) {
    const bytes = options.ramMiB * 1024 * 1024;
    this.core = new Core(bytes, { trace: options.trace });
    const size0 = BigInt(Math.min(bytes, Number(DRAM0_MAX)));
    this.addRam('DRAM0', DRAM0_BASE, size0, 0);
    if (BigInt(bytes) > size0) this.addRam('DRAM1', DRAM1_BASE, BigInt(bytes) - size0, Number(size0));
    UART_BASES.forEach((base, i) => {
      this.core.addDevice(base, UART_SIZE, new Pl011((b) => options.console(Uint8Array.of(b))));
      this.regions.push({ name: `UART${i}`, base, size: UART_SIZE, kind: 'device' });
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
    return image;
  }

  /** Puts the PE at `entry` in the given EL and security state; the ELs above it are our firmware's. */
  start(entry: bigint, opts: StartOptions): void {
    const c = this.core;
    c.setSysreg('CNTFRQ_EL0', CNTFRQ);
    c.setSysreg('MPIDR_EL1', MPIDR_PE0);
    c.setSysreg('VMPIDR_EL2', MPIDR_PE0);
    c.setSysreg('MIDR_EL1', c.sysreg('MIDR_EL1'));
    c.setSysreg('VPIDR_EL2', c.sysreg('MIDR_EL1'));
    const sec = SECURITY_BITS[opts.security];
    // SCR_EL3: NS and NSE select the lower ELs' security state; RW (AArch64), HCE (HVC enabled)
    const scr = BigInt(sec & 1) | (BigInt(sec >> 1) << 62n) | (1n << 10n) | (1n << 8n);
    c.setSysreg('SCR_EL3', scr);
    c.setSysreg('HCR_EL2', 1n << 31n); // RW: EL1 is AArch64
    c.pstate = BigInt(opts.el << 2) | (opts.el > 0 ? 1n : 0n) | (0xfn << 6n);
    c.pc = entry;
    // Exceptions to the ELs above the image's are served by the host: bit (security * 4 + el)
    let owned = 0;
    if (opts.el < 3) owned |= 1 << (2 * 4 + 3);
    if (opts.el < 2) owned |= 1 << (sec * 4 + 2);
    c.hostOwnedEls = owned;
    c.semihosting = true;
    c.stateChanged();
  }

  private count(kind: string): void {
    this.exits[kind] = (this.exits[kind] ?? 0) + 1;
  }

  /** Runs until the guest stops or `maxInstructions` have executed. */
  run(maxInstructions?: bigint): StopReason {
    const c = this.core;
    const limit = maxInstructions === undefined ? undefined : c.icount + maxInstructions;
    for (;;) {
      const left = limit === undefined ? SLICE : limit - c.icount;
      if (left <= 0n) return { kind: 'budget' };
      this.hooks?.beforeRun();
      const exit = c.run(left < SLICE ? left : SLICE);
      const stopped = this.hooks?.afterRun(exit);
      if (stopped !== undefined) return { kind: 'stopped', message: stopped };
      switch (exit) {
        case Exit.Budget:
        case Exit.TraceFull:
          break;
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
          const stop = this.hostException();
          if (stop) return stop;
          break;
        }
        case Exit.Wfi:
          this.count('wfi');
          // No interrupt controller yet: nothing can wake the PE
          return { kind: 'guest-error', message: `WFI at 0x${c.pc.toString(16)} with no interrupt source to wake it` };
        case Exit.ExceptionLoop:
          return { kind: 'guest-error', message: this.exceptionLoop() };
        default:
          return { kind: 'guest-error', message: `core stopped with exit ${Exit[exit] ?? exit}` };
      }
    }
  }

  /** An exception was taken to an EL our firmware owns: serve it and return to the guest. */
  private hostException(): StopReason | undefined {
    const c = this.core;
    const el = c.exitEl;
    const esr = c.sysreg(el === 3 ? 'ESR_EL3' : el === 2 ? 'ESR_EL2' : 'ESR_EL1');
    const ec = Number((esr >> 26n) & 0x3fn);
    if (el === 3 && ec === 0x17) {
      this.count('smc');
      const action = this.monitor.smc(c);
      if (action.kind !== 'return') return action;
      c.eret();
      return undefined;
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
    return { instructions: k.instructions, exits: { ...this.exits }, tlbMisses: k.tlbMisses, exceptions: k.exceptions };
  }
}
