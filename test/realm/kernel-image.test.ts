// Booting a raw arm64 kernel Image (Linux's boot protocol: header, text_offset, image_size) with an
// optional initrd, which the hypervisor measures, places below the DTB and names in /chosen.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootRealm } from '../../src/boot/boot.js';
import { realmImageFromKernel } from '../../firmware/hypervisor/realm-image.js';
import { Hypervisor } from '../../firmware/hypervisor/hypervisor.js';
import { GranuleAllocator } from '../../firmware/hypervisor/allocator.js';
import { asm, mov64 } from '../helpers/asm.js';
import { movReg, str, SMC } from '../helpers/realm.js';
import { ElfError } from '../../src/elf/load.js';

const RAM = 0x8000_0000n;
const MIB = 1n << 20n;

/** An Image: `B 0x40`, text_offset, image_size, the magic; at 0x40 code that ends the realm with status = X0 (the DTB's IPA). */
function kernelImage(textOffset = 0n, imageSize = 0x10000n): Uint8Array {
  const entry = RAM + textOffset;
  const code = [
    movReg(19, 0),
    ...mov64(6, entry + 0x8000n), ...mov64(7, 0xcca1n), str(7, 6), str(19, 6, 8), // RsiHostCall in the Image's BSS
    ...mov64(0, 0xc400_0199n), movReg(1, 6), SMC,
  ];
  const bytes = new Uint8Array(0x40 + code.length * 4);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, asm('B', { imm26: 0x40 / 4 }), true);
  v.setBigUint64(0x08, textOffset, true);
  v.setBigUint64(0x10, imageSize, true);
  v.setBigUint64(0x18, 0xan, true); // little-endian, 4K pages, anywhere
  v.setUint32(0x38, 0x644d_5241, true);
  code.forEach((w, i) => v.setUint32(0x40 + i * 4, w >>> 0, true));
  return bytes;
}

describe('arm64 kernel Images', () => {
  it('boots at RAM base + text_offset with X0 = the DTB', () => {
    const r = bootRealm(kernelImage(0x20_0000n), { console: () => {} });
    expect(r.end.kind).toBe('exit');
    // The DTB sits in the top 2 MiB of the default 16 MiB
    expect(r.end).toEqual({ kind: 'exit', status: RAM + 14n * MIB });
    expect(r.tornDown).toBe(true);
  });

  it('the initrd: measured, right below the DTB, its range in /chosen', () => {
    const initrd = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7) & 0xff);
    const image = realmImageFromKernel(kernelImage(), RAM, 16n * MIB);
    const hyp = new Hypervisor({ readPhysical: () => undefined, writePhysical: () => {}, gpcProbe: () => 0 } as never, new GranuleAllocator(0n, 0x1000n));
    const plain = hyp.plan(image);
    const planned = hyp.plan({ ...image, initrd });
    const start = planned.dtbIpa - 0x3000n; // 10,000 bytes take three granules
    const got = new Uint8Array(initrd.length);
    planned.pages.filter(([ipa]) => ipa >= start && ipa < planned.dtbIpa).forEach(([ipa, page]) => got.set(page.subarray(0, Math.min(0x1000, initrd.length - Number(ipa - start))), Number(ipa - start)));
    expect(got).toEqual(initrd);
    const dtb = Buffer.concat(planned.pages.filter(([ipa]) => ipa >= planned.dtbIpa).map(([, p]) => p));
    expect(dtb.includes('linux,initrd-start')).toBe(true);
    const be = (x: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(x); return b; };
    expect(dtb.includes(Buffer.concat([be(start)]))).toBe(true);
    expect(dtb.includes(be(start + 10_000n))).toBe(true);
    expect(plain.pages.length).toBe(planned.pages.length - 3);
    // and the RMM measures it: a different RIM
    const a = bootRealm(kernelImage(), { console: () => {} });
    const b = bootRealm(kernelImage(), { console: () => {}, initrd });
    expect(b.end.kind).toBe('exit');
    expect(b.rim).not.toBe(a.rim);
  });

  it('refuses an Image that does not fit, with a clear error', () => {
    expect(() => realmImageFromKernel(kernelImage(0x20_0000n, 32n * MIB), RAM, 16n * MIB)).toThrow(ElfError);
    expect(() => realmImageFromKernel(kernelImage(0x20_0000n, 32n * MIB), RAM, 16n * MIB)).toThrow(/needs 34 MiB/);
  });

  it('the CLI: neither ELF nor Image, and a missing --initrd, are usage errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cca-image-'));
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, new Uint8Array(4096).fill(0x55));
    const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/cca-emu.js', 'boot', ...args], { encoding: 'utf8' });
    const a = cli(junk);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/neither an ELF file nor an arm64 kernel Image/);
    const image = join(dir, 'Image');
    writeFileSync(image, kernelImage());
    const b = cli(image, '--initrd', join(dir, 'missing.cpio'));
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/cannot read .*missing\.cpio/);
    const c = cli(image, '--initrd', junk, '--json');
    // The realm ends with status X0 = the DTB's IPA (more than 255: exit status 255)
    expect(c.status).toBe(255);
    expect(JSON.parse(c.stdout)).toMatchObject({ end: 'exit', status: Number(RAM + 14n * MIB) });
  });
});
