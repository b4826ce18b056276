// What the ID registers report: exactly the features the core implements (Arm ARM D23.2 field layouts).
// Change a value only together with the implementation of the feature it advertises.

export const ID_VALUES: Record<string, bigint> = {
  // Implementer 0x00 is "reserved for software use": we are not a real part. Architecture 0xF, part 0xCCA.
  MIDR_EL1: 0x000fcca0n,
  // EL0..EL3 AArch64 only (1 each); FP and AdvSIMD implemented without half precision (0 each: no FEAT_FP16);
  // GIC CPU interface system registers (bits 27:24 = 1, served by src/devices/gicv3.ts); FEAT_DIT (bits 51:48 = 1);
  // FEAT_RME (bits 55:52 = 1: the Granule Protection Check of assembly/mmu/gpc.ts).
  ID_AA64PFR0_EL1: 0x1111n | (1n << 24n) | (1n << 48n) | (1n << 52n),
  // AES with 64-bit PMULL (bits 7:4 = 2), SHA1 (bits 11:8 = 1), SHA256 (bits 15:12 = 1, no SHA512),
  // CRC32 (bits 19:16 = 1), LSE atomics (bits 23:20 = 2).
  ID_AA64ISAR0_EL1: (2n << 4n) | (1n << 8n) | (1n << 12n) | (1n << 16n) | (2n << 20n),
  // PARange 48 bits (5), 16-bit ASIDs (2), SNSMem (1), 4K and 64K granules (0 = supported), 16K (1).
  ID_AA64MMFR0_EL1: 0x5n | (0x2n << 4n) | (0x1n << 12n) | (0x1n << 20n),
  // FEAT_PAN (bits 23:20 = 1); 8-bit VMIDs; no VHE.
  ID_AA64MMFR1_EL1: 0x1n << 20n,
  // Debug v8.0 (6), two breakpoints (BRPs = 1), two watchpoints (WRPs = 1), no PMU.
  ID_AA64DFR0_EL1: 0x6n | (0x1n << 12n) | (0x1n << 20n),
  // Separate L1 I and D caches; LoUIS = LoC = LoUU = 1.
  CLIDR_EL1: 0x3n | (1n << 21n) | (1n << 24n) | (1n << 27n),
  // 64-byte lines, 4 ways, 128 sets.
  CCSIDR_EL1: 0x2n | (3n << 3n) | (127n << 13n),
};

/** CTR_EL0: 64-byte lines (I, D, ERG, CWG), PIPT I-cache, IDC and DIC (an emulator's caches are coherent). */
export const CTR_EL0_VALUE = 0x80000000n | (1n << 29n) | (1n << 28n) | (4n << 24n) | (4n << 20n) | (4n << 16n) | (3n << 14n) | 4n;
/** DC ZVA zeroes 64 bytes (BS = log2(words) = 4). */
export const DCZID_BS = 4;
