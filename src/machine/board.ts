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

/** Reserved at the top of DRAM0 with RME (DESIGN.md section 5): the GPT (Root), then the RMM's memory (Realm). */
export const RME_CARVE_OUT = 64n << 20n;
export const RME_ROOT_SIZE = 1n << 20n;
/** FVP Base trusted SRAM and trusted DRAM: Secure in the GPT. */
export const TRUSTED_MEMORY = [
  { base: 0x0400_0000n, size: 0x4_0000n },
  { base: 0x0600_0000n, size: 0x200_0000n },
];
// The FVP peripherals beyond the UARTs and the GIC (TF-A's fvp_def.h and FVP's device tree)
export const PERIPHERAL_WINDOWS = [
  { base: 0x1c00_0000n, size: 0x400_0000n }, // the V2M motherboard peripherals
  { base: 0x2a00_0000n, size: 0x500_0000n }, // system peripherals below the GIC
];
export const V2M_SYSREGS_BASE = 0x1c01_0000n;
export const SP805_BASE = 0x1c0f_0000n;
export const SP805_INTID = 32; // SPI 0
export const CNTCONTROL_BASE = 0x2a43_0000n;
export const SBSA_WDOG_REFRESH_BASE = 0x2a44_0000n;
export const SBSA_WDOG_CONTROL_BASE = 0x2a45_0000n;
export const SBSA_WDOG_INTID = 59; // SPI 27
export const CNTCTLBASE_BASE = 0x2a81_0000n;
export const CNTBASE_FRAMES = [
  { base: 0x2a82_0000n, intid: 57 }, // frame 0 (Secure on FVP), SPI 25
  { base: 0x2a83_0000n, intid: 58 }, // frame 1 (Non-secure), SPI 26
];
export const FRAME_SIZE = 0x1000n;
