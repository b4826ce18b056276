// The only place that touches the WebAssembly core's exports: loads core.wasm and gives typed access to the
// state in its linear memory, at the offsets the core exports.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { SYSREG_INDEX, type SysregName } from '../isa/sysregs.gen.js';
import { BlockCompiler, type JitCoreExports } from './jit.js';

/** Why run() returned (assembly/cpu/exceptions.ts). */
export enum Exit {
  None = 0,
  Budget = 1,
  HostException = 2,
  Semihosting = 3,
  Wfi = 4,
  Halt = 5,
  ExceptionLoop = 6,
  Timer = 7, // a timer register was written: re-evaluate the deadline and the timer PPIs
  Sysreg = 8, // MRS/MSR of a host-served register (the GIC CPU interface): exitArg says which
  /** The trace build's ring is nearly full: drain it (takeTrace) and run on. */
  TraceFull = 16,
}

export const enum RegionKind {
  Ram = 1,
  Device = 2,
}

export interface DeviceHandler {
  read(offset: bigint, size: number): bigint;
  write(offset: bigint, size: number, value: bigint): void;
}

interface CoreExports {
  memory: WebAssembly.Memory;
  run(budget: bigint): number;
  init(ramBytes: number): number;
  reset(): void;
  add_memory_region(base: bigint, size: bigint, host: bigint, kind: number, device: number): number;
  state_changed(): void;
  host_eret(): void;
  host_take_exception(target: number, offset: number, esr: bigint, far: bigint, ret: bigint): void;
  tlb_flush(): void;
  tlb_invalidate_pa(lo: bigint, hi: bigint): void;
  set_interrupt_lines(irq: number, fiq: number, serror: number): void;
  set_virtual_interrupt_lines(virq: number, vfiq: number): void;
  translate_va(va: bigint, kind: number): bigint;
  gpc_probe(pa: bigint, pas: number, sec: number): number;
  tlb_entry_pa(regime: number, kind: number, va: bigint): bigint;
  last_walk_pas(): number;
  gpc_bench_walks(stream: number, len: number, n: number, pas: number, sec: number): number;
  gpc_bench_cached(stream: number, len: number, n: number, pas: number, sec: number): number;
  scratch(bytes: number): number;
  jit_set_threshold(n: number): void;
  /** Instructions run in compiled blocks (a counter). */
  jit_insns: WebAssembly.Global;
  jit_reset(): void;
  tlb_entry_tags(regime: number, kind: number, va: bigint): bigint;
  current_el(): number;
  counter_now(): bigint;
  [name: string]: unknown;
}

const here = dirname(fileURLToPath(import.meta.url));
const WASM_PATH = join(here, '..', '..', 'build', 'core.wasm');
/** The trace build (asconfig target `trace`): records every instruction's effects in a ring. */
const TRACE_WASM_PATH = join(here, '..', '..', 'build', 'core-trace.wasm');
const U64_MAX = (1n << 64n) - 1n;

const compiled = new Map<string, WebAssembly.Module>();
function module(path = WASM_PATH): WebAssembly.Module {
  let m = compiled.get(path);
  if (!m) {
    m = new WebAssembly.Module(readFileSync(path));
    compiled.set(path, m);
  }
  return m;
}

export interface CoreOptions {
  /** Load the trace build of the core (build/core-trace.wasm), which never compiles blocks. */
  trace?: boolean;
  /**
   * Times code is entered before the block JIT compiles it (assembly/cpu/jit.ts); 0 turns the JIT off.
   * Default: JIT_THRESHOLD, or the CCA_EMU_JIT environment variable (`off` or a number).
   */
  jitThreshold?: number;
  /** Compile each block when it becomes hot, not in batches (tests: with threshold 1, every block runs compiled). */
  jitEager?: boolean;
  /** Compile the commonest instructions inline (default), or every instruction as a call of its handler. */
  jitInline?: boolean;
}

/** Entries before code is compiled: enough to skip code that runs a few times (boot paths), few enough to catch loops early. */
export const JIT_THRESHOLD = 32;

/** The JIT threshold CCA_EMU_JIT asks for, or an error message naming the bad value. */
export function jitThresholdFromEnv(v = process.env.CCA_EMU_JIT): number | string {
  if (v === undefined || v === '') return JIT_THRESHOLD;
  if (v === 'off') return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) return `CCA_EMU_JIT must be 'off' or a count of entries, not '${v}'`;
  return n;
}

