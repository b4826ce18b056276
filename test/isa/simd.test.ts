// Advanced SIMD and crypto: hand-checked cases for the rules the Arm ARM calls out (saturation and FPSR.QC,
// scalar writes clearing the register, the "2" forms keeping the other half, table lookups out of range,
// rounding shifts at the widest amounts), the SIMD&FP access trap, reserved encodings, and the FIPS-197
// example round for AES. The random coverage is in difftest.test.ts (groups simd-* and crypto).
import { describe, it, expect } from 'vitest';
import { Rig } from '../helpers/rig.js';
import { asm, mrs, msr } from '../helpers/asm.js';
import { A64 } from '../../src/isa/a64.table.js';
import { referenceDecode } from '../../src/isa/encoding.js';

const QC = 1n << 27n;
const CPACR_FPEN = 3n << 20n;
type V = [bigint, bigint]; // low and high 64 bits

/**
 * Runs `body` at EL1 with SIMD&FP enabled and V0-V7 preset from `v` (through X0-X15 and INS), then returns
 * V0-V7 (through UMOV) and FPSR.
 */
function simd(body: number[], v: Partial<Record<number, V>> = {}): { v: (n: number) => V; fpsr: bigint } {
  const words = [msr('CPACR_EL1', 30)];
  for (let n = 0; n < 8; n++) {
    words.push(asm('INS_g', { imm5: 0b01000, rn: 2 * n, rd: n }), asm('INS_g', { imm5: 0b11000, rn: 2 * n + 1, rd: n }));
  }
  words.push(...body);
  for (let n = 0; n < 8; n++) {
    words.push(asm('UMOV_x', { index: 0, rn: n, rd: 2 * n }), asm('UMOV_x', { index: 1, rn: n, rd: 2 * n + 1 }));
  }
  words.push(mrs(16, 'FPSR'));
  const r = new Rig(words, { el: 1 });
  r.c.setX(30, CPACR_FPEN);
  for (let n = 0; n < 8; n++) {
    r.c.setX(2 * n, v[n]?.[0] ?? 0n);
    r.c.setX(2 * n + 1, v[n]?.[1] ?? 0n);
  }
  r.run();
  expect(r.finished, `stopped early at pc 0x${r.c.pc.toString(16)}, ESR_EL1 0x${r.c.sysreg('ESR_EL1').toString(16)}`).toBe(true);
  return { v: (n) => [r.c.x(2 * n), r.c.x(2 * n + 1)], fpsr: r.c.x(16) };
}

const bytes = (...b: number[]): bigint => b.reduce((acc, x, i) => acc | (BigInt(x) << BigInt(8 * i)), 0n);
const rep = (pattern: bigint, bits: number): bigint => {
  let r = 0n;
  for (let i = 0; i < 64; i += bits) r |= pattern << BigInt(i);
  return r;
};
const M64 = (1n << 64n) - 1n;

