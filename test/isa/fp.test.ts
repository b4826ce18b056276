// The softfloat core (assembly/cpu/fp/) through scalar FP instructions, on the corner cases the Arm ARM's
// FP pseudocode names (J1.3 FPRound, FPUnpack, FPProcessNaNs, FPMulAdd, FPToFixed, FPConvert): tininess
// detected before rounding, FZ flushing inputs (IDC) and outputs (UFC without IXC), the default NaN,
// signalling NaN quieting and its priority between operands, fused multiply-add with infinities and
// zeros, saturating conversions with IOC, AHP, and the rounding modes. Random coverage against QEMU is in
// difftest.test.ts (groups fp-*).
import { describe, it, expect } from 'vitest';
import { Machine } from '../../src/machine/machine.js';
import { Exit } from '../../src/core/core.js';
import { asm } from '../helpers/asm.js';
import { A64 } from '../../src/isa/a64.table.js';
import { referenceDecode } from '../../src/isa/encoding.js';

const CODE = 0x8000_0000n;
const HLT_SEMIHOST = 0xd45e0000;
const IOC = 0x01, DZC = 0x02, OFC = 0x04, UFC = 0x08, IXC = 0x10, IDC = 0x80;
const FZ = 1 << 24, DN = 1 << 25, AHP = 1 << 26;
const RP = 1 << 22, RM = 2 << 22, RZ = 3 << 22;

let shared: Machine | undefined;

interface FpRun {
  v(n: number): bigint;
  x(n: number): bigint;
  fpsr: number;
  nzcv: number;
}

/** Runs `words` at EL1 with FP enabled, V registers and FPCR preset; FPSR starts clear. */
function run(words: number[], v: Record<number, bigint>, fpcr = 0, x: Record<number, bigint> = {}): FpRun {
  shared ??= new Machine({ ramMiB: 8, console: () => {} });
  const m = shared;
  const c = m.core;
  c.ex.reset();
  m.writePhysical(CODE, new Uint8Array(new Uint32Array([...words, HLT_SEMIHOST]).buffer));
  m.start(CODE, { el: 1, security: 'ns' });
  c.setSysreg('CPACR_EL1', 3n << 20n);
  c.setSysreg('FPCR', BigInt(fpcr));
  c.setSysreg('FPSR', 0n);
  for (let i = 0; i < 32; i++) c.setV(i, v[i] ?? 0n);
  for (const [i, val] of Object.entries(x)) c.setX(Number(i), val);
  c.stateChanged();
  expect(c.run(BigInt(words.length + 1))).toBe(Exit.Semihosting);
  return { v: (n) => c.v(n), x: (n) => c.x(n), fpsr: Number(c.sysreg('FPSR')), nzcv: c.nzcv };
}

const S = 0, D = 1;
const op2 = (name: string, ftype: number) => asm(name, { ftype, rm: 2, rn: 1, rd: 0 });
/** Rd = 0, Rn = 1, Rm = 2, Ra = 3. */
const fma = (name: string, ftype: number) => asm(name, { ftype, rm: 2, ra: 3, rn: 1, rd: 0 });

describe('FPRound', () => {
  it('detects tininess before rounding: a result that rounds up to the smallest normal still underflows', () => {
    // 2^-1022 - 2^-1076 = 2^-1022 + 2^-540 * -2^-536: rounds to 2^-1022, tiny and inexact before rounding
    const r = run([fma('FMADD', D)], { 1: 0x1e30_0000_0000_0000n, 2: 0x9e70_0000_0000_0000n, 3: 0x0010_0000_0000_0000n });
    expect(r.v(0)).toBe(0x0010_0000_0000_0000n);
    expect(r.fpsr).toBe(UFC | IXC);
  });
  it('an exact denormal result does not underflow', () => {
    const r = run([op2('FMUL', S)], { 1: 0x0080_0000n, 2: 0x3f00_0000n }); // 2^-126 * 0.5
    expect(r.v(0)).toBe(0x0040_0000n);
    expect(r.fpsr).toBe(0);
  });
  it('FZ flushes a denormal result to zero with UFC and without IXC', () => {
    const r = run([op2('FMUL', S)], { 1: 0x0d80_0000n, 2: 0x3080_0000n }, FZ); // 2^-100 * 2^-30
    expect(r.v(0)).toBe(0n);
    expect(r.fpsr).toBe(UFC);
  });
  it('overflow gives infinity or the largest normal by rounding mode, with OFC and IXC', () => {
    const words = [op2('FMUL', S)];
    const v = { 1: 0x7f00_0000n, 2: 0xc000_0000n }; // 2^127 * -2
    expect(run(words, v).v(0)).toBe(0xff80_0000n);
    expect(run(words, v, RP).v(0)).toBe(0xff7f_ffffn); // towards +inf: the most negative normal
    expect(run(words, v, RM).v(0)).toBe(0xff80_0000n);
    expect(run(words, v, RZ).v(0)).toBe(0xff7f_ffffn);
    expect(run(words, v).fpsr).toBe(OFC | IXC);
  });
  it('an exact zero sum is +0, or -0 when rounding towards minus infinity', () => {
    const v = { 1: 0x3ff0_0000_0000_0000n, 2: 0x3ff0_0000_0000_0000n };
    expect(run([op2('FSUB', D)], v).v(0)).toBe(0n);
    expect(run([op2('FSUB', D)], v, RM).v(0)).toBe(0x8000_0000_0000_0000n);
  });
});

