// MRS/MSR access rules, traps and computed registers (Arm ARM D23 "System register encoding space", D24
// register descriptions and their accessibility pseudocode, D12 Generic Timer), the ID registers against
// what the core implements, and the system instructions DC ZVA, AT and TLBI (C5.3-C5.5). One test per rule.
import { describe, it, expect } from 'vitest';
import { Rig, CODE, DATA, VBAR } from '../helpers/rig.js';
import {
  asm, END, NOP, mrs, msr, msrImm, mov64, addImm, sysregFields, dcZva, atS1E1R, atS1E0R, sys, tlbiVmalle1,
} from '../helpers/asm.js';
import { PageTables } from '../helpers/pagetable.js';
import type { SysregName } from '../../src/isa/sysregs.gen.js';
import { Exit } from '../../src/core/core.js';
import { identityStage2 } from '../helpers/stage2.js';

const at = Rig.at;
const UNDEF = (1n << 25n); // ESR of an UNDEFINED instruction: EC 0, IL 1
const S2_POOL = 0x83f0_0000n; // an identity stage 2 for the HCR_EL2.DC tests, near the top of the rig's RAM
const HCR_TGE = 1n << 27n, HCR_TID3 = 1n << 18n, HCR_DC = 1n << 12n, HCR_RW = 1n << 31n;
const SCR_RW = 1n << 10n;
const SCTLR_UMA = 1n << 9n, SCTLR_DZE = 1n << 14n, SCTLR_UCT = 1n << 15n, SCTLR_M = 1n, SCTLR_SPAN = 1n << 23n;
const KCTL_EL0PCTEN = 1n, KCTL_EL0VCTEN = 2n;
const PAN = 1n << 22n;

/** ISS of a trapped MSR/MRS/SYS (EC 0x18): Op0, Op2, Op1, CRn, Rt, CRm, Direction (D24.2.45). */
function sysIss(f: { op0: number; op1: number; crn: number; crm: number; op2: number }, rt: number, read: boolean): number {
  return (f.op0 << 20) | (f.op2 << 17) | (f.op1 << 14) | (f.crn << 10) | (rt << 5) | (f.crm << 1) | (read ? 1 : 0);
}
const esr18 = (iss: number) => (0x18n << 26n) | (1n << 25n) | BigInt(iss);

function set(r: Rig, name: SysregName, bits: bigint, clear = 0n): void {
  r.c.setSysreg(name, (r.c.sysreg(name) & ~clear) | bits);
  r.c.stateChanged();
}

/** Runs `words` at `el` and expects the n-th word to be UNDEFINED (taken at `target`, Xt untouched). */
function expectUndefined(words: number[], el: 0 | 1 | 2 | 3, n: number, setup?: (r: Rig) => void, target = el === 0 ? 1 : el) {
  const r = new Rig(words, { el, security: el === 3 ? 'ns' : undefined });
  for (let i = 0; i < 31; i++) r.c.setX(i, 0xdead_0000n + BigInt(i));
  setup?.(r);
  r.run();
  expect(r.vector).toEqual({ el: target, offset: el < target ? 0x400 : 0x200 });
  expect(r.esr(target as 1 | 2 | 3)).toBe(UNDEF);
  expect(r.elr(target as 1 | 2 | 3)).toBe(at(n));
  return r;
}

describe('MRS/MSR: the lowest EL that may access a register', () => {
  it('EL1 reading an _EL2 register is UNDEFINED and leaves Xt unchanged', () => {
    const r = expectUndefined([mrs(5, 'HCR_EL2')], 1, 0);
    expect(r.c.x(5)).toBe(0xdead_0005n);
  });
  it('EL1 writing an _EL2 register is UNDEFINED and the register keeps its value', () => {
    const r = expectUndefined([msr('VBAR_EL2', 1)], 1, 0);
    expect(r.c.sysreg('VBAR_EL2')).toBe(VBAR[2]);
  });
  it('EL2 reading an _EL3 register is UNDEFINED', () => {
    expectUndefined([mrs(1, 'SCR_EL3')], 2, 0);
  });
  it('EL2 writing an _EL3 register is UNDEFINED', () => {
    expectUndefined([msr('SCR_EL3', 1)], 2, 0);
  });
  it('EL0 reading an _EL1 register is UNDEFINED (taken to EL1)', () => {
    expectUndefined([mrs(1, 'SCTLR_EL1')], 0, 0);
  });
  it('EL0 accesses to EL1 registers are UNDEFINED to EL2 when HCR_EL2.TGE is 1', () => {
    expectUndefined([mrs(1, 'SCTLR_EL1')], 0, 0, (r) => set(r, 'HCR_EL2', HCR_TGE), 2);
  });
  it('EL3 reads and writes registers of every EL', () => {
    const r = new Rig([...mov64(1, 0x1234_5000n), msr('VBAR_EL2', 1), mrs(2, 'VBAR_EL2'), mrs(3, 'HCR_EL2'), mrs(4, 'SCTLR_EL1')], { el: 3, security: 'ns' });
    r.run();
    expect(r.finished).toBe(true);
    expect(r.c.x(2)).toBe(0x1234_5000n);
  });
});

