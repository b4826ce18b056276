// Stage-2 translation (Arm ARM D8.2.8.2-D8.2.10.2, D8.3, D8.4, D1.4.2) through the core's walker: granules,
// start levels and concatenated tables, S2AP/XN, faults to EL2 with ESR_EL2 (ISV, S1PTW) and HPFAR_EL2,
// stage-1 walks through stage 2, HCR_EL2.PTW, Realm NS outputs, the GPC on stage-2 table fetches and
// GPCCR_EL3.GPCP, AT S12E1R, and the architectural scope of the TLBIs that name VMIDs and stages.
import { describe, it, expect } from 'vitest';
import { Rig, CODE, DATA, VBAR } from '../helpers/rig.js';
import { asm, END, msr } from '../helpers/asm.js';
import { Stage2Tables, identityStage2 } from '../helpers/stage2.js';
import { PageTables } from '../helpers/pagetable.js';

const POOL = 0x8200_0000n; // stage-2 tables
const S1_POOL = 0x8300_0000n; // stage-1 tables (IPA = PA through an identity stage 2 where used)
const HCR_VM = 1n, HCR_PTW = 1n << 2n, HCR_DC = 1n << 12n, HCR_TGE = 1n << 27n, HCR_RW = 1n << 31n, HCR_TTLB = 1n << 25n;
const EC_IABT_LOWER = 0x20, EC_DABT_LOWER = 0x24;
const IPA_CODE = 0x4000_0000n; // where the guest's code appears in its IPA space
const IPA_DATA = 0x4020_0000n;

const ldr = (rt: number, rn: number) => asm('LDR_off', { sz: 1, imm12: 0, rn, rt });
const str = (rt: number, rn: number) => asm('STR_off', { sz: 1, imm12: 0, rn, rt });
const ldrw = (rt: number, rn: number) => asm('LDR_off', { sz: 0, imm12: 0, rn, rt });
const tlbi = (op1: number, crm: number, op2: number, rt = 31) => asm('SYS', { op1, crn: 8, crm, op2, rt });
const at = (op1: number, op2: number, rt: number) => asm('SYS', { op1, crn: 7, crm: 8, op2, rt });
const HVC = asm('HVC', { imm16: 0 });

/** A rig at EL1 (Non-secure unless given) whose guest owns EL2, with stage 2 on through `s2`. */
function guest(words: number[], s2: (r: Rig) => Stage2Tables, opts: { hcr?: bigint; security?: 'ns' | 'realm'; vmid?: number } = {}) {
  const r = new Rig(words, { el: 1, security: opts.security ?? 'ns' });
  const t = s2(r);
  t.install(opts.vmid ?? 0);
  r.c.setSysreg('HCR_EL2', HCR_RW | HCR_VM | (opts.hcr ?? 0n));
  r.c.stateChanged();
  return { r, t };
}

/** Stage 2 mapping the rig's code page at IPA_CODE and nothing else; the PE starts there. */
function codeAt(g: number, t0sz: number, sl0: number) {
  return (r: Rig) => {
    const t = new Stage2Tables(r.m, g, t0sz, sl0, POOL);
    t.map(IPA_CODE, CODE & ~((1n << BigInt(g)) - 1n));
    t.map(VBAR[1], VBAR[1]); // EL1's vectors, flat, for the faults that go there
    r.c.pc = IPA_CODE;
    return t;
  };
}

