// Integer data processing: hand-checked cases for the edges the Arm ARM calls out (SP versus XZR, flags,
// 32-bit zero extension, division by zero, CRC check values), and unallocated encodings that must reach
// the UNDEFINED exception through the decoder. The random coverage is in difftest.test.ts.
import { describe, it, expect } from 'vitest';
import { runSnippet, SNIPPET_BASE, type SnippetState } from '../helpers/snippet.js';
import { Exit } from '../../src/core/core.js';

const M64 = (1n << 64n) - 1n;
const N = 0x8000_0000, Z = 0x4000_0000, C = 0x2000_0000, V = 0x1000_0000;

/** Runs `words` from `init` and expects them to complete. */
function run(words: number[], init: SnippetState = {}) {
  const r = runSnippet(words, init);
  expect(r.exit).toBe(Exit.Semihosting);
  return r;
}

describe('add/subtract', () => {
  it('the immediate form reads and writes SP for register 31', () => {
    expect(run([0x910043ff], { sp: 0x1000n }).sp).toBe(0x1010n); // add sp, sp, #16
    expect(run([0x110003e0], { sp: 0x1234_5678_9abc_def0n }).x(0)).toBe(0x9abc_def0n); // mov w0, wsp
    expect(run([0x917ffc20], { x: { 1: 1n } }).x(0)).toBe(0xfff001n); // add x0, x1, #4095, lsl #12
  });
  it('CMN/CMP write nothing: Rd 31 of a flag-setting form is XZR', () => {
    const r = run([0xb10007ff], { sp: M64, nzcv: N }); // cmn sp, #1
    expect(r.nzcv).toBe(Z | C);
    expect(r.sp).toBe(M64);
    const s = run([0xf10007e0], { sp: 0n }); // subs x0, sp, #1
    expect(s.x(0)).toBe(M64);
    expect(s.nzcv).toBe(N); // borrow: C clear
  });
  it('the extended form extends, shifts, and uses SP', () => {
    expect(run([0xcb22483f], { x: { 1: 0x1000n, 2: 0xffff_ffff_0000_0010n } }).sp).toBe(0xfc0n); // sub sp, x1, w2, uxtw #2
    const r = run([0xab229023], { x: { 1: 0n, 2: 0x80n } }); // adds x3, x1, w2, sxtb #4
    expect(r.x(3)).toBe(0xffff_ffff_ffff_f800n);
    expect(r.nzcv).toBe(N);
  });
  it('the shifted form sets V on signed overflow and zero-extends 32-bit results', () => {
    const r = run([0x6b027c20], { x: { 0: M64, 1: 0n, 2: 1n } }); // subs w0, w1, w2, lsl #31
    expect(r.x(0)).toBe(0x8000_0000n);
    expect(r.nzcv).toBe((N | V) >>> 0);
    expect(run([0x8b82fc20], { x: { 1: 1n, 2: 1n << 63n } }).x(0)).toBe(0n); // add x0, x1, x2, asr #63
  });
  it('ADC and SBCS use the carry flag', () => {
    expect(run([0x9a020020], { x: { 1: 1n, 2: 2n }, nzcv: C }).x(0)).toBe(4n); // adc x0, x1, x2
    const r = run([0x7a020020], { x: { 1: 5n, 2: 5n } }); // sbcs w0, w1, w2 with C clear: 5 - 5 - 1
    expect(r.x(0)).toBe(0xffff_ffffn);
    expect(r.nzcv).toBe(N);
  });
  it('ADR and ADRP are PC-relative', () => {
    const r = run([0x10000800, 0xb0000020]); // adr x0, #256 ; adrp x0, #0x5000 (from the second word)
    expect(r.x(0)).toBe(SNIPPET_BASE + 0x5000n);
    expect(run([0x10000800]).x(0)).toBe(SNIPPET_BASE + 0x100n);
  });
});

describe('logical and move wide', () => {
  it('decodes bitmask immediates and writes SP only from the non-flag-setting forms', () => {
    expect(run([0x92781c3f], { x: { 1: 0x12345n } }).sp).toBe(0x2300n); // and sp, x1, #0xff00
    expect(run([0x3200f3e0], { x: { 0: M64 } }).x(0)).toBe(0x5555_5555n); // orr w0, wzr, #0x55555555
    expect(run([0xd27ff820], { x: { 1: 3n } }).x(0)).toBe(M64 - 2n); // eor x0, x1, #0xfffffffffffffffe
    const r = run([0xf2410020], { x: { 1: (1n << 63n) | 1n }, nzcv: C | V }); // ands x0, x1, #1 << 63
    expect(r.x(0)).toBe(1n << 63n);
    expect(r.nzcv).toBe(N); // C and V cleared
  });
  it('shifted-register forms invert and rotate', () => {
    const r = run([0xeae22020], { x: { 1: M64, 2: 0xffn } }); // bics x0, x1, x2, ror #8
    expect(r.x(0)).toBe(0x00ff_ffff_ffff_ffffn);
    expect(r.nzcv).toBe(0);
    expect(run([0x4a621020], { x: { 1: 0n, 2: 0xf0n } }).x(0)).toBe(0xffff_fff0n); // eon w0, w1, w2, lsr #4
  });
  it('MOVN, MOVZ and MOVK', () => {
    expect(run([0x12a24680]).x(0)).toBe(0xedcb_ffffn); // movn w0, #0x1234, lsl #16
    expect(run([0xd2f7dde0]).x(0)).toBe(0xbeef_0000_0000_0000n); // movz x0, #0xbeef, lsl #48
    expect(run([0x72b579a0], { x: { 0: 0xffff_ffff_0000_1234n } }).x(0)).toBe(0xabcd_1234n); // movk w0, #0xabcd, lsl #16
  });
});

