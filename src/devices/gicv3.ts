// GICv3 as on FVP Base RevC (Arm IHI0069 "GIC architecture specification", GICv3): the distributor at
// 0x2F00_0000, one redistributor (RD_base + SGI_base, 128 KiB) per PE from 0x2F10_0000, and the CPU
// interface system registers (ICC_*), which the core passes to us on EXIT_SYSREG.
//
// One Security state (GICD_CTLR.DS = 1): our EL3 monitor is TypeScript, so no Secure software programs
// Group 0 for itself; Group 0 signals FIQ and Group 1 signals IRQ (IHI0069 4.6 "Interrupt grouping and
// security"). No LPIs or ITS. Five bits of priority, as FVP's GIC-600 implements (ICC_CTLR_EL1.PRIbits 4).
import type { DeviceHandler } from '../core/core.js';

export const GICD_BASE = 0x2f00_0000n;
export const GICD_SIZE = 0x1_0000n;
export const GICR_BASE = 0x2f10_0000n;
export const GICR_STRIDE = 0x2_0000n;

/** INTIDs 0..SPI_LIMIT-1 exist: 16 SGIs, 16 PPIs, 256 SPIs (GICD_TYPER.ITLinesNumber 8). */
export const SPI_LIMIT = 288;
export const SPURIOUS = 1023;
const PRIORITY_MASK = 0xf8; // five implemented bits
const IIDR = 0x0200_043b; // implementer Arm (JEP106 0x43B)
const PIDR2_GICV3 = 0x3b; // ArchRev 3 in bits 7:4

// Distributor and SGI_base register offsets (IHI0069 12.9, 12.10)
const CTLR = 0x0000, TYPER = 0x0004, IIDR_OFF = 0x0008, PIDR2 = 0xffe8;
const IGROUPR = 0x0080, ISENABLER = 0x0100, ICENABLER = 0x0180, ISPENDR = 0x0200, ICPENDR = 0x0280;
const ISACTIVER = 0x0300, ICACTIVER = 0x0380, IPRIORITYR = 0x0400, ICFGR = 0x0c00, IGRPMODR = 0x0d00;
const IROUTER = 0x6000;
const GICR_IIDR = 0x0004, GICR_WAKER = 0x0014, GICR_TYPER = 0x0008, SGI_BASE = 0x1_0000;

const GICD_CTLR_GRP0 = 1, GICD_CTLR_GRP1 = 2, GICD_CTLR_ARE = 1 << 4, GICD_CTLR_DS = 1 << 6;
const WAKER_PROCESSOR_SLEEP = 2, WAKER_CHILDREN_ASLEEP = 4;

/** Aff3.Aff2.Aff1.Aff0 of an MPIDR or IROUTER value (both hold Aff3 in bits 39:32, the rest in 23:0). */
function affinity(v: bigint): bigint {
  return (((v >> 32n) & 0xffn) << 24n) | (v & 0xff_ffffn);
}

/**
 * The group priority of `priority` (IHI0069 4.8.2 "Preemption"): BPR1 counts one less than BPR0, and
 * with CBPR Group 1 uses BPR0 (4.8.5).
 */
function groupPriority(priority: number, group1: boolean, bpr0: number, bpr1: number, cbpr: boolean): number {
  const bits = group1 && !cbpr ? bpr1 - 1 : bpr0;
  return priority & (0xff << (bits + 1)) & 0xff;
}

/** The running priority from the active-priority bitmaps: the highest active, 0xFF when none. */
function runningPriority(ap0: number, ap1: number): number {
  const bits = ap0 | ap1;
  return bits === 0 ? 0xff : (31 - Math.clz32(bits & -bits)) << 3;
}

/**
 * Priority drop: the highest active priority loses its bit, if it belongs to `group1`'s bitmap (else the
 * EOI is UNPREDICTABLE and we ignore it, as a GIC that checks would). Returns the new [ap0, ap1].
 */
function dropPriority(ap0: number, ap1: number, group1: boolean): [number, number] {
  const all = ap0 | ap1;
  const lowest = all & -all;
  if (lowest === 0 || ((group1 ? ap1 : ap0) & lowest) === 0) return [ap0, ap1];
  return group1 ? [ap0, ap1 & ~lowest] : [ap0 & ~lowest, ap1];
}

/** ICC_CTLR_EL1 / ICV_CTLR_EL1: PRIbits 4 (five bits), IDbits 0 (16 bits), A3V, EOImode, CBPR. */
function ctlrValue(eoiMode: boolean, cbpr: boolean): bigint {
  return (4n << 8n) | (1n << 15n) | (eoiMode ? 2n : 0n) | (cbpr ? 1n : 0n);
}

/** One interrupt's state, per INTID (SGIs and PPIs once per PE). */
class Irq {
  enabled = false;
  /** Software or edge pending (cleared by acknowledge); a level-sensitive input adds `level`. */
  latched = false;
  level = false;
  active = false;
  group1 = false;
  groupMod = false;
  priority = 0;
  edge = false;
  route = 0n; // IROUTER: Aff3 in 39:32, Aff2.Aff1.Aff0 in 23:0, IRM in bit 31
  get pending(): boolean {
    return this.latched || (!this.edge && this.level);
  }
}

