import { describe, it, expect } from 'vitest';
import { runSnippet, SNIPPET_BASE, type SnippetResult, type SnippetState } from '../helpers/snippet.js';
import { Exit } from '../../src/core/core.js';
import { A64 } from '../../src/isa/a64.table.js';
import { encode, extract, fieldMask, prng, randomInstance, referenceDecode } from '../../src/isa/encoding.js';

// ---- encoding helpers ----

const ROWS = new Map(A64.map((e) => [e.name, e]));

/** The word of table row `name` with `fields`; should-be-one bits (the exclusives' Rs/Rt2) set as an assembler does. */
function I(name: string, fields: Record<string, number> = {}): number {
  const e = ROWS.get(name);
  if (!e) throw new Error(`no row ${name}`);
  let named = 0;
  for (const f of e.fields) named |= fieldMask(f);
  return (encode(e, fields) | (~e.mask & ~named)) >>> 0;
}
const imm9 = (v: number) => v & 0x1ff;
const imm7 = (v: number) => v & 0x7f;
const imm19 = (v: number) => v & 0x7ffff;

const B = (words: number) => 0x14000000 | (words & 0x3ffffff); // B, for jumping over literal data
const ISB = 0xd5033fdf;
const ERET = 0xd69f03e0;
const MSR = { MAIR_EL1: 0xd518a200, TCR_EL1: 0xd5182040, TTBR0_EL1: 0xd5182000, SCTLR_EL1: 0xd5181000, SP_EL0: 0xd5184100, ELR_EL1: 0xd5184020, SPSR_EL1: 0xd5184000 };
const CLREX = 0xd503305f;

// ---- memory helpers ----

const DATA = 0x8010_0000n; // MMU off: VA = PA, Device-nGnRnE (so unaligned accesses fault)
const SCTLR_EL1_RESET = 0x30d00800n;
const M64 = (1n << 64n) - 1n;

function le(v: bigint, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return out;
}
function val(bytes: Uint8Array, off: number, n: number): bigint {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[off + i]);
  return v;
}
function sx(v: bigint, bits: number): bigint {
  return BigInt.asUintN(64, BigInt.asIntN(bits, v));
}
/** 128 bytes whose every byte has its top bit set: sign extension shows. */
const NEG = Uint8Array.from({ length: 128 }, (_, i) => 0x80 | ((i * 37) & 0x7f));
/** 128 bytes whose every byte has its top bit clear. */
const POS = Uint8Array.from({ length: 128 }, (_, i) => (i * 29 + 3) & 0x7f);

function mem(pa: bigint, bytes: Uint8Array): SnippetState['mem'] {
  return [[pa, bytes]];
}

interface Fault { ec: number; dfsc: number; wnr: number; far: bigint; elr: bigint }
function fault(r: SnippetResult): Fault {
  const esr = r.machine.core.sysreg('ESR_EL1');
  return {
    ec: Number(esr >> 26n),
    dfsc: Number(esr & 0x3fn),
    wnr: Number((esr >> 6n) & 1n),
    far: r.machine.core.sysreg('FAR_EL1'),
    elr: r.machine.core.sysreg('ELR_EL1'),
  };
}
/** Runs `words` up to and including the last one, which is expected to fault. */
function runToFault(words: number[], init: SnippetState = {}): SnippetResult {
  return runSnippet(words, init, BigInt(words.length));
}
const at = (index: number) => SNIPPET_BASE + BigInt(4 * index);

// ---- a stage-1 mapping for the tests that need Normal memory, permissions or an unbacked page ----

const PT_L1 = 0x8020_0000n;
const PT_L2 = 0x8020_1000n;
const PT_L3 = 0x8020_2000n;
const PAGES = 0x4000_0000n; // VA of page i is PAGES + i * 0x1000
const PAGE = {
  rw: 0, // EL1 read/write, no EL0 access, PA 0x8030_0000
  ro: 1, // EL1 read-only, PA 0x8030_1000
  el0: 2, // EL0 and EL1 read/write, PA 0x8030_2000
  unbacked: 3, // read/write, PA 0x9000_0000 where nothing is
  rw2: 4, // as rw, PA 0x8030_4000
  device: 5, // Device-nGnRnE, PA 0x8030_5000
  invalid: 6, // translation fault
};
const PAGE_PA = [0x8030_0000n, 0x8030_1000n, 0x8030_2000n, 0x9000_0000n, 0x8030_4000n, 0x8030_5000n];
const page = (i: number) => PAGES + BigInt(i) * 0x1000n;

function mmuState(extra: SnippetState = {}): { prologue: number[]; init: SnippetState } {
  const AF = 1n << 10n;
  const SH = 3n << 8n;
  const l1 = new Uint8Array(4096);
  l1.set(le(PT_L2 | 3n, 8), 1 * 8); // VA 0x4000_0000: table
  l1.set(le(0x8000_0000n | AF | SH | 1n, 8), 2 * 8); // VA 0x8000_0000: 1 GiB identity block, Normal
  const l2 = new Uint8Array(4096);
  l2.set(le(PT_L3 | 3n, 8), 0);
  const l3 = new Uint8Array(4096);
  const ap = [0n, 2n, 1n, 0n, 0n, 0n];
  const attr = [0n, 0n, 0n, 0n, 0n, 1n];
  for (let i = 0; i < PAGE_PA.length; i++) l3.set(le(PAGE_PA[i] | AF | SH | (ap[i] << 6n) | (attr[i] << 2n) | 3n, 8), i * 8);
  const tcr = 25n | (1n << 8n) | (1n << 10n) | (3n << 12n) | (1n << 23n) | (5n << 32n); // T0SZ 25, 4K, EPD1, 48-bit IPS
  return {
    prologue: [MSR.MAIR_EL1 | 20, MSR.TCR_EL1 | 21, MSR.TTBR0_EL1 | 22, MSR.SCTLR_EL1 | 23, ISB],
    init: {
      ...extra,
      x: { 20: 0x00ffn /* attr0 Normal WB, attr1 Device-nGnRnE */, 21: tcr, 22: PT_L1, 23: SCTLR_EL1_RESET | 1n, ...extra.x },
      mem: [[PT_L1, l1], [PT_L2, l2], [PT_L3, l3], ...(extra.mem ?? [])],
    },
  };
}

// ---- the table ----