describe('bitfield, extract and shifts', () => {
  it('SBFM, BFM and UBFM', () => {
    expect(run([0x93442c20], { x: { 1: 0xf80n } }).x(0)).toBe(M64 - 7n); // sbfx x0, x1, #4, #8
    expect(run([0x33081c20], { x: { 0: 0xffff_ffff_1122_3344n, 1: 0xabn } }).x(0)).toBe(0xab22_3344n); // bfi w0, w1, #24, #8
    expect(run([0xd37cfc20], { x: { 1: 0xfn << 60n } }).x(0)).toBe(0xfn); // lsr x0, x1, #60
    expect(run([0x131f7c20], { x: { 1: 0x8000_0000n } }).x(0)).toBe(0xffff_ffffn); // asr w0, w1, #31
  });
  it('EXTR', () => {
    expect(run([0x93c22020], { x: { 1: 0x11n, 2: 0x2233_4455_6677_8899n } }).x(0)).toBe(0x1122_3344_5566_7788n); // extr x0, x1, x2, #8
    expect(run([0x13811020], { x: { 1: 0x1234_5678n } }).x(0)).toBe(0x8123_4567n); // ror w0, w1, #4
  });
  it('variable shifts take the amount modulo the datasize', () => {
    expect(run([0x9ac22020], { x: { 1: 1n, 2: 65n } }).x(0)).toBe(2n); // lsl x0, x1, x2
    expect(run([0x1ac22820], { x: { 1: 0x8000_0000n, 2: 33n } }).x(0)).toBe(0xc000_0000n); // asr w0, w1, w2
    expect(run([0x9ac22c20], { x: { 1: 1n, 2: 1n } }).x(0)).toBe(1n << 63n); // ror x0, x1, x2
  });
});

describe('conditional select and compare', () => {
  it('condition 1111 holds, like AL', () => {
    expect(run([0xda82f020], { x: { 1: 7n, 2: 9n } }).x(0)).toBe(7n); // csinv x0, x1, x2, nv
  });
  it('CSNEG negates when the condition fails', () => {
    expect(run([0xda82b420], { x: { 1: 7n, 2: 5n } }).x(0)).toBe(M64 - 4n); // csneg x0, x1, x2, lt
  });
  it('CCMP and CCMN compare when the condition holds, else set the immediate flags', () => {
    expect(run([0xfa42a025], { x: { 1: 7n, 2: 7n } }).nzcv).toBe(Z | C); // ccmp x1, x2, #5, ge
    expect(run([0xfa42a025], { x: { 1: 7n, 2: 7n }, nzcv: N }).nzcv).toBe(Z | V);
    expect(run([0x3a5f882a], { x: { 1: 0xffff_ffe1n }, nzcv: C }).nzcv).toBe(Z | C); // ccmn w1, #31, #10, hi
  });
});

describe('multiply and divide', () => {
  it('multiply-add forms', () => {
    expect(run([0x1b028c20], { x: { 1: 3n, 2: 4n, 3: 10n } }).x(0)).toBe(0xffff_fffen); // msub w0, w1, w2, w3
    expect(run([0x9b220c20], { x: { 1: 0x1234_5678_ffff_fffen, 2: 3n, 3: 10n } }).x(0)).toBe(4n); // smaddl x0, w1, w2, x3
    expect(run([0x9ba28c20], { x: { 1: 0xffff_ffffn, 2: 2n, 3: 0n } }).x(0)).toBe(0xffff_fffe_0000_0002n); // umsubl x0, w1, w2, x3
  });
  it('SMULH and UMULH give the high half of the 128-bit product', () => {
    expect(run([0x9b427c20], { x: { 1: M64, 2: 1n } }).x(0)).toBe(M64); // smulh x0, x1, x2: -1 * 1
    expect(run([0x9bc27c20], { x: { 1: M64, 2: M64 } }).x(0)).toBe(M64 - 1n); // umulh x0, x1, x2
    expect(run([0x9b427c20], { x: { 1: 1n << 63n, 2: 1n << 63n } }).x(0)).toBe(1n << 62n); // (-2^63)^2
  });
  it('division by zero gives 0, INT_MIN / -1 gives INT_MIN, and quotients round toward zero', () => {
    expect(run([0x9ac20820], { x: { 1: 5n, 2: 0n } }).x(0)).toBe(0n); // udiv x0, x1, x2
    expect(run([0x9ac20c20], { x: { 1: 1n << 63n, 2: M64 } }).x(0)).toBe(1n << 63n); // sdiv x0, x1, x2
    expect(run([0x1ac20c20], { x: { 1: 0xffff_fff9n, 2: 2n } }).x(0)).toBe(0xffff_fffdn); // sdiv w0, w1, w2: -7 / 2
  });
});

