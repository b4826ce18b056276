// PSCI 1.1 CPU power functions (Arm DEN0022): return codes and their order, SMC32 argument widths,
// PSCI_FEATURES, and the state a PE starts in after CPU_ON on the machine.
import { describe, it, expect } from 'vitest';
import {
  Psci, type PsciPlatform, type PowerState, PSCI_CPU_ON_32, PSCI_CPU_ON_64, PSCI_AFFINITY_INFO_64, PSCI_AFFINITY_INFO_32,
  PSCI_MIGRATE_INFO_TYPE, PSCI_INVALID_PARAMETERS, PSCI_ALREADY_ON, PSCI_ON_PENDING, PSCI_INVALID_ADDRESS,
} from '../../firmware/el3/psci.js';
import { El3Monitor } from '../../firmware/el3/monitor.js';
import { PSCI_FEATURES, PSCI_CPU_OFF } from '../../firmware/smccc.js';
import type { Cpu } from '../../firmware/cpu.js';
import type { SysregName } from '../../src/isa/sysregs.gen.js';
import { Machine } from '../../src/machine/machine.js';

class FakeCpu implements Cpu {
  regs = new Array<bigint>(32).fill(0n);
  sys = new Map<string, bigint>();
  x(n: number) { return this.regs[n]; }
  setX(n: number, v: bigint) { this.regs[n] = v; }
  sysreg(n: SysregName) { return this.sys.get(n) ?? 0n; }
  setSysreg(n: SysregName, v: bigint) { this.sys.set(n, v); }
}

class FakePlatform implements PsciPlatform {
  states: PowerState[] = ['on', 'off', 'off', 'on-pending'];
  started: { pe: number; entry: bigint; ctx: bigint }[] = [];
  peByAffinity(a: bigint) { const i = [0x0n, 0x100n, 0x200n, 0x300n].indexOf(a); return i < 0 ? undefined : i; }
  powerState(pe: number) { return this.states[pe]; }
  validEntryPoint(a: bigint) { return a >= 0x8000_0000n && a < 0x9000_0000n; }
  powerOn(pe: number, entry: bigint, ctx: bigint) { this.started.push({ pe, entry, ctx }); this.states[pe] = 'on-pending'; }
}

function call(p: Psci, fid: number, ...args: bigint[]) {
  const cpu = new FakeCpu();
  cpu.setX(0, BigInt(fid));
  args.forEach((a, i) => cpu.setX(i + 1, a));
  const r = p.call(fid, cpu);
  return { r, x0: BigInt.asIntN(64, cpu.x(0)) };
}

describe('PSCI CPU_ON', () => {
  it('starts an off PE with its entry point and context ID', () => {
    const plat = new FakePlatform();
    const { x0 } = call(new Psci(plat), PSCI_CPU_ON_64, 0x100n, 0x8000_1000n, 42n);
    expect(x0).toBe(0n);
    expect(plat.started).toEqual([{ pe: 1, entry: 0x8000_1000n, ctx: 42n }]);
  });

  it.each([
    ['a target that does not exist', 0xff00n, 0x8000_1000n, PSCI_INVALID_PARAMETERS],
    ['an entry point outside RAM', 0x100n, 0x10n, PSCI_INVALID_ADDRESS],
    ['a PE that is on', 0x0n, 0x8000_1000n, PSCI_ALREADY_ON],
    ['a PE whose start is pending', 0x300n, 0x8000_1000n, PSCI_ON_PENDING],
    ['no target and a bad address: the target is checked first', 0xff00n, 0x10n, PSCI_INVALID_PARAMETERS],
  ])('%s: the right error', (_, mpidr, entry, code) => {
    const plat = new FakePlatform();
    expect(call(new Psci(plat), PSCI_CPU_ON_64, mpidr, entry, 0n).x0).toBe(code);
    expect(plat.started).toEqual([]);
  });

  it('ignores the MPIDR bits outside the affinity fields (bit 31 RES1, MT, U)', () => {
    const plat = new FakePlatform();
    expect(call(new Psci(plat), PSCI_CPU_ON_64, 0x8100_0200n, 0x8000_1000n, 0n).x0).toBe(0n);
    expect(plat.started[0].pe).toBe(2);
  });

  it('the SMC32 form takes 32-bit arguments', () => {
    const plat = new FakePlatform();
    expect(call(new Psci(plat), PSCI_CPU_ON_32, 0xdead_0000_0000_0100n, 0x1_8000_1000n, 0x5_0000_0007n).x0).toBe(0n);
    expect(plat.started).toEqual([{ pe: 1, entry: 0x8000_1000n, ctx: 7n }]);
  });
});