describe('load/store encodings', () => {
  it('match the assembler', () => {
    const cases: [number, string, Record<string, number>][] = [
      [0xf9400020, 'LDR_off', { sz: 1, imm12: 0, rn: 1, rt: 0 }],
      [0xf8408c20, 'LDR_pre', { sz: 1, imm9: 8, rn: 1, rt: 0 }],
      [0xf85f8420, 'LDR_post', { sz: 1, imm9: imm9(-8), rn: 1, rt: 0 }],
      [0xb85fd020, 'LDUR', { sz: 0, imm9: imm9(-3), rn: 1, rt: 0 }],
      [0xf8627820, 'LDR_reg', { sz: 1, rm: 2, option: 3, s: 1, rn: 1, rt: 0 }],
      [0x38e2c820, 'LDRSB_reg', { opc0: 1, rm: 2, option: 6, s: 0, rn: 1, rt: 0 }],
      [0x798007e3, 'LDRSH_off', { opc0: 0, imm12: 1, rn: 31, rt: 3 }],
      [0x98000080, 'LDRSW_lit', { imm19: 4, rt: 0 }],
      [0xf8a16800, 'PRFM_reg', { rm: 1, option: 3, s: 0, rn: 0, rt: 0 }],
      [0x38801820, 'LDTRSB', { opc0: 0, imm9: 1, rn: 1, rt: 0 }],
      [0xa9bf07e0, 'STP_pre', { sz: 1, imm7: imm7(-2), rt2: 1, rn: 31, rt: 0 }],
      [0x68c10440, 'LDPSW_post', { imm7: 2, rt2: 1, rn: 2, rt: 0 }],
      [0x28408440, 'LDNP', { sz: 0, imm7: 1, rt2: 1, rn: 2, rt: 0 }],
      [0xc8027c20, 'STXR', { sz: 1, rs: 2, rn: 1, rt: 0 }],
      [0x485ffc20, 'LDAXRH', { rn: 1, rt: 0 }],
      [0xc8238440, 'STLXP', { sz: 1, rs: 3, rt2: 1, rn: 2, rt: 0 }],
      [0xc8dfffe0, 'LDAR', { sz: 1, rn: 31, rt: 0 }],
      [0xc8e0fc41, 'CAS', { sz: 1, l: 1, rs: 0, o0: 1, rn: 2, rt: 1 }],
      [0x48627cc4, 'CASP', { sz: 1, l: 1, rs41: 1, o0: 0, rn: 6, rt41: 2 }],
      [0x78604041, 'LDSMAXH', { a: 0, r: 1, rs: 0, rn: 2, rt: 1 }],
      [0x3820003f, 'LDADDB', { a: 0, r: 0, rs: 0, rn: 1, rt: 31 }],
      [0xf8e083e1, 'SWP', { sz: 1, a: 1, r: 1, rs: 0, rn: 31, rt: 1 }],
      [0xf8207041, 'LDUMIN', { sz: 1, a: 0, r: 0, rs: 0, rn: 2, rt: 1 }],
    ];
    for (const [word, name, fields] of cases) {
      const e = referenceDecode(A64, word);
      expect(e?.name, `0x${word.toString(16)}`).toBe(name);
      expect(extract(e!, word)).toEqual(fields);
      expect(I(name, fields)).toBe(word);
    }
  });

  it('every load/store row decodes its own random instances (no row shadows another)', () => {
    const rand = prng(0x1d57);
    for (const e of A64.filter((r) => ['ldst', 'ldst-pair', 'ldst-excl', 'atomic'].includes(r.group))) {
      for (let i = 0; i < 200; i++) expect(referenceDecode(A64, randomInstance(e, rand))?.name).toBe(e.name);
    }
  });

  it('decodes no SIMD&FP (V=1) load/store to a general-purpose register row', () => {
    const rand = prng(0xf9);
    for (let i = 0; i < 20_000; i++) {
      // op0 = xx1x with bit 26 (V) set and bit 25 clear: the whole load/store space with V=1
      const w = ((((rand() * 2 ** 32) >>> 0) & ~(0b111 << 25)) | (0b110 << 25)) >>> 0;
      const row = referenceDecode(A64, w);
      if (row) expect(row.group, row.name).toMatch(/^fp-/);
    }
  });
});

// ---- single registers ----

describe('LDR/STR addressing modes', () => {
  const base = DATA + 0x40n;
  const init = (x: Partial<Record<number, bigint>> = {}): SnippetState => ({ x: { 1: base, ...x }, mem: mem(DATA, NEG) });

  it('unsigned offset scales imm12 by the size', () => {
    const r = runSnippet([I('LDR_off', { sz: 1, imm12: 2, rn: 1, rt: 0 }), I('LDR_off', { sz: 0, imm12: 3, rn: 1, rt: 2 })], init());
    expect(r.x(0)).toBe(val(NEG, 0x50, 8));
    expect(r.x(2)).toBe(val(NEG, 0x4c, 4));
    expect(r.x(1)).toBe(base);
  });
  it('pre-index writes the address back before, post-index after', () => {
    let r = runSnippet([I('LDR_pre', { sz: 1, imm9: imm9(-16), rn: 1, rt: 0 })], init());
    expect(r.x(0)).toBe(val(NEG, 0x30, 8));
    expect(r.x(1)).toBe(base - 16n);
    r = runSnippet([I('LDR_post', { sz: 1, imm9: 24, rn: 1, rt: 0 })], init());
    expect(r.x(0)).toBe(val(NEG, 0x40, 8));
    expect(r.x(1)).toBe(base + 24n);
  });
  it('unscaled immediate is a signed byte offset', () => {
    const r = runSnippet([I('LDUR', { sz: 1, imm9: imm9(-256), rn: 1, rt: 0 }), I('LDUR', { sz: 0, imm9: 252, rn: 1, rt: 2 })], {
      x: { 1: DATA + 0x100n },
      mem: [[DATA, NEG], [DATA + 0x180n, NEG]],
    });
    expect(r.x(0)).toBe(val(NEG, 0, 8));
    expect(r.x(2)).toBe(val(NEG, 0x7c, 4));
  });
  it.each([
    ['LSL #3', 3, 1, 3n, 24],
    ['LSL #0', 3, 0, 8n, 8],
    ['UXTW ignores the upper word', 2, 0, 0xffff_ffff_0000_0010n, 16],
    ['SXTW', 6, 1, 0x0000_0000_ffff_fffen, -16],
    ['SXTX', 7, 1, BigInt.asUintN(64, -3n), -24],
  ])('register offset, %s', (_, option, s, index, delta) => {
    const r = runSnippet([I('LDR_reg', { sz: 1, rm: 2, option, s, rn: 1, rt: 0 })], init({ 2: index }));
    expect(r.x(0)).toBe(val(NEG, 0x40 + delta, 8));
  });
  it('register offset shifts by the access size when S is set', () => {
    const r = runSnippet([I('LDRH_reg', { rm: 2, option: 3, s: 1, rn: 1, rt: 0 }), I('LDRB_reg', { rm: 2, option: 3, s: 1, rn: 1, rt: 3 })], init({ 2: 4n }));
    expect(r.x(0)).toBe(val(NEG, 0x48, 2));
    expect(r.x(3)).toBe(val(NEG, 0x44, 1));
  });
  it('literal loads are PC-relative, forwards and backwards', () => {
    // 0: ldr x0, [pc+8]; 1: b +3; 2-3: data; 4: ldrsw x2, [pc-8]; 5: ldr w3, [pc-12]; 6: prfm [pc-24]
    const r = runSnippet([
      I('LDR_lit', { sz: 1, imm19: 2, rt: 0 }), B(3), 0x89abcdef, 0x81234567,
      I('LDRSW_lit', { imm19: imm19(-1), rt: 2 }), I('LDR_lit', { sz: 0, imm19: imm19(-3), rt: 3 }), I('PRFM_lit', { imm19: imm19(-6), rt: 0 }),
    ]);
    expect(r.exit).toBe(Exit.Semihosting);
    expect(r.x(0)).toBe(0x81234567_89abcdefn);
    expect(r.x(2)).toBe(0xffff_ffff_8123_4567n);
    expect(r.x(3)).toBe(0x89abcdefn);
  });
  it('register 31 is SP as a base and XZR as the transfer register', () => {
    const r = runSnippet([I('STR_off', { sz: 1, imm12: 1, rn: 31, rt: 31 }), I('LDR_post', { sz: 1, imm9: 16, rn: 31, rt: 0 })], {
      sp: DATA,
      mem: mem(DATA, NEG),
    });
    expect(val(r.read(DATA, 16), 8, 8)).toBe(0n);
    expect(r.x(0)).toBe(val(NEG, 0, 8));
    expect(r.sp).toBe(DATA + 16n);
  });
});