describe('MRS/MSR: read-only and unallocated registers', () => {
  it.each(['MIDR_EL1', 'MPIDR_EL1', 'REVIDR_EL1', 'ID_AA64PFR0_EL1', 'ID_AA64ISAR0_EL1', 'ID_AA64MMFR0_EL1', 'CLIDR_EL1', 'CTR_EL0', 'DCZID_EL0', 'CurrentEL', 'ISR_EL1', 'CNTPCT_EL0', 'CNTVCT_EL0'] as SysregName[])(
    'MSR to the read-only %s is UNDEFINED and changes nothing', (name) => {
      const r = new Rig([msr(name, 1)], { el: 1 });
      const before = r.c.sysreg(name);
      r.c.setX(1, 0x5a5a_5a5an);
      r.run();
      expect(r.vector).toEqual({ el: 1, offset: 0x200 });
      expect(r.esr(1)).toBe(UNDEF);
      expect(r.c.sysreg(name)).toBe(before);
    });

  it('MSR to a read-only register at EL0 is UNDEFINED even where the EL0 control would trap the read', () => {
    for (const [name, setup] of [
      ['CTR_EL0', (r: Rig) => set(r, 'SCTLR_EL1', 0n, SCTLR_UCT)],
      ['CNTPCT_EL0', (r: Rig) => r.c.setSysreg('CNTKCTL_EL1', 0n)],
      ['CNTVCT_EL0', (r: Rig) => r.c.setSysreg('CNTKCTL_EL1', 0n)],
    ] as const) {
      const r = new Rig([msr(name, 1)], { el: 0 });
      setup(r);
      r.run();
      expect([name, r.esr(1)]).toEqual([name, UNDEF]);
    }
  });

  it('MRS of OSLAR_EL1 (write-only) is UNDEFINED', () => {
    expectUndefined([mrs(1, 'OSLAR_EL1')], 1, 0);
  });

  it.each(['3.0.0.1.0', '3.0.0.3.7', '3.0.0.4.7', '3.0.0.7.7'])('MRS of the unallocated ID encoding %s reads as zero at EL1', (enc) => {
    const r = new Rig([mrs(4, enc)], { el: 1 });
    r.c.setX(4, 0x55n);
    r.run();
    expect(r.finished).toBe(true);
    expect(r.c.x(4)).toBe(0n);
  });

  it('MRS of an unallocated ID encoding is UNDEFINED at EL0', () => {
    expectUndefined([mrs(4, '3.0.0.7.7')], 0, 0);
  });

  it('MSR to an unallocated ID encoding is UNDEFINED', () => {
    expectUndefined([msr('3.0.0.7.7', 4)], 1, 0);
  });

  it('MRS of an unallocated encoding outside the ID space is UNDEFINED', () => {
    expectUndefined([mrs(4, '3.0.1.0.7')], 1, 0);
  });
});

describe('HCR_EL2.TID3', () => {
  it('traps EL1 reads of ID group 3 registers to EL2 with EC 0x18 and the exact ISS; ELR is the MRS', () => {
    const r = new Rig([NOP, mrs(7, 'ID_AA64MMFR0_EL1')], { el: 1 });
    set(r, 'HCR_EL2', HCR_TID3);
    r.c.setX(7, 0x77n);
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.esr(2)).toBe(esr18(sysIss(sysregFields('ID_AA64MMFR0_EL1'), 7, true)));
    expect(r.elr(2)).toBe(at(1));
    expect(r.c.x(7)).toBe(0x77n);
  });

  it('traps the AArch32 ID registers too (ID_PFR0_EL1 is in group 3 even where it reads as zero)', () => {
    const r = new Rig([mrs(2, '3.0.0.1.0')], { el: 1 });
    set(r, 'HCR_EL2', HCR_TID3);
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.esr(2)).toBe(esr18(sysIss(sysregFields('3.0.0.1.0'), 2, true)));
  });

  it('does not trap MIDR_EL1 (not group 3) nor reads at EL2', () => {
    const r1 = new Rig([mrs(1, 'MIDR_EL1')], { el: 1 });
    set(r1, 'HCR_EL2', HCR_TID3);
    r1.run();
    expect(r1.finished).toBe(true);
    const r2 = new Rig([mrs(1, 'ID_AA64PFR0_EL1')], { el: 2 });
    set(r2, 'HCR_EL2', HCR_TID3);
    r2.run();
    expect(r2.finished).toBe(true);
  });

  it('does not trap in Secure state, where EL2 is not enabled', () => {
    const r = new Rig([mrs(1, 'ID_AA64PFR0_EL1')], { el: 1, security: 'secure' });
    set(r, 'HCR_EL2', HCR_TID3);
    r.run();
    expect(r.finished).toBe(true);
  });
});

