// The trace ring's record formats, as assembly/debug/trace.ts writes them (little-endian; each record
// starts with a u32 header whose low byte is its kind). The drain (wasm/drain.ts) reads the frequent ones;
// the host decodes those it returns for (exceptions and ERETs) here.

export const REC_INSN = 1;
export const REC_REG = 2;
export const REC_MEM = 3;
export const REC_EXC = 4;
export const REC_ERET = 5;

/** Register numbers of REG records: 0-30 are Xn. */
export const REG_SP = 31;
export const REG_CPSR = 32;

/** Security states and PA spaces, in the core's encoding (assembly/cpu/pstate.ts SEC_*). */
export const WORLDS = ['secure', 'ns', 'root', 'realm'] as const;
export type World = (typeof WORLDS)[number];

/** The PE state bits of INSN, EXC and ERET headers: EL, security state, SPSel. */
export interface PeState {
  el: number;
  world: number;
  spsel: number;
}
export const stateEl = (bits: number): number => bits & 3;
export const stateWorld = (bits: number): number => (bits >> 2) & 3;
export const stateSpsel = (bits: number): number => (bits >> 4) & 1;

/** A PA word's high half: bit 31 = unknown (no TLB entry), bits 25:24 = PA space, bit 26 = device. */
export const paKnown = (hi: number): boolean => (hi & 0x8000_0000) === 0;
export const paSpace = (hi: number): number => (hi >>> 24) & 3;
export const paDevice = (hi: number): boolean => (hi & (1 << 26)) !== 0;
export const paHigh = (hi: number): number => hi & 0xfffff; // PAs are at most 52 bits

export interface ExceptionRecord {
  icount: number;
  state: number;
  target: number;
  /** 0 synchronous, 1 IRQ, 2 FIQ, 3 SError */
  type: number;
  farValid: boolean;
  esr: bigint;
  far: bigint;
  ret: bigint;
}

export interface EretRecord {
  icount: number;
  state: number;
  target: bigint;
  spsr: bigint;
}

const u64 = (w: Uint32Array, i: number): bigint => (BigInt(w[i + 1]) << 32n) | BigInt(w[i]);
const count = (w: Uint32Array, i: number): number => w[i] + w[i + 1] * 0x1_0000_0000;

/** The EXC or ERET record at word `i` of `w` (little-endian: WebAssembly memory). */
export function hostRecord(w: Uint32Array, i: number): { exception: ExceptionRecord } | { eret: EretRecord } {
  const hdr = w[i];
  const kind = hdr & 0xff;
  switch (kind) {
    case REC_EXC:
      return {
        exception: {
          icount: count(w, i + 8), state: (hdr >>> 8) & 0xff, target: (hdr >>> 16) & 3, type: (hdr >>> 18) & 3,
          farValid: ((hdr >>> 20) & 1) !== 0, esr: u64(w, i + 2), far: u64(w, i + 4), ret: u64(w, i + 6),
        },
      };
    case REC_ERET:
      return { eret: { icount: count(w, i + 6), state: (hdr >>> 8) & 0xff, target: u64(w, i + 2), spsr: u64(w, i + 4) } };
    default:
      throw new Error(`trace ring: ${kind >= REC_INSN && kind <= REC_MEM ? 'the drain returned a record it formats,' : 'unknown record kind'} ${kind} at word ${i}`);
  }
}
