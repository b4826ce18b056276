// What the RMM does with each exception a REC takes to R-EL2 (RMM A4.3, A5.2, A6, B6), seen from the
// realm's registers and the host's REC exits: one behaviour per test, each one the spec names.
import { describe, it, expect } from 'vitest';
import {
  RAM, ALIAS, UNBACKED, SCRATCH, HVC, movReg, ldrsbX, ldrshW, ldr, str, smc, exitRealm, runRealm,
} from '../helpers/realm.js';
import { mov64, mrs, msr, asm, WFI } from '../helpers/asm.js';
import type { MmioDevice } from '../../firmware/hypervisor/devices/mmio.js';

const VBAR = RAM + 0x800n;
const NOT_SUPPORTED = (1n << 64n) - 1n;
const u64 = (v: bigint) => BigInt.asUintN(64, v);

/** `main` at the entry, and at VBAR_EL1 + 0x200 (synchronous, current EL, SP_ELx) a handler that keeps ESR/FAR/ELR in X25-X27 and ends the realm. */
function withHandler(main: number[]): number[] {
  const words = [...mov64(1, VBAR), msr('VBAR_EL1', 1), asm('ISB', { crm: 15 }), ...main, ...exitRealm(0n)];
  const handler = [mrs(25, 'ESR_EL1'), mrs(26, 'FAR_EL1'), mrs(27, 'ELR_EL1'), ...exitRealm(7n)];
  const at = Number(VBAR - RAM + 0x200n) / 4;
  if (words.length > at) throw new Error('main is too long');
  return [...words, ...new Array<number>(at - words.length).fill(asm('HINT', { crm: 0, op2: 0 })), ...handler];
}

/** A device answering every read with `value`. */
const answering = (value: bigint): MmioDevice => ({ base: 0x1000n, size: 0x100n, read: () => value, write: () => {} });

describe('emulatable data aborts (A4.3.4.3, A4.2.3)', () => {
  it('the RMM sign-extends an emulated load as the instruction asked (SSE, SF)', () => {
    const run = runRealm([...mov64(3, ALIAS | 0x1000n), ldrsbX(21, 3), ldrshW(22, 3), ...exitRealm(0n)], { devices: [answering(0x8080n)] });
    expect(run.outcome).toEqual({ kind: 'exit', status: 0n });
    expect(run.exits.slice(0, 2)).toEqual(['mmio', 'mmio']);
    expect(run.recs[0].gprs[21]).toBe(u64(-0x80n)); // LDRSB Xt: 64-bit sign extension of 0x80
    expect(run.recs[0].gprs[22]).toBe(0xffff_8080n); // LDRSH Wt: 32-bit, upper half zero
  });

  it('an access where no device is gets a Synchronous External Abort by inject_sea', () => {
    const run = runRealm(withHandler([...mov64(3, ALIAS | 0x5000n), ldr(4, 3)]));
    expect(run.outcome).toEqual({ kind: 'exit', status: 7n });
    expect(run.exits[0]).toBe('mmio');
    const esr = run.recs[0].gprs[25];
    expect(esr >> 26n).toBe(0x25n); // data abort, same EL
    expect(esr & 0x3fn).toBe(0x10n); // synchronous external abort
    expect(run.recs[0].gprs[26]).toBe(ALIAS | 0x5000n);
  });
});

describe('stage-2 aborts on Protected IPAs (A5.2.3)', () => {
  it('RIPAS EMPTY: the RMM injects the SEA itself, without a REC exit', () => {
    const run = runRealm(withHandler([...mov64(3, 0x4000_0000n), ldr(4, 3)]));
    expect(run.outcome).toEqual({ kind: 'exit', status: 7n });
    expect(run.exits).toEqual(['host-call']);
    expect(run.recs[0].gprs[25] >> 26n).toBe(0x25n);
    expect(run.recs[0].gprs[25] & 0x3fn).toBe(0x10n);
  });

  it('RIPAS RAM not yet backed: a data abort exit, the host backs it, the load completes with zeros', () => {
    const run = runRealm([...mov64(3, UNBACKED), ...mov64(4, 0x1234n), str(4, 3, 8), ldr(21, 3, 8), ldr(22, 3, 16), ...exitRealm(0n)]);
    expect(run.outcome).toEqual({ kind: 'exit', status: 0n });
    expect(run.exits[0]).toBe('data-abort');
    expect(run.recs[0].gprs[21]).toBe(0x1234n);
    expect(run.recs[0].gprs[22]).toBe(0n);
    expect(run.realm.data.has(UNBACKED)).toBe(true);
  });
});

