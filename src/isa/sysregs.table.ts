// The system registers the core implements: name (Arm ARM verbatim), encoding op0.op1.CRn.CRm.op2, and
// how it is accessed. Plain registers are storage in linear memory; `special` ones are computed or have
// side effects in assembly/cpu/sysreg.ts. ID registers report exactly what the core implements.
// Arm ARM D23 (AArch64 system register descriptions); the ID values are explained in id-values.ts.
import { ID_VALUES } from './id-values.js';

export type Access =
  | 'rw' // read/write storage
  | 'ro' // read-only (ID registers; computed ones in sysreg.ts): writes are UNDEFINED, before any trap
  | 'wo' // write-only (OSLAR_EL1): reads are UNDEFINED
  | 'special' // read/write computed in sysreg.ts
  | 'host' // served by the host's device model (the GIC CPU interface): MRS/MSR exit to the host
  | 'host-ro' // the same, read-only: writes are UNDEFINED in the core
  | 'host-wo'; // the same, write-only: reads are UNDEFINED in the core

export interface SysregSpec {
  name: string;
  enc: string; // op0.op1.CRn.CRm.op2
  access: Access;
  reset?: bigint;
  /** The lowest EL that may access it; defaults from op1 (D18.3: 0,1,2 -> EL1, 3 -> EL0, 4,5 -> EL2, 6 -> EL3). */
  minEl?: number;
}

const r = (name: string, enc: string, access: Access = 'rw', reset?: bigint, minEl?: number): SysregSpec => ({
  name, enc, access, reset, minEl,
});
const id = (name: string, enc: string): SysregSpec => r(name, enc, 'ro', ID_VALUES[name] ?? 0n);