/** The CPU interface of one PE (IHI0069 12.2 "AArch64 System register descriptions of the CPU interface"). */
class CpuInterface {
  pmr = 0;
  bpr0 = 2; // minimum binary points with five priority bits: BPR0 2, BPR1 3
  bpr1 = 3;
  eoiMode = false;
  cbpr = false;
  igrpen0 = false;
  igrpen1 = false;
  /** Active priorities, one bit per group priority (priority >> 3), per group (ICC_AP0R0 / ICC_AP1R0). */
  ap0 = 0;
  ap1 = 0;
  sleeping = true; // GICR_WAKER.ProcessorSleep resets to 1
  readonly v = new VirtualInterface();
}

/** The virtual CPU interface's state for one PE (IHI0069 chapter 6, ICH_*_EL2). */
class VirtualInterface {
  hcr = 0;
  vmcr = 0;
  readonly lrs: bigint[] = new Array<bigint>(LIST_REGISTERS).fill(0n);
  ap0 = 0;
  ap1 = 0;
}

export const LIST_REGISTERS = 16;
/** ICH_VTR_EL2: 16 list registers, 5 bits of preemption and priority, A3V, nV4 (no direct injection). */
const ICH_VTR = BigInt(LIST_REGISTERS - 1) | (1n << 20n) | (1n << 21n) | (4n << 26n) | (4n << 29n);
const MAINTENANCE_INTID = 25;

// ICH_LR<n>_EL2 fields (IHI0069 12.4.6)
const lrState = (lr: bigint) => Number((lr >> 62n) & 3n); // 1 pending, 2 active, 3 both
const lrGroup1 = (lr: bigint) => ((lr >> 60n) & 1n) === 1n;
const lrHw = (lr: bigint) => ((lr >> 61n) & 1n) === 1n;
const lrPriority = (lr: bigint) => Number((lr >> 48n) & 0xffn) & PRIORITY_MASK;
const lrVintid = (lr: bigint) => Number(lr & 0xffff_ffffn);
const lrPintid = (lr: bigint) => Number((lr >> 32n) & 0x1fffn);
/** EOI maintenance requested: a software interrupt (HW 0) with the EOI bit (41). */
const lrEoi = (lr: bigint) => !lrHw(lr) && ((lr >> 41n) & 1n) === 1n;

export interface GicLines {
  irq: boolean;
  fiq: boolean;
  /** The virtual CPU interface's outputs (vIRQ for virtual Group 1, vFIQ for virtual Group 0). */
  virq: boolean;
  vfiq: boolean;
}

/** How an EL1 access to an ICC_* register is served, given HCR_EL2.IMO and FMO (IHI0069 12.1.4). */
export type El1Route = 'physical' | 'virtual' | 'trap-el2';
const GROUP1_REGS = new Set(['ICC_IAR1_EL1', 'ICC_EOIR1_EL1', 'ICC_HPPIR1_EL1', 'ICC_BPR1_EL1', 'ICC_AP1R0_EL1', 'ICC_IGRPEN1_EL1']);
const GROUP0_REGS = new Set(['ICC_IAR0_EL1', 'ICC_EOIR0_EL1', 'ICC_HPPIR0_EL1', 'ICC_BPR0_EL1', 'ICC_AP0R0_EL1', 'ICC_IGRPEN0_EL1']);
const COMMON_REGS = new Set(['ICC_PMR_EL1', 'ICC_RPR_EL1', 'ICC_CTLR_EL1', 'ICC_DIR_EL1']);
const SGI_REGS = new Set(['ICC_SGI0R_EL1', 'ICC_SGI1R_EL1', 'ICC_ASGI1R_EL1']);

export function el1Route(name: string, imo: boolean, fmo: boolean): El1Route {
  if (GROUP1_REGS.has(name)) return imo ? 'virtual' : 'physical';
  if (GROUP0_REGS.has(name)) return fmo ? 'virtual' : 'physical';
  if (COMMON_REGS.has(name)) return imo || fmo ? 'virtual' : 'physical';
  // SGI generation at EL1 traps to the hypervisor that owns the interrupts (IHI0069 12.2.21 traps)
  if (SGI_REGS.has(name)) return imo || fmo ? 'trap-el2' : 'physical';
  return 'physical';
}

export class GicV3 {
  private ctlr = GICD_CTLR_ARE | GICD_CTLR_DS;
  private readonly spis: Irq[] = [];
  private readonly private_: Irq[][] = [];
  private readonly cpu: CpuInterface[] = [];
  /** Called when a PE's IRQ/FIQ outputs may have changed. */
  onChange: (pe: number) => void = () => {};

  /** `mpidrs[i]` is PE i's MPIDR_EL1 (its affinity fields route SPIs and SGIs). */
  constructor(readonly mpidrs: readonly bigint[]) {
    for (let i = 32; i < SPI_LIMIT; i++) this.spis.push(new Irq());
    for (let pe = 0; pe < mpidrs.length; pe++) {
      const p = Array.from({ length: 32 }, () => new Irq());
      for (let i = 0; i < 16; i++) p[i].edge = true; // SGIs are always edge-triggered
      this.private_.push(p);
      this.cpu.push(new CpuInterface());
    }
  }

