// A reference Granule Protection Check in TypeScript, written from the Arm ARM pseudocode (J1.3.5.39-56:
// GPCRegistersConsistent, GranuleProtectionCheck, GPTWalk, GPIValid, GPICheck) to be slow and obvious.
// The randomized tests compare the core's gpc_check with it.

export interface GpcFeatures { gpc2: boolean; gpc3: boolean; gdi: boolean; sel2: boolean }
export interface GpcRegs { gpccr: bigint; gptbr: bigint; gpcbw: bigint }
export type Verdict = { kind: 'pass' } | { kind: 'gpf' | 'walk' | 'addrsize' | 'eabt'; level: number };

export const PAS = { secure: 0, nonsecure: 1, root: 2, realm: 3 } as const;

// Shift amounts and masks as BigInt constants made once: the million-query test spends its time here
const N = Array.from({ length: 65 }, (_, i) => BigInt(i));
const MASK = N.map((n) => (1n << n) - 1n);
const bit = (v: bigint, n: number) => Number((v >> N[n]) & 1n);
const bits = (v: bigint, hi: number, lo: number) => Number((v >> N[lo]) & MASK[hi - lo + 1]);

function gpiValid(gpi: number, r: GpcRegs, f: GpcFeatures): boolean {
  const gdi = f.gdi;
  const gpc2 = f.gpc2 || f.gpc3 || f.gdi;
  if (gpi === 0b0000) return true;
  if (gpi === 0b0101) return gdi && bit(r.gpccr, 26) === 1;
  if (gpi === 0b0100) return gdi && bit(r.gpccr, 25) === 1;
  if (gpi === 0b0110) return gdi && bit(r.gpccr, 27) === 1;
  if (gpi === 0b0111) return gdi && bit(r.gpccr, 28) === 1;
  if (gpi === 0b1000) return f.sel2;
  if (gpi === 0b1001 || gpi === 0b1011 || gpi === 0b1010 || gpi === 0b1111) return true;
  if (gpi === 0b1101) return gpc2 && bit(r.gpccr, 19) === 1;
  return false;
}

function gpiCheck(pas: number, gpi: number, ss: number): boolean {
  switch (gpi) {
    case 0b0000: return false;
    case 0b1000: return pas === PAS.secure;
    case 0b1001: return pas === PAS.nonsecure;
    case 0b1010: return pas === PAS.root;
    case 0b1011: return pas === PAS.realm;
    case 0b1101: return pas === PAS.nonsecure && (ss === PAS.root || ss === PAS.nonsecure);
    case 0b1111: return true;
    default: return false; // SA, NSP (no PE produces those PA spaces), NA6, NA7
  }
}

function ppsBits(r: GpcRegs, f: GpcFeatures): number | undefined {
  const pps = bits(r.gpccr, 2, 0) | (f.gpc3 ? bit(r.gpccr, 3) << 3 : 0);
  const table: Record<number, number> = { 0: 32, 1: 36, 2: 40, 3: 42, 4: 44, 5: 48, 6: 52 };
  if (f.gpc3) Object.assign(table, { 7: 56, 8: 46, 9: 47 });
  return table[pps];
}

function window(r: GpcRegs): { lo: number; hi: number; base: bigint } | undefined {
  const lo = ({ 0: 30, 1: 31, 2: 32, 4: 34, 6: 36 } as Record<number, number>)[bits(r.gpcbw, 39, 37)];
  const hi = ({ 0: 39, 2: 41, 4: 43, 6: 45, 7: 46, 8: 47, 9: 48, 10: 49, 16: 55 } as Record<number, number>)[bits(r.gpcbw, 36, 32)];
  if (lo === undefined || hi === undefined) return undefined;
  return { lo, hi, base: BigInt(bits(r.gpcbw, 25, 0)) << 30n };
}

