// The contract between the differential-test harness (which runs sequences in qemu-aarch64 and in cca-emu
// from the same initial state and compares the final state) and the per-group sequence generators.

/** Code is loaded here in both engines. */
export const CODE_BASE = 0x8000_0000n;
/**
 * Sequences start here in both engines: 16 bytes before a page boundary, so that an 8-instruction sequence
 * crosses it and the PC has nonzero low bits (ADRP's page masking, ADR's carries and literal addresses show).
 * The words before it (the QEMU harness's prologue and epilogue) are the same in both engines.
 */
export const SEQUENCE_BASE = CODE_BASE + 0xff0n;
/** A scratch area of random bytes that load/store sequences may read and write; compared at the end. */
export const SCRATCH_BASE = 0x8010_0000n;
export const SCRATCH_SIZE = 0x6000;
/**
 * Registers that hold pointers into the scratch area at the start: x24 = SCRATCH_BASE + 0x1000,
 * x25 = +0x2000, x26 = +0x3000, x27 = +0x4000. Load/store generators use them as base registers and keep
 * every access inside the scratch area; other registers start with random (and special) values.
 */
export const BASE_REGS = [24, 25, 26, 27] as const;
export const BASE_OFFSETS = [0x1000, 0x2000, 0x3000, 0x4000] as const;

/** One group of the encoding table, as the differential tests exercise it. */
export interface DiffGroup {
  /** The name used for golden files and reports, e.g. 'dp-imm', 'ldst-pair'. */
  name: string;
  /** The table rows (by name) this group covers: the test checks every row appears in some group. */
  ops: string[];
  /** Rows of other groups a sequence may also use (e.g. post-indexed loads that move base registers). */
  helpers?: string[];
  /**
   * A straight-line sequence (no branch leaves it, no exception is taken, no system register or
   * instruction whose result differs between Linux user mode and bare metal), from the PRNG.
   */
  sequence(rand: () => number): number[];
}