describe('FPUnpack and NaN processing', () => {
  it('FZ flushes a denormal input to zero and raises IDC, not IXC', () => {
    const v = { 1: 0x0000_0001n, 2: 0x3f80_0000n };
    const flushed = run([op2('FADD', S)], v, FZ);
    expect(flushed.v(0)).toBe(0x3f80_0000n);
    expect(flushed.fpsr).toBe(IDC);
    const kept = run([op2('FADD', S)], v);
    expect(kept.v(0)).toBe(0x3f80_0000n);
    expect(kept.fpsr).toBe(IXC);
  });
  it('a quiet NaN propagates with its payload and no flag; DN gives the default NaN', () => {
    const v = { 1: 0x7fc1_2345n, 2: 0x3f80_0000n };
    const r = run([op2('FADD', S)], v);
    expect(r.v(0)).toBe(0x7fc1_2345n);
    expect(r.fpsr).toBe(0);
    expect(run([op2('FADD', S)], v, DN).v(0)).toBe(0x7fc0_0000n);
  });
  it('a signalling NaN beats an earlier quiet NaN, is quietened, and raises IOC', () => {
    const r = run([op2('FADD', S)], { 1: 0xffc0_0001n, 2: 0x7f80_0002n });
    expect(r.v(0)).toBe(0x7fc0_0002n);
    expect(r.fpsr).toBe(IOC);
  });
  it('of two signalling NaNs the first operand wins', () => {
    expect(run([op2('FMUL', D)], { 1: 0xfff0_0000_0000_0001n, 2: 0x7ff0_0000_0000_0002n }).v(0)).toBe(0xfff8_0000_0000_0001n);
  });
  it('FMADD looks at the addend first: a quiet NaN addend beats quiet NaN multiplicands', () => {
    const r = run([fma('FMADD', S)], { 1: 0x7fc0_0001n, 2: 0x7fc0_0002n, 3: 0x7fc0_0003n });
    expect(r.v(0)).toBe(0x7fc0_0003n);
    expect(r.fpsr).toBe(0);
  });
  it('FMSUB negates Rn before NaN processing, so a NaN from Rn comes back with its sign flipped', () => {
    expect(run([fma('FMSUB', S)], { 1: 0x7fc0_0001n, 2: 0x3f80_0000n, 3: 0x3f80_0000n }).v(0)).toBe(0xffc0_0001n);
  });
});

