// The hypervisor's realm builder, driven through real SMCs at NS-EL2: the layout it leaves in the RTTs,
// the RIM against an independent computation from the spec's measurement descriptors (RMM C1.11-C1.13,
// with node:crypto), the REC's entry state, bad images and options refused before any RMI call.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { RealmHost } from '../../src/machine/realm-host.js';
import { realmImageFromElf, type RealmImage } from '../../firmware/hypervisor/realm-image.js';
import { Hypervisor, RealmConfigError, type HostRealm, type RealmOptions } from '../../firmware/hypervisor/hypervisor.js';
import { RMI, rmi, RmiStatus } from '../../firmware/hypervisor/rmi.js';
import { realmFdt } from '../../firmware/hypervisor/realm-dtb.js';
import { recMpidr } from '../../firmware/hypervisor/layout.js';
import { GranuleAllocator } from '../../firmware/hypervisor/allocator.js';
import { ElfError } from '../../src/elf/load.js';
import { PhysicalAccess, Pas } from '../../firmware/phys.js';
import { writeElf } from '../../src/elf/write.js';
import { PF_R, PF_W, PF_X } from '../../src/elf/format.js';

const RAM = 0x8000_0000n;
const MiB = 1n << 20n;
const HELLO = readFileSync('images/hello/hello.elf');

function helloImage(ramMiB = 16): RealmImage {
  return realmImageFromElf(HELLO, RAM, BigInt(ramMiB) * MiB);
}

function build(h: RealmHost, o: RealmOptions = {}, image = helloImage(o.ramMiB), hyp = h.hypervisor): HostRealm {
  return h.run(hyp.createRealm(image, o));
}

/** RMI_RTT_READ_ENTRY (RMM B4.3.20): walk level, state, desc, ripas. */
function readEntry(h: RealmHost, realm: HostRealm, ipa: bigint, level: number) {
  const r = h.run(rmi(RMI.RTT_READ_ENTRY, realm.rd, ipa, BigInt(level)));
  expect(r.status).toBe(RmiStatus.Success);
  return { level: Number(r.x[1]), state: Number(r.x[2]), desc: r.x[3], ripas: Number(r.x[4]) };
}

const UNASSIGNED = 0, ASSIGNED = 1, TABLE = 2; // RmiRttEntryState (RMM B4.4.21)
const EMPTY = 0, RIPAS_RAM = 1; // RmiRipas (RMM B4.4.20)

// ---- The RIM as the spec defines it, computed here without the RMM's code (RMM A7.1, B4.3.*.4, C1.11-C1.13)

function rha(alg: 'sha256' | 'sha512', data: Uint8Array): Buffer {
  const out = Buffer.alloc(64);
  createHash(alg).update(data).digest().copy(out);
  return out;
}

function descriptor(type: number, rim: Buffer): Buffer {
  const d = Buffer.alloc(0x100);
  d.writeUInt8(type, 0x00);
  d.writeBigUInt64LE(0x100n, 0x08);
  rim.copy(d, 0x10);
  return d;
}

