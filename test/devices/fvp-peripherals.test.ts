// The FVP peripherals beyond the GIC and UARTs: watchdogs, timer frames, V2M system registers, and the
// unmodelled rest of the peripheral windows.
import { describe, it, expect } from 'vitest';
import {
  V2mSysRegs, Sp805, SbsaWatchdog, CntControl, CntBaseFrame, CntCtlBase, PeripheralWindow, type PeripheralContext,
} from '../../src/devices/fvp-peripherals.js';
import { Machine } from '../../src/machine/machine.js';

/** A context whose counter the test moves, recording SPI levels. */
function context() {
  const spis = new Map<number, boolean>();
  const ctx = { now: 0n, spis, counter: () => ctx.now, setSpi: (i: number, l: boolean) => spis.set(i, l), frequency: 100_000_000n };
  return ctx as PeripheralContext & { now: bigint; spis: Map<number, boolean> };
}

describe('SP805 watchdog', () => {
  it('counts down at 32 kHz from WdogLoad, interrupts at zero, and WdogIntClr reloads', () => {
    const ctx = context();
    const w = new Sp805(ctx, 32);
    w.write(0xc00n, 4, 0x1acc_e551n); // unlock
    w.write(0x000n, 4, 99n); // 100 watchdog ticks = 100 * 3051 counter ticks
    w.write(0x008n, 4, 1n); // INTEN
    expect(w.sync(ctx.now)).toBe(100n * 3051n);
    ctx.now = 50n * 3051n;
    expect(w.read(0x004n, 4)).toBe(49n);
    ctx.now = 100n * 3051n;
    w.sync(ctx.now);
    expect(ctx.spis.get(32)).toBe(true);
    expect(w.read(0x010n, 4)).toBe(1n); // WdogRIS
    w.write(0x00cn, 4, 0n); // clear
    expect(ctx.spis.get(32)).toBe(false);
  });

  it('clearing INTEN drops the interrupt output and stops the counter', () => {
    const ctx = context();
    const w = new Sp805(ctx, 32);
    w.write(0xc00n, 4, 0x1acc_e551n);
    w.write(0x000n, 4, 9n);
    w.write(0x008n, 4, 1n);
    ctx.now = 10n * 3051n;
    w.sync(ctx.now);
    expect(ctx.spis.get(32)).toBe(true);
    w.write(0x008n, 4, 0n);
    expect(ctx.spis.get(32)).toBe(false);
    expect(w.sync(ctx.now + 1_000_000n)).toBeUndefined();
  });

  it('a second expiry with the interrupt still set asserts reset when RESEN is set', () => {
    const ctx = context();
    const w = new Sp805(ctx, 32);
    w.write(0xc00n, 4, 0x1acc_e551n);
    w.write(0x000n, 4, 9n);
    w.write(0x008n, 4, 3n);
    ctx.now = 20n * 3051n;
    w.sync(ctx.now);
    expect(w.resetAsserted).toBe(true);
  });

  it('ignores writes while locked, and identifies itself', () => {
    const ctx = context();
    const w = new Sp805(ctx, 32);
    w.write(0xc00n, 4, 0n); // lock
    w.write(0x000n, 4, 5n);
    expect(w.read(0x000n, 4)).toBe(0xffff_ffffn);
    expect(w.read(0xc00n, 4)).toBe(1n);
    expect([0xfe0n, 0xfe4n, 0xfe8n, 0xfecn].map((o) => w.read(o, 4))).toEqual([0x05n, 0x18n, 0x14n, 0x00n]);
  });
});