  /** The interrupt INTID as seen from PE `pe` (its own SGIs and PPIs). */
  private irq(pe: number, intid: number): Irq | undefined {
    if (intid < 32) return this.private_[pe][intid];
    return intid < SPI_LIMIT ? this.spis[intid - 32] : undefined;
  }

  // ---- inputs from devices ----

  /** A PPI's input line (the timers drive theirs level-sensitive). */
  setPpiLevel(pe: number, intid: number, level: boolean): void {
    const i = this.private_[pe][intid];
    if (i.level === level) return;
    i.level = level;
    if (level && i.edge) i.latched = true;
    this.onChange(pe);
  }

  /** An SPI's input line. */
  setSpiLevel(intid: number, level: boolean): void {
    const i = this.spis[intid - 32];
    if (i.level === level) return;
    i.level = level;
    if (level && i.edge) i.latched = true;
    this.changedAll();
  }

  private changedAll(): void {
    for (let pe = 0; pe < this.cpu.length; pe++) this.onChange(pe);
  }

  // ---- routing and priority ----

  /** The PE an SPI targets: IROUTER's affinity, or with IRM (1 of N) the first awake PE. */
  private spiTarget(i: Irq): number {
    if ((i.route & (1n << 31n)) !== 0n) {
      const awake = this.cpu.findIndex((c) => !c.sleeping);
      return awake < 0 ? 0 : awake;
    }
    const aff = affinity(i.route);
    return this.mpidrs.findIndex((m) => affinity(m) === aff);
  }

  /** Whether the distributor forwards an interrupt of this group (GICD_CTLR.EnableGrp0/EnableGrp1). */
  private groupEnabled(i: Irq): boolean {
    return (this.ctlr & (i.group1 ? GICD_CTLR_GRP1 : GICD_CTLR_GRP0)) !== 0;
  }

  /** The highest-priority pending, enabled, inactive interrupt forwarded to PE `pe`, lowest INTID first on ties. */
  private hppi(pe: number): number {
    let best = SPURIOUS;
    let bestPriority = 0x100;
    const consider = (intid: number, i: Irq) => {
      if (i.enabled && i.pending && !i.active && this.groupEnabled(i) && i.priority < bestPriority) {
        best = intid;
        bestPriority = i.priority;
      }
    };
    this.private_[pe].forEach((i, n) => consider(n, i));
    for (let n = 32; n < SPI_LIMIT; n++) {
      const i = this.spis[n - 32];
      if (i.pending && this.spiTarget(i) === pe) consider(n, i);
    }
    return best;
  }

  private groupPriority(pe: number, priority: number, group1: boolean): number {
    const c = this.cpu[pe];
    return groupPriority(priority, group1, c.bpr0, c.bpr1, c.cbpr);
  }

  /** ICC_RPR_EL1. */
  private runningPriority(pe: number): number {
    return runningPriority(this.cpu[pe].ap0, this.cpu[pe].ap1);
  }

  /** Whether interrupt `intid` is signalled to the PE: group enabled at the interface, above PMR, preempts. */
  private signalled(pe: number, intid: number): boolean {
    if (intid === SPURIOUS) return false;
    const c = this.cpu[pe];
    const i = this.irq(pe, intid)!;
    if (!(i.group1 ? c.igrpen1 : c.igrpen0)) return false;
    if (i.priority >= c.pmr) return false;
    return this.groupPriority(pe, i.priority, i.group1) < this.runningPriority(pe);
  }

  /** The IRQ (Group 1) and FIQ (Group 0) outputs to PE `pe`. */
  lines(pe: number): GicLines {
    const out = { irq: false, fiq: false, virq: false, vfiq: false };
    const lr = this.vHppi(pe);
    if (lr >= 0 && this.vSignalled(pe, lr)) {
      const g1 = lrGroup1(this.cpu[pe].v.lrs[lr]);
      out.virq = g1;
      out.vfiq = !g1;
    }
    if (this.cpu[pe].sleeping) return out;
    const intid = this.hppi(pe);
    if (!this.signalled(pe, intid)) return out;
    const g1 = this.irq(pe, intid)!.group1;
    out.irq = g1;
    out.fiq = !g1;
    return out;
  }

  // ---- the CPU interface (ICC_*) ----

  /** Acknowledge (ICC_IAR0/1_EL1): the HPPI of the group if it is signalled, else 1023 (IHI0069 12.2.9). */
  private acknowledge(pe: number, group1: boolean): number {
    const intid = this.hppi(pe);
    if (!this.signalled(pe, intid)) return SPURIOUS;
    const i = this.irq(pe, intid)!;
    if (i.group1 !== group1) return SPURIOUS;
    i.latched = false;
    i.active = true;
    const bit = 1 << (this.groupPriority(pe, i.priority, group1) >> 3);
    if (group1) this.cpu[pe].ap1 |= bit;
    else this.cpu[pe].ap0 |= bit;
    this.onChange(pe);
    return intid;
  }

