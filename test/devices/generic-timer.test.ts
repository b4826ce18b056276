// The generic timers: outputs and deadlines under virtual time (Arm ARM D12.2), the EXIT_TIMER hand-off,
// the CNTHCTL_EL2 traps, and WFI fast-forwarding in the machine.
import { describe, it, expect } from 'vitest';
import { evaluateTimers, type TimerRegisters } from '../../src/devices/generic-timer.js';
import type { SysregName } from '../../src/isa/sysregs.gen.js';
import { Rig, CODE } from '../helpers/rig.js';
import { mrs, msr, mov64, NOP, asm } from '../helpers/asm.js';
import { Exit } from '../../src/core/core.js';
import { Machine } from '../../src/machine/machine.js';

function regs(values: Partial<Record<SysregName, bigint>>): TimerRegisters {
  return { sysreg: (n) => values[n] ?? 0n };
}
const output = (r: ReturnType<typeof evaluateTimers>, intid: number) => r.states.find((s) => s.intid === intid)!.asserted;

describe('timer outputs and deadlines', () => {
  it('CNTHCTL_EL2.CNTVMASK/CNTPMASK mask the EL1 timers in Realm state only (D24.10, FEAT_RME)', () => {
    const realm = (1n << 62n) | 1n, ns = 1n;
    const fired = { CNTV_CTL_EL0: 1n, CNTV_CVAL_EL0: 5n, CNTP_CTL_EL0: 1n, CNTP_CVAL_EL0: 5n };
    const both = (1n << 18n) | (1n << 19n);
    const masked = evaluateTimers(regs({ ...fired, SCR_EL3: realm, CNTHCTL_EL2: both }), 100n);
    expect(output(masked, 27)).toBe(false);
    expect(output(masked, 30)).toBe(false);
    const vOnly = evaluateTimers(regs({ ...fired, SCR_EL3: realm, CNTHCTL_EL2: 1n << 18n }), 100n);
    expect([output(vOnly, 27), output(vOnly, 30)]).toEqual([false, true]);
    // RES0 outside Realm state: no effect
    const nsState = evaluateTimers(regs({ ...fired, SCR_EL3: ns, CNTHCTL_EL2: both }), 100n);
    expect([output(nsState, 27), output(nsState, 30)]).toEqual([true, true]);
  });
  it('a disabled timer neither asserts nor sets a deadline, even past CVAL', () => {
    const r = evaluateTimers(regs({ CNTP_CTL_EL0: 0n, CNTP_CVAL_EL0: 10n }), 100n);
    expect(output(r, 30)).toBe(false);
    expect(r.ticksToNext).toBeUndefined();
  });

  it('an enabled timer asserts its PPI once the count reaches CVAL, and reports the ticks until then', () => {
    expect(evaluateTimers(regs({ CNTP_CTL_EL0: 1n, CNTP_CVAL_EL0: 1000n }), 400n).ticksToNext).toBe(600n);
    expect(output(evaluateTimers(regs({ CNTP_CTL_EL0: 1n, CNTP_CVAL_EL0: 1000n }), 999n), 30)).toBe(false);
    const at = evaluateTimers(regs({ CNTP_CTL_EL0: 1n, CNTP_CVAL_EL0: 1000n }), 1000n);
    expect(output(at, 30)).toBe(true);
    expect(at.ticksToNext).toBeUndefined();
  });

  it('IMASK keeps the output low and sets no deadline', () => {
    const r = evaluateTimers(regs({ CNTV_CTL_EL0: 3n, CNTV_CVAL_EL0: 5n }), 100n);
    expect(output(r, 27)).toBe(false);
    expect(r.ticksToNext).toBeUndefined();
  });

  it('the virtual timer compares CVAL with the count minus CNTVOFF_EL2 (modulo 2^64)', () => {
    const off = BigInt.asUintN(64, -1000n); // virtual count = physical + 1000
    const r = evaluateTimers(regs({ CNTV_CTL_EL0: 1n, CNTV_CVAL_EL0: 1500n, CNTVOFF_EL2: off }), 200n);
    expect(r.ticksToNext).toBe(300n);
    expect(output(evaluateTimers(regs({ CNTV_CTL_EL0: 1n, CNTV_CVAL_EL0: 1500n, CNTVOFF_EL2: off }), 500n), 27)).toBe(true);
  });

  it('each timer drives its FVP PPI and the earliest deadline wins', () => {
    const r = evaluateTimers(regs({
      CNTPS_CTL_EL1: 1n, CNTPS_CVAL_EL1: 50n, CNTP_CTL_EL0: 1n, CNTP_CVAL_EL0: 900n,
      CNTV_CTL_EL0: 1n, CNTV_CVAL_EL0: 700n, CNTHP_CTL_EL2: 1n, CNTHP_CVAL_EL2: 800n,
    }), 100n);
    expect(r.states.map((s) => [s.intid, s.asserted])).toEqual([[29, true], [30, false], [27, false], [26, false]]);
    expect(r.ticksToNext).toBe(600n);
  });

  it('a CVAL near 2^64 compares unsigned: not yet met', () => {
    const r = evaluateTimers(regs({ CNTP_CTL_EL0: 1n, CNTP_CVAL_EL0: (1n << 64n) - 1n }), 5n);
    expect(output(r, 30)).toBe(false);
    expect(r.ticksToNext).toBe((1n << 64n) - 6n);
  });
});

