// The realm's GICv3 as the hypervisor emulates it (the part KVM's vgic-v3 plays for a kvmtool realm):
// the distributor at REALM_GICD_BASE and one redistributor (RD_base + SGI_base, 128 KiB) per REC from
// realmGicrBase(recs), each an MmioDevice the REC loop serves on the realm's data aborts at their
// Unprotected alias; and the interrupt state the REC loop turns into list registers at REC entry.
//
// Arm IHI0069 (GICv3): one Security state (GICD_CTLR.DS = 1, as KVM's), affinity routing always on
// (ARE reads as one), 64 SPIs (INTIDs 32-95), no LPIs or ITS, five priority bits (the virtual CPU
// interface's ICH_VTR_EL2.PRIbits 4). As in KVM, every interrupt resets to Group 1 and SGIs and PPIs
// have a fixed configuration (SGIs edge, PPIs level: the timers' outputs are level-sensitive).
import type { MmioDevice, MmioSize } from './mmio.js';
import { REALM_GICD_BASE, REALM_GICD_SIZE, REALM_GICR_STRIDE, realmGicrBase } from '../layout.js';

export const VGIC_SPIS = 64;
/** INTIDs 0..VGIC_INTIDS-1 exist: 16 SGIs, 16 PPIs, the SPIs. */
export const VGIC_INTIDS = 32 + VGIC_SPIS;
const PRIORITY_MASK = 0xf8;
/** GICD_IIDR / GICR_IIDR: ProductID 'K' [31:24], Revision 3 [15:12], Implementer Arm 0x43B, as KVM's vgic. */
export const VGIC_IIDR = 0x4b00_343b;
const PIDR2_GICV3 = 0x3b; // ArchRev 3 [7:4] (IHI0069 12.9.29)

// Distributor and SGI_base register offsets (IHI0069 12.9, 12.11)
const GICD_CTLR = 0x0000, GICD_TYPER = 0x0004, GICD_IIDR = 0x0008, GICD_PIDR2 = 0xffe8;
const IGROUPR = 0x0080, ISENABLER = 0x0100, ICENABLER = 0x0180, ISPENDR = 0x0200, ICPENDR = 0x0280;
const ISACTIVER = 0x0300, ICACTIVER = 0x0380, IPRIORITYR = 0x0400, ICFGR = 0x0c00, IROUTER = 0x6000;
const BIT_REGS_END = 0x0400;
// Redistributor RD_base offsets (IHI0069 12.10)
const GICR_CTLR = 0x0000, GICR_IIDR = 0x0004, GICR_TYPER = 0x0008, GICR_WAKER = 0x0014, GICR_PIDR2 = 0xffe8;
const SGI_BASE = 0x1_0000;

// GICD_CTLR with DS = 1 (IHI0069 12.9.4): EnableGrp0 [0], EnableGrp1 [1], ARE [4], DS [6]; RWP [31] is 0,
// writes take effect at once
const CTLR_GRP0 = 1, CTLR_GRP1 = 2, CTLR_ARE = 1 << 4, CTLR_DS = 1 << 6;
// GICD_TYPER: ITLinesNumber [4:0] = INTIDs / 32 - 1; IDbits [23:19] = 10 bits - 1; LPIS [17] = 0
const TYPER_VALUE = (VGIC_INTIDS / 32 - 1) | (9 << 19);
const WAKER_PROCESSOR_SLEEP = 2, WAKER_CHILDREN_ASLEEP = 4;
// GICD_IROUTER<n>: Aff3 [39:32], Interrupt_Routing_Mode [31], Aff2.Aff1.Aff0 [23:0]
const IROUTER_IRM = 1n << 31n;
const IROUTER_MASK = (0xffn << 32n) | IROUTER_IRM | 0xff_ffffn;

/** Aff3.Aff2.Aff1.Aff0 of an MPIDR or IROUTER value, without IRM and the MPIDR's other bits. */
function affinity(v: bigint): bigint {
  return (((v >> 32n) & 0xffn) << 32n) | (v & 0xff_ffffn);
}

