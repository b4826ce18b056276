// The GICv3 model: the register behaviours software relies on, priority, preemption, grouping, SGIs
// (Arm IHI0069 chapters 4 and 12).
import { describe, it, expect } from 'vitest';
import { GicV3, SPURIOUS, el1Route } from '../../src/devices/gicv3.js';

const SGI = 0x1_0000n; // SGI_base frame of the first redistributor
const MPIDRS = [0x8000_0000n, 0x8000_0100n, 0x8000_0200n];

/** A GIC with `pes` PEs, distributor Group 0 and 1 on, every redistributor awake, every CPU interface open. */
function gic(pes = 1): GicV3 {
  const g = new GicV3(MPIDRS.slice(0, pes));
  g.distributor.write(0n, 4, 3n);
  for (let pe = 0; pe < pes; pe++) {
    g.redistributors.write(BigInt(pe) * 0x2_0000n + 0x14n, 4, 0n);
    g.writeSysreg(pe, 'ICC_PMR_EL1', 0xffn);
    g.writeSysreg(pe, 'ICC_IGRPEN0_EL1', 1n);
    g.writeSysreg(pe, 'ICC_IGRPEN1_EL1', 1n);
  }
  return g;
}
const rd = (g: GicV3, pe: number, off: bigint) => g.redistributors.read(BigInt(pe) * 0x2_0000n + off, 4);
const wr = (g: GicV3, pe: number, off: bigint, v: bigint) => g.redistributors.write(BigInt(pe) * 0x2_0000n + off, 4, v);
/** Makes a private interrupt of PE `pe` Group 1, priority `prio`, enabled. */
function ppi(g: GicV3, pe: number, intid: number, prio: number, group1 = true): void {
  const grp = rd(g, pe, SGI + 0x80n);
  wr(g, pe, SGI + 0x80n, group1 ? grp | (1n << BigInt(intid)) : grp & ~(1n << BigInt(intid)));
  g.redistributors.write(BigInt(pe) * 0x2_0000n + SGI + 0x400n + BigInt(intid), 1, BigInt(prio));
  // byte writes of IPRIORITYR go through the word path: keep the other three bytes
  const word = SGI + 0x400n + BigInt(intid & ~3);
  const cur = rd(g, pe, word);
  const shift = BigInt(8 * (intid & 3));
  wr(g, pe, word, (cur & ~(0xffn << shift)) | (BigInt(prio) << shift));
  wr(g, pe, SGI + 0x100n, 1n << BigInt(intid));
}
const iar1 = (g: GicV3, pe = 0) => Number(g.readSysreg(pe, 'ICC_IAR1_EL1'));
const eoi1 = (g: GicV3, intid: number, pe = 0) => g.writeSysreg(pe, 'ICC_EOIR1_EL1', BigInt(intid));