  /** Priority drop (ICC_EOIR0/1_EL1): clears the highest active priority; with EOImode 0 also deactivates. */
  private endOfInterrupt(pe: number, intid: number, group1: boolean): void {
    const c = this.cpu[pe];
    [c.ap0, c.ap1] = dropPriority(c.ap0, c.ap1, group1);
    if (!c.eoiMode) this.deactivate(pe, intid);
    this.onChange(pe);
  }

  private deactivate(pe: number, intid: number): void {
    const i = this.irq(pe, intid);
    if (i) i.active = false;
    this.onChange(pe);
  }

  /** Generates SGIs from ICC_SGI0R/SGI1R/ASGI1R_EL1 (IHI0069 12.2.21): targets by affinity or all but self. */
  private generateSgi(pe: number, value: bigint, group1: boolean): void {
    const intid = Number((value >> 24n) & 0xfn);
    const irm = (value >> 40n) & 1n;
    const targets = Number(value & 0xffffn);
    const rs = Number((value >> 44n) & 0xfn);
    const aff = ((value >> 48n) & 0xffn) << 32n | ((value >> 32n) & 0xffn) << 16n | ((value >> 16n) & 0xffn) << 8n;
    this.mpidrs.forEach((m, target) => {
      let hit: boolean;
      if (irm === 1n) hit = target !== pe;
      else {
        const mAff = (((m >> 32n) & 0xffn) << 32n) | (m & 0xff_ff00n);
        const aff0 = Number(m & 0xffn);
        hit = mAff === aff && aff0 >> 4 === rs && (targets & (1 << (aff0 & 15))) !== 0;
      }
      if (!hit) return;
      const i = this.private_[target][intid];
      // With one Security state, SGI0R pends Group 0 SGIs and SGI1R/ASGI1R Group 1 ones (12.2.21 Table)
      if (i.group1 !== group1) return;
      i.latched = true;
      this.onChange(target);
    });
  }

  /** MRS of an ICC_* register by PE `pe` at `el`. */
  readSysreg(pe: number, name: string): bigint {
    const c = this.cpu[pe];
    switch (name) {
      case 'ICC_PMR_EL1': return BigInt(c.pmr);
      case 'ICC_IAR0_EL1': return BigInt(this.acknowledge(pe, false));
      case 'ICC_IAR1_EL1': return BigInt(this.acknowledge(pe, true));
      case 'ICC_HPPIR0_EL1': case 'ICC_HPPIR1_EL1': {
        const intid = this.hppi(pe);
        const g1 = name === 'ICC_HPPIR1_EL1';
        return BigInt(intid !== SPURIOUS && this.irq(pe, intid)!.group1 === g1 ? intid : SPURIOUS);
      }
      case 'ICC_BPR0_EL1': return BigInt(c.bpr0);
      case 'ICC_BPR1_EL1': return BigInt(c.cbpr ? Math.min(c.bpr0 + 1, 7) : c.bpr1);
      case 'ICC_AP0R0_EL1': return BigInt(c.ap0 >>> 0);
      case 'ICC_AP1R0_EL1': return BigInt(c.ap1 >>> 0);
      case 'ICC_RPR_EL1': return BigInt(this.runningPriority(pe));
      case 'ICC_CTLR_EL1': case 'ICC_CTLR_EL3': return ctlrValue(c.eoiMode, c.cbpr);
      // SRE, DFB, DIB are RAO/WI: only the System register interface exists; Enable (bit 3) at EL2/EL3
      case 'ICC_SRE_EL1': return 7n;
      case 'ICC_SRE_EL2': case 'ICC_SRE_EL3': return 0xfn;
      case 'ICC_IGRPEN0_EL1': return c.igrpen0 ? 1n : 0n;
      case 'ICC_IGRPEN1_EL1': case 'ICC_IGRPEN1_EL3': return c.igrpen1 ? 1n : 0n;
      default: return 0n;
    }
  }

  /** MSR of an ICC_* register by PE `pe`. */
  writeSysreg(pe: number, name: string, value: bigint): void {
    const c = this.cpu[pe];
    const v = Number(value & 0xffff_ffffn);
    switch (name) {
      case 'ICC_PMR_EL1': c.pmr = v & PRIORITY_MASK; break;
      case 'ICC_EOIR0_EL1': this.endOfInterrupt(pe, v & 0xff_ffff, false); break;
      case 'ICC_EOIR1_EL1': this.endOfInterrupt(pe, v & 0xff_ffff, true); break;
      case 'ICC_DIR_EL1': this.deactivate(pe, v & 0xff_ffff); break;
      case 'ICC_BPR0_EL1': c.bpr0 = Math.max(v & 7, 2); break;
      case 'ICC_BPR1_EL1': if (!c.cbpr) c.bpr1 = Math.max(v & 7, 3); break;
      case 'ICC_AP0R0_EL1': c.ap0 = v; break;
      case 'ICC_AP1R0_EL1': c.ap1 = v; break;
      case 'ICC_CTLR_EL1': case 'ICC_CTLR_EL3': c.eoiMode = (v & 2) !== 0; c.cbpr = (v & 1) !== 0; break;
      case 'ICC_IGRPEN0_EL1': c.igrpen0 = (v & 1) !== 0; break;
      case 'ICC_IGRPEN1_EL1': case 'ICC_IGRPEN1_EL3': c.igrpen1 = (v & 1) !== 0; break;
      case 'ICC_SGI0R_EL1': this.generateSgi(pe, value, false); break;
      case 'ICC_SGI1R_EL1': case 'ICC_ASGI1R_EL1': this.generateSgi(pe, value, true); break;
      default: break; // ICC_SRE_ELx: RAO/WI
    }
    this.onChange(pe);
  }