/** One interrupt's state (an SGI or PPI exists once per REC). */
class VirtualIrq {
  enabled = false;
  /** The pending latch: ISPENDR, an SGI, a rising edge; cleared by ICPENDR and by injection. */
  latched = false;
  /** The input line of a level-sensitive interrupt. */
  level = false;
  active = false;
  group1 = true;
  priority = 0;
  edge = false;
  route = 0n;
  /** IHI0069 4.1.2: a level-sensitive interrupt is pending while its line is asserted. */
  get pending(): boolean {
    return this.latched || (!this.edge && this.level);
  }
}

export interface PendingInterrupt {
  intid: number;
  priority: number;
}

export class VirtualGic {
  private ctlr = 0;
  private readonly spis: VirtualIrq[] = [];
  private readonly privates: VirtualIrq[][] = [];
  /** GICR_WAKER.ProcessorSleep per REC: a sleeping redistributor forwards nothing (IHI0069 11.1). */
  private readonly sleeping: boolean[] = [];
  readonly distributor: MmioDevice;
  readonly redistributors: MmioDevice;

  /** `mpidrs[i]` is REC i's MPIDR (RmiRecMpidr); SGIs and SPIs route by their affinity. */
  constructor(readonly mpidrs: readonly bigint[]) {
    for (let i = 32; i < VGIC_INTIDS; i++) this.spis.push(new VirtualIrq());
    for (let rec = 0; rec < mpidrs.length; rec++) {
      const p = Array.from({ length: 32 }, () => new VirtualIrq());
      for (let i = 0; i < 16; i++) p[i].edge = true; // SGIs are edge-triggered (IHI0069 12.9.9)
      this.privates.push(p);
      this.sleeping.push(true);
    }
    this.distributor = {
      base: REALM_GICD_BASE,
      size: REALM_GICD_SIZE,
      read: (offset, bytes) => this.readDistributor(Number(offset), bytes),
      write: (offset, bytes, value) => this.writeDistributor(Number(offset), bytes, value),
    };
    this.redistributors = {
      base: realmGicrBase(mpidrs.length),
      size: REALM_GICR_STRIDE * BigInt(mpidrs.length),
      read: (offset, bytes) => this.readRedistributor(offset, bytes),
      write: (offset, bytes, value) => this.writeRedistributor(offset, bytes, value),
    };
  }

  // ---- inputs ----

  /** Asserts an interrupt line: a PPI of REC `rec` (a timer), or an SPI (`rec` is then unused). */
  raise(rec: number, intid: number): void {
    const i = this.line(rec, intid);
    if (!i || i.level) return;
    i.level = true;
    if (i.edge) i.latched = true; // an edge-triggered interrupt latches on the rising edge
  }

  lower(rec: number, intid: number): void {
    const i = this.line(rec, intid);
    if (i) i.level = false;
  }

  /**
   * An SGI the realm generated on REC `fromRec` by writing ICC_SGI1R_EL1 (or ICC_SGI0R_EL1 with
   * `group1` false), which the RMM reports as a system register exit (IHI0069 12.2.21): INTID [27:24],
   * TargetList [15:0], Aff1 [23:16], Aff2 [39:32], IRM [40] (every REC but the sender), RS [47:44],
   * Aff3 [55:48]. With one Security state an SGI pends only where it is configured in the register's
   * group. Returns the RECs it was made pending on.
   */
  sendSgi(fromRec: number, value: bigint, group1 = true): number[] {
    const intid = Number((value >> 24n) & 0xfn);
    const targetList = Number(value & 0xffffn);
    const rs = Number((value >> 44n) & 0xfn);
    const aff = (((value >> 48n) & 0xffn) << 32n) | (((value >> 32n) & 0xffn) << 16n) | (((value >> 16n) & 0xffn) << 8n);
    const everyOther = ((value >> 40n) & 1n) === 1n;
    const hit: number[] = [];
    this.mpidrs.forEach((mpidr, rec) => {
      let targeted: boolean;
      if (everyOther) targeted = rec !== fromRec;
      else {
        const aff0 = Number(mpidr & 0xffn);
        targeted = (affinity(mpidr) & ~0xffn) === aff && aff0 >> 4 === rs && (targetList & (1 << (aff0 & 0xf))) !== 0;
      }
      const i = this.privates[rec][intid];
      if (!targeted || i.group1 !== group1) return;
      i.latched = true;
      hit.push(rec);
    });
    return hit;
  }