function defaultJitThreshold(): number {
  const t = jitThresholdFromEnv();
  if (typeof t === 'string') throw new Error(t); // the CLI checks it first and says so in one line
  return t;
}

/** One PE's core instance with its own linear memory (guest RAM included). */
export class Core {
  readonly ex: CoreExports;
  private u8!: Uint8Array;
  private dv!: DataView;
  private readonly devices: DeviceHandler[] = [];
  private readonly offsets = new Map<string, number>();
  readonly ramBase: number;
  /** The block JIT's compiler, when it is on. */
  readonly jit?: BlockCompiler;

  constructor(readonly ramBytes: number, readonly options: CoreOptions = {}) {
    const devices = this.devices;
    let compiler: BlockCompiler | undefined;
    const instance = new WebAssembly.Instance(module(options.trace ? TRACE_WASM_PATH : WASM_PATH), {
      env: {
        mmio_read: (dev: number, off: bigint, size: number) => devices[dev].read(off, size),
        mmio_write: (dev: number, off: bigint, size: number, v: bigint) => devices[dev].write(off, size, v),
        jit_compile: (host: number) => (compiler ? compiler.request(host) : 0),
        abort: (_msg: number, _file: number, line: number, col: number) => {
          throw new Error(`core abort at ${line}:${col}`);
        },
      },
    });
    this.ex = instance.exports as unknown as CoreExports;
    const threshold = options.trace ? 0 : options.jitThreshold ?? defaultJitThreshold();
    if (threshold > 0) {
      compiler = new BlockCompiler(this.ex as unknown as JitCoreExports, {
        x: this.constant('STATE_X'), sp: this.constant('STATE_SP'), nzcv: this.constant('STATE_NZCV'),
        tlbEntriesLog2: this.constant('STATE_TLB_ENTRIES_LOG2'),
      }, { eager: options.jitEager, inline: options.jitInline });
      this.jit = compiler;
    }
    if (this.ex.init(ramBytes) !== 0) throw new Error(`cannot allocate ${ramBytes} bytes of guest RAM`);
    this.ramBase = this.constant('RAM_BASE');
    this.refreshViews();
    this.ex.jit_set_threshold(this.jit ? threshold : 0);
  }

  /** An exported layout constant (the host never writes an offset as a number). */
  private constant(name: string): number {
    let v = this.offsets.get(name);
    if (v === undefined) {
      const g = this.ex[name];
      if (!(g instanceof WebAssembly.Global)) throw new Error(`core exports no constant ${name}`);
      v = Number(g.value);
      this.offsets.set(name, v);
    }
    return v;
  }

  private refreshViews(): void {
    this.u8 = new Uint8Array(this.ex.memory.buffer);
    this.dv = new DataView(this.ex.memory.buffer);
  }

  /** Linear memory as bytes: guest RAM starts at ramBase. */
  get bytes(): Uint8Array {
    return this.u8;
  }

  addRam(base: bigint, size: bigint, hostOffset: number): void {
    if (this.ex.add_memory_region(base, size, BigInt(this.ramBase + hostOffset), RegionKind.Ram, 0) < 0) {
      throw new Error('too many memory regions');
    }
  }

  addDevice(base: bigint, size: bigint, handler: DeviceHandler): void {
    this.devices.push(handler);
    if (this.ex.add_memory_region(base, size, 0n, RegionKind.Device, this.devices.length - 1) < 0) {
      throw new Error('too many memory regions');
    }
  }

  private u64(off: number): bigint {
    return this.dv.getBigUint64(off, true);
  }
  private setU64(off: number, v: bigint): void {
    this.dv.setBigUint64(off, BigInt.asUintN(64, v), true);
  }

