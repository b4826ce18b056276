// The trace drain (src/trace/wasm/drain.ts) on records written by hand: the Tarmac lines it formats itself,
// its text cache (two PCs that share a slot), timestamps that gain a digit, a DC ZVA block, the world
// switch and exception returns to the host, and --max-bytes cutting at a whole line inside a record.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Exit, type Core } from '../../src/core/core.js';
import { Disassembler } from '../../src/trace/disasm.js';
import { TraceOutput } from '../../src/trace/output.js';
import { TarmacWriter } from '../../src/trace/tarmac.js';
import { NdjsonWriter } from '../../src/trace/ndjson.js';
import { Tracer, type TraceFilter } from '../../src/trace/tracer.js';
import { REC_INSN, REC_REG, REC_MEM, REC_EXC, REG_SP, REG_CPSR } from '../../src/trace/records.js';

const dir = mkdtempSync(join(tmpdir(), 'cca-drain-'));
let files = 0;

const NS = 1, ROOT = 2;
const state = (el: number, world: number, spsel = 1) => el | (world << 2) | (spsel << 4);
const PA_NS = 1 << 24;

/** Records as assembly/debug/trace.ts writes them. */
class Records {
  words: number[] = [];
  private u64(v: bigint) {
    this.words.push(Number(v & 0xffff_ffffn), Number(v >> 32n));
  }
  insn(t: number, st: number, enc: number, pc: bigint, pa: bigint, paHi = PA_NS) {
    this.words.push(REC_INSN | (st << 8), enc);
    this.u64(pc);
    this.words.push(Number(pa & 0xffff_ffffn), Number(pa >> 32n) | paHi);
    this.u64(BigInt(t));
    return this;
  }
  reg(n: number, v: bigint, spEl = 0) {
    this.words.push(REC_REG | (n << 8) | (spEl << 16), 0);
    this.u64(v);
    return this;
  }
  mem(write: boolean, size: number, va: bigint, pa: bigint, v: bigint, paHi = PA_NS) {
    this.words.push(REC_MEM | (size << 8) | ((write ? 1 : 0) << 16), 0);
    this.u64(va);
    this.words.push(Number(pa & 0xffff_ffffn), Number(pa >> 32n) | paHi);
    this.u64(v);
    return this;
  }
  smc(t: number, st: number, ret: bigint) {
    this.words.push(REC_EXC | (st << 8) | (3 << 16), 0);
    this.u64(0x5e00_0000n); // ESR: EC 0x17, SMC
    this.u64(0n);
    this.u64(ret);
    this.u64(BigInt(t));
    return this;
  }
}

/** Drives a Tracer with the records of each "run" in turn, through a stand-in for the core. */
async function trace(runs: Records[], opts: { filter?: TraceFilter; maxBytes?: number; ndjson?: boolean; x?: (run: number) => bigint[] } = {}): Promise<string> {
  const dis = await Disassembler.create();
  let next = 0;
  const zeros = new Array<bigint>(31).fill(0n);
  const core = {
    traceRingSize: 1 << 20,
    set traceDrainPoint(_: number) {},
    takeTrace: () => ({ records: new Uint32Array(runs[next++].words), lost: 0 }),
    // The registers as the core holds them before run `next` (all zeros unless the test says otherwise)
    x: (n: number) => (opts.x?.(next) ?? zeros)[n],
  } as unknown as Core;
  const path = join(dir, `t${files++}.tarmac`);
  const out = new TraceOutput(path, opts.maxBytes);
  const tracer = new Tracer(core, opts.ndjson ? new NdjsonWriter(out, dis, 3) : new TarmacWriter(out, dis), out, opts.filter ?? {});
  for (let i = 0; i < runs.length; i++) {
    tracer.beforeRun();
    if (tracer.afterRun(Exit.Budget) !== undefined) break;
  }
  out.close();
  return readFileSync(path, 'latin1');
}

const SLOT_STRIDE = 4n << 13n; // two PCs this far apart share a slot of the text cache