describe('FPMulAdd with infinities and zeros', () => {
  it('infinity times zero is invalid even with a quiet NaN addend', () => {
    const r = run([fma('FMADD', D)], { 1: 0x7ff0_0000_0000_0000n, 2: 0n, 3: 0x7ff8_0000_0000_1234n });
    expect(r.v(0)).toBe(0x7ff8_0000_0000_0000n);
    expect(r.fpsr).toBe(IOC);
  });
  it('an infinite addend against an opposite infinite product is invalid', () => {
    const r = run([fma('FMADD', S)], { 1: 0xff80_0000n, 2: 0x3f80_0000n, 3: 0x7f80_0000n });
    expect(r.v(0)).toBe(0x7fc0_0000n);
    expect(r.fpsr).toBe(IOC);
  });
  it('same-signed zero addend and product keep their sign; opposite ones follow the rounding mode', () => {
    const minusZeroProduct = { 1: 0n, 2: 0xc0a0_0000n }; // +0 * -5
    expect(run([fma('FMADD', S)], { ...minusZeroProduct, 3: 0x8000_0000n }).v(0)).toBe(0x8000_0000n);
    expect(run([fma('FMADD', S)], { ...minusZeroProduct, 3: 0n }).v(0)).toBe(0n);
    expect(run([fma('FMADD', S)], { ...minusZeroProduct, 3: 0n }, RM).v(0)).toBe(0x8000_0000n);
  });
  it('rounds once: (1 + 2^-12)^2 - 1 keeps the 2^-24 that a separately rounded product would lose', () => {
    const r = run([fma('FMADD', S)], { 1: 0x3f80_0800n, 2: 0x3f80_0800n, 3: 0xbf80_0000n }); // -1 + x*x
    expect(r.v(0)).toBe(0x3a00_0400n); // 2^-11 + 2^-24, exact
    expect(r.fpsr).toBe(0);
    const separate = run([op2('FMUL', S), asm('FADD', { ftype: S, rm: 3, rn: 0, rd: 0 })], { 1: 0x3f80_0800n, 2: 0x3f80_0800n, 3: 0xbf80_0000n });
    expect(separate.v(0)).toBe(0x3a00_0000n); // the tie rounded to even lost it
  });
});

describe('division and square root', () => {
  it('x / 0 is an infinity with DZC; 0 / 0 is the default NaN with IOC', () => {
    const a = run([op2('FDIV', D)], { 1: 0xbff0_0000_0000_0000n, 2: 0n });
    expect([a.v(0), a.fpsr]).toEqual([0xfff0_0000_0000_0000n, DZC]);
    const b = run([op2('FDIV', D)], { 1: 0n, 2: 0x8000_0000_0000_0000n });
    expect([b.v(0), b.fpsr]).toEqual([0x7ff8_0000_0000_0000n, IOC]);
  });
  it('FSQRT of a negative number is invalid, of -0 is -0, of 2 is correctly rounded', () => {
    const sqrt = asm('FSQRT', { ftype: S, rn: 1, rd: 0 });
    expect(run([sqrt], { 1: 0xbf80_0000n }).v(0)).toBe(0x7fc0_0000n);
    expect(run([sqrt], { 1: 0x8000_0000n }).v(0)).toBe(0x8000_0000n);
    const two = run([sqrt], { 1: 0x4000_0000n });
    expect([two.v(0), two.fpsr]).toEqual([0x3fb5_04f3n, IXC]);
    expect(run([sqrt], { 1: 0x4000_0000n }, RP).v(0)).toBe(0x3fb5_04f4n);
  });
});