describe('EL0 access controls in SCTLR_EL1 and CNTKCTL_EL1', () => {
  function el0(words: number[], setup: (r: Rig) => void): Rig {
    const r = new Rig(words, { el: 0 });
    setup(r);
    r.run();
    return r;
  }

  it('SCTLR_EL1.UMA = 0: MRS DAIF at EL0 traps to EL1 with EC 0x18', () => {
    const r = el0([mrs(3, 'DAIF')], (r) => set(r, 'SCTLR_EL1', 0n, SCTLR_UMA));
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
    expect(r.esr(1)).toBe(esr18(sysIss(sysregFields('DAIF'), 3, true)));
  });

  it('SCTLR_EL1.UMA = 0: MSR DAIFSet at EL0 traps with the syndrome of MSR (immediate): Op0 = 0, Rt = 31', () => {
    const r = el0([msrImm('DAIFSet', 0b0010)], (r) => {
      set(r, 'SCTLR_EL1', 0n, SCTLR_UMA);
      r.c.pstate = 0n; // EL0, DAIF clear
      r.c.stateChanged();
    });
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
    expect(r.esr(1)).toBe(esr18(sysIss({ op0: 0, op1: 3, crn: 4, crm: 0b0010, op2: 6 }, 31, false)));
    expect(r.spsr(1) & (0xfn << 6n)).toBe(0n);
  });

  it('SCTLR_EL1.UMA = 1: EL0 reads DAIF and masks IRQ with DAIFSet', () => {
    const r = el0([msrImm('DAIFSet', 0b0010), mrs(3, 'DAIF')], (r) => {
      set(r, 'SCTLR_EL1', SCTLR_UMA);
      r.c.pstate = 0n;
      r.c.stateChanged();
    });
    expect(r.finished).toBe(true);
    expect(r.c.x(3)).toBe(0b0010n << 6n);
  });

  it('SCTLR_EL1.UCT gates EL0 reads of CTR_EL0', () => {
    const off = el0([mrs(1, 'CTR_EL0')], (r) => set(r, 'SCTLR_EL1', 0n, SCTLR_UCT));
    expect(off.vector).toEqual({ el: 1, offset: 0x400 });
    expect(off.esr(1)).toBe(esr18(sysIss(sysregFields('CTR_EL0'), 1, true)));
    const on = el0([mrs(1, 'CTR_EL0')], (r) => set(r, 'SCTLR_EL1', SCTLR_UCT));
    expect(on.finished).toBe(true);
    expect(on.c.x(1) >> 31n).toBe(1n); // bit 31 is RES1
  });

  it('SCTLR_EL1.DZE = 0: DC ZVA at EL0 traps to EL1 with EC 0x18 and the syndrome of the SYS instruction', () => {
    const r = el0([dcZva(5)], (r) => set(r, 'SCTLR_EL1', 0n, SCTLR_DZE));
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
    expect(r.esr(1)).toBe(esr18(sysIss({ op0: 1, op1: 3, crn: 7, crm: 4, op2: 1 }, 5, false)));
    expect(r.elr(1)).toBe(at(0));
  });

  it('DCZID_EL0.DZP reports the DZE prohibition at EL0, and is 0 at EL1', () => {
    const off = el0([mrs(1, 'DCZID_EL0')], (r) => set(r, 'SCTLR_EL1', 0n, SCTLR_DZE));
    expect(off.c.x(1)).toBe(0x10n | 4n);
    const on = el0([mrs(1, 'DCZID_EL0')], (r) => set(r, 'SCTLR_EL1', SCTLR_DZE));
    expect(on.c.x(1)).toBe(4n);
    const r = new Rig([mrs(1, 'DCZID_EL0')], { el: 1 });
    set(r, 'SCTLR_EL1', 0n, SCTLR_DZE);
    r.run();
    expect(r.c.x(1)).toBe(4n);
  });

  it('CNTKCTL_EL1.EL0VCTEN gates EL0 reads of CNTVCT_EL0', () => {
    const off = el0([mrs(1, 'CNTVCT_EL0')], (r) => r.c.setSysreg('CNTKCTL_EL1', KCTL_EL0PCTEN));
    expect(off.vector).toEqual({ el: 1, offset: 0x400 });
    expect(off.esr(1)).toBe(esr18(sysIss(sysregFields('CNTVCT_EL0'), 1, true)));
    const on = el0([mrs(1, 'CNTVCT_EL0')], (r) => r.c.setSysreg('CNTKCTL_EL1', KCTL_EL0VCTEN));
    expect(on.finished).toBe(true);
  });

  it('CNTKCTL_EL1.EL0PCTEN gates EL0 reads of CNTPCT_EL0', () => {
    const off = el0([mrs(1, 'CNTPCT_EL0')], (r) => r.c.setSysreg('CNTKCTL_EL1', KCTL_EL0VCTEN));
    expect(off.vector).toEqual({ el: 1, offset: 0x400 });
    expect(off.ec(1)).toBe(0x18);
    const on = el0([mrs(1, 'CNTPCT_EL0')], (r) => r.c.setSysreg('CNTKCTL_EL1', KCTL_EL0PCTEN));
    expect(on.finished).toBe(true);
  });

  it('EL0 reads CNTFRQ_EL0 when either EL0PCTEN or EL0VCTEN is set, and traps when neither is', () => {
    const off = el0([mrs(1, 'CNTFRQ_EL0')], (r) => r.c.setSysreg('CNTKCTL_EL1', 0n));
    expect(off.ec(1)).toBe(0x18);
    const on = el0([mrs(1, 'CNTFRQ_EL0')], (r) => r.c.setSysreg('CNTKCTL_EL1', KCTL_EL0VCTEN));
    expect(on.c.x(1)).toBe(100_000_000n);
  });

  it('CNTKCTL_EL1.EL0PTEN and EL0VTEN gate EL0 accesses to the physical and virtual timer registers', () => {
    const p = el0([mrs(1, 'CNTP_CTL_EL0')], (r) => r.c.setSysreg('CNTKCTL_EL1', 3n | (1n << 8n))); // not EL0PTEN
    expect(p.vector).toEqual({ el: 1, offset: 0x400 });
    expect(p.esr(1)).toBe(esr18(sysIss(sysregFields('CNTP_CTL_EL0'), 1, true)));
    const v = el0([msr('CNTV_CVAL_EL0', 1)], (r) => r.c.setSysreg('CNTKCTL_EL1', 3n | (1n << 9n))); // not EL0VTEN
    expect(v.esr(1)).toBe(esr18(sysIss(sysregFields('CNTV_CVAL_EL0'), 1, false)));
    const ok = el0([mrs(1, 'CNTP_CTL_EL0'), msr('CNTV_CVAL_EL0', 1)], (r) => r.c.setSysreg('CNTKCTL_EL1', 3n << 8n));
    expect(ok.finished).toBe(true);
  });

  it('EL0 traps go to EL2 when HCR_EL2.TGE is 1', () => {
    const r = el0([mrs(1, 'CNTVCT_EL0')], (r) => {
      r.c.setSysreg('CNTKCTL_EL1', 0n);
      set(r, 'HCR_EL2', HCR_TGE);
    });
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.ec(2)).toBe(0x18);
  });

  it('TPIDRRO_EL0 is readable at EL0, writable at EL1, and an EL0 write is UNDEFINED', () => {
    const r = el0([mrs(1, 'TPIDRRO_EL0')], (r) => r.c.setSysreg('TPIDRRO_EL0', 0xabcn));
    expect(r.c.x(1)).toBe(0xabcn);
    expectUndefined([msr('TPIDRRO_EL0', 1)], 0, 0);
    const w = new Rig([...mov64(1, 0x777n), msr('TPIDRRO_EL0', 1)], { el: 1 });
    w.run();
    expect(w.c.sysreg('TPIDRRO_EL0')).toBe(0x777n);
  });

  it('TPIDR_EL0 is read/write at EL0', () => {
    const r = el0([...mov64(1, 0x4242n), msr('TPIDR_EL0', 1), mrs(2, 'TPIDR_EL0')], () => {});
    expect(r.c.x(2)).toBe(0x4242n);
  });
});