describe('other exceptions to R-EL2 (A4.3.4)', () => {
  it('HVC: the Unknown exception at the HVC itself', () => {
    const run = runRealm(withHandler([HVC]));
    const elr = run.recs[0].gprs[27];
    expect(run.recs[0].gprs[25] >> 26n).toBe(0n);
    expect(elr).toBe(RAM + 3n * 4n + BigInt(mov64(1, VBAR).length - 1) * 4n);
  });

  it('ID registers read as the realm was configured: no PMU, its breakpoints and watchpoints', () => {
    const run = runRealm([mrs(21, 'ID_AA64DFR0_EL1'), mrs(22, 'ID_AA64ISAR0_EL1'), ...exitRealm(0n)]);
    const dfr0 = run.recs[0].gprs[21];
    expect((dfr0 >> 8n) & 0xfn).toBe(0n); // PMUVer
    expect((dfr0 >> 12n) & 0xfn).toBe(1n); // BRPs: the host asked for as many as offered
    expect((dfr0 >> 20n) & 0xfn).toBe(1n); // WRPs
    expect(run.recs[0].gprs[22]).toBe(run.h.machine.core.sysreg('ID_AA64ISAR0_EL1'));
  });

  it('SMCs outside RSI and PSCI answer SMCCC_NOT_SUPPORTED; SMCCC_VERSION answers 1.2', () => {
    const run = runRealm([...smc(0xc200_0001n), movReg(21, 0), ...smc(0x8000_0000n), movReg(22, 0), ...exitRealm(0n)]);
    expect(run.recs[0].gprs[21]).toBe(NOT_SUPPORTED);
    expect(run.recs[0].gprs[22]).toBe(0x1_0002n);
    expect(run.exits).toEqual(['host-call']);
  });
});

describe('realm PSCI (B6)', () => {
  it('VERSION and FEATURES are answered by the RMM without an exit', () => {
    const run = runRealm([
      ...smc(0x8400_0000n), movReg(21, 0),
      ...smc(0x8400_000an, 0xc400_0003n), movReg(22, 0), // CPU_ON: supported
      ...smc(0x8400_000an, 0x8400_0006n), movReg(23, 0), // MIGRATE_INFO_TYPE: not for realms
      ...exitRealm(0n),
    ]);
    expect([run.recs[0].gprs[21], run.recs[0].gprs[22], run.recs[0].gprs[23]]).toEqual([0x1_0001n, 0n, NOT_SUPPORTED]);
    expect(run.exits).toEqual(['host-call']);
  });

  it('CPU_ON failure conditions: entry (INVALID_ADDRESS), mpidr (INVALID_PARAMETERS)', () => {
    const run = runRealm([
      ...smc(0xc400_0003n, 1n, ALIAS | RAM, 0n), movReg(21, 0), // entry in the Unprotected half
      ...smc(0xc400_0003n, 5n, RAM, 0n), movReg(22, 0), // MPIDR of no REC
      ...smc(0xc400_0004n, 1n, 1n), movReg(23, 0), // AFFINITY_INFO lowest level 1
      ...exitRealm(0n),
    ], { options: { recs: 2 } });
    expect(run.recs[0].gprs[21]).toBe(u64(-9n));
    expect(run.recs[0].gprs[22]).toBe(u64(-2n));
    expect(run.recs[0].gprs[23]).toBe(u64(-2n));
    expect(run.exits).toEqual(['host-call']);
  });

  it('CPU_ON through RMI_PSCI_COMPLETE: the target starts at the entry with the context id; again: ALREADY_ON', () => {
    const second = 0x200; // REC 1's code: its X0 (context id) into the scratch page, then WFI forever
    const main = [
      ...smc(0xc400_0003n, 1n, RAM + BigInt(second), 0xabcdn), movReg(21, 0),
      ...smc(0xc400_0004n, 1n, 0n), movReg(22, 0), // AFFINITY_INFO: ON
      ...smc(0xc400_0003n, 1n, RAM + BigInt(second), 0n), movReg(23, 0), // already on
      ...exitRealm(0n),
    ];
    const rec1 = [...mov64(3, SCRATCH + 0x100n), str(0, 3), WFI, asm('B', { imm26: 0x3ff_ffff })];
    const words = [...main, ...new Array<number>(second / 4 - main.length).fill(asm('HINT', { crm: 0, op2: 0 })), ...rec1];
    const run = runRealm(words, { options: { recs: 2 } });
    expect(run.recs[0].gprs[21]).toBe(0n);
    expect(run.recs[0].gprs[22]).toBe(0n);
    expect(run.recs[0].gprs[23]).toBe(u64(-4n));
    expect(run.exits.filter((e) => e === 'psci').length).toBe(3);
    expect(run.exits).toContain('wfi');
    expect(run.recs[1].runnable).toBe(true);
    // It started at the entry point and now waits in its WFI loop there
    expect(run.recs[1].pc - (RAM + BigInt(second))).toBeLessThan(BigInt(rec1.length * 4 + 4));
    expect(run.recs[1].gprs[0]).toBe(0xabcdn);
  });
});
