// Exception entry, routing and return (Arm ARM D1.4 "Exceptions", the pseudocode of AArch64.TakeException
// and AArch64.ExceptionReturn, and the exception-generating instructions of C6.2). One test per rule.
import { describe, it, expect } from 'vitest';
import { Exit } from '../../src/core/core.js';
import { Rig, CODE, DATA, VBAR } from '../helpers/rig.js';
import {
  asm, END, NOP, ERET, mrs, msr, mov64, ldr, ldxr, stxr, addImm,
} from '../helpers/asm.js';
import { PageTables } from '../helpers/pagetable.js';

const at = Rig.at;
const svc = (imm16: number) => asm('SVC', { imm16 });
const hvc = (imm16: number) => asm('HVC', { imm16 });
const smc = (imm16: number) => asm('SMC', { imm16 });
const brk = (imm16: number) => asm('BRK', { imm16 });
const UDF = 0x0000_0000; // an unallocated word: UDF #0

// PSTATE / SPSR bits
const M_EL0T = 0b0000n, M_EL1T = 0b0100n, M_EL1H = 0b0101n, M_EL2T = 0b1000n, M_EL2H = 0b1001n;
const M_EL3T = 0b1100n, M_EL3H = 0b1101n;
const DAIF = 0xfn << 6n;
const IL = 1n << 20n;
const PAN = 1n << 22n;
// Control bits
const HCR_TGE = 1n << 27n, HCR_TSC = 1n << 19n;
const SCR_SMD = 1n << 7n, SCR_HCE = 1n << 8n;
const SCTLR_SA = 1n << 3n, SCTLR_SPAN = 1n << 23n, SCTLR_M = 1n;

/** ESR_ELx of a 32-bit-instruction exception: EC, IL = 1, ISS. */
const esr = (ec: number, iss = 0) => (BigInt(ec) << 26n) | (1n << 25n) | BigInt(iss);

function setBits(r: Rig, name: 'HCR_EL2' | 'SCR_EL3' | 'SCTLR_EL1', set: bigint, clear = 0n): void {
  r.c.setSysreg(name, (r.c.sysreg(name) & ~clear) | set);
  r.c.stateChanged();
}