describe('conversions', () => {
  const cvt = (name: string, sf: number, ftype: number) => asm(name, { sf, ftype, rn: 1, rd: 0 });
  it('FCVTZS saturates with IOC; a NaN converts to 0 with IOC', () => {
    const big = run([cvt('FCVTZS', 0, S)], { 1: 0x4f32_d05en }); // 3e9
    expect([big.x(0), big.fpsr]).toEqual([0x7fff_ffffn, IOC]);
    const neg = run([cvt('FCVTZS', 1, D)], { 1: 0xc3e0_0000_0000_0001n }); // just below -2^63
    expect([neg.x(0), neg.fpsr]).toEqual([0x8000_0000_0000_0000n, IOC]);
    const nan = run([cvt('FCVTZS', 1, D)], { 1: 0x7ff8_0000_0000_0000n });
    expect([nan.x(0), nan.fpsr]).toEqual([0n, IOC]);
  });
  it('FCVTZU of a negative value is 0: IOC if it rounds to a nonzero integer, else only IXC', () => {
    const minusOne = run([cvt('FCVTZU', 0, S)], { 1: 0xbf80_0000n });
    expect([minusOne.x(0), minusOne.fpsr]).toEqual([0n, IOC]);
    const minusHalf = run([cvt('FCVTZU', 0, S)], { 1: 0xbf00_0000n });
    expect([minusHalf.x(0), minusHalf.fpsr]).toEqual([0n, IXC]);
  });
  it('the rounding of FCVTNS, FCVTAS, FCVTPS and FCVTMS on ties and negatives', () => {
    const v = { 1: 0x4020_0000n }; // 2.5
    expect(run([cvt('FCVTNS', 0, S)], v).x(0)).toBe(2n);
    expect(run([cvt('FCVTAS', 0, S)], v).x(0)).toBe(3n);
    const m = { 1: 0xc020_0000n }; // -2.5
    expect(run([cvt('FCVTAS', 1, S)], m).x(0)).toBe(BigInt.asUintN(64, -3n));
    expect(run([cvt('FCVTPS', 1, S)], m).x(0)).toBe(BigInt.asUintN(64, -2n));
    expect(run([cvt('FCVTMS', 1, S)], m).x(0)).toBe(BigInt.asUintN(64, -3n));
    expect(run([cvt('FCVTMS', 1, S)], m).fpsr).toBe(IXC);
  });
  it('fixed-point: FCVTZS with 16 fraction bits, SCVTF with 32', () => {
    const r = run([asm('FCVTZS_fix', { sf: 0, ftype: D, scale: 64 - 16, rn: 1, rd: 0 })], { 1: 0x3ff8_0000_0000_0000n }); // 1.5
    expect(r.x(0)).toBe(0x18000n);
    const s = run([asm('SCVTF_fix', { sf: 1, ftype: S, scale: 64 - 32, rn: 1, rd: 0 })], {}, 0, { 1: 0xffff_ffff_8000_0000n }); // -0.5
    expect(s.v(0)).toBe(0xbf00_0000n);
  });
  it('UCVTF of 2^64 - 1 rounds to 2^64 (IXC), or down under RZ', () => {
    const w = asm('UCVTF', { sf: 1, ftype: D, rn: 1, rd: 0 });
    const r = run([w], {}, 0, { 1: (1n << 64n) - 1n });
    expect([r.v(0), r.fpsr]).toEqual([0x43f0_0000_0000_0000n, IXC]);
    expect(run([w], {}, RZ, { 1: (1n << 64n) - 1n }).v(0)).toBe(0x43ef_ffff_ffff_ffffn);
  });
  it('FCVT double to single overflows to infinity, or to the largest normal under RZ', () => {
    const w = asm('FCVT', { ftype: D, opc: 0, rn: 1, rd: 0 });
    const v = { 1: 0x7e37_e43c_8800_759cn }; // 1e300
    const r = run([w], v);
    expect([r.v(0), r.fpsr]).toEqual([0x7f80_0000n, OFC | IXC]);
    expect(run([w], v, RZ).v(0)).toBe(0x7f7f_ffffn);
  });
  it('FCVT keeps NaN payloads and quietens; to half with AHP an infinity is the largest value with IOC', () => {
    const toS = asm('FCVT', { ftype: D, opc: 0, rn: 1, rd: 0 });
    expect(run([toS], { 1: 0x7ff4_0000_2000_0000n }).v(0)).toBe(0x7fe0_0001n);
    const toH = asm('FCVT', { ftype: S, opc: 3, rn: 1, rd: 0 });
    const inf = run([toH], { 1: 0x7f80_0000n }, AHP);
    expect([inf.v(0), inf.fpsr]).toEqual([0x7fffn, IOC]);
    const nan = run([toH], { 1: 0xffc0_0000n }, AHP);
    expect([nan.v(0), nan.fpsr]).toEqual([0x8000n, IOC]);
    expect(run([toH], { 1: 0x7f80_0000n }).v(0)).toBe(0x7c00n); // IEEE half: infinity
  });
  it('FRINTX raises IXC where FRINTI does not; FRINTA rounds ties away; a zero result keeps the sign', () => {
    const v = { 1: 0x4004_0000_0000_0000n }; // 2.5
    const x = run([asm('FRINTX', { ftype: D, rn: 1, rd: 0 })], v);
    expect([x.v(0), x.fpsr]).toEqual([0x4000_0000_0000_0000n, IXC]);
    const i = run([asm('FRINTI', { ftype: D, rn: 1, rd: 0 })], v);
    expect([i.v(0), i.fpsr]).toEqual([0x4000_0000_0000_0000n, 0]);
    expect(run([asm('FRINTA', { ftype: D, rn: 1, rd: 0 })], v).v(0)).toBe(0x4008_0000_0000_0000n);
    expect(run([asm('FRINTN', { ftype: S, rn: 1, rd: 0 })], { 1: 0xbecc_cccdn }).v(0)).toBe(0x8000_0000n); // -0.4
  });
});