describe('loaded values are extended per opc', () => {
  const cases: [string, Record<string, number>, number, boolean, number][] = [
    // row, fields, bytes, signed, destination bits
    ['LDRB_off', {}, 1, false, 32],
    ['LDRSB_off', { opc0: 1 }, 1, true, 32],
    ['LDRSB_off', { opc0: 0 }, 1, true, 64],
    ['LDRH_off', {}, 2, false, 32],
    ['LDRSH_off', { opc0: 1 }, 2, true, 32],
    ['LDRSH_off', { opc0: 0 }, 2, true, 64],
    ['LDR_off', { sz: 0 }, 4, false, 32],
    ['LDRSW_off', {}, 4, true, 64],
    ['LDR_off', { sz: 1 }, 8, false, 64],
    ['LDURSB', { opc0: 0 }, 1, true, 64],
    ['LDURSH', { opc0: 1 }, 2, true, 32],
    ['LDURSW', {}, 4, true, 64],
    ['LDTRSB', { opc0: 1 }, 1, true, 32],
    ['LDTRSH', { opc0: 0 }, 2, true, 64],
    ['LDTRSW', {}, 4, true, 64],
    ['LDTRH', {}, 2, false, 32],
  ];
  for (const [name, fields, n, signed, bits] of cases) {
    it(`${name} ${JSON.stringify(fields)}`, () => {
      for (const bytes of [NEG, POS]) {
        const r = runSnippet([I(name, { ...fields, rn: 1, rt: 0 })], { x: { 0: M64, 1: DATA + 0x20n }, mem: mem(DATA, bytes) });
        const raw = val(bytes, 0x20, n);
        const ext = signed ? sx(raw, 8 * n) : raw;
        expect(r.x(0)).toBe(bits === 32 ? ext & 0xffff_ffffn : ext);
      }
    });
  }
});

describe('stores write exactly their size', () => {
  it.each([
    ['STRB_off', {}, 1],
    ['STRH_off', {}, 2],
    ['STR_off', { sz: 0 }, 4],
    ['STR_off', { sz: 1 }, 8],
    ['STURB', {}, 1],
    ['STURH', {}, 2],
    ['STUR', { sz: 0 }, 4],
    ['STTRB', {}, 1],
    ['STTRH', {}, 2],
    ['STTR', { sz: 1 }, 8],
    ['STRH_reg', { rm: 31, option: 3 }, 2],
  ] as [string, Record<string, number>, number][])('%s %j', (name, fields, n) => {
    const v = 0x1122_3344_5566_7788n;
    const r = runSnippet([I(name, { ...fields, rn: 1, rt: 0 })], { x: { 0: v, 1: DATA + 8n }, mem: mem(DATA, NEG) });
    const out = r.read(DATA, 32);
    const want = NEG.slice(0, 32);
    want.set(le(v, n), 8);
    expect(out).toEqual(want);
  });
});

describe('writeback with Rn == Rt (CONSTRAINED UNPREDICTABLE: as qemu-aarch64)', () => {
  it('a load leaves the written-back address in the register', () => {
    let r = runSnippet([I('LDR_post', { sz: 1, imm9: 8, rn: 1, rt: 1 })], { x: { 1: DATA }, mem: mem(DATA, NEG) });
    expect(r.x(1)).toBe(DATA + 8n);
    r = runSnippet([I('LDRB_pre', { imm9: 8, rn: 1, rt: 1 })], { x: { 1: DATA }, mem: mem(DATA, NEG) });
    expect(r.x(1)).toBe(DATA + 8n);
  });
  it('a store stores the value from before the writeback', () => {
    const r = runSnippet([I('STR_pre', { sz: 1, imm9: 8, rn: 1, rt: 1 })], { x: { 1: DATA }, mem: mem(DATA, NEG) });
    expect(r.x(1)).toBe(DATA + 8n);
    expect(val(r.read(DATA, 16), 8, 8)).toBe(DATA);
  });
});

describe('SP as a base', () => {
  const SA = 1n << 3n;
  const SA0 = 1n << 4n;
  it('a misaligned SP is fine while SCTLR_EL1.SA is clear', () => {
    const r = runSnippet([I('LDR_off', { sz: 1, imm12: 0, rn: 31, rt: 0 })], { sp: DATA + 8n, mem: mem(DATA, NEG) });
    expect(r.x(0)).toBe(val(NEG, 8, 8));
  });
  it('takes an SP alignment fault (EC 0x26) with SCTLR_EL1.SA set, before any access', () => {
    const words = [MSR.SCTLR_EL1 | 23, ISB, I('STP_pre', { sz: 1, imm7: imm7(-2), rt2: 1, rn: 31, rt: 0 })];
    const r = runToFault(words, { x: { 0: 1n, 1: 2n, 23: SCTLR_EL1_RESET | SA }, sp: DATA + 0x48n, mem: mem(DATA, NEG) });
    const f = fault(r);
    expect(f.ec).toBe(0x26);
    expect(f.elr).toBe(at(2));
    expect(r.read(DATA, 128)).toEqual(NEG);
    expect(r.sp).toBe(DATA + 0x48n);
  });
  it('an aligned SP passes the check whatever the offset', () => {
    const r = runSnippet([MSR.SCTLR_EL1 | 23, ISB, I('LDUR', { sz: 0, imm9: 4, rn: 31, rt: 0 })], {
      x: { 23: SCTLR_EL1_RESET | SA },
      sp: DATA,
      mem: mem(DATA, NEG),
    });
    expect(r.exit).toBe(Exit.Semihosting);
    expect(r.x(0)).toBe(val(NEG, 4, 4));
  });
  it('EL0 checks SCTLR_EL1.SA0, not SA', () => {
    // At EL1: SCTLR_EL1, SP_EL0, ELR_EL1 = the load, SPSR_EL1 = EL0t; ERET to EL0 and load through SP
    const enter = (sctlr: bigint) =>
      runSnippet([MSR.SCTLR_EL1 | 23, MSR.SP_EL0 | 24, MSR.ELR_EL1 | 25, MSR.SPSR_EL1 | 31, ISB, ERET, I('LDR_off', { sz: 1, imm12: 0, rn: 31, rt: 0 })], {
        x: { 0: 7n, 23: SCTLR_EL1_RESET | sctlr, 24: DATA + 8n, 25: at(6) },
        mem: mem(DATA, NEG),
      }, 7n);
    let r = enter(SA0);
    expect(fault(r).ec).toBe(0x26);
    expect(fault(r).elr).toBe(at(6));
    expect(r.x(0)).toBe(7n);
    r = enter(SA);
    expect(r.x(0)).toBe(val(NEG, 8, 8));
  });
});

