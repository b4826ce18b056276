// Entering a REC (RMM A4.2): the RMM programs EL2 for the realm (stage 2 from its RTTs, the traps the RMM
// relies on, the GIC virtual interface from the host's list registers, the timer masks of A6.2), restores
// the REC's context and returns to Realm EL1. The exception that ends the run comes back to realm-exit.ts.
import type { WorldCpu } from '../cpu.js';
import type { SysregName } from '../../src/isa/sysregs.gen.js';
import type { RmmContext } from './context.js';
import type { Realm } from './realm.js';
import { RecState, type Rec } from './rec.js';
import type { RecEnter } from './rec-run.js';
import { loadContext } from './realm-context.js';

// HCR_EL2 for Realm execution (Arm ARM D24.2.62): VM, FMO/IMO/AMO (physical interrupts and SError to
// R-EL2, virtual ones to the realm), TID3 (ID registers sanitised by the RMM), TSC (SMC to the RMM), RW
const HCR_VM = 1n, HCR_FMO = 1n << 3n, HCR_IMO = 1n << 4n, HCR_AMO = 1n << 5n;
const HCR_TWI = 1n << 13n, HCR_TWE = 1n << 14n, HCR_TID3 = 1n << 18n, HCR_TSC = 1n << 19n, HCR_RW = 1n << 31n;
const REALM_HCR = HCR_VM | HCR_FMO | HCR_IMO | HCR_AMO | HCR_TID3 | HCR_TSC | HCR_RW;
// CNTHCTL_EL2: EL1PCTEN and EL1PCEN (the realm may use the physical counter and timer), CNTVMASK/CNTPMASK
const CNTHCTL_EL1PCTEN_EL1PCEN = 3n, CNTHCTL_CNTVMASK = 1n << 18n, CNTHCTL_CNTPMASK = 1n << 19n;
// SCR_EL3.{NSE, NS} = {1, 1}: Realm state
const SCR_NS = 1n, SCR_NSE = 1n << 62n;
const ICH_HCR_EN = 1n;
const EL3H_MASKED = 0x3cdn;
/** RMM A6.1: the ICH_HCR_EL2 fields the host controls. */
export const ICH_HCR_HOST_FIELDS = 0xfen | (1n << 14n);

/** VTCR_EL2 for a realm's stage 2 (D24.2.201): 4 KiB granule, its IPA width and starting level, 48-bit PA. */
export function realmVtcr(realm: Realm, vmidBits: number): bigint {
  const t0sz = BigInt(64 - realm.ipaWidth);
  const sl0 = BigInt(2 - realm.rttLevelStart); // 4 KiB granule: SL0 0, 1, 2 start at levels 2, 1, 0
  const inner = 1n << 8n, outer = 1n << 10n, innerShareable = 3n << 12n, pa48 = 5n << 16n;
  const vs = vmidBits === 16 ? 1n << 19n : 0n;
  return t0sz | (sl0 << 6n) | inner | outer | innerShareable | pa48 | vs | (1n << 31n);
}

/** VMPIDR_EL2 for a REC: its RmiRecMpidr affinity in MPIDR_EL1's layout (Aff3 at [39:32], RES1 bit 31). */
export function recVmpidr(mpidr: bigint): bigint {
  return (1n << 31n) | (mpidr & 0xff_ffffn) | (((mpidr >> 24n) & 0xffn) << 32n);
}

/**
 * A REC's EL1 timer as the realm's own registers describe it at `count` (the counter offset is 0): CTL as
 * the realm would read it (ENABLE, IMASK, ISTATUS), and whether its output is asserted (Arm ARM D12.2.4).
 */
export function timerState(ctl: bigint, cval: bigint, count: bigint): { ctl: bigint; asserted: boolean } {
  const met = (ctl & 1n) === 1n && count >= cval;
  return { ctl: (ctl & 3n) | (met ? 4n : 0n), asserted: met && (ctl & 2n) === 0n };
}

/** Runs `rec`: from here the PE executes the realm until an exception to R-EL2 (realm-exit.ts). */
export function enterRealm(ctx: RmmContext, cpu: WorldCpu, realm: Realm, rec: Rec, enter: RecEnter): void {
  const hcr = REALM_HCR | (enter.flags.trapWfi ? HCR_TWI : 0n) | (enter.flags.trapWfe ? HCR_TWE : 0n);
  cpu.setSysreg('HCR_EL2', hcr);
  cpu.setSysreg('VTTBR_EL2', (BigInt(realm.vmid) << 48n) | realm.rttBase);
  cpu.setSysreg('VTCR_EL2', realmVtcr(realm, ctx.platform.vmidBits));
  cpu.setSysreg('VMPIDR_EL2', recVmpidr(rec.mpidr));
  cpu.setSysreg('VPIDR_EL2', cpu.sysreg('MIDR_EL1'));
  cpu.setSysreg('CPTR_EL2', 0x33ffn); // no FP/SIMD traps (TFP = 0), RES1 bits
  cpu.setSysreg('MDCR_EL2', 0n);
  cpu.setSysreg('CNTVOFF_EL2', 0n); // A6.2: the virtual offset is zero for the realm's lifetime
  // A6.2: a timer whose output the last exit reported asserted stays masked until the realm changes it
  const masks = (rec.timersAsserted.virtual ? CNTHCTL_CNTVMASK : 0n) | (rec.timersAsserted.physical ? CNTHCTL_CNTPMASK : 0n);
  cpu.setSysreg('CNTHCTL_EL2', CNTHCTL_EL1PCTEN_EL1PCEN | masks);
  cpu.setSysreg('VBAR_EL2', 0n); // the RMM's vectors: an exception's offset is the PC it lands on
  // A6.1: the list registers and the host's ICH_HCR_EL2 fields; the rest is the RMM's, with the interface on
  // (every list register the PE has: those beyond the reported GICV3_NUM_LRS were checked to be zero)
  for (let n = 0; n < enter.gicv3Lrs.length; n++) cpu.setSysreg(`ICH_LR${n}_EL2` as SysregName, enter.gicv3Lrs[n]);
  cpu.setSysreg('ICH_VMCR_EL2', rec.gic.vmcr);
  cpu.setSysreg('ICH_AP0R0_EL2', rec.gic.ap0r);
  cpu.setSysreg('ICH_AP1R0_EL2', rec.gic.ap1r);
  cpu.setSysreg('ICH_HCR_EL2', (enter.gicv3Hcr & ICH_HCR_HOST_FIELDS) | ICH_HCR_EN);

  loadContext(cpu, rec.context);
  for (let n = 0; n <= 30; n++) cpu.setX(n, rec.gprs[n]);
  // Return from EL3 into Realm EL1, as the monitor's ERET to R-EL2 and the RMM's to the realm would
  cpu.setSysreg('SCR_EL3', cpu.sysreg('SCR_EL3') | SCR_NS | SCR_NSE);
  cpu.setSysreg('ELR_EL3', rec.pc);
  cpu.setSysreg('SPSR_EL3', rec.pstate);
  cpu.pstate = EL3H_MASKED;
  cpu.stateChanged();
  cpu.eret();
  rec.state = RecState.Running;
}