function expectedRim(alg: 'sha256' | 'sha512', o: { features: bigint; ipaBits: number; ramSize: bigint; pages: [bigint, Uint8Array][]; entry: bigint; dtbIpa: bigint }): Buffer {
  // RIM init: the measured fields of RmiRealmParams in an otherwise zero 4 KiB page
  const params = Buffer.alloc(0x1000);
  params.writeBigUInt64LE(BigInt(o.ipaBits), 0x08);
  params.writeBigUInt64LE((o.features >> 14n) & 0x3fn, 0x18); // num_bps: what RMI_FEATURES offers (RmiFeatureRegister0)
  params.writeBigUInt64LE((o.features >> 20n) & 0x3fn, 0x20); // num_wps
  params.writeBigUInt64LE(alg === 'sha256' ? 0n : 1n, 0x30);
  let rim = rha(alg, params);
  // RTT_INIT_RIPAS over RAM: one descriptor per RTT entry, 2 MiB blocks where RAM covers one whole
  for (let ipa = RAM; ipa < RAM + o.ramSize;) {
    const size = ipa % (2n * MiB) === 0n && ipa + 2n * MiB <= RAM + o.ramSize ? 2n * MiB : 0x1000n;
    const d = descriptor(2, rim);
    d.writeBigUInt64LE(ipa, 0x50);
    d.writeBigUInt64LE(ipa + size, 0x58);
    rim = rha(alg, d);
    ipa += size;
  }
  // DATA_CREATE with RMI_MEASURE_CONTENT, in the order the host loads the granules
  for (const [ipa, content] of o.pages) {
    const d = descriptor(0, rim);
    d.writeBigUInt64LE(ipa, 0x50);
    d.writeBigUInt64LE(1n, 0x58);
    rha(alg, content).copy(d, 0x60);
    rim = rha(alg, d);
  }
  // REC_CREATE of the runnable REC 0: flags, pc and gprs[0..7] of RmiRecParams
  const rec = Buffer.alloc(0x1000);
  rec.writeBigUInt64LE(1n, 0x000);
  rec.writeBigUInt64LE(o.entry, 0x200);
  rec.writeBigUInt64LE(o.dtbIpa, 0x300);
  const d = descriptor(1, rim);
  rha(alg, rec).copy(d, 0x50);
  return rha(alg, d);
}

function rimOf(h: RealmHost, realm: HostRealm): Buffer {
  return Buffer.from(h.machine.rme!.rmm.ctx.realms.get(realm.rd)!.measurements[0]);
}

function dtbPages(realm: HostRealm, dtb: Uint8Array): [bigint, Uint8Array][] {
  const out: [bigint, Uint8Array][] = [];
  for (let off = 0; off < dtb.length; off += 0x1000) {
    const page = new Uint8Array(0x1000);
    page.set(dtb.subarray(off, off + 0x1000));
    out.push([realm.dtbIpa + BigInt(off), page]);
  }
  return out;
}

function census(h: RealmHost): Record<string, number> {
  return Object.fromEntries(h.machine.rme!.rmm.ctx.granules.census());
}

