// A bare PE for exception tests: code at CODE, every EL's vector table filled with the end marker (HLT
// #0xF000), so run() stops right after the PE enters a vector and `vector` says which one. By default the
// guest owns every EL (no exception goes to the host); `hostOwned` keeps Machine.start's firmware ELs.
import { Machine, type Security } from '../../src/machine/machine.js';
import { Exit, type Core } from '../../src/core/core.js';
import { END } from './asm.js';

export const CODE = 0x8000_0000n;
export const DATA = 0x8040_0000n;
export const VBAR: Record<1 | 2 | 3, bigint> = { 1: 0x8010_0000n, 2: 0x8020_0000n, 3: 0x8030_0000n };

export interface RigOptions {
  el?: 0 | 1 | 2 | 3;
  security?: Security;
  /** PSTATE.SP at EL1-EL3 (default 1, SP_ELx). */
  spsel?: 0 | 1;
  /** PSTATE.{D,A,I,F} (default all masked, as Machine.start leaves them). */
  daif?: number;
  /** Keep the host's ownership of the ELs above `el` (SMC to EL3, HVC to EL2 exit to the host). */
  hostOwned?: boolean;
}

export interface Vector {
  el: number;
  offset: number;
}

let shared: Machine | undefined;

export class Rig {
  readonly m: Machine;
  readonly c: Core;
  exit: Exit = Exit.None;

  constructor(words: number[], opts: RigOptions = {}) {
    shared ??= new Machine({ ramMiB: 64, console: () => {} });
    this.m = shared;
    this.c = this.m.core;
    const c = this.c;
    c.ex.reset();
    c.ex.set_interrupt_lines(0, 0, 0);
    this.put(CODE, [...words, END]);
    for (const el of [1, 2, 3] as const) this.put(VBAR[el], Array.from({ length: 0x800 / 4 }, (_, i) => (i % 32 === 0 ? END : 0)));
    const el = opts.el ?? 1;
    this.m.start(CODE, { el, security: opts.security ?? (el === 3 ? 'root' : 'ns') });
    if (!opts.hostOwned) c.hostOwnedEls = 0;
    for (const n of [1, 2, 3] as const) c.setSysreg(`VBAR_EL${n}`, VBAR[n]);
    const spsel = el === 0 ? 0n : BigInt(opts.spsel ?? 1);
    c.pstate = BigInt(el << 2) | spsel | (BigInt(opts.daif ?? 0xf) << 6n);
    c.stateChanged();
  }

  /** Writes instruction words (or any u32s) at a physical address. */
  put(pa: bigint, words: number[]): void {
    this.m.writePhysical(pa, new Uint8Array(new Uint32Array(words).buffer));
  }
  write64(pa: bigint, v: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, true);
    this.m.writePhysical(pa, b);
  }
  read64(pa: bigint): bigint {
    const b = this.m.readPhysical(pa, 8)!;
    return new DataView(b.buffer, b.byteOffset).getBigUint64(0, true);
  }

  run(budget = 1000n): Exit {
    // A timer register write only asks the host to re-evaluate the timers: carry on
    const end = this.c.icount + budget;
    do this.exit = this.c.run(end - this.c.icount);
    while (this.exit === Exit.Timer && this.c.icount < end);
    return this.exit;
  }

  /** The vector the PE stopped in (the end marker at its first word), if it stopped in one. */
  get vector(): Vector | undefined {
    if (this.exit !== Exit.Semihosting) return undefined;
    const at = this.c.pc - 4n;
    for (const el of [1, 2, 3] as const) {
      const off = at - VBAR[el];
      if (off >= 0n && off < 0x800n) return { el, offset: Number(off) };
    }
    return undefined;
  }

  /** Whether the run reached the end marker after the code (no exception was taken). */
  get finished(): boolean {
    return this.exit === Exit.Semihosting && this.vector === undefined;
  }

  esr(el: 1 | 2 | 3): bigint {
    return this.c.sysreg(`ESR_EL${el}`);
  }
  ec(el: 1 | 2 | 3): number {
    return Number(this.esr(el) >> 26n) & 0x3f;
  }
  iss(el: 1 | 2 | 3): number {
    return Number(this.esr(el) & 0x1ffffffn);
  }
  elr(el: 1 | 2 | 3): bigint {
    return this.c.sysreg(`ELR_EL${el}`);
  }
  spsr(el: 1 | 2 | 3): bigint {
    return this.c.sysreg(`SPSR_EL${el}`);
  }
  far(el: 1 | 2 | 3): bigint {
    return this.c.sysreg(`FAR_EL${el}`);
  }
  /** The address of the n-th code word. */
  static at(n: number): bigint {
    return CODE + BigInt(4 * n);
  }
}