describe('distributor and redistributor registers', () => {
  it('GICD_CTLR: ARE and DS read as one, the group enables are writable; TYPER, IIDR, PIDR2', () => {
    const g = new GicV3(MPIDRS.slice(0, 1));
    expect(g.distributor.read(0n, 4)).toBe(0x50n);
    g.distributor.write(0n, 4, 0x3n);
    expect(g.distributor.read(0n, 4)).toBe(0x53n);
    const typer = g.distributor.read(4n, 4);
    expect(typer & 0x1fn).toBe(8n); // 288 INTIDs
    expect((typer >> 19n) & 0x1fn).toBe(9n); // 10 INTID bits
    expect(g.distributor.read(0xffe8n, 4) >> 4n).toBe(3n); // GICv3
    expect(g.distributor.read(8n, 4) & 0xfffn).toBe(0x43bn); // Arm
  });

  it('GICR_TYPER gives each redistributor its PE affinity and number, Last only on the last', () => {
    const g = new GicV3(MPIDRS);
    const typer = (pe: number) => g.redistributors.read(BigInt(pe) * 0x2_0000n + 8n, 8);
    expect(typer(0)).toBe(0n);
    expect(typer(1)).toBe((0x100n << 32n) | (1n << 8n));
    expect(typer(2)).toBe((0x200n << 32n) | (2n << 8n) | (1n << 4n));
    expect(g.redistributors.read(2n * 0x2_0000n + 0xcn, 4)).toBe(0x200n); // upper half as a 32-bit read
  });

  it('GICR_WAKER: ProcessorSleep resets to 1 with ChildrenAsleep; clearing it wakes the redistributor', () => {
    const g = new GicV3(MPIDRS.slice(0, 1));
    expect(rd(g, 0, 0x14n)).toBe(6n);
    wr(g, 0, 0x14n, 0n);
    expect(rd(g, 0, 0x14n)).toBe(0n);
  });

  it('a sleeping redistributor forwards nothing', () => {
    const g = gic();
    ppi(g, 0, 27, 0xa0);
    wr(g, 0, SGI + 0x200n, 1n << 27n);
    expect(g.lines(0).irq).toBe(true);
    wr(g, 0, 0x14n, 2n);
    expect(g.lines(0).irq).toBe(false);
  });

  it('ISENABLER/ICENABLER, ISPENDR/ICPENDR, ISACTIVER/ICACTIVER set and clear bits, reading back the state', () => {
    const g = gic();
    wr(g, 0, SGI + 0x100n, 0x0800_0001n);
    expect(rd(g, 0, SGI + 0x180n)).toBe(0x0800_0001n);
    wr(g, 0, SGI + 0x180n, 1n);
    expect(rd(g, 0, SGI + 0x100n)).toBe(0x0800_0000n);
    wr(g, 0, SGI + 0x200n, 0x30n);
    wr(g, 0, SGI + 0x280n, 0x10n);
    expect(rd(g, 0, SGI + 0x200n)).toBe(0x20n);
    wr(g, 0, SGI + 0x300n, 0x4n);
    expect(rd(g, 0, SGI + 0x380n)).toBe(0x4n);
    wr(g, 0, SGI + 0x380n, 0x4n);
    expect(rd(g, 0, SGI + 0x300n)).toBe(0n);
  });

  it('IPRIORITYR keeps the five implemented bits; ICFGR0 (SGIs) is read-only edge; IGRPMODR stores', () => {
    const g = gic();
    wr(g, 0, SGI + 0x41cn, 0xffff_ffffn);
    expect(rd(g, 0, SGI + 0x41cn)).toBe(0xf8f8_f8f8n);
    expect(rd(g, 0, SGI + 0xc00n)).toBe(0xaaaa_aaaan);
    wr(g, 0, SGI + 0xc00n, 0n);
    expect(rd(g, 0, SGI + 0xc00n)).toBe(0xaaaa_aaaan);
    wr(g, 0, SGI + 0xc04n, 0x2n << 22n); // PPI 27 edge
    expect(rd(g, 0, SGI + 0xc04n)).toBe(0x2n << 22n);
    wr(g, 0, SGI + 0xd00n, 0x8n);
    expect(rd(g, 0, SGI + 0xd00n)).toBe(0x8n);
  });

  it('with affinity routing the distributor registers of INTIDs 0-31 are RAZ/WI', () => {
    const g = gic();
    g.distributor.write(0x100n, 4, 0xffff_ffffn);
    expect(g.distributor.read(0x100n, 4)).toBe(0n);
    expect(rd(g, 0, SGI + 0x100n)).toBe(0n);
    g.distributor.write(0x104n, 4, 1n); // SPI 32
    expect(g.distributor.read(0x104n, 4)).toBe(1n);
  });

  it('IROUTER routes an SPI to the PE with that affinity; IRM picks an awake PE', () => {
    const g = gic(3);
    g.distributor.write(0x84n, 4, 1n); // SPI 32 Group 1
    g.distributor.write(0x104n, 4, 1n);
    g.distributor.write(0x6100n, 8, 0x200n); // Aff1 2: PE 2
    expect(g.distributor.read(0x6100n, 8)).toBe(0x200n);
    g.setSpiLevel(32, true);
    expect([0, 1, 2].map((pe) => g.lines(pe).irq)).toEqual([false, false, true]);
    expect(iar1(g, 2)).toBe(32);
    g.distributor.write(0x6108n, 4, 0x8000_0000n); // SPI 33, IRM
    g.distributor.write(0x104n, 4, 2n);
    g.distributor.write(0x84n, 4, 3n);
    g.distributor.write(0x204n, 4, 2n); // pend by software
    expect(g.lines(0).irq).toBe(true);
  });
});