  x(n: number): bigint {
    return n === 31 ? 0n : this.u64(this.constant('STATE_X') + n * 8);
  }
  setX(n: number, v: bigint): void {
    if (n !== 31) this.setU64(this.constant('STATE_X') + n * 8, v);
  }
  /** Vn as a 128-bit value (lane 0 in the low bits: the register file is little-endian). */
  v(n: number): bigint {
    const at = this.constant('STATE_V') + n * 16;
    return (this.u64(at + 8) << 64n) | this.u64(at);
  }
  setV(n: number, v: bigint): void {
    const at = this.constant('STATE_V') + n * 16;
    this.setU64(at, v);
    this.setU64(at + 8, v >> 64n);
  }
  get pc(): bigint {
    return this.u64(this.constant('STATE_PC'));
  }
  set pc(v: bigint) {
    this.setU64(this.constant('STATE_PC'), v);
  }
  get sp(): bigint {
    return this.u64(this.constant('STATE_SP'));
  }
  set sp(v: bigint) {
    this.setU64(this.constant('STATE_SP'), v);
  }
  get nzcv(): number {
    return this.dv.getUint32(this.constant('STATE_NZCV'), true) >>> 0;
  }
  set nzcv(v: number) {
    this.dv.setUint32(this.constant('STATE_NZCV'), v >>> 0, true);
  }
  /** PSTATE in SPSR layout without NZCV. After changing EL or SPSel call stateChanged(). */
  get pstate(): bigint {
    return this.u64(this.constant('STATE_PSTATE'));
  }
  set pstate(v: bigint) {
    this.setU64(this.constant('STATE_PSTATE'), v & ~0xf0000000n);
  }
  sysreg(name: SysregName): bigint {
    return this.u64(this.constant('STATE_SYSREGS') + SYSREG_INDEX[name] * 8);
  }
  setSysreg(name: SysregName, v: bigint): void {
    this.setU64(this.constant('STATE_SYSREGS') + SYSREG_INDEX[name] * 8, v);
  }
  /** The stack pointer of ELn while it is not the selected one (banked). */
  spBank(el: number): bigint {
    return this.u64(this.constant('STATE_SP_BANK') + el * 8);
  }
  /** Sets the stack pointer of ELn wherever it is banked (call before stateChanged when switching EL). */
  setSpBank(el: number, v: bigint): void {
    this.setU64(this.constant('STATE_SP_BANK') + el * 8, v);
  }
  get el(): number {
    return this.ex.current_el();
  }
  get icount(): bigint {
    return this.u64(this.constant('STATE_ICOUNT'));
  }
  /** Ticks the counter gained while PEs waited (WFI fast-forward): the count is icount + timeSkipped. */
  get timeSkipped(): bigint {
    return this.u64(this.constant('STATE_TIME_SKIPPED'));
  }
  set timeSkipped(v: bigint) {
    this.setU64(this.constant('STATE_TIME_SKIPPED'), v);
  }
  /** The generic counter now, exact also while an instruction runs (from a device's MMIO callback). */
  get counterNow(): bigint {
    return BigInt.asUintN(64, this.ex.counter_now());
  }
  /** The generic counter's physical count (CNTPCT_EL0) after run() returned. */
  get physicalCount(): bigint {
    return BigInt.asUintN(64, this.icount + this.timeSkipped);
  }
  get exitReason(): Exit {
    return this.dv.getUint32(this.constant('STATE_EXIT_REASON'), true);
  }
  get exitEl(): number {
    return this.dv.getUint32(this.constant('STATE_EXIT_EL'), true);
  }
  get exitSecurity(): number {
    return this.dv.getUint32(this.constant('STATE_EXIT_SECURITY'), true);
  }
  get exitArg(): bigint {
    return this.u64(this.constant('STATE_EXIT_ARG'));
  }
  counters(): { instructions: bigint; tlbMisses: bigint; tlbFlushes: bigint; exceptions: bigint } {
    return {
      instructions: this.icount,
      tlbMisses: this.u64(this.constant('STATE_TLB_MISSES')),
      tlbFlushes: this.u64(this.constant('STATE_TLB_FLUSHES')),
      exceptions: this.u64(this.constant('STATE_EXCEPTIONS_TAKEN')),
    };
  }
  /** The Granule Protection Check's counters (assembly/state/layout.ts). */
  gpcCounters(): { checks: bigint; gptWalks: bigint; faults: { gpf: bigint; walk: bigint; addressSize: bigint; externalAbort: bigint }; paInvalidations: bigint; paEntriesRemoved: bigint; verdictsReused: bigint } {
    const f = this.constant('STATE_GPC_FAULTS');
    // The hot paths bump one counter each (assembly/mmu/gpc.ts): the verdict cache's answers are checks,
    // and the fast walk's passes are checks and GPT walks
    const fastPasses = this.u64(this.constant('STATE_GPC_FAST_PASSES'));
    return {
      checks: this.u64(this.constant('STATE_GPC_CHECKS')) + this.u64(this.constant('STATE_GPC_VERDICTS_REUSED')) + fastPasses,
      gptWalks: this.u64(this.constant('STATE_GPT_WALKS')) + fastPasses,
      faults: { gpf: this.u64(f), walk: this.u64(f + 8), addressSize: this.u64(f + 16), externalAbort: this.u64(f + 24) },
      paInvalidations: this.u64(this.constant('STATE_TLBI_PA_OPS')),
      paEntriesRemoved: this.u64(this.constant('STATE_TLBI_PA_REMOVED')),
      verdictsReused: this.u64(this.constant('STATE_GPC_VERDICTS_REUSED')),
    };
  }
  /** Checks the GPC on every access instead of folding its verdict into TLB entries (`bench gpc`). */
  set gpcEveryAccess(on: boolean) {
    this.dv.setUint32(this.constant('STATE_GPC_EVERY_ACCESS'), on ? 1 : 0, true);
  }
  set hostOwnedEls(mask: number) {
    this.dv.setUint32(this.constant('STATE_HOST_OWNED_ELS'), mask >>> 0, true);
  }
  set semihosting(on: boolean) {
    this.dv.setUint32(this.constant('STATE_SEMIHOSTING'), on ? 1 : 0, true);
  }