describe('saturating arithmetic sets FPSR.QC (C5.2.9), and only when it saturates', () => {
  it('SQADD V.16B clamps 0x7f + 1 to 0x7f; UQADD clamps 0xff + 1 to 0xff', () => {
    const s = simd([asm('SQADD_v', { Q: 1, size: 0, rm: 2, rn: 1, rd: 0 })], { 1: [rep(0x7fn, 8), 0n], 2: [rep(1n, 8), 0n] });
    expect(s.v(0)).toEqual([rep(0x7fn, 8), 0n]);
    expect(s.fpsr & QC).toBe(QC);
    const u = simd([asm('UQADD_v', { Q: 1, size: 0, rm: 2, rn: 1, rd: 0 })], { 1: [rep(0xffn, 8), 1n], 2: [rep(1n, 8), 1n] });
    expect(u.v(0)).toEqual([rep(0xffn, 8), 2n]);
    expect(u.fpsr & QC).toBe(QC);
  });
  it('ADD wraps without setting QC, and SQADD that does not saturate leaves QC clear', () => {
    const s = simd([asm('ADD_v', { Q: 1, size: 0, rm: 2, rn: 1, rd: 0 }), asm('SQADD_v', { Q: 1, size: 0, rm: 2, rn: 2, rd: 3 })], {
      1: [rep(0x7fn, 8), 0n], 2: [rep(1n, 8), 0n],
    });
    expect(s.v(0)[0]).toBe(rep(0x80n, 8));
    expect(s.v(3)[0]).toBe(rep(2n, 8));
    expect(s.fpsr & QC).toBe(0n);
  });
  it('SQADD D saturates 64-bit lanes both ways', () => {
    const s = simd([asm('SQADD_s', { size: 3, rm: 2, rn: 1, rd: 0 }), asm('SQADD_s', { size: 3, rm: 4, rn: 3, rd: 5 })], {
      1: [0x7fff_ffff_ffff_ffffn, 0n], 2: [1n, 0n], 3: [0x8000_0000_0000_0000n, 0n], 4: [M64, 0n],
    });
    expect(s.v(0)).toEqual([0x7fff_ffff_ffff_ffffn, 0n]);
    expect(s.v(5)).toEqual([0x8000_0000_0000_0000n, 0n]);
    expect(s.fpsr & QC).toBe(QC);
  });
  it('SQDMULH: only -1.0 * -1.0 overflows; 0.5 * 0.5 = 0.25', () => {
    const s = simd([asm('SQDMULH_v', { Q: 0, size: 1, rm: 2, rn: 1, rd: 0 })], {
      1: [bytes(0x00, 0x80, 0x00, 0x40), 0n], 2: [bytes(0x00, 0x80, 0x00, 0x40), 0n],
    });
    expect(s.v(0)).toEqual([bytes(0xff, 0x7f, 0x00, 0x20), 0n]);
    expect(s.fpsr & QC).toBe(QC);
  });
  it('SQABS and SQNEG of the most negative value give the most positive, with QC', () => {
    const s = simd([asm('SQABS_v', { Q: 0, size: 2, rn: 1, rd: 0 })], { 1: [0x8000_0000_ffff_fffen, 0n] });
    expect(s.v(0)[0]).toBe(0x7fff_ffff_0000_0002n);
    expect(s.fpsr & QC).toBe(QC);
  });
});

describe('register views and halves (C1.2.5)', () => {
  it('a scalar result (ADD D0) clears the upper 64 bits; a 64-bit vector one (ADD V0.8B) too', () => {
    const s = simd([asm('ADD_s', { size: 3, rm: 2, rn: 1, rd: 0 }), asm('ADD_v', { Q: 0, size: 0, rm: 2, rn: 1, rd: 3 })], {
      0: [5n, 6n], 1: [1n, 7n], 2: [2n, 7n], 3: [9n, 9n],
    });
    expect(s.v(0)).toEqual([3n, 0n]);
    expect(s.v(3)).toEqual([3n, 0n]);
  });
  it('XTN2 writes the upper half and keeps the lower; XTN clears the upper half', () => {
    const src: V = [0x0004_0003_0002_0001n, 0x0008_0007_0006_0005n];
    const s = simd([asm('XTN_v', { Q: 1, size: 0, rn: 1, rd: 0 }), asm('XTN_v', { Q: 0, size: 0, rn: 1, rd: 2 })], {
      0: [0x1111n, 0x2222n], 1: src, 2: [0x3333n, 0x4444n],
    });
    expect(s.v(0)).toEqual([0x1111n, bytes(1, 2, 3, 4, 5, 6, 7, 8)]);
    expect(s.v(2)).toEqual([bytes(1, 2, 3, 4, 5, 6, 7, 8), 0n]);
  });
  it('INS changes one lane (here H[1] from H[2]); UMOV and SMOV read one, SMOV sign-extending', () => {
    const s = simd([asm('INS_e', { imm5: 0b00110, imm4: 0b0100, rn: 1, rd: 0 })], { 0: [0n, M64], 1: [0xabcd_0000_0000n, 0n] });
    expect(s.v(0)).toEqual([0xabcd_0000n, M64]);
    const r = new Rig([msr('CPACR_EL1', 30), asm('INS_g', { imm5: 0b00010, rn: 1, rd: 0 }), asm('SMOV_x', { imm5: 0b00010, rn: 0, rd: 2 }), asm('UMOV_w', { imm5: 0b00010, rn: 0, rd: 3 })], { el: 1 });
    r.c.setX(30, CPACR_FPEN);
    r.c.setX(1, 0x8001n);
    r.run();
    expect(r.c.x(2)).toBe(0xffff_ffff_ffff_8001n);
    expect(r.c.x(3)).toBe(0x8001n);
  });
});