describe('bit operations and CRC32', () => {
  it('reversals', () => {
    expect(run([0xdac00020], { x: { 1: 1n } }).x(0)).toBe(1n << 63n); // rbit x0, x1
    expect(run([0x5ac00420], { x: { 1: 0x1122_3344n } }).x(0)).toBe(0x2211_4433n); // rev16 w0, w1
    expect(run([0xdac00820], { x: { 1: 0x1122_3344_5566_7788n } }).x(0)).toBe(0x4433_2211_8877_6655n); // rev32 x0, x1
    expect(run([0xdac00c20], { x: { 1: 0x1122_3344_5566_7788n } }).x(0)).toBe(0x8877_6655_4433_2211n); // rev x0, x1
    expect(run([0x5ac00820], { x: { 1: 0x1122_3344n } }).x(0)).toBe(0x4433_2211n); // rev w0, w1
  });
  it('leading zeros and sign bits', () => {
    expect(run([0xdac01020], { x: { 1: 0n } }).x(0)).toBe(64n); // clz x0, x1
    expect(run([0x5ac01420], { x: { 1: 0xffff_ffffn } }).x(0)).toBe(31n); // cls w0, w1
    expect(run([0xdac01420], { x: { 1: 1n } }).x(0)).toBe(62n); // cls x0, x1
  });
  it('CRC32 and CRC32C give the standard check values of "123456789" (with the usual inversions)', () => {
    const init = { x: { 1: 0xffff_ffffn, 2: 0x3837_3635_3433_3231n, 3: 0x39n } }; // "12345678", "9"
    expect(run([0x9ac24c20, 0x1ac34000], init).x(0) ^ 0xffff_ffffn).toBe(0xcbf4_3926n); // crc32x w0, w1, x2 ; crc32b w0, w0, w3
    expect(run([0x9ac25c20, 0x1ac35000], init).x(0) ^ 0xffff_ffffn).toBe(0xe306_9283n); // crc32cx ; crc32cb
  });
});

describe('unallocated data-processing encodings take the UNDEFINED exception', () => {
  const words: [number, string][] = [
    [0x8bc00000, 'add/subtract (shifted register) with shift 11'],
    [0x0b008000, 'add (shifted register), 32-bit, imm6<5> = 1'],
    [0x0a008000, 'and (shifted register), 32-bit, imm6<5> = 1'],
    [0x8b201400, 'add (extended register) with imm3 = 5'],
    [0x8b600000, 'add/subtract (extended register) with opt = 01'],
    [0x12400000, 'logical (immediate), 32-bit, N = 1'],
    [0x9240fc00, 'logical (immediate): 64-bit element of all ones'],
    [0x12007c00, 'logical (immediate): 32-bit element of all ones'],
    [0x1200fc00, 'logical (immediate): element size below 2'],
    [0x52c00000, 'movz, 32-bit, hw = 2'],
    [0x32800000, 'move wide with opc = 01'],
    [0x93000000, 'sbfm, 64-bit, N = 0'],
    [0x13400000, 'sbfm, 32-bit, N = 1'],
    [0x13200000, 'sbfm, 32-bit, immr<5> = 1'],
    [0x13008000, 'sbfm, 32-bit, imms<5> = 1'],
    [0x73000000, 'bitfield with opc = 11'],
    [0x13808000, 'extr, 32-bit, imms<5> = 1'],
    [0x93800000, 'extr, 64-bit, N = 0'],
    [0x93e00000, 'extract with o0 = 1'],
    [0x1ac04c00, 'crc32x with sf = 0'],
    [0x9ac04000, 'crc32b with sf = 1'],
    [0x5ac00c00, 'rev of a doubleword with sf = 0'],
    [0x1b200000, 'smaddl with sf = 0'],
    [0x9b408000, 'smulh with o0 = 1'],
    [0xfa400010, 'ccmp with o3 = 1'],
    [0xfa400400, 'ccmp with o2 = 1'],
    [0x9a800800, 'conditional select with op2 = 10'],
    [0x9a000400, 'add/subtract (with carry) with opcode2 != 000000 (RMIF space, FEAT_FlagM)'],
    [0x3ac00800, 'data-processing (2 source) with S = 1'],
    [0xdac01800, 'CTZ (FEAT_CSSC)'],
    [0xdac10000, 'PACIA (FEAT_PAuth)'],
    [0x91800000, 'ADDG (FEAT_MTE)'],
  ];
  for (const [w, what] of words) {
    it(`0x${w.toString(16).padStart(8, '0')}: ${what}`, () => {
      const r = runSnippet([w], { el: 1 }, 1n);
      expect(r.machine.core.sysreg('ESR_EL1') >> 26n).toBe(0n);
      expect(r.machine.core.sysreg('ELR_EL1')).toBe(SNIPPET_BASE);
      expect(r.pc).toBe(0x200n);
    });
  }
});
