// The realm's virtual GICv3: every register's reset value and write effect, the access sizes, and the
// state the REC loop injects from (Arm IHI0069 chapters 4, 5, 12).
import { describe, it, expect } from 'vitest';
import { VirtualGic, VGIC_IIDR } from '../../../firmware/hypervisor/devices/vgic.js';
import { REALM_GICD_BASE, recMpidr, realmGicrBase } from '../../../firmware/hypervisor/layout.js';

const SGI = 0x1_0000n;
const STRIDE = 0x2_0000n;
const mpidrs = (n: number) => Array.from({ length: n }, (_, i) => recMpidr(i));

function vgic(recs = 2) {
  const g = new VirtualGic(mpidrs(recs));
  /** Reads the distributor word at `off`, or writes `v` there (and returns 0). */
  const gicd = (off: number, v?: number): number => {
    if (v === undefined) return Number(g.distributor.read(BigInt(off), 4));
    g.distributor.write(BigInt(off), 4, BigInt(v));
    return 0;
  };
  const gicr = (rec: number, off: bigint, v?: number): number => {
    const at = BigInt(rec) * STRIDE + off;
    if (v === undefined) return Number(g.redistributors.read(at, 4));
    g.redistributors.write(at, 4, BigInt(v));
    return 0;
  };
  return { g, gicd, gicr };
}

/** Distributor groups on, every redistributor awake. */
function ready(recs = 2) {
  const v = vgic(recs);
  v.gicd(0x0, 0x3);
  for (let r = 0; r < recs; r++) v.gicr(r, 0x14n, 0);
  return v;
}

/** Enables private interrupt `intid` of `rec` with `prio`. */
function enablePrivate(v: ReturnType<typeof vgic>, rec: number, intid: number, prio: number) {
  v.g.redistributors.write(BigInt(rec) * STRIDE + SGI + 0x400n + BigInt(intid), 1, BigInt(prio));
  v.gicr(rec, SGI + 0x100n, 1 << intid);
}

