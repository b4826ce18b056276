// Asynchronous exceptions: routing (SCR_EL3.{IRQ,FIQ,EA}, HCR_EL2.{IMO,FMO,AMO,TGE}), masking by
// PSTATE.{A,I,F} (Arm ARM D1.4.6.3-D1.4.6.4, Tables D1-21 and D1-23), virtual interrupts (HCR_EL2.{VI,VF,VSE}),
// the preferred return address, ISR_EL1, and WFI/WFE (D1.7). The host drives the lines with
// core.ex.set_interrupt_lines(irq, fiq, serror). One test per rule.
import { describe, it, expect } from 'vitest';
import { Exit } from '../../src/core/core.js';
import { Rig, VBAR } from '../helpers/rig.js';
import { END, NOP, WFI, WFE, ERET, mrs, msrImm, addImm } from '../helpers/asm.js';

const at = Rig.at;
type Kind = 'IRQ' | 'FIQ' | 'SError';
// Vector offsets and the PSTATE mask bit (in DAIFSet/DAIFClr's CRm numbering: D A I F = 8 4 2 1)
const OFFSET: Record<Kind, number> = { IRQ: 0x80, FIQ: 0x100, SError: 0x180 };
const MASK: Record<Kind, number> = { IRQ: 0b0010, FIQ: 0b0001, SError: 0b0100 };
const SCR_ROUTE: Record<Kind, bigint> = { IRQ: 1n << 1n, FIQ: 1n << 2n, SError: 1n << 3n };
const HCR_ROUTE: Record<Kind, bigint> = { IRQ: 1n << 4n, FIQ: 1n << 3n, SError: 1n << 5n };
const HCR_VIRTUAL: Record<Kind, bigint> = { IRQ: 1n << 7n, FIQ: 1n << 6n, SError: 1n << 8n };
const HCR_TGE = 1n << 27n;
const KINDS: Kind[] = ['IRQ', 'FIQ', 'SError'];

function assert(r: Rig, kind: Kind, on = true): void {
  r.c.ex.set_interrupt_lines(kind === 'IRQ' && on ? 1 : 0, kind === 'FIQ' && on ? 1 : 0, kind === 'SError' && on ? 1 : 0);
}
function set(r: Rig, name: 'HCR_EL2' | 'SCR_EL3', bits: bigint): void {
  r.c.setSysreg(name, r.c.sysreg(name) | bits);
  r.c.stateChanged();
}
/** The vector offset an asynchronous exception of `kind` uses, taken from `from` to `to` with SP_ELx. */
const vec = (kind: Kind, from: number, to: number) => (to > from ? 0x400 : 0x200) + OFFSET[kind];