describe('shifts at the edges of their range', () => {
  it('URSHL by -64 rounds: 2^63 becomes 1; SRSHL by -64 gives 0', () => {
    const s = simd([asm('URSHL_s', { size: 3, rm: 2, rn: 1, rd: 0 }), asm('SRSHL_s', { size: 3, rm: 2, rn: 1, rd: 3 })], {
      1: [0x8000_0000_0000_0000n, 0n], 2: [0xc0n, 0n], // shift -64
    });
    expect(s.v(0)[0]).toBe(1n);
    expect(s.v(3)[0]).toBe(0n);
  });
  it('UQSHL by 64 or more saturates any nonzero lane and leaves zero alone', () => {
    const s = simd([asm('UQSHL_s', { size: 3, rm: 2, rn: 1, rd: 0 }), asm('UQSHL_s', { size: 3, rm: 2, rn: 3, rd: 4 })], {
      1: [1n, 0n], 2: [64n, 0n], 3: [0n, 0n],
    });
    expect(s.v(0)[0]).toBe(M64);
    expect(s.v(4)[0]).toBe(0n);
    expect(s.fpsr & QC).toBe(QC);
  });
  it('SRI #64 leaves the destination unchanged; SLI #0 copies the source', () => {
    const s = simd([asm('SRI_si', { immh: 0b1000, immb: 0, rn: 1, rd: 0 }), asm('SLI_si', { immh: 0b1000, immb: 0, rn: 1, rd: 2 })], {
      0: [0x1234n, 0n], 1: [M64, 0n], 2: [0x5678n, 0n],
    });
    expect(s.v(0)[0]).toBe(0x1234n);
    expect(s.v(2)[0]).toBe(M64);
  });
});

describe('table lookups (C7.2 TBL, TBX)', () => {
  it('TBL gives 0 for an index past the table; TBX keeps the destination byte', () => {
    const table: V = [bytes(0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17), bytes(0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f)];
    const idx: V = [bytes(0, 15, 16, 255, 3, 1, 2, 0), 0n];
    const s = simd([asm('TBL_v', { Q: 0, rm: 2, len: 0, rn: 1, rd: 0 }), asm('TBX_v', { Q: 0, rm: 2, len: 0, rn: 1, rd: 3 })], {
      1: table, 2: idx, 3: [rep(0xeen, 8), rep(0xeen, 8)],
    });
    expect(s.v(0)).toEqual([bytes(0x10, 0x1f, 0, 0, 0x13, 0x11, 0x12, 0x10), 0n]);
    expect(s.v(3)).toEqual([bytes(0x10, 0x1f, 0xee, 0xee, 0x13, 0x11, 0x12, 0x10), 0n]);
  });
});