describe('distributor registers', () => {
  it('sits at kvmtool\'s address; the redistributors below it, 128 KiB each', () => {
    const { g } = vgic(3);
    expect(g.distributor.base).toBe(REALM_GICD_BASE);
    expect(g.distributor.size).toBe(0x1_0000n);
    expect(g.redistributors.base).toBe(realmGicrBase(3));
    expect(g.redistributors.size).toBe(3n * STRIDE);
  });

  it('GICD_CTLR resets with ARE and DS set, groups off; only the group enables are writable; RWP reads 0', () => {
    const { gicd } = vgic();
    expect(gicd(0x0)).toBe(0x50);
    gicd(0x0, 0xffff_ffff);
    expect(gicd(0x0)).toBe(0x53);
    gicd(0x0, 0x0);
    expect(gicd(0x0)).toBe(0x50);
  });

  it('GICD_TYPER: 96 INTIDs (64 SPIs), 10 ID bits, no LPIs, read-only; IIDR as KVM; PIDR2 ArchRev 3', () => {
    const { gicd } = vgic();
    const typer = gicd(0x4);
    expect(typer & 0x1f).toBe(2);
    expect((typer >> 19) & 0x1f).toBe(9);
    expect((typer >> 17) & 1).toBe(0);
    gicd(0x4, 0);
    expect(gicd(0x4)).toBe(typer);
    expect(gicd(0x8)).toBe(VGIC_IIDR);
    expect(VGIC_IIDR & 0xfff).toBe(0x43b);
    expect((gicd(0xffe8) >> 4) & 0xf).toBe(3);
  });

  it('SPI registers reset: Group 1, disabled, not pending or active, priority 0, level, routed to 0', () => {
    const { g, gicd } = vgic();
    expect([gicd(0x84), gicd(0x88)]).toEqual([0xffff_ffff, 0xffff_ffff]);
    for (const reg of [0x104, 0x184, 0x204, 0x284, 0x304, 0x384]) expect(gicd(reg)).toBe(0);
    expect(gicd(0x420)).toBe(0);
    expect(gicd(0xc08)).toBe(0);
    expect(g.distributor.read(0x6100n, 8)).toBe(0n);
  });

  it('registers of INTIDs 0-31 and beyond INTID 95 are RAZ/WI in the distributor', () => {
    const { gicd } = vgic();
    for (const reg of [0x80, 0x100, 0x200, 0x300, 0x400, 0xc00, 0xc04, 0x8c, 0x10c, 0x460, 0xc18]) {
      gicd(reg, 0xffff_ffff);
      expect(gicd(reg), `0x${reg.toString(16)}`).toBe(0);
    }
  });

  it('ISENABLER/ICENABLER set and clear only the bits written as one; both read the enables', () => {
    const { gicd } = vgic();
    gicd(0x104, 0b1011);
    gicd(0x104, 0b0100);
    expect(gicd(0x104)).toBe(0b1111);
    gicd(0x184, 0b0101);
    expect([gicd(0x104), gicd(0x184)]).toEqual([0b1010, 0b1010]);
  });

  it('ISPENDR/ICPENDR and ISACTIVER/ICACTIVER likewise', () => {
    const { gicd } = vgic();
    gicd(0x204, 0x8000_0001);
    expect(gicd(0x284)).toBe(0x8000_0001);
    gicd(0x284, 1);
    expect(gicd(0x204)).toBe(0x8000_0000);
    gicd(0x308, 0x6);
    gicd(0x388, 0x2);
    expect(gicd(0x308)).toBe(0x4);
  });

  it('IGROUPR is read/write per bit', () => {
    const { gicd } = vgic();
    gicd(0x84, 0x0000_ffff);
    expect(gicd(0x84)).toBe(0x0000_ffff);
  });

  it('IPRIORITYR keeps five bits, by word and by byte', () => {
    const { g, gicd } = vgic();
    gicd(0x420, 0x12345678);
    expect(gicd(0x420)).toBe(0x10305078);
    g.distributor.write(0x423n, 1, 0xffn);
    expect(g.distributor.read(0x423n, 1)).toBe(0xf8n);
    expect(gicd(0x420) >>> 0).toBe(0xf8305078);
  });

  it('ICFGR: SPIs take edge or level in Int_config[1]; bit 0 of each field is RES0', () => {
    const { gicd } = vgic();
    gicd(0xc08, 0xffff_ffff);
    expect(gicd(0xc08) >>> 0).toBe(0xaaaa_aaaa);
    gicd(0xc08, 0x8);
    expect(gicd(0xc08)).toBe(0x8);
  });

  it('IROUTER: 64-bit and 32-bit halves, Aff3/IRM/Aff2-0 kept, other bits RES0', () => {
    const { g, gicd } = vgic();
    g.distributor.write(0x6100n, 8, 0xffff_ffff_ffff_ffffn);
    expect(g.distributor.read(0x6100n, 8)).toBe(0xff_80ff_ffffn);
    gicd(0x6108, 0x0000_0102);
    gicd(0x610c, 0x3);
    expect(g.distributor.read(0x6108n, 8)).toBe(0x3_0000_0102n);
    expect([gicd(0x6108), gicd(0x610c)]).toEqual([0x102, 3]);
    g.distributor.write(0x6000n, 8, 0x100n); // IROUTER0-31 do not exist
    expect(g.distributor.read(0x6000n, 8)).toBe(0n);
  });

  it('sizes the register does not support, and misaligned words, read as zero and are ignored', () => {
    const { g, gicd } = vgic();
    expect(g.distributor.read(0x0n, 2)).toBe(0n);
    expect(g.distributor.read(0x0n, 8)).toBe(0n);
    expect(g.distributor.read(0x104n, 1)).toBe(0n);
    expect(g.distributor.read(0x2n, 4)).toBe(0n);
    g.distributor.write(0x104n, 1, 0xffn);
    g.distributor.write(0x104n, 8, 0xffn);
    g.distributor.write(0x106n, 4, 0xffn);
    g.distributor.write(0x420n, 2, 0xffffn);
    expect(gicd(0x104)).toBe(0);
    expect(gicd(0x420)).toBe(0);
  });
});

