// Traces of realm boots (`cca-emu trace boot`): the validator over every line, the trace build booting each
// realm exactly as the release build does, the realm's mode suffix, world switches as E lines, RMI/RSI calls
// and REC exits decoded, and a golden NDJSON window around a REC exit and re-entry, identical on every run.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import type { TarmacLine } from './tarmac-grammar.js';
import { traceRealm, bootRelease } from './helpers.js';
import { expectValidTrace } from './tarmac-checks.js';

// Every realm sample, with the RECs it needs: all of them run on PE 0 (the hypervisor enters each REC in
// turn), whose one Tarmac file holds them all
const REALMS: [string, number][] = [
  ['realm-hello', 1], ['realm-timer', 1], ['realm-attest', 1], ['realm-measure', 1], ['realm-memory', 1], ['realm-smp', 4],
];
const GOLDEN = 'test/trace/golden/realm-hello-rec-exit.ndjson';
// realm-hello's first MMIO access to its UART: the data abort, the REC exit to the host, REC_ENTER again
const WINDOW: [number, number] = [29335, 8];

type It = Extract<TarmacLine, { type: 'IT' }>;

// Each realm's Tarmac trace, made once (a boot takes seconds)
const tarmac = new Map<string, ReturnType<typeof traceRealm>>();
const tarmacOf = (name: string, recs = 1) => {
  if (!tarmac.has(name)) tarmac.set(name, traceRealm(name, 'tarmac', { recs }));
  return tarmac.get(name)!;
};

describe('realm boot traces', () => {
  it.each(REALMS)('%s (%i RECs): the Tarmac trace parses, with an R line for every X30 and SP write', async (name, recs) => {
    const t = await tarmacOf(name, recs);
    // Each boot holds the worker for seconds: let vitest's messages through between them
    await new Promise((r) => setImmediate(r));
    const ref = bootRelease(name, recs);
    // The trace build boots the realm exactly as the release build does
    expect(t.console).toBe(ref.console);
    expect(t.end).toEqual(ref.end);
    expect(t.instructions).toBe(ref.instructions);
    expect(t.lost).toBe(0);
    const lines = expectValidTrace(t.text, t.instructions);
    const its = lines.filter((l): l is It => l.type === 'IT');
    // The hypervisor's SMC and BRK at NS-EL2 and the realm at Realm EL1, nothing else on PE 0
    expect(new Set(its.map((l) => l.mode))).toEqual(new Set(['EL2h_n', 'EL1h_rl']));
    for (const l of its) expect(l.paSuffix).toBe(l.mode === 'EL2h_n' ? '_NS' : undefined); // Realm PAs carry no suffix
  }, 120_000);

  it('writes each world switch as an E line before the first instruction in the new state', async () => {
    const lines = (await tarmacOf('realm-hello')).text.split('\n');
    const switches = lines.map((l, i) => [l, i] as const).filter(([l]) => l.includes('CoreEvent_WORLD_SWITCH'));
    expect(switches.length).toBeGreaterThan(10);
    for (const [line, i] of switches) {
      const [, , , pc] = line.split(' ');
      expect(lines[i + 1]).toMatch(/ INFO_EXCEPTION_REASON world switch (ns->realm|realm->ns)$/);
      const it = lines.slice(i).find((l) => l.includes(' IT '))!;
      expect(it.split(' ')[4].split(':')[0]).toBe(pc); // the E line names the PC the new state starts at
      expect(it).toMatch(lines[i + 1].endsWith('ns->realm') ? / O EL1h_rl : / : / O EL2h_n : /);
    }
  }, 60_000);

  it('names the RMI and RSI calls with their status, and decodes the REC exits', async () => {
    const text = (await tarmacOf('realm-hello')).text;
    const info = text.split('\n').filter((l) => l.includes('INFO_EXCEPTION_REASON')).map((l) => l.split('INFO_EXCEPTION_REASON ')[1]);
    expect(info.some((s) => /^SMC from EL2h_n to EL3 .* call=RMI_REALM_CREATE fid=0xc4000158 /.test(s))).toBe(true);
    expect(info).toContain('RMI_VERSION returned x0=0x0 x1=0x10000 x2=0x10000 x3=0x0 status=RMI_SUCCESS');
    expect(info.some((s) => /^SMC from EL1h_rl to EL2 .* call=RSI_REALM_CONFIG /.test(s))).toBe(true);
    expect(info.some((s) => /^RSI_VERSION returned .* status=RSI_ERROR_INPUT$/.test(s))).toBe(true);
    // RMI_REC_ENTER returns when the PE is back at NS-EL2, with the RmiRecExit it wrote
    const exits = info.filter((s) => s.startsWith('RMI_REC_ENTER returned'));
    expect(exits.length).toBeGreaterThan(5);
    for (const s of exits) expect(s).toMatch(/ status=RMI_SUCCESS rec_exit=RMI_EXIT_(SYNC|IRQ|PSCI|HOST_CALL|RIPAS_CHANGE)/);
    expect(exits.some((s) => / rec_exit=RMI_EXIT_SYNC esr=0x9[0-9a-f]+ far=0x3f[0-9a-f] hpfar=0x1000000$/.test(s))).toBe(true);
    expect(exits.some((s) => / rec_exit=RMI_EXIT_HOST_CALL imm=0x/.test(s))).toBe(true);
  }, 60_000);

  it('matches the golden NDJSON window of realm-hello around a REC exit, on every run', async () => {
    const a = await traceRealm('realm-hello', 'ndjson', { filter: { window: WINDOW } });
    const b = await traceRealm('realm-hello', 'ndjson', { filter: { window: WINDOW } });
    expect(a.text).toBe(b.text);
    if (process.env.UPDATE_GOLDEN || !existsSync(GOLDEN)) writeFileSync(GOLDEN, a.text);
    expect(a.text).toBe(readFileSync(GOLDEN, 'latin1'));
    const events = a.text.trim().split('\n').map((l) => JSON.parse(l));
    const insns = events.filter((e) => e.type === 'insn');
    expect(insns.map((e) => e.icount)).toEqual(Array.from({ length: WINDOW[1] }, (_, i) => WINDOW[0] + i));
    expect(new Set(insns.map((e) => e.world))).toEqual(new Set(['realm', 'ns']));
    expect(events.find((e) => e.type === 'exception')).toMatchObject({ class: 'DATA_ABORT', from: { el: 1, world: 'realm' }, to: { el: 2, world: 'realm' } });
    expect(events.find((e) => e.type === 'call' && e.name === 'RMI_REC_ENTER')).toMatchObject({ status: 'RMI_SUCCESS', recExit: { reason: 'RMI_EXIT_SYNC' } });
    expect(events.filter((e) => e.type === 'world').map((e) => `${e.from}->${e.to}`)).toEqual(['realm->ns', 'ns->realm']);
    // The window stopped the machine once it was done
    expect(a.end.kind).toBe('error');
  }, 60_000);
});