describe('identification registers seen at EL1', () => {
  it('MPIDR_EL1 and MIDR_EL1 read VMPIDR_EL2 and VPIDR_EL2 at Non-secure EL1', () => {
    const r = new Rig([mrs(1, 'MPIDR_EL1'), mrs(2, 'MIDR_EL1')], { el: 1 });
    r.c.setSysreg('VMPIDR_EL2', 0x8000_0102n);
    r.c.setSysreg('VPIDR_EL2', 0x410f_d0c0n);
    r.run();
    expect(r.c.x(1)).toBe(0x8000_0102n);
    expect(r.c.x(2)).toBe(0x410f_d0c0n);
  });

  it('EL2 reads the real MPIDR_EL1 and MIDR_EL1', () => {
    const r = new Rig([mrs(1, 'MPIDR_EL1'), mrs(2, 'MIDR_EL1')], { el: 2 });
    r.c.setSysreg('VMPIDR_EL2', 0x8000_0102n);
    r.c.setSysreg('VPIDR_EL2', 0x410f_d0c0n);
    r.run();
    expect(r.c.x(1)).toBe(0x8000_0000n);
    expect(r.c.x(2)).toBe(0x000f_cca0n);
  });

  it('Secure EL1 (EL2 not enabled) reads the real MPIDR_EL1', () => {
    const r = new Rig([mrs(1, 'MPIDR_EL1')], { el: 1, security: 'secure' });
    r.c.setSysreg('VMPIDR_EL2', 0x8000_0102n);
    r.run();
    expect(r.c.x(1)).toBe(0x8000_0000n);
  });
});