describe('redistributor registers', () => {
  it('GICR_TYPER: the REC\'s affinity, its number, Last on the last only; 64-bit or two halves', () => {
    const { g, gicr } = vgic(18);
    const typer = (rec: number) => g.redistributors.read(BigInt(rec) * STRIDE + 8n, 8);
    expect(typer(0)).toBe(0n);
    expect(typer(1)).toBe((1n << 32n) | (1n << 8n));
    expect(typer(17)).toBe((0x101n << 32n) | (17n << 8n) | (1n << 4n)); // Aff1 1, Aff0 1
    expect([gicr(17, 8n), gicr(17, 0xcn)]).toEqual([(17 << 8) | 0x10, 0x101]);
    g.redistributors.write(8n, 8, 0xffffn);
    expect(typer(0)).toBe(0n);
  });

  it('GICR_CTLR reads 0 (no LPIs) and ignores writes; IIDR and PIDR2 as the distributor\'s', () => {
    const { gicr } = vgic();
    gicr(0, 0n, 0xffff_ffff);
    expect(gicr(0, 0n)).toBe(0);
    expect(gicr(1, 4n)).toBe(VGIC_IIDR);
    expect((gicr(1, 0xffe8n) >> 4) & 0xf).toBe(3);
  });

  it('GICR_WAKER: ProcessorSleep and ChildrenAsleep reset to 1; clearing ProcessorSleep clears both, per REC', () => {
    const { gicr } = vgic();
    expect([gicr(0, 0x14n), gicr(1, 0x14n)]).toEqual([6, 6]);
    gicr(0, 0x14n, 0);
    expect([gicr(0, 0x14n), gicr(1, 0x14n)]).toEqual([0, 6]);
    gicr(0, 0x14n, 4); // ChildrenAsleep is read-only
    expect(gicr(0, 0x14n)).toBe(0);
    gicr(0, 0x14n, 2);
    expect(gicr(0, 0x14n)).toBe(6);
  });

  it('SGI_base resets: Group 1, disabled, not pending/active, priority 0, SGIs edge and PPIs level', () => {
    const { gicr } = vgic();
    expect(gicr(0, SGI + 0x80n) >>> 0).toBe(0xffff_ffff);
    for (const reg of [0x100n, 0x180n, 0x200n, 0x280n, 0x300n, 0x380n, 0x400n, 0x41cn]) expect(gicr(0, SGI + reg)).toBe(0);
    expect(gicr(0, SGI + 0xc00n) >>> 0).toBe(0xaaaa_aaaa);
    expect(gicr(0, SGI + 0xc04n)).toBe(0);
  });

  it('SGI_base registers are per REC and take their writes; ICFGR0/1 are fixed', () => {
    const { g, gicr } = vgic();
    gicr(1, SGI + 0x80n, 0x0800_0001);
    gicr(1, SGI + 0x100n, 0x0800_0002);
    gicr(1, SGI + 0x180n, 0x2);
    gicr(1, SGI + 0x200n, 0x10);
    gicr(1, SGI + 0x300n, 0x20);
    gicr(1, SGI + 0x418n, 0xa0a0_a0a0);
    g.redistributors.write(STRIDE + SGI + 0x41bn, 1, 0x17n);
    gicr(1, SGI + 0xc00n, 0);
    gicr(1, SGI + 0xc04n, 0xffff_ffff);
    expect([gicr(1, SGI + 0x80n), gicr(1, SGI + 0x100n), gicr(1, SGI + 0x200n), gicr(1, SGI + 0x300n)]).toEqual([0x0800_0001, 0x0800_0000, 0x10, 0x20]);
    expect(gicr(1, SGI + 0x418n) >>> 0).toBe(0x10a0_a0a0);
    expect(gicr(1, SGI + 0xc00n) >>> 0).toBe(0xaaaa_aaaa);
    expect(gicr(1, SGI + 0xc04n)).toBe(0);
    gicr(1, SGI + 0x280n, 0x10);
    gicr(1, SGI + 0x380n, 0x20);
    expect([gicr(1, SGI + 0x200n), gicr(1, SGI + 0x300n)]).toEqual([0, 0]);
    expect([gicr(0, SGI + 0x80n) >>> 0, gicr(0, SGI + 0x100n)]).toEqual([0xffff_ffff, 0]);
    expect(gicr(1, SGI + 0x84n)).toBe(0); // only INTIDs 0-31 live here
  });
});