describe.each(KINDS)('%s', (kind) => {
  it('is taken to EL1 when unmasked; ELR is the first instruction not executed', () => {
    const r = new Rig([NOP, NOP, NOP], { el: 1, daif: 0 });
    assert(r, kind); // asserted before the first instruction: taken before it executes
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: vec(kind, 1, 1) });
    expect(r.elr(1)).toBe(at(0));
  });

  it('is not taken at EL1 while its PSTATE mask bit is set, and is taken right after MSR DAIFClr', () => {
    const r = new Rig([NOP, NOP, msrImm('DAIFClr', MASK[kind]), NOP, NOP], { el: 1, daif: 0xf });
    assert(r, kind);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: vec(kind, 1, 1) });
    expect(r.elr(1)).toBe(at(3));
    expect(r.spsr(1) & 0x3c5n).toBe(BigInt((0xf & ~MASK[kind]) << 6) | 5n);
  });

  it('the other mask bits do not mask it', () => {
    const r = new Rig([NOP], { el: 1, daif: 0xf & ~MASK[kind] });
    assert(r, kind);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: vec(kind, 1, 1) });
  });

  it('stays pending while masked: with the mask set the code runs to its end', () => {
    const r = new Rig([NOP, NOP], { el: 1, daif: MASK[kind] });
    assert(r, kind);
    r.run();
    expect(r.finished).toBe(true);
  });

  it('from EL0 to EL1 it is masked by PSTATE at EL0', () => {
    const masked = new Rig([NOP], { el: 0, daif: MASK[kind] });
    assert(masked, kind);
    masked.run();
    expect(masked.finished).toBe(true);
    const unmasked = new Rig([NOP], { el: 0, daif: 0 });
    assert(unmasked, kind);
    unmasked.run();
    expect(unmasked.vector).toEqual({ el: 1, offset: vec(kind, 0, 1) });
  });

  it('HCR_EL2 routing (IMO/FMO/AMO) takes it to EL2 from EL1 whatever PSTATE at EL1', () => {
    const r = new Rig([NOP], { el: 1, daif: 0xf });
    set(r, 'HCR_EL2', HCR_ROUTE[kind]);
    assert(r, kind);
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: vec(kind, 1, 2) });
    expect(r.elr(2)).toBe(at(0));
    expect(r.spsr(2) & 0x3c5n).toBe((0xfn << 6n) | 5n);
  });

  it('routed to EL2, it is masked by PSTATE at EL2 and taken when unmasked there', () => {
    const masked = new Rig([NOP], { el: 2, daif: MASK[kind] });
    set(masked, 'HCR_EL2', HCR_ROUTE[kind]);
    assert(masked, kind);
    masked.run();
    expect(masked.finished).toBe(true);
    const unmasked = new Rig([NOP], { el: 2, daif: 0 });
    set(unmasked, 'HCR_EL2', HCR_ROUTE[kind]);
    assert(unmasked, kind);
    unmasked.run();
    expect(unmasked.vector).toEqual({ el: 2, offset: vec(kind, 2, 2) });
  });

  it('HCR_EL2.TGE takes it from EL0 to EL2 whatever PSTATE at EL0', () => {
    const r = new Rig([NOP], { el: 0, daif: 0xf });
    set(r, 'HCR_EL2', HCR_TGE);
    assert(r, kind);
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: vec(kind, 0, 2) });
  });

  it('SCR_EL3 routing (IRQ/FIQ/EA) takes it to EL3 from EL1 and EL2 whatever PSTATE', () => {
    for (const el of [1, 2] as const) {
      const r = new Rig([NOP], { el, daif: 0xf });
      set(r, 'SCR_EL3', SCR_ROUTE[kind]);
      set(r, 'HCR_EL2', HCR_ROUTE[kind]); // SCR_EL3 wins over HCR_EL2
      assert(r, kind);
      r.run();
      expect(r.vector).toEqual({ el: 3, offset: vec(kind, el, 3) });
    }
  });

  it('routed to EL3, it is masked by PSTATE at EL3', () => {
    const r = new Rig([NOP], { el: 3, security: 'ns', daif: MASK[kind] });
    set(r, 'SCR_EL3', SCR_ROUTE[kind]);
    assert(r, kind);
    r.run();
    expect(r.finished).toBe(true);
  });

  it('is not taken at EL2 when it targets EL1, even unmasked', () => {
    const r = new Rig([NOP], { el: 2, daif: 0 });
    assert(r, kind);
    r.run();
    expect(r.finished).toBe(true);
  });

  it('is not taken at EL3 when it targets EL1 or EL2, even unmasked', () => {
    const r = new Rig([NOP], { el: 3, security: 'ns', daif: 0 });
    set(r, 'HCR_EL2', HCR_ROUTE[kind]);
    assert(r, kind);
    r.run();
    expect(r.finished).toBe(true);
  });

  it('HCR_EL2 routing does not apply in Secure state (EL2 not enabled): it goes to EL1', () => {
    const r = new Rig([NOP], { el: 1, security: 'secure', daif: 0 });
    set(r, 'HCR_EL2', HCR_ROUTE[kind]);
    assert(r, kind);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: vec(kind, 1, 1) });
  });

  it('a deasserted line is not taken', () => {
    const r = new Rig([NOP], { el: 1, daif: 0 });
    assert(r, kind);
    assert(r, kind, false);
    r.run();
    expect(r.finished).toBe(true);
  });

  it(`virtual ${kind} (HCR_EL2.V* with the routing bit) is taken at EL1 to EL1's vector`, () => {
    const r = new Rig([NOP, NOP], { el: 1, daif: 0 });
    set(r, 'HCR_EL2', HCR_ROUTE[kind] | HCR_VIRTUAL[kind]);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: vec(kind, 1, 1) });
  });

  it(`virtual ${kind} is masked by PSTATE at EL1 and at EL0`, () => {
    for (const el of [0, 1] as const) {
      const r = new Rig([NOP], { el, daif: MASK[kind] });
      set(r, 'HCR_EL2', HCR_ROUTE[kind] | HCR_VIRTUAL[kind]);
      r.run();
      expect(r.finished).toBe(true);
    }
  });

  it(`virtual ${kind} is never taken at EL2`, () => {
    const r = new Rig([NOP], { el: 2, daif: 0 });
    set(r, 'HCR_EL2', HCR_ROUTE[kind] | HCR_VIRTUAL[kind]);
    r.run();
    expect(r.finished).toBe(true);
  });

  it(`virtual ${kind} needs its routing bit: HCR_EL2.V* alone injects nothing`, () => {
    const r = new Rig([NOP], { el: 1, daif: 0 });
    set(r, 'HCR_EL2', HCR_VIRTUAL[kind]);
    r.run();
    expect(r.finished).toBe(true);
  });

  it(`virtual ${kind} is not taken with HCR_EL2.TGE = 1`, () => {
    const r = new Rig([NOP], { el: 0, daif: 0 });
    set(r, 'HCR_EL2', HCR_TGE | HCR_ROUTE[kind] | HCR_VIRTUAL[kind]);
    r.run();
    expect(r.finished).toBe(true);
  });
});