describe('CPU interface: priority, preemption and grouping', () => {
  it('IAR1 returns the highest-priority pending interrupt (lowest INTID on ties) and activates it', () => {
    const g = gic();
    ppi(g, 0, 20, 0xa0);
    ppi(g, 0, 21, 0x80);
    ppi(g, 0, 22, 0x80);
    wr(g, 0, SGI + 0x200n, 0x7n << 20n);
    expect(Number(g.readSysreg(0, 'ICC_HPPIR1_EL1'))).toBe(21);
    expect(iar1(g)).toBe(21);
    expect(rd(g, 0, SGI + 0x300n)).toBe(1n << 21n);
    expect(Number(g.readSysreg(0, 'ICC_RPR_EL1'))).toBe(0x80);
    // 22 has the same group priority as the active 21: no preemption, IAR reads spurious
    expect(g.lines(0).irq).toBe(false);
    expect(iar1(g)).toBe(SPURIOUS);
    eoi1(g, 21);
    expect(Number(g.readSysreg(0, 'ICC_RPR_EL1'))).toBe(0xff);
    expect(iar1(g)).toBe(22);
    eoi1(g, 22);
    expect(iar1(g)).toBe(20);
  });

  it('a higher priority preempts the running one; the binary point decides what "higher" means', () => {
    const g = gic();
    ppi(g, 0, 20, 0xa8);
    ppi(g, 0, 21, 0xa0);
    wr(g, 0, SGI + 0x200n, 1n << 20n);
    expect(iar1(g)).toBe(20); // running priority 0xa8 with BPR1 3
    wr(g, 0, SGI + 0x200n, 1n << 21n);
    expect(g.lines(0).irq).toBe(true); // 0xa0 < 0xa8
    eoi1(g, 20);
    g.writeSysreg(0, 'ICC_BPR1_EL1', 4n); // group priority bits 7:4
    wr(g, 0, SGI + 0x280n, 1n << 21n);
    wr(g, 0, SGI + 0x200n, 1n << 20n);
    expect(iar1(g)).toBe(20);
    expect(Number(g.readSysreg(0, 'ICC_RPR_EL1'))).toBe(0xa0); // the group priority of 0xa8
    wr(g, 0, SGI + 0x200n, 1n << 21n);
    expect(g.lines(0).irq).toBe(false); // same group priority: no preemption
  });

  it('BPR0 and BPR1 have minimums of 2 and 3 with five priority bits; CBPR makes BPR1 read BPR0 + 1', () => {
    const g = gic();
    g.writeSysreg(0, 'ICC_BPR0_EL1', 0n);
    g.writeSysreg(0, 'ICC_BPR1_EL1', 0n);
    expect(g.readSysreg(0, 'ICC_BPR0_EL1')).toBe(2n);
    expect(g.readSysreg(0, 'ICC_BPR1_EL1')).toBe(3n);
    g.writeSysreg(0, 'ICC_CTLR_EL1', 1n);
    g.writeSysreg(0, 'ICC_BPR0_EL1', 5n);
    expect(g.readSysreg(0, 'ICC_BPR1_EL1')).toBe(6n);
    expect(g.readSysreg(0, 'ICC_CTLR_EL1') & 0x7ffn).toBe(0x401n); // PRIbits 4, CBPR
  });

  it('PMR masks interrupts whose priority is not higher than it', () => {
    const g = gic();
    ppi(g, 0, 27, 0x80);
    wr(g, 0, SGI + 0x200n, 1n << 27n);
    g.writeSysreg(0, 'ICC_PMR_EL1', 0x80n);
    expect(g.lines(0).irq).toBe(false);
    expect(iar1(g)).toBe(SPURIOUS);
    g.writeSysreg(0, 'ICC_PMR_EL1', 0x88n);
    expect(g.lines(0).irq).toBe(true);
    g.writeSysreg(0, 'ICC_PMR_EL1', 0xffn);
    expect(g.readSysreg(0, 'ICC_PMR_EL1')).toBe(0xf8n);
  });

  it('Group 0 signals FIQ and is acknowledged by IAR0 only; Group 1 signals IRQ', () => {
    const g = gic();
    ppi(g, 0, 5, 0x40, false);
    wr(g, 0, SGI + 0x200n, 1n << 5n);
    expect(g.lines(0)).toEqual({ irq: false, fiq: true, virq: false, vfiq: false });
    expect(iar1(g)).toBe(SPURIOUS);
    expect(Number(g.readSysreg(0, 'ICC_HPPIR0_EL1'))).toBe(5);
    expect(Number(g.readSysreg(0, 'ICC_HPPIR1_EL1'))).toBe(SPURIOUS);
    expect(Number(g.readSysreg(0, 'ICC_IAR0_EL1'))).toBe(5);
    expect(g.readSysreg(0, 'ICC_AP0R0_EL1')).toBe(1n << 8n);
    g.writeSysreg(0, 'ICC_EOIR0_EL1', 5n);
    expect(g.readSysreg(0, 'ICC_AP0R0_EL1')).toBe(0n);
  });

  it('the distributor group enable and ICC_IGRPEN1_EL1 each gate Group 1', () => {
    const g = gic();
    ppi(g, 0, 27, 0x80);
    wr(g, 0, SGI + 0x200n, 1n << 27n);
    g.writeSysreg(0, 'ICC_IGRPEN1_EL1', 0n);
    expect(g.lines(0).irq).toBe(false);
    g.writeSysreg(0, 'ICC_IGRPEN1_EL1', 1n);
    g.distributor.write(0n, 4, 1n); // Group 0 only
    expect(g.lines(0).irq).toBe(false);
    g.distributor.write(0n, 4, 2n);
    expect(g.lines(0).irq).toBe(true);
  });

  it('EOImode 1 splits priority drop (EOIR) from deactivation (DIR)', () => {
    const g = gic();
    g.writeSysreg(0, 'ICC_CTLR_EL1', 2n);
    ppi(g, 0, 27, 0x80);
    wr(g, 0, SGI + 0x200n, 1n << 27n);
    expect(iar1(g)).toBe(27);
    eoi1(g, 27);
    expect(Number(g.readSysreg(0, 'ICC_RPR_EL1'))).toBe(0xff);
    expect(rd(g, 0, SGI + 0x300n)).toBe(1n << 27n); // still active
    g.writeSysreg(0, 'ICC_DIR_EL1', 27n);
    expect(rd(g, 0, SGI + 0x300n)).toBe(0n);
  });

  it('a level-sensitive PPI stays pending while its input is high, and is no longer pending once it drops', () => {
    const g = gic();
    ppi(g, 0, 27, 0x80);
    g.setPpiLevel(0, 27, true);
    expect(iar1(g)).toBe(27);
    eoi1(g, 27);
    expect(g.lines(0).irq).toBe(true); // still high: pending again
    g.setPpiLevel(0, 27, false);
    expect(g.lines(0).irq).toBe(false);
    expect(rd(g, 0, SGI + 0x200n)).toBe(0n);
  });

  it('ICC_SRE_EL1 reads SRE, DFB and DIB as one and ignores writes', () => {
    const g = gic();
    g.writeSysreg(0, 'ICC_SRE_EL1', 0n);
    expect(g.readSysreg(0, 'ICC_SRE_EL1')).toBe(7n);
  });
});