  // ---- the virtual CPU interface (ICH_*_EL2 for the hypervisor, ICV_* seen at EL1) ----

  /** The list register holding the highest-priority pending virtual interrupt of an enabled group, or -1. */
  private vHppi(pe: number): number {
    const v = this.cpu[pe].v;
    if ((v.hcr & 1) === 0) return -1; // ICH_HCR_EL2.En
    let best = -1;
    let bestPriority = 0x100;
    v.lrs.forEach((lr, n) => {
      const enabled = lrGroup1(lr) ? (v.vmcr & 2) !== 0 : (v.vmcr & 1) !== 0; // VENG1, VENG0
      if (lrState(lr) === 1 && enabled && lrPriority(lr) < bestPriority) {
        best = n;
        bestPriority = lrPriority(lr);
      }
    });
    return best;
  }

  /** ICH_VMCR_EL2's binary points (VBPR0, VBPR1, at their minimums) and VCBPR. */
  private vBinaryPoints(pe: number): { bpr0: number; bpr1: number; cbpr: boolean } {
    const vmcr = this.cpu[pe].v.vmcr;
    return { bpr0: Math.max((vmcr >>> 21) & 7, 2), bpr1: Math.max((vmcr >>> 18) & 7, 3), cbpr: (vmcr & 0x10) !== 0 };
  }

  private vGroupPriority(pe: number, priority: number, group1: boolean): number {
    const b = this.vBinaryPoints(pe);
    return groupPriority(priority, group1, b.bpr0, b.bpr1, b.cbpr);
  }

  private vRunningPriority(pe: number): number {
    return runningPriority(this.cpu[pe].v.ap0, this.cpu[pe].v.ap1);
  }

  /** A pending list register is signalled: above the virtual priority mask and preempting (IHI0069 6.3). */
  private vSignalled(pe: number, n: number): boolean {
    const v = this.cpu[pe].v;
    const lr = v.lrs[n];
    if (lrPriority(lr) >= (v.vmcr >>> 24)) return false; // VPMR
    return this.vGroupPriority(pe, lrPriority(lr), lrGroup1(lr)) < this.vRunningPriority(pe);
  }

  private vAcknowledge(pe: number, group1: boolean): number {
    const v = this.cpu[pe].v;
    const n = this.vHppi(pe);
    if (n < 0 || !this.vSignalled(pe, n) || lrGroup1(v.lrs[n]) !== group1) return SPURIOUS;
    const lr = v.lrs[n];
    v.lrs[n] = (lr & ~(3n << 62n)) | (2n << 62n); // pending -> active
    const bit = 1 << (this.vGroupPriority(pe, lrPriority(lr), group1) >> 3);
    if (group1) v.ap1 |= bit;
    else v.ap0 |= bit;
    return lrVintid(lr);
  }

  /** Deactivates virtual INTID `intid`: its active list register, and with HW the physical interrupt too. */
  private vDeactivate(pe: number, intid: number): void {
    const v = this.cpu[pe].v;
    const n = v.lrs.findIndex((lr) => (lrState(lr) & 2) !== 0 && lrVintid(lr) === intid);
    if (n < 0) {
      // No list register holds it: ICH_HCR_EL2.EOIcount counts it for the hypervisor (IHI0069 6.4.5)
      const count = ((v.hcr >>> 27) + 1) & 0x1f;
      v.hcr = ((v.hcr & 0x07ff_ffff) | (count << 27)) >>> 0;
      return;
    }
    const lr = v.lrs[n];
    v.lrs[n] = lr & ~(2n << 62n);
    if (lrHw(lr)) this.deactivate(pe, lrPintid(lr));
  }

  private vEndOfInterrupt(pe: number, intid: number, group1: boolean): void {
    const v = this.cpu[pe].v;
    [v.ap0, v.ap1] = dropPriority(v.ap0, v.ap1, group1);
    if ((v.vmcr & (1 << 9)) === 0) this.vDeactivate(pe, intid); // VEOIM 0: EOI also deactivates
  }

  /** ICH_EISR_EL2: list registers with an EOI maintenance request whose interrupt is now inactive. */
  private eisr(pe: number): number {
    return this.cpu[pe].v.lrs.reduce((m, lr, n) => (lrState(lr) === 0 && lrEoi(lr) ? m | (1 << n) : m), 0);
  }

