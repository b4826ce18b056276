import { describe, it, expect } from 'vitest';
import { Machine } from '../../src/machine/machine.js';

const movz = (rd: number, imm: number, hw = 0) => (0xd2800000 | (hw << 21) | (imm << 5) | rd) >>> 0;
const movk = (rd: number, imm: number, hw: number) => (0xf2800000 | (hw << 21) | (imm << 5) | rd) >>> 0;
const HLT_SEMIHOST = 0xd45e0000;

describe('semihosting', () => {
  it('resumes at the instruction after the HLT', () => {
    const out: number[] = [];
    const m = new Machine({ ramMiB: 4, console: (b) => out.push(...b) });
    m.writePhysical(0x8000_1000n, Uint8Array.of(0x41));
    const code = [
      movz(0, 0x03), movz(1, 0x1000), movk(1, 0x8000, 1), HLT_SEMIHOST, // SYS_WRITEC 'A'
      movz(5, 0x2a), // must run
      movz(0, 0x18), movz(1, 0x0026), movk(1, 0x2, 1), HLT_SEMIHOST, // SYS_EXIT, ADP_Stopped_ApplicationExit
    ];
    m.writePhysical(0x8000_0000n, new Uint8Array(new Uint32Array(code).buffer));
    m.start(0x8000_0000n, { el: 1, security: 'ns' });
    expect(m.run(100n)).toEqual({ kind: 'exit', status: 0 });
    expect(out).toEqual([0x41]);
    expect(m.core.x(5)).toBe(0x2an);
  });
});
