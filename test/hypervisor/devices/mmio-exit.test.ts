// Emulating a realm's MMIO from the fields of a REC exit due to Emulatable Data Abort (RMM A4.3.4.3).
import { describe, it, expect } from 'vitest';
import { emulateMmio, faultingIpa } from '../../../firmware/hypervisor/devices/mmio-exit.js';
import { realmDevices } from '../../../firmware/hypervisor/devices/realm-devices.js';
import { REALM_UART_BASE, REALM_GICD_BASE, recMpidr } from '../../../firmware/hypervisor/layout.js';

const ALIAS = 1n << 32n; // 33-bit IPA
const DABT = 0x24n << 26n;
const ISV = 1n << 24n;
const WNR = 1n << 6n;
const sas = (bytes: number) => BigInt(Math.log2(bytes)) << 22n;

/** The exit an access of `bytes` at `ipa` makes: HPFAR with the page, FAR with only the granule offset. */
function exit(ipa: bigint, bytes: number, write: boolean, value = 0n, isv = true) {
  return { esr: DABT | (isv ? ISV : 0n) | sas(bytes) | (write ? WNR : 0n) | 0x07n, far: ipa & 0xfffn, hpfar: (ipa >> 12n) << 4n, gprs0: value };
}

describe('emulateMmio', () => {
  it('the IPA comes from HPFAR_EL2.FIPA and the granule offset in FAR', () => {
    expect(faultingIpa((0x1_0000_03f8n >> 12n) << 4n, 0x3f8n)).toBe(0x1_0000_03f8n);
    expect(faultingIpa((0xabcd_e000n >> 12n) << 4n, 0xfffn)).toBe(0xabcd_efffn);
  });

  it('a byte write at the UART\'s alias reaches the UART with the low byte of gprs[0]', () => {
    const out: number[] = [];
    const { bus } = realmDevices([recMpidr(0)], (b) => out.push(b));
    const r = emulateMmio(bus, exit(ALIAS | REALM_UART_BASE, 1, true, 0x1234n), 33);
    expect(r).toEqual({ kind: 'write', ipa: ALIAS | REALM_UART_BASE, bytes: 1, value: 0x34n });
    expect(out).toEqual([0x34]);
  });

  it('a read gives the value for enter.gprs[0]', () => {
    const { bus } = realmDevices([recMpidr(0)], () => {});
    expect(emulateMmio(bus, exit(ALIAS | (REALM_UART_BASE + 5n), 1, false), 33)).toMatchObject({ kind: 'read', bytes: 1, value: 0x60n });
    expect(emulateMmio(bus, exit(ALIAS | (REALM_GICD_BASE + 0xffe8n), 4, false), 33)).toMatchObject({ kind: 'read', bytes: 4, value: 0x3bn });
  });

  it('the alias bit follows the IPA width', () => {
    const { bus } = realmDevices([recMpidr(0)], () => {});
    const alias40 = 1n << 39n;
    expect(emulateMmio(bus, exit(alias40 | REALM_GICD_BASE, 4, false), 40)).toMatchObject({ kind: 'read', value: 0x50n });
    expect(emulateMmio(bus, exit(ALIAS | REALM_GICD_BASE, 4, false), 40).kind).toBe('unclaimed');
  });

  it('no ISV, a Protected IPA, or an IPA no device covers is left to the caller', () => {
    const { bus } = realmDevices([recMpidr(0)], () => {});
    expect(emulateMmio(bus, exit(ALIAS | REALM_UART_BASE, 1, false, 0n, false), 33)).toMatchObject({ kind: 'unclaimed', reason: expect.stringMatching(/ISV/) });
    expect(emulateMmio(bus, exit(REALM_UART_BASE, 1, false), 33)).toMatchObject({ kind: 'unclaimed', reason: 'a Protected IPA' });
    expect(emulateMmio(bus, exit(ALIAS | 0x2000n, 4, false), 33)).toMatchObject({ kind: 'unclaimed', reason: 'no emulated device there' });
    expect(emulateMmio(bus, exit(ALIAS | (REALM_UART_BASE + 6n), 4, true), 33).kind).toBe('unclaimed');
  });
});