describe.each([
  [12, 25, 1], [12, 21, 1], [12, 32, 0], [12, 16, 2], [14, 28, 1], [14, 24, 1], [14, 17, 2], [16, 25, 1], [16, 16, 2], [16, 32, 0],
])('granule %i bits, T0SZ %i, SL0 %i', (g, t0sz, sl0) => {
  it('runs code through stage 2 and translates the IPA like the walker', () => {
    const { r, t } = guest([], codeAt(g, t0sz, sl0));
    expect(r.run()).toBeDefined();
    expect(r.finished).toBe(true);
    expect(r.c.translate(IPA_CODE + 0x10n)).toBe(CODE + 0x10n);
    expect(t.topBits()).toBeGreaterThan(0);
  });

  it('an unmapped IPA is a stage-2 translation fault to EL2 with HPFAR_EL2 and FAR_EL2', () => {
    const { r, t } = guest([ldr(5, 1)], codeAt(g, t0sz, sl0));
    const ipa = IPA_CODE ^ (1n << BigInt(t.shiftOf(t.startLevel)));
    r.c.setX(1, ipa + 0x18n);
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.ec(2)).toBe(EC_DABT_LOWER);
    // DFSC translation fault at the start level (the next IPA block of the start level is empty)
    expect(r.iss(2) & 0x3f).toBe(0x04 + t.startLevel);
    // ISV with SAS 3 (doubleword), SRT 5, SF 1
    expect((r.iss(2) >> 24) & 1).toBe(1);
    expect((r.iss(2) >> 22) & 3).toBe(3);
    expect((r.iss(2) >> 16) & 31).toBe(5);
    expect((r.iss(2) >> 15) & 1).toBe(1);
    expect(r.c.sysreg('HPFAR_EL2')).toBe((ipa >> 12n) << 4n);
    expect(r.far(2)).toBe(ipa + 0x18n);
    expect(r.elr(2)).toBe(IPA_CODE);
  });
});

describe('stage-2 configuration faults (J1.1.4 S2InvalidSL, S2InconsistentSL, IPAIsOutOfRange)', () => {
  it.each([
    ['4K SL0 3 without FEAT_TTST', 12, 25, 3],
    ['4K start level 2 cannot resolve 48 bits', 12, 16, 0],
    ['4K start level 0 needs more than 39 bits', 12, 25, 2],
    ['64K SL0 3 is reserved', 16, 25, 3],
    ['16K SL0 3 needs VTCR_EL2.DS', 14, 17, 3],
  ])('%s: level 0 translation fault', (_, g, t0sz, sl0) => {
    const r = new Rig([], { el: 1 });
    const vtcr = BigInt(t0sz) | (BigInt(sl0) << 6n) | (0x35n << 8n) | (BigInt(g === 12 ? 0 : g === 16 ? 1 : 2) << 14n) | (5n << 16n);
    r.c.setSysreg('VTCR_EL2', vtcr);
    r.c.setSysreg('VTTBR_EL2', POOL);
    r.c.setSysreg('HCR_EL2', HCR_RW | HCR_VM);
    r.c.stateChanged();
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.ec(2)).toBe(EC_IABT_LOWER);
    expect(r.iss(2) & 0x3f).toBe(0x04);
    expect(r.c.sysreg('HPFAR_EL2')).toBe((CODE >> 12n) << 4n);
  });

  it('an IPA beyond T0SZ is a level 0 translation fault', () => {
    const { r } = guest([ldr(5, 1)], codeAt(12, 25, 1));
    r.c.setX(1, 1n << 39n);
    r.run();
    expect(r.ec(2)).toBe(EC_DABT_LOWER);
    expect(r.iss(2) & 0x3f).toBe(0x04);
  });
});

