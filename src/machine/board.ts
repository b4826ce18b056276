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
export const DEFAULT_RAM_MIB = 256;
export const MAX_RAM_MIB = 3072; // a 32-bit WebAssembly memory holds the RAM and the core's own state

/** Reserved at the top of DRAM0 with RME (DESIGN.md section 5): the GPT (Root), then the RMM's memory (Realm). */
export const RME_CARVE_OUT = 64n << 20n;
export const RME_ROOT_SIZE = 1n << 20n;
/** FVP Base trusted SRAM and trusted DRAM: Secure in the GPT. */
export const TRUSTED_MEMORY = [
  { base: 0x0400_0000n, size: 0x4_0000n },
  { base: 0x0600_0000n, size: 0x200_0000n },
];