export const SYSREGS: SysregSpec[] = [
  // PSTATE fields and computed registers
  r('NZCV', '3.3.4.2.0', 'special'),
  r('DAIF', '3.3.4.2.1', 'special'),
  r('CurrentEL', '3.0.4.2.2', 'ro'),
  r('SPSel', '3.0.4.2.0', 'special'),
  r('PAN', '3.0.4.2.3', 'special'),
  r('DIT', '3.3.4.2.5', 'special'),
  r('SP_EL0', '3.0.4.1.0', 'special'),
  r('SP_EL1', '3.4.4.1.0', 'special'),
  r('SP_EL2', '3.6.4.1.0', 'special'),
  // FP control and status (C5.2.8, C5.2.9): computed in sysreg.ts behind the SIMD&FP enable check
  r('FPCR', '3.3.4.4.0', 'special'),
  r('FPSR', '3.3.4.4.1', 'special'),

  // Identification (D23.2): the values live in id-values.ts
  id('MIDR_EL1', '3.0.0.0.0'),
  r('MPIDR_EL1', '3.0.0.0.5', 'ro'),
  id('REVIDR_EL1', '3.0.0.0.6'),
  id('ID_AA64PFR0_EL1', '3.0.0.4.0'),
  id('ID_AA64PFR1_EL1', '3.0.0.4.1'),
  id('ID_AA64ZFR0_EL1', '3.0.0.4.4'),
  id('ID_AA64SMFR0_EL1', '3.0.0.4.5'),
  id('ID_AA64DFR0_EL1', '3.0.0.5.0'),
  id('ID_AA64DFR1_EL1', '3.0.0.5.1'),
  id('ID_AA64AFR0_EL1', '3.0.0.5.4'),
  id('ID_AA64AFR1_EL1', '3.0.0.5.5'),
  id('ID_AA64ISAR0_EL1', '3.0.0.6.0'),
  id('ID_AA64ISAR1_EL1', '3.0.0.6.1'),
  id('ID_AA64ISAR2_EL1', '3.0.0.6.2'),
  id('ID_AA64MMFR0_EL1', '3.0.0.7.0'),
  id('ID_AA64MMFR1_EL1', '3.0.0.7.1'),
  id('ID_AA64MMFR2_EL1', '3.0.0.7.2'),
  id('ID_AA64MMFR3_EL1', '3.0.0.7.3'),
  r('CTR_EL0', '3.3.0.0.1', 'ro'),
  r('DCZID_EL0', '3.3.0.0.7', 'ro'),
  id('CLIDR_EL1', '3.1.0.0.1'),
  id('CCSIDR_EL1', '3.1.0.0.0'),
  id('AIDR_EL1', '3.1.0.0.7'),
  r('CSSELR_EL1', '3.2.0.0.0'),
  r('VPIDR_EL2', '3.4.0.0.0'),
  r('VMPIDR_EL2', '3.4.0.0.5'),

  // EL1 (D23.2)
  r('SCTLR_EL1', '3.0.1.0.0', 'special', 0x30d00800n),
  r('ACTLR_EL1', '3.0.1.0.1'),
  r('CPACR_EL1', '3.0.1.0.2'),
  r('TTBR0_EL1', '3.0.2.0.0', 'special'),
  r('TTBR1_EL1', '3.0.2.0.1', 'special'),
  r('TCR_EL1', '3.0.2.0.2', 'special'),
  r('SPSR_EL1', '3.0.4.0.0'),
  r('ELR_EL1', '3.0.4.0.1'),
  r('AFSR0_EL1', '3.0.5.1.0'),
  r('AFSR1_EL1', '3.0.5.1.1'),
  r('ESR_EL1', '3.0.5.2.0'),
  r('FAR_EL1', '3.0.6.0.0'),
  r('PAR_EL1', '3.0.7.4.0'),
  r('MAIR_EL1', '3.0.10.2.0', 'special'),
  r('AMAIR_EL1', '3.0.10.3.0'),
  r('VBAR_EL1', '3.0.12.0.0'),
  r('ISR_EL1', '3.0.12.1.0', 'ro'),
  r('CONTEXTIDR_EL1', '3.0.13.0.1'),
  r('TPIDR_EL1', '3.0.13.0.4'),
  r('TPIDR_EL0', '3.3.13.0.2'),
  r('TPIDRRO_EL0', '3.3.13.0.3', 'special'),
  r('CNTKCTL_EL1', '3.0.14.1.0'),

  // Debug (D23.3): two breakpoints and two watchpoints, the architectural minimum, as storage
  r('MDSCR_EL1', '2.0.0.2.2'),
  r('OSLAR_EL1', '2.0.1.0.4', 'wo'),
  r('OSLSR_EL1', '2.0.1.1.4', 'ro', 0x8n),
  r('OSDLR_EL1', '2.0.1.3.4'),
  r('MDCCSR_EL0', '2.3.0.1.0', 'ro', 0n),
  r('MDCCINT_EL1', '2.0.0.2.0'),
  r('DBGBVR0_EL1', '2.0.0.0.4'), r('DBGBCR0_EL1', '2.0.0.0.5'),
  r('DBGWVR0_EL1', '2.0.0.0.6'), r('DBGWCR0_EL1', '2.0.0.0.7'),
  r('DBGBVR1_EL1', '2.0.0.1.4'), r('DBGBCR1_EL1', '2.0.0.1.5'),
  r('DBGWVR1_EL1', '2.0.0.1.6'), r('DBGWCR1_EL1', '2.0.0.1.7'),
  r('DBGCLAIMSET_EL1', '2.0.7.8.6'), r('DBGCLAIMCLR_EL1', '2.0.7.9.6'),
  r('DBGAUTHSTATUS_EL1', '2.0.7.14.6', 'ro', 0n),

  // Generic timer (D23.8); CNTFRQ_EL0 is writable only at the highest EL (checked in sysreg.ts)
  r('CNTFRQ_EL0', '3.3.14.0.0', 'special'),
  r('CNTPCT_EL0', '3.3.14.0.1', 'ro'),
  r('CNTVCT_EL0', '3.3.14.0.2', 'ro'),
  r('CNTP_TVAL_EL0', '3.3.14.2.0', 'special'),
  r('CNTP_CTL_EL0', '3.3.14.2.1', 'special'),
  r('CNTP_CVAL_EL0', '3.3.14.2.2', 'special'),
  r('CNTV_TVAL_EL0', '3.3.14.3.0', 'special'),
  r('CNTV_CTL_EL0', '3.3.14.3.1', 'special'),
  r('CNTV_CVAL_EL0', '3.3.14.3.2', 'special'),
  r('CNTHCTL_EL2', '3.4.14.1.0'),
  r('CNTVOFF_EL2', '3.4.14.0.3', 'special'),
  r('CNTHP_TVAL_EL2', '3.4.14.2.0', 'special'),
  r('CNTHP_CTL_EL2', '3.4.14.2.1', 'special'),
  r('CNTHP_CVAL_EL2', '3.4.14.2.2', 'special'),
  r('CNTPS_TVAL_EL1', '3.7.14.2.0', 'special', undefined, 1),
  r('CNTPS_CTL_EL1', '3.7.14.2.1', 'special', undefined, 1),
  r('CNTPS_CVAL_EL1', '3.7.14.2.2', 'special', undefined, 1),

  // EL2 (D23.2)
  r('SCTLR_EL2', '3.4.1.0.0', 'special', 0x30c50830n),
  r('ACTLR_EL2', '3.4.1.0.1'),
  r('HCR_EL2', '3.4.1.1.0', 'special', 1n << 31n), // RW is RAO/WI (no AArch32)
  r('MDCR_EL2', '3.4.1.1.1'),
  r('CPTR_EL2', '3.4.1.1.2', 'rw', 0x33ffn),
  r('HSTR_EL2', '3.4.1.1.3'),
  r('HACR_EL2', '3.4.1.1.7'),
  r('TTBR0_EL2', '3.4.2.0.0', 'special'),
  r('TCR_EL2', '3.4.2.0.2', 'special'),
  r('VTTBR_EL2', '3.4.2.1.0', 'special'),
  r('VTCR_EL2', '3.4.2.1.2', 'special'),
  r('SPSR_EL2', '3.4.4.0.0'),
  r('ELR_EL2', '3.4.4.0.1'),
  r('AFSR0_EL2', '3.4.5.1.0'),
  r('AFSR1_EL2', '3.4.5.1.1'),
  r('ESR_EL2', '3.4.5.2.0'),
  r('FAR_EL2', '3.4.6.0.0'),
  r('HPFAR_EL2', '3.4.6.0.4'),
  r('MAIR_EL2', '3.4.10.2.0', 'special'),
  r('AMAIR_EL2', '3.4.10.3.0'),
  r('VBAR_EL2', '3.4.12.0.0'),
  r('TPIDR_EL2', '3.4.13.0.2'),

  // EL3 (D23.2) and the RME registers (D23.2, GPCCR_EL3/GPTBR_EL3/MFAR_EL3)
  r('SCTLR_EL3', '3.6.1.0.0', 'special', 0x30c50830n),
  r('ACTLR_EL3', '3.6.1.0.1'),
  r('SCR_EL3', '3.6.1.1.0', 'special', 1n << 10n), // RW is RAO/WI (no AArch32)
  r('CPTR_EL3', '3.6.1.1.2'),
  r('MDCR_EL3', '3.6.1.3.1'),
  r('TTBR0_EL3', '3.6.2.0.0', 'special'),
  r('TCR_EL3', '3.6.2.0.2', 'special'),
  r('GPTBR_EL3', '3.6.2.1.4', 'special'),
  r('GPCBW_EL3', '3.6.2.1.5'),
  r('GPCCR_EL3', '3.6.2.1.6', 'special'),
  r('SPSR_EL3', '3.6.4.0.0'),
  r('ELR_EL3', '3.6.4.0.1'),
  r('AFSR0_EL3', '3.6.5.1.0'),
  r('AFSR1_EL3', '3.6.5.1.1'),
  r('ESR_EL3', '3.6.5.2.0'),
  r('FAR_EL3', '3.6.6.0.0'),
  r('MFAR_EL3', '3.6.6.0.5'),
  r('MAIR_EL3', '3.6.10.2.0', 'special'),
  r('AMAIR_EL3', '3.6.10.3.0'),
  r('VBAR_EL3', '3.6.12.0.0'),
  r('RVBAR_EL3', '3.6.12.0.1', 'ro', 0n),
  r('TPIDR_EL3', '3.6.13.0.2'),

  // GICv3 CPU interface (Arm IHI0069 chapter 12): served by src/devices/gicv3.ts through EXIT_SYSREG
  r('ICC_PMR_EL1', '3.0.4.6.0', 'host'),
  r('ICC_IAR0_EL1', '3.0.12.8.0', 'host-ro'),
  r('ICC_EOIR0_EL1', '3.0.12.8.1', 'host-wo'),
  r('ICC_HPPIR0_EL1', '3.0.12.8.2', 'host-ro'),
  r('ICC_BPR0_EL1', '3.0.12.8.3', 'host'),
  r('ICC_AP0R0_EL1', '3.0.12.8.4', 'host'),
  r('ICC_AP1R0_EL1', '3.0.12.9.0', 'host'),
  r('ICC_DIR_EL1', '3.0.12.11.1', 'host-wo'),
  r('ICC_RPR_EL1', '3.0.12.11.3', 'host-ro'),
  r('ICC_SGI1R_EL1', '3.0.12.11.5', 'host-wo'),
  r('ICC_ASGI1R_EL1', '3.0.12.11.6', 'host-wo'),
  r('ICC_SGI0R_EL1', '3.0.12.11.7', 'host-wo'),
  r('ICC_IAR1_EL1', '3.0.12.12.0', 'host-ro'),
  r('ICC_EOIR1_EL1', '3.0.12.12.1', 'host-wo'),
  r('ICC_HPPIR1_EL1', '3.0.12.12.2', 'host-ro'),
  r('ICC_BPR1_EL1', '3.0.12.12.3', 'host'),
  r('ICC_CTLR_EL1', '3.0.12.12.4', 'host'),
  r('ICC_SRE_EL1', '3.0.12.12.5', 'host'),
  r('ICC_IGRPEN0_EL1', '3.0.12.12.6', 'host'),
  r('ICC_IGRPEN1_EL1', '3.0.12.12.7', 'host'),
  r('ICC_SRE_EL2', '3.4.12.9.5', 'host'),
  r('ICC_CTLR_EL3', '3.6.12.12.4', 'host'),
  r('ICC_SRE_EL3', '3.6.12.12.5', 'host'),
  r('ICC_IGRPEN1_EL3', '3.6.12.12.7', 'host'),
  // GICv3 virtual CPU interface control (IHI0069 12.4), also served by src/devices/gicv3.ts
  r('ICH_AP0R0_EL2', '3.4.12.8.0', 'host'),
  r('ICH_AP1R0_EL2', '3.4.12.9.0', 'host'),
  r('ICH_HCR_EL2', '3.4.12.11.0', 'host'),
  r('ICH_VTR_EL2', '3.4.12.11.1', 'host-ro'),
  r('ICH_MISR_EL2', '3.4.12.11.2', 'host-ro'),
  r('ICH_EISR_EL2', '3.4.12.11.3', 'host-ro'),
  r('ICH_ELRSR_EL2', '3.4.12.11.5', 'host-ro'),
  r('ICH_VMCR_EL2', '3.4.12.11.7', 'host'),
  ...Array.from({ length: 16 }, (_, n) => r(`ICH_LR${n}_EL2`, `3.4.12.${12 + (n >> 3)}.${n & 7}`, 'host')),
];

export function encodingKey(enc: string): number {
  const [op0, op1, crn, crm, op2] = enc.split('.').map(Number);
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

export function defaultMinEl(enc: string): number {
  const op1 = Number(enc.split('.')[1]);
  return op1 === 3 ? 0 : op1 === 4 || op1 === 5 ? 2 : op1 === 6 ? 3 : 1;
}