describe('stage-2 descriptors', () => {
  function mapped(attrs: Parameters<Stage2Tables['map']>[1] extends bigint ? Parameters<Stage2Tables['map']>[2] : never, words: number[], hcr = 0n) {
    return guest(words, (r) => {
      const t = codeAt(12, 25, 1)(r);
      t.map(IPA_DATA, DATA, attrs);
      r.c.setX(1, IPA_DATA + 8n);
      return t;
    }, { hcr });
  }

  it('S2AP read-only: a store is a permission fault with WnR, a load passes', () => {
    const { r } = mapped({ s2ap: 1 }, [ldr(5, 1), str(5, 1)]);
    r.write64(DATA + 8n, 0x1234n);
    r.run();
    expect(r.c.x(5)).toBe(0x1234n);
    expect(r.ec(2)).toBe(EC_DABT_LOWER);
    expect(r.iss(2) & 0x3f).toBe(0x0f);
    expect((r.iss(2) >> 6) & 1).toBe(1);
    expect(r.elr(2)).toBe(IPA_CODE + 4n);
  });

  it('S2AP write-only: a load is a permission fault; a 32-bit load reports SAS 2 and SF 0', () => {
    const { r } = mapped({ s2ap: 2 }, [ldrw(7, 1)]);
    r.run();
    expect(r.iss(2) & 0x3f).toBe(0x0f);
    expect((r.iss(2) >> 22) & 3).toBe(2);
    expect((r.iss(2) >> 15) & 1).toBe(0);
    expect((r.iss(2) >> 16) & 31).toBe(7);
  });

  it('XN forbids execution at EL1: an instruction abort from a lower EL, permission fault', () => {
    const { r } = guest([], (r) => {
      const t = new Stage2Tables(r.m, 12, 25, 1, POOL);
      t.map(IPA_CODE, CODE, { xn: true });
      r.c.pc = IPA_CODE;
      return t;
    });
    r.run();
    expect(r.ec(2)).toBe(EC_IABT_LOWER);
    expect(r.iss(2) & 0x3f).toBe(0x0f);
  });

  it('access flag 0 is a stage-2 access flag fault', () => {
    const { r } = mapped({ af: false }, [ldr(5, 1)]);
    r.run();
    expect(r.iss(2) & 0x3f).toBe(0x0b);
  });

  it('an output address beyond VTCR_EL2.PS is an address size fault', () => {
    const { r } = mapped({}, [ldr(5, 1)]);
    r.c.setSysreg('VTCR_EL2', (r.c.sysreg('VTCR_EL2') & ~(7n << 16n)) | (0n << 16n)); // PS 32 bits
    const t = new Stage2Tables(r.m, 12, 25, 1, POOL + 0x10_0000n);
    t.map(IPA_CODE, CODE);
    t.map(IPA_DATA, 0x1_8000_0000n);
    r.c.setSysreg('VTTBR_EL2', t.vttbr());
    r.c.stateChanged();
    r.run();
    expect(r.iss(2) & 0x3f).toBe(0x03); // level 3
  });

  it('a 2 MB stage-2 block maps every page in it', () => {
    const { r, t } = guest([], codeAt(12, 25, 1));
    t.map(0x4060_0000n, 0x8060_0000n, {}, 2);
    r.c.stateChanged();
    expect(r.c.translate(0x4060_0000n)).toBe(0x8060_0000n);
    expect(r.c.translate(0x407f_f010n)).toBe(0x807f_f010n);
  });

  it('stage-2 Device memory under stage-1 Normal (HCR_EL2.DC): an unaligned load is a stage-2 alignment fault', () => {
    const { r } = mapped({ memAttr: 0x0 }, [ldr(5, 1)], HCR_DC);
    r.c.setX(1, IPA_DATA + 9n);
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.ec(2)).toBe(EC_DABT_LOWER);
    expect(r.iss(2) & 0x3f).toBe(0x21);
  });

  it('stage-2 Normal memory under stage-1 Normal: the unaligned load completes', () => {
    const { r } = mapped({}, [ldr(5, 1)], HCR_DC);
    r.write64(DATA + 9n, 0x0102_0304_0506_0708n);
    r.c.setX(1, IPA_DATA + 9n);
    r.run();
    expect(r.finished).toBe(true);
    expect(r.c.x(5)).toBe(0x0102_0304_0506_0708n);
  });
});