describe('PSTATE fields', () => {
  it('MSR SPSel, #0 / #1 switch SP between SP_EL0 and SP_EL1', () => {
    const r = new Rig([addImm(0, 31, 0), msrImm('SPSel', 0), addImm(1, 31, 0), msrImm('SPSel', 1), addImm(2, 31, 0), mrs(3, 'SPSel')], { el: 1 });
    r.c.sp = 0x8000_1110n;
    r.c.setSpBank(0, 0x8000_2220n);
    r.run();
    expect(r.finished).toBe(true);
    expect([r.c.x(0), r.c.x(1), r.c.x(2), r.c.x(3)]).toEqual([0x8000_1110n, 0x8000_2220n, 0x8000_1110n, 1n]);
  });

  it('MSR SPSel, Xt (register form) switches the stack pointer too', () => {
    const r = new Rig([msr('SPSel', 31), addImm(1, 31, 0)], { el: 2 });
    r.c.sp = 0x8000_1110n;
    r.c.setSpBank(0, 0x8000_2220n);
    r.run();
    expect(r.c.x(1)).toBe(0x8000_2220n);
    expect(r.c.pstate & 1n).toBe(0n);
  });

  it('MRS SP_EL0 reads the banked SP_EL0 while SPSel is 1', () => {
    const r = new Rig([mrs(1, 'SP_EL0')], { el: 1 });
    r.c.setSpBank(0, 0x8000_2220n);
    r.run();
    expect(r.c.x(1)).toBe(0x8000_2220n);
  });

  it('MRS SP_EL0 while SPSel is 0 is UNDEFINED and Xt keeps its value', () => {
    const r = new Rig([NOP, mrs(5, 'SP_EL0')], { el: 1, spsel: 0 });
    r.c.setX(5, 0x55n);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x000 }); // current EL with SP_EL0
    expect(r.esr(1)).toBe(UNDEF);
    expect(r.elr(1)).toBe(at(1));
    expect(r.c.x(5)).toBe(0x55n);
  });

  it('MSR SP_EL0 while SPSel is 0 is UNDEFINED and SP keeps its value', () => {
    const r = new Rig([msr('SP_EL0', 5)], { el: 1, spsel: 0 });
    r.c.sp = 0x8000_1110n;
    r.c.setX(5, 0x8000_3330n);
    r.put(VBAR[1], [mrs(1, 'SP_EL0'), END]); // the handler runs on SP_EL1 and reads SP_EL0
    r.run();
    expect(r.c.pc).toBe(VBAR[1] + 8n);
    expect(r.esr(1)).toBe(UNDEF);
    expect(r.c.x(1)).toBe(0x8000_1110n);
  });

  it('MSR SPSel at EL0 is UNDEFINED', () => {
    expectUndefined([msrImm('SPSel', 1)], 0, 0);
  });

  it('MSR DAIFSet and DAIFClr set and clear exactly the named bits; MRS DAIF reads them', () => {
    const r = new Rig([msrImm('DAIFSet', 0b1010), mrs(0, 'DAIF'), msrImm('DAIFClr', 0b1000), mrs(1, 'DAIF')], { el: 1, daif: 0 });
    r.run();
    expect(r.c.x(0)).toBe(0b1010n << 6n);
    expect(r.c.x(1)).toBe(0b0010n << 6n);
  });

  it('MSR DAIF, Xt writes bits 9:6 only', () => {
    const r = new Rig([...mov64(1, 0xffff_ffffn), msr('DAIF', 1), mrs(2, 'DAIF')], { el: 1, daif: 0 });
    r.run();
    expect(r.c.x(2)).toBe(0xfn << 6n);
    expect(r.c.pstate & 0x1fn).toBe(0b0101n);
  });

  it('MSR PAN, #1 sets PSTATE.PAN and MRS PAN reads it', () => {
    const r = new Rig([msrImm('PAN', 1), mrs(0, 'PAN'), msrImm('PAN', 0), mrs(1, 'PAN')], { el: 1 });
    r.run();
    expect(r.c.x(0)).toBe(PAN);
    expect(r.c.x(1)).toBe(0n);
  });

  it('MSR PAN at EL0 is UNDEFINED', () => {
    expectUndefined([msrImm('PAN', 1)], 0, 0);
  });

  it('MSR UAO (FEAT_UAO not implemented) is UNDEFINED', () => {
    expectUndefined([msrImm('UAO', 1)], 1, 0);
  });

  it.each([1, 2, 3] as const)('CurrentEL reads EL%i in bits 3:2', (el) => {
    const r = new Rig([mrs(0, 'CurrentEL')], { el, security: el === 3 ? 'ns' : undefined });
    r.run();
    expect(r.c.x(0)).toBe(BigInt(el << 2));
  });

  it('CurrentEL is not accessible at EL0', () => {
    expectUndefined([mrs(0, 'CurrentEL')], 0, 0);
  });

  it('SCR_EL3.RW and HCR_EL2.RW are RAO/WI: no EL below EL3 can use AArch32', () => {
    const r3 = new Rig([msr('SCR_EL3', 31), mrs(1, 'SCR_EL3')], { el: 3, security: 'ns' });
    r3.run();
    expect(r3.c.x(1)).toBe(SCR_RW);
    const r2 = new Rig([msr('HCR_EL2', 31), mrs(1, 'HCR_EL2')], { el: 2 });
    r2.run();
    expect(r2.c.x(1)).toBe(HCR_RW);
  });
});

