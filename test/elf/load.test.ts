import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EHDR,
  EHDR_SIZE,
  PF_R,
  PF_W,
  PF_X,
  PHDR,
  PHDR_SIZE,
  PT_INTERP,
  SHDR,
  SHDR_SIZE,
  SHT_SYMTAB,
  SYM,
  SYM_SIZE,
} from '../../src/elf/format.js';
import { ElfError, parseElf, type LoadedImage, type MemoryRegion } from '../../src/elf/load.js';
import { writeElf, type ElfSpec } from '../../src/elf/write.js';

const DRAM0: MemoryRegion = { name: 'DRAM0', base: 0x8000_0000n, size: 0x1000_0000n, kind: 'ram' };
const UART0: MemoryRegion = { name: 'UART0', base: 0x1c09_0000n, size: 0x1000n, kind: 'device' };
const REGIONS = [DRAM0, UART0];

const RX = PF_R | PF_X;
const RW = PF_R | PF_W;

const filled = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (seed + i * 7) & 0xff);

/**
 * Two segments plus symbols. The addresses keep the file compact (each
 * segment's p_offset is congruent to its vaddr mod 4 KiB), so nearly every
 * byte of it is meaningful to fuzz. Section indices in the output:
 * 1 .text, 2 .data, 3 .symtab, 4 .strtab, 5 .shstrtab.
 */
const BASE: ElfSpec = {
  entry: 0x8000_00c0n,
  segments: [
    { vaddr: 0x8000_00c0n, data: filled(64, 1), flags: RX },
    { vaddr: 0x8000_1100n, data: filled(8, 2), memsz: 0x100n, flags: RW },
  ],
  symbols: [
    { name: '_start', value: 0x8000_00c0n, size: 16n, type: 'func' },
    { name: 'main', value: 0x8000_00d0n, size: 32n, type: 'func' },
    { name: 'counter', value: 0x8000_1100n, size: 8n, type: 'object' },
    { name: 'buffer', value: 0x8000_1108n, size: 0xf8n, type: 'object' },
  ],
};
const SYMTAB_SECTION = 3;
const STRTAB_SECTION = 4;
const SHSTRTAB_SECTION = 5;

const base = (): Uint8Array => writeElf(BASE);

/** A copy of `bytes` with `edit` applied through a little-endian DataView helper. */
function patched(bytes: Uint8Array, edit: (f: Fields) => void): Uint8Array {
  const copy = bytes.slice();
  edit(new Fields(copy));
  return copy;
}

class Fields {
  readonly dv: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u16(off: number, v: number): void {
    this.dv.setUint16(off, v, true);
  }
  u32(off: number, v: number): void {
    this.dv.setUint32(off, v, true);
  }
  u64(off: number, v: bigint): void {
    this.dv.setBigUint64(off, v, true);
  }
  phdr(i: number): number {
    return EHDR_SIZE + i * PHDR_SIZE;
  }
  shdr(i: number): number {
    return Number(this.dv.getBigUint64(EHDR.shoff, true)) + i * SHDR_SIZE;
  }
  /** File offset just past section i's data. */
  end(i: number): number {
    const at = this.shdr(i);
    return Number(this.dv.getBigUint64(at + SHDR.offset, true) + this.dv.getBigUint64(at + SHDR.size, true));
  }
  /** File offset of symbol k (index 0 is the null symbol). */
  sym(k: number): number {
    return Number(this.dv.getBigUint64(this.shdr(SYMTAB_SECTION) + SHDR.offset, true)) + k * SYM_SIZE;
  }
}