  /** ICH_MISR_EL2 (IHI0069 12.4.9): the maintenance conditions that hold now. */
  private misr(pe: number): number {
    const v = this.cpu[pe].v;
    const valid = v.lrs.filter((lr) => lrState(lr) !== 0).length;
    const pending = v.lrs.some((lr) => lrState(lr) === 1);
    const veng0 = (v.vmcr & 1) !== 0, veng1 = (v.vmcr & 2) !== 0;
    let m = 0;
    if (this.eisr(pe) !== 0) m |= 1; // EOI
    if (v.hcr & 2 && valid <= 1) m |= 2; // U: UIE
    if (v.hcr & 4 && v.hcr >>> 27 !== 0) m |= 4; // LRENP: LRENPIE
    if (v.hcr & 8 && !pending) m |= 8; // NP: NPIE
    if (v.hcr & 0x10 && veng0) m |= 0x10; // VGrp0E
    if (v.hcr & 0x20 && !veng0) m |= 0x20; // VGrp0D
    if (v.hcr & 0x40 && veng1) m |= 0x40; // VGrp1E
    if (v.hcr & 0x80 && !veng1) m |= 0x80; // VGrp1D
    return m;
  }

  /** The maintenance interrupt (PPI 25) follows ICH_HCR_EL2.En and ICH_MISR_EL2. */
  private updateMaintenance(pe: number): void {
    const v = this.cpu[pe].v;
    this.setPpiLevel(pe, MAINTENANCE_INTID, (v.hcr & 1) !== 0 && this.misr(pe) !== 0);
  }

  /** MRS of an ICH_*_EL2 register, or of an ICC_* register that EL1 sees as ICV_* (el1Route 'virtual'). */
  readVirtual(pe: number, name: string): bigint {
    const v = this.cpu[pe].v;
    const lr = /^ICH_LR(\d+)_EL2$/.exec(name);
    if (lr) return v.lrs[Number(lr[1])];
    let result: bigint;
    switch (name) {
      case 'ICH_HCR_EL2': return BigInt(v.hcr >>> 0);
      case 'ICH_VTR_EL2': return ICH_VTR;
      case 'ICH_VMCR_EL2': return BigInt(v.vmcr >>> 0);
      case 'ICH_AP0R0_EL2': case 'ICC_AP0R0_EL1': return BigInt(v.ap0 >>> 0);
      case 'ICH_AP1R0_EL2': case 'ICC_AP1R0_EL1': return BigInt(v.ap1 >>> 0);
      case 'ICH_MISR_EL2': return BigInt(this.misr(pe));
      case 'ICH_EISR_EL2': return BigInt(this.eisr(pe));
      case 'ICH_ELRSR_EL2':
        return BigInt(v.lrs.reduce((m, l, n) => (lrState(l) === 0 && !lrEoi(l) ? m | (1 << n) : m), 0) >>> 0);
      case 'ICC_IAR0_EL1': case 'ICC_IAR1_EL1':
        result = BigInt(this.vAcknowledge(pe, name === 'ICC_IAR1_EL1'));
        this.updateMaintenance(pe);
        this.onChange(pe);
        return result;
      case 'ICC_HPPIR0_EL1': case 'ICC_HPPIR1_EL1': {
        const n = this.vHppi(pe);
        return BigInt(n >= 0 && lrGroup1(v.lrs[n]) === (name === 'ICC_HPPIR1_EL1') ? lrVintid(v.lrs[n]) : SPURIOUS);
      }
      case 'ICC_PMR_EL1': return BigInt(v.vmcr >>> 24);
      case 'ICC_RPR_EL1': return BigInt(this.vRunningPriority(pe));
      case 'ICC_BPR0_EL1': return BigInt(this.vBinaryPoints(pe).bpr0);
      case 'ICC_BPR1_EL1': {
        const b = this.vBinaryPoints(pe);
        return BigInt(b.cbpr ? Math.min(b.bpr0 + 1, 7) : b.bpr1);
      }
      case 'ICC_CTLR_EL1': return ctlrValue((v.vmcr & (1 << 9)) !== 0, (v.vmcr & 0x10) !== 0);
      case 'ICC_IGRPEN0_EL1': return BigInt(v.vmcr & 1);
      case 'ICC_IGRPEN1_EL1': return BigInt((v.vmcr >>> 1) & 1);
    }
    return 0n;
  }

  writeVirtual(pe: number, name: string, value: bigint): void {
    const v = this.cpu[pe].v;
    const x = Number(value & 0xffff_ffffn);
    const lr = /^ICH_LR(\d+)_EL2$/.exec(name);
    const setVmcr = (shift: number, bits: number, field: number) => {
      v.vmcr = ((v.vmcr & ~(((1 << bits) - 1) << shift)) | ((field & ((1 << bits) - 1)) << shift)) >>> 0;
    };
    // RES0 bits 59:56 and 47:45, and the three priority bits below the five implemented (IHI0069 12.4.6)
    if (lr) v.lrs[Number(lr[1])] = value & ~(0xfn << 56n) & ~(0x7n << 45n) & ~(0x7n << 48n);
    else switch (name) {
      case 'ICH_HCR_EL2': v.hcr = x & 0xf800_7cff; break;
      // VPMR 31:24, VBPR0 23:21, VBPR1 20:18, VEOIM 9, VCBPR 4, VFIQEn 3 (RES1 with system registers), VENG1, VENG0
      case 'ICH_VMCR_EL2': v.vmcr = (x & 0xf8fc_0213) | 8; break;
      case 'ICH_AP0R0_EL2': case 'ICC_AP0R0_EL1': v.ap0 = x; break;
      case 'ICH_AP1R0_EL2': case 'ICC_AP1R0_EL1': v.ap1 = x; break;
      case 'ICC_EOIR0_EL1': case 'ICC_EOIR1_EL1': this.vEndOfInterrupt(pe, x & 0xff_ffff, name === 'ICC_EOIR1_EL1'); break;
      case 'ICC_DIR_EL1': if ((v.vmcr & (1 << 9)) !== 0) this.vDeactivate(pe, x & 0xff_ffff); break;
      case 'ICC_PMR_EL1': setVmcr(24, 8, x & PRIORITY_MASK); break;
      case 'ICC_BPR0_EL1': setVmcr(21, 3, Math.max(x & 7, 2)); break;
      case 'ICC_BPR1_EL1': if ((v.vmcr & 0x10) === 0) setVmcr(18, 3, Math.max(x & 7, 3)); break;
      case 'ICC_CTLR_EL1': setVmcr(9, 1, (x >> 1) & 1); setVmcr(4, 1, x & 1); break;
      case 'ICC_IGRPEN0_EL1': setVmcr(0, 1, x & 1); break;
      case 'ICC_IGRPEN1_EL1': setVmcr(1, 1, x & 1); break;
    }
    this.updateMaintenance(pe);
    this.onChange(pe);
  }