describe('Generic Timer registers', () => {
  it('CNTVCT_EL0 = CNTPCT_EL0 - CNTVOFF_EL2, and both count executed instructions', () => {
    const r = new Rig([mrs(0, 'CNTPCT_EL0'), mrs(1, 'CNTVCT_EL0'), NOP, NOP, NOP, mrs(2, 'CNTPCT_EL0'), mrs(3, 'CNTVCT_EL0')], { el: 1 });
    r.c.setSysreg('CNTVOFF_EL2', 1000n);
    r.run();
    const [p0, v0, p1, v1] = [0, 1, 2, 3].map((i) => r.c.x(i));
    expect(v0).toBe(BigInt.asUintN(64, p0 + 1n - 1000n));
    expect(p1 - p0).toBe(5n);
    expect(v1 - v0).toBe(5n);
  });

  it('the virtual offset applies in Secure state too (EL2 implemented, D24.10.28)', () => {
    const r = new Rig([mrs(0, 'CNTPCT_EL0'), mrs(1, 'CNTVCT_EL0')], { el: 1, security: 'secure' });
    r.c.setSysreg('CNTVOFF_EL2', 1000n);
    r.run();
    expect(r.c.x(1)).toBe(BigInt.asUintN(64, r.c.x(0) + 1n - 1000n));
  });

  it('the virtual offset applies at EL2 (no VHE)', () => {
    const r = new Rig([mrs(0, 'CNTPCT_EL0'), mrs(1, 'CNTVCT_EL0')], { el: 2 });
    r.c.setSysreg('CNTVOFF_EL2', 77n);
    r.run();
    expect(r.c.x(1)).toBe(BigInt.asUintN(64, r.c.x(0) + 1n - 77n));
  });

  it('a TVAL write sets CVAL = count + TVAL; reads give TVAL = CVAL - count and ISTATUS = 0 before the deadline', () => {
    const r = new Rig([
      ...mov64(1, 1n), msr('CNTV_CTL_EL0', 1), ...mov64(1, 100n),
      msr('CNTV_TVAL_EL0', 1), mrs(2, 'CNTV_CVAL_EL0'), mrs(3, 'CNTV_TVAL_EL0'), mrs(4, 'CNTV_CTL_EL0'), mrs(5, 'CNTVCT_EL0'),
    ], { el: 1 });
    r.c.setSysreg('CNTVOFF_EL2', BigInt.asUintN(64, -(1n << 40n))); // virtual count = instructions + 2^40
    r.run();
    const [cval, tval, ctl, now] = [2, 3, 4, 5].map((i) => r.c.x(i));
    expect(cval).toBe(now - 4n + 100n); // the TVAL write was 4 instructions before the CNTVCT read
    expect(tval).toBe(98n); // read 2 instructions after the write
    expect(ctl).toBe(1n); // ENABLE, ISTATUS clear
  });

  it('TVAL is a signed 32-bit write; reads are the low 32 bits of CVAL - count, zero-extended; ISTATUS = 1 once met', () => {
    const r = new Rig([
      ...mov64(1, 1n), msr('CNTV_CTL_EL0', 1), ...mov64(1, 0xffff_fff0n), // TVAL = -16
      msr('CNTV_TVAL_EL0', 1), mrs(2, 'CNTV_CVAL_EL0'), mrs(3, 'CNTV_TVAL_EL0'), mrs(4, 'CNTV_CTL_EL0'), mrs(5, 'CNTVCT_EL0'),
    ], { el: 1 });
    // A virtual count far from 0, so that CVAL = count - 16 does not wrap (the comparison is unsigned)
    r.c.setSysreg('CNTVOFF_EL2', BigInt.asUintN(64, -(1n << 40n)));
    r.run();
    const [cval, tval, ctl, now] = [2, 3, 4, 5].map((i) => r.c.x(i));
    expect(cval).toBe(now - 4n - 16n);
    expect(tval).toBe(BigInt.asUintN(32, cval - (now - 2n)));
    expect(ctl).toBe(5n); // ENABLE and ISTATUS
  });

  it('ISTATUS ignores IMASK and is read-only', () => {
    const r = new Rig([...mov64(1, 7n), msr('CNTP_CTL_EL0', 1), mrs(2, 'CNTP_CTL_EL0')], { el: 1 });
    r.c.setSysreg('CNTP_CVAL_EL0', 1n << 40n); // far in the future
    r.run();
    expect(r.c.x(2)).toBe(3n); // ENABLE and IMASK kept, the written ISTATUS dropped
  });

  it('CNTPS_*_EL1 (secure physical timer) are UNDEFINED at Non-secure EL1 and at EL2', () => {
    expectUndefined([mrs(1, 'CNTPS_CTL_EL1')], 1, 0);
    expectUndefined([msr('CNTPS_CVAL_EL1', 1)], 2, 0);
  });

  it('CNTPS_*_EL1 at Secure EL1 trap to EL3 unless SCR_EL3.ST is 1', () => {
    const trapped = new Rig([mrs(3, 'CNTPS_CTL_EL1')], { el: 1, security: 'secure' });
    trapped.run();
    expect(trapped.vector).toEqual({ el: 3, offset: 0x400 });
    expect(trapped.esr(3)).toBe(esr18(sysIss(sysregFields('CNTPS_CTL_EL1'), 3, true)));
    const allowed = new Rig([...mov64(1, 1n), msr('CNTPS_CTL_EL1', 1), mrs(3, 'CNTPS_CTL_EL1')], { el: 1, security: 'secure' });
    set(allowed, 'SCR_EL3', 1n << 11n);
    allowed.c.setSysreg('CNTPS_CVAL_EL1', 1n << 40n);
    allowed.run();
    expect(allowed.finished).toBe(true);
    expect(allowed.c.x(3)).toBe(1n);
  });

  it.each([1, 2] as const)('CNTFRQ_EL0 is not writable at EL%i (UNDEFINED)', (el) => {
    const r = expectUndefined([msr('CNTFRQ_EL0', 1)], el, 0);
    expect(r.c.sysreg('CNTFRQ_EL0')).toBe(100_000_000n);
  });

  it('CNTFRQ_EL0 is writable at EL3 and readable below', () => {
    const r = new Rig([...mov64(1, 24_000_000n), msr('CNTFRQ_EL0', 1), mrs(2, 'CNTFRQ_EL0')], { el: 3, security: 'ns' });
    r.run();
    expect(r.c.x(2)).toBe(24_000_000n);
  });
});