describe('syndrome, return address and priority', () => {
  it('SError: ESR EC 0x2F with IL = 1', () => {
    const r = new Rig([NOP], { el: 1, daif: 0 });
    assert(r, 'SError');
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x380 });
    expect(r.esr(1) >> 25n).toBe((0x2fn << 1n) | 1n);
  });

  it('virtual SError: ESR EC 0x2F with IL = 1', () => {
    const r = new Rig([NOP], { el: 1, daif: 0 });
    set(r, 'HCR_EL2', HCR_ROUTE.SError | HCR_VIRTUAL.SError);
    r.run();
    expect(r.esr(1) >> 25n).toBe((0x2fn << 1n) | 1n);
  });

  it('IRQ and FIQ leave ESR_EL1 and FAR_EL1 as they were', () => {
    const r = new Rig([NOP], { el: 1, daif: 0 });
    r.c.setSysreg('ESR_EL1', 0x1234n);
    r.c.setSysreg('FAR_EL1', 0x5678n);
    assert(r, 'IRQ');
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x280 });
    expect(r.esr(1)).toBe(0x1234n);
    expect(r.far(1)).toBe(0x5678n);
  });

  it('ELR is the first instruction not executed: an IRQ unmasked by ERET returns to the ERET target', () => {
    const r = new Rig([ERET, NOP, NOP], { el: 1, daif: 0xf });
    r.c.setSysreg('SPSR_EL1', 0b0101n); // EL1h, DAIF clear
    r.c.setSysreg('ELR_EL1', at(2));
    assert(r, 'IRQ');
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x280 });
    expect(r.elr(1)).toBe(at(2));
  });

  it('a line asserted by the host between two runs is taken at the next instruction boundary', () => {
    const r = new Rig([NOP, NOP, NOP, NOP], { el: 1, daif: 0 });
    expect(r.run(2n)).toBe(Exit.Budget);
    assert(r, 'FIQ');
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x300 });
    expect(r.elr(1)).toBe(at(2));
  });

  it('priority (IMPLEMENTATION DEFINED, D1.4.6.5): SError, then FIQ, then IRQ', () => {
    const all = new Rig([NOP], { el: 1, daif: 0 });
    all.c.ex.set_interrupt_lines(1, 1, 1);
    all.run();
    expect(all.vector).toEqual({ el: 1, offset: 0x380 });
    const two = new Rig([NOP], { el: 1, daif: 0 });
    two.c.ex.set_interrupt_lines(1, 1, 0);
    two.run();
    expect(two.vector).toEqual({ el: 1, offset: 0x300 });
  });

  it('the interrupt handler runs with DAIF masked: the still-asserted IRQ is not taken again at once', () => {
    const r = new Rig([NOP], { el: 1, daif: 0 });
    r.put(VBAR[1] + 0x280n, [NOP, NOP, addImm(1, 1, 1), END]);
    assert(r, 'IRQ');
    r.run();
    expect(r.c.pc).toBe(VBAR[1] + 0x290n);
    expect(r.c.x(1)).toBe(1n);
    expect(r.c.pstate & (0xfn << 6n)).toBe(0xfn << 6n);
  });

  it('ISR_EL1 shows the pending physical interrupts (A, I, F), masked or not', () => {
    const r = new Rig([mrs(1, 'ISR_EL1')], { el: 1, daif: 0xf });
    r.c.ex.set_interrupt_lines(1, 1, 1);
    r.run();
    expect(r.c.x(1)).toBe((1n << 8n) | (1n << 7n) | (1n << 6n));
  });

  it('ISR_EL1 at EL1 shows the virtual interrupt of a kind HCR_EL2 routes to EL2, the physical one otherwise', () => {
    const r = new Rig([mrs(1, 'ISR_EL1')], { el: 1, daif: 0xf });
    set(r, 'HCR_EL2', HCR_ROUTE.IRQ | HCR_VIRTUAL.IRQ | HCR_VIRTUAL.FIQ); // IMO: vIRQ; FMO = 0: VF is not shown
    r.c.ex.set_interrupt_lines(0, 1, 0); // a physical FIQ to EL1, masked
    r.run();
    expect(r.finished).toBe(true);
    expect(r.c.x(1)).toBe((1n << 7n) | (1n << 6n));
  });

  it('ISR_EL1 at EL2 shows the physical lines whatever HCR_EL2 says', () => {
    const r = new Rig([mrs(1, 'ISR_EL1')], { el: 2, daif: 0xf });
    set(r, 'HCR_EL2', HCR_ROUTE.IRQ | HCR_VIRTUAL.IRQ);
    r.run();
    expect(r.c.x(1)).toBe(0n);
  });
});