describe('building a realm from a guest ELF', () => {
  test('the RMI sequence, the RTTs over the kvmtool layout, and the granules it delegated', () => {
    const h = new RealmHost();
    const image = helloImage();
    const realm = build(h);
    expect(realm.state).toBe('active');
    expect(realm.rttLevelStart).toBe(2); // 33-bit IPA: 8 concatenated level-2 tables, as KVM starts it
    expect(realm.rttNumStart).toBe(8);
    const dataPages = image.pages.size + 1; // the image, then the DTB (one granule)
    expect(h.rmiCalls).toEqual({
      RMI_VERSION: 1, RMI_FEATURES: 1, RMI_GRANULE_DELEGATE: 8 + 1 + dataPages + 2 + 2 + 1, RMI_REALM_CREATE: 1,
      RMI_RTT_INIT_RIPAS: 1, RMI_RTT_CREATE: 2, RMI_DATA_CREATE: dataPages, RMI_REC_AUX_COUNT: 1, RMI_REC_CREATE: 1,
      RMI_REALM_ACTIVATE: 1,
    });
    expect(census(h)).toEqual({ RD: 1, RTT: 10, DATA: dataPages, REC: 1, REC_AUX: 2 });

    // Every loaded granule: a level-3 ASSIGNED entry with RIPAS RAM, the granule the host delegated
    for (const ipa of [...image.pages.keys(), realm.dtbIpa]) {
      expect(readEntry(h, realm, ipa, 3)).toEqual({ level: 3, state: ASSIGNED, desc: realm.data.get(ipa), ripas: RIPAS_RAM });
    }
    // The 2 MiB blocks that hold the image and the DTB are tables; the rest of RAM is RIPAS RAM, unbacked
    expect(readEntry(h, realm, RAM, 2)).toMatchObject({ level: 2, state: TABLE, desc: realm.rtts.get('3:80000000')!.granule });
    expect(readEntry(h, realm, RAM + 4n * MiB, 3)).toEqual({ level: 2, state: UNASSIGNED, desc: 0n, ripas: RIPAS_RAM });
    expect(readEntry(h, realm, RAM + 0x10_0000n, 3)).toEqual({ level: 3, state: UNASSIGNED, desc: 0n, ripas: RIPAS_RAM });
    // Past RAM, the Protected IPA space is EMPTY; the Unprotected alias (bit 32) has nothing mapped
    expect(readEntry(h, realm, RAM + 16n * MiB, 3)).toEqual({ level: 2, state: UNASSIGNED, desc: 0n, ripas: EMPTY });
    expect(readEntry(h, realm, 0x1_8000_0000n, 3)).toEqual({ level: 2, state: UNASSIGNED, desc: 0n, ripas: EMPTY });

    // What the realm will see: the image's bytes in its DATA granules (read past the GPC, as a test can);
    // the host itself can no longer read them (Arm ARM D9.4: a Non-secure access to Realm PAS faults)
    const ns = new PhysicalAccess(h.machine, Pas.NonSecure);
    for (const [ipa, content] of image.pages) {
      expect(h.machine.readRam(realm.data.get(ipa)!, 0x1000)).toEqual(content);
      expect(ns.read(realm.data.get(ipa)!, 8)).toEqual({ ok: false, fault: 'gpf' });
    }
  });

  test('REC 0 starts at the ELF entry with x0 = the DTB; the others wait for PSCI CPU_ON', () => {
    const h = new RealmHost();
    const realm = build(h, { recs: 4 });
    const recs = realm.recs.map((r) => h.machine.rme!.rmm.ctx.recs.get(r.granule)!);
    expect(recs.map((r) => r.mpidr)).toEqual([0n, 1n, 2n, 3n].map((i) => recMpidr(Number(i))));
    expect(recs.map((r) => r.runnable)).toEqual([true, false, false, false]);
    expect(recs[0].pc).toBe(helloImage().entry);
    expect(recs[0].gprs[0]).toBe(realm.dtbIpa);
    expect(realm.dtbIpa).toBe(RAM + 16n * MiB - 2n * MiB); // the top 2 MiB-aligned part of RAM, as kvmtool
    expect(census(h)).toMatchObject({ REC: 4, REC_AUX: 8 });
  });

  test('in RAM too small for that, the DTB takes the top granule', () => {
    const h = new RealmHost();
    const realm = build(h, { ramMiB: 2 });
    expect(realm.dtbIpa).toBe(RAM + 2n * MiB - 0x1000n);
    expect(h.run(rmi(RMI.RTT_READ_ENTRY, realm.rd, realm.dtbIpa, 3n)).x[2]).toBe(BigInt(ASSIGNED));
  });

  for (const [hash, ipaBits, ramMiB] of [['sha256', 33, 16], ['sha512', 33, 16], ['sha256', 40, 16], ['sha512', 36, 5]] as const) {
    test(`the RIM equals the spec's computation (${hash}, ${ipaBits}-bit IPA, ${ramMiB} MiB)`, () => {
      const h = new RealmHost();
      const image = helloImage(ramMiB);
      const realm = build(h, { hash, ipaBits, ramMiB });
      const dtb = realmFdt({ ramBase: RAM, ramSize: BigInt(ramMiB) * MiB, mpidrs: [0n] });
      const pages = [...image.pages.entries(), ...dtbPages(realm, dtb)];
      const features = h.run(rmi(RMI.FEATURES, 0n)).x[1];
      const expected = expectedRim(hash, { features, ipaBits, ramSize: BigInt(ramMiB) * MiB, pages, entry: image.entry, dtbIpa: realm.dtbIpa });
      expect(rimOf(h, realm).toString('hex')).toBe(expected.toString('hex'));
    });
  }

  test('the RIM depends on the image and the options, not on host addresses, VMIDs or the RPV', () => {
    const h = new RealmHost();
    // Three realms side by side: different granules and VMIDs
    const a = build(h);
    const b = build(h, { rpv: new Uint8Array(64).fill(0xa5) });
    const c = build(h, { ramMiB: 32 });
    expect(new Set([a.vmid, b.vmid, c.vmid]).size).toBe(3);
    expect(a.rd).not.toBe(b.rd);
    expect(rimOf(h, b)).toEqual(rimOf(h, a));
    expect(rimOf(h, c)).not.toEqual(rimOf(h, a));
    expect(h.machine.rme!.rmm.ctx.realms.get(b.rd)!.rpv).toEqual(new Uint8Array(64).fill(0xa5));
  });

  test("populate 'all' backs every RAM granule: loaded ones measured, the rest DATA_CREATE_UNKNOWN", () => {
    const h = new RealmHost();
    const image = helloImage(3);
    const realm = build(h, { ramMiB: 3, populate: 'all' });
    expect(realm.data.size).toBe(3 * 256);
    expect(h.rmiCalls.RMI_DATA_CREATE_UNKNOWN).toBe(3 * 256 - image.pages.size - 1);
    for (let ipa = RAM; ipa < RAM + 3n * MiB; ipa += 0x1000n) {
      expect(readEntry(h, realm, ipa, 3)).toMatchObject({ level: 3, state: ASSIGNED, ripas: RIPAS_RAM });
    }
    // Unknown contents are still never the granule's past: the RMM scrubbed them
    const unknown = realm.data.get(RAM + 0x10_0000n)!;
    expect(h.machine.readRam(unknown, 0x1000)!.every((b) => b === 0)).toBe(true);
  });
});