describe('ID registers report exactly what is implemented', () => {
  function readId(name: string): bigint {
    const r = new Rig([mrs(1, name)], { el: 1 });
    r.run();
    expect(r.finished).toBe(true);
    return r.c.x(1);
  }
  const field = (v: bigint, lo: number) => Number((v >> BigInt(lo)) & 0xfn);

  it('ID_AA64PFR0_EL1: EL0-EL3 AArch64 only, FP and AdvSIMD without half precision (0)', () => {
    const v = readId('ID_AA64PFR0_EL1');
    expect([0, 4, 8, 12].map((lo) => field(v, lo))).toEqual([1, 1, 1, 1]);
    expect(field(v, 16)).toBe(0);
    expect(field(v, 20)).toBe(0);
    expect(field(v, 24)).toBe(1); // GICv3 system register interface
    expect(field(v, 32)).toBe(0); // no SVE
  });

  it('ID_AA64PFR0_EL1.GIC = 1: the GIC CPU interface registers exit to the host, writes to read-only ones are UNDEFINED', () => {
    expect(field(readId('ID_AA64PFR0_EL1'), 24)).toBe(1);
    const r = new Rig([mrs(1, '3.0.12.12.5')], { el: 1 }); // ICC_SRE_EL1
    expect(r.run()).toBe(Exit.Sysreg);
    expect(r.c.exitArg).toBe(BigInt((3 << 14) | (12 << 7) | (12 << 3) | 5) | (1n << 16n) | (1n << 24n));
    expectUndefined([msr('3.0.12.12.0', 1)], 0, 0); // ICC_IAR1_EL1 is read-only
    expectUndefined([mrs(1, '3.0.12.12.1')], 1, 0); // ICC_EOIR1_EL1 is write-only
  });

  it('ID_AA64ISAR0_EL1 reports AES with PMULL (2), SHA1 (1), SHA256 (1), CRC32 (1), LSE atomics (2) and nothing else', () => {
    const v = readId('ID_AA64ISAR0_EL1');
    expect([4, 8, 12, 16, 20].map((lo) => field(v, lo))).toEqual([2, 1, 1, 1, 2]);
    expect(v).toBe((2n << 4n) | (1n << 8n) | (1n << 12n) | (1n << 16n) | (2n << 20n));
  });

  it('LSE: CAS executes (compares, stores, returns the old value)', () => {
    const r = new Rig([asm('CAS', { sz: 1, l: 0, rs: 1, o0: 0, rn: 3, rt: 2 })], { el: 1 });
    r.write64(DATA, 5n);
    r.c.setX(1, 5n);
    r.c.setX(2, 9n);
    r.c.setX(3, DATA);
    r.run();
    expect(r.finished).toBe(true);
    expect(r.read64(DATA)).toBe(9n);
    expect(r.c.x(1)).toBe(5n);
  });

  it('CRC32: CRC32B and CRC32CX execute with the right polynomials', () => {
    const crc = (poly: number, acc: number, value: bigint, bytes: number) => {
      let c = acc >>> 0;
      for (let i = 0; i < bytes; i++) {
        c ^= Number((value >> BigInt(8 * i)) & 0xffn);
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
      }
      return BigInt(c >>> 0);
    };
    const r = new Rig([asm('CRC32B', { rm: 2, rn: 1, rd: 3 }), asm('CRC32CX', { rm: 4, rn: 1, rd: 5 })], { el: 1 });
    r.c.setX(1, 0xffff_ffffn);
    r.c.setX(2, 0x61n);
    r.c.setX(4, 0x0123_4567_89ab_cdefn);
    r.run();
    expect(r.c.x(3)).toBe(crc(0xedb88320, 0xffffffff, 0x61n, 1));
    expect(r.c.x(5)).toBe(crc(0x82f63b78, 0xffffffff, 0x0123_4567_89ab_cdefn, 8));
  });

  it('ID_AA64ISAR1_EL1.LRCPC = 0: LDAPR is UNDEFINED', () => {
    expect(field(readId('ID_AA64ISAR1_EL1'), 20)).toBe(0);
    expectUndefined([0xf8bfc020], 1, 0); // LDAPR X0, [X1]: not in the encoding table
  });

  it('ID_AA64MMFR1_EL1.PAN = 1 and ID_AA64PFR0_EL1.DIT = 1: MSR DIT works at EL0', () => {
    expect(field(readId('ID_AA64MMFR1_EL1'), 20)).toBe(1);
    expect(field(readId('ID_AA64PFR0_EL1'), 48)).toBe(1);
    const r = new Rig([msrImm('DIT', 1), mrs(1, 'DIT')], { el: 0 });
    r.run();
    expect(r.c.x(1)).toBe(1n << 24n);
  });

  it('DCZID_EL0.BS = 4: DC ZVA zeroes 64 bytes; CTR_EL0 reports 64-byte lines', () => {
    expect(readId('DCZID_EL0')).toBe(4n);
    const ctr = readId('CTR_EL0');
    expect(field(ctr, 16)).toBe(4); // DminLine: 16 words
    expect(field(ctr, 0)).toBe(4); // IminLine
  });
});