describe('trace drain', () => {
  it('formats IT, R and MR/MW lines, and keeps each PC\'s text apart when two share a cache slot', async () => {
    const r = new Records();
    const pcA = 0x8000_0000n, pcB = pcA + SLOT_STRIDE;
    // add x1, x1, #1 at A and a different word at B (same slot), alternately, across 9 -> 10 -> 11
    for (let t = 8; t <= 11; t++) {
      const pc = t % 2 ? pcB : pcA;
      r.insn(t, state(1, NS), t % 2 ? 0xd1000421 : 0x91000421, pc, pc).reg(1, BigInt(t));
    }
    r.reg(REG_SP, 0x8_0000n, 1).reg(REG_CPSR, 0x6000_03c5n).reg(30, 0xffff_0000_8000_1234n);
    r.mem(false, 4, 0x8000_2000n, 0x8000_2000n, 0xdead_beefn).mem(true, 1, 0x8000_2004n, 0x8000_2004n, 0x7fn);
    r.mem(true, 16, 0x8000_3000n, 0x8000_3000n, 0n); // DC ZVA of 16 bytes: two 8-byte lines
    const text = await trace([r]);
    expect(text.split('\n')).toEqual([
      '8 clk IT (8) 0000000080000000:0000000080000000_NS 91000421 O EL1h_n : add x1, x1, #1',
      '8 clk R X1 0000000000000008',
      '9 clk IT (9) 0000000080008000:0000000080008000_NS d1000421 O EL1h_n : sub x1, x1, #1',
      '9 clk R X1 0000000000000009',
      '10 clk IT (10) 0000000080000000:0000000080000000_NS 91000421 O EL1h_n : add x1, x1, #1',
      '10 clk R X1 000000000000000a',
      '11 clk IT (11) 0000000080008000:0000000080008000_NS d1000421 O EL1h_n : sub x1, x1, #1',
      '11 clk R X1 000000000000000b',
      '11 clk R SP_EL1 0000000000080000',
      '11 clk R cpsr 600003c5',
      '11 clk R X30 ffff000080001234',
      '11 clk MR4 0000000080002000:0000000080002000_NS deadbeef',
      '11 clk MW1 0000000080002004:0000000080002004_NS 7f',
      '11 clk MW8 0000000080003000:0000000080003000_NS 0000000000000000',
      '11 clk MW8 0000000080003008:0000000080003008_NS 0000000000000000',
      '',
    ]);
  });

  it('writes timestamps of up to 20 digits, counting up across a power of ten and jumping', async () => {
    const r = new Records();
    const times = [9_999_999_999_999_998n, 9_999_999_999_999_999n, 10_000_000_000_000_000n, 10_000_000_000_000_001n, 18_446_744_073_709_551_615n, 7n, 8n];
    for (const t of times) {
      r.words.push(REC_INSN | (state(1, NS) << 8), 0xd503201f, 0x8000_0000, 0, 0x8000_0000, PA_NS, Number(t & 0xffff_ffffn), Number(t >> 32n));
      r.reg(2, t);
    }
    const lines = (await trace([r])).split('\n').filter(Boolean);
    expect(lines.map((l) => l.split(' ')[0])).toEqual(times.flatMap((t) => [String(t), String(t)]));
    expect(lines[4]).toBe('10000000000000000 clk IT (10000000000000000) 0000000080000000:0000000080000000_NS d503201f O EL1h_n : nop');
    expect(lines[9]).toBe('18446744073709551615 clk R X2 ffffffffffffffff');
  });

  it('formats NDJSON objects: instructions, registers (firmware\'s marked), and accesses with and without a PA', async () => {
    const PA_REALM_DEVICE = (3 << 24) | (1 << 26), PA_UNKNOWN = 0x8000_0000;
    const r = new Records()
      .insn(41, state(1, NS, 0), 0x91000421, 0xffff_0000_8000_0000n, 0x8000_0000n).reg(1, 0n).reg(30, 0xffff_0000_8000_1234n)
      .reg(REG_SP, 0x8_0000n, 2).reg(REG_CPSR, 0x6000_03c5n)
      .mem(false, 4, 0x8000_2000n, 0x8000_2000n, 0xdead_beefn).mem(true, 64, 0x8000_3000n, 0xf_8000_3000n, 0n, PA_REALM_DEVICE)
      .mem(true, 1, 0x1234n, 0n, 0x7fn, PA_UNKNOWN);
    // The registers as the core holds them before each run: zeros, then as the records left them, then
    // with firmware's write of X5
    const after = new Array<bigint>(31).fill(0n);
    after[30] = 0xffff_0000_8000_1234n;
    const text = await trace([r, new Records()], { ndjson: true, x: (run) => (run === 0 ? new Array<bigint>(31).fill(0n) : after) });
    const lines = text.split('\n');
    expect(lines.slice(0, 9)).toEqual([
      '{"pe":3,"type":"insn","icount":41,"pc":"0xffff000080000000","pa":"0x80000000","pas":"ns","device":false,"enc":"0x91000421","op":"ADD_i","disasm":"add x1, x1, #1","el":1,"sp":"t","world":"ns"}',
      '{"pe":3,"type":"reg","icount":41,"reg":"x1","value":"0x0"}',
      '{"pe":3,"type":"reg","icount":41,"reg":"x30","value":"0xffff000080001234"}',
      '{"pe":3,"type":"reg","icount":41,"reg":"sp_el2","value":"0x80000"}',
      '{"pe":3,"type":"reg","icount":41,"reg":"cpsr","value":"0x600003c5"}',
      '{"pe":3,"type":"mem","icount":41,"access":"read","size":4,"va":"0x80002000","pa":"0x80002000","pas":"ns","device":false,"gpc":"pass","value":"0xdeadbeef"}',
      '{"pe":3,"type":"mem","icount":41,"access":"write","size":64,"va":"0x80003000","pa":"0xf80003000","pas":"realm","device":true,"gpc":"pass","value":"0x0"}',
      '{"pe":3,"type":"mem","icount":41,"access":"write","size":1,"va":"0x1234","pa":null,"gpc":null,"value":"0x7f"}',
      '',
    ]);
    const firmware = [...after];
    firmware[5] = 0x1_0000_0005n;
    const withFirmware = await trace([r, new Records()], { ndjson: true, x: (run) => (run === 0 ? new Array<bigint>(31).fill(0n) : firmware) });
    expect(withFirmware.split('\n')).toContain('{"pe":3,"type":"reg","icount":41,"reg":"x5","value":"0x100000005","by":"firmware"}');
  });

  it('returns to the host for a world switch and an SMC, and names the call from the registers it has seen', async () => {
    const r = new Records()
      .insn(99, state(1, NS), 0xd2800000, 0x8000_0000n, 0x8000_0000n).reg(0, 0x8400_0000n) // mov x0, #0x84000000 (sort of)
      .smc(100, state(1, NS), 0x8000_0008n)
      .insn(101, state(3, ROOT), 0xd69f03e0, 0xf000n, 0xf000n, 2 << 24); // eret at EL3, Root PA: no suffix
    const lines = (await trace([r])).split('\n');
    expect(lines[2]).toBe('100 clk E 0000000080000008 00000400 CoreEvent_SMC');
    expect(lines[3]).toMatch(/^100 clk INFO_EXCEPTION_REASON SMC from EL1h_n to EL3 .* world=ns->root call=PSCI_VERSION fid=0x84000000$/);
    expect(lines[4]).toBe('101 clk E 000000000000f000 00000000 CoreEvent_WORLD_SWITCH');
    expect(lines[5]).toBe('101 clk INFO_EXCEPTION_REASON world switch ns->root');
    expect(lines[6]).toBe('101 clk IT (101) 000000000000f000:000000000000f000 d69f03e0 O EL3h_rt : eret');
  });

  it('stops at a whole line when --max-bytes is reached inside a record', async () => {
    const r = new Records().insn(1, state(1, NS), 0xd503201f, 0x8000_0000n, 0x8000_0000n).mem(true, 64, 0x8000_3000n, 0x8000_3000n, 0n);
    const full = await trace([r]);
    const lines = full.split('\n');
    expect(lines.length).toBe(1 + 8 + 1);
    // Room for the IT line and two and a half of the eight MW lines: two are written
    const cut = lines[0].length + 1 + (lines[1].length + 1) * 2.5;
    const text = await trace([r], { maxBytes: Math.floor(cut) });
    expect(text).toBe(lines.slice(0, 3).join('\n') + '\n');
  });

  it('applies the filters before it formats', async () => {
    const r = new Records();
    for (let t = 1; t <= 6; t++) r.insn(t, state(t <= 3 ? 1 : 2, NS), 0xd503201f, 0x8000_0000n + BigInt(t * 4), 0x8000_0000n + BigInt(t * 4)).reg(2, BigInt(t));
    const times = (text: string) => text.split('\n').filter((l) => l.includes(' IT ')).map((l) => Number(l.split(' ')[0]));
    expect(times(await trace([r], { filter: { window: [2, 3] } }))).toEqual([2, 3, 4]);
    expect(times(await trace([r], { filter: { els: new Set([2]) } }))).toEqual([4, 5, 6]);
    expect(times(await trace([r], { filter: { pcRange: [0x8000_0008n, 0x8000_0010n] } }))).toEqual([2, 3]);
    const regsOnly = await trace([r], { filter: { events: new Set(['reg']) } });
    expect(regsOnly.split('\n').filter(Boolean).every((l) => / clk R X2 /.test(l))).toBe(true);
  });
});