describe('exception entry', () => {
  it('SPSR_ELx holds the old PSTATE: NZCV, DAIF, EL and SPSel', () => {
    const r = new Rig([svc(0)], { el: 1, spsel: 0, daif: 0b0101 });
    r.c.nzcv = 0xa000_0000;
    r.c.stateChanged();
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x000 });
    expect(r.spsr(1)).toBe(0xa000_0000n | (0b0101n << 6n) | M_EL1T);
  });

  it('SPSR_EL1 of an exception from EL0 has M = EL0t and the EL0 flags', () => {
    const r = new Rig([svc(0)], { el: 0, daif: 0 });
    r.c.nzcv = 0x5000_0000;
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
    expect(r.spsr(1)).toBe(0x5000_0000n | M_EL0T);
  });

  it.each([
    ['SVC', svc(7), 0x15, 7],
    ['HVC', hvc(0x1234), 0x16, 0x1234],
    ['SMC', smc(0xbeef), 0x17, 0xbeef],
  ])('%s: ELR is the next instruction and ESR has EC, IL = 1 and the immediate', (name, word, ec, imm) => {
    const target = name === 'SVC' ? 1 : name === 'HVC' ? 2 : 3;
    const r = new Rig([NOP, word], { el: 1 });
    r.run();
    expect(r.vector).toEqual({ el: target, offset: target === 1 ? 0x200 : 0x400 });
    expect(r.elr(target)).toBe(at(2));
    expect(r.esr(target)).toBe(esr(ec, imm));
  });

  it('BRK: ELR is the BRK itself, ESR EC 0x3C with the immediate', () => {
    const r = new Rig([NOP, brk(0xf00d)], { el: 1 });
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.elr(1)).toBe(at(1));
    expect(r.esr(1)).toBe(esr(0x3c, 0xf00d));
  });

  it('UNDEFINED: ELR is the instruction, ESR EC 0 with IL = 1 and ISS 0', () => {
    const r = new Rig([NOP, UDF], { el: 1 });
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.elr(1)).toBe(at(1));
    expect(r.esr(1)).toBe(esr(0));
  });

  it('a Data Abort: ELR is the faulting load, FAR its address, the load writes nothing', () => {
    // 0x1000 is outside every memory region: a synchronous External abort (DFSC 0x10)
    const r = new Rig([...mov64(2, 0x1008n), ...mov64(3, 0x77n), ldr(3, 2)], { el: 1 });
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.elr(1)).toBe(at(2));
    expect(r.ec(1)).toBe(0x25);
    expect(r.iss(1) & 0x3f).toBe(0x10);
    expect(r.far(1)).toBe(0x1008n);
    expect(r.c.x(3)).toBe(0x77n);
  });

  it.each([
    ['current EL with SP_EL0: offset 0x000', 1, 0, 0x000],
    ['current EL with SP_ELx: offset 0x200', 1, 1, 0x200],
    ['lower EL using AArch64: offset 0x400', 0, 0, 0x400],
  ] as const)('synchronous exception from %s', (_, el, spsel, offset) => {
    const r = new Rig([svc(0)], { el, spsel });
    r.run();
    expect(r.vector).toEqual({ el: 1, offset });
    expect(r.c.pc - 4n).toBe(VBAR[1] + BigInt(offset));
  });

  it('the vector base is VBAR_ELx with bits 10:0 ignored', () => {
    const r = new Rig([svc(0)], { el: 1 });
    r.c.setSysreg('VBAR_EL1', VBAR[1] | 0x7fcn);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
  });

  it('PSTATE.{D,A,I,F} are all set on entry', () => {
    const r = new Rig([svc(0)], { el: 0, daif: 0 });
    r.run();
    expect(r.c.pstate & DAIF).toBe(DAIF);
  });

  it('entry to EL1 sets PSTATE.PAN when SCTLR_EL1.SPAN is 0', () => {
    const r = new Rig([svc(0)], { el: 0 });
    setBits(r, 'SCTLR_EL1', 0n, SCTLR_SPAN);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
    expect(r.c.pstate & PAN).toBe(PAN);
  });

  it('entry to EL1 leaves PSTATE.PAN unchanged when SCTLR_EL1.SPAN is 1', () => {
    const r = new Rig([svc(0)], { el: 0 });
    setBits(r, 'SCTLR_EL1', SCTLR_SPAN);
    r.run();
    expect(r.c.pstate & PAN).toBe(0n);
  });

  it('entry to EL2 does not set PSTATE.PAN (no VHE), whatever SCTLR_EL1.SPAN', () => {
    const r = new Rig([hvc(0)], { el: 1 });
    setBits(r, 'SCTLR_EL1', 0n, SCTLR_SPAN);
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.c.pstate & PAN).toBe(0n);
  });

  it('PAN set by exception entry applies to the handler at once (no stale translation)', () => {
    // EL1t: read an EL0-accessible page with PAN = 0, SVC to EL1 (SPAN = 0 sets PAN), read it again
    const r = new Rig([ldr(1, 2), svc(0)], { el: 1, spsel: 0 });
    const pt = new PageTables(r.m, 12, 25, 0x8100_0000n);
    pt.map(CODE, CODE, { uxn: true }); // code: EL1 RW, privileged-executable
    pt.map(VBAR[1], VBAR[1]);
    pt.map(DATA, DATA, { ap: 1, pxn: true }); // EL0 and EL1 RW
    r.c.setSysreg('MAIR_EL1', 0xffn);
    r.c.setSysreg('TCR_EL1', pt.tcrEl1());
    r.c.setSysreg('TTBR0_EL1', pt.root);
    setBits(r, 'SCTLR_EL1', SCTLR_M, SCTLR_SPAN);
    r.c.setX(2, DATA);
    r.put(VBAR[1], [ldr(3, 2), END]); // the SVC's handler (current EL, SP_EL0)
    r.run();
    // The handler's load is a permission fault, taken with SP_EL1 (offset 0x200)
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.ec(1)).toBe(0x25);
    expect(r.iss(1) & 0x3f).toBe(0x0f);
    expect(r.elr(1)).toBe(VBAR[1]);
  });

  it('the stack pointer becomes SP_ELx; SP_EL0 keeps the interrupted value', () => {
    const r = new Rig([svc(0)], { el: 0 });
    r.c.sp = 0x8000_1000n;
    r.c.setSpBank(1, 0x8000_2000n);
    r.put(VBAR[1] + 0x400n, [mrs(0, 'SP_EL0'), END]);
    r.run();
    expect(r.c.pc).toBe(VBAR[1] + 0x408n);
    expect(r.c.sp).toBe(0x8000_2000n);
    expect(r.c.x(0)).toBe(0x8000_1000n);
  });

  it('Illegal Execution state: EC 0x0E, IL = 1, ELR the instruction, SPSR.IL = 1', () => {
    const r = new Rig([ERET, NOP], { el: 1 });
    r.c.setSysreg('SPSR_EL1', M_EL2H); // a return to a higher EL is illegal
    r.c.setSysreg('ELR_EL1', at(1));
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.esr(1)).toBe(esr(0x0e));
    expect(r.elr(1)).toBe(at(1));
    expect(r.spsr(1) & IL).toBe(IL);
    expect(r.c.pstate & IL).toBe(0n);
  });

  it('PC alignment fault: EC 0x22, IL = 1, ELR and FAR the misaligned PC', () => {
    const target = CODE + 0x102n;
    const r = new Rig([...mov64(1, target), asm('BR', { rn: 1 })], { el: 1 });
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.esr(1)).toBe(esr(0x22));
    expect(r.elr(1)).toBe(target);
    expect(r.far(1)).toBe(target);
  });

  it('SP alignment fault with SCTLR_EL1.SA: EC 0x26, IL = 1, ELR the load, nothing loaded', () => {
    const r = new Rig([...mov64(0, 0x99n), ldr(0, 31)], { el: 1 });
    r.c.sp = DATA + 8n;
    setBits(r, 'SCTLR_EL1', SCTLR_SA);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.esr(1)).toBe(esr(0x26));
    expect(r.elr(1)).toBe(at(1));
    expect(r.c.x(0)).toBe(0x99n);
  });

  it('at EL0 the SP alignment check is SCTLR_EL1.SA0 (not SA): the fault goes to EL1 as from a lower EL', () => {
    const r = new Rig([ldr(0, 31)], { el: 0 });
    r.c.sp = DATA + 8n;
    setBits(r, 'SCTLR_EL1', 1n << 4n, SCTLR_SA);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
    expect(r.esr(1)).toBe(esr(0x26));
    const sa = new Rig([ldr(0, 31)], { el: 0 });
    sa.c.sp = DATA + 8n;
    setBits(sa, 'SCTLR_EL1', SCTLR_SA, 1n << 4n);
    sa.run();
    expect(sa.finished).toBe(true);
  });

  it('a Data Abort from EL0 is EC 0x24 (lower EL) at EL1', () => {
    const r = new Rig([...mov64(2, 0x1000n), ldr(3, 2)], { el: 0 });
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
    expect(r.ec(1)).toBe(0x24);
    expect(r.far(1)).toBe(0x1000n);
  });

  it('without SCTLR_EL1.SA a misaligned SP is used as is', () => {
    const r = new Rig([ldr(0, 31)], { el: 1 });
    r.c.sp = DATA + 8n;
    r.write64(DATA + 8n, 0x1234n);
    setBits(r, 'SCTLR_EL1', 0n, SCTLR_SA);
    r.run();
    expect(r.finished).toBe(true);
    expect(r.c.x(0)).toBe(0x1234n);
  });
});

