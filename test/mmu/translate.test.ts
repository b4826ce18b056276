// Stage-1 translation: granules, levels, blocks, permissions and faults (Arm ARM D8), through the core's
// own walker, observed with fetches, AT and the host's non-faulting translate().
import { describe, it, expect } from 'vitest';
import { Machine } from '../../src/machine/machine.js';
import { Exit } from '../../src/core/core.js';
import { PageTables } from '../helpers/pagetable.js';

const CODE_PA = 0x8000_0000n;
const POOL = 0x8100_0000n;
const HLT_SEMIHOST = 0xd45e0000;
const MAIR = 0xffn | (0x04n << 8n); // attr 0 Normal WB, attr 1 Device-nGnRE

function machine(): Machine {
  return new Machine({ ramMiB: 64, console: () => {} });
}

function enable(m: Machine, pt: PageTables, el = 1): void {
  const c = m.core;
  c.setSysreg('MAIR_EL1', MAIR);
  c.setSysreg('TCR_EL1', pt.tcrEl1());
  c.setSysreg('TTBR0_EL1', pt.root);
  c.setSysreg('SCTLR_EL1', c.sysreg('SCTLR_EL1') | 1n);
  c.pstate = BigInt(el << 2) | (el > 0 ? 1n : 0n) | (0xfn << 6n);
  c.stateChanged();
}

function put(m: Machine, pa: bigint, words: number[]): void {
  m.writePhysical(pa, new Uint8Array(new Uint32Array(words).buffer));
}

describe.each([12, 14, 16])('granule %i bits', (g) => {
  it('executes through a page mapping at a different VA and translates like the walker', () => {
    const m = machine();
    m.start(0x4000_0000n, { el: 1, security: 'ns' });
    const pt = new PageTables(m, g, 25, POOL);
    const va = 0x4000_0000n;
    pt.map(va, CODE_PA);
    put(m, CODE_PA, [HLT_SEMIHOST]);
    enable(m, pt);
    m.core.pc = va;
    expect(m.core.run(10n)).toBe(Exit.Semihosting);
    expect(m.core.translate(va + 0x10n)).toBe(CODE_PA + 0x10n);
    expect(m.core.translate(va + (1n << BigInt(g)))).toBeUndefined();
  });

  it('a fetch from an unmapped VA is a translation fault at the level where the walk stopped', () => {
    const m = machine();
    m.start(0x4000_0000n, { el: 1, security: 'ns' });
    const pt = new PageTables(m, g, 25, POOL);
    enable(m, pt);
    m.core.pc = 0x4000_0000n;
    m.core.run(1n);
    const esr = m.core.sysreg('ESR_EL1');
    expect(esr >> 26n).toBe(0x21n); // instruction abort, same EL
    const stride = g - 3;
    const start = 4 - Math.ceil((39 - g) / stride);
    expect(esr & 0x3fn).toBe(BigInt(0x04 + start)); // translation fault at the start level
    expect(m.core.sysreg('FAR_EL1')).toBe(0x4000_0000n);
  });
});