describe('compares, maximum and minimum', () => {
  it('FCMP of a quiet NaN is unordered without IOC; FCMPE raises IOC', () => {
    const v = { 1: 0x7fc0_0000n, 2: 0x3f80_0000n };
    const q = run([asm('FCMP', { ftype: S, rm: 2, rn: 1, z: 0 })], v);
    expect([q.nzcv >>> 28, q.fpsr]).toEqual([0b0011, 0]);
    const e = run([asm('FCMPE', { ftype: S, rm: 2, rn: 1, z: 0 })], v);
    expect([e.nzcv >>> 28, e.fpsr]).toEqual([0b0011, IOC]);
  });
  it('FCMP orders -0 equal to +0 and less-than by sign', () => {
    expect(run([asm('FCMP', { ftype: D, rn: 1, z: 1 })], { 1: 0x8000_0000_0000_0000n }).nzcv >>> 28).toBe(0b0110);
    expect(run([asm('FCMP', { ftype: D, rn: 1, z: 1 })], { 1: 0xbff0_0000_0000_0000n }).nzcv >>> 28).toBe(0b1000);
  });
  it('FMAX propagates a quiet NaN, FMAXNM prefers the number; zeros order by sign', () => {
    const v = { 1: 0x7fc0_0000n, 2: 0x3f80_0000n };
    expect(run([op2('FMAX', S)], v).v(0)).toBe(0x7fc0_0000n);
    expect(run([op2('FMAXNM', S)], v).v(0)).toBe(0x3f80_0000n);
    expect(run([op2('FMINNM', S)], v).v(0)).toBe(0x3f80_0000n);
    expect(run([op2('FMIN', S)], { 1: 0n, 2: 0x8000_0000n }).v(0)).toBe(0x8000_0000n);
    expect(run([op2('FMAX', S)], { 1: 0x8000_0000n, 2: 0n }).v(0)).toBe(0n);
  });
  it('FMAXNM with a signalling NaN still returns the quietened NaN with IOC', () => {
    const r = run([op2('FMAXNM', S)], { 1: 0x7f80_0001n, 2: 0x3f80_0000n });
    expect([r.v(0), r.fpsr]).toEqual([0x7fc0_0001n, IOC]);
  });
});

describe('moves', () => {
  it('FMOV (immediate) expands imm8 for single and double', () => {
    expect(run([asm('FMOV_imm', { ftype: S, imm8: 0x70, rd: 0 })], {}).v(0)).toBe(0x3f80_0000n); // 1.0
    expect(run([asm('FMOV_imm', { ftype: D, imm8: 0x80 | 0x00, rd: 0 })], {}).v(0)).toBe(0xc000_0000_0000_0000n); // -2.0
    expect(run([asm('FMOV_imm', { ftype: D, imm8: 0x7e, rd: 0 })], {}).v(0)).toBe(0x3ffe_0000_0000_0000n); // 1.875
    expect(run([asm('FMOV_imm', { ftype: D, imm8: 0x3f, rd: 0 })], {}).v(0)).toBe(0x403f_0000_0000_0000n); // 31.0
  });
  it('scalar writes zero the rest of the register; FMOV V.D[1] writes only the top half', () => {
    const full = (1n << 128n) - 1n;
    expect(run([asm('FMOV_reg', { ftype: S, rn: 1, rd: 0 })], { 0: full, 1: 0x1234n }).v(0)).toBe(0x1234n);
    const top = run([asm('FMOV_from_gen_top', { rn: 1, rd: 0 })], { 0: full }, 0, { 1: 0x55n });
    expect(top.v(0)).toBe((0x55n << 64n) | 0xffff_ffff_ffff_ffffn);
    expect(run([asm('FMOV_to_gen_top', { rn: 1, rd: 0 })], { 1: 0xabcdn << 64n }).x(0)).toBe(0xabcdn);
  });
});

