// Fixed-width hexadecimal of 32-bit halves, for the strings the trace writers cache (the hot path writes
// bytes: output.ts).
const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hex8(u: number): string {
  return HEX2[u >>> 24] + HEX2[(u >>> 16) & 0xff] + HEX2[(u >>> 8) & 0xff] + HEX2[u & 0xff];
}
export function hex16(lo: number, hi: number): string {
  return hex8(hi) + hex8(lo);
}
export const big = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
export const hexBig = (v: bigint, digits = 16): string => v.toString(16).padStart(digits, '0');