describe('PSCI AFFINITY_INFO, CPU_OFF, MIGRATE_INFO_TYPE, FEATURES', () => {
  it('AFFINITY_INFO answers ON, OFF, ON_PENDING; bad targets and levels above 0 are INVALID_PARAMETERS', () => {
    const p = new Psci(new FakePlatform());
    expect(call(p, PSCI_AFFINITY_INFO_64, 0x0n, 0n).x0).toBe(0n);
    expect(call(p, PSCI_AFFINITY_INFO_64, 0x100n, 0n).x0).toBe(1n);
    expect(call(p, PSCI_AFFINITY_INFO_32, 0x300n, 0n).x0).toBe(2n);
    expect(call(p, PSCI_AFFINITY_INFO_64, 0x400n, 0n).x0).toBe(PSCI_INVALID_PARAMETERS);
    expect(call(p, PSCI_AFFINITY_INFO_64, 0x0n, 1n).x0).toBe(PSCI_INVALID_PARAMETERS);
  });

  it('CPU_OFF powers the caller down (no return value), MIGRATE_INFO_TYPE says migration is not required', () => {
    const p = new Psci(new FakePlatform());
    expect(call(p, PSCI_CPU_OFF).r).toEqual({ kind: 'cpu-off' });
    expect(call(p, PSCI_MIGRATE_INFO_TYPE).x0).toBe(2n);
    expect(p.call(0x8400_0001, new FakeCpu())).toBeUndefined(); // CPU_SUSPEND: not this module's
  });

  it('PSCI_FEATURES reports the power functions only when the monitor has a platform', () => {
    const features = (m: El3Monitor, fid: number) => {
      const cpu = new FakeCpu();
      cpu.setX(0, BigInt(PSCI_FEATURES));
      cpu.setX(1, BigInt(fid));
      m.smc(cpu);
      return BigInt.asIntN(64, cpu.x(0));
    };
    const withPes = new El3Monitor(new FakePlatform());
    for (const fid of [PSCI_CPU_ON_64, PSCI_CPU_OFF, PSCI_AFFINITY_INFO_64, PSCI_MIGRATE_INFO_TYPE]) expect(features(withPes, fid)).toBe(0n);
    expect(features(withPes, 0x8400_0001)).toBe(-1n); // CPU_SUSPEND is not implemented
    expect(features(new El3Monitor(), PSCI_CPU_ON_64)).toBe(-1n);
  });
});

describe('CPU_ON on the machine', () => {
  it("the new PE starts at the entry in the caller's EL with X0 = context ID, DAIF masked, and the caller's EL3 registers", () => {
    const m = new Machine({ ramMiB: 64, cpus: 2, console: () => {} });
    m.start(0x8000_0000n, { el: 2, security: 'ns' });
    const c = m.core;
    c.setSysreg('GPTBR_EL3', 0x1234n);
    c.setSysreg('SPSR_EL3', (2n << 2n) | 1n); // the SMC came from EL2h
    m.powerOn(1, 0x8000_4000n, 0x77n, c);
    expect(m.powerState(1)).toBe('on-pending');
    expect(m.current).toBe(0);
    expect(c.pc).toBe(0x8000_0000n); // the caller's state is back in the core
    const saved = m.pes[1].saved!;
    expect(c.savedSysreg(saved, 'MPIDR_EL1')).toBe(0x8000_0100n);
    expect(c.savedSysreg(saved, 'GPTBR_EL3')).toBe(0x1234n);
    expect(c.savedSysreg(saved, 'SCTLR_EL2') & 1n).toBe(0n); // MMU off
    c.loadPe(saved);
    expect(c.pc).toBe(0x8000_4000n);
    expect(c.x(0)).toBe(0x77n);
    expect(c.pstate).toBe((2n << 2n) | 1n | (0xfn << 6n));
  });

  it('rejects a board of 0 or 9 PEs', () => {
    expect(() => new Machine({ ramMiB: 16, cpus: 0, console: () => {} })).toThrow(/cpus must be 1..8/);
    expect(() => new Machine({ ramMiB: 16, cpus: 9, console: () => {} })).toThrow(/cpus must be 1..8/);
  });
});