describe('injection state', () => {
  it('a level PPI is pending while raised; injection makes it active; done with the line down ends it', () => {
    const v = ready();
    enablePrivate(v, 0, 27, 0xa0);
    expect(v.g.nextPending(0)).toBeUndefined();
    v.g.raise(0, 27);
    expect(v.g.nextPending(0)).toEqual({ intid: 27, priority: 0xa0 });
    expect(v.g.nextPending(1)).toBeUndefined();
    v.g.markInjected(0, 27);
    expect(v.g.nextPending(0)).toBeUndefined();
    expect(v.gicr(0, SGI + 0x300n)).toBe(1 << 27);
    v.g.lower(0, 27);
    v.g.markDone(0, 27);
    expect(v.g.nextPending(0)).toBeUndefined();
    expect(v.gicr(0, SGI + 0x300n)).toBe(0);
  });

  it('a level PPI still raised when its LR comes back invalid is pending again', () => {
    const v = ready();
    enablePrivate(v, 0, 27, 0);
    v.g.raise(0, 27);
    v.g.markInjected(0, 27);
    v.g.markDone(0, 27);
    expect(v.g.nextPending(0)?.intid).toBe(27);
  });

  it('ICPENDR cannot clear a level interrupt whose line is up', () => {
    const v = ready();
    enablePrivate(v, 0, 27, 0);
    v.g.raise(0, 27);
    v.gicr(0, SGI + 0x280n, 1 << 27);
    expect(v.gicr(0, SGI + 0x200n)).toBe(1 << 27);
  });

  it('an edge SPI latches on the rising edge and stays pending after the line drops, until injected', () => {
    const v = ready();
    v.gicd(0xc10, 0x2); // INTID 64 edge
    v.gicd(0x108, 1);
    v.g.raise(0, 64);
    v.g.lower(0, 64);
    expect(v.g.nextPending(0)?.intid).toBe(64);
    v.g.markInjected(0, 64);
    v.g.markDone(0, 64);
    expect(v.g.nextPending(0)).toBeUndefined();
  });

  it('an LR that comes back still pending returns the interrupt to pending', () => {
    const v = ready();
    enablePrivate(v, 0, 3, 0);
    v.g.sendSgi(0, (3n << 24n) | 1n);
    v.g.markInjected(0, 3);
    expect(v.g.nextPending(0)).toBeUndefined();
    v.g.markReturned(0, 3);
    expect(v.g.nextPending(0)?.intid).toBe(3);
  });

  it('the highest priority (lowest value) wins, then the lowest INTID', () => {
    const v = ready();
    enablePrivate(v, 0, 5, 0x80);
    enablePrivate(v, 0, 4, 0x80);
    enablePrivate(v, 0, 27, 0x40);
    v.gicd(0x104, 1); // INTID 32
    v.gicd(0x420, 0x20);
    v.gicr(0, SGI + 0x200n, (1 << 4) | (1 << 5));
    v.g.raise(0, 27);
    v.g.raise(0, 32);
    const order: number[] = [];
    for (let p = v.g.nextPending(0); p; p = v.g.nextPending(0)) {
      order.push(p.intid);
      v.g.markInjected(0, p.intid);
    }
    expect(order).toEqual([32, 27, 4, 5]);
  });

  it('disabled, active or group-disabled interrupts are not offered; a sleeping redistributor offers nothing', () => {
    const v = ready();
    v.gicr(0, SGI + 0x200n, 1 << 7);
    expect(v.g.nextPending(0)).toBeUndefined(); // disabled
    v.gicr(0, SGI + 0x100n, 1 << 7);
    expect(v.g.nextPending(0)?.intid).toBe(7);
    v.gicd(0x0, 0x1); // Group 1 off
    expect(v.g.nextPending(0)).toBeUndefined();
    v.gicr(0, SGI + 0x80n, 0xffff_ff7f); // INTID 7 to Group 0, which is on
    expect(v.g.nextPending(0)?.intid).toBe(7);
    v.gicr(0, SGI + 0x300n, 1 << 7);
    expect(v.g.nextPending(0)).toBeUndefined(); // active
    v.gicr(0, SGI + 0x380n, 1 << 7);
    v.gicr(0, 0x14n, 2);
    expect(v.g.nextPending(0)).toBeUndefined(); // asleep
  });

  it('SPIs go to the REC IROUTER names, or with IRM to the first awake REC; to nobody if no REC matches', () => {
    const v = ready(3);
    v.gicd(0x104, 1);
    v.g.raise(0, 32);
    expect([0, 1, 2].map((r) => v.g.nextPending(r)?.intid)).toEqual([32, undefined, undefined]);
    v.g.distributor.write(0x6100n, 8, recMpidr(2));
    expect([0, 1, 2].map((r) => v.g.nextPending(r)?.intid)).toEqual([undefined, undefined, 32]);
    v.g.distributor.write(0x6100n, 8, 0x100n);
    expect([0, 1, 2].map((r) => v.g.nextPending(r)?.intid)).toEqual([undefined, undefined, undefined]);
    v.gicr(0, 0x14n, 2);
    v.g.distributor.write(0x6100n, 8, 1n << 31n);
    expect([0, 1, 2].map((r) => v.g.nextPending(r)?.intid)).toEqual([undefined, 32, undefined]);
  });
});