describe('stage 1 through stage 2', () => {
  /** Stage-1 tables at S1_POOL (IPA = PA by an identity stage 2 except where a test unmaps them). */
  function twoStages(words: number[], hcr = 0n) {
    const r = new Rig(words, { el: 1 });
    const s2 = identityStage2(r.m, POOL);
    const pt = new PageTables(r.m, 12, 25, S1_POOL);
    pt.map(0x1000_0000n, CODE);
    pt.map(0x1020_0000n, DATA);
    r.c.setSysreg('MAIR_EL1', 0xffn | (0x04n << 8n));
    r.c.setSysreg('TCR_EL1', pt.tcrEl1());
    r.c.setSysreg('TTBR0_EL1', pt.root);
    r.c.setSysreg('SCTLR_EL1', r.c.sysreg('SCTLR_EL1') | 1n);
    s2.install();
    r.c.setSysreg('HCR_EL2', HCR_RW | HCR_VM | hcr);
    r.c.pc = 0x1000_0000n;
    r.c.stateChanged();
    return { r, s2, pt };
  }

  it('VA -> IPA -> PA: code runs and data loads through both stages', () => {
    const { r } = twoStages([ldr(5, 1)]);
    r.write64(DATA, 0xfeedn);
    r.c.setX(1, 0x1020_0000n);
    r.run();
    expect(r.finished).toBe(true);
    expect(r.c.x(5)).toBe(0xfeedn);
  });

  it('a stage-1 table whose IPA stage 2 does not map: S1PTW, HPFAR_EL2 holds the table IPA, FAR_EL2 the VA', () => {
    const { r, s2 } = twoStages([ldr(5, 1)]);
    // Remap the 1 GB holding the stage-1 tables with a level-2 table that maps only the code's 2 MB
    const slot = s2.slot(S1_POOL, 1);
    s2.write(slot, 0n);
    s2.map(CODE, CODE, {}, 2);
    r.c.stateChanged();
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.ec(2)).toBe(EC_IABT_LOWER);
    expect((r.iss(2) >> 7) & 1).toBe(1); // S1PTW
    expect(r.iss(2) & 0x3f).toBe(0x06); // translation fault, stage-2 level 2
    expect(r.c.sysreg('HPFAR_EL2')).toBe((S1_POOL >> 12n) << 4n); // the start table's IPA
    expect(r.far(2)).toBe(0x1000_0000n);
  });

  it('HCR_EL2.PTW: a stage-1 walk into stage-2 Device memory is a stage-2 permission fault', () => {
    // The GB holding the stage-1 tables (and the code) becomes Device-nGnRE at stage 2
    const deviceTables = (hcr: bigint) => {
      const t = twoStages([], hcr);
      t.s2.write(t.s2.slot(S1_POOL, 1), Stage2Tables.descriptor(S1_POOL & ~0x3fff_ffffn, { memAttr: 0x1 }, false));
      t.r.c.stateChanged();
      t.r.run();
      return t.r;
    };
    expect(deviceTables(0n).finished).toBe(true); // without PTW the walk may read Device memory
    const r = deviceTables(HCR_PTW);
    expect(r.ec(2)).toBe(EC_IABT_LOWER);
    expect(r.iss(2) & 0xbf).toBe(0x80 | 0x0d); // S1PTW, permission fault at level 1
  });

  it('AT S1E1R gives the IPA, AT S12E1R the PA (PAR_EL1), and a stage-2 fault sets PAR_EL1.S', () => {
    const { r, s2 } = twoStages([]);
    r.c.pstate = (2n << 2n) | 1n | (0xfn << 6n);
    r.c.stateChanged();
    // Move data's IPA: stage 1 says 0x1020_0000 -> DATA (IPA); stage 2 maps IPA DATA's GB elsewhere
    r.c.setX(1, 0x1020_0000n);
    r.put(CODE + 0x100n, [at(0, 0, 1), msr('TPIDR_EL2', 31), at(4, 4, 1), END]);
    r.c.pc = CODE + 0x100n;
    expect(r.run(1n)).toBeDefined();
    expect(r.c.sysreg('PAR_EL1') & 0x0000_ffff_ffff_f001n).toBe(DATA);
    s2.write(s2.slot(DATA, 1), 0n);
    r.run(2n);
    const par = r.c.sysreg('PAR_EL1');
    expect(par & 1n).toBe(1n);
    expect((par >> 9n) & 1n).toBe(1n); // S: stage 2
    expect((par >> 1n) & 0x3fn).toBe(0x05n); // translation fault, level 1
  });

  it('HCR_EL2.DC turns stage 2 on with stage 1 off', () => {
    const r = new Rig([], { el: 1 });
    const t = new Stage2Tables(r.m, 12, 25, 1, POOL);
    t.map(IPA_CODE, CODE);
    t.install();
    r.c.setSysreg('HCR_EL2', HCR_RW | HCR_DC);
    r.c.pc = IPA_CODE;
    r.c.stateChanged();
    r.run();
    expect(r.finished).toBe(true);
    expect(r.c.translate(IPA_CODE)).toBe(CODE);
  });

  it('HCR_EL2.TGE turns stage 2 off for EL0: with VM set and nothing mapped, EL0 runs from its PA', () => {
    const r = new Rig([], { el: 0 });
    new Stage2Tables(r.m, 12, 25, 1, POOL).install();
    r.c.setSysreg('HCR_EL2', HCR_RW | HCR_VM | HCR_TGE);
    r.c.stateChanged();
    r.run();
    expect(r.finished).toBe(true);
    r.c.setSysreg('HCR_EL2', HCR_RW | HCR_VM);
    r.c.pc = CODE;
    r.c.stateChanged();
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 }); // the same fetch through stage 2: a stage-2 fault
  });
});