describe('SIMD&FP loads and stores that fault change nothing', () => {
  const END_OF_RAM = 0x8080_0000n; // the test machine's 8 MiB
  const OLD = 0x1111_2222_3333_4444_5555_6666_7777_8888n;
  /** Runs one word expected to take a Data Abort (external abort on the unbacked address) to EL1. */
  function fault(word: number, x2: bigint) {
    const m = shared!;
    const c = m.core;
    const before = new Uint8Array(32).fill(0xa5);
    c.ex.reset();
    m.writePhysical(CODE, new Uint8Array(new Uint32Array([word, HLT_SEMIHOST]).buffer));
    m.writePhysical(END_OF_RAM - 32n, before);
    m.start(CODE, { el: 1, security: 'ns' });
    c.setSysreg('CPACR_EL1', 3n << 20n);
    c.setSysreg('VBAR_EL1', 0x8010_0000n);
    for (let i = 0; i < 32; i++) c.setV(i, OLD + BigInt(i));
    c.setX(2, x2);
    c.stateChanged();
    c.run(1n);
    return {
      ec: Number(c.sysreg('ESR_EL1') >> 26n),
      far: c.sysreg('FAR_EL1'),
      v: (n: number) => c.v(n),
      x2: c.x(2),
      untouched: m.readPhysical(END_OF_RAM - 32n, 32)!.every((b) => b === 0xa5),
    };
  }
  it('a Q store crossing the end of RAM writes no byte; a Q load leaves the register', () => {
    run([], {}); // creates the machine
    const st = fault(asm('STR_fp_pre', { size: 0, q: 1, imm9: 8, rn: 2, rt: 0 }), END_OF_RAM - 16n);
    expect([st.ec, st.far, st.untouched, st.x2]).toEqual([0x25, END_OF_RAM, true, END_OF_RAM - 16n]);
    const ld = fault(asm('LDR_fp_off', { size: 0, q: 1, imm12: 0, rn: 2, rt: 0 }), END_OF_RAM - 8n);
    expect([ld.ec, ld.v(0)]).toEqual([0x25, OLD]);
  });
  it('ST1 of four registers and STP of Q registers write nothing; LD4 writes no register', () => {
    run([], {});
    const st1 = fault(asm('ST1_4_mult', { q: 1, size: 0, rn: 2, rt: 0 }), END_OF_RAM - 32n);
    expect([st1.ec, st1.untouched]).toEqual([0x25, true]);
    const stp = fault(asm('STP_fp_off', { opc: 2, imm7: 0, rt2: 1, rn: 2, rt: 0 }), END_OF_RAM - 16n);
    expect([stp.ec, stp.untouched]).toEqual([0x25, true]);
    const ld4 = fault(asm('LD4_mult', { q: 1, size: 2, rn: 2, rt: 30 }), END_OF_RAM - 32n);
    expect([ld4.ec, ld4.v(30), ld4.v(31), ld4.v(0), ld4.v(1)]).toEqual([0x25, OLD + 30n, OLD + 31n, OLD, OLD + 1n]);
  });
});

describe('features not reported are UNDEFINED', () => {
  it.each([
    ['FRINT32Z S0, S1 (FEAT_FRINTTS)', 0x1e284020],
    ['FJCVTZS W0, D1 (FEAT_JSCVT)', 0x1e7e0020],
    ['FMOV H0, W1 (FEAT_FP16)', 0x1ee70020],
    ['FADD H0, H1, H2 (FEAT_FP16)', 0x1ee22820],
    ['FCVT S0, S1 (same size)', 0x1e224020],
  ])('%s', (_, word) => {
    expect(referenceDecode(A64, word)).toBeUndefined();
  });
});

