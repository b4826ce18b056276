// A realm's view of its IPA space: kvmtool's arm64 layout (kvmtool arm/include/arm-common/kvm-arch.h;
// DESIGN.md section 5), so realm guests written for kvmtool run unmodified. The IPA's top bit selects the
// Unprotected alias (RMM A5.2.2): the emulated devices are reached there, at their address plus that bit.

export const REALM_RAM_BASE = 0x8000_0000n;
export const DEFAULT_IPA_BITS = 33;
export const MAX_IPA_BITS = 48;
export const DEFAULT_RAM_MIB = 16;

/** kvmtool's 8250 UART ("ns16550a") at I/O port 0x3f8, memory-mapped at IPA 0x3f8. */
export const REALM_UART_BASE = 0x3f8n;
export const REALM_UART_SIZE = 8n;
export const REALM_UART_CLOCK = 1_843_200;
/** kvmtool's GICv3: the distributor just below the AXI area at 1 GiB, one 128 KiB redistributor per vCPU below it. */
export const REALM_GICD_BASE = 0x3fff_0000n;
export const REALM_GICD_SIZE = 0x1_0000n;
export const REALM_GICR_STRIDE = 0x2_0000n;

export function realmGicrBase(recs: number): bigint {
  return REALM_GICD_BASE - REALM_GICR_STRIDE * BigInt(recs);
}

/** The IPA of the Unprotected alias of `ipa` (the top IPA bit set). */
export function unprotectedAlias(ipa: bigint, ipaBits: number): bigint {
  return ipa | (1n << BigInt(ipaBits - 1));
}

/** The IPA range one RTT entry at `level` maps with 4 KiB granules (Arm ARM D8.2). */
export function entryShift(level: number): bigint {
  return BigInt(12 + 9 * (3 - level));
}

/**
 * The stage-2 starting level and the number of concatenated starting RTTs for an IPA width, chosen as
 * KVM chooses them (one level fewer when up to 16 concatenated tables resolve the extra bits: Arm ARM
 * D8.2.6): 33 bits start at level 2 with 8 tables, 40 bits at level 1 with 2, 48 bits at level 0 with 1.
 */
export function startingRtts(ipaBits: number): { level: number; count: number } {
  const levels = Math.floor((ipaBits - 8) / 9);
  const level = 4 - levels;
  const extra = ipaBits - Number(entryShift(level)) - 9;
  return { level, count: extra > 0 ? 1 << extra : 1 };
}

/** RmiRecMpidr (RMM B4.4.18) of the REC with index `i`: Aff0[3:0] then Aff1, as RecIndex counts. */
export function recMpidr(i: number): bigint {
  return BigInt(i & 0xf) | (BigInt(i >> 4) << 8n);
}