  // ---- what the REC loop injects ----

  /**
   * The interrupt to put in a list register of REC `rec`: the highest-priority (lowest value, then
   * lowest INTID) interrupt that is enabled, pending, not active, of a group GICD_CTLR enables, and
   * targets this REC, whose redistributor is awake.
   */
  nextPending(rec: number): PendingInterrupt | undefined {
    if (this.sleeping[rec] !== false) return undefined;
    let best: PendingInterrupt | undefined;
    const consider = (intid: number, i: VirtualIrq) => {
      if (!i.enabled || !i.pending || i.active || !this.groupEnabled(i)) return;
      if (!best || i.priority < best.priority) best = { intid, priority: i.priority };
    };
    this.privates[rec].forEach((i, intid) => consider(intid, i));
    this.spis.forEach((i, n) => {
      if (i.pending && this.spiTarget(i) === rec) consider(32 + n, i);
    });
    return best;
  }

  /** The interrupt went into a list register: pending becomes active, and its pending latch clears. */
  markInjected(rec: number, intid: number): void {
    const i = this.irqOf(rec, intid);
    if (!i) return;
    i.latched = false;
    i.active = true;
  }

  /** Its list register came back invalid: the realm EOI'd it, so it is no longer active. */
  markDone(rec: number, intid: number): void {
    const i = this.irqOf(rec, intid);
    if (i) i.active = false;
  }

  /** Its list register came back still pending (not acknowledged): it returns to the distributor, pending. */
  markReturned(rec: number, intid: number): void {
    const i = this.irqOf(rec, intid);
    if (!i) return;
    i.active = false;
    i.latched = true;
  }

  // ---- routing ----

  private irqOf(rec: number, intid: number): VirtualIrq | undefined {
    if (intid < 0) return undefined;
    if (intid < 32) return this.privates[rec]?.[intid];
    return this.spis[intid - 32];
  }

  /** The interrupts with an input line: PPIs and SPIs. */
  private line(rec: number, intid: number): VirtualIrq | undefined {
    return intid >= 16 ? this.irqOf(rec, intid) : undefined;
  }

  private groupEnabled(i: VirtualIrq): boolean {
    return (this.ctlr & (i.group1 ? CTLR_GRP1 : CTLR_GRP0)) !== 0;
  }

  /** The REC an SPI targets: IROUTER's affinity, or with IRM (1 of N) the first awake REC (IHI0069 5.1). */
  private spiTarget(i: VirtualIrq): number {
    if (i.route & IROUTER_IRM) {
      const awake = this.sleeping.indexOf(false);
      return awake < 0 ? 0 : awake;
    }
    return this.mpidrs.findIndex((m) => affinity(m) === affinity(i.route));
  }

  // ---- the distributor ----

  private readDistributor(off: number, bytes: MmioSize): bigint {
    if (bytes === 1) return off >= IPRIORITYR && off < IPRIORITYR + VGIC_INTIDS ? BigInt(this.distributorIrq(off - IPRIORITYR)?.priority ?? 0) : 0n;
    if (bytes === 8) return this.isRouter(off) ? this.distributorIrq((off - IROUTER) >> 3)?.route ?? 0n : 0n;
    if (bytes !== 4 || off & 3) return 0n; // IHI0069 12.1.3: other sizes and misaligned accesses are not supported: RAZ/WI
    switch (off) {
      case GICD_CTLR: return BigInt(this.ctlr | CTLR_ARE | CTLR_DS);
      case GICD_TYPER: return BigInt(TYPER_VALUE);
      case GICD_IIDR: return BigInt(VGIC_IIDR);
      case GICD_PIDR2: return BigInt(PIDR2_GICV3);
    }
    if (off >= IROUTER && off < IROUTER + 8 * VGIC_INTIDS) {
      const route = this.distributorIrq((off - IROUTER) >> 3)?.route ?? 0n;
      return off & 4 ? route >> 32n : route & 0xffff_ffffn;
    }
    return BigInt(this.readBank(off, (intid) => this.distributorIrq(intid)));
  }