describe('SGIs from ICC_SGI1R_EL1', () => {
  const sgi1r = (intid: number, targets: number, aff1 = 0, irm = false, rs = 0) =>
    (BigInt(intid) << 24n) | BigInt(targets) | (BigInt(aff1) << 16n) | (irm ? 1n << 40n : 0n) | (BigInt(rs) << 44n);
  const pending = (v: ReturnType<typeof vgic>, rec: number) => v.gicr(rec, SGI + 0x200n);

  it('TargetList picks Aff0 values within Aff1', () => {
    const v = ready(4);
    expect(v.g.sendSgi(0, sgi1r(1, 0b1010))).toEqual([1, 3]);
    expect([0, 1, 2, 3].map((r) => pending(v, r))).toEqual([0, 2, 0, 2]);
  });

  it('IRM sends to every REC but the sender', () => {
    const v = ready(3);
    expect(v.g.sendSgi(1, sgi1r(15, 0, 0, true))).toEqual([0, 2]);
    expect([0, 1, 2].map((r) => pending(v, r))).toEqual([0x8000, 0, 0x8000]);
  });

  it('Aff1 selects the cluster: REC 17 is Aff1 1, Aff0 1', () => {
    const v = ready(18);
    expect(v.g.sendSgi(0, sgi1r(2, 0b10, 1))).toEqual([17]);
    expect(v.g.sendSgi(0, sgi1r(2, 0b10, 2))).toEqual([]);
    expect(v.g.sendSgi(0, sgi1r(2, 0b10, 0, false, 1))).toEqual([]); // RS 1 means Aff0 16-31
  });

  it('an SGI pends only where it is configured in the group of the register that sent it', () => {
    const v = ready(2);
    v.gicr(1, SGI + 0x80n, 0xffff_fffe); // SGI 0 of REC 1 is Group 0
    expect(v.g.sendSgi(0, sgi1r(0, 0b11))).toEqual([0]);
    expect(v.g.sendSgi(0, sgi1r(0, 0b11), false)).toEqual([1]);
  });

  it('a sent SGI is offered once and, being edge-triggered, not again after it is done', () => {
    const v = ready(2);
    enablePrivate(v, 1, 2, 0x10);
    v.g.sendSgi(0, sgi1r(2, 0b10));
    expect(v.g.nextPending(1)).toEqual({ intid: 2, priority: 0x10 });
    v.g.markInjected(1, 2);
    v.g.markDone(1, 2);
    expect(v.g.nextPending(1)).toBeUndefined();
  });
});