  /** The RME features beyond FEAT_RME (bits of assembly/mmu/gpc.ts RME_FEAT_*). */
  setRmeFeatures(bits: number): void {
    this.dv.setUint32(this.constant('STATE_RME_FEATURES'), bits >>> 0, true);
  }
  /** The GPC's verdict for one access: GPC_* in bits 7:0, the GPT level in bits 15:8. */
  gpcProbe(pa: bigint, pas: number, sec: number): number {
    return this.ex.gpc_probe(pa, pas, sec);
  }

  /**
   * A copy of the running PE's state (registers, PSTATE, system registers) for another PE to take its
   * place; the local exclusive monitor is cleared first, as a context switch may (Arm ARM B2.10.2).
   */
  savePe(): Uint8Array {
    this.dv.setUint32(this.constant('STATE_EXCLUSIVE_SIZE'), 0, true);
    const [a, b] = [this.constant('STATE_PE_BEGIN'), this.constant('STATE_PE_END')];
    const s = this.constant('STATE_SYSREGS');
    const n = this.constant('STATE_SYSREG_COUNT') * 8;
    const out = new Uint8Array(b - a + n);
    out.set(this.u8.subarray(a, b), 0);
    out.set(this.u8.subarray(s, s + n), b - a);
    return out;
  }
  /** Makes `saved` (from savePe) the running PE's state. */
  loadPe(saved: Uint8Array): void {
    const [a, b] = [this.constant('STATE_PE_BEGIN'), this.constant('STATE_PE_END')];
    const s = this.constant('STATE_SYSREGS');
    this.u8.set(saved.subarray(0, b - a), a);
    this.u8.set(saved.subarray(b - a), s);
    this.stateChanged();
  }
  /**
   * The raw 8-byte slots of `indices` (SYSREG_INDEX values) followed by V0-V31, as one block: a context
   * switch's bulk copy, without a BigInt per register.
   */
  saveRegisterBlock(indices: Int32Array): Uint8Array {
    const s = this.constant('STATE_SYSREGS');
    const v = this.constant('STATE_V');
    const out = new Uint8Array(indices.length * 8 + 512);
    const src = this.u8;
    for (let i = 0; i < indices.length; i++) {
      const from = s + indices[i] * 8;
      for (let b = 0; b < 8; b++) out[i * 8 + b] = src[from + b];
    }
    out.set(src.subarray(v, v + 512), indices.length * 8);
    return out;
  }
  /** Puts a block from saveRegisterBlock back (call stateChanged afterwards). */
  loadRegisterBlock(indices: Int32Array, block: Uint8Array): void {
    const s = this.constant('STATE_SYSREGS');
    const v = this.constant('STATE_V');
    const dst = this.u8;
    for (let i = 0; i < indices.length; i++) {
      const to = s + indices[i] * 8;
      for (let b = 0; b < 8; b++) dst[to + b] = block[i * 8 + b];
    }
    dst.set(block.subarray(indices.length * 8, indices.length * 8 + 512), v);
  }
  /** A system register's value in a state saved by savePe. */
  savedSysreg(saved: Uint8Array, name: SysregName): bigint {
    const off = this.constant('STATE_PE_END') - this.constant('STATE_PE_BEGIN') + SYSREG_INDEX[name] * 8;
    return new DataView(saved.buffer, saved.byteOffset).getBigUint64(off, true);
  }

