// The driver: a host program's SMCs are executed by the PE at NS-EL2 and dispatched by the EL3 monitor.
import { expect, test } from 'vitest';
import { RealmHost } from '../../src/machine/realm-host.js';
import { drive } from '../../firmware/hypervisor/driver.js';
import { RMI, rmi, RmiStatus, type HostProgram } from '../../firmware/hypervisor/rmi.js';

const PSCI_VERSION = 0x8400_0000;

test('each yielded SMC runs on the PE and resumes the program with X0-X16', () => {
  const h = new RealmHost();
  const before = h.machine.stats().instructions;
  function* program(): HostProgram<bigint[]> {
    const psci = yield { fid: PSCI_VERSION, args: [] }; // the monitor's own PSCI service
    const unknown = yield { fid: 0xc200_ffff, args: [1n, 2n] }; // no one's: SMC_UNKNOWN
    const version = yield* rmi(RMI.VERSION, 0x1_0000n); // to the RMM
    expect(version.status).toBe(RmiStatus.Success);
    return [psci[0], unknown[0], version.x[2]];
  }
  const counts = {};
  expect(drive(program(), h.smc, counts)).toEqual([0x1_0001n, 0xffff_ffff_ffff_ffffn, 0x1_0000n]);
  expect(counts).toEqual({ '0x84000000': 1, '0xc200ffff': 1, RMI_VERSION: 1 });
  // Three SMC instructions executed at NS-EL2, each followed by the host's BRK; the PE back at EL2 after each
  expect(h.machine.stats().instructions - before).toBe(6n);
  expect((h.machine.core.pstate >> 2n) & 3n).toBe(2n);
});

test('a host error in the middle of a program ends it, running its finally blocks', () => {
  const h = new RealmHost();
  let cleaned = false;
  function* program(): HostProgram<void> {
    try {
      yield { fid: PSCI_VERSION, args: [] };
    } finally {
      cleaned = true;
    }
  }
  const broken = { call: () => { throw new Error('PE gone'); } };
  expect(() => drive(program(), broken)).toThrow('PE gone');
  expect(cleaned).toBe(true);
  expect(h.rmiCalls).toEqual({});
});