describe('SGIs', () => {
  it('ICC_SGI1R_EL1 pends the SGI on the PEs of the target list at that affinity', () => {
    const g = gic(3);
    for (let pe = 0; pe < 3; pe++) ppi(g, pe, 1, 0x80);
    g.writeSysreg(0, 'ICC_SGI1R_EL1', (1n << 24n) | (1n << 16n) | 1n); // INTID 1, Aff1 1, Aff0 0: PE 1
    expect([0, 1, 2].map((pe) => g.lines(pe).irq)).toEqual([false, true, false]);
    expect(iar1(g, 1)).toBe(1);
  });

  it('IRM 1 targets every PE but the sender; a Group 0 SGI is not generated by SGI1R', () => {
    const g = gic(3);
    for (let pe = 0; pe < 3; pe++) ppi(g, pe, 2, 0x80);
    g.writeSysreg(1, 'ICC_SGI1R_EL1', (2n << 24n) | (1n << 40n));
    expect([0, 1, 2].map((pe) => g.lines(pe).irq)).toEqual([true, false, true]);
    ppi(g, 0, 3, 0x80, false);
    g.writeSysreg(1, 'ICC_SGI1R_EL1', (3n << 24n) | 1n);
    expect(rd(g, 0, SGI + 0x200n) & 8n).toBe(0n);
    g.writeSysreg(1, 'ICC_SGI0R_EL1', (3n << 24n) | 1n);
    expect(rd(g, 0, SGI + 0x200n) & 8n).toBe(8n);
  });
});

