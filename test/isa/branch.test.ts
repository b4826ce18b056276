import { describe, it, expect } from 'vitest';
import { runSnippet } from '../helpers/snippet.js';
import { Exit } from '../../src/core/core.js';

describe('branches', () => {
  it('B skips forward', () => {
    // b +8; hlt #0 (skipped: would be UNDEFINED without a halting debugger)
    const r = runSnippet([0x14000002, 0xd4400000]);
    expect(r.exit).toBe(Exit.Semihosting);
  });
  it('BL writes the link register', () => {
    const r = runSnippet([0x94000001]);
    expect(r.x(30)).toBe(0x8000_0004n);
  });
  it('CBZ branches on zero and CBNZ does not', () => {
    // cbnz x1, +8 (not taken since x1 = 0); cbz x1, +8 (taken) ; hlt #0 ; (end)
    const r = runSnippet([0xb5000041, 0xb4000041, 0xd4400000]);
    expect(r.exit).toBe(Exit.Semihosting);
  });
  it('TBNZ tests one bit', () => {
    // tbnz x2, #63, +8 ; hlt #0
    const r = runSnippet([0xb7f80042, 0xd4400000], { x: { 2: 1n << 63n } });
    expect(r.exit).toBe(Exit.Semihosting);
  });
  it('B.cond follows NZCV', () => {
    // b.eq +8 with Z set ; hlt #0
    const r = runSnippet([0x54000040, 0xd4400000], { nzcv: 0x4000_0000 });
    expect(r.exit).toBe(Exit.Semihosting);
  });
  it('an unallocated word takes the UNDEFINED exception to EL1', () => {
    const r = runSnippet([0x00000000], { el: 1 }, 1n);
    const esr = r.machine.core.sysreg('ESR_EL1');
    expect(esr >> 26n).toBe(0n);
    expect(r.machine.core.sysreg('ELR_EL1')).toBe(0x8000_0000n);
    expect(r.pc).toBe(0x200n); // VBAR_EL1 = 0, current EL with SP_ELx
  });
});
