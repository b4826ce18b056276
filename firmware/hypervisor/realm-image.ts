// What the hypervisor loads into a realm: the granules of its initial contents by IPA, and where it
// starts. Built from a realm guest ELF, validated whole before any RMI call so a bad file changes nothing.
import { parseElf, ElfError } from '../../src/elf/load.js';
import { GRANULE_SIZE } from './allocator.js';

export interface RealmImage {
  /** The IPA the first REC starts at. */
  entry: bigint;
  /** Every granule the image touches, by IPA (BSS granules are zeros), in ascending IPA order. */
  pages: Map<bigint, Uint8Array>;
  /** An initial RAM disk, placed by the hypervisor below the DTB and named in its /chosen node. */
  initrd?: Uint8Array;
  /** The IPA range the image reserves beyond its pages (a kernel's image_size, BSS included). */
  reserved?: { start: bigint; end: bigint };
}

/** The arm64 Image header's magic "ARM\x64" at offset 0x38 (Linux Documentation/arch/arm64/booting.rst). */
const ARM64_IMAGE_MAGIC = 0x644d_5241;

export function isArm64Image(bytes: Uint8Array): boolean {
  return bytes.length >= 64 && new DataView(bytes.buffer, bytes.byteOffset).getUint32(0x38, true) === ARM64_IMAGE_MAGIC;
}

/**
 * A raw arm64 kernel Image, loaded as Linux's boot protocol asks: at a 2 MiB aligned base (RAM's) plus
 * the header's text_offset, entered at its first byte with x0 = the DTB; image_size bytes reserved.
 */
export function realmImageFromKernel(bytes: Uint8Array, ramBase: bigint, ramSize: bigint): RealmImage {
  if (!isArm64Image(bytes)) throw new ElfError('not an arm64 kernel Image (no "ARM\\x64" magic at offset 0x38)');
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  let textOffset = v.getBigUint64(0x08, true);
  let imageSize = v.getBigUint64(0x10, true);
  // booting.rst: an image_size of zero means a kernel older than 3.17, whose text_offset is 0x80000
  if (imageSize === 0n) textOffset = 0x8_0000n;
  if (imageSize < BigInt(bytes.length)) imageSize = BigInt(bytes.length);
  const entry = ramBase + textOffset;
  if (textOffset % GRANULE_SIZE !== 0n) throw new ElfError(`the Image's text_offset 0x${textOffset.toString(16)} is not 4 KiB aligned`);
  if (entry + imageSize > ramBase + ramSize) {
    throw new ElfError(`the Image needs ${(textOffset + imageSize) >> 20n} MiB from the start of RAM; the realm has ${ramSize >> 20n} MiB`);
  }
  return { entry, pages: new Map(granulesOf(entry, bytes)), reserved: { start: entry, end: entry + imageSize } };
}

/** `bytes` placed at IPA `at` as whole granules, the last one zero-padded. */
export function granulesOf(at: bigint, bytes: Uint8Array): [bigint, Uint8Array][] {
  const out: [bigint, Uint8Array][] = [];
  for (let off = 0; off < bytes.length; off += Number(GRANULE_SIZE)) {
    const page = new Uint8Array(Number(GRANULE_SIZE));
    page.set(bytes.subarray(off, off + Number(GRANULE_SIZE)));
    out.push([at + BigInt(off), page]);
  }
  return out;
}

/**
 * Parses a realm guest ELF whose segments' physical addresses are IPAs in the realm's RAM
 * [ramBase, ramBase + ramSize); ElfError says what is wrong with the file.
 */
export function realmImageFromElf(bytes: Uint8Array, ramBase: bigint, ramSize: bigint): RealmImage {
  const image = parseElf(bytes, [{ name: 'realm RAM', base: ramBase, size: ramSize, kind: 'ram' }]);
  const pages = new Map<bigint, Uint8Array>();
  const sorted = [...image.segments].sort((a, b) => (a.paddr < b.paddr ? -1 : 1));
  for (const s of sorted) {
    const end = s.paddr + s.memsz;
    for (let g = s.paddr & ~(GRANULE_SIZE - 1n); g < end; g += GRANULE_SIZE) {
      if (!pages.has(g)) pages.set(g, new Uint8Array(Number(GRANULE_SIZE)));
      const page = pages.get(g)!;
      // The part of the segment's file bytes that falls in this granule; the rest of it is BSS, already zero
      const from = g > s.paddr ? g - s.paddr : 0n;
      const to = g + GRANULE_SIZE - s.paddr;
      const chunk = s.data.subarray(Number(from), Number(to < BigInt(s.data.length) ? to : BigInt(s.data.length)));
      if (chunk.length > 0) page.set(chunk, Number(s.paddr + from - g));
    }
  }
  if (pages.size === 0) throw new ElfError('the image loads nothing into the realm');
  return { entry: image.entry, pages };
}
