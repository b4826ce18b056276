// The realm's devices as one bus: found by IPA, sizes checked against the window, the UART's interrupt
// wired to SPI 0 of the virtual GIC.
import { describe, it, expect } from 'vitest';
import { realmDevices, REALM_UART_INTID } from '../../../firmware/hypervisor/devices/realm-devices.js';
import { REALM_UART_BASE, REALM_GICD_BASE, realmGicrBase, recMpidr } from '../../../firmware/hypervisor/layout.js';

const mpidrs = [recMpidr(0), recMpidr(1)];

describe('realm devices', () => {
  it('the bus finds each device by IPA and serves offsets from its base', () => {
    const out: number[] = [];
    const { bus } = realmDevices(mpidrs, (b) => out.push(b));
    expect(bus.write(REALM_UART_BASE, 1, 0x41n)).toBe(true);
    expect(out).toEqual([0x41]);
    expect(bus.read(REALM_UART_BASE + 5n, 1)).toBe(0x60n);
    expect(bus.read(REALM_GICD_BASE + 0xffe8n, 4)).toBe(0x3bn);
    expect(bus.read(realmGicrBase(2) + 0x2_0000n + 0x14n, 4)).toBe(6n);
  });

  it('an IPA no device covers, or an access that runs past a window, is not served', () => {
    const { bus } = realmDevices(mpidrs, () => {});
    expect(bus.read(0x1000n, 4)).toBeUndefined();
    expect(bus.write(REALM_UART_BASE + 7n, 2, 0n)).toBe(false);
    expect(bus.read(REALM_GICD_BASE - 4n, 8)).toBeUndefined();
  });

  it('a write keeps only the access size of the value', () => {
    const { bus, gic } = realmDevices(mpidrs, () => {});
    bus.write(REALM_GICD_BASE + 0x420n, 4, 0xffff_ffff_1234_5678n);
    expect(gic.distributor.read(0x420n, 4)).toBe(0x1030_5078n);
  });

  it('the UART\'s interrupt is SPI 0 (INTID 32): pending in the GIC while the UART asserts it', () => {
    const { uart, gic, bus } = realmDevices(mpidrs, () => {});
    bus.write(REALM_GICD_BASE, 4, 2n);
    bus.write(realmGicrBase(2) + 0x14n, 4, 0n);
    bus.write(REALM_GICD_BASE + 0x104n, 4, 1n);
    bus.write(REALM_UART_BASE + 1n, 1, 1n); // IER.RDI
    expect(gic.nextPending(0)).toBeUndefined();
    uart.queueInput([0x0a]);
    expect(gic.nextPending(0)?.intid).toBe(REALM_UART_INTID);
    bus.read(REALM_UART_BASE, 1);
    expect(gic.nextPending(0)).toBeUndefined();
  });
});
