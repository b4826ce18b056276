// The SIMD&FP enable checks (Arm ARM J1.1.2.42 AArch64.CheckFPEnabled, J1.1.2.38 AArch64.AdvSIMDFPAccessTrap):
// CPACR_EL1.FPEN at EL0/EL1 with HCR_EL2.TGE routing, CPTR_EL2.TFP, CPTR_EL3.TFP, the syndrome (EC 0x07),
// FPCR/FPSR behind the same checks and their writable bits, and what the ID registers say about FP.
import { describe, it, expect } from 'vitest';
import { Rig } from '../helpers/rig.js';
import { mrs, msr, mov64 } from '../helpers/asm.js';
import type { SysregName } from '../../src/isa/sysregs.gen.js';

const at = Rig.at;
const FADD_D0_D1_D2 = 0x1e622820;
const FP_TRAP_ESR = (0x07n << 26n) | (1n << 25n) | (1n << 24n) | (0xen << 20n); // EC 7, IL, CV, COND 0b1110
const UNDEF = 1n << 25n;
const HCR_TGE = 1n << 27n, HCR_RW = 1n << 31n;
const CPTR_TFP = 1n << 10n;
const fpen = (v: number) => BigInt(v) << 20n;

function rig(words: number[], el: 0 | 1 | 2 | 3, regs: Partial<Record<SysregName, bigint>>): Rig {
  const r = new Rig(words, { el, security: el === 3 ? 'root' : 'ns' });
  r.c.setSysreg('HCR_EL2', HCR_RW);
  r.c.setSysreg('CPACR_EL1', fpen(3));
  r.c.setSysreg('CPTR_EL2', 0n);
  r.c.setSysreg('CPTR_EL3', 0n);
  for (const [k, v] of Object.entries(regs)) r.c.setSysreg(k as SysregName, v!);
  r.c.setV(1, 0x3ff0_0000_0000_0000n); // 1.0
  r.c.setV(2, 0x4000_0000_0000_0000n); // 2.0
  r.c.stateChanged();
  r.run();
  return r;
}

/** Expects `words[0]` to run: D0 = 3.0. */
function expectRuns(el: 0 | 1 | 2 | 3, regs: Partial<Record<SysregName, bigint>>) {
  const r = rig([FADD_D0_D1_D2], el, regs);
  expect(r.vector, 'no exception').toBeUndefined();
  expect(r.c.v(0)).toBe(0x4008_0000_0000_0000n);
}

/** Expects `words[0]` to take the SIMD&FP trap (or `esr`) to `target`; D0 is not written. */
function expectTrap(el: 0 | 1 | 2 | 3, regs: Partial<Record<SysregName, bigint>>, target: 1 | 2 | 3, esr = FP_TRAP_ESR) {
  const r = rig([FADD_D0_D1_D2], el, regs);
  expect(r.vector).toEqual({ el: target, offset: el < target ? 0x400 : 0x200 });
  expect(r.esr(target)).toBe(esr);
  expect(r.elr(target)).toBe(at(0));
  expect(r.c.v(0) === 0x4008_0000_0000_0000n).toBe(false);
}

describe('CPACR_EL1.FPEN', () => {
  it('0b00 traps EL0 and EL1 to EL1', () => {
    expectTrap(1, { CPACR_EL1: fpen(0) }, 1);
    expectTrap(0, { CPACR_EL1: fpen(0) }, 1);
  });
  it('0b01 traps EL0 only', () => {
    expectRuns(1, { CPACR_EL1: fpen(1) });
    expectTrap(0, { CPACR_EL1: fpen(1) }, 1);
  });
  it('0b10 traps EL0 and EL1', () => {
    expectTrap(1, { CPACR_EL1: fpen(2) }, 1);
    expectTrap(0, { CPACR_EL1: fpen(2) }, 1);
  });
  it('0b11 traps nothing', () => {
    expectRuns(1, { CPACR_EL1: fpen(3) });
    expectRuns(0, { CPACR_EL1: fpen(3) });
  });
  it('does not apply at EL2 or EL3', () => {
    expectRuns(2, { CPACR_EL1: fpen(0) });
    expectRuns(3, { CPACR_EL1: fpen(0) });
  });
  it('with HCR_EL2.TGE, an EL0 trap goes to EL2 as an Unknown-reason exception', () => {
    expectTrap(0, { CPACR_EL1: fpen(0), HCR_EL2: HCR_RW | HCR_TGE }, 2, UNDEF);
  });
});

describe('CPTR_EL2.TFP and CPTR_EL3.TFP', () => {
  it('CPTR_EL2.TFP traps EL0, EL1 and EL2 to EL2', () => {
    expectTrap(1, { CPTR_EL2: CPTR_TFP }, 2);
    expectTrap(0, { CPTR_EL2: CPTR_TFP }, 2);
    expectTrap(2, { CPTR_EL2: CPTR_TFP }, 2);
    expectRuns(3, { CPTR_EL2: CPTR_TFP });
  });
  it('CPACR_EL1 takes priority over CPTR_EL2', () => {
    expectTrap(1, { CPACR_EL1: fpen(0), CPTR_EL2: CPTR_TFP }, 1);
  });
  it('CPTR_EL3.TFP traps every EL to EL3', () => {
    for (const el of [0, 1, 2, 3] as const) expectTrap(el, { CPTR_EL3: CPTR_TFP }, 3);
  });
});

describe('FPCR and FPSR', () => {
  it('MRS FPCR at EL0 takes the SIMD&FP trap when FPEN traps EL0', () => {
    const r = rig([mrs(1, 'FPCR')], 0, { CPACR_EL1: fpen(1) });
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
    expect(r.esr(1)).toBe(FP_TRAP_ESR);
  });
  it('keep only their writable bits: no trap enables, no FZ16 without FEAT_FP16', () => {
    const r = rig([...mov64(1, 0xffff_ffffn), msr('FPCR', 1), msr('FPSR', 1), mrs(2, 'FPCR'), mrs(3, 'FPSR')], 0, {});
    expect(r.finished).toBe(true);
    expect(r.c.x(2)).toBe(0x07c0_0000n); // AHP, DN, FZ, RMode
    expect(r.c.x(3)).toBe(0x0800_009fn); // QC, IDC, IXC, UFC, OFC, DZC, IOC
  });
});

describe('FP in the ID registers', () => {
  it('ID_AA64PFR0_EL1 reports FP and AdvSIMD without half precision (0 each)', () => {
    const r = rig([mrs(1, 'ID_AA64PFR0_EL1')], 1, {});
    expect(Number((r.c.x(1) >> 16n) & 0xffn)).toBe(0);
  });
  it('half-precision arithmetic is UNDEFINED, half-precision conversion is not', () => {
    const h = rig([0x1ee22820], 1, {}); // FADD H0, H1, H2
    expect(h.vector).toEqual({ el: 1, offset: 0x200 });
    expect(h.esr(1)).toBe(UNDEF);
    const c = rig([0x1ee24020], 1, {}); // FCVT S0, H1
    expect(c.vector).toBeUndefined();
  });
});