  private writeDistributor(off: number, bytes: MmioSize, value: bigint): void {
    if (bytes === 1) {
      const i = off >= IPRIORITYR ? this.distributorIrq(off - IPRIORITYR) : undefined;
      if (i && off < IPRIORITYR + VGIC_INTIDS) i.priority = Number(value) & PRIORITY_MASK;
      return;
    }
    if (bytes === 8) {
      const i = this.isRouter(off) ? this.distributorIrq((off - IROUTER) >> 3) : undefined;
      if (i) i.route = value & IROUTER_MASK;
      return;
    }
    if (bytes !== 4 || off & 3) return;
    const v = Number(value & 0xffff_ffffn) >>> 0;
    if (off === GICD_CTLR) {
      this.ctlr = v & (CTLR_GRP0 | CTLR_GRP1); // ARE and DS are RAO/WI
    } else if (off >= IROUTER && off < IROUTER + 8 * VGIC_INTIDS) {
      const i = this.distributorIrq((off - IROUTER) >> 3);
      if (!i) return;
      const merged = off & 4 ? (i.route & 0xffff_ffffn) | (BigInt(v) << 32n) : (i.route & ~0xffff_ffffn) | BigInt(v);
      i.route = merged & IROUTER_MASK;
    } else {
      this.writeBank(off, v, (intid) => this.distributorIrq(intid));
    }
  }

  private isRouter(off: number): boolean {
    return (off & 7) === 0 && off >= IROUTER && off < IROUTER + 8 * VGIC_INTIDS;
  }

  /** With affinity routing the distributor's registers for INTIDs 0-31 are RAZ/WI (IHI0069 12.9): only SPIs. */
  private distributorIrq(intid: number): VirtualIrq | undefined {
    return intid >= 32 && intid < VGIC_INTIDS ? this.spis[intid - 32] : undefined;
  }

  // ---- the redistributors ----

  private readRedistributor(offset: bigint, bytes: MmioSize): bigint {
    const rec = Number(offset / REALM_GICR_STRIDE);
    const off = Number(offset % REALM_GICR_STRIDE);
    if (offset < 0n || rec >= this.mpidrs.length) return 0n;
    if (off >= SGI_BASE) {
      const sgiOff = off - SGI_BASE;
      if (bytes === 1) return sgiOff >= IPRIORITYR && sgiOff < IPRIORITYR + 32 ? BigInt(this.privates[rec][sgiOff - IPRIORITYR].priority) : 0n;
      if (bytes !== 4 || off & 3) return 0n;
      return BigInt(this.readBank(sgiOff, (intid) => this.privates[rec][intid]));
    }
    if (bytes === 8) return off === GICR_TYPER ? this.redistributorTyper(rec) : 0n;
    if (bytes !== 4 || off & 3) return 0n;
    switch (off) {
      case GICR_CTLR: return 0n; // no LPIs: EnableLPIs RES0; RWP and UWP 0 (writes complete at once)
      case GICR_IIDR: return BigInt(VGIC_IIDR);
      case GICR_TYPER: return this.redistributorTyper(rec) & 0xffff_ffffn;
      case GICR_TYPER + 4: return this.redistributorTyper(rec) >> 32n;
      case GICR_WAKER: return this.sleeping[rec] ? BigInt(WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP) : 0n;
      case GICR_PIDR2: return BigInt(PIDR2_GICV3);
      default: return 0n;
    }
  }

