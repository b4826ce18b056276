// The RMM (RMM DEN0137 1.0-rel0): the RMI handler table and its dispatch from the EL3 monitor. Each
// handler is named after its command, takes the command's input registers in order, and returns the
// status, index and output registers (RMM B4.3).
import type { Cpu, WorldCpu } from '../cpu.js';
import type { PhysicalAccess } from '../phys.js';
import { RmmContext, isResult, type El3Services, type RmmPlatform } from './context.js';
import { recEnter } from './rmi/rec-enter.js';
import { realmException, type RealmExceptionResult } from './realm-exit.js';
import { returnCode, type RmiResult } from './status.js';
import { rmiVersion, rmiFeatures } from './rmi/version.js';
import { granuleDelegate, granuleUndelegate } from './rmi/granule.js';
import { realmCreate, realmActivate, realmDestroy } from './rmi/realm.js';
import { recAuxCount, recCreate, recDestroy, psciComplete } from './rmi/rec.js';
import { dataCreate, dataCreateUnknown, dataDestroy } from './rmi/data.js';
import {
  rttCreate, rttDestroy, rttFold, rttReadEntry, rttMapUnprotected, rttUnmapUnprotected, rttInitRipas, rttSetRipas,
} from './rmi/rtt.js';

export const RMI_FID_FIRST = 0xc400_0150;
export const RMI_REC_ENTER = 0xc400_015c;
export const RMI_FID_LAST = 0xc400_0169;

type Handler = (ctx: RmmContext, ...args: bigint[]) => RmiResult;

interface Command {
  name: string;
  /** Input registers X1..X<arity>. */
  arity: number;
  /** Output registers X1..X<outputs> (the rest of X1-X16 are zeroed, RMM B1.2). */
  outputs: number;
  handler?: Handler;
}

/** RMM B4.3: every FID of the RMI range. A command without a handler is not implemented yet. */
export const RMI_COMMANDS = new Map<number, Command>([
  [0xc400_0150, { name: 'RMI_VERSION', arity: 1, outputs: 2, handler: rmiVersion as Handler }],
  [0xc400_0151, { name: 'RMI_GRANULE_DELEGATE', arity: 1, outputs: 0, handler: granuleDelegate as Handler }],
  [0xc400_0152, { name: 'RMI_GRANULE_UNDELEGATE', arity: 1, outputs: 0, handler: granuleUndelegate as Handler }],
  [0xc400_0153, { name: 'RMI_DATA_CREATE', arity: 5, outputs: 0, handler: dataCreate as Handler }],
  [0xc400_0154, { name: 'RMI_DATA_CREATE_UNKNOWN', arity: 3, outputs: 0, handler: dataCreateUnknown as Handler }],
  [0xc400_0155, { name: 'RMI_DATA_DESTROY', arity: 2, outputs: 2, handler: dataDestroy as Handler }],
  [0xc400_0157, { name: 'RMI_REALM_ACTIVATE', arity: 1, outputs: 0, handler: realmActivate as Handler }],
  [0xc400_0158, { name: 'RMI_REALM_CREATE', arity: 2, outputs: 0, handler: realmCreate as Handler }],
  [0xc400_0159, { name: 'RMI_REALM_DESTROY', arity: 1, outputs: 0, handler: realmDestroy as Handler }],
  [0xc400_015a, { name: 'RMI_REC_CREATE', arity: 3, outputs: 0, handler: recCreate as Handler }],
  [0xc400_015b, { name: 'RMI_REC_DESTROY', arity: 1, outputs: 0, handler: recDestroy as Handler }],
  [0xc400_015c, { name: 'RMI_REC_ENTER', arity: 2, outputs: 0 }], // a world switch: Rmm.rmi() serves it
  [0xc400_015d, { name: 'RMI_RTT_CREATE', arity: 4, outputs: 0, handler: rttCreate as Handler }],
  [0xc400_015e, { name: 'RMI_RTT_DESTROY', arity: 3, outputs: 2, handler: rttDestroy as Handler }],
  [0xc400_015f, { name: 'RMI_RTT_MAP_UNPROTECTED', arity: 4, outputs: 0, handler: rttMapUnprotected as Handler }],
  [0xc400_0161, { name: 'RMI_RTT_READ_ENTRY', arity: 3, outputs: 4, handler: rttReadEntry as Handler }],
  [0xc400_0162, { name: 'RMI_RTT_UNMAP_UNPROTECTED', arity: 3, outputs: 1, handler: rttUnmapUnprotected as Handler }],
  [0xc400_0164, { name: 'RMI_PSCI_COMPLETE', arity: 3, outputs: 0, handler: psciComplete as Handler }],
  [0xc400_0165, { name: 'RMI_FEATURES', arity: 1, outputs: 1, handler: rmiFeatures as Handler }],
  [0xc400_0166, { name: 'RMI_RTT_FOLD', arity: 3, outputs: 1, handler: rttFold as Handler }],
  [0xc400_0167, { name: 'RMI_REC_AUX_COUNT', arity: 1, outputs: 1, handler: recAuxCount as Handler }],
  [0xc400_0168, { name: 'RMI_RTT_INIT_RIPAS', arity: 3, outputs: 1, handler: rttInitRipas as Handler }],
  [0xc400_0169, { name: 'RMI_RTT_SET_RIPAS', arity: 4, outputs: 1, handler: rttSetRipas as Handler }],
]);