describe('WFI and WFE', () => {
  it('WFI with nothing pending exits to the host with the PC after the WFI', () => {
    const r = new Rig([NOP, WFI, NOP], { el: 1, daif: 0 });
    expect(r.run()).toBe(Exit.Wfi);
    expect(r.c.pc).toBe(at(2));
  });

  it('after a WFI exit, an IRQ the host asserts is taken with ELR = the instruction after the WFI', () => {
    const r = new Rig([WFI, NOP], { el: 1, daif: 0 });
    expect(r.run()).toBe(Exit.Wfi);
    assert(r, 'IRQ');
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x280 });
    expect(r.elr(1)).toBe(at(1));
  });

  it('WFI with a masked pending interrupt completes (a wake-up event whatever PSTATE)', () => {
    const r = new Rig([WFI, NOP], { el: 1, daif: 0xf });
    assert(r, 'IRQ');
    expect(r.run()).toBe(Exit.Semihosting);
    expect(r.finished).toBe(true);
  });

  it('WFI with a pending virtual IRQ (masked) at EL1 completes', () => {
    const r = new Rig([WFI, NOP], { el: 1, daif: 0xf });
    set(r, 'HCR_EL2', HCR_ROUTE.IRQ | HCR_VIRTUAL.IRQ);
    r.run();
    expect(r.finished).toBe(true);
  });

  it('WFI at EL2 is not woken by an IRQ that targets EL1 (never taken at EL2: not a wake-up event)', () => {
    const r = new Rig([WFI, NOP], { el: 2, daif: 0 });
    assert(r, 'IRQ');
    expect(r.run()).toBe(Exit.Wfi);
    expect(r.c.pc).toBe(at(1));
  });

  it('WFI at EL1 is not woken by HCR_EL2.VI without IMO (no virtual IRQ is pending)', () => {
    const r = new Rig([WFI, NOP], { el: 1, daif: 0 });
    set(r, 'HCR_EL2', HCR_VIRTUAL.IRQ);
    expect(r.run()).toBe(Exit.Wfi);
  });

  it('WFE completes without an exit', () => {
    const r = new Rig([WFE, NOP], { el: 1, daif: 0 });
    expect(r.run()).toBe(Exit.Semihosting);
    expect(r.finished).toBe(true);
  });

  it('WFI at EL0 traps to EL1 when SCTLR_EL1.nTWI is 0: EC 0x01, ISS CV = 1, COND = 0b1110, TI = 0', () => {
    const r = new Rig([WFI], { el: 0 });
    r.c.setSysreg('SCTLR_EL1', r.c.sysreg('SCTLR_EL1') & ~(1n << 16n));
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
    expect(r.esr(1)).toBe((0x01n << 26n) | (1n << 25n) | (1n << 24n) | (0xen << 20n));
    expect(r.elr(1)).toBe(at(0));
  });

  it('WFI at EL1 traps to EL2 when HCR_EL2.TWI is 1; at EL2 to EL3 when SCR_EL3.TWI is 1', () => {
    const r1 = new Rig([WFI], { el: 1 });
    set(r1, 'HCR_EL2', 1n << 13n);
    r1.run();
    expect(r1.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r1.esr(2)).toBe((0x01n << 26n) | (1n << 25n) | (1n << 24n) | (0xen << 20n));
    const r2 = new Rig([WFI], { el: 2 });
    set(r2, 'SCR_EL3', 1n << 12n);
    r2.run();
    expect(r2.vector).toEqual({ el: 3, offset: 0x400 });
    expect(r2.elr(3)).toBe(at(0));
  });

  it('the EL1 trap (SCTLR_EL1.nTWI = 0) has priority over HCR_EL2.TWI at EL0', () => {
    const r = new Rig([WFI], { el: 0 });
    r.c.setSysreg('SCTLR_EL1', r.c.sysreg('SCTLR_EL1') & ~(1n << 16n));
    set(r, 'HCR_EL2', 1n << 13n);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
  });

  it('WFE at EL0 traps to EL1 when SCTLR_EL1.nTWE is 0: TI = 1', () => {
    const r = new Rig([WFE], { el: 0 });
    r.c.setSysreg('SCTLR_EL1', r.c.sysreg('SCTLR_EL1') & ~(1n << 18n));
    r.run();
    expect(r.esr(1)).toBe((0x01n << 26n) | (1n << 25n) | (1n << 24n) | (0xen << 20n) | 1n);
  });
});