describe('PRFM and PRFUM', () => {
  it('never fault: unbacked addresses, misaligned SP with SA set', () => {
    const r = runSnippet([
      MSR.SCTLR_EL1 | 23, ISB,
      I('PRFM_off', { imm12: 5, rn: 1, rt: 0 }), I('PRFM_reg', { rm: 2, option: 7, s: 1, rn: 1, rt: 0x18 }),
      I('PRFUM', { imm9: imm9(-1), rn: 31, rt: 5 }), I('PRFM_off', { imm12: 0, rn: 31, rt: 31 }), I('PRFM_lit', { imm19: imm19(-100), rt: 1 }),
    ], { x: { 1: 0x1000_0001n, 2: 12345n, 23: SCTLR_EL1_RESET | 8n }, sp: DATA + 4n });
    expect(r.exit).toBe(Exit.Semihosting);
  });
});

describe('unallocated load/store encodings are UNDEFINED', () => {
  it.each([
    ['LDR (immediate) size=10 opc=11', 0xb9c00020],
    ['size=11 opc=11 unsigned offset', 0xf9c00020],
    ['PRFM has no pre-index form', 0xf8800c20],
    ['LDTR size=11 opc=10', 0xf8800820],
    ['LDUR size=10 opc=11', 0xb8c00020],
    ['register offset, option=000', 0xf8620820],
    ['register offset, option=100 (PRFM)', 0xf8a28800],
    ['LDP opc=11', 0xe9400440],
    ['STGP (FEAT_MTE)', 0x69000440],
    ['LDNP opc=01', 0x68400440],
    ['CASP with odd Rs', 0x48217c82],
    ['CASP with odd Rt', 0x48207c83],
    ['CAS with Rt2 != 11111', 0xc8a07841],
    ['LDAPR (FEAT_LRCPC)', 0xf8bfc020],
    ['STLLR (FEAT_LOR)', 0xc89f7c20],
    ['LDLAR (FEAT_LOR)', 0xc8df7c20],
    ['atomic o3=1 opc=001', 0xf8209041],
    ['LDR (SIMD&FP) size=01 opc=11', 0x7dc00020],
    ['LDP (SIMD&FP) opc=11', 0xed400440],
    ['LDR literal (SIMD&FP) opc=11', 0xdc000040],
    ['LDTR-class (SIMD&FP)', 0x3c400820],
    ['LDRAA (FEAT_PAuth)', 0xf8200420],
  ])('%s', (_, word) => {
    expect(referenceDecode(A64, word)).toBeUndefined();
    const r = runToFault([word], { x: { 0: 5n, 1: DATA, 2: DATA, 3: DATA } });
    expect(fault(r).ec).toBe(0);
    expect(fault(r).elr).toBe(at(0));
  });
});

// ---- pairs ----

describe('load/store pair', () => {
  const base = DATA + 0x40n;
  const init = (x: Partial<Record<number, bigint>> = {}): SnippetState => ({ x: { 2: base, ...x }, mem: mem(DATA, NEG) });
  it('LDP signed offset, 64 and 32 bits', () => {
    const r = runSnippet([I('LDP_off', { sz: 1, imm7: imm7(-2), rt2: 1, rn: 2, rt: 0 }), I('LDP_off', { sz: 0, imm7: 3, rt2: 4, rn: 2, rt: 3 })], init({ 3: M64 }));
    expect([r.x(0), r.x(1)]).toEqual([val(NEG, 0x30, 8), val(NEG, 0x38, 8)]);
    expect([r.x(3), r.x(4)]).toEqual([val(NEG, 0x4c, 4), val(NEG, 0x50, 4)]);
    expect(r.x(2)).toBe(base);
  });
  it('LDP pre-index and post-index write back', () => {
    let r = runSnippet([I('LDP_pre', { sz: 1, imm7: 2, rt2: 1, rn: 2, rt: 0 })], init());
    expect([r.x(0), r.x(1), r.x(2)]).toEqual([val(NEG, 0x50, 8), val(NEG, 0x58, 8), base + 16n]);
    r = runSnippet([I('LDP_post', { sz: 0, imm7: imm7(-4), rt2: 1, rn: 2, rt: 0 })], init());
    expect([r.x(0), r.x(1), r.x(2)]).toEqual([val(NEG, 0x40, 4), val(NEG, 0x44, 4), base - 16n]);
  });
  it('LDPSW sign-extends both words', () => {
    for (const row of ['LDPSW_off', 'LDPSW_pre', 'LDPSW_post']) {
      const r = runSnippet([I(row, { imm7: 0, rt2: 1, rn: 2, rt: 0 })], init());
      expect([r.x(0), r.x(1)]).toEqual([sx(val(NEG, 0x40, 4), 32), sx(val(NEG, 0x44, 4), 32)]);
    }
  });
  it('LDNP and STNP', () => {
    const r = runSnippet([
      I('STNP', { sz: 1, imm7: 1, rt2: 1, rn: 2, rt: 0 }), I('LDNP', { sz: 0, imm7: 2, rt2: 4, rn: 2, rt: 3 }),
    ], init({ 0: 0x0102030405060708n, 1: 0x1112131415161718n }));
    expect(val(r.read(DATA, 128), 0x48, 8)).toBe(0x0102030405060708n);
    expect(val(r.read(DATA, 128), 0x50, 8)).toBe(0x1112131415161718n);
    expect([r.x(3), r.x(4)]).toEqual([0x05060708n, 0x01020304n]);
  });
  it('STP writes both registers; 32-bit pairs write 8 bytes', () => {
    const r = runSnippet([
      I('STP_off', { sz: 1, imm7: imm7(-2), rt2: 1, rn: 2, rt: 0 }), I('STP_post', { sz: 0, imm7: 4, rt2: 0, rn: 2, rt: 1 }),
    ], init({ 0: 0xaaaa_aaaa_0000_0001n, 1: 0xbbbb_bbbb_0000_0002n }));
    const want = NEG.slice();
    want.set(le(0xaaaa_aaaa_0000_0001n, 8), 0x30);
    want.set(le(0xbbbb_bbbb_0000_0002n, 8), 0x38);
    want.set(le(0x0000_0001_0000_0002n, 8), 0x40);
    expect(r.read(DATA, 128)).toEqual(want);
    expect(r.x(2)).toBe(base + 16n);
  });
  it('LDP with Rt == Rt2 keeps the first element (CONSTRAINED UNPREDICTABLE: as qemu-aarch64)', () => {
    const r = runSnippet([I('LDP_off', { sz: 1, imm7: 0, rt2: 0, rn: 2, rt: 0 })], init());
    expect(r.x(0)).toBe(val(NEG, 0x40, 8));
  });
  it('writeback with Rn == Rt or Rt2 (CONSTRAINED UNPREDICTABLE: as qemu-aarch64)', () => {
    let r = runSnippet([I('LDP_post', { sz: 1, imm7: 2, rt2: 1, rn: 2, rt: 2 })], init());
    expect([r.x(1), r.x(2)]).toEqual([val(NEG, 0x48, 8), base + 16n]);
    r = runSnippet([I('LDP_pre', { sz: 1, imm7: 2, rt2: 2, rn: 2, rt: 1 })], init());
    expect([r.x(1), r.x(2)]).toEqual([val(NEG, 0x50, 8), base + 16n]);
    r = runSnippet([I('STP_pre', { sz: 1, imm7: imm7(-2), rt2: 2, rn: 2, rt: 2 })], init());
    expect(r.x(2)).toBe(base - 16n);
    expect([val(r.read(DATA, 128), 0x30, 8), val(r.read(DATA, 128), 0x38, 8)]).toEqual([base, base]);
  });
  it('a pair load that faults on its second element writes no register', () => {
    const r = runToFault([I('LDP_off', { sz: 1, imm7: 0, rt2: 1, rn: 2, rt: 0 })], { x: { 0: 5n, 1: 6n, 2: 0x83ff_fff8n } });
    expect(fault(r)).toMatchObject({ ec: 0x25, dfsc: 0x10, wnr: 0, far: 0x8400_0000n });
    expect([r.x(0), r.x(1)]).toEqual([5n, 6n]);
  });
  it('a pair store crossing into unbacked memory writes nothing', () => {
    const end = 0x8400_0000n; // the end of the snippet machine's 64 MiB of RAM
    const r = runToFault([I('STP_pre', { sz: 1, imm7: imm7(-1), rt2: 1, rn: 2, rt: 0 })], {
      x: { 0: 1n, 1: 2n, 2: end },
      mem: mem(end - 16n, NEG.slice(0, 16)),
    });
    expect(fault(r)).toMatchObject({ ec: 0x25, dfsc: 0x10, wnr: 1, far: end });
    expect(r.read(end - 16n, 16)).toEqual(NEG.slice(0, 16));
    expect(r.x(2)).toBe(end);
  });
});

