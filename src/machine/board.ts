// The default board: the Arm FVP Base RevC memory map (DESIGN.md section 5).

export const DRAM0_BASE = 0x8000_0000n;
export const DRAM0_MAX = 0x8000_0000n; // 2 GiB
export const DRAM1_BASE = 0x8_8000_0000n;
export const UART_BASES = [0x1c09_0000n, 0x1c0a_0000n, 0x1c0b_0000n, 0x1c0c_0000n];
export const UART_SIZE = 0x1000n;
/** The generic counter frequency FVP reports (100 MHz): one tick per instruction executed. */
export const CNTFRQ = 100_000_000n;
/** FVP's MPIDR of the first PE, with bit 31 RES1. */
export const MPIDR_PE0 = 0x8000_0000n;
/** Up to 8 PEs as FVP Base RevC numbers them: four per cluster, Aff1 the core, Aff2 the cluster. */
export const MAX_CPUS = 8;
export function mpidrOf(pe: number): bigint {
  return MPIDR_PE0 | (BigInt(pe >> 2) << 16n) | (BigInt(pe & 3) << 8n);
}
export const DEFAULT_RAM_MIB = 256;
export const MAX_RAM_MIB = 3072; // a 32-bit WebAssembly memory holds the RAM and the core's own state
