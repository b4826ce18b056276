// The trace filters (--els, --world, --pc-range, --window, --events), -o with per-PE names, --max-bytes,
// and the command line's errors.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { traceImage } from './helpers.js';
import { parseTarmac, type TarmacLine } from './tarmac-grammar.js';
import { peOutputPath } from '../../src/trace/output.js';

const tmp = mkdtempSync(join(tmpdir(), 'cca-trace-cli-'));
const its = (text: string) => parseTarmac(text).filter((l): l is Extract<TarmacLine, { type: 'IT' }> => l.type === 'IT');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/cca-emu.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('trace filters', () => {
  it('--els and --world keep only instructions at those ELs and security states', async () => {
    const all = its((await traceImage('el-switch', 3, 'tarmac')).text);
    const modes = new Set(all.map((l) => l.mode));
    expect(modes).toEqual(new Set(['EL3h_rt', 'EL2h_n', 'EL1h_n']));
    const el2 = its((await traceImage('el-switch', 3, 'tarmac', { filter: { els: new Set([2]) } })).text);
    expect(el2.length).toBe(all.filter((l) => l.mode.startsWith('EL2')).length);
    expect(new Set(el2.map((l) => l.mode))).toEqual(new Set(['EL2h_n']));
    const root = its((await traceImage('el-switch', 3, 'tarmac', { filter: { worlds: new Set([2]) } })).text);
    expect(root.length).toBe(all.filter((l) => l.mode.endsWith('_rt')).length);
  });

  it('--pc-range keeps [A, B) and --window keeps instructions START..START+COUNT-1, then stops', async () => {
    const pcs = its((await traceImage('hello', 1, 'tarmac', { filter: { pcRange: [0x8000_3040n, 0x8000_3060n] } })).text);
    expect(pcs.length).toBeGreaterThan(0);
    for (const l of pcs) expect(l.va >= 0x8000_3040n && l.va < 0x8000_3060n).toBe(true);
    const w = await traceImage('hello', 1, 'tarmac', { filter: { window: [100, 50] } });
    const lines = parseTarmac(w.text);
    expect(its(w.text).map((l) => l.time)).toEqual(Array.from({ length: 50 }, (_, i) => 100 + i));
    for (const l of lines) expect(l.time >= 100 && l.time < 150).toBe(true);
    expect(w.stop).toMatchObject({ kind: 'stopped' });
  });

  it('--events keeps only the kinds named', async () => {
    const t = await traceImage('el-switch', 3, 'tarmac', { filter: { events: new Set(['exception', 'eret']) } });
    const lines = parseTarmac(t.text);
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines.map((l) => l.type))).toEqual(new Set(['E', 'TEXT']));
    const mem = parseTarmac((await traceImage('hello', 1, 'tarmac', { filter: { events: new Set(['mem']) } })).text);
    expect(new Set(mem.map((l) => l.type))).toEqual(new Set(['M']));
  });

  it('--max-bytes stops at a whole line under the limit', async () => {
    const t = await traceImage('hello', 1, 'tarmac', { maxBytes: 10_000 });
    expect(t.text.length).toBeLessThanOrEqual(10_000);
    expect(t.text.length).toBeGreaterThan(9_800);
    expect(t.text.endsWith('\n')).toBe(true);
    parseTarmac(t.text);
    expect(t.stop).toEqual({ kind: 'stopped', message: expect.stringMatching(/--max-bytes 10000 reached/) });
  });
});

describe('cca-emu trace', () => {
  it('-o FILE writes PE 0\'s trace there; other PEs get .pe<N> before the extension', () => {
    const out = join(tmp, 'hello.tarmac');
    const r = cli('trace', 'images/hello/hello.elf', '-o', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Hello from cca-emu!/); // the console stays on stdout when the trace has a file
    expect(its(readFileSync(out, 'latin1')).length).toBeGreaterThan(100);
    expect(peOutputPath(out, 0)).toBe(out);
    expect(peOutputPath(out, 3)).toBe(join(tmp, 'hello.pe3.tarmac'));
    expect(peOutputPath('/x/trace', 1)).toBe('/x/trace.pe1');
  });

  it('trace boot IMAGE traces a realm boot to -o FILE, with boot\'s options', () => {
    const out = join(tmp, 'realm.tarmac');
    const r = cli('trace', 'boot', 'images/realm-hello/realm-hello.elf', '--ram', '16', '--window', '100:40', '-o', out);
    expect(r.status).toBe(0); // the window ended the trace: complete
    const lines = its(readFileSync(out, 'latin1'));
    expect(lines.map((l) => l.time)).toEqual(Array.from({ length: 40 }, (_, i) => 100 + i));
    expect(new Set(lines.map((l) => l.mode))).toEqual(new Set(['EL2h_n', 'EL1h_rl']));
    expect(readFileSync(out, 'latin1')).toMatch(/ clk E [0-9a-f]{16} 00000000 CoreEvent_WORLD_SWITCH\n.* world switch ns->realm\n/);
    const bad = cli('trace', 'boot', 'images/realm-hello/realm-hello.elf', '--recs', '0');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--recs/);
  });

  it('trace boot of a realm with 4 RECs writes one file: PE 0 runs every REC', () => {
    const dir = mkdtempSync(join(tmp, 'smp-'));
    const out = join(dir, 'smp.tarmac');
    const r = cli('trace', 'boot', 'images/realm-smp/realm-smp.elf', '--recs', '4', '-o', out);
    expect(r.status).toBe(0);
    expect(readdirSync(dir)).toEqual(['smp.tarmac']);
    // The hypervisor entered each of the four RECs (RMI_REC_ENTER's X1 names the REC)
    const recs = new Set([...readFileSync(out, 'latin1').matchAll(/ call=RMI_REC_ENTER fid=0xc400015c x1=(0x[0-9a-f]+)/g)].map((m) => m[1]));
    expect(recs.size).toBe(4);
  }, 60_000);

  it('--format ndjson to stdout, the console on stderr', () => {
    const r = cli('trace', 'images/hello/hello.elf', '--format', 'ndjson', '--window', '1:5');
    expect(r.status).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'insn')).toHaveLength(5);
  });

  it('--max-bytes: a clear message and exit 124', () => {
    const out = join(tmp, 'capped.tarmac');
    const r = cli('trace', 'images/hello/hello.elf', '-o', out, '--max-bytes', '5000');
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/^cca-emu: trace stopped at instruction \d+: --max-bytes 5000 reached$/m);
    expect(statSync(out).size).toBeLessThanOrEqual(5000);
  });

  it.runIf(existsSync('/dev/full'))('a trace that cannot be written (a full disk): one line naming the error, exit 1', () => {
    // A write that fails while the image runs (a full batch) and at the end (the last lines)
    for (const max of ['200000', '2000']) {
      const r = cli('trace', 'images/bench-sort/bench-sort.elf', '-o', '/dev/full', '--max-instructions', max);
      expect(r.status, max).toBe(1);
      expect(r.stderr.trim(), max).toBe('cca-emu: cannot write the trace to /dev/full: ENOSPC');
    }
  });

  it('rejects bad filters with one line and exit 2', () => {
    for (const args of [['--els', '5'], ['--world', 'purple'], ['--pc-range', '10:5'], ['--window', '5'], ['--window', '1:0'],
      ['--events', 'insn,bogus'], ['--max-bytes', '0'], ['--format', 'xml'], ['-o', join(tmp, 'no', 'such', 'dir', 'x')]]) {
      const r = cli('trace', 'images/hello/hello.elf', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n').length, args.join(' ')).toBeLessThanOrEqual(2);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });
});