// ---- exclusives and ordered ----

describe('exclusives', () => {
  const init = (x: Partial<Record<number, bigint>> = {}): SnippetState => ({ x: { 1: DATA, 3: 0x5555_6666_7777_8888n, ...x }, mem: mem(DATA, NEG) });
  const ldxr = (sz: number, rn = 1) => I('LDXR', { sz, rn, rt: 0 });
  const stxr = (sz: number, rn = 1) => I('STXR', { sz, rs: 2, rn, rt: 3 });

  it('STXR succeeds after LDXR of the same address and size, then the monitor is open', () => {
    const r = runSnippet([ldxr(1), stxr(1), I('STXR', { sz: 1, rs: 4, rn: 1, rt: 31 })], init({ 2: 9n, 4: 9n }));
    expect(r.x(0)).toBe(val(NEG, 0, 8));
    expect(r.x(2)).toBe(0n);
    expect(r.x(4)).toBe(1n);
    expect(val(r.read(DATA, 16), 0, 8)).toBe(0x5555_6666_7777_8888n);
  });
  it('STXR fails without a reservation, at another address, with another size, and after CLREX', () => {
    const cases: [string, number[], SnippetState][] = [
      ['no LDXR', [stxr(1)], init()],
      ['other address', [ldxr(1), stxr(1, 4)], init({ 4: DATA + 8n })],
      ['other size', [ldxr(0), stxr(1)], init()],
      ['CLREX', [ldxr(1), CLREX, stxr(1)], init()],
    ];
    for (const [what, words, state] of cases) {
      const r = runSnippet(words, state);
      expect(r.x(2), what).toBe(1n);
      expect(r.read(DATA, 128), what).toEqual(NEG);
    }
  });
  it('ordinary stores elsewhere leave the reservation alone', () => {
    const r = runSnippet([ldxr(0), I('STR_off', { sz: 1, imm12: 2, rn: 1, rt: 3 }), I('STLXR', { sz: 0, rs: 2, rn: 1, rt: 3 })], init());
    expect(r.x(2)).toBe(0n);
    expect(val(r.read(DATA, 16), 0, 4)).toBe(0x7777_8888n);
  });
  it.each([
    ['LDXRB', 'STXRB', 1], ['LDAXRB', 'STLXRB', 1], ['LDXRH', 'STXRH', 2], ['LDAXRH', 'STLXRH', 2],
  ] as [string, string, number][])('%s / %s', (ld, st, n) => {
    const r = runSnippet([I(ld, { rn: 1, rt: 0 }), I(st, { rs: 2, rn: 1, rt: 3 })], init({ 0: M64 }));
    expect(r.x(0)).toBe(val(NEG, 0, n));
    expect(r.x(2)).toBe(0n);
    expect(val(r.read(DATA, 16), 0, 8)).toBe((val(NEG, 0, 8) & ~((1n << BigInt(8 * n)) - 1n)) | (0x5555_6666_7777_8888n & ((1n << BigInt(8 * n)) - 1n)));
  });
  it('LDAXR / STLXR, 32-bit', () => {
    const r = runSnippet([I('LDAXR', { sz: 0, rn: 1, rt: 0 }), I('STLXR', { sz: 0, rs: 2, rn: 1, rt: 3 })], init({ 0: M64 }));
    expect(r.x(0)).toBe(val(NEG, 0, 4));
    expect(r.x(2)).toBe(0n);
    expect(val(r.read(DATA, 16), 0, 8)).toBe((val(NEG, 0, 8) & ~0xffff_ffffn) | 0x7777_8888n);
  });
  it('LDXP / STXP, 64-bit pairs', () => {
    const r = runSnippet([I('LDAXP', { sz: 1, rt2: 5, rn: 1, rt: 0 }), I('STLXP', { sz: 1, rs: 2, rt2: 4, rn: 1, rt: 3 })], init({ 1: DATA + 16n, 4: 0x99n }));
    expect([r.x(0), r.x(5)]).toEqual([val(NEG, 16, 8), val(NEG, 24, 8)]);
    expect(r.x(2)).toBe(0n);
    expect([val(r.read(DATA, 32), 16, 8), val(r.read(DATA, 32), 24, 8)]).toEqual([0x5555_6666_7777_8888n, 0x99n]);
  });
  it('LDXP / STXP, 32-bit pairs', () => {
    const r = runSnippet([I('LDXP', { sz: 0, rt2: 5, rn: 1, rt: 0 }), I('STXP', { sz: 0, rs: 2, rt2: 4, rn: 1, rt: 3 })], init({ 1: DATA + 8n, 4: 0xffff_0000_1234_5678n }));
    expect([r.x(0), r.x(5)]).toEqual([val(NEG, 8, 4), val(NEG, 12, 4)]);
    expect(r.x(2)).toBe(0n);
    expect(val(r.read(DATA, 16), 8, 8)).toBe(0x1234_5678_7777_8888n);
  });
  it('STXP needs a reservation of the whole pair', () => {
    const r = runSnippet([I('LDXR', { sz: 1, rn: 1, rt: 0 }), I('STXP', { sz: 1, rs: 2, rt2: 4, rn: 1, rt: 3 })], init());
    expect(r.x(2)).toBe(1n);
    expect(r.read(DATA, 128)).toEqual(NEG);
  });
  it('LDXP with Rt == Rt2 keeps the second element (CONSTRAINED UNPREDICTABLE: as qemu-aarch64)', () => {
    const r = runSnippet([I('LDXP', { sz: 1, rt2: 0, rn: 1, rt: 0 })], init());
    expect(r.x(0)).toBe(val(NEG, 8, 8));
  });
  it('STXR with Ws == Rt or Rn uses the old register values (CONSTRAINED UNPREDICTABLE: as qemu-aarch64)', () => {
    let r = runSnippet([ldxr(1), I('STXR', { sz: 1, rs: 3, rn: 1, rt: 3 })], init());
    expect(r.x(3)).toBe(0n);
    expect(val(r.read(DATA, 8), 0, 8)).toBe(0x5555_6666_7777_8888n);
    r = runSnippet([ldxr(1), I('STXR', { sz: 1, rs: 1, rn: 1, rt: 3 })], init());
    expect(r.x(1)).toBe(0n);
    expect(val(r.read(DATA, 8), 0, 8)).toBe(0x5555_6666_7777_8888n);
  });
  it('unaligned exclusives take an Alignment fault (EC 0x25, DFSC 0x21) and change nothing', () => {
    const cases: [number[], bigint, number][] = [
      [[ldxr(1)], DATA + 4n, 0],
      [[I('LDXRH', { rn: 1, rt: 0 })], DATA + 1n, 0],
      [[stxr(0)], DATA + 2n, 1], // without a reservation too
      [[I('LDXP', { sz: 1, rt2: 5, rn: 1, rt: 0 })], DATA + 8n, 0], // a 64-bit pair needs 16-byte alignment
      [[I('LDXP', { sz: 0, rt2: 5, rn: 1, rt: 0 })], DATA + 4n, 0],
      [[I('STXP', { sz: 1, rs: 2, rt2: 4, rn: 1, rt: 3 })], DATA + 8n, 1],
    ];
    for (const [words, addr, wnr] of cases) {
      const r = runToFault(words, init({ 0: 7n, 1: addr, 2: 7n, 5: 7n }));
      expect(fault(r)).toMatchObject({ ec: 0x25, dfsc: 0x21, wnr, far: addr, elr: at(0) });
      expect([r.x(0), r.x(2), r.x(5)]).toEqual([7n, 7n, 7n]);
      expect(r.read(DATA, 128)).toEqual(NEG);
    }
  });
  it('an exception clears the reservation', () => {
    // VBAR_EL1 = base + 0x800: the SVC's vector (current EL, SP_ELx) is at base + 0xa00, where the STXR is
    const NOP = 0xd503201f;
    const words = [0xd518c00a /* msr vbar_el1, x10 */, ISB, ldxr(1), 0xd4000001 /* svc #0 */];
    while (words.length < 0xa00 / 4) words.push(NOP);
    words.push(stxr(1));
    const r = runSnippet(words, init({ 10: SNIPPET_BASE + 0x800n }));
    expect(r.exit).toBe(Exit.Semihosting);
    expect(r.x(2)).toBe(1n);
    expect(r.read(DATA, 128)).toEqual(NEG);
  });
});