describe('estimates and sign-bit operations', () => {
  it('URECPE: 0.5 gives 511/256, just under 1.0 gives 1.0, below 0.5 all ones (J1.3.3.522)', () => {
    const s = simd([asm('URECPE_v', { Q: 1, rn: 1, rd: 0 })], { 1: [0xff80_0000_8000_0000n, 0xffff_ffff_7fff_ffffn] });
    expect(s.v(0)).toEqual([0x8000_0000_ff80_0000n, 0x8000_0000_ffff_ffffn]);
  });
  it('URSQRTE: 0.25 gives 511/256 (nearest to 2.0), below 0.25 all ones (J1.3.3.521)', () => {
    const s = simd([asm('URSQRTE_v', { Q: 0, rn: 1, rd: 0 })], { 1: [0x3fff_ffff_4000_0000n, 0n] });
    expect(s.v(0)).toEqual([0xffff_ffff_ff80_0000n, 0n]);
  });
  it('FNEG and FABS flip or clear only the sign bits, NaNs included', () => {
    const s = simd([asm('FNEG_v', { Q: 1, sz: 1, rn: 1, rd: 0 }), asm('FABS_v', { Q: 0, sz: 0, rn: 1, rd: 2 })], {
      1: [0xfff8_0000_0000_0001n, 0x7ff0_0000_0000_0000n],
    });
    expect(s.v(0)).toEqual([0x7ff8_0000_0000_0001n, 0xfff0_0000_0000_0000n]);
    expect(s.v(2)).toEqual([0x7ff8_0000_0000_0001n, 0n]);
  });
});

describe('floating point (J1.3.3 FPMulX, FPRecipStepFused, Reduce)', () => {
  const ONE = 0x3f80_0000n, TWO = 0x4000_0000n, INF = 0x7f80_0000n, NEG = 0x8000_0000n;
  it('FMULX: infinity times zero is 2.0 with the sign of the product; FMUL gives the default NaN with IOC', () => {
    const s = simd([asm('FMULX_v', { Q: 0, sz: 0, rm: 2, rn: 1, rd: 0 }), asm('FMUL_v', { Q: 0, sz: 0, rm: 2, rn: 1, rd: 3 })], {
      1: [INF | ((NEG | INF) << 32n), 0n], 2: [NEG | (0n << 32n), 0n],
    });
    expect(s.v(0)).toEqual([(NEG | TWO) | ((NEG | TWO) << 32n), 0n]);
    expect(s.v(3)).toEqual([0x7fc0_0000n | (0x7fc0_0000n << 32n), 0n]);
    expect(s.fpsr & 1n).toBe(1n);
  });
  it('FRECPS: 2.0 - a*b, and 2.0 for infinity times zero', () => {
    const s = simd([asm('FRECPS_v', { Q: 0, sz: 0, rm: 2, rn: 1, rd: 0 })], { 1: [ONE | (INF << 32n), 0n], 2: [ONE | (0n << 32n), 0n] });
    expect(s.v(0)).toEqual([ONE | (TWO << 32n), 0n]);
  });
  it('FADDP adds adjacent pairs of Vn then Vm; FMAXV reduces in halves', () => {
    const f = (x: number) => BigInt(new Uint32Array(new Float32Array([x]).buffer)[0]);
    const s = simd([asm('FADDP_v', { Q: 1, sz: 0, rm: 2, rn: 1, rd: 0 }), asm('FMAXV_v', { rn: 1, rd: 3 })], {
      1: [f(1) | (f(2) << 32n), f(3) | (f(-4) << 32n)], 2: [f(0.5) | (f(0.25) << 32n), f(8) | (f(8) << 32n)],
    });
    expect(s.v(0)).toEqual([f(3) | (f(-1) << 32n), f(0.75) | (f(16) << 32n)]);
    expect(s.v(3)).toEqual([f(3), 0n]);
  });
  it('FCVTL2 widens the upper singles to doubles; FCVTN2 narrows into the upper half', () => {
    const s = simd([asm('FCVTL_v', { Q: 1, sz: 1, rn: 1, rd: 0 }), asm('FCVTN_v', { Q: 1, sz: 1, rn: 0, rd: 2 })], {
      1: [0n, ONE | (TWO << 32n)], 2: [0x1234n, 0n],
    });
    expect(s.v(0)).toEqual([0x3ff0_0000_0000_0000n, 0x4000_0000_0000_0000n]);
    expect(s.v(2)).toEqual([0x1234n, ONE | (TWO << 32n)]);
  });
});

