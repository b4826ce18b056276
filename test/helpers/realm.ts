// Hand-assembled realms on the whole stack: a RealmHost (EL3 monitor, RMM, the hypervisor at NS-EL2)
// builds a realm from a few instruction words at IPA 0x8000_0000 and runs it with the REC loop.
import { RealmHost } from '../../src/machine/realm-host.js';
import { RecLoop, type RealmOutcome } from '../../firmware/hypervisor/rec-loop.js';
import { MmioBus, type MmioDevice } from '../../firmware/hypervisor/devices/mmio.js';
import type { RealmImage } from '../../firmware/hypervisor/realm-image.js';
import type { HostRealm, RealmOptions } from '../../firmware/hypervisor/hypervisor.js';
import type { Rec } from '../../firmware/rmm/rec.js';
import { asm, mov64 } from './asm.js';

export const RAM = 0x8000_0000n;
/** A zeroed, measured page of the image for RsiHostCall structures and scratch data. */
export const SCRATCH = RAM + 0x2000n;
/** A RAM page the image leaves unbacked (UNASSIGNED, RIPAS RAM). */
export const UNBACKED = RAM + 0x10_0000n;
export const ALIAS = 1n << 32n;

export const SMC = asm('SMC', { imm16: 0 });
export const HVC = asm('HVC', { imm16: 0 });
export const movReg = (rd: number, rm: number) => asm('ORR_sr_64', { shift: 0, rm, imm6: 0, rn: 31, rd });
export const strb = (rt: number, rn: number, imm = 0) => asm('STRB_off', { imm12: imm, rn, rt });
export const ldrb = (rt: number, rn: number, imm = 0) => asm('LDRB_off', { imm12: imm, rn, rt });
export const ldrsbX = (rt: number, rn: number) => asm('LDRSB_off', { opc0: 0, imm12: 0, rn, rt });
export const ldrshW = (rt: number, rn: number) => asm('LDRSH_off', { opc0: 1, imm12: 0, rn, rt });
export const str = (rt: number, rn: number, imm = 0) => asm('STR_off', { sz: 1, imm12: imm / 8, rn, rt });
export const ldr = (rt: number, rn: number, imm = 0) => asm('LDR_off', { sz: 1, imm12: imm / 8, rn, rt });

/** X0 = fid, X1.. = args, SMC #0. */
export function smc(fid: bigint, ...args: bigint[]): number[] {
  return [...mov64(0, fid), ...args.flatMap((a, i) => mov64(i + 1, a)), SMC];
}

/** RSI_HOST_CALL with imm 0xCCA1 (end the realm) and status `status` in gprs[0]. */
export function exitRealm(status: bigint): number[] {
  return [...mov64(6, SCRATCH), ...mov64(7, 0xcca1n), str(7, 6), ...mov64(7, status), str(7, 6, 8), ...smc(0xc400_0199n, SCRATCH)];
}

export function realmImage(words: number[]): RealmImage {
  const code = new Uint8Array(0x1000);
  const v = new DataView(code.buffer);
  words.forEach((w, i) => v.setUint32(i * 4, w >>> 0, true));
  return { entry: RAM, pages: new Map([[RAM, code], [SCRATCH, new Uint8Array(0x1000)]]) };
}

export interface RealmRun {
  h: RealmHost;
  realm: HostRealm;
  outcome: RealmOutcome;
  exits: string[];
  console: string;
  /** The RMM's REC objects, in REC order (what the realm left in its registers). */
  recs: Rec[];
}

/** Builds the realm, runs it to its end, and returns what happened. */
export function runRealm(words: number[], o: { devices?: MmioDevice[]; options?: RealmOptions } = {}): RealmRun {
  const h = new RealmHost();
  const realm = h.run(h.hypervisor.createRealm(realmImage(words), o.options));
  const exits: string[] = [];
  let console = '';
  const loop = new RecLoop(h.hypervisor, realm, {
    bus: new MmioBus(o.devices ?? []), console: (b) => (console += Buffer.from(b).toString('latin1')), onExit: (r) => exits.push(r),
  });
  const outcome = h.run(loop.run());
  const recs = realm.recs.map((r) => h.machine.rme!.rmm.ctx.recs.get(r.granule)!);
  return { h, realm, outcome, exits, console, recs };
}