describe('stage 1 permissions and attributes', () => {
  function setup(attrs: Parameters<PageTables['map']>[2], el = 1) {
    const m = machine();
    m.start(0x4000_0000n, { el: 1, security: 'ns' });
    const pt = new PageTables(m, 12, 25, POOL);
    pt.map(0x4000_0000n, CODE_PA, attrs);
    put(m, CODE_PA, [HLT_SEMIHOST]);
    enable(m, pt, el);
    m.core.pc = 0x4000_0000n;
    return m;
  }

  it('PXN forbids execution at EL1: permission fault at level 3', () => {
    const m = setup({ pxn: true });
    m.core.run(1n);
    expect(m.core.sysreg('ESR_EL1') & 0xfc00003fn).toBe((0x21n << 26n) | 0x0fn);
  });

  it('an EL0-writable page is never executable at EL1', () => {
    const m = setup({ ap: 1 });
    m.core.run(1n);
    expect(m.core.sysreg('ESR_EL1') & 0x3fn).toBe(0x0fn);
  });

  it('access flag 0 faults with DFSC/IFSC access flag at level 3', () => {
    const m = setup({ af: false });
    m.core.run(1n);
    expect(m.core.sysreg('ESR_EL1') & 0x3fn).toBe(0x0bn);
  });

  it('UXN forbids execution at EL0 and the abort goes to EL1 as from a lower EL', () => {
    const m = setup({ ap: 3, uxn: true }, 0);
    m.core.run(1n);
    expect(m.core.sysreg('ESR_EL1') >> 26n).toBe(0x20n);
    expect(m.core.el).toBe(1);
  });

  it('EL0 execution depends on UXN only, not on AP (J1.1.4.28 S1DirectBasePermissions)', () => {
    const m = setup({ ap: 0 }, 0);
    expect(m.core.run(10n)).toBe(Exit.Semihosting);
  });

  it('EL0 executes from an EL0-readable page', () => {
    const m = setup({ ap: 3 }, 0);
    expect(m.core.run(10n)).toBe(Exit.Semihosting);
  });

  it('a 2 MiB block maps every page inside it', () => {
    const m = machine();
    m.start(0x4000_0000n, { el: 1, security: 'ns' });
    const pt = new PageTables(m, 12, 25, POOL);
    pt.map(0x4020_0000n, 0x8020_0000n, {}, 2);
    enable(m, pt);
    expect(m.core.translate(0x4020_0000n)).toBe(0x8020_0000n);
    expect(m.core.translate(0x403f_f123n)).toBe(0x803f_f123n);
    expect(m.core.translate(0x4040_0000n)).toBeUndefined();
  });

  it('AT S1E1R reports the translation in PAR_EL1, and a fault with F=1', () => {
    const m = setup({});
    const c = m.core;
    // at s1e1r, x1 ; at s1e1r, x2 ; hlt
    put(m, CODE_PA, [0xd5087801, 0xd5087802, HLT_SEMIHOST]);
    c.setX(1, 0x4000_0123n);
    c.setX(2, 0x5000_0000n);
    // run the first AT, look at PAR, then the second
    expect(c.run(1n)).toBe(Exit.Budget);
    expect(c.sysreg('PAR_EL1') & 0x0000_ffff_ffff_f001n).toBe(CODE_PA);
    expect(c.sysreg('PAR_EL1') >> 56n).toBe(0xffn);
    c.run(1n);
    expect(c.sysreg('PAR_EL1') & 1n).toBe(1n);
  });

  it('TLBI VAE1 makes a changed descriptor visible; without it the stale entry stays in use', () => {
    const m = machine();
    m.start(0x4000_0000n, { el: 1, security: 'ns' });
    const pt = new PageTables(m, 12, 25, POOL);
    pt.map(0x4000_0000n, CODE_PA);
    const slot = pt.map(0x4000_1000n, CODE_PA + 0x1000n);
    // page 0: tlbi vae1, x3 ; b to page 1 ; page 1 holds HLT
    put(m, CODE_PA, [0xd508873f, 0x14000000 + (0x1000 - 4) / 4]);
    put(m, CODE_PA + 0x1000n, [HLT_SEMIHOST]);
    enable(m, pt);
    const c = m.core;
    c.pc = 0x4000_1000n;
    expect(c.run(10n)).toBe(Exit.Semihosting); // page 1 now cached in the fetch TLB
    // Unmap page 1 in memory only: the TLB keeps translating it
    m.writePhysical(slot, new Uint8Array(8));
    c.pc = 0x4000_1000n;
    expect(c.run(10n)).toBe(Exit.Semihosting);
    // Now TLBI VAE1 for page 1 from page 0, then branch to it: translation fault
    put(m, CODE_PA, [0xd5088723, 0x14000000 + (0x1000 - 4) / 4]);
    c.setX(3, 0x4000_1000n >> 12n);
    c.pc = 0x4000_0000n;
    c.run(3n); // tlbi, b, then the faulting fetch
    expect(c.sysreg('ESR_EL1') >> 26n).toBe(0x21n);
    expect(c.sysreg('FAR_EL1')).toBe(0x4000_1000n);
  });
});