describe("the realm's DTB", () => {
  test('kvmtool-like: memory, cpus with PSCI by SMC, GICv3, the 8250 UART, the timer (dtc as the oracle)', async () => {
    const { spawnSync } = await import('node:child_process');
    const h = new RealmHost();
    const realm = build(h, { recs: 2, bootargs: 'console=ttyS0' });
    const dtb = h.machine.readRam(realm.data.get(realm.dtbIpa)!, 0x1000)!;
    const r = spawnSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts'], { input: dtb });
    if (r.error) return; // dtc not installed
    const dts = r.stdout.toString();
    expect(dts).toContain('memory@80000000 {');
    expect(dts).toMatch(/reg = <0x00 0x80000000 0x00 0x1000000>;/);
    expect(dts).toMatch(/cpu@0 \{[^}]*enable-method = "psci";[^}]*reg = <0x00>;/s);
    expect(dts).toMatch(/cpu@1 \{[^}]*reg = <0x01>;/s);
    expect(dts).toMatch(/psci \{[^}]*method = "smc";/s);
    expect(dts).toMatch(/intc@3fff0000 \{[^}]*compatible = "arm,gic-v3";[^}]*reg = <0x00 0x3fff0000 0x00 0x10000 0x00 0x3ffb0000 0x00 0x40000>;/s);
    expect(dts).toMatch(/uart@3f8 \{[^}]*compatible = "ns16550a";[^}]*reg = <0x00 0x3f8 0x00 0x08>;/s);
    expect(dts).toMatch(/timer \{[^}]*compatible = "arm,armv8-timer";/s);
    expect(dts).toContain('bootargs = "console=ttyS0";');
  });
});