const SMCCC_NOT_SUPPORTED = BigInt.asUintN(64, -1n);

/** X0 the return code, X1.. the command's outputs, the rest of X1-X16 zero (RMM B1.2). */
function writeResult(cpu: Cpu, r: RmiResult, outputs: number): void {
  cpu.setX(0, returnCode(r));
  for (let i = 1; i <= 16; i++) cpu.setX(i, i <= outputs ? BigInt.asUintN(64, r.out[i - 1] ?? 0n) : 0n);
}

export function isRmiFid(fid: number): boolean {
  return fid >= RMI_FID_FIRST && fid <= RMI_FID_LAST;
}

export class Rmm {
  readonly ctx: RmmContext;

  constructor(mem: PhysicalAccess, el3: El3Services, platform: RmmPlatform) {
    this.ctx = new RmmContext(mem, el3, platform);
  }

  /**
   * Runs one RMI command on the arguments the host left in X0-X16 and writes X0-X16 back (RMM B1.2).
   * 'realm': RMI_REC_ENTER switched the PE into the realm; the command completes at the REC exit.
   */
  rmi(cpu: WorldCpu): 'return' | 'realm' {
    const fid = Number(cpu.x(0) & 0xffff_ffffn);
    if (fid === RMI_REC_ENTER) {
      const r = recEnter(this.ctx, cpu, cpu.x(1), cpu.x(2));
      if (!isResult(r)) return 'realm';
      writeResult(cpu, r, 0);
      return 'return';
    }
    const command = RMI_COMMANDS.get(fid);
    if (!command?.handler) {
      // Unallocated in 1.0 (0x156, 0x160, 0x163), or not implemented: SMCCC's NOT_SUPPORTED
      cpu.setX(0, SMCCC_NOT_SUPPORTED);
      return 'return';
    }
    const args = Array.from({ length: command.arity }, (_, i) => cpu.x(i + 1));
    writeResult(cpu, this.call(fid, ...args), command.outputs);
    return 'return';
  }

  /** An exception from the REC this PE runs to R-EL2; on 'exit' the status completes its RMI_REC_ENTER. */
  realmException(cpu: WorldCpu): RealmExceptionResult {
    const pe = cpu.sysreg('MPIDR_EL1');
    const running = this.ctx.running.get(pe);
    if (!running) throw new Error(`RMM: an exception from a realm on PE 0x${pe.toString(16)}, which runs no REC`);
    const r = realmException(this.ctx, cpu, running);
    if (r.kind === 'exit') this.ctx.running.delete(pe);
    return r;
  }

  /** One command by FID, for the dispatch above and for host-side tools. */
  call(fid: number, ...args: bigint[]): RmiResult {
    const command = RMI_COMMANDS.get(fid);
    if (!command?.handler) throw new Error(`no RMI handler for FID 0x${fid.toString(16)}`);
    return command.handler(this.ctx, ...args);
  }
}
