// The checks every Tarmac trace passes (bare-metal and realm): it parses under the grammar TTU accepts,
// one IT line per instruction, an R line for every X30 and SP write, a PA and a mode on every IT line.
import { expect } from 'vitest';
import { parseTarmac, type TarmacLine } from './tarmac-grammar.js';

export const isBl = (enc: number) => (enc & 0xfc000000) >>> 0 === 0x94000000;
export const isBlr = (enc: number) => (enc & 0xfffffc1f) >>> 0 === 0xd63f0000;
/** Encodings that write SP (C6.2): ADD/SUB (immediate) to SP, and loads/stores with writeback to base SP. */
export function writesSp(enc: number): boolean {
  const rd = enc & 31, rn = (enc >>> 5) & 31;
  if ((enc & 0x7f800000) >>> 0 === 0x11000000 && rd === 31) return true; // ADD (immediate), 64-bit, Rd = SP
  if ((enc & 0x7f800000) >>> 0 === 0x51000000 && rd === 31) return true; // SUB (immediate)
  if (rn !== 31) return false;
  if ((enc & 0x3b200400) >>> 0 === 0x38000400) return true; // LDR/STR (immediate), pre- and post-index
  if ((enc & 0x3a800000) >>> 0 === 0x28800000) return true; // LDP/STP post-index (bits 24:23 = 01) and pre-index (11)
  return false;
}

/** The lines after each IT line up to the next one: its effects. */
export function byInstruction(lines: TarmacLine[]): { it: Extract<TarmacLine, { type: 'IT' }>; effects: TarmacLine[] }[] {
  const out: { it: Extract<TarmacLine, { type: 'IT' }>; effects: TarmacLine[] }[] = [];
  for (const l of lines) {
    if (l.type === 'IT') out.push({ it: l, effects: [] });
    else out.at(-1)?.effects.push(l);
  }
  return out;
}

/** An E line for an exception (a world switch is an E line too, but the instruction before it completed). */
const isException = (l: TarmacLine) => l.type === 'E' && l.event !== 'CoreEvent_WORLD_SWITCH';

/** Parses `text` and checks it against the `instructions` the run retired; returns the parsed lines. */
export function expectValidTrace(text: string, instructions: bigint, opts: { links?: boolean } = {}): TarmacLine[] {
  const lines = parseTarmac(text);
  const insns = byInstruction(lines);
  const exceptions = lines.filter(isException).length;
  // One IT line per instruction retired, but for those whose fetch faulted (an E line each)
  expect(insns.length).toBeLessThanOrEqual(Number(instructions));
  expect(insns.length).toBeGreaterThanOrEqual(Number(instructions) - exceptions);
  let links = 0, spWrites = 0;
  for (const { it, effects } of insns) {
    if (effects.some(isException)) continue; // the instruction took an exception: no writeback
    const regs = effects.filter((e): e is Extract<TarmacLine, { type: 'R' }> => e.type === 'R');
    if (isBl(it.enc) || isBlr(it.enc)) {
      links++;
      expect(regs.find((r) => r.reg === 'X30')?.value, `${it.va.toString(16)} ${it.disasm}`).toBe(it.va + 4n);
    }
    if (writesSp(it.enc)) {
      spWrites++;
      expect(regs.some((r) => /^SP_EL[0-3]$/.test(r.reg)), `${it.va.toString(16)} ${it.disasm}`).toBe(true);
    }
    // Every IT line carries its PA: the PE fetched through the TLB
    expect(it.pa, it.disasm).toBeDefined();
    expect(it.mode).toMatch(/^EL[0-3][th]_(s|n|rt|rl)$/);
  }
  if (opts.links !== false) {
    expect(links).toBeGreaterThan(0);
    expect(spWrites).toBeGreaterThan(0);
  }
  return lines;
}