describe('load-acquire / store-release', () => {
  it.each([
    ['LDARB', 'STLRB', {}, 1], ['LDARH', 'STLRH', {}, 2], ['LDAR', 'STLR', { sz: 0 }, 4], ['LDAR', 'STLR', { sz: 1 }, 8],
  ] as [string, string, Record<string, number>, number][])('%s / %s %j', (ld, st, f, n) => {
    const r = runSnippet([I(ld, { ...f, rn: 1, rt: 0 }), I(st, { ...f, rn: 2, rt: 3 })], {
      x: { 0: M64, 1: DATA + 8n, 2: DATA + 16n, 3: 0x0102_0304_0506_0708n },
      mem: mem(DATA, NEG),
    });
    expect(r.x(0)).toBe(val(NEG, 8, n));
    const want = NEG.slice();
    want.set(le(0x0102_0304_0506_0708n, n), 16);
    expect(r.read(DATA, 128)).toEqual(want);
  });
});

// ---- atomics ----

type AtomicOp = 'LDADD' | 'LDCLR' | 'LDEOR' | 'LDSET' | 'LDSMAX' | 'LDSMIN' | 'LDUMAX' | 'LDUMIN' | 'SWP';
function atomicModel(op: AtomicOp, bits: number, m: bigint, s: bigint): bigint {
  const mask = (1n << BigInt(bits)) - 1n;
  const sm = BigInt.asIntN(bits, m), ss = BigInt.asIntN(bits, s);
  switch (op) {
    case 'LDADD': return (m + s) & mask;
    case 'LDCLR': return m & ~s & mask;
    case 'LDEOR': return (m ^ s) & mask;
    case 'LDSET': return (m | s) & mask;
    case 'LDSMAX': return sm > ss ? m : s;
    case 'LDSMIN': return sm < ss ? m : s;
    case 'LDUMAX': return m > s ? m : s;
    case 'LDUMIN': return m < s ? m : s;
    case 'SWP': return s;
  }
}
const SIZES: [string, Record<string, number>, number][] = [['B', {}, 8], ['H', {}, 16], ['', { sz: 0 }, 32], ['', { sz: 1 }, 64]];
const OPS: AtomicOp[] = ['LDADD', 'LDCLR', 'LDEOR', 'LDSET', 'LDSMAX', 'LDSMIN', 'LDUMAX', 'LDUMIN', 'SWP'];