describe('DC ZVA', () => {
  it('zeroes exactly the 64-byte aligned block that holds the address', () => {
    const r = new Rig([dcZva(1)], { el: 1 });
    set(r, 'HCR_EL2', HCR_DC); // stage 1 off, data Normal memory; DC turns stage 2 on: map it flat
    identityStage2(r.m, S2_POOL).install();
    r.m.writePhysical(DATA, new Uint8Array(256).fill(0xaa));
    r.c.setX(1, DATA + 0x40n + 0x28n);
    r.run();
    expect(r.finished).toBe(true);
    const mem = r.m.readPhysical(DATA, 256)!;
    for (let i = 0; i < 256; i++) expect([i, mem[i]]).toEqual([i, i >= 0x40 && i < 0x80 ? 0 : 0xaa]);
  });

  it('works at EL0 with SCTLR_EL1.DZE = 1', () => {
    const r = new Rig([dcZva(1)], { el: 0 });
    set(r, 'HCR_EL2', HCR_DC);
    identityStage2(r.m, S2_POOL).install();
    set(r, 'SCTLR_EL1', SCTLR_DZE);
    r.write64(DATA, 0x1234n);
    r.c.setX(1, DATA);
    r.run();
    expect(r.finished).toBe(true);
    expect(r.read64(DATA)).toBe(0n);
  });

  it('on Device memory (stage 1 off, no HCR_EL2.DC) it is an Alignment fault and writes nothing', () => {
    const r = new Rig([dcZva(1)], { el: 1 });
    r.write64(DATA, 0x1234n);
    r.c.setX(1, DATA + 8n);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.ec(1)).toBe(0x25);
    expect(r.iss(1) & 0x3f).toBe(0x21);
    expect((r.iss(1) >> 6) & 1).toBe(1); // WnR
    expect(r.far(1)).toBe(DATA + 8n);
    expect(r.read64(DATA)).toBe(0x1234n);
  });

  it('faults like a store on a read-only page: Permission fault, WnR = 1, CM = 0, FAR = the register argument', () => {
    const r = new Rig([dcZva(1)], { el: 1 });
    const pt = new PageTables(r.m, 12, 25, 0x8100_0000n);
    pt.map(CODE, CODE);
    pt.map(VBAR[1], VBAR[1]);
    pt.map(DATA, DATA, { ap: 2 }); // EL1 read-only
    r.c.setSysreg('MAIR_EL1', 0xffn);
    r.c.setSysreg('TCR_EL1', pt.tcrEl1());
    r.c.setSysreg('TTBR0_EL1', pt.root);
    set(r, 'SCTLR_EL1', SCTLR_M);
    r.write64(DATA + 0x40n, 0x1234n);
    r.c.setX(1, DATA + 0x48n + 3n);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.ec(1)).toBe(0x25);
    expect(r.iss(1) & 0x3f).toBe(0x0f); // permission fault, level 3
    expect((r.iss(1) >> 6) & 1).toBe(1); // WnR
    expect((r.iss(1) >> 8) & 1).toBe(0); // CM
    expect(r.far(1)).toBe(DATA + 0x4bn);
    expect(r.read64(DATA + 0x40n)).toBe(0x1234n);
  });
});

describe('AT and TLBI', () => {
  function mmuRig(words: number[], el: 0 | 1 = 1): { r: Rig; user: bigint; kernel: bigint; ro: bigint } {
    const r = new Rig(words, { el });
    const pt = new PageTables(r.m, 12, 25, 0x8100_0000n);
    pt.map(CODE, CODE, { ap: 3 }); // read-only at EL0 and EL1: executable at both
    pt.map(VBAR[1], VBAR[1]);
    const user = DATA, kernel = DATA + 0x1000n, ro = DATA + 0x2000n;
    pt.map(user, user, { ap: 1 });
    pt.map(kernel, kernel, { ap: 0 });
    pt.map(ro, ro, { ap: 2 });
    r.c.setSysreg('MAIR_EL1', 0xffn);
    r.c.setSysreg('TCR_EL1', pt.tcrEl1());
    r.c.setSysreg('TTBR0_EL1', pt.root);
    set(r, 'SCTLR_EL1', SCTLR_M | SCTLR_SPAN);
    return { r, user, kernel, ro };
  }
  const PAR_PA = 0x0000_ffff_ffff_f000n;

  it('AT S1E1R translates an EL1-only page; AT S1E0R reports a Permission fault for it', () => {
    const { r, kernel } = mmuRig([atS1E1R(1), mrs(2, 'PAR_EL1'), atS1E0R(1), mrs(3, 'PAR_EL1')]);
    r.c.setX(1, kernel + 0x123n);
    r.run();
    expect(r.finished).toBe(true);
    expect(r.c.x(2) & 1n).toBe(0n);
    expect(r.c.x(2) & PAR_PA).toBe(kernel);
    expect(r.c.x(3) & 1n).toBe(1n);
    expect((r.c.x(3) >> 1n) & 0x3fn).toBe(0x0fn);
  });

  it('AT S1E0R and S1E1R both translate an EL0-accessible page', () => {
    const { r, user } = mmuRig([atS1E1R(1), mrs(2, 'PAR_EL1'), atS1E0R(1), mrs(3, 'PAR_EL1')]);
    r.c.setX(1, user);
    r.run();
    expect(r.c.x(2) & (PAR_PA | 1n)).toBe(user);
    expect(r.c.x(3) & (PAR_PA | 1n)).toBe(user);
  });

  it('AT S1E1R ignores PSTATE.PAN (only FEAT_PAN2 S1E1RP checks it)', () => {
    const { r, user } = mmuRig([msrImm('PAN', 1), atS1E1R(1), mrs(2, 'PAR_EL1')]);
    r.c.setX(1, user);
    r.run();
    expect(r.c.x(2) & (PAR_PA | 1n)).toBe(user);
  });

  it('AT S1E1W on a read-only page reports a Permission fault; AT S1E1R translates it', () => {
    const { r, ro } = mmuRig([sys(0, 7, 8, 1, 1), mrs(2, 'PAR_EL1'), atS1E1R(1), mrs(3, 'PAR_EL1')]);
    r.c.setX(1, ro);
    r.run();
    expect(r.c.x(2) & 1n).toBe(1n);
    expect((r.c.x(2) >> 1n) & 0x3fn).toBe(0x0fn);
    expect(r.c.x(3) & (PAR_PA | 1n)).toBe(ro);
  });

  it('AT at EL0 is UNDEFINED', () => {
    expectUndefined([atS1E1R(1)], 0, 0);
  });

  it('TLBI VMALLE1 at EL0 is UNDEFINED; at EL1 it executes', () => {
    expectUndefined([tlbiVmalle1()], 0, 0);
    const r = new Rig([tlbiVmalle1()], { el: 1 });
    r.run();
    expect(r.finished).toBe(true);
  });

  it('TLBI ALLE2 at EL1 is UNDEFINED', () => {
    expectUndefined([sys(4, 8, 7, 0)], 1, 0);
  });
});