  private writeRedistributor(offset: bigint, bytes: MmioSize, value: bigint): void {
    const rec = Number(offset / REALM_GICR_STRIDE);
    const off = Number(offset % REALM_GICR_STRIDE);
    if (offset < 0n || rec >= this.mpidrs.length) return;
    if (off >= SGI_BASE) {
      const sgiOff = off - SGI_BASE;
      if (bytes === 1) {
        if (sgiOff >= IPRIORITYR && sgiOff < IPRIORITYR + 32) this.privates[rec][sgiOff - IPRIORITYR].priority = Number(value) & PRIORITY_MASK;
        return;
      }
      if (bytes !== 4 || off & 3) return;
      this.writeBank(sgiOff, Number(value & 0xffff_ffffn) >>> 0, (intid) => this.privates[rec][intid]);
      return;
    }
    // ChildrenAsleep follows ProcessorSleep at once: nothing of ours is in flight (IHI0069 12.11.42)
    if (bytes === 4 && off === GICR_WAKER) this.sleeping[rec] = (value & BigInt(WAKER_PROCESSOR_SLEEP)) !== 0n;
    // GICR_CTLR, TYPER, IIDR, PIDR2: nothing writable without LPIs
  }

  /** GICR_TYPER (IHI0069 12.11.38): Affinity_Value [63:32], Processor_Number [23:8], Last [4]. */
  private redistributorTyper(rec: number): bigint {
    const aff = affinity(this.mpidrs[rec]);
    const affinityValue = ((aff >> 32n) << 24n) | aff;
    const last = rec === this.mpidrs.length - 1 ? 1n << 4n : 0n;
    return (affinityValue << 32n) | (BigInt(rec) << 8n) | last;
  }

  // ---- the registers the distributor and SGI_base share, over the INTIDs `irq` gives (others RAZ/WI) ----

  private readBank(off: number, irq: (intid: number) => VirtualIrq | undefined): number {
    if (off >= IGROUPR && off < BIT_REGS_END) {
      const reg = off & ~0x7f;
      const first = ((off - reg) >> 2) * 32;
      let v = 0;
      for (let b = 0; b < 32; b++) {
        const i = irq(first + b);
        if (!i) continue;
        const bit = reg === IGROUPR ? i.group1 : reg <= ICENABLER ? i.enabled : reg <= ICPENDR ? i.pending : i.active;
        if (bit) v |= 1 << b;
      }
      return v >>> 0;
    }
    if (off >= IPRIORITYR && off < IPRIORITYR + 0x400) {
      let v = 0;
      for (let b = 0; b < 4; b++) v |= (irq(off - IPRIORITYR + b)?.priority ?? 0) << (8 * b);
      return v >>> 0;
    }
    if (off >= ICFGR && off < ICFGR + 0x100) {
      const first = ((off - ICFGR) >> 2) * 16;
      let v = 0;
      for (let f = 0; f < 16; f++) if (irq(first + f)?.edge) v |= 2 << (2 * f); // Int_config[1]: edge
      return v >>> 0;
    }
    return 0;
  }

  private writeBank(off: number, v: number, irq: (intid: number) => VirtualIrq | undefined): void {
    if (off >= IGROUPR && off < BIT_REGS_END) {
      const reg = off & ~0x7f;
      const first = ((off - reg) >> 2) * 32;
      for (let b = 0; b < 32; b++) {
        const i = irq(first + b);
        const set = ((v >>> b) & 1) === 1;
        if (!i) continue;
        if (reg === IGROUPR) i.group1 = set;
        else if (!set) continue; // the set- and clear-enable, -pending, -active registers ignore zero bits
        else if (reg === ISENABLER) i.enabled = true;
        else if (reg === ICENABLER) i.enabled = false;
        else if (reg === ISPENDR) i.latched = true;
        else if (reg === ICPENDR) i.latched = false; // a level-sensitive one stays pending while its line is up
        else if (reg === ISACTIVER) i.active = true;
        else i.active = false;
      }
    } else if (off >= IPRIORITYR && off < IPRIORITYR + 0x400) {
      for (let b = 0; b < 4; b++) {
        const i = irq(off - IPRIORITYR + b);
        if (i) i.priority = (v >>> (8 * b)) & PRIORITY_MASK;
      }
    } else if (off >= ICFGR && off < ICFGR + 0x100) {
      const first = ((off - ICFGR) >> 2) * 16;
      for (let f = 0; f < 16; f++) {
        // SGIs and PPIs keep their fixed configuration (KVM's too: the timers need level PPIs)
        if (first + f < 32) continue;
        const i = irq(first + f);
        if (i) i.edge = ((v >>> (2 * f + 1)) & 1) === 1;
      }
    }
  }
}
