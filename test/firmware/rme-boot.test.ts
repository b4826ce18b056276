// The EL3 monitor's RME boot and services: firmware physical access checked by the GPC, the GPT built for
// the FVP map (Arm ARM D9), delegate/undelegate with precise PA-range invalidation, and the SMCCC dispatch
// of RMI FIDs.
import { describe, it, expect } from 'vitest';
import { Machine } from '../../src/machine/machine.js';
import { Pas, PhysicalAccess } from '../../firmware/phys.js';
import { Gpi } from '../../firmware/el3/gpt.js';
import { RmiHost, RMI, HOST_CODE, SUCCESS } from '../helpers/rmi.js';
import { asm, END } from '../helpers/asm.js';

const MiB = 1n << 20n;

describe('the GPT the monitor builds (256 MiB of DRAM0)', () => {
  const h = new RmiHost(256);
  const gpt = h.m.rme!.gpt;
  const carve = 0x8000_0000n + 256n * MiB - 64n * MiB;
  it('programs GPTBR_EL3 and GPCCR_EL3 as TF-A: PPS 4 GB, 4 KB granules, Inner Shareable WB, GPC on', () => {
    expect(h.m.core.sysreg('GPTBR_EL3') << 12n).toBe(carve);
    expect(h.m.core.sysreg('GPCCR_EL3')).toBe(0n | (3n << 12n) | (1n << 10n) | (1n << 8n) | (1n << 16n));
    expect(gpt.ppsBits).toBe(32);
  });
  it('Non-secure DRAM, Root for the GPT, Realm for the RMM carve-out', () => {
    expect(gpt.gpi(0x8000_0000n)).toBe(Gpi.NonSecure);
    expect(gpt.gpi(carve - 0x1000n)).toBe(Gpi.NonSecure);
    expect(gpt.gpi(carve)).toBe(Gpi.Root);
    expect(gpt.gpi(carve + MiB - 0x1000n)).toBe(Gpi.Root);
    expect(gpt.gpi(carve + MiB)).toBe(Gpi.Realm);
    expect(gpt.gpi(0x8000_0000n + 256n * MiB - 0x1000n)).toBe(Gpi.Realm);
  });
  it('the core walks it: each PA space reaches only its own memory', () => {
    const verdict = (pa: bigint, pas: Pas) => h.m.gpcProbe(pa, pas, pas) & 0xff;
    expect(verdict(0x8000_0000n, Pas.NonSecure)).toBe(0);
    expect(verdict(0x8000_0000n, Pas.Realm)).toBe(1);
    expect(verdict(carve, Pas.Root)).toBe(0);
    expect(verdict(carve, Pas.NonSecure)).toBe(1);
    expect(verdict(carve + MiB, Pas.Realm)).toBe(0);
    expect(verdict(carve + MiB, Pas.NonSecure)).toBe(1);
    // Trusted SRAM and DRAM are Secure; the UARTs Non-secure
    expect(verdict(0x0400_0000n, Pas.Secure)).toBe(0);
    expect(verdict(0x0600_0000n, Pas.NonSecure)).toBe(1);
    expect(verdict(0x1c09_0000n, Pas.NonSecure)).toBe(0);
  });
  it('DRAM1 gets its own level-1 table and a 36-bit PPS', () => {
    const m = new Machine({ ramMiB: 2048 + 64, console: () => {}, rme: true });
    m.start(HOST_CODE, { el: 2, security: 'ns' });
    expect(m.rme!.gpt.ppsBits).toBe(36);
    expect(m.rme!.gpt.gpi(0x8_8000_0000n)).toBe(Gpi.NonSecure);
    expect(m.rme!.gpt.gpi(0xffff_f000n)).toBe(Gpi.Realm);
    expect(m.rme!.rmm.ctx.platform.isDelegable(0x8_8000_0000n)).toBe(true);
  });
  it('refuses to boot at EL3 or without room for the carve-out, with a clear error', () => {
    expect(() => new Machine({ ramMiB: 256, console: () => {}, rme: true }).start(HOST_CODE, { el: 3, security: 'root' })).toThrow(/below EL3/);
    expect(() => new Machine({ ramMiB: 64, console: () => {}, rme: true }).start(HOST_CODE, { el: 2, security: 'ns' })).toThrow(/MiB of RAM/);
  });
});