describe('routing of synchronous exceptions', () => {
  it('SVC from EL0 goes to EL1', () => {
    const r = new Rig([svc(3)], { el: 0 });
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
    expect(r.esr(1)).toBe(esr(0x15, 3));
  });

  it('SVC from EL0 goes to EL2 when HCR_EL2.TGE is 1', () => {
    const r = new Rig([svc(3)], { el: 0 });
    setBits(r, 'HCR_EL2', HCR_TGE);
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.esr(2)).toBe(esr(0x15, 3));
    expect(r.elr(2)).toBe(at(1));
  });

  it('HCR_EL2.TGE has no effect in Secure state (EL2 not enabled): SVC from EL0 goes to EL1', () => {
    const r = new Rig([svc(3)], { el: 0, security: 'secure' });
    setBits(r, 'HCR_EL2', HCR_TGE);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
  });

  it('UNDEFINED and BRK from EL0 go to EL2 when HCR_EL2.TGE is 1', () => {
    for (const word of [UDF, brk(1)]) {
      const r = new Rig([word], { el: 0 });
      setBits(r, 'HCR_EL2', HCR_TGE);
      r.run();
      expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    }
  });

  it('BRK from EL1 goes to EL2 when MDCR_EL2.TDE is 1 (SVC and UNDEFINED do not)', () => {
    const r = new Rig([brk(4)], { el: 1 });
    r.c.setSysreg('MDCR_EL2', 1n << 8n);
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.esr(2)).toBe(esr(0x3c, 4));
    expect(r.elr(2)).toBe(at(0));
    for (const word of [svc(0), UDF]) {
      const s = new Rig([word], { el: 1 });
      s.c.setSysreg('MDCR_EL2', 1n << 8n);
      s.run();
      expect(s.vector).toEqual({ el: 1, offset: 0x200 });
    }
  });

  it('MDCR_EL2.TDE does not apply in Secure state (EL2 not enabled)', () => {
    const r = new Rig([brk(4)], { el: 1, security: 'secure' });
    r.c.setSysreg('MDCR_EL2', 1n << 8n);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
  });

  it('SVC at EL2 is taken to EL2', () => {
    const r = new Rig([svc(9)], { el: 2 });
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x200 });
    expect(r.esr(2)).toBe(esr(0x15, 9));
  });

  it('HVC at EL0 is UNDEFINED', () => {
    const r = new Rig([hvc(1)], { el: 0 });
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
    expect(r.esr(1)).toBe(esr(0));
    expect(r.elr(1)).toBe(at(0));
  });

  it('HVC at EL1 is UNDEFINED when SCR_EL3.HCE is 0', () => {
    const r = new Rig([hvc(1)], { el: 1 });
    setBits(r, 'SCR_EL3', 0n, SCR_HCE);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.esr(1)).toBe(esr(0));
  });

  it('HVC at Secure EL1 is UNDEFINED (no Secure EL2)', () => {
    const r = new Rig([hvc(1)], { el: 1, security: 'secure' });
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.esr(1)).toBe(esr(0));
  });

  it('HVC at EL3 is taken to EL3', () => {
    const r = new Rig([hvc(5)], { el: 3, security: 'ns' });
    r.run();
    expect(r.vector).toEqual({ el: 3, offset: 0x200 });
    expect(r.esr(3)).toBe(esr(0x16, 5));
  });

  it('SMC at EL0 is UNDEFINED', () => {
    const r = new Rig([smc(1)], { el: 0 });
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
    expect(r.esr(1)).toBe(esr(0));
  });

  it('SMC at EL1 is UNDEFINED when SCR_EL3.SMD is 1', () => {
    const r = new Rig([smc(1)], { el: 1 });
    setBits(r, 'SCR_EL3', SCR_SMD);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.esr(1)).toBe(esr(0));
  });

  it('SMC at EL1 with HCR_EL2.TSC traps to EL2: ELR is the SMC itself, EC 0x17 with the immediate', () => {
    const r = new Rig([NOP, smc(0x42)], { el: 1 });
    setBits(r, 'HCR_EL2', HCR_TSC);
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.elr(2)).toBe(at(1));
    expect(r.esr(2)).toBe(esr(0x17, 0x42));
  });

  it('HCR_EL2.TSC takes priority over SCR_EL3.SMD', () => {
    const r = new Rig([smc(0)], { el: 1 });
    setBits(r, 'HCR_EL2', HCR_TSC);
    setBits(r, 'SCR_EL3', SCR_SMD);
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.ec(2)).toBe(0x17);
  });

  it('HCR_EL2.TSC does not apply in Secure state (EL2 not enabled)', () => {
    const r = new Rig([smc(0)], { el: 1, security: 'secure' });
    setBits(r, 'HCR_EL2', HCR_TSC);
    r.run();
    expect(r.vector).toEqual({ el: 3, offset: 0x400 });
  });

  it.each([2, 3] as const)('SMC at EL%i is taken to EL3 with ELR the next instruction', (el) => {
    const r = new Rig([smc(6)], { el, security: el === 3 ? 'ns' : undefined });
    r.run();
    expect(r.vector).toEqual({ el: 3, offset: el === 3 ? 0x200 : 0x400 });
    expect(r.esr(3)).toBe(esr(0x17, 6));
    expect(r.elr(3)).toBe(at(1));
  });

  it('SMC from EL1 reaches the host-owned EL3: run() exits with HostException', () => {
    const r = new Rig([NOP, smc(0x11)], { el: 1, hostOwned: true });
    expect(r.run()).toBe(Exit.HostException);
    expect(r.c.exitEl).toBe(3);
    expect(r.c.el).toBe(3);
    expect(r.esr(3)).toBe(esr(0x17, 0x11));
    expect(r.elr(3)).toBe(at(2));
    expect(r.spsr(3) & 0x1fn).toBe(M_EL1H);
  });

  it('HVC from EL1 reaches the host-owned EL2: run() exits with HostException', () => {
    const r = new Rig([hvc(2)], { el: 1, hostOwned: true });
    expect(r.run()).toBe(Exit.HostException);
    expect(r.c.exitEl).toBe(2);
    expect(r.esr(2)).toBe(esr(0x16, 2));
  });
});

