// RSI_HOST_CALL (RMM B5.3.4, A4.5): the realm's RsiHostCall (B5.4.3: imm @0x0, gprs[0..30] @0x8) goes to
// the host as a REC exit; on the next REC entry the host's gprs are written back into the structure.
import { realmTarget, readRealm, writeRealm } from './memory.js';
import { RecExitReason } from '../rec-run.js';
import { RsiStatus, rsiInput, type RsiCaller, type RsiOutcome } from './result.js';

export const RSI_HOST_CALL_SIZE = 0x100;
const HOST_CALL_GPRS = 31;

export function rsiHostCall(c: RsiCaller, addr: bigint): RsiOutcome {
  if ((addr & 0xffn) !== 0n) return rsiInput(); // B5.3.4 failure: addr_align
  if (!c.realm.isProtected(addr)) return rsiInput(); // B5.3.4 failure: addr_bound
  const target = realmTarget(c, addr, false);
  if (target.kind === 'abort') return { kind: 'exit', exit: target.exit, retry: true };
  if (target.kind === 'not-ram') return rsiInput();
  const bytes = readRealm(c, target.pa, RSI_HOST_CALL_SIZE);
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  c.rec.hostCallPending = true;
  c.rec.hostCallAddr = addr;
  return {
    kind: 'exit',
    retry: false,
    exit: {
      reason: RecExitReason.HostCall,
      imm: v.getUint16(0, true),
      gprs: Array.from({ length: HOST_CALL_GPRS }, (_, i) => v.getBigUint64(8 + i * 8, true)),
    },
  };
}

/**
 * The next REC entry's half (RMM A4.2.2): the host's gprs[0..30] into RsiHostCall.gprs, then X0 =
 * RSI_SUCCESS for the realm; if the structure is no longer mapped, a data abort exit and the host call
 * stays pending.
 */
export function completeHostCall(c: RsiCaller, hostGprs: bigint[]): RsiOutcome {
  const target = realmTarget(c, c.rec.hostCallAddr, true);
  if (target.kind === 'abort') return { kind: 'exit', exit: target.exit, retry: false };
  c.rec.hostCallPending = false;
  if (target.kind === 'ram') {
    const bytes = new Uint8Array(HOST_CALL_GPRS * 8);
    const v = new DataView(bytes.buffer);
    for (let i = 0; i < HOST_CALL_GPRS; i++) v.setBigUint64(i * 8, BigInt.asUintN(64, hostGprs[i] ?? 0n), true);
    writeRealm(c, target.pa + 8n, bytes);
  }
  // RIPAS no longer RAM (the realm gave the page away meanwhile): nothing to write back into
  return { kind: 'return', x: [BigInt(RsiStatus.Success)] };
}