describe('LSE atomics', () => {
  for (const op of OPS) {
    for (const [suffix, f, bits] of SIZES) {
      it(`${op}${suffix} (${bits}-bit)`, () => {
        const mask = (1n << BigInt(bits)) - 1n;
        const top = 1n << BigInt(bits - 1);
        // memory, register: operands that tell signed from unsigned comparison, both orders, and equal ones
        const pairs: [bigint, bigint][] = [[top, top - 1n], [top - 1n, top], [1n, mask], [mask, 1n], [5n, 5n], [top | 3n, top | 9n]];
        const rand = prng(bits * 31 + op.length);
        for (const [m, s] of pairs) {
          const a = Math.floor(rand() * 2), r = Math.floor(rand() * 2);
          const memBytes = NEG.slice(0, 16);
          memBytes.set(le(m, bits / 8), 8);
          // Rs has junk above the access size, which must be ignored
          const rs = (s & mask) | (0xdead_beef_cafe_f00dn & ~mask & M64);
          const run = runSnippet([I(`${op}${suffix}`, { ...f, a, r, rs: 1, rn: 2, rt: 0 })], { x: { 0: M64, 1: rs, 2: DATA + 8n }, mem: mem(DATA, memBytes) });
          const want = memBytes.slice();
          want.set(le(atomicModel(op, bits, m, s), bits / 8), 8);
          expect(run.read(DATA, 16), `${m} ${s}`).toEqual(want);
          expect(run.x(0), `${m} ${s}`).toBe(m);
          expect(run.x(1)).toBe(rs);
        }
      });
    }
  }
  it('ST<op> (Rt = 31) updates memory and no register', () => {
    const r = runSnippet([I('LDADD', { sz: 1, a: 0, r: 1, rs: 1, rn: 2, rt: 31 }), I('LDEORB', { a: 0, r: 0, rs: 1, rn: 3, rt: 31 })], {
      x: { 1: 0x10n, 2: DATA, 3: DATA + 8n },
      mem: mem(DATA, NEG),
    });
    const want = NEG.slice();
    want.set(le((val(NEG, 0, 8) + 0x10n) & M64, 8), 0);
    want[8] ^= 0x10;
    expect(r.read(DATA, 128)).toEqual(want);
  });
  it('SWP with Rs == Rt', () => {
    const r = runSnippet([I('SWPH', { a: 1, r: 0, rs: 1, rn: 2, rt: 1 })], { x: { 1: 0xabcdn, 2: DATA }, mem: mem(DATA, NEG) });
    expect(r.x(1)).toBe(val(NEG, 0, 2));
    expect(val(r.read(DATA, 8), 0, 2)).toBe(0xabcdn);
  });
});

describe('CAS and CASP', () => {
  for (const [suffix, f, bits] of SIZES) {
    const mask = (1n << BigInt(bits)) - 1n;
    const junk = 0xdead_beef_cafe_f00dn & ~mask & M64;
    it(`CAS${suffix} (${bits}-bit) swaps when equal, ignoring bits above the size`, () => {
      const m = val(NEG, 8, bits / 8);
      const r = runSnippet([I(`CAS${suffix}`, { ...f, l: 1, o0: 0, rs: 1, rn: 2, rt: 3 })], {
        x: { 1: m | junk, 2: DATA + 8n, 3: 0x0102_0304_0506_0708n },
        mem: mem(DATA, NEG),
      });
      const want = NEG.slice();
      want.set(le(0x0102_0304_0506_0708n & mask, bits / 8), 8);
      expect(r.read(DATA, 128)).toEqual(want);
      expect(r.x(1)).toBe(m);
    });
    it(`CAS${suffix} (${bits}-bit) leaves memory alone when different`, () => {
      const m = val(NEG, 8, bits / 8);
      const r = runSnippet([I(`CAS${suffix}`, { ...f, l: 0, o0: 1, rs: 1, rn: 2, rt: 3 })], {
        x: { 1: m ^ 1n, 2: DATA + 8n, 3: 0x0102_0304_0506_0708n },
        mem: mem(DATA, NEG),
      });
      expect(r.read(DATA, 128)).toEqual(NEG);
      expect(r.x(1)).toBe(m);
    });
  }
  it('CASP, 64-bit: compares and swaps the pair, Rs at the lower address', () => {
    const lo = val(NEG, 16, 8), hi = val(NEG, 24, 8);
    let r = runSnippet([I('CASP', { sz: 1, l: 1, rs41: 2, o0: 1, rn: 1, rt41: 3 })], { x: { 1: DATA + 16n, 4: lo, 5: hi, 6: 0x66n, 7: 0x77n }, mem: mem(DATA, NEG) });
    expect([val(r.read(DATA, 32), 16, 8), val(r.read(DATA, 32), 24, 8)]).toEqual([0x66n, 0x77n]);
    expect([r.x(4), r.x(5)]).toEqual([lo, hi]);
    r = runSnippet([I('CASP', { sz: 1, l: 0, rs41: 2, o0: 0, rn: 1, rt41: 3 })], { x: { 1: DATA + 16n, 4: lo, 5: hi ^ 1n, 6: 0x66n, 7: 0x77n }, mem: mem(DATA, NEG) });
    expect(r.read(DATA, 128)).toEqual(NEG);
    expect([r.x(4), r.x(5)]).toEqual([lo, hi]);
  });
  it('CASP, 32-bit', () => {
    const lo = val(NEG, 8, 4), hi = val(NEG, 12, 4);
    let r = runSnippet([I('CASP', { sz: 0, l: 0, rs41: 2, o0: 0, rn: 1, rt41: 3 })], { x: { 1: DATA + 8n, 4: lo | (7n << 32n), 5: hi, 6: 0x66n, 7: 0x77n }, mem: mem(DATA, NEG) });
    expect(val(r.read(DATA, 16), 8, 8)).toBe(0x77_0000_0066n);
    expect([r.x(4), r.x(5)]).toEqual([lo, hi]);
    r = runSnippet([I('CASP', { sz: 0, l: 0, rs41: 2, o0: 0, rn: 1, rt41: 3 })], { x: { 1: DATA + 8n, 4: lo, 5: hi ^ 1n, 6: 0x66n, 7: 0x77n }, mem: mem(DATA, NEG) });
    expect(r.read(DATA, 128)).toEqual(NEG);
    expect([r.x(4), r.x(5)]).toEqual([lo, hi]);
  });
  it('atomics need natural alignment (a CASP its whole pair)', () => {
    const cases: [number, bigint][] = [
      [I('LDADDH', { a: 0, r: 0, rs: 1, rn: 2, rt: 0 }), DATA + 1n],
      [I('SWP', { sz: 0, a: 0, r: 0, rs: 1, rn: 2, rt: 0 }), DATA + 2n],
      [I('CAS', { sz: 1, l: 0, rs: 1, o0: 0, rn: 2, rt: 0 }), DATA + 4n],
      [I('CASP', { sz: 1, l: 0, rs41: 2, o0: 0, rn: 2, rt41: 3 }), DATA + 8n],
    ];
    for (const [word, addr] of cases) {
      const r = runToFault([word], { x: { 0: 7n, 1: 7n, 2: addr }, mem: mem(DATA, NEG) });
      expect(fault(r)).toMatchObject({ ec: 0x25, dfsc: 0x21, far: addr });
      expect([r.x(0), r.x(1)]).toEqual([7n, 7n]);
      expect(r.read(DATA, 128)).toEqual(NEG);
    }
  });
});

// ---- faults ----

