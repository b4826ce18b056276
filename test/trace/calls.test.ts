// The trace's call table names every RMI, RSI and PSCI function ID with the firmware's own names, and
// decodes X0 on return as the family's status.
import { describe, it, expect } from 'vitest';
import { callInfo, callStatus } from '../../src/trace/calls.js';
import { RMI_COMMANDS } from '../../firmware/rmm/rmm.js';
import { RSI_COMMANDS } from '../../firmware/rmm/rsi/rsi.js';

const range = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => first + i);

describe('trace call table', () => {
  it('names every RMI FID 0xC4000150-69 as the RMM dispatches it (RMM B4.3)', () => {
    for (const fid of range(0xc400_0150, 0xc400_0169)) {
      const info = callInfo(fid);
      expect(info?.family, fid.toString(16)).toBe('RMI');
      const command = RMI_COMMANDS.get(fid);
      if (command) expect(info).toEqual({ name: command.name, family: 'RMI', args: command.arity });
      else expect(info?.name).toBe(`RMI_UNALLOCATED_0x${fid.toString(16)}`);
    }
    // 1.0-rel0 leaves three FIDs of the range unallocated
    expect(range(0xc400_0150, 0xc400_0169).filter((f) => !RMI_COMMANDS.has(f)).map((f) => f & 0xfff)).toEqual([0x156, 0x160, 0x163]);
    expect(callInfo(0xc400_015c)?.name).toBe('RMI_REC_ENTER');
  });

  it('names every RSI FID 0xC4000190-99 as the RMM dispatches it (RMM B5.3)', () => {
    for (const fid of range(0xc400_0190, 0xc400_0199)) {
      const command = RSI_COMMANDS.get(fid);
      expect(command, fid.toString(16)).toBeDefined();
      expect(callInfo(fid)).toEqual({ name: command!.name, family: 'RSI', args: command!.arity });
    }
  });

  it('names every PSCI 1.1 function, in its SMC32 form and, where it has one, its SMC64 form', () => {
    for (const fid of range(0x8400_0000, 0x8400_0014)) expect(callInfo(fid)?.family, fid.toString(16)).toBe('PSCI');
    expect(callInfo(0x8400_0003)?.name).toBe('PSCI_CPU_ON');
    expect(callInfo(0xc400_0003)).toEqual({ name: 'PSCI_CPU_ON', family: 'PSCI', args: 3 });
    expect(callInfo(0x8400_0008)?.name).toBe('PSCI_SYSTEM_OFF');
    expect(callInfo(0xc400_0008)).toBeUndefined(); // SYSTEM_OFF has no SMC64 form
    expect(callInfo(0x8400_0015)).toBeUndefined();
  });

  it('decodes X0 on return as the family\'s status', () => {
    const rmi = callInfo(0xc400_015d);
    expect(callStatus(rmi, 0n)).toBe('RMI_SUCCESS');
    expect(callStatus(rmi, 0x204n)).toBe('RMI_ERROR_RTT(2)'); // RmiCommandReturnCode: status 4, index 2
    expect(callStatus(rmi, 1n)).toBe('RMI_ERROR_INPUT');
    expect(callStatus(callInfo(0xc400_0197), 2n)).toBe('RSI_ERROR_STATE');
    expect(callStatus(callInfo(0x8400_0003), BigInt.asUintN(64, -4n))).toBe('ALREADY_ON');
    expect(callStatus(callInfo(0x8400_0003), 0n)).toBe('SUCCESS');
    expect(callStatus(callInfo(0x8400_0000), 0x10001n)).toBeUndefined(); // PSCI_VERSION returns a version
    expect(callStatus(callInfo(0x8400_0004), 1n)).toBeUndefined(); // AFFINITY_INFO returns a state
    expect(callStatus(undefined, (1n << 64n) - 1n)).toBe('SMCCC_NOT_SUPPORTED');
    expect(callStatus(undefined, 0n)).toBeUndefined();
  });
});
