// The running PE as the firmware sees it (firmware/cpu.ts WorldCpu): the core's registers, except the
// GIC CPU interface registers (ICC_*, ICH_*), which live in the GIC model for that PE, as in hardware.
import type { Core } from '../core/core.js';
import type { GicV3 } from '../devices/gicv3.js';
import type { SysregName } from '../isa/sysregs.gen.js';
import type { PeContext, RegisterSet, WorldCpu } from '../../firmware/cpu.js';

const isGicRegister = (name: string) => name.startsWith('ICH_') || name.startsWith('ICC_');

export class PeView implements WorldCpu {
  constructor(private readonly core: Core, private readonly gic: GicV3, private readonly currentPe: () => number) {}

  x(n: number): bigint {
    return this.core.x(n);
  }
  setX(n: number, v: bigint): void {
    this.core.setX(n, v);
  }
  sysreg(name: SysregName): bigint {
    if (!isGicRegister(name)) return this.core.sysreg(name);
    return name.startsWith('ICH_') ? this.gic.readVirtual(this.currentPe(), name) : this.gic.readSysreg(this.currentPe(), name);
  }
  setSysreg(name: SysregName, v: bigint): void {
    if (!isGicRegister(name)) this.core.setSysreg(name, v);
    else if (name.startsWith('ICH_')) this.gic.writeVirtual(this.currentPe(), name, v);
    else this.gic.writeSysreg(this.currentPe(), name, v);
  }
  v(n: number): bigint {
    return this.core.v(n);
  }
  setV(n: number, v: bigint): void {
    this.core.setV(n, v);
  }
  spBank(el: number): bigint {
    return this.core.spBank(el);
  }
  setSpBank(el: number, v: bigint): void {
    this.core.setSpBank(el, v);
  }
  get pstate(): bigint {
    return this.core.pstate;
  }
  set pstate(v: bigint) {
    this.core.pstate = v;
  }
  get pc(): bigint {
    return this.core.pc;
  }
  set pc(v: bigint) {
    this.core.pc = v;
  }
  get physicalCount(): bigint {
    return this.core.counterNow;
  }
  saveRegisters(set: RegisterSet): Uint8Array {
    return this.core.saveRegisterBlock(set.indices);
  }
  loadRegisters(set: RegisterSet, block: Uint8Array): void {
    this.core.loadRegisterBlock(set.indices, block);
  }
  saveContext(): PeContext {
    return this.core.savePe();
  }
  restoreContext(saved: PeContext): void {
    this.core.loadPe(saved);
  }
  eret(): void {
    this.core.eret();
  }
  takeException(target: number, offset: number, esr: bigint, far: bigint, ret: bigint): void {
    this.core.takeException(target, offset, esr, far, ret);
  }
  stateChanged(): void {
    this.core.stateChanged();
  }
}