describe('data aborts leave registers and memory unchanged', () => {
  it('an unbacked physical address is a synchronous External abort (DFSC 0x10)', () => {
    const r = runToFault([I('LDR_off', { sz: 1, imm12: 1, rn: 1, rt: 0 })], { x: { 0: 0x1234n, 1: 0x1000_0000n } });
    expect(fault(r)).toMatchObject({ ec: 0x25, dfsc: 0x10, wnr: 0, far: 0x1000_0008n, elr: at(0) });
    expect(r.x(0)).toBe(0x1234n);
  });
  it('a writeback load that faults does not write back', () => {
    const r = runToFault([I('LDR_pre', { sz: 1, imm9: 8, rn: 1, rt: 0 })], { x: { 0: 0x1234n, 1: 0x1000_0000n } });
    expect(fault(r)).toMatchObject({ ec: 0x25, dfsc: 0x10, far: 0x1000_0008n });
    expect([r.x(0), r.x(1)]).toEqual([0x1234n, 0x1000_0000n]);
  });
  it('an unaligned access to Device memory (MMU off) takes an Alignment fault', () => {
    const r = runToFault([I('STR_off', { sz: 0, imm12: 0, rn: 1, rt: 0 })], { x: { 1: DATA + 2n }, mem: mem(DATA, NEG) });
    expect(fault(r)).toMatchObject({ ec: 0x25, dfsc: 0x21, wnr: 1, far: DATA + 2n });
    expect(r.read(DATA, 128)).toEqual(NEG);
  });
});

describe('with the MMU on', () => {
  const data = (i: number) => mem(PAGE_PA[i], NEG);

  it('unaligned accesses to Normal memory work, also across pages; ordered ones fault', () => {
    const { prologue, init } = mmuState({
      x: { 1: page(PAGE.rw) + 3n, 2: page(PAGE.el0) - 4n },
      mem: [[PAGE_PA[PAGE.rw], NEG], [PAGE_PA[PAGE.ro] + 0xffcn, NEG.slice(0, 4)], [PAGE_PA[PAGE.el0], NEG.slice(4, 8)]],
    });
    const r = runSnippet([...prologue, I('LDR_off', { sz: 1, imm12: 0, rn: 1, rt: 0 }), I('LDR_off', { sz: 1, imm12: 0, rn: 2, rt: 3 }), I('LDAR', { sz: 0, rn: 1, rt: 4 })], { ...init, x: { ...init.x, 4: 9n } }, 8n);
    expect(r.x(0)).toBe(val(NEG, 3, 8));
    expect(r.x(3)).toBe(val(NEG, 0, 8));
    expect(fault(r)).toMatchObject({ ec: 0x25, dfsc: 0x21, far: page(PAGE.rw) + 3n, elr: at(7) });
    expect(r.x(4)).toBe(9n);
  });
  it('a store crossing into a page with nothing behind it writes nothing', () => {
    const last = PAGE_PA[PAGE.el0] + 0xf80n; // the last 128 bytes of the page before
    const { prologue, init } = mmuState({ x: { 0: 0x1111_2222_3333_4444n, 1: page(PAGE.unbacked) - 4n }, mem: mem(last, NEG) });
    const r = runToFault([...prologue, I('STR_off', { sz: 1, imm12: 0, rn: 1, rt: 0 })], init);
    expect(fault(r)).toMatchObject({ ec: 0x25, dfsc: 0x10, wnr: 1, far: page(PAGE.unbacked) });
    expect(r.read(last, 128)).toEqual(NEG);
  });
  it('a load crossing into a page with nothing behind it writes no register', () => {
    const { prologue, init } = mmuState({ x: { 0: 5n, 1: page(PAGE.unbacked) - 2n } });
    const r = runToFault([...prologue, I('LDUR', { sz: 0, imm9: 0, rn: 1, rt: 0 })], init);
    expect(fault(r)).toMatchObject({ ec: 0x25, dfsc: 0x10, wnr: 0, far: page(PAGE.unbacked) });
    expect(r.x(0)).toBe(5n);
  });
  it('an unaligned access crossing from Normal into Device memory takes an Alignment fault', () => {
    const { prologue, init } = mmuState({ x: { 0: 5n, 1: page(PAGE.device) - 4n } });
    const r = runToFault([...prologue, I('LDR_off', { sz: 1, imm12: 0, rn: 1, rt: 0 })], init);
    expect(fault(r)).toMatchObject({ ec: 0x25, dfsc: 0x21 });
    expect(r.x(0)).toBe(5n);
  });
  it('atomics need write permission and change nothing when they lack it', () => {
    const cases: [string, number][] = [
      ['LDADD', I('LDADD', { sz: 1, a: 0, r: 0, rs: 1, rn: 2, rt: 0 })],
      ['SWPB', I('SWPB', { a: 1, r: 1, rs: 1, rn: 2, rt: 0 })],
      ['CAS, compare fails', I('CAS', { sz: 1, l: 0, rs: 0, o0: 0, rn: 2, rt: 1 })],
      ['CASP, compare fails', I('CASP', { sz: 1, l: 0, rs41: 2, o0: 0, rn: 2, rt41: 3 })],
    ];
    for (const [what, word] of cases) {
      const { prologue, init } = mmuState({ x: { 0: 7n, 1: 8n, 2: page(PAGE.ro), 4: 9n }, mem: data(PAGE.ro) });
      const r = runToFault([...prologue, word], init);
      expect(fault(r), what).toMatchObject({ ec: 0x25, dfsc: 0x0f, wnr: 1, far: page(PAGE.ro) });
      expect([r.x(0), r.x(1), r.x(4)], what).toEqual([7n, 8n, 9n]);
      expect(r.read(PAGE_PA[PAGE.ro], 128), what).toEqual(NEG);
    }
  });
  it('an atomic to an unmapped page reports the read (WnR = 0)', () => {
    const { prologue, init } = mmuState({ x: { 0: 7n, 2: page(PAGE.invalid) } });
    const r = runToFault([...prologue, I('LDSET', { sz: 0, a: 0, r: 0, rs: 1, rn: 2, rt: 0 })], init);
    expect(fault(r)).toMatchObject({ ec: 0x25, dfsc: 0x07, wnr: 0, far: page(PAGE.invalid) });
    expect(r.x(0)).toBe(7n);
  });
  it('LDTR/STTR at EL1 use EL0 permissions', () => {
    const { prologue, init } = mmuState({ x: { 0: 7n, 1: page(PAGE.el0), 2: page(PAGE.rw), 3: 0x42n }, mem: [[PAGE_PA[PAGE.el0], NEG], [PAGE_PA[PAGE.rw], POS]] });
    let r = runSnippet([...prologue, I('LDTR', { sz: 1, imm9: 8, rn: 1, rt: 0 }), I('STTRB', { imm9: 1, rn: 1, rt: 3 }), I('LDR_off', { sz: 1, imm12: 0, rn: 2, rt: 4 })], init);
    expect(r.exit).toBe(Exit.Semihosting);
    expect(r.x(0)).toBe(val(NEG, 8, 8));
    expect(r.read(PAGE_PA[PAGE.el0], 2)[1]).toBe(0x42);
    expect(r.x(4)).toBe(val(POS, 0, 8));
    r = runToFault([...prologue, I('LDTRH', { imm9: 0, rn: 2, rt: 0 })], init);
    expect(fault(r)).toMatchObject({ ec: 0x25, dfsc: 0x0f, wnr: 0, far: page(PAGE.rw) });
    expect(r.x(0)).toBe(7n);
  });
});