describe('Realm stage 2 (D8.3 NS bit 55, D8.4 R YMCSL)', () => {
  it('NS = 1 outputs to the Non-secure PAS: loads pass, instruction fetches are stage-2 permission faults', () => {
    const { r, t } = guest([ldr(5, 1)], (r) => {
      const t = codeAt(12, 25, 1)(r);
      t.map(IPA_DATA, DATA, { ns: true });
      t.map(IPA_DATA + 0x1000n, CODE, { ns: true });
      r.c.setX(1, IPA_DATA);
      return t;
    }, { security: 'realm' });
    r.write64(DATA, 0x77n);
    r.run();
    expect(r.finished).toBe(true);
    expect(r.c.x(5)).toBe(0x77n);
    r.c.translate(IPA_CODE);
    expect(r.c.ex.last_walk_pas()).toBe(3); // the code page: Realm
    r.c.translate(IPA_DATA);
    expect(r.c.ex.last_walk_pas()).toBe(1); // Non-secure
    expect(t.root).toBeDefined();
    r.c.pc = IPA_DATA + 0x1000n;
    r.run();
    expect(r.ec(2)).toBe(EC_IABT_LOWER);
    expect(r.iss(2) & 0x3f).toBe(0x0f);
  });
});

// GPT for the GPC tests: 4 GB protected, 4 KB granules, every granule Non-secure except `root` granules
const GPT_L0 = 0x8380_0000n, GPT_L1 = 0x8382_0000n;
function gpt(r: Rig, rootGranules: bigint[], gpccrExtra = 0n) {
  const w = (pa: bigint, v: bigint) => r.write64(pa, v);
  w(GPT_L0, (0xfn << 4n) | 1n);
  w(GPT_L0 + 8n, (0xfn << 4n) | 1n);
  w(GPT_L0 + 16n, GPT_L1 | 3n);
  w(GPT_L0 + 24n, (0xfn << 4n) | 1n);
  const table = new Uint8Array(16384 * 8);
  const dv = new DataView(table.buffer);
  for (let i = 0; i < 16384; i++) dv.setBigUint64(i * 8, 0x9999_9999_9999_9999n, true);
  const set = (g: bigint, gpi: bigint) => {
    const i = Number((g - 0x8000_0000n) >> 16n);
    const nib = Number((g >> 12n) & 15n);
    const d = dv.getBigUint64(i * 8, true);
    dv.setBigUint64(i * 8, (d & ~(0xfn << BigInt(4 * nib))) | (gpi << BigInt(4 * nib)), true);
  };
  for (const g of rootGranules) set(g, 0xan);
  set(VBAR[3], 0xfn); // EL3's vectors: any PAS, so Root can fetch them
  r.m.writePhysical(GPT_L1, table);
  r.c.setSysreg('GPTBR_EL3', GPT_L0 >> 12n);
  r.c.setSysreg('GPCCR_EL3', 0x3500n | (1n << 16n) | gpccrExtra);
}