  // ---- memory-mapped registers ----

  /** Reads or writes a bitmap register (one bit per INTID) over `irqs` starting at INTID `first`. */
  private bits(irqs: (n: number) => Irq | undefined, first: number, get: (i: Irq) => boolean): number {
    let v = 0;
    for (let b = 0; b < 32; b++) {
      const i = irqs(first + b);
      if (i && get(i)) v |= 1 << b;
    }
    return v >>> 0;
  }
  private setBits(irqs: (n: number) => Irq | undefined, first: number, value: number, set: (i: Irq) => void): void {
    for (let b = 0; b < 32; b++) {
      if ((value >>> b) & 1) {
        const i = irqs(first + b);
        if (i) set(i);
      }
    }
  }

  /**
   * The registers the distributor and the SGI_base frame share (IGROUPR ... IGRPMODR), over the INTIDs
   * `irqs` gives (undefined: RAZ/WI). Returns undefined for an offset outside them.
   */
  private readShared(irqs: (n: number) => Irq | undefined, off: number): number | undefined {
    const n = (base: number) => ((off - base) >> 2) * 32;
    if (off >= IGROUPR && off < IGROUPR + 0x80) return this.bits(irqs, n(IGROUPR), (i) => i.group1);
    if (off >= ISENABLER && off < ICENABLER + 0x80) return this.bits(irqs, n(off < ICENABLER ? ISENABLER : ICENABLER), (i) => i.enabled);
    if (off >= ISPENDR && off < ICPENDR + 0x80) return this.bits(irqs, n(off < ICPENDR ? ISPENDR : ICPENDR), (i) => i.pending);
    if (off >= ISACTIVER && off < ICACTIVER + 0x80) return this.bits(irqs, n(off < ICACTIVER ? ISACTIVER : ICACTIVER), (i) => i.active);
    if (off >= IPRIORITYR && off < IPRIORITYR + 0x400) {
      let v = 0;
      for (let b = 0; b < 4; b++) v |= (irqs(off - IPRIORITYR + b)?.priority ?? 0) << (8 * b);
      return v >>> 0;
    }
    if (off >= ICFGR && off < ICFGR + 0x100) {
      const first = (off - ICFGR) * 4;
      let v = 0;
      for (let b = 0; b < 16; b++) if (irqs(first + b)?.edge) v |= 2 << (2 * b);
      return v >>> 0;
    }
    if (off >= IGRPMODR && off < IGRPMODR + 0x80) return this.bits(irqs, n(IGRPMODR), (i) => i.groupMod);
    return undefined;
  }

  private writeShared(irqs: (n: number) => Irq | undefined, off: number, v: number, sgiFrame: boolean): boolean {
    const n = (base: number) => ((off - base) >> 2) * 32;
    if (off >= IGROUPR && off < IGROUPR + 0x80) {
      for (let b = 0; b < 32; b++) { const i = irqs(n(IGROUPR) + b); if (i) i.group1 = ((v >>> b) & 1) !== 0; }
    } else if (off >= ISENABLER && off < ISENABLER + 0x80) this.setBits(irqs, n(ISENABLER), v, (i) => (i.enabled = true));
    else if (off >= ICENABLER && off < ICENABLER + 0x80) this.setBits(irqs, n(ICENABLER), v, (i) => (i.enabled = false));
    else if (off >= ISPENDR && off < ISPENDR + 0x80) this.setBits(irqs, n(ISPENDR), v, (i) => (i.latched = true));
    else if (off >= ICPENDR && off < ICPENDR + 0x80) this.setBits(irqs, n(ICPENDR), v, (i) => (i.latched = false));
    else if (off >= ISACTIVER && off < ISACTIVER + 0x80) this.setBits(irqs, n(ISACTIVER), v, (i) => (i.active = true));
    else if (off >= ICACTIVER && off < ICACTIVER + 0x80) this.setBits(irqs, n(ICACTIVER), v, (i) => (i.active = false));
    else if (off >= IPRIORITYR && off < IPRIORITYR + 0x400) {
      for (let b = 0; b < 4; b++) { const i = irqs(off - IPRIORITYR + b); if (i) i.priority = (v >>> (8 * b)) & PRIORITY_MASK; }
    } else if (off >= ICFGR && off < ICFGR + 0x100) {
      const first = (off - ICFGR) * 4;
      // SGIs are always edge-triggered: ICFGR0 of the SGI frame is read-only (IHI0069 12.11.7)
      if (sgiFrame && first < 16) return true;
      for (let b = 0; b < 16; b++) { const i = irqs(first + b); if (i) i.edge = ((v >>> (2 * b + 1)) & 1) !== 0; }
    } else if (off >= IGRPMODR && off < IGRPMODR + 0x80) {
      for (let b = 0; b < 32; b++) { const i = irqs(n(IGRPMODR) + b); if (i) i.groupMod = ((v >>> b) & 1) !== 0; }
    } else return false;
    return true;
  }

