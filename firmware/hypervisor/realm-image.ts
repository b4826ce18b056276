// What the hypervisor loads into a realm: the granules of its initial contents by IPA, and where it
// starts. Built from a realm guest ELF, validated whole before any RMI call so a bad file changes nothing.
import { parseElf, ElfError } from '../../src/elf/load.js';
import { GRANULE_SIZE } from './allocator.js';

export interface RealmImage {
  /** The IPA the first REC starts at. */
  entry: bigint;
  /** Every granule the image touches, by IPA (BSS granules are zeros), in ascending IPA order. */
  pages: Map<bigint, Uint8Array>;
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