describe('the GPC on stage 2 (D9.1, D1.4.5.3, GPCCR_EL3.GPCP)', () => {
  function withTables(gpccrExtra: bigint, level: number) {
    const { r, t } = guest([ldr(5, 1)], (r) => {
      const t = codeAt(12, 25, 1)(r);
      t.map(IPA_DATA, DATA);
      r.c.setX(1, IPA_DATA);
      return t;
    });
    // Make the stage-2 table that `level` reads for IPA_DATA a Root granule
    const table = t.slot(IPA_DATA, level) & ~0xfffn;
    gpt(r, [table], gpccrExtra);
    r.c.stateChanged();
    return { r, t, table };
  }

  it('a GPF on a stage-2 table fetch is a stage-2 abort to EL2: FSC 0x24 + level, HPFAR_EL2', () => {
    const { r } = withTables(0n, 3);
    r.run();
    expect(r.vector?.el).toBe(2);
    expect(r.ec(2)).toBe(EC_DABT_LOWER);
    expect(r.iss(2) & 0x3f).toBe(0x24 + 3);
    expect((r.iss(2) >> 24) & 1).toBe(0); // no instruction syndrome for a fault on a walk
    expect(r.c.sysreg('HPFAR_EL2')).toBe((IPA_DATA >> 12n) << 4n);
  });

  it('with SCR_EL3.GPF the same GPF is a GPC exception to EL3 with MFAR_EL3 and HPFAR_EL2', () => {
    const { r, table } = withTables(0n, 2); // the level-2 table serves the code's IPA too: the fetch faults
    r.c.setSysreg('SCR_EL3', r.c.sysreg('SCR_EL3') | (1n << 48n));
    r.c.stateChanged();
    r.run();
    expect(r.vector?.el).toBe(3);
    expect(r.ec(3)).toBe(0x1e);
    expect(r.c.sysreg('MFAR_EL3')).toBe((1n << 63n) | table); // the Non-secure PAS
    expect((r.iss(3) >> 21) & 1).toBe(1); // S2PTW
    expect((r.iss(3) >> 20) & 1).toBe(1); // InD: the instruction fetch
    expect((r.iss(3) >> 14) & 0x3f).toBe(0x0d); // GPCSC: GPF at GPT level 1
    expect((r.iss(3) >> 7) & 1).toBe(0); // not for a stage-1 walk
    expect(r.iss(3) & 0x3f).toBe(0x24 + 2);
    expect(r.c.sysreg('HPFAR_EL2')).toBe((IPA_CODE >> 12n) << 4n);
  });

  it('GPCCR_EL3.GPCP = 1 skips the GPC on fetches of stage-2 Table descriptors, not of Page descriptors', () => {
    const tableLevel = withTables(1n << 17n, 2); // the level-2 table holds a Table descriptor for IPA_DATA
    tableLevel.r.write64(DATA, 0x55n);
    tableLevel.r.run();
    expect(tableLevel.r.finished).toBe(true);
    expect(tableLevel.r.c.x(5)).toBe(0x55n);
    const pageLevel = withTables(1n << 17n, 3); // the level-3 table holds the Page descriptor
    pageLevel.r.run();
    expect(pageLevel.r.iss(2) & 0x3f).toBe(0x24 + 3);
  });

  it('the final PA of both stages is checked: a Root granule behind a mapped IPA is a GPF', () => {
    const { r } = guest([ldr(5, 1)], (r) => {
      const t = codeAt(12, 25, 1)(r);
      t.map(IPA_DATA, DATA);
      r.c.setX(1, IPA_DATA);
      return t;
    });
    gpt(r, [DATA]);
    r.c.stateChanged();
    r.run();
    expect(r.vector?.el).toBe(1); // a GPF on the access itself goes to EL1 (HCR_EL2.GPF = 0)
    expect(r.iss(1) & 0x3f).toBe(0x28);
  });
});