  /** With affinity routing, the distributor's registers for INTIDs 0-31 are RAZ/WI (they live in GICR). */
  private readonly spiOnly = (n: number): Irq | undefined => (n >= 32 && n < SPI_LIMIT ? this.spis[n - 32] : undefined);

  readonly distributor: DeviceHandler = {
    read: (offset, size) => {
      const off = Number(offset);
      if (off >= IROUTER + 256 && off < IROUTER + 8 * SPI_LIMIT) {
        const route = this.spis[Math.floor((off - IROUTER) / 8) - 32].route;
        return size === 8 ? route : (off & 4 ? route >> 32n : route & 0xffff_ffffn);
      }
      switch (off) {
        case CTLR: return BigInt(this.ctlr);
        // ITLinesNumber 8 (288 INTIDs), IDbits 9 (10-bit INTIDs), A3V; no LPIs, MBIS or extended ranges
        case TYPER: return BigInt((SPI_LIMIT / 32 - 1) | (9 << 19) | (1 << 24));
        case IIDR_OFF: return BigInt(IIDR);
        case PIDR2: return BigInt(PIDR2_GICV3);
      }
      return BigInt(this.readShared(this.spiOnly, off) ?? 0);
    },
    write: (offset, size, value) => {
      const off = Number(offset);
      if (off >= IROUTER + 256 && off < IROUTER + 8 * SPI_LIMIT) {
        const i = this.spis[Math.floor((off - IROUTER) / 8) - 32];
        const mask = 0xff_0000_0000n | 0x8000_0000n | 0xff_ffffn;
        if (size === 8) i.route = value & mask;
        else if (off & 4) i.route = (i.route & 0xffff_ffffn) | ((value << 32n) & mask);
        else i.route = (i.route & ~0xffff_ffffn) | (value & 0xffff_ffffn & mask);
      } else if (off === CTLR) {
        // ARE and DS are RAO/WI on this one-Security-state GIC; RWP never reads 1 (writes take effect at once)
        this.ctlr = (Number(value) & (GICD_CTLR_GRP0 | GICD_CTLR_GRP1)) | GICD_CTLR_ARE | GICD_CTLR_DS;
      } else this.writeShared(this.spiOnly, off, Number(value & 0xffff_ffffn), false);
      this.changedAll();
    },
  };

  /** The redistributor region: one RD_base + SGI_base pair per PE, GICR_TYPER.Last on the last. */
  readonly redistributors: DeviceHandler = {
    read: (offset, size) => {
      const pe = Number(offset / GICR_STRIDE);
      const off = Number(offset % GICR_STRIDE);
      if (pe >= this.cpu.length) return 0n;
      if (off >= SGI_BASE) return BigInt(this.readShared((n) => (n < 32 ? this.private_[pe][n] : undefined), off - SGI_BASE) ?? 0);
      switch (off) {
        case CTLR: return 0n;
        case GICR_IIDR: return BigInt(IIDR);
        case GICR_TYPER: case GICR_TYPER + 4: {
          const typer = (affinity(this.mpidrs[pe]) << 32n) | (BigInt(pe) << 8n) | (pe === this.cpu.length - 1 ? 1n << 4n : 0n);
          return size === 8 ? typer : off === GICR_TYPER ? typer & 0xffff_ffffn : typer >> 32n;
        }
        case GICR_WAKER: {
          const s = this.cpu[pe].sleeping;
          return BigInt(s ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0);
        }
        case PIDR2: return BigInt(PIDR2_GICV3);
      }
      return 0n;
    },
    write: (offset, _size, value) => {
      const pe = Number(offset / GICR_STRIDE);
      const off = Number(offset % GICR_STRIDE);
      if (pe >= this.cpu.length) return;
      if (off >= SGI_BASE) this.writeShared((n) => (n < 32 ? this.private_[pe][n] : undefined), off - SGI_BASE, Number(value & 0xffff_ffffn), true);
      // The wake handshake completes at once: ChildrenAsleep follows ProcessorSleep (IHI0069 12.11.38)
      else if (off === GICR_WAKER) this.cpu[pe].sleeping = (Number(value) & WAKER_PROCESSOR_SLEEP) !== 0;
      this.onChange(pe);
    },
  };
}