describe('exception return', () => {
  const MODE: Record<string, bigint> = { EL0t: M_EL0T, EL1t: M_EL1T, EL1h: M_EL1H, EL2t: M_EL2T, EL2h: M_EL2H, EL3t: M_EL3T, EL3h: M_EL3H };
  const legal: [number, 'ns' | 'secure', string][] = [
    [3, 'ns', 'EL3h'], [3, 'ns', 'EL3t'], [3, 'ns', 'EL2h'], [3, 'ns', 'EL2t'], [3, 'ns', 'EL1h'], [3, 'ns', 'EL1t'],
    [3, 'ns', 'EL0t'], [3, 'secure', 'EL1h'], [3, 'secure', 'EL0t'],
    [2, 'ns', 'EL2h'], [2, 'ns', 'EL2t'], [2, 'ns', 'EL1h'], [2, 'ns', 'EL1t'], [2, 'ns', 'EL0t'],
    [1, 'ns', 'EL1h'], [1, 'ns', 'EL1t'], [1, 'ns', 'EL0t'],
  ];
  it.each(legal)('ERET from EL%i (%s) to %s restores PSTATE and branches to ELR', (from, security, mode) => {
    const m = MODE[mode];
    const r = new Rig([ERET, NOP], { el: from as 1 | 2 | 3, security });
    const el = from as 1 | 2 | 3;
    r.c.setSysreg(`SPSR_EL${el}`, 0x6000_0000n | (0b1010n << 6n) | m);
    r.c.setSysreg(`ELR_EL${el}`, at(1));
    r.run(1n);
    expect(r.c.el).toBe(Number(m >> 2n));
    expect(r.c.pstate & 0x1fn).toBe(m);
    expect(r.c.pstate & DAIF).toBe(0b1010n << 6n);
    expect(r.c.pstate & IL).toBe(0n);
    expect(r.c.nzcv).toBe(0x6000_0000);
    expect(r.c.pc).toBe(at(1));
  });

  const illegal: [string, 1 | 2 | 3, 'ns' | 'secure' | 'root', bigint, bigint, bigint][] = [
    // name, from EL, security of the lower ELs, SPSR.M, HCR_EL2 bits to set, SCR_EL3 bits to set
    ['to a higher EL', 1, 'ns', M_EL2H, 0n, 0n],
    ['to EL3 from EL2', 2, 'ns', M_EL3H, 0n, 0n],
    ['to AArch32 (M[4] = 1)', 1, 'ns', 0b10000n, 0n, 0n],
    ['to AArch32 from EL3', 3, 'ns', 0b10011n, 0n, 0n],
    ['to the reserved M = 0b0001 (EL0 with SP_EL0 = 1)', 1, 'ns', 0b0001n, 0n, 0n],
    ['to the reserved M = 0b0010', 2, 'ns', 0b0010n, 0n, 0n],
    ['to the reserved M = 0b0110', 1, 'ns', 0b0110n, 0n, 0n],
    ['to the reserved M = 0b1011', 3, 'ns', 0b1011n, 0n, 0n],
    ['to the reserved M = 0b1111', 3, 'ns', 0b1111n, 0n, 0n],
    ['to EL1 with HCR_EL2.TGE = 1', 2, 'ns', M_EL1H, HCR_TGE, 0n],
    ['from EL3 to Non-secure EL1 with HCR_EL2.TGE = 1', 3, 'ns', M_EL1H, HCR_TGE, 0n],
    ['from EL3 to EL2 in Secure state (no Secure EL2)', 3, 'secure', M_EL2H, 0n, 0n],
    ['from EL3 to EL1 with SCR_EL3.{NSE,NS} = {1,0} (reserved)', 3, 'root', M_EL1H, 0n, 0n],
  ];
  it.each(illegal)('an illegal return %s sets PSTATE.IL, keeps EL and SP, and the next instruction takes an Illegal Execution state exception', (_, from, security, m, hcr, scr) => {
    const r = new Rig([ERET, NOP], { el: from, security, spsel: 1 });
    if (hcr) setBits(r, 'HCR_EL2', hcr);
    if (scr) setBits(r, 'SCR_EL3', scr);
    r.c.setSysreg(`SPSR_EL${from}`, 0x9000_0000n | m); // NZCV is restored even so
    r.c.setSysreg(`ELR_EL${from}`, at(1));
    r.run(1n);
    expect(r.c.el).toBe(from);
    expect(r.c.pstate & 0x1fn).toBe(BigInt(from << 2) | 1n);
    expect(r.c.pstate & IL).toBe(IL);
    expect(r.c.nzcv).toBe(0x9000_0000);
    expect(r.c.pc).toBe(at(1));
    r.run();
    expect(r.vector).toEqual({ el: from, offset: 0x200 });
    expect(r.esr(from)).toBe(esr(0x0e));
    expect(r.elr(from)).toBe(at(1));
  });

  it('ERET from EL2 to EL0 with HCR_EL2.TGE = 1 is legal', () => {
    const r = new Rig([ERET, NOP], { el: 2 });
    setBits(r, 'HCR_EL2', HCR_TGE);
    r.c.setSysreg('SPSR_EL2', M_EL0T);
    r.c.setSysreg('ELR_EL2', at(1));
    r.run(1n);
    expect(r.c.el).toBe(0);
    expect(r.c.pstate & IL).toBe(0n);
  });

  it('ERET to a misaligned ELR: the next fetch takes a PC alignment fault at the target EL', () => {
    const r = new Rig([ERET], { el: 2 });
    r.c.setSysreg('SPSR_EL2', M_EL1H);
    r.c.setSysreg('ELR_EL2', CODE + 0x42n);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.esr(1)).toBe(esr(0x22));
    expect(r.far(1)).toBe(CODE + 0x42n);
  });

  it('after an illegal return to a misaligned ELR the PC alignment fault wins over Illegal Execution state (D1.4.5.6: 7 before 8/11)', () => {
    const r = new Rig([ERET], { el: 1 });
    r.c.setSysreg('SPSR_EL1', M_EL2H);
    r.c.setSysreg('ELR_EL1', CODE + 0x42n);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.esr(1)).toBe(esr(0x22));
    expect(r.elr(1)).toBe(CODE + 0x42n);
    expect(r.spsr(1) & IL).toBe(IL);
  });

  it('ERET with SPSR.IL = 1 to a legal mode: the next instruction takes an Illegal Execution state exception', () => {
    const r = new Rig([ERET, NOP], { el: 2 });
    r.c.setSysreg('SPSR_EL2', M_EL1H | IL);
    r.c.setSysreg('ELR_EL2', at(1));
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.esr(1)).toBe(esr(0x0e));
  });

  it('ERET at EL0 is UNDEFINED', () => {
    const r = new Rig([ERET], { el: 0 });
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
    expect(r.esr(1)).toBe(esr(0));
    expect(r.elr(1)).toBe(at(0));
  });

  it('ERET restores only implemented PSTATE fields: RES0 bits of SPSR do not come back in the next SPSR', () => {
    // bits 5 (AArch32 T), 10-13 (BTYPE, SSBS, ALLINT), 21 (SS), 23 (UAO), 25 (TCO), 27 (Q): none implemented
    const res0 = (1n << 5n) | (0xfn << 10n) | (1n << 21n) | (1n << 23n) | (1n << 25n) | (1n << 27n);
    const r = new Rig([ERET, svc(0)], { el: 1 });
    r.c.setSysreg('SPSR_EL1', res0 | M_EL0T);
    r.c.setSysreg('ELR_EL1', at(1));
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x400 });
    expect(r.spsr(1)).toBe(M_EL0T);
  });

  it('ERET clears the local exclusive monitor: a STXR after it fails', () => {
    const code = [ldxr(1, 2), ERET, stxr(3, 4, 2)];
    const r = new Rig(code, { el: 1 });
    r.c.setSysreg('SPSR_EL1', M_EL1H);
    r.c.setSysreg('ELR_EL1', at(2));
    r.c.setX(2, DATA);
    r.c.setX(4, 0x5555n);
    r.write64(DATA, 0x1111n);
    r.run();
    expect(r.finished).toBe(true);
    expect(r.c.x(3)).toBe(1n);
    expect(r.read64(DATA)).toBe(0x1111n);
  });

  it('control: without the ERET the same STXR succeeds', () => {
    const r = new Rig([ldxr(1, 2), NOP, stxr(3, 4, 2)], { el: 1 });
    r.c.setX(2, DATA);
    r.c.setX(4, 0x5555n);
    r.c.setX(3, 7n);
    r.run();
    expect(r.finished).toBe(true);
    expect(r.c.x(3)).toBe(0n);
    expect(r.read64(DATA)).toBe(0x5555n);
  });

  it('exception entry clears the local exclusive monitor: a STXR in the handler fails', () => {
    const r = new Rig([ldxr(1, 2), svc(0)], { el: 1 });
    r.put(VBAR[1] + 0x200n, [stxr(3, 4, 2), END]);
    r.c.setX(2, DATA);
    r.c.setX(4, 0x5555n);
    r.write64(DATA, 0x1111n);
    r.run();
    expect(r.c.pc).toBe(VBAR[1] + 0x208n);
    expect(r.c.x(3)).toBe(1n);
    expect(r.read64(DATA)).toBe(0x1111n);
  });

  it('a round trip EL0 -> EL1 -> EL0 resumes after the SVC with EL0 state intact', () => {
    // EL1 handler at 0x400: add x0, x0, #1 ; eret
    const r = new Rig([svc(0), addImm(1, 0, 0)], { el: 0, daif: 0 });
    r.put(VBAR[1] + 0x400n, [addImm(0, 0, 1), ERET]);
    r.c.nzcv = 0x2000_0000;
    r.c.sp = 0x8000_0ff0n;
    r.c.setX(0, 41n);
    r.run();
    expect(r.finished).toBe(true);
    expect(r.c.el).toBe(0);
    expect(r.c.x(1)).toBe(42n);
    expect(r.c.nzcv).toBe(0x2000_0000);
    expect(r.c.sp).toBe(0x8000_0ff0n);
    expect(r.c.pstate & DAIF).toBe(0n);
  });

  it('MSR ELR_EL1/SPSR_EL1 then ERET enters EL0 at the chosen address', () => {
    const r = new Rig([...mov64(1, at(7)), msr('ELR_EL1', 1), ...mov64(2, 0n), msr('SPSR_EL1', 2), ERET, NOP], { el: 1 });
    r.run(6n);
    expect(r.c.el).toBe(0);
    expect(r.c.pc).toBe(at(7));
  });
});