/** A list register value: State, HW, Group, Priority, pINTID (or EOI in bit 41), vINTID. */
function lrValue(o: { state: number; group1?: boolean; hw?: boolean; prio: number; pintid?: number; eoi?: boolean; vintid: number }): bigint {
  return (BigInt(o.state) << 62n) | (o.hw ? 1n << 61n : 0n) | (o.group1 !== false ? 1n << 60n : 0n) | (BigInt(o.prio) << 48n) |
    (BigInt(o.pintid ?? 0) << 32n) | (o.eoi ? 1n << 41n : 0n) | BigInt(o.vintid);
}

describe('virtual CPU interface (ICH_*_EL2, ICV_*)', () => {
  /** A GIC with the virtual interface on (ICH_HCR_EL2.En), virtual Group 1 enabled and VPMR open. */
  function vgic() {
    const g = gic();
    g.writeVirtual(0, 'ICH_HCR_EL2', 1n);
    g.writeVirtual(0, 'ICH_VMCR_EL2', (0xffn << 24n) | 2n);
    return g;
  }

  it('ICH_VTR_EL2: 16 list registers, 5 priority and preemption bits', () => {
    const vtr = gic().readVirtual(0, 'ICH_VTR_EL2');
    expect(vtr & 0x1fn).toBe(15n);
    expect((vtr >> 29n) & 7n).toBe(4n);
    expect((vtr >> 26n) & 7n).toBe(4n);
  });

  it('a pending list register signals vIRQ; ICV_IAR1 activates it, EOIR1 drops and deactivates it', () => {
    const g = vgic();
    g.writeVirtual(0, 'ICH_LR0_EL2', lrValue({ state: 1, prio: 0xa0, vintid: 27 }));
    expect(g.lines(0).virq).toBe(true);
    expect(g.readVirtual(0, 'ICC_HPPIR1_EL1')).toBe(27n);
    expect(g.readVirtual(0, 'ICC_IAR1_EL1')).toBe(27n);
    expect(Number(g.readVirtual(0, 'ICH_LR0_EL2') >> 62n)).toBe(2); // active
    expect(g.readVirtual(0, 'ICC_RPR_EL1')).toBe(0xa0n);
    expect(g.readVirtual(0, 'ICH_AP1R0_EL2')).toBe(1n << 20n);
    expect(g.lines(0).virq).toBe(false);
    g.writeVirtual(0, 'ICC_EOIR1_EL1', 27n);
    expect(g.readVirtual(0, 'ICH_LR0_EL2') >> 62n).toBe(0n);
    expect(g.readVirtual(0, 'ICC_RPR_EL1')).toBe(0xffn);
    expect(g.readVirtual(0, 'ICH_ELRSR_EL2') & 1n).toBe(1n); // the list register is free again
  });

  it('the virtual priority mask, group enable and ICH_HCR_EL2.En gate vIRQ; the highest priority list register wins', () => {
    const g = vgic();
    g.writeVirtual(0, 'ICH_LR0_EL2', lrValue({ state: 1, prio: 0xa0, vintid: 40 }));
    g.writeVirtual(0, 'ICH_LR1_EL2', lrValue({ state: 1, prio: 0x90, vintid: 41 }));
    expect(g.readVirtual(0, 'ICC_HPPIR1_EL1')).toBe(41n);
    g.writeVirtual(0, 'ICC_PMR_EL1', 0x90n);
    expect(g.lines(0).virq).toBe(false);
    expect(g.readVirtual(0, 'ICC_IAR1_EL1')).toBe(BigInt(SPURIOUS));
    g.writeVirtual(0, 'ICC_PMR_EL1', 0xf8n);
    g.writeVirtual(0, 'ICC_IGRPEN1_EL1', 0n);
    expect(g.lines(0).virq).toBe(false);
    g.writeVirtual(0, 'ICC_IGRPEN1_EL1', 1n);
    g.writeVirtual(0, 'ICH_HCR_EL2', 0n);
    expect(g.lines(0).virq).toBe(false);
    g.writeVirtual(0, 'ICH_HCR_EL2', 1n);
    expect(g.lines(0).virq).toBe(true);
  });

  it('a virtual Group 0 interrupt signals vFIQ', () => {
    const g = vgic();
    g.writeVirtual(0, 'ICH_VMCR_EL2', (0xffn << 24n) | 1n);
    g.writeVirtual(0, 'ICH_LR2_EL2', lrValue({ state: 1, group1: false, prio: 0x80, vintid: 5 }));
    expect(g.lines(0)).toMatchObject({ virq: false, vfiq: true });
    expect(g.readVirtual(0, 'ICC_IAR0_EL1')).toBe(5n);
  });

  it('EOI of a software interrupt with the EOI bit raises the EOI maintenance interrupt (PPI 25) and EISR', () => {
    const g = vgic();
    ppi(g, 0, 25, 0x80); // the maintenance interrupt, enabled at the redistributor
    g.writeVirtual(0, 'ICH_LR3_EL2', lrValue({ state: 1, prio: 0x80, eoi: true, vintid: 33 }));
    expect(g.readVirtual(0, 'ICC_IAR1_EL1')).toBe(33n);
    expect(g.lines(0).irq).toBe(false);
    g.writeVirtual(0, 'ICC_EOIR1_EL1', 33n);
    expect(g.readVirtual(0, 'ICH_EISR_EL2')).toBe(1n << 3n);
    expect(g.readVirtual(0, 'ICH_MISR_EL2') & 1n).toBe(1n);
    expect(g.readVirtual(0, 'ICH_ELRSR_EL2') & (1n << 3n)).toBe(0n); // not free until the hypervisor clears EOI
    expect(g.lines(0).irq).toBe(true);
    expect(iar1(g)).toBe(25);
  });

  it('a hardware list register deactivates its physical interrupt on virtual EOI', () => {
    const g = vgic();
    ppi(g, 0, 27, 0x80);
    g.setPpiLevel(0, 27, true);
    expect(iar1(g)).toBe(27); // the hypervisor takes the physical interrupt ...
    g.writeSysreg(0, 'ICC_CTLR_EL1', 2n); // ... with EOImode 1: drop priority, leave it active
    eoi1(g, 27);
    g.setPpiLevel(0, 27, false);
    expect(rd(g, 0, SGI + 0x300n)).toBe(1n << 27n);
    g.writeVirtual(0, 'ICH_LR0_EL2', lrValue({ state: 1, hw: true, prio: 0x80, pintid: 27, vintid: 27 }));
    expect(g.readVirtual(0, 'ICC_IAR1_EL1')).toBe(27n);
    g.writeVirtual(0, 'ICC_EOIR1_EL1', 27n);
    expect(rd(g, 0, SGI + 0x300n)).toBe(0n); // the guest's EOI deactivated the physical interrupt
  });

  it('EOI of an interrupt no list register holds counts in ICH_HCR_EL2.EOIcount (and LRENP)', () => {
    const g = vgic();
    g.writeVirtual(0, 'ICH_HCR_EL2', 1n | 4n); // En, LRENPIE
    g.writeVirtual(0, 'ICC_EOIR1_EL1', 99n);
    expect(g.readVirtual(0, 'ICH_HCR_EL2') >> 27n).toBe(1n);
    expect(g.readVirtual(0, 'ICH_MISR_EL2') & 4n).toBe(4n);
  });

  it('ICH_HCR_EL2.UIE and NPIE: underflow and no-pending maintenance', () => {
    const g = vgic();
    g.writeVirtual(0, 'ICH_HCR_EL2', 1n | 2n | 8n);
    expect(g.readVirtual(0, 'ICH_MISR_EL2') & 0xfn).toBe(2n | 8n);
    g.writeVirtual(0, 'ICH_LR0_EL2', lrValue({ state: 1, prio: 0x80, vintid: 1 }));
    g.writeVirtual(0, 'ICH_LR1_EL2', lrValue({ state: 1, prio: 0x80, vintid: 2 }));
    expect(g.readVirtual(0, 'ICH_MISR_EL2') & 0xfn).toBe(0n);
  });

  it('EL1 accesses go to the virtual interface by HCR_EL2.IMO/FMO; SGI generation traps to EL2', () => {
    expect(el1Route('ICC_IAR1_EL1', true, false)).toBe('virtual');
    expect(el1Route('ICC_IAR0_EL1', true, false)).toBe('physical');
    expect(el1Route('ICC_IAR0_EL1', false, true)).toBe('virtual');
    expect(el1Route('ICC_PMR_EL1', false, true)).toBe('virtual');
    expect(el1Route('ICC_SGI1R_EL1', true, false)).toBe('trap-el2');
    expect(el1Route('ICC_SRE_EL1', true, true)).toBe('physical');
    expect(el1Route('ICC_IAR1_EL1', false, false)).toBe('physical');
  });
});

