// Runs a few instruction words on a bare core and returns its final state: the unit-test harness.
import { Machine } from '../../src/machine/machine.js';
import { Exit } from '../../src/core/core.js';

export const SNIPPET_BASE = 0x8000_0000n;
const HLT_SEMIHOST = 0xd45e0000; // HLT #0xF000: the end marker

export interface SnippetState {
  x?: Partial<Record<number, bigint>>;
  sp?: bigint;
  nzcv?: number;
  el?: 0 | 1 | 2 | 3;
  /** Physical memory to preset: address -> bytes. */
  mem?: [bigint, Uint8Array][];
}

export interface SnippetResult {
  machine: Machine;
  exit: Exit;
  x(n: number): bigint;
  sp: bigint;
  nzcv: number;
  pc: bigint;
  read(pa: bigint, length: number): Uint8Array;
}

let shared: Machine | undefined;

/** Executes `words` then stops at an appended HLT #0xF000 (or after `budget` instructions). */
export function runSnippet(words: number[], init: SnippetState = {}, budget = 10_000n): SnippetResult {
  shared ??= new Machine({ ramMiB: 64, console: () => {} });
  const m = shared;
  const c = m.core;
  c.ex.reset();
  const code = new Uint8Array(new Uint32Array([...words, HLT_SEMIHOST]).buffer);
  m.writePhysical(SNIPPET_BASE, code);
  for (const [pa, bytes] of init.mem ?? []) m.writePhysical(pa, bytes);
  m.start(SNIPPET_BASE, { el: init.el ?? 1, security: init.el === 3 ? 'root' : 'ns' });
  for (let i = 0; i < 31; i++) c.setX(i, init.x?.[i] ?? 0n);
  c.sp = init.sp ?? 0n;
  c.nzcv = init.nzcv ?? 0;
  const exit = c.run(budget);
  return {
    machine: m,
    exit,
    x: (n) => c.x(n),
    sp: c.sp,
    nzcv: c.nzcv,
    pc: c.pc,
    read: (pa, length) => m.readPhysical(pa, length)!,
  };
}