describe('AES (FIPS-197 appendix B, round 1)', () => {
  const input: V = [bytes(0x32, 0x43, 0xf6, 0xa8, 0x88, 0x5a, 0x30, 0x8d), bytes(0x31, 0x31, 0x98, 0xa2, 0xe0, 0x37, 0x07, 0x34)];
  const key: V = [bytes(0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6), bytes(0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c)];
  const afterShiftRows: V = [bytes(0xd4, 0xbf, 0x5d, 0x30, 0xe0, 0xb4, 0x52, 0xae), bytes(0xb8, 0x41, 0x11, 0xf1, 0x1e, 0x27, 0x98, 0xe5)];
  const afterMixColumns: V = [bytes(0x04, 0x66, 0x81, 0xe5, 0xe0, 0xcb, 0x19, 0x9a), bytes(0x48, 0xf8, 0xd3, 0x7a, 0x28, 0x06, 0x26, 0x4c)];
  it('AESE then AESMC give the state after round 1; AESIMC and AESD undo them', () => {
    const s = simd([
      asm('AESE', { rn: 1, rd: 0 }), asm('ORR_v', { Q: 1, rm: 0, rn: 0, rd: 2 }), asm('AESMC', { rn: 0, rd: 3 }),
      asm('AESIMC', { rn: 3, rd: 4 }), asm('MOVI_d', { Q: 1, rd: 5 }), asm('AESD', { rn: 5, rd: 4 }), // AESD with a zero key
    ], { 0: input, 1: key });
    expect(s.v(2)).toEqual(afterShiftRows);
    expect(s.v(3)).toEqual(afterMixColumns);
    expect(s.v(4)).toEqual([bytes(0x19, 0x3d, 0xe3, 0xbe, 0xa0, 0xf4, 0xe2, 0x2b), bytes(0x9a, 0xc6, 0x8d, 0x2a, 0xe9, 0xf8, 0x48, 0x08)]);
  });
});

describe('enables and reserved encodings', () => {
  it('with CPACR_EL1.FPEN = 0 an AdvSIMD instruction takes the SIMD&FP access trap (EC 0x07) and does nothing', () => {
    const r = new Rig([asm('ADD_v', { Q: 1, size: 0, rm: 2, rn: 1, rd: 0 })], { el: 1 });
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.c.sysreg('ESR_EL1')).toBe((0x07n << 26n) | (1n << 25n) | (0x1en << 20n));
  });
  it.each([
    ['ADD V0.1D (size 11, Q 0)', 'ADD_v', { Q: 0, size: 3 }],
    ['MUL V0.2D', 'MUL_v', { Q: 1, size: 3 }],
    ['SQDMULH V0.16B', 'SQDMULH_v', { Q: 1, size: 0 }],
    ['PMULL V0.4S, V1.4H, V2.4H', 'PMULL_v', { Q: 0, size: 1 }],
    ['ADDV S0, V1.2S', 'ADDV_v', { Q: 0, size: 2 }],
    ['SSHR V0.1D (immh 1xxx, Q 0)', 'SSHR_vi', { Q: 0, immh: 8 }],
    ['SSHR S0 (scalar, not D)', 'SSHR_si', { immh: 4 }],
    ['DUP V0.1D', 'DUP_ve', { Q: 0, imm5: 8 }],
    ['UMOV W0, V1.D[0]', 'UMOV_w', { imm5: 8 }],
    ['EXT V0.8B with index 8', 'EXT_v', { Q: 0, imm4: 8 }],
  ] as [string, string, Record<string, number>][])('%s is UNDEFINED', (_, name, fields) => {
    const word = asm(name, fields);
    expect(referenceDecode(A64, word)).toBeUndefined();
    const r = new Rig([msr('CPACR_EL1', 30), word], { el: 1 });
    r.c.setX(30, CPACR_FPEN);
    r.run();
    expect(r.vector).toEqual({ el: 1, offset: 0x200 });
    expect(r.c.sysreg('ESR_EL1')).toBe(1n << 25n);
  });
});