describe('bad images and options are refused before any RMI call', () => {
  const cases: [string, () => RealmImage, RealmOptions, RegExp][] = [
    ['not an ELF', () => realmImageFromElf(new TextEncoder().encode('#!/bin/sh\n'), RAM, 16n * MiB), {}, /bad magic/],
    ['a segment below realm RAM', () => realmImageFromElf(writeElf({
      entry: 0x4000_0000n, segments: [{ vaddr: 0x4000_0000n, data: new Uint8Array(16), flags: PF_R | PF_X }],
    }), RAM, 16n * MiB), {}, /outside RAM/],
    ['a segment running past realm RAM', () => realmImageFromElf(writeElf({
      entry: RAM, segments: [{ vaddr: RAM, data: new Uint8Array(16), memsz: 17n * MiB, flags: PF_R | PF_W | PF_X }],
    }), RAM, 16n * MiB), {}, /larger than RAM|runs past the end of RAM/],
    ['an image filling RAM, leaving no room for the DTB', () => realmImageFromElf(writeElf({
      entry: RAM, segments: [{ vaddr: RAM, data: new Uint8Array(16), memsz: 16n * MiB, flags: PF_R | PF_W | PF_X }],
    }), RAM, 16n * MiB), {}, /DTB .* does not fit/],
    ['an IPA width without room for RAM below the alias', helloImage, { ipaBits: 32 }, /IPA width must be 33 to 48/],
    ['an IPA width past the architecture', helloImage, { ipaBits: 52 }, /IPA width must be 33 to 48/],
    ['no RAM', helloImage, { ramMiB: 0 }, /realm RAM must be 1 to 2048 MiB/],
    ['RAM past the alias bit', helloImage, { ramMiB: 4096 }, /realm RAM must be 1 to 2048 MiB/],
    ['no REC', helloImage, { recs: 0 }, /at least one REC/],
    ['an SVE vector length past ZCR_ELx.LEN', helloImage, { sveVl: 16 }, /SVE vector length must be 0 to 15/],
    ['an RPV over 64 bytes', helloImage, { rpv: new Uint8Array(65) }, /RPV is 65 bytes/],
    ['an image parsed for more RAM than the realm gets', () => realmImageFromElf(writeElf({
      entry: RAM + 8n * MiB, segments: [{ vaddr: RAM + 8n * MiB, data: new Uint8Array(16), flags: PF_R | PF_X }],
    }), RAM, 16n * MiB), { ramMiB: 4 }, /granule at IPA 0x80800000 is outside realm RAM \[0x80000000, 0x80400000\)/],
  ];
  for (const [what, image, options, message] of cases) {
    test(what, () => {
      const h = new RealmHost();
      expect(() => build(h, options, image())).toThrow(message);
      expect(h.rmiCalls).toEqual({});
      expect(census(h)).toEqual({});
    });
  }

  test('a pool the RMM will not delegate from is an RmiError naming the call, and nothing is left behind', () => {
    const h = new RealmHost();
    // The RMM's own carve-out at the top of DRAM0 is not delegable (RMM B4.3.5.2 gran_pas)
    const top = 0x8000_0000n + 256n * MiB;
    const hyp = new Hypervisor(h.machine, new GranuleAllocator(top - 0x10_0000n, top));
    expect(() => build(h, {}, helloImage(), hyp)).toThrow(/RMI_GRANULE_DELEGATE of starting RTT 0x8ff00000 failed: RMI_ERROR_INPUT/);
    expect(census(h)).toEqual({});
    expect(hyp.pool.allocated).toBe(0);
  });

  test('the errors are typed: ElfError for the file, RealmConfigError for the layout', () => {
    expect(() => realmImageFromElf(new Uint8Array(0), RAM, MiB)).toThrow(ElfError);
    const h = new RealmHost();
    expect(() => build(h, { recs: 0 })).toThrow(RealmConfigError);
  });

  const unoffered: [string, RealmOptions, RegExp][] = [
    ['more RECs than MAX_RECS_ORDER allows', { recs: 64 }, /up to 63 RECs/],
    ['LPA2', { lpa2: true }, /does not offer LPA2/],
    ['SVE', { sveVl: 1 }, /does not offer SVE/],
    ['a PMU', { pmuCounters: 4 }, /does not offer a PMU/],
  ];
  for (const [what, options, message] of unoffered) {
    test(`${what}, which this RMM does not offer, is refused after RMI_FEATURES, before anything is delegated`, () => {
      const h = new RealmHost();
      expect(() => build(h, options)).toThrow(message);
      expect(h.rmiCalls).toEqual({ RMI_VERSION: 1, RMI_FEATURES: 1 });
      expect(census(h)).toEqual({});
    });
  }
});
