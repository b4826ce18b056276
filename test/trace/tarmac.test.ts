// The Tarmac traces of every sample image parse under the grammar TTU accepts (tarmac-grammar.ts), every
// X30 and SP write has its R line, the trace build runs each image exactly as the release build does.
import { describe, it, expect } from 'vitest';
import { parseTarmac, type TarmacLine } from './tarmac-grammar.js';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeElf } from '../../src/elf/write.js';
import { traceImage, runRelease } from './helpers.js';
import { expectValidTrace } from './tarmac-checks.js';

// The benchmark images run ~100 million instructions: their first 30,000 are traced
const IMAGES: [string, 0 | 1 | 2 | 3, bigint?][] = [
  ['hello', 1], ['hello', 2], ['hello', 3], ['exceptions', 1], ['el-switch', 3], ['mmu', 1],
  ['bench-crc', 1, 30_000n], ['bench-fsm', 1, 30_000n], ['bench-list', 1, 30_000n],
  ['bench-matrix', 1, 30_000n], ['bench-sha256', 1, 30_000n], ['bench-sort', 1, 30_000n],
];

describe('Tarmac traces of the sample images', () => {
  it.each(IMAGES)('%s at EL%i parses, with an R line for every X30 and SP write', async (name, el, max) => {
    const t = await traceImage(name, el, 'tarmac', { max });
    const ref = runRelease(name, el, max);
    // The trace build runs the image exactly as the release build does
    expect(t.console).toBe(ref.console);
    expect(t.stop).toEqual(ref.stop);
    expect(t.instructions).toBe(ref.instructions);
    expect(t.lost).toBe(0);

    expectValidTrace(t.text, t.instructions);
  }, 120_000);

  it('writes the exception entry of an SMC as an E line, with the call and the world switch', async () => {
    const t = await traceImage('el-switch', 3, 'tarmac');
    const lines = parseTarmac(t.text);
    const smc = lines.findIndex((l) => l.type === 'E' && l.event === 'CoreEvent_SMC');
    expect(smc).toBeGreaterThan(0);
    const e = lines[smc] as Extract<TarmacLine, { type: 'E' }>;
    expect(e.id).toBe(0x400); // from a lower EL using AArch64
    const info = lines[smc + 1] as Extract<TarmacLine, { type: 'TEXT' }>;
    expect(info.kind).toBe('INFO_EXCEPTION_REASON');
    expect(info.text).toMatch(/^SMC from EL1h_n to EL3 ESR=0x5e000002 world=ns->root/);
    // The vector's first instruction runs in Root at EL3, with SP_EL3 and cpsr traced before it
    const next = lines.slice(smc).find((l) => l.type === 'IT') as Extract<TarmacLine, { type: 'IT' }>;
    expect(next.mode).toBe('EL3h_rt');
    expect(next.paSuffix).toBeUndefined(); // Root PAs carry no suffix TTU would reject
    const between = lines.slice(smc, lines.indexOf(next));
    expect(between.some((l) => l.type === 'R' && l.reg === 'SP_EL3')).toBe(true);
    expect(between.some((l) => l.type === 'R' && l.reg === 'CPSR')).toBe(true);
  });

  it('records the memory accesses with their values: a store then a load of the same address agree', async () => {
    const t = await traceImage('hello', 1, 'tarmac');
    const mem = parseTarmac(t.text).filter((l): l is Extract<TarmacLine, { type: 'M' }> => l.type === 'M');
    expect(mem.length).toBeGreaterThan(100);
    const last = new Map<bigint, bigint>();
    let checked = 0;
    for (const m of mem) {
      if (m.size !== 8) continue;
      if (m.write) last.set(m.va, m.value);
      else if (last.has(m.va)) {
        expect(m.value).toBe(last.get(m.va));
        checked++;
      }
      expect(m.pa).toBe(m.va); // the MMU is off in hello: flat mapping
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('reports a firmware call and its result: PSCI through the TypeScript EL3 monitor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cca-psci-'));
    const words = [
      0x52b08000, // movz w0, #0x8400, lsl #16: PSCI_VERSION
      0xd4000003, // smc #0
      0x52b08000, // movz w0, #0x8400, lsl #16
      0x72800100, // movk w0, #8: PSCI_SYSTEM_OFF
      0xd4000003, // smc #0
    ];
    mkdirSync(join(dir, 'psci'));
    writeFileSync(join(dir, 'psci', 'psci.elf'), writeElf({ entry: 0x8000_0000n, segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array(new Uint32Array(words).buffer), flags: 5 }] }));
    const t = await traceImage(join(dir, 'psci', 'psci.elf'), 1, 'tarmac');
    expect(t.stop).toEqual({ kind: 'system-off' });
    const lines = parseTarmac(t.text);
    const info = lines.filter((l): l is Extract<TarmacLine, { type: 'TEXT' }> => l.type === 'TEXT').map((l) => l.text);
    expect(info[0]).toMatch(/^SMC from EL1h_n to EL3 ESR=0x5e000000 world=ns->root call=PSCI_VERSION fid=0x84000000$/);
    expect(info[1]).toBe('PSCI_VERSION returned x0=0x10001 x1=0x0 x2=0x0 x3=0x0');
    expect(info).toContain('ERET from EL3 to 0x80000008 SPSR=0x3c5');
    // The monitor's write of X0 is an R line before the next instruction
    const ret = lines.findIndex((l) => l.type === 'TEXT' && l.text.startsWith('PSCI_VERSION returned'));
    expect(lines.slice(ret).find((l) => l.type === 'R')).toMatchObject({ reg: 'X0', value: 0x10001n });
    expect(info.some((s) => s.includes('call=PSCI_SYSTEM_OFF fid=0x84000008'))).toBe(true);
  });
});
