// NDJSON: a golden window of one image (the SMC of el-switch: instruction, register, memory, exception,
// world-switch and ERET events), identical on every run; every line one JSON object.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { traceImage } from './helpers.js';

const GOLDEN = 'test/trace/golden/el-switch-smc.ndjson';
const WINDOW: [number, number] = [13195, 30];

describe('NDJSON trace', () => {
  it('matches the golden window of el-switch around its SMC, on every run', async () => {
    const a = await traceImage('el-switch', 3, 'ndjson', { filter: { window: WINDOW } });
    const b = await traceImage('el-switch', 3, 'ndjson', { filter: { window: WINDOW } });
    expect(a.text).toBe(b.text);
    if (process.env.UPDATE_GOLDEN || !existsSync(GOLDEN)) writeFileSync(GOLDEN, a.text);
    expect(a.text).toBe(readFileSync(GOLDEN, 'latin1'));
    // The window stopped the machine once it was done
    expect(a.stop).toMatchObject({ kind: 'stopped' });
  });

  it('is one JSON object per line, lossless: every instruction in the window with PC, PA, encoding, op, EL and world', async () => {
    const t = await traceImage('el-switch', 3, 'ndjson', { filter: { window: WINDOW } });
    const events = t.text.trim().split('\n').map((l) => JSON.parse(l));
    const insns = events.filter((e) => e.type === 'insn');
    expect(insns.map((e) => e.icount)).toEqual(Array.from({ length: WINDOW[1] }, (_, i) => WINDOW[0] + i));
    for (const e of insns) {
      expect(e).toMatchObject({ pe: 0, pc: expect.stringMatching(/^0x[0-9a-f]+$/), pa: expect.stringMatching(/^0x/), enc: expect.stringMatching(/^0x[0-9a-f]{8}$/) });
      expect(['ns', 'root']).toContain(e.world);
      expect(e.op).not.toBeNull();
    }
    const smc = events.find((e) => e.type === 'exception');
    expect(smc).toMatchObject({ class: 'SMC', ec: 0x17, esr: '0x5e000002', from: { el: 1, world: 'ns' }, to: { el: 3, world: 'root' }, vector: '0x400' });
    expect(events.find((e) => e.type === 'world')).toMatchObject({ from: 'ns', to: 'root' });
    const mem = events.filter((e) => e.type === 'mem');
    expect(mem.length).toBeGreaterThan(0);
    for (const m of mem) expect(m).toMatchObject({ pas: expect.stringMatching(/^(ns|root)$/), gpc: 'pass', device: expect.any(Boolean) });
  });
});