describe('firmware physical access (firmware/phys.ts)', () => {
  it('returns faults as values, naming the security state and PA space', () => {
    const h = new RmiHost();
    const g = h.delegated();
    const ns = new PhysicalAccess(h.m, Pas.NonSecure);
    const realm = new PhysicalAccess(h.m, Pas.Realm);
    const root = new PhysicalAccess(h.m, Pas.Root);
    expect(ns.read(g, 8)).toEqual({ ok: false, fault: 'gpf' });
    expect(ns.write64(g, 1n)).toBe('gpf');
    expect(ns.read(g, 8, Pas.Realm)).toEqual({ ok: false, fault: 'pas' });
    expect(realm.write64(g, 0x42n)).toBeUndefined();
    expect(realm.read64(g)).toBe(0x42n);
    expect(realm.read64(g + 0x1000n)).toBe('gpf'); // the next granule is Non-secure
    expect(realm.read64(g + 0x1000n, Pas.NonSecure)).toBeTypeOf('bigint');
    expect(root.read64(g, Pas.Realm)).toBe(0x42n);
    expect(root.read64(g, Pas.NonSecure)).toBe('gpf');
    expect(ns.read(0x1000_0000n, 8)).toEqual({ ok: false, fault: 'not-ram' });
    // An access spanning two granules faults if either does
    expect(ns.read(g - 4n, 8)).toEqual({ ok: false, fault: 'gpf' });
  });
});

describe('delegation seen by the Normal world', () => {
  it('a cached Non-secure translation goes with the delegation: the next host load takes a GPF', () => {
    const h = new RmiHost();
    const g = h.granule();
    const c = h.m.core;
    const code = HOST_CODE + 0x100n;
    const vectors = HOST_CODE + 0x800n;
    h.m.writePhysical(code, new Uint8Array(new Uint32Array([asm('LDR_off', { sz: 1, imm12: 0, rn: 0, rt: 1 }), END]).buffer));
    h.m.writePhysical(vectors, new Uint8Array(new Uint32Array(Array.from({ length: 0x200 }, () => END)).buffer));
    c.setSysreg('VBAR_EL2', vectors);
    h.write64(g, 0x55n);
    const load = () => {
      c.pc = code;
      c.setX(0, g);
      c.setX(1, 0x77n);
      c.stateChanged();
      h.m.run(1n);
    };
    load();
    expect(c.x(1)).toBe(0x55n);
    expect(h.call(RMI.GRANULE_DELEGATE, g).status).toBe(SUCCESS);
    load();
    expect(c.pc).toBe(vectors + 0x200n); // synchronous exception, current EL with SP_ELx
    const esr = c.sysreg('ESR_EL2');
    expect(esr >> 26n).toBe(0x25n); // data abort from the current EL
    expect(esr & 0x3fn).toBe(0x28n); // GPF
    expect(c.sysreg('FAR_EL2')).toBe(g);
    expect(c.x(1)).toBe(0x77n);
  });
});

describe('the monitor dispatch', () => {
  it('SMC_UNKNOWN for FIDs nobody serves; SMCCC NOT_SUPPORTED for the unallocated RMI FIDs', () => {
    const h = new RmiHost();
    expect(h.call(0xc400_0200).x[0]).toBe((1n << 64n) - 1n);
    expect(h.call(0x8400_0042).x[0]).toBe((1n << 64n) - 1n);
    for (const fid of [0xc400_0156, 0xc400_0160, 0xc400_0163]) expect(h.call(fid).x[0]).toBe((1n << 64n) - 1n);
  });
  it('RMI only from the Normal world', () => {
    const h = new RmiHost();
    const regs = new Map<number, bigint>([[0, BigInt(RMI.VERSION)], [1, 0x1_0000n]]);
    const realmCaller = {
      x: (n: number) => regs.get(n) ?? 0n,
      setX: (n: number, v: bigint) => void regs.set(n, v),
      sysreg: () => (1n << 62n) | 1n, // SCR_EL3.{NSE, NS} = {1, 1}: Realm
      setSysreg: () => {},
    };
    h.m.monitor.smc(realmCaller);
    expect(regs.get(0)).toBe((1n << 64n) - 1n);
  });
  it('without RME the RMI FIDs are unknown', () => {
    const m = new Machine({ ramMiB: 64, console: () => {} });
    m.start(HOST_CODE, { el: 2, security: 'ns' });
    m.writePhysical(HOST_CODE, new Uint8Array(new Uint32Array([asm('SMC', { imm16: 0 })]).buffer));
    m.core.setX(0, BigInt(RMI.VERSION));
    m.run(1n);
    expect(m.core.x(0)).toBe((1n << 64n) - 1n);
  });
});