describe('timer registers in the core', () => {
  it('a write to a timer register exits with Exit.Timer after the instruction completes', () => {
    const r = new Rig([...mov64(1, 5n), msr('CNTV_CVAL_EL0', 1), NOP], { el: 1 });
    const start = r.c.pc;
    expect(r.c.run(100n)).toBe(Exit.Timer);
    expect(r.c.sysreg('CNTV_CVAL_EL0')).toBe(5n);
    expect(r.c.pc).toBe(start + 4n * BigInt(mov64(1, 5n).length + 1));
  });

  it('the count includes the ticks the host skipped (TIME_SKIPPED)', () => {
    const r = new Rig([mrs(0, 'CNTPCT_EL0')], { el: 1 });
    r.c.timeSkipped = 1_000_000n;
    r.run();
    expect(r.c.x(0)).toBe(1_000_001n);
  });

  it('CNTHCTL_EL2.EL1PCTEN 0 traps Non-secure EL1 reads of CNTPCT_EL0 to EL2; CNTVCT_EL0 is not trapped', () => {
    const r = new Rig([mrs(0, 'CNTVCT_EL0'), mrs(1, 'CNTPCT_EL0')], { el: 1 });
    r.c.setSysreg('CNTHCTL_EL2', 2n);
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.ec(2)).toBe(0x18);
    expect(r.elr(2)).toBe(CODE + 4n);
  });

  it('CNTHCTL_EL2.EL1PCEN 0 traps EL1 accesses to the physical timer to EL2, but not at EL2 itself', () => {
    const r = new Rig([msr('CNTP_CTL_EL0', 1)], { el: 1 });
    r.c.setSysreg('CNTHCTL_EL2', 1n);
    r.run();
    expect(r.vector).toEqual({ el: 2, offset: 0x400 });
    expect(r.iss(2) & 1).toBe(0); // a write
    const el2 = new Rig([msr('CNTP_CTL_EL0', 1)], { el: 2 });
    el2.c.setSysreg('CNTHCTL_EL2', 0n);
    el2.run();
    expect(el2.finished).toBe(true);
  });

  it('in the Secure state without EL2 enabled, CNTHCTL_EL2 does not trap EL1', () => {
    const r = new Rig([mrs(1, 'CNTPCT_EL0')], { el: 1, security: 'secure' });
    r.c.setSysreg('CNTHCTL_EL2', 0n);
    r.run();
    expect(r.finished).toBe(true);
  });
});

describe('WFI in the machine', () => {
  const WFI = asm('HINT', { crm: 0, op2: 3 });
  function machine(words: number[]) {
    const m = new Machine({ ramMiB: 64, console: () => {} });
    m.writePhysical(CODE, new Uint8Array(new Uint32Array(words).buffer));
    m.start(CODE, { el: 1, security: 'ns' });
    return m;
  }

  it('fast-forwards virtual time to the timer deadline when the timer cannot interrupt (masked by DAIF)', () => {
    // CNTP fires at count 100000; PSTATE.I stays masked so WFI wakes on the pending line and execution continues
    const m = machine([
      ...mov64(1, 100_000n), msr('CNTP_CVAL_EL0', 1), ...mov64(1, 1n), msr('CNTP_CTL_EL0', 1),
      WFI, mrs(2, 'CNTPCT_EL0'), asm('HLT', { imm16: 0 }),
    ]);
    // The GIC forwards PPI 30 as Group 1 to the awake PE so that its line can wake the WFI
    m.gic.redistributors.write(0x14n, 4, 0n);
    m.gic.redistributors.write(0x1_0080n, 4, 1n << 30n);
    m.gic.redistributors.write(0x1_0100n, 4, 1n << 30n);
    m.gic.distributor.write(0n, 4, 2n);
    m.gic.writeSysreg(0, 'ICC_PMR_EL1', 0xffn);
    m.gic.writeSysreg(0, 'ICC_IGRPEN1_EL1', 1n);
    const stop = m.run(1_000_000n);
    expect(stop.kind).toBe('guest-error'); // HLT #0 without semihosting: the end marker
    expect(m.core.x(2)).toBeGreaterThanOrEqual(100_000n);
    expect(m.core.x(2)).toBeLessThan(100_010n);
    expect(m.stats().instructions).toBeLessThan(100n);
  });

  it('WFI with no deadline and nothing pending stops the run with a clear error', () => {
    const m = machine([WFI, NOP]);
    const stop = m.run(1_000_000n);
    expect(stop).toEqual({ kind: 'guest-error', message: `WFI at 0x${CODE.toString(16)} with no interrupt source to wake it` });
  });
});
