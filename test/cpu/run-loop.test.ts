// The run loop's inner loop over one page (execute_sequence in decode.gen.ts): modified code, branches within
// the page, page crossings and the budget must behave exactly as with a fetch per instruction.
import { describe, it, expect } from 'vitest';
import { Exit } from '../../src/core/core.js';
import { Rig, CODE } from '../helpers/rig.js';
import { asm, mov64, addImm, b } from '../helpers/asm.js';

const at = Rig.at;
/** STR Wt, [Xn]: a 32-bit store, as code that writes an instruction word makes it. */
const strW = (rt: number, rn: number) => asm('STR_off', { sz: 0, imm12: 0, rn, rt });
const subsImm = (rn: number, imm12: number) => asm('SUBS_i', { sf: 1, sh: 0, imm12, rn, rd: 31 });
const bNe = (offset: number) => asm('B_cond', { imm19: (offset >> 2) & 0x7ffff, cond: 1 });
const movz = (rd: number, imm16: number) => asm('MOVZ', { sf: 1, hw: 0, imm16, rd });

describe('run loop: sequences within a page', () => {
  it('executes a later instruction of the same page as the store before it wrote it', () => {
    // x1 = the address of the ADD at index 9, x2 = ADD X0, X0, #5: the STR replaces ADD #1 before it runs
    const code = [movz(0, 0), ...mov64(1, at(9)), ...mov64(2, BigInt(addImm(0, 0, 5)))];
    while (code.length < 8) code.push(movz(3, 0));
    code.push(strW(2, 1), addImm(0, 0, 1));
    expect(code.length).toBe(10);
    const r = new Rig(code);
    r.run();
    expect(r.finished).toBe(true);
    expect(r.c.x(0)).toBe(5n);
  });

  it('re-decodes an instruction rewritten between iterations of a loop that branches within the page', () => {
    // loop: ADD X0, X0, #1 (rewritten to ADD #100 by the first iteration); STR; X3 += 1; until X3 == 2
    const pre = [movz(0, 0), movz(3, 0), ...mov64(2, BigInt(addImm(0, 0, 100)))];
    const loop = pre.length + mov64(1, 0n).length + 3; // mov64 of the loop's address is padded to 4 words
    const setX1 = mov64(1, at(loop));
    while (setX1.length < 4) setX1.push(movz(4, 0));
    const code = [...pre, ...setX1];
    expect(code.length).toBe(loop);
    code.push(addImm(0, 0, 1), strW(2, 1), addImm(3, 3, 1), subsImm(3, 2), bNe(-16));
    const r = new Rig(code);
    r.run();
    expect(r.finished).toBe(true);
    expect(r.c.x(0)).toBe(101n);
  });

  it('stops after exactly the budget in the middle of a page, and resumes there', () => {
    const r = new Rig(Array.from({ length: 40 }, () => addImm(0, 0, 1)));
    const start = r.c.icount;
    expect(r.c.run(7n)).toBe(Exit.Budget);
    expect(r.c.icount - start).toBe(7n);
    expect(r.c.pc).toBe(at(7));
    expect(r.c.x(0)).toBe(7n);
    expect(r.c.run(13n)).toBe(Exit.Budget);
    expect(r.c.pc).toBe(at(20));
    expect(r.c.x(0)).toBe(20n);
  });

  it('runs on into the next page, and branches back across the boundary', () => {
    // At the end of the first page: 4 ADDs, the page boundary, 2 ADDs, a B back to the start of the 4
    const r = new Rig([b(0xff0)]);
    r.put(CODE + 0xff0n, [addImm(0, 0, 1), addImm(0, 0, 1), addImm(0, 0, 1), addImm(0, 0, 1)]);
    r.put(CODE + 0x1000n, [addImm(0, 0, 1), addImm(0, 0, 1), b(-0x18)]);
    expect(r.c.run(1n + 3n * 7n)).toBe(Exit.Budget);
    expect(r.c.x(0)).toBe(18n);
    expect(r.c.pc).toBe(CODE + 0xff0n);
  });
});