  /** The interrupt controller's IRQ and FIQ outputs to this PE (level-sensitive), and its vIRQ and vFIQ. */
  setInterruptLines(irq: boolean, fiq: boolean, virq = false, vfiq = false): void {
    this.ex.set_interrupt_lines(irq ? 1 : 0, fiq ? 1 : 0, 0);
    this.ex.set_virtual_interrupt_lines(virq ? 1 : 0, vfiq ? 1 : 0);
  }

  /** Makes the trace build return for a drain once about `bytes` of records are in the ring (at most its size). */
  set traceDrainPoint(bytes: number) {
    this.dv.setUint32(this.constant('TRACE_STATE_LIMIT'), bytes, true);
  }

  /** Bytes the trace build's ring holds. */
  get traceRingSize(): number {
    return this.constant('TRACE_STATE_RING_SIZE');
  }

  /**
   * The trace build's records written since the last call (in the formats of assembly/debug/trace.ts),
   * and how many were dropped for want of room; the ring is emptied. The records are a view of the ring,
   * valid until the core runs again.
   */
  takeTrace(): { records: Uint32Array; lost: number } {
    if (!this.options.trace) throw new Error('takeTrace needs the trace build of the core');
    const head = this.dv.getUint32(this.constant('TRACE_STATE_HEAD'), true);
    const ring = this.constant('TRACE_STATE_RING');
    const lostAt = this.constant('TRACE_STATE_LOST');
    const lost = this.dv.getUint32(lostAt, true);
    // A view, not a copy: a fresh multi-megabyte buffer per drain cost more than formatting its records
    const records = new Uint32Array(this.u8.buffer, ring, head >>> 2);
    this.dv.setUint32(this.constant('TRACE_STATE_HEAD'), 0, true);
    this.dv.setUint32(lostAt, 0, true);
    return { records, lost };
  }

  run(budget: bigint): Exit {
    const exit = this.ex.run(budget);
    this.jit?.maybeFlush();
    return exit;
  }
  stateChanged(): void {
    this.ex.state_changed();
  }
  eret(): void {
    this.ex.host_eret();
  }
  /** Takes an exception on behalf of firmware, as the architecture would (vector `offset`: 0 sync, 0x80 IRQ...). */
  takeException(target: number, offset: number, esr: bigint, far: bigint, ret: bigint): void {
    this.ex.host_take_exception(target, offset, esr, far, ret);
  }

  /**
   * The TLB entry for the page of `va` in `regime` (0 EL1&0 unprivileged, 1 EL1&0, 2 EL2, 3 EL3) and
   * `kind` (0 read, 1 write, 2 fetch): its PA, ASID and VMID, or undefined when there is none.
   */
  tlbEntry(regime: number, kind: 0 | 1 | 2, va: bigint): { pa: bigint; asid: number; vmid: number } | undefined {
    const pa = BigInt.asUintN(64, this.ex.tlb_entry_pa(regime, kind, va));
    if (pa === U64_MAX) return undefined;
    const tags = Number(BigInt.asUintN(64, this.ex.tlb_entry_tags(regime, kind, va)));
    return { pa, asid: tags & 0xffff, vmid: tags >>> 16 };
  }

  /** Translates a VA in the current regime without faulting; undefined if the walk faults. */
  translate(va: bigint, kind: 0 | 1 | 2 = 0): bigint | undefined {
    const pa = BigInt.asUintN(64, this.ex.translate_va(va, kind));
    return pa === U64_MAX ? undefined : pa;
  }
}