/** GranuleProtectionCheck for one access; `read` returns the 64-bit word at a PA, or undefined (External abort). */
export function referenceGpc(
  pa: bigint, pas: number, ss: number, r: GpcRegs, f: GpcFeatures, read: (pa: bigint) => bigint | undefined,
): Verdict {
  if (bit(r.gpccr, 16) === 0) return { kind: 'pass' };
  // GPCRegistersConsistent
  const t = ppsBits(r, f);
  const pgs = bits(r.gpccr, 15, 14);
  const p = pgs === 0 ? 12 : pgs === 2 ? 14 : pgs === 1 ? 16 : undefined;
  const sh = bits(r.gpccr, 13, 12);
  let consistent = t !== undefined && t <= 48 && p !== undefined && sh !== 1
    && !(bits(r.gpccr, 11, 8) === 0 && sh !== 2);
  if (consistent && f.gpc3 && bit(r.gpccr, 29) === 1) {
    const w = window(r);
    consistent = w !== undefined && (w.base & ((1n << BigInt(w.lo)) - 1n)) === 0n
      && (w.hi === 55 || (w.base >> BigInt(w.hi + 1)) === 0n);
  }
  if (!consistent) return { kind: 'walk', level: 0 };
  const gpc2 = f.gpc2 || f.gpc3 || f.gdi;
  if (gpc2) {
    if (pas === PAS.secure && bit(r.gpccr, 7)) return { kind: 'gpf', level: 0 };
    if (pas === PAS.nonsecure && bit(r.gpccr, 6)) return { kind: 'gpf', level: 0 };
    if (pas === PAS.realm && bit(r.gpccr, 5)) return { kind: 'gpf', level: 0 };
  }
  if (pa >= 1n << BigInt(t!)) {
    if (pas === PAS.nonsecure || (gpc2 && bit(r.gpccr, 24))) return { kind: 'pass' };
    return { kind: 'gpf', level: 0 };
  }
  if (f.gpc3 && bit(r.gpccr, 29)) {
    const w = window(r)!;
    const inWindow = ((pa ^ w.base) >> BigInt(w.lo)) & ((1n << BigInt(w.hi + 1 - w.lo)) - 1n);
    if (inWindow === 0n) return { kind: 'pass' };
  }
  const s = 30;
  // GPTWalk
  let base = BigInt(bits(r.gptbr, 39, 0)) << 12n;
  if (f.gpc3) base |= BigInt(bits(r.gptbr, 43, 40)) << 52n;
  const x = Math.max(t! - s + 3, 12);
  base = (base >> BigInt(x)) << BigInt(x);
  if (base >= 1n << BigInt(t!)) return { kind: 'addrsize', level: 0 };
  const l0index = t! > s ? (pa >> BigInt(s)) % (1n << BigInt(t! - s)) : 0n;
  const l0 = read(base + 8n * l0index);
  if (l0 === undefined) return { kind: 'eabt', level: 0 };
  if ((l0 & 0xfn) === 0b0001n) {
    const gpi = bits(l0, 7, 4);
    if ((l0 >> 8n) !== 0n || !gpiValid(gpi, r, f)) return { kind: 'walk', level: 0 };
    return gpiCheck(pas, gpi, ss) ? { kind: 'pass' } : { kind: 'gpf', level: 0 };
  }
  if ((l0 & 0xfn) !== 0b0011n) return { kind: 'walk', level: 0 };
  const topRes0 = f.gpc3 && t === 56 ? 56 : 52;
  if ((l0 >> BigInt(topRes0)) !== 0n || bits(l0, 11, 4) !== 0) return { kind: 'walk', level: 0 };
  const l1tableSizeLog2 = s - p! - 1;
  const l1base = ((l0 % (1n << BigInt(topRes0))) >> BigInt(l1tableSizeLog2)) << BigInt(l1tableSizeLog2);
  if (l1base >= 1n << BigInt(t!)) return { kind: 'addrsize', level: 0 };
  const l1index = (pa >> BigInt(p! + 4)) % (1n << BigInt(s - p! - 4));
  const valid1 = (d: bigint) => {
    if ((d & 0xfn) === 0b0001n) return gpiValid(bits(d, 7, 4), r, f) && bits(d, 9, 8) !== 0 && (d >> 10n) === 0n;
    for (let i = 0; i < 16; i++) if (!gpiValid(bits(d, 4 * i + 3, 4 * i), r, f)) return false;
    return true;
  };
  const l1 = read(l1base + 8n * l1index);
  if (l1 === undefined) return { kind: 'eabt', level: 1 };
  if (!valid1(l1)) return { kind: 'walk', level: 1 };
  if (f.gdi) {
    const pair = read(l1base + 8n * (l1index ^ 1n));
    if (pair === undefined) return { kind: 'eabt', level: 1 };
    if (!valid1(pair)) return { kind: 'walk', level: 1 };
  }
  const i = Number((pa >> BigInt(p!)) & 0xfn);
  const gpi = (l1 & 0xfn) === 0b0001n ? bits(l1, 7, 4) : bits(l1, 4 * i + 3, 4 * i);
  return gpiCheck(pas, gpi, ss) ? { kind: 'pass' } : { kind: 'gpf', level: 1 };
}