describe('SBSA generic watchdog', () => {
  it('raises WS0 (its interrupt) at the first timeout, WS1 at the second; a refresh clears both', () => {
    const ctx = context();
    const w = new SbsaWatchdog(ctx, 59);
    w.controlFrame.write(0x008n, 4, 1000n); // WOR
    w.controlFrame.write(0x000n, 4, 1n); // EN
    expect(w.controlFrame.read(0x010n, 8)).toBe(1000n); // WCV = count + WOR
    expect(w.sync(ctx.now)).toBe(1001n);
    ctx.now = 1001n;
    w.sync(ctx.now);
    expect(w.controlFrame.read(0x000n, 4)).toBe(3n);
    expect(ctx.spis.get(59)).toBe(true);
    ctx.now = 2002n;
    w.sync(ctx.now);
    expect(w.ws1).toBe(true);
    w.refreshFrame.write(0n, 4, 0n);
    expect(w.controlFrame.read(0x000n, 4)).toBe(1n);
    expect(ctx.spis.get(59)).toBe(false);
  });
});

describe('memory-mapped generic timer', () => {
  it('CNTControlBase reads the counter and CNTFID0; CNTBaseN timers interrupt at CVAL; CNTCTLBase sets CNTVOFF', () => {
    const ctx = context();
    ctx.now = 0x1_0000_0005n;
    const control = new CntControl(ctx);
    expect(control.read(0x008n, 8)).toBe(0x1_0000_0005n);
    expect(control.read(0x00cn, 4)).toBe(1n);
    expect(control.read(0x020n, 4)).toBe(100_000_000n);
    const frame = new CntBaseFrame(ctx, 58);
    const ctl = new CntCtlBase(ctx, [frame]);
    expect(ctl.read(0x008n, 4)).toBe(3n); // frame 0 implemented, with a virtual timer
    frame.write(0x028n, 4, 100n); // TVAL
    frame.write(0x02cn, 4, 1n); // ENABLE
    expect(frame.read(0x02cn, 4)).toBe(1n);
    expect(frame.sync(ctx.now)).toBe(100n);
    ctx.now += 100n;
    frame.sync(ctx.now);
    expect(ctx.spis.get(58)).toBe(true);
    expect(frame.read(0x02cn, 4)).toBe(5n); // ISTATUS
    ctl.write(0x080n, 8, 5n);
    expect(frame.read(0x008n, 8)).toBe(ctx.now - 5n);
  });
});

describe('V2M system registers and the unmodelled rest', () => {
  it('SYS_ID identifies FVP Base RevC; SYS_FLAGS sets and clears; a configuration transfer completes', () => {
    const v = new V2mSysRegs(context());
    expect(v.read(0x00n)).toBe(0x2020_0100n);
    v.write(0x30n, 4, 0x5n);
    v.write(0x34n, 4, 0x1n);
    expect(v.read(0x30n)).toBe(0x4n);
    v.write(0xa4n, 4, 0x8000_0000n | (9n << 20n));
    expect(v.read(0xa8n) & 1n).toBe(1n);
  });

  it('an unmodelled address reads as zero, ignores writes, and warns once naming it', () => {
    const warnings: string[] = [];
    const w = new PeripheralWindow(0x1c00_0000n, 0x400_0000n, (m) => warnings.push(m));
    expect(w.read(0x12_3450n, 4)).toBe(0n);
    w.write(0x12_3450n, 4, 7n);
    expect(w.read(0x12_3450n, 4)).toBe(0n);
    expect(warnings).toEqual(['unmodelled device read at PA 0x1c123450: reads as zero, writes are ignored']);
  });

  it('the machine maps them: a guest read of SYS_ID and of an unmodelled register', () => {
    const warnings: string[] = [];
    const m = new Machine({ ramMiB: 16, console: () => {}, warn: (s) => warnings.push(s) });
    // LDR W1, [X0]; LDR W2, [X3]; HLT #0
    const code = [0xb9400001, 0xb9400062, 0xd4400000];
    m.writePhysical(0x8000_0000n, new Uint8Array(new Uint32Array(code).buffer));
    m.start(0x8000_0000n, { el: 1, security: 'ns' });
    m.core.setX(0, 0x1c01_0000n);
    m.core.setX(3, 0x2a00_0000n);
    m.run(10n);
    expect(m.core.x(1)).toBe(0x2020_0100n);
    expect(m.core.x(2)).toBe(0n);
    expect(warnings).toEqual(['unmodelled device read at PA 0x2a000000: reads as zero, writes are ignored']);
  });
});