describe('the virtual interface on the machine', () => {
  it('with HCR_EL2.IMO, a list register interrupts EL1 as a virtual IRQ and EL1 acknowledges it through ICV_IAR1', async () => {
    const { Machine } = await import('../../src/machine/machine.js');
    const { mrs, msrImm } = await import('../helpers/asm.js');
    const m = new Machine({ ramMiB: 16, console: () => {} });
    const code = 0x8000_0000n, vbar = 0x8000_1000n;
    const HLT0 = 0xd4400000;
    const words = (ws: number[]) => new Uint8Array(new Uint32Array(ws).buffer);
    m.writePhysical(code, words([msrImm('DAIFClr', 2), 0xd503201f, 0xd503201f, HLT0]));
    m.writePhysical(vbar + 0x280n, words([mrs(5, 'ICC_IAR1_EL1'), mrs(6, 'ICC_RPR_EL1'), mrs(7, 'ELR_EL1'), HLT0])); // IRQ, current EL with SP_EL1
    m.start(code, { el: 1, security: 'ns' });
    m.core.setSysreg('VBAR_EL1', vbar);
    m.core.setSysreg('HCR_EL2', (1n << 31n) | (1n << 4n)); // RW, IMO
    m.core.stateChanged();
    m.gic.writeVirtual(0, 'ICH_HCR_EL2', 1n);
    m.gic.writeVirtual(0, 'ICH_VMCR_EL2', (0xffn << 24n) | 2n);
    m.gic.writeVirtual(0, 'ICH_LR0_EL2', lrValue({ state: 1, prio: 0xa0, vintid: 42 }));
    const stop = m.run(100n);
    expect(stop.kind).toBe('guest-error'); // the HLT #0 end marker
    expect(m.core.x(5)).toBe(42n);
    expect(m.core.x(6)).toBe(0xa0n); // the virtual running priority
    expect(m.core.x(7)).toBe(code + 4n); // taken after the DAIFClr
  });
});
