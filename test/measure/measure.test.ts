// `cca-emu measure`: the RIM computed offline (the builder against OfflineRim, node:crypto) equals the RIM the
// RMM computed (firmware/rmm/measurement.ts, @noble/hashes) when the same builder runs through real SMCs,
// for every image in images/ the builder accepts, in both hash algorithms and several layouts.
import { describe, it, expect, vi } from 'vitest';
import { readdirSync, readFileSync, existsSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { RealmHost } from '../../src/machine/realm-host.js';
import { realmImageFromElf } from '../../firmware/hypervisor/realm-image.js';
import { RealmConfigError } from '../../firmware/hypervisor/hypervisor.js';
import { REALM_RAM_BASE } from '../../firmware/hypervisor/layout.js';
import { ElfError } from '../../src/elf/load.js';
import { measureRealm, boardRmm, type MeasureOptions } from '../../src/measure/command.js';
import { OfflineRim, HostPages, OfflineRimError } from '../../src/measure/offline-rim.js';
import { RMI, rmi } from '../../firmware/hypervisor/rmi.js';
import { writeElf } from '../../src/elf/write.js';
import { main } from '../../src/cli.js';

const images = readdirSync('images', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => join('images', d.name, `${d.name}.elf`))
  .filter((f) => existsSync(f));

/** The images the builder takes: every segment inside realm RAM (16 MiB from 0x8000_0000 by default). */
const accepted = images.filter((f) => {
  try {
    measureRealm(readFileSync(f));
    return true;
  } catch (e) {
    if (e instanceof ElfError || e instanceof RealmConfigError) return false;
    throw e;
  }
});

/** The RIM the RMM holds after the hypervisor built the realm through real SMCs, as many bytes as the hash gives. */
function rmmRim(h: RealmHost, elf: Uint8Array, o: MeasureOptions): Uint8Array {
  const ramMiB = o.ramMiB ?? 16;
  const image = realmImageFromElf(elf, REALM_RAM_BASE, BigInt(ramMiB) << 20n);
  const realm = h.run(h.hypervisor.createRealm(image, { ...o, ramMiB }));
  const rim = h.machine.rme!.rmm.ctx.realms.get(realm.rd)!.measurements[0].slice(0, o.hash === 'sha512' ? 64 : 32);
  h.run(h.hypervisor.destroyRealm(realm));
  return rim;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const CONFIGS: MeasureOptions[] = [
  { hash: 'sha256', recs: 1 },
  { hash: 'sha512', recs: 1 },
  { hash: 'sha256', recs: 4 },
  { hash: 'sha512', recs: 2, ipaBits: 40 },
  // RAM that ends inside a 2 MiB block: RTT_INIT_RIPAS then needs level-3 RTTs for the tail
  { hash: 'sha256', recs: 3, ramMiB: 13 },
];

describe('cca-emu measure: the offline RIM equals the RMM\'s', () => {
  it('the builder accepts the images in images/ that live in realm RAM', () => {
    expect(accepted.length).toBeGreaterThanOrEqual(5);
    expect(accepted).toContain(join('images', 'hello', 'hello.elf'));
  });
  for (const o of CONFIGS) {
    it(`every accepted image, ${JSON.stringify(o)}`, () => {
      const h = new RealmHost();
      const rims = new Set<string>();
      for (const f of accepted) {
        const elf = readFileSync(f);
        const offline = hex(measureRealm(elf, o));
        expect(offline, f).toBe(hex(rmmRim(h, elf, o)));
        expect(offline).toHaveLength(o.hash === 'sha512' ? 128 : 64);
        rims.add(offline);
      }
      // Different images, different RIMs
      expect(rims.size).toBe(accepted.length);
    });
  }
  it('a 48-bit IPA (level-0 starting RTT) with 5 MiB of RAM: every RTT level splits for RTT_INIT_RIPAS', () => {
    const o: MeasureOptions = { hash: 'sha512', recs: 1, ipaBits: 48, ramMiB: 5 };
    const elf = readFileSync('images/hello/hello.elf');
    expect(hex(measureRealm(elf, o))).toBe(hex(rmmRim(new RealmHost(), elf, o)));
  });
  it('the RIM changes with each measured option and not with the RPV (RMM B4.3.9.4)', () => {
    const elf = readFileSync('images/hello/hello.elf');
    const base = hex(measureRealm(elf));
    const variants = [{ recs: 2 }, { hash: 'sha512' as const }, { ipaBits: 34 }, { ramMiB: 18 }].map((o) => hex(measureRealm(elf, o)));
    expect(new Set([base, ...variants]).size).toBe(5);
    // Only REC 0 is runnable and measured; the DTB names every REC, so --recs changes the RIM through it
    expect(hex(measureRealm(elf, { rpv: new Uint8Array(64).fill(7) }))).toBe(base);
  });
  it("the offline RMM answers RMI_FEATURES as the board's RMM does", () => {
    const h = new RealmHost();
    expect(h.run(rmi(RMI.FEATURES, 0n)).x[1]).toBe(boardRmm().features0);
    expect(h.run(rmi(RMI.REC_AUX_COUNT, 0n)).x[1]).toBe(0n); // no realm: an error, no count
  });
  it('calls that are no part of building a realm are refused, not answered', () => {
    const rim = new OfflineRim(new HostPages(), boardRmm());
    expect(() => rim.call(RMI.REC_ENTER, 0n, 0n)).toThrow(OfflineRimError);
    expect(() => rim.call(RMI.DATA_CREATE, 0x1000n, 0x2000n, 0n, 0x3000n, 1n)).toThrow(/no realm/);
  });
});

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/cca-emu.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI in this process (no process start per case): exit status and what it wrote to stderr. */
async function cliInProcess(...args: string[]) {
  let stderr = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const saved = process.exitCode;
  try {
    const status = await main(args);
    return { status, stderr };
  } finally {
    err.mockRestore();
    out.mockRestore();
    process.exitCode = saved;
  }
}

describe('cca-emu measure on the command line', () => {
  it('prints the RIM, or one JSON object', () => {
    const elf = readFileSync('images/hello/hello.elf');
    const r = cli('measure', 'images/hello/hello.elf', '--recs', '2', '--hash', 'sha512', '--ram', '32', '--ipa-bits', '36');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(hex(measureRealm(elf, { recs: 2, hash: 'sha512', ramMiB: 32, ipaBits: 36 })) + '\n');
    const j = cli('measure', 'images/hello/hello.elf', '--json');
    expect(JSON.parse(j.stdout)).toEqual({ rim: hex(measureRealm(elf)), hash: 'sha256', recs: 1, ipaBits: 33, ramMiB: 16 });
  });
  it('bad options and bad files: one line, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cca-measure-'));
    const junk = join(dir, 'junk.elf');
    writeFileSync(junk, 'not an ELF');
    const cases = [
      ['--recs', '0'], ['--recs', 'x'], ['--hash', 'md5'], ['--ipa-bits', '32'], ['--ipa-bits', '49'], ['--ram', '0'],
      ['--ram', '4096'], // more than a 33-bit IPA's Protected half holds above 2 GiB
      ['--rpv', 'abc'], ['--rpv', '00'.repeat(65)],
    ];
    for (const opts of cases) {
      const r = await cliInProcess('measure', 'images/hello/hello.elf', ...opts);
      expect(r.status, opts.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), opts.join(' ')).toHaveLength(1);
    }
    // An image outside realm RAM
    const low = join(dir, 'low.elf');
    writeFileSync(low, writeElf({ entry: 0x1000_0000n, segments: [{ vaddr: 0x1000_0000n, data: new Uint8Array(16), flags: 5 }] }));
    for (const file of [join(dir, 'missing.elf'), junk, low]) {
      const r = await cliInProcess('measure', file);
      expect(r.stderr.trim().split('\n'), file).toHaveLength(1);
      expect(r.status, file).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await cliInProcess('measure')).status).toBe(2);
  });
});