describe('TLB entries are tagged with the VMID and TLBIs keep what is outside their scope (D8.17.5)', () => {
  // EL1 loads two data pages, then HVC to EL2 (whose own fetch entries exist), where the test runs a TLBI
  function filled(vmid = 5) {
    const { r, t } = guest([ldr(5, 1), ldr(6, 2), HVC], (r) => {
      const t = codeAt(12, 25, 1)(r);
      t.map(IPA_DATA, DATA);
      t.map(IPA_DATA + 0x1000n, DATA + 0x1000n);
      r.c.setX(1, IPA_DATA);
      r.c.setX(2, IPA_DATA + 0x1000n);
      return t;
    }, { vmid });
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    return { r, t };
  }
  const at2 = (r: Rig, words: number[]) => {
    r.put(CODE + 0x2000n, [...words, END]);
    r.c.pc = CODE + 0x2000n;
    r.run();
    expect(r.finished).toBe(true);
  };
  const el1Entry = (r: Rig, va: bigint) => r.c.tlbEntry(1, 0, va);

  it('entries made under stage 2 carry the VMID and the PA of both stages', () => {
    const { r } = filled(5);
    expect(el1Entry(r, IPA_DATA)).toEqual({ pa: DATA, asid: 0, vmid: 5 });
  });

  it('16-bit VMIDs with VTCR_EL2.VS', () => {
    const { r, t } = guest([ldr(5, 1)], (r) => {
      const t = codeAt(12, 25, 1)(r);
      t.map(IPA_DATA, DATA);
      r.c.setX(1, IPA_DATA);
      return t;
    });
    r.c.setSysreg('VTCR_EL2', t.vtcr() | (1n << 19n));
    r.c.setSysreg('VTTBR_EL2', t.vttbr(0x1234));
    r.c.stateChanged();
    r.run();
    expect(el1Entry(r, IPA_DATA)?.vmid).toBe(0x1234);
  });

  it('IPAS2E1 alone keeps combined entries; IPAS2E1 then VMALLE1 removes them; EL2 entries stay', () => {
    const { r } = filled();
    r.c.setX(3, IPA_DATA >> 12n);
    at2(r, [tlbi(4, 4, 1, 3), tlbi(4, 0, 5, 3)]); // IPAS2E1, IPAS2LE1IS
    expect(el1Entry(r, IPA_DATA)).toBeDefined();
    at2(r, [tlbi(0, 7, 0)]); // VMALLE1
    expect(el1Entry(r, IPA_DATA)).toBeUndefined();
    expect(el1Entry(r, IPA_DATA + 0x1000n)).toBeUndefined();
    expect(r.c.tlbEntry(2, 2, CODE + 0x2000n)).toBeDefined();
  });

  it.each([
    ['VMALLS12E1', [4, 7, 6]], ['VMALLS12E1IS', [4, 3, 6]], ['VMALLS12E1OS', [4, 1, 6]],
    ['ALLE1', [4, 7, 4]], ['ALLE1IS', [4, 3, 4]],
  ])('%s removes the EL1&0 entries and keeps the EL2 ones', (_, [op1, crm, op2]) => {
    const { r } = filled();
    at2(r, [tlbi(op1, crm, op2)]);
    expect(el1Entry(r, IPA_DATA)).toBeUndefined();
    expect(r.c.tlbEntry(2, 2, CODE + 0x2000n)).toBeDefined();
  });

  it('ALLE2 removes the EL2 entries and keeps the EL1&0 ones', () => {
    const { r } = filled();
    at2(r, [tlbi(4, 7, 0)]);
    expect(el1Entry(r, IPA_DATA)).toBeDefined();
    expect(r.c.tlbEntry(2, 2, CODE + 0x2000n)?.pa).toBe(CODE + 0x2000n); // re-filled by the END fetch
  });

  it('VAE1 from EL2 removes one page of the current VMID and keeps its neighbour', () => {
    const { r } = filled();
    r.c.setX(3, IPA_DATA >> 12n);
    at2(r, [tlbi(0, 7, 1, 3)]);
    expect(el1Entry(r, IPA_DATA)).toBeUndefined();
    expect(el1Entry(r, IPA_DATA + 0x1000n)).toBeDefined();
  });

  it('HCR_EL2.TTLB traps TLBI at EL1 to EL2 (EC 0x18) and removes nothing', () => {
    const { r } = guest([ldr(5, 1), tlbi(0, 7, 0)], (r) => {
      const t = codeAt(12, 25, 1)(r);
      t.map(IPA_DATA, DATA);
      r.c.setX(1, IPA_DATA);
      return t;
    }, { hcr: HCR_TTLB });
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.ec(2)).toBe(0x18);
    expect(el1Entry(r, IPA_DATA)).toBeDefined();
  });

  it('a VTTBR_EL2 write (a VMID switch) leaves no entry of the old VMID usable', () => {
    const { r, t } = filled(5);
    r.c.setX(3, t.vttbr(6));
    at2(r, [msr('VTTBR_EL2', 3)]);
    expect(el1Entry(r, IPA_DATA)).toBeUndefined();
  });
});