// J1.3.3 FPRecipEstimate, FPRSqrtEstimate, FPRSqrtStepFused, FPRecpX; C7.2 FCVTXN (FPRounding_ODD)
describe('estimates, steps, FRECPX and round to odd', () => {
  const misc = (name: string, sz: number) => asm(name, { sz, rn: 1, rd: 0 });
  it('FRECPE and FRSQRTE of 1.0 are 511/512 (RecipEstimate and RecipSqrtEstimate at 8 bits)', () => {
    expect(run([misc('FRECPE_s', S)], { 1: 0x3f80_0000n }).v(0)).toBe(0x3f7f_8000n);
    expect(run([misc('FRECPE_s', D)], { 1: 0x3ff0_0000_0000_0000n }).v(0)).toBe(0x3fef_f000_0000_0000n);
    expect(run([misc('FRSQRTE_s', S)], { 1: 0x3f80_0000n }).v(0)).toBe(0x3f7f_8000n);
    // 4.0: an odd biased exponent, so the scaled value is in [0.25, 0.5); 1/sqrt(4) = 0.5 - 2^-10
    expect(run([misc('FRSQRTE_s', S)], { 1: 0x4080_0000n }).v(0)).toBe(0x3eff_8000n);
    const r = run([misc('FRSQRTE_s', S)], { 1: 0x3f80_0000n });
    expect(r.fpsr).toBe(0); // estimates are never inexact
  });
  it('FRECPE: zero gives a signed infinity with DZC, infinity a signed zero', () => {
    let r = run([misc('FRECPE_s', S)], { 1: 0x8000_0000n });
    expect(r.v(0)).toBe(0xff80_0000n);
    expect(r.fpsr).toBe(DZC);
    r = run([misc('FRECPE_s', S)], { 1: 0xff80_0000n });
    expect(r.v(0)).toBe(0x8000_0000n);
    expect(r.fpsr).toBe(0);
  });
  it('FRECPE below 2^-128 overflows: infinity or the largest normal by rounding mode, with OFC and IXC', () => {
    const tiny = 0x0000_0001n, negTiny = 0x8000_0001n;
    let r = run([misc('FRECPE_s', S)], { 1: tiny });
    expect(r.v(0)).toBe(0x7f80_0000n);
    expect(r.fpsr).toBe(OFC | IXC);
    expect(run([misc('FRECPE_s', S)], { 1: tiny }, RZ).v(0)).toBe(0x7f7f_ffffn);
    expect(run([misc('FRECPE_s', S)], { 1: negTiny }, RP).v(0)).toBe(0xff7f_ffffn);
    expect(run([misc('FRECPE_s', S)], { 1: negTiny }, RM).v(0)).toBe(0xff80_0000n);
    r = run([misc('FRECPE_s', D)], { 1: 0x0000_0000_0000_0001n }, RZ);
    expect(r.v(0)).toBe(0x7fef_ffff_ffff_ffffn);
    expect(r.fpsr).toBe(OFC | IXC);
  });
  it('FRECPE of a large value gives a denormal, or +-0 with only UFC under FZ', () => {
    // 2^127: result exponent -1, so the estimate 0x1ff/256 is shifted into a denormal
    let r = run([misc('FRECPE_s', S)], { 1: 0x7f00_0000n });
    expect(r.v(0)).toBe(0x003f_e000n);
    expect(r.fpsr).toBe(0);
    r = run([misc('FRECPE_s', S)], { 1: 0xff00_0000n }, FZ);
    expect(r.v(0)).toBe(0x8000_0000n);
    expect(r.fpsr).toBe(UFC);
    // a denormal input under FZ is a zero: infinity, DZC and IDC
    r = run([misc('FRECPE_s', S)], { 1: 0x0040_0000n }, FZ);
    expect(r.v(0)).toBe(0x7f80_0000n);
    expect(r.fpsr).toBe(DZC | IDC);
  });
  it('FRSQRTE: negative is invalid, -0 is -infinity with DZC, +infinity is +0, a denormal is normalised', () => {
    let r = run([misc('FRSQRTE_s', S)], { 1: 0xbf80_0000n });
    expect(r.v(0)).toBe(0x7fc0_0000n);
    expect(r.fpsr).toBe(IOC);
    r = run([misc('FRSQRTE_s', S)], { 1: 0x8000_0000n });
    expect(r.v(0)).toBe(0xff80_0000n);
    expect(r.fpsr).toBe(DZC);
    expect(run([misc('FRSQRTE_s', S)], { 1: 0x7f80_0000n }).v(0)).toBe(0n);
    // 2^-149: 1/sqrt is 2^74.5, the estimate 1 + 0x69/256
    expect(run([misc('FRSQRTE_s', S)], { 1: 0x0000_0001n }).v(0)).toBe(0x64b4_8000n);
    // a signalling NaN is quietened with IOC
    r = run([misc('FRSQRTE_s', S)], { 1: 0x7f80_0001n });
    expect(r.v(0)).toBe(0x7fc0_0001n);
    expect(r.fpsr).toBe(IOC);
  });
  it('the vector forms estimate each lane', () => {
    const r = run([asm('FRECPE_v', { Q: 1, sz: 0, rn: 1, rd: 0 })], { 1: (0x3f80_0000n << 96n) | 0x3f80_0000n });
    expect(r.v(0)).toBe((0x3f7f_8000n << 96n) | (0x7f80_0000n << 64n) | (0x7f80_0000n << 32n) | 0x3f7f_8000n);
    expect(r.fpsr).toBe(DZC);
  });
  it('FRSQRTS: (3 - a*b) / 2 rounded once; 1.5 for infinity times zero; the sign of a zero by rounding mode', () => {
    const rs = asm('FRSQRTS_s', { sz: S, rm: 2, rn: 1, rd: 0 });
    // rounding the product first would give 0x3ebfffec
    let r = run([rs], { 1: 0x3fc0_0002n, 2: 0x3fc0_0004n });
    expect(r.v(0)).toBe(0x3ebf_ffeen);
    expect(r.fpsr).toBe(IXC);
    r = run([rs], { 1: 0xff80_0000n, 2: 0n });
    expect(r.v(0)).toBe(0x3fc0_0000n);
    expect(r.fpsr).toBe(0);
    expect(run([rs], { 1: 0x7f80_0000n, 2: 0x3f80_0000n }).v(0)).toBe(0xff80_0000n);
    expect(run([rs], { 1: 0x4040_0000n, 2: 0x3f80_0000n }).v(0)).toBe(0n);
    expect(run([rs], { 1: 0x4040_0000n, 2: 0x3f80_0000n }, RM).v(0)).toBe(0x8000_0000n);
    const rd = asm('FRSQRTS_v', { Q: 1, sz: D, rm: 2, rn: 1, rd: 0 });
    // lane 0: (3 - 1*1) / 2 = 1.0; lane 1: (3 - 0*0) / 2 = 1.5
    expect(run([rd], { 1: 0x3ff0_0000_0000_0000n, 2: 0x3ff0_0000_0000_0000n }).v(0)).toBe((0x3ff8_0000_0000_0000n << 64n) | 0x3ff0_0000_0000_0000n);
  });
  it('FRECPX: the exponent inverted and the fraction cleared; zeros and denormals give the largest exponent', () => {
    const x = (v: bigint, sz = S, fpcr = 0) => run([misc('FRECPX_s', sz)], { 1: v }, fpcr);
    expect(x(0x3fc0_0000n).v(0)).toBe(0x4000_0000n);
    expect(x(0x3ff8_0000_0000_0000n, D).v(0)).toBe(0x4000_0000_0000_0000n);
    expect(x(0x8000_0000n).v(0)).toBe(0xff00_0000n);
    expect(x(0x0000_0123n).v(0)).toBe(0x7f00_0000n);
    expect(x(0xff80_0000n).v(0)).toBe(0x8000_0000n);
    const r = x(0x0000_0123n, S, FZ);
    expect(r.v(0)).toBe(0x7f00_0000n);
    expect(r.fpsr).toBe(IDC);
    expect(x(0x7fa0_0000n, S, DN).v(0)).toBe(0x7fc0_0000n);
  });
  it('FCVTXN rounds to odd: an inexact result gets its lowest bit set; overflow gives the largest normal', () => {
    // 1 + 2^-22 + 2^-30: round to nearest gives 0x3f800002, round to odd 0x3f800003
    let r = run([asm('FCVTXN_s', { rn: 1, rd: 0 })], { 1: 0x3ff0_0000_4040_0000n });
    expect(r.v(0)).toBe(0x3f80_0003n);
    expect(r.fpsr).toBe(IXC);
    r = run([asm('FCVTXN_s', { rn: 1, rd: 0 })], { 1: 0x3ff8_0000_0000_0000n });
    expect(r.v(0)).toBe(0x3fc0_0000n);
    expect(r.fpsr).toBe(0);
    r = run([asm('FCVTXN_s', { rn: 1, rd: 0 })], { 1: 0xcc70_0000_0000_0000n }); // -2^200
    expect(r.v(0)).toBe(0xff7f_ffffn);
    expect(r.fpsr).toBe(OFC | IXC);
    // FCVTXN2 writes the upper half and keeps the lower one
    const lo = 0x1111_2222_3333_4444n;
    r = run([asm('FCVTXN_v', { Q: 1, rn: 1, rd: 0 })], { 0: lo, 1: (0x3ff8_0000_0000_0000n << 64n) | 0x3ff0_0000_4040_0000n });
    expect(r.v(0)).toBe((0x3fc0_0000n << 96n) | (0x3f80_0003n << 64n) | lo);
  });
});