function expectElfError(bytes: Uint8Array, message: string | RegExp, regions = REGIONS): void {
  let thrown: unknown;
  try {
    parseElf(bytes, regions);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(ElfError);
  const text = (thrown as ElfError).message;
  expect(text).not.toContain('\n');
  if (typeof message === 'string') expect(text).toBe(message);
  else expect(text).toMatch(message);
}

describe('parseElf: file and header', () => {
  it('rejects an empty file', () => expectElfError(new Uint8Array(0), 'empty file; not an ELF image'));
  it('rejects a 3-byte file that starts like ELF', () =>
    expectElfError(Uint8Array.of(0x7f, 0x45, 0x4c), 'ELF identification truncated: file is 3 bytes, e_ident needs 16'));
  it('rejects a 3-byte non-ELF file', () => expectElfError(Uint8Array.of(0x61, 0x62, 0x63), 'not an ELF file (bad magic)'));
  it('rejects bad magic', () =>
    expectElfError(patched(base(), (f) => (f.bytes[0] = 0x4d)), 'not an ELF file (bad magic)'));
  it('rejects a truncated header', () =>
    expectElfError(base().subarray(0, 40), 'ELF header truncated: file is 40 bytes, an ELF64 header needs 64'));
  it('rejects ELF32', () =>
    expectElfError(patched(base(), (f) => (f.bytes[EHDR.class] = 1)), 'ELF class is 32-bit; cca-emu loads ELF64 only'));
  it('rejects an invalid class', () =>
    expectElfError(patched(base(), (f) => (f.bytes[EHDR.class] = 7)), 'invalid ELF class 7'));
  it('rejects big-endian', () =>
    expectElfError(
      patched(base(), (f) => (f.bytes[EHDR.data] = 2)),
      'ELF is big-endian; AArch64 little-endian required',
    ));
  it('rejects an invalid data encoding', () =>
    expectElfError(patched(base(), (f) => (f.bytes[EHDR.data] = 0)), 'invalid ELF data encoding 0'));
  it('rejects an unknown identification version', () =>
    expectElfError(patched(base(), (f) => (f.bytes[EHDR.identVersion] = 2)), 'unsupported ELF identification version 2'));
  it('rejects x86-64', () =>
    expectElfError(
      patched(base(), (f) => f.u16(EHDR.machine, 62)),
      'ELF machine is x86-64 (62); expected AArch64 (183)',
    ));
  it('rejects an unknown machine by number', () =>
    expectElfError(patched(base(), (f) => f.u16(EHDR.machine, 4242)), 'ELF machine is 4242; expected AArch64 (183)'));
  it('rejects ET_DYN', () => expectElfError(patched(base(), (f) => f.u16(EHDR.type, 3)), /^ELF type is ET_DYN .*ET_EXEC/));
  it('rejects ET_REL', () => expectElfError(patched(base(), (f) => f.u16(EHDR.type, 1)), /^ELF type is ET_REL /));
  it('rejects a bad e_version', () =>
    expectElfError(patched(base(), (f) => f.u32(EHDR.version, 0)), 'unsupported ELF version 0'));
  it('rejects a wrong e_ehsize', () =>
    expectElfError(patched(base(), (f) => f.u16(EHDR.ehsize, 52)), 'e_ehsize is 52; an ELF64 header is 64 bytes'));
});

describe('parseElf: program header table', () => {
  it('rejects a wrong e_phentsize', () =>
    expectElfError(
      patched(base(), (f) => f.u16(EHDR.phentsize, 32)),
      'e_phentsize is 32; ELF64 program headers are 56 bytes',
    ));
  it('rejects a file without program headers', () =>
    expectElfError(
      patched(base(), (f) => f.u16(EHDR.phnum, 0)),
      'no PT_LOAD segment (the file has no program headers)',
    ));
  it('rejects extended program header numbering', () =>
    expectElfError(patched(base(), (f) => f.u16(EHDR.phnum, 0xffff)), /e_phnum = 0xffff/));
  it('rejects an absurd e_phnum', () =>
    expectElfError(
      patched(base(), (f) => f.u16(EHDR.phnum, 5000)),
      'e_phnum 5000 is absurd (more than 1024 program headers)',
    ));
  it('rejects e_phoff pointing past the end of the file', () =>
    expectElfError(
      patched(base(), (f) => f.u64(EHDR.phoff, 0x10_0000n)),
      /^program header table truncated: \[0x100000, 0x100070\) runs past the end of the file \(\d+ bytes\)$/,
    ));
  it('rejects a table whose end (e_phoff + e_phnum * e_phentsize) overflows 64 bits', () =>
    expectElfError(
      patched(base(), (f) => f.u64(EHDR.phoff, 0xffff_ffff_ffff_fff0n)),
      /^program header table truncated: \[0xfffffffffffffff0, 0x10000000000000060\)/,
    ));
  it('rejects a program header table truncated by the end of the file', () =>
    expectElfError(
      base().slice(0, EHDR_SIZE + PHDR_SIZE + 10),
      'program header table truncated: [0x40, 0xb0) runs past the end of the file (130 bytes)',
    ));
  it('rejects a program header table overlapping the ELF header', () =>
    expectElfError(patched(base(), (f) => f.u64(EHDR.phoff, 0n)), 'program header table at offset 0x0 overlaps the ELF header'));
  it('rejects PT_INTERP (dynamically linked)', () =>
    expectElfError(
      patched(base(), (f) => f.u32(f.phdr(1) + PHDR.type, PT_INTERP)),
      'segment 1 is PT_INTERP: the image is dynamically linked; link it with -static',
    ));
});

describe('parseElf: section header table and symbols', () => {
  it('rejects a section header count that overruns the file', () =>
    expectElfError(patched(base(), (f) => f.u16(EHDR.shnum, 200)), /^section header table truncated: /));
  it('rejects e_shoff pointing past the end of the file', () =>
    expectElfError(patched(base(), (f) => f.u64(EHDR.shoff, 0xffff_ffff_ffff_ff00n)), /^section header table truncated: /));
  it('rejects a wrong e_shentsize', () =>
    expectElfError(
      patched(base(), (f) => f.u16(EHDR.shentsize, 40)),
      'e_shentsize is 40; ELF64 section headers are 64 bytes',
    ));
  it('rejects e_shstrndx out of range', () =>
    expectElfError(patched(base(), (f) => f.u16(EHDR.shstrndx, 6)), 'e_shstrndx 6 is out of range (6 section headers)'));
  it('rejects e_shstrndx naming a section that is not a string table', () =>
    expectElfError(
      patched(base(), (f) => f.u16(EHDR.shstrndx, SYMTAB_SECTION)),
      'section 3 (e_shstrndx) is not a string table',
    ));
  it('rejects extended section numbering', () =>
    expectElfError(patched(base(), (f) => f.u16(EHDR.shnum, 0)), /^extended section numbering/));
  it('rejects a section whose data lies beyond the end of the file', () =>
    expectElfError(
      patched(base(), (f) => f.u64(f.shdr(STRTAB_SECTION) + SHDR.offset, 0x10_0000n)),
      /^section 4 \[0x100000, 0x[0-9a-f]+\) lies beyond the end of the file \(\d+ bytes\)$/,
    ));
  it('rejects a section whose offset + size overflows 64 bits', () =>
    expectElfError(
      patched(base(), (f) => f.u64(f.shdr(STRTAB_SECTION) + SHDR.size, 0xffff_ffff_ffff_fff0n)),
      /^section 4 \[.*\) lies beyond the end of the file/,
    ));
  it('rejects a section name outside the section name table', () =>
    expectElfError(
      patched(base(), (f) => f.u32(f.shdr(1) + SHDR.name, 0x7fff_ffff)),
      /^section 1 name offset 0x7fffffff is outside the section name table/,
    ));
  it('rejects a section name table that is not NUL-terminated', () =>
    expectElfError(
      patched(base(), (f) => (f.bytes[f.end(SHSTRTAB_SECTION) - 1] = 0x41)),
      'section 5 is a malformed string table (must start and end with a NUL byte)',
    ));
  it('rejects a symbol name offset outside the string table', () =>
    expectElfError(
      patched(base(), (f) => f.u32(f.sym(2) + SYM.name, 0xffff_fff0)),
      /^symbol 2 name offset 0xfffffff0 is outside the string table \(\d+ bytes\)$/,
    ));
  it('rejects a symbol naming a nonexistent section', () =>
    expectElfError(
      patched(base(), (f) => f.u16(f.sym(1) + SYM.shndx, 77)),
      'symbol 1 refers to section 77, but there are only 6',
    ));
  it('rejects a symbol table with a wrong entry size', () =>
    expectElfError(
      patched(base(), (f) => f.u64(f.shdr(SYMTAB_SECTION) + SHDR.entsize, 16n)),
      /^symbol table \(section 3\) has entry size 16/,
    ));
  it('rejects a symbol table whose size is not a whole number of entries', () =>
    expectElfError(
      patched(base(), (f) => f.u64(f.shdr(SYMTAB_SECTION) + SHDR.size, BigInt(SYM_SIZE * 2 + 5))),
      /^symbol table \(section 3\) has entry size 24 and size 53/,
    ));
  it('rejects a symbol table linked to something other than a string table', () =>
    expectElfError(
      patched(base(), (f) => f.u32(f.shdr(SYMTAB_SECTION) + SHDR.link, 1)),
      'symbol table (section 3) links to section 1, which is not a string table',
    ));
  it('rejects a symbol string table that is not NUL-terminated', () =>
    expectElfError(
      patched(base(), (f) => (f.bytes[f.end(STRTAB_SECTION) - 1] = 0x41)),
      'section 4 is a malformed string table (must start and end with a NUL byte)',
    ));
  it('rejects two symbol tables', () =>
    expectElfError(
      patched(base(), (f) => f.u32(f.shdr(STRTAB_SECTION) + SHDR.type, SHT_SYMTAB)),
      'more than one SHT_SYMTAB section (3, 4)',
    ));
});

describe('parseElf: segments', () => {
  const one = (seg: Partial<ElfSpec['segments'][number]>, entry = 0x8000_0000n): Uint8Array =>
    writeElf({ entry, segments: [{ vaddr: 0x8000_0000n, data: filled(16, 3), flags: RX, ...seg }] });
  const withSecond = (seg: ElfSpec['segments'][number]): Uint8Array =>
    writeElf({ entry: 0x8000_0000n, segments: [{ vaddr: 0x8000_0000n, data: filled(16, 3), flags: RX }, seg] });

  it('rejects p_filesz > p_memsz', () =>
    expectElfError(one({ memsz: 8n }), 'p_filesz > p_memsz in segment 0 (0x10 > 0x8)'));
  it('rejects segment file data beyond the end of the file', () => {
    const bytes = patched(withSecond({ vaddr: 0x8000_2000n, data: filled(32, 4), flags: RW }), (f) => {
      f.u64(f.phdr(1) + PHDR.filesz, 0x1000n);
      f.u64(f.phdr(1) + PHDR.memsz, 0x1000n);
    });
    // The writer put segment 1's 32 bytes at 0x2000, the last thing in the file.
    expect(bytes.length).toBe(0x2020);
    expectElfError(bytes, 'segment 1 file data [0x2000, 0x3000) lies beyond the end of the file (8224 bytes)');
  });
  it('rejects a segment whose offset + filesz overflows 64 bits', () =>
    expectElfError(
      patched(one({}), (f) => f.u64(f.phdr(0) + PHDR.offset, 0xffff_ffff_ffff_fff8n)),
      /^segment 0 file data \[0xfffffffffffffff8, 0x10000000000000008\) lies beyond the end of the file/,
    ));
  it('rejects a segment outside RAM', () =>
    expectElfError(
      withSecond({ vaddr: 0x4000_0000n, data: filled(16, 4), flags: RW }),
      'segment 1 [0x40000000, 0x40000010) is outside RAM',
    ));
  it('rejects a segment running past the end of RAM', () =>
    expectElfError(
      withSecond({ vaddr: 0x8fff_f000n, data: filled(16, 4), memsz: 0x2000n, flags: RW }),
      'segment 1 [0x8ffff000, 0x90001000) runs past the end of RAM region DRAM0 [0x80000000, 0x90000000)',
    ));
  it('rejects a segment overlapping a device', () =>
    expectElfError(
      withSecond({ vaddr: 0x1c08_ff00n, data: filled(0x200, 4), flags: RW }),
      'segment 1 [0x1c08ff00, 0x1c090100) overlaps device region UART0 at 0x1c090000',
    ));
  it('rejects overlapping segments', () =>
    expectElfError(
      writeElf({
        entry: 0x8000_0000n,
        segments: [
          { vaddr: 0x8000_0000n, data: filled(16, 1), memsz: 0x1000n, flags: RX },
          { vaddr: 0x8000_4000n, data: filled(16, 2), flags: RW },
          { vaddr: 0x8000_8000n, data: filled(16, 3), flags: RW },
          { vaddr: 0x8000_0800n, data: filled(16, 4), flags: RW },
        ],
      }),
      'segments 0 and 3 overlap at 0x80000800',
    ));
  it('rejects an absurd p_memsz', () =>
    expectElfError(one({ memsz: 0xffff_ffff_0000_0000n }), 'segment 0 memsz 0xffffffff00000000 is absurd (larger than RAM)'));
  it('rejects a segment wrapping the physical address space', () =>
    expectElfError(
      one({ paddr: 0xffff_ffff_ffff_f000n, memsz: 0x2000n }),
      'segment 0 physical range [0xfffffffffffff000, 0x10000000000001000) wraps around the address space',
    ));
  it('rejects a segment wrapping the virtual address space', () =>
    expectElfError(
      one({ vaddr: 0xffff_ffff_ffff_f000n, paddr: 0x8000_0000n, memsz: 0x2000n }),
      'segment 0 virtual range [0xfffffffffffff000, 0x10000000000001000) wraps around the address space',
    ));
  it('rejects an image whose only PT_LOAD segments are empty', () =>
    expectElfError(one({ data: new Uint8Array(0) }), 'no PT_LOAD segment'));
  it('rejects an image with no PT_LOAD among its program headers', () =>
    expectElfError(patched(one({}), (f) => f.u32(f.phdr(0) + PHDR.type, 4 /* PT_NOTE */)), 'no PT_LOAD segment'));
  it('rejects an entry point outside every segment', () =>
    expectElfError(one({}, 0x8100_0000n), 'entry point 0x81000000 is not inside a loaded executable segment'));
  it('rejects an entry point in a non-executable segment', () =>
    expectElfError(
      writeElf({
        entry: 0x8000_2000n,
        segments: [
          { vaddr: 0x8000_0000n, data: filled(16, 1), flags: RX },
          { vaddr: 0x8000_2000n, data: filled(16, 2), flags: RW },
        ],
      }),
      'entry point 0x80002000 lies in segment 1, which is not executable (flags RW-)',
    ));
  it('rejects an entry point in the BSS of an executable segment', () =>
    expectElfError(one({ memsz: 0x100n }, 0x8000_0080n), 'entry point 0x80000080 is not inside a loaded executable segment'));
  it('rejects a misaligned entry point', () =>
    expectElfError(one({}, 0x8000_0002n), 'entry point 0x80000002 is not 4-byte aligned'));
});

/** Invariants every successful parse must satisfy, whatever the input. */
function checkInvariants(image: LoadedImage): void {
  expect(image.segments.length).toBeGreaterThan(0);
  for (const s of image.segments) {
    expect(BigInt(s.data.length)).toBeLessThanOrEqual(s.memsz);
    const end = s.paddr + s.memsz;
    expect(REGIONS.some((r) => r.kind === 'ram' && r.base <= s.paddr && end <= r.base + r.size)).toBe(true);
    expect(REGIONS.some((r) => r.kind === 'device' && s.paddr < r.base + r.size && r.base < end)).toBe(false);
  }
  expect(image.segments.some((s) => s.flags & PF_X && s.paddr <= image.entry && image.entry < s.paddr + BigInt(s.data.length))).toBe(true);
}

describe('parseElf: valid images', () => {
  it('round-trips writeElf: entry, segments, symbols', () => {
    const image = parseElf(base(), REGIONS);
    expect(image.entry).toBe(0x8000_00c0n);
    expect(image.segments).toEqual(
      BASE.segments.map((s) => ({
        paddr: s.vaddr,
        vaddr: s.vaddr,
        data: s.data,
        memsz: s.memsz ?? BigInt(s.data.length),
        flags: s.flags,
      })),
    );
    expect(image.symbols).toEqual(new Map(BASE.symbols!.map((s) => [s.name, s.value])));
    checkInvariants(image);
  });

  it('describes BSS without materialising it', () => {
    const image = parseElf(
      writeElf({
        entry: 0x8000_0000n,
        segments: [
          { vaddr: 0x8000_0000n, data: filled(16, 1), flags: RX },
          { vaddr: 0x8000_2000n, data: filled(8, 2), memsz: 0x1_0000n, flags: RW },
          { vaddr: 0x8010_0000n, data: new Uint8Array(0), memsz: 0x4000n, flags: RW },
        ],
      }),
      REGIONS,
    );
    expect(image.segments.map((s) => [s.paddr, s.data.length, s.memsz])).toEqual([
      [0x8000_0000n, 16, 16n],
      [0x8000_2000n, 8, 0x1_0000n],
      [0x8010_0000n, 0, 0x4000n],
    ]);
  });

  it('ignores zero-size PT_LOAD segments, even with wild fields', () => {
    const bytes = patched(
      writeElf({
        entry: 0x8000_0000n,
        segments: [
          { vaddr: 0x8000_0000n, data: filled(16, 1), flags: RX },
          { vaddr: 0x8000_0000n, data: new Uint8Array(0), flags: RW },
        ],
      }),
      (f) => {
        f.u64(f.phdr(1) + PHDR.offset, 0xffff_ffff_ffff_ffffn);
        f.u64(f.phdr(1) + PHDR.paddr, 0x1c09_0000n);
      },
    );
    expect(parseElf(bytes, REGIONS).segments).toHaveLength(1);
  });

  it('places segments by p_paddr and translates the entry point', () => {
    const image = parseElf(
      writeElf({
        entry: 0xffff_0000_0000_0040n,
        segments: [{ vaddr: 0xffff_0000_0000_0000n, paddr: 0x8008_0000n, data: filled(128, 1), flags: RX }],
      }),
      REGIONS,
    );
    expect(image.entry).toBe(0x8008_0040n);
    expect(image.segments[0].paddr).toBe(0x8008_0000n);
  });

  it('loads an image without section headers (no symbols)', () => {
    const image = parseElf(writeElf({ entry: BASE.entry, segments: BASE.segments }), REGIONS);
    expect(image.symbols.size).toBe(0);
    expect(image.symbolAt(0x8000_00c0n)).toBeUndefined();
  });

  it('formats code addresses as name+offset and respects symbol sizes', () => {
    const image = parseElf(base(), REGIONS);
    expect(image.symbolAt(0x8000_00c0n)).toBe('_start');
    expect(image.symbolAt(0x8000_00c8n)).toBe('_start+0x8');
    expect(image.symbolAt(0x8000_00ecn)).toBe('main+0x1c');
    expect(image.symbolAt(0x8000_00f0n)).toBeUndefined(); // past main's 32 bytes
    expect(image.symbolAt(0x8000_00bcn)).toBeUndefined();
    expect(image.symbolAt(0x8000_1100n)).toBeUndefined(); // data, not code
  });

  it('prefers a global symbol over a file-local one of the same name', () => {
    const bytes = writeElf({
      ...BASE,
      symbols: [
        { name: 'dup', value: 0x8000_00c4n, type: 'func' },
        { name: 'dup', value: 0x8000_00d4n, type: 'func' },
      ],
    });
    const image = parseElf(patched(bytes, (f) => (f.bytes[f.sym(1) + SYM.info] = 0x02 /* LOCAL FUNC */)), REGIONS);
    expect(image.symbols.get('dup')).toBe(0x8000_00d4n);
  });

  it('accepts a view into a larger buffer and leaves the input untouched', () => {
    const bytes = base();
    const backing = new Uint8Array(bytes.length + 13);
    backing.set(bytes, 13);
    const before = backing.slice();
    const image = parseElf(backing.subarray(13), REGIONS);
    expect(image.entry).toBe(0x8000_00c0n);
    expect(image.segments[0].data).toEqual(BASE.segments[0].data);
    expect(backing).toEqual(before);
  });
});

/** mulberry32: a tiny seeded PRNG so fuzz failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Parse a mutated file: it must either load consistently or fail with ElfError, quickly. */
function parseMutant(bytes: Uint8Array, what: string): 'ok' | 'rejected' {
  const start = performance.now();
  try {
    checkInvariants(parseElf(bytes, REGIONS));
    return 'ok';
  } catch (e) {
    if (!(e instanceof ElfError)) throw new Error(`${what}: ${String(e)}`);
    return 'rejected';
  } finally {
    expect(performance.now() - start, what).toBeLessThan(250);
  }
}

describe('parseElf: fuzzing', () => {
  it('survives 2,000 random byte flips of a valid ELF', () => {
    const valid = base();
    const rand = prng(0xe1f);
    const outcomes = { ok: 0, rejected: 0 };
    for (let i = 0; i < 2000; i++) {
      const bytes = valid.slice();
      const flips = 1 + Math.floor(rand() * 4);
      for (let j = 0; j < flips; j++) bytes[Math.floor(rand() * bytes.length)] ^= 1 + Math.floor(rand() * 255);
      outcomes[parseMutant(bytes, `iteration ${i}`)]++;
    }
    // Both outcomes must occur, or the fuzzer is not exercising anything.
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });

  it('survives 2,000 boundary values written over header, table and symbol fields', () => {
    const valid = base();
    const interesting = [0n, 1n, 0x7fn, 0xffn, 0xffffn, 0x8000_0000n, 0xffff_ffffn, 1n << 53n, 1n << 63n, (1n << 64n) - 1n];
    const rand = prng(0xc0ffee);
    // 4-byte-aligned spots in the ELF header and program headers, plus the section headers and .symtab.
    const shoff = Number(new DataView(valid.buffer).getBigUint64(EHDR.shoff, true));
    const spots = [
      ...Array.from({ length: (EHDR_SIZE + 2 * PHDR_SIZE) / 4 }, (_, i) => i * 4),
      ...Array.from({ length: (valid.length - shoff) / 4 }, (_, i) => shoff + i * 4),
      ...Array.from({ length: 5 * SYM_SIZE / 4 }, (_, i) => new Fields(valid).sym(0) + i * 4),
    ].filter((o) => o + 8 <= valid.length);
    for (let i = 0; i < 2000; i++) {
      const bytes = valid.slice();
      const dv = new DataView(bytes.buffer);
      const at = spots[Math.floor(rand() * spots.length)];
      const value = interesting[Math.floor(rand() * interesting.length)];
      const width = rand() < 0.5 ? 8 : 4;
      if (width === 8) dv.setBigUint64(at, value, true);
      else dv.setUint32(at, Number(BigInt.asUintN(32, value)), true);
      parseMutant(bytes, `iteration ${i} (${width}-byte ${value} at ${at})`);
    }
  });
});

const GCC = '/usr/bin/aarch64-linux-gnu-gcc';
const READELF = '/usr/bin/aarch64-linux-gnu-readelf';
const haveToolchain = existsSync(GCC) && existsSync(READELF);

describe.skipIf(!haveToolchain)('parseElf: real cross-compiled images', () => {
  const source = `
int counter = 5;
int scratch[64];
__attribute__((noinline)) static int helper(int x) { return x * 3 + counter + scratch[x & 63]; }
__attribute__((noinline)) int compute(int v) { scratch[v & 63] = v; return helper(v) + 1; }
void _start(void) { counter = compute(counter); for (;;) { } }
`;

  function build(flags: string[]): Buffer {
    const dir = mkdtempSync(join(tmpdir(), 'cca-elf-'));
    try {
      writeFileSync(join(dir, 'prog.c'), source);
      execFileSync(GCC, ['-nostdlib', '-static', '-no-pie', '-O1', '-Wl,--build-id=none', ...flags, '-o', join(dir, 'prog'), join(dir, 'prog.c')]);
      return readFileSync(join(dir, 'prog'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  function readelf(bytes: Buffer, option: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'cca-elf-'));
    try {
      writeFileSync(join(dir, 'prog'), bytes);
      return execFileSync(READELF, [option, '-W', join(dir, 'prog')], { encoding: 'utf8' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('matches readelf on entry, PT_LOAD segments and symbols', () => {
    // -Ttext-segment puts the whole text segment, ELF headers included, at the DRAM base.
    const bytes = build(['-Wl,-Ttext-segment=0x80000000']);
    const image = parseElf(bytes, REGIONS);

    const entry = /Entry point address:\s+(0x[0-9a-f]+)/.exec(readelf(bytes, '-h'))![1];
    expect(image.entry).toBe(BigInt(entry));

    const loads = [...readelf(bytes, '-l').matchAll(/^\s*LOAD\s+(0x\S+)\s+0x\S+\s+(0x\S+)\s+(0x\S+)\s+(0x\S+)\s+([RWE ]{3})/gm)];
    expect(image.segments.map((s) => [s.paddr, s.data.length, s.memsz])).toEqual(
      loads.map(([, , paddr, filesz, memsz]) => [BigInt(paddr), Number(filesz), BigInt(memsz)]),
    );
    loads.forEach(([, offset, , filesz], i) =>
      expect(image.segments[i].data).toEqual(new Uint8Array(bytes.subarray(Number(offset), Number(offset) + Number(filesz)))),
    );
    expect(image.segments.some((s) => BigInt(s.data.length) < s.memsz)).toBe(true); // .bss

    const expected = new Map<string, bigint>();
    for (const [, value, type, ndx, name] of readelf(bytes, '-s').matchAll(
      /^\s*\d+:\s+([0-9a-f]+)\s+\S+\s+(\w+)\s+\w+\s+\w+\s+(\w+)\s+(\S+)\s*$/gm,
    )) {
      if (['FUNC', 'OBJECT', 'NOTYPE'].includes(type) && ndx !== 'UND' && !name.startsWith('$')) {
        expected.set(name, BigInt(`0x${value}`));
      }
    }
    expect(expected.has('compute') && expected.has('helper') && expected.has('counter') && expected.has('scratch')).toBe(true);
    expect(image.symbols).toEqual(expected);
    expect(image.symbolAt(expected.get('compute')! + 8n)).toBe('compute+0x8');
    expect(image.symbolAt(expected.get('_start')!)).toBe('_start');
  });

  it('rejects the plain -Ttext link, whose headers land below DRAM', () => {
    // With -Ttext alone, ld maps the ELF headers into the text segment one max-page (64 KiB) below .text.
    expectElfError(build(['-Ttext=0x80000000']), /^segment 0 \[0x7fff0000, 0x[0-9a-f]+\) is outside RAM$/);
  });
});

const QEMU = '/usr/bin/qemu-aarch64';

describe.skipIf(!existsSync(QEMU))('writeElf: static Linux executable', () => {
  const movz = (rd: number, imm16: number): number => 0xd280_0000 | (imm16 << 5) | rd;
  const adr = (rd: number, offset: number): number => 0x1000_0000 | ((offset & 3) << 29) | (((offset >> 2) & 0x7ffff) << 5) | rd;
  const SVC0 = 0xd400_0001;

  it('runs under qemu-aarch64: write(1, "hi\\n", 3); exit(7)', () => {
    const words = [
      movz(0, 1), //            x0 = fd 1
      adr(1, 32 - 4), //        x1 = msg (8 instructions in, this is the 2nd)
      movz(2, 3), //            x2 = length
      movz(8, 64), //           x8 = __NR_write
      SVC0,
      movz(0, 7), //            x0 = status
      movz(8, 93), //           x8 = __NR_exit
      SVC0,
    ];
    const code = new Uint8Array(words.length * 4 + 3);
    const dv = new DataView(code.buffer);
    words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
    code.set([0x68, 0x69, 0x0a], words.length * 4);

    const bytes = writeElf({
      entry: 0x40_0000n,
      segments: [{ vaddr: 0x40_0000n, data: code, flags: RX }],
      symbols: [{ name: '_start', value: 0x40_0000n, size: 32n, type: 'func' }],
    });
    const dir = mkdtempSync(join(tmpdir(), 'cca-elf-'));
    try {
      const path = join(dir, 'hi');
      writeFileSync(path, bytes);
      chmodSync(path, 0o755);
      const run = spawnSync(QEMU, [path], { encoding: 'utf8', timeout: 10_000 });
      expect(run.error).toBeUndefined();
      expect(run.stdout).toBe('hi\n');
      expect(run.status).toBe(7);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
