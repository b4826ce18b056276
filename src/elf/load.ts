/// <reference path="./elfy.d.ts" />
// ELF64 AArch64 image loader for bare-metal images.
//
// parseElf() only validates and describes; it never writes guest memory. The
// caller copies segments after parseElf() has returned, so a rejected file can
// never leave a half-loaded machine behind.
//
// Division of labour with elfy: elfy provides the structural view (program
// header types, section types/links/name offsets, and the file slices of
// segments and sections). Everything elfy cannot be trusted with is read here
// from the raw bytes: elfy decodes 64-bit fields into doubles (inexact above
// 2^53), does no bounds checking of its own beyond Buffer clamping, reads
// sh_addralign/sh_entsize at the wrong offsets, and has no symbol table
// support. All bounds are checked here, with BigInt, *before* elfy sees the
// file, so every slice elfy hands back is known to be exact.

import elfy, { type ElfyProgram, type ElfySection } from 'elfy';
import {
  EHDR,
  EHDR_SIZE,
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  ELF_MAGIC,
  EM_AARCH64,
  ET_EXEC,
  EV_CURRENT,
  PF_R,
  PF_W,
  PF_X,
  PHDR,
  PHDR_SIZE,
  PN_XNUM,
  SHDR,
  SHDR_SIZE,
  SHN_LORESERVE,
  SHN_UNDEF,
  SHN_XINDEX,
  STB_LOCAL,
  STT_FUNC,
  STT_NOTYPE,
  STT_OBJECT,
  SYM,
  SYM_SIZE,
} from './format.js';

export class ElfError extends Error {
  override name = 'ElfError';
}

export interface MemoryRegion {
  name: string;
  base: bigint;
  size: bigint;
  kind: 'ram' | 'device';
}

export interface LoadedSegment {
  /** Physical load address (p_paddr). */
  paddr: bigint;
  /** Virtual address (p_vaddr): where symbols point. */
  vaddr: bigint;
  /** The segment's file bytes (p_filesz of them); a view into the input. */
  data: Uint8Array;
  /** Bytes to occupy at paddr; [data.length, memsz) is BSS the caller zeroes. */
  memsz: bigint;
  /** p_flags (PF_R | PF_W | PF_X). */
  flags: number;
}

export interface LoadedImage {
  /** Physical address to start executing at (e_entry translated through its segment). */
  entry: bigint;
  segments: LoadedSegment[];
  /** Named FUNC/OBJECT/NOTYPE symbols from .symtab, by (virtual) address. */
  symbols: Map<string, bigint>;
  /**
   * "name" or "name+0xoff" for the nearest code symbol at or below a virtual
   * address: STT_FUNC symbols, plus untyped labels (hand-written assembly)
   * inside executable segments. undefined past a sized symbol's end, outside
   * the symbol's segment, or when no symbol precedes the address.
   */
  symbolAt(addr: bigint): string | undefined;
}

/**
 * A program header table this long is not a real image: the Linux kernel
 * refuses tables over 64 KiB, and bare-metal images have a handful of entries.
 */
const MAX_PHNUM = 1024;
const ADDRESS_LIMIT = 1n << 64n;

const MACHINE_NAMES: Record<number, string> = {
  3: 'x86',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'S/390',
  40: 'AArch32 (ARM)',
  50: 'IA-64',
  62: 'x86-64',
  243: 'RISC-V',
  258: 'LoongArch',
};

const TYPE_NAMES: Record<number, string> = {
  0: 'ET_NONE',
  1: 'ET_REL (relocatable object; link it first)',
  3: 'ET_DYN (shared object or PIE; link with -static -no-pie)',
  4: 'ET_CORE (core dump)',
};

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;
const range = (start: bigint, size: bigint): string => `[${hex(start)}, ${hex(start + size)})`;

function flagString(flags: number): string {
  return (flags & PF_R ? 'R' : '-') + (flags & PF_W ? 'W' : '-') + (flags & PF_X ? 'X' : '-');
}

interface Header {
  entry: bigint;
  phoff: number;
  phnum: number;
  shoff: number;
  shnum: number;
  shstrndx: number;
}

/** A PT_LOAD segment that survived validation, with the fields the loader needs exactly. */
interface LoadSegment extends LoadedSegment {
  index: number;
  vaddr: bigint;
  filesz: bigint;
}

interface CodeSymbol {
  name: string;
  value: bigint;
  /** First address not covered: the symbol's end if sized, else its segment's end. */
  limit: bigint;
}

export function parseElf(bytes: Uint8Array, regions: MemoryRegion[]): LoadedImage {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = readHeader(bytes, dv);
  const { programs, sections } = elfyView(bytes);
  const segments = readLoadSegments(dv, header, programs, regions);
  const entry = resolveEntry(header.entry, segments);
  checkSections(dv, header, sections);
  const { symbols, code } = readSymbols(dv, header, sections, segments);

  return {
    entry,
    segments: segments.map(({ paddr, vaddr, data, memsz, flags }) => ({ paddr, vaddr, data, memsz, flags })),
    symbols,
    symbolAt: (addr) => lookupCode(code, addr),
  };
}

function readHeader(bytes: Uint8Array, dv: DataView): Header {
  const size = bytes.length;
  if (size === 0) throw new ElfError('empty file; not an ELF image');
  for (let i = 0; i < Math.min(ELF_MAGIC.length, size); i++) {
    if (bytes[i] !== ELF_MAGIC[i]) throw new ElfError('not an ELF file (bad magic)');
  }
  // e_ident is checked before the full header so that, e.g., a small ELF32 file
  // is reported as 32-bit rather than as a truncated ELF64 header.
  if (size < 16) throw new ElfError(`ELF identification truncated: file is ${size} bytes, e_ident needs 16`);

  const cls = bytes[EHDR.class];
  if (cls === ELFCLASS32) throw new ElfError('ELF class is 32-bit; cca-emu loads ELF64 only');
  if (cls !== ELFCLASS64) throw new ElfError(`invalid ELF class ${cls}`);
  const data = bytes[EHDR.data];
  if (data === ELFDATA2MSB) throw new ElfError('ELF is big-endian; AArch64 little-endian required');
  if (data !== ELFDATA2LSB) throw new ElfError(`invalid ELF data encoding ${data}`);
  if (bytes[EHDR.identVersion] !== EV_CURRENT) {
    throw new ElfError(`unsupported ELF identification version ${bytes[EHDR.identVersion]}`);
  }
  if (size < EHDR_SIZE) {
    throw new ElfError(`ELF header truncated: file is ${size} bytes, an ELF64 header needs ${EHDR_SIZE}`);
  }

  const machine = dv.getUint16(EHDR.machine, true);
  if (machine !== EM_AARCH64) {
    const name = MACHINE_NAMES[machine];
    throw new ElfError(`ELF machine is ${name ? `${name} (${machine})` : machine}; expected AArch64 (${EM_AARCH64})`);
  }
  const type = dv.getUint16(EHDR.type, true);
  if (type !== ET_EXEC) {
    throw new ElfError(`ELF type is ${TYPE_NAMES[type] ?? type}; cca-emu loads ET_EXEC images only`);
  }
  const version = dv.getUint32(EHDR.version, true);
  if (version !== EV_CURRENT) throw new ElfError(`unsupported ELF version ${version}`);
  const ehsize = dv.getUint16(EHDR.ehsize, true);
  if (ehsize !== EHDR_SIZE) throw new ElfError(`e_ehsize is ${ehsize}; an ELF64 header is ${EHDR_SIZE} bytes`);

  return {
    entry: dv.getBigUint64(EHDR.entry, true),
    ...readProgramTable(dv, size),
    ...readSectionTable(dv, size),
  };
}

/** Bounds of a header table: it must sit after the ELF header and end inside the file. */
function checkTable(what: string, off: bigint, count: number, entsize: number, fileSize: number): number {
  if (off < EHDR_SIZE) throw new ElfError(`${what} at offset ${hex(off)} overlaps the ELF header`);
  const end = off + BigInt(count * entsize);
  if (end > BigInt(fileSize)) {
    throw new ElfError(
      `${what} truncated: [${hex(off)}, ${hex(end)}) runs past the end of the file (${fileSize} bytes)`,
    );
  }
  return Number(off);
}

function readProgramTable(dv: DataView, fileSize: number): Pick<Header, 'phoff' | 'phnum'> {
  const phnum = dv.getUint16(EHDR.phnum, true);
  if (phnum === 0) throw new ElfError('no PT_LOAD segment (the file has no program headers)');
  const phentsize = dv.getUint16(EHDR.phentsize, true);
  if (phentsize !== PHDR_SIZE) {
    throw new ElfError(`e_phentsize is ${phentsize}; ELF64 program headers are ${PHDR_SIZE} bytes`);
  }
  if (phnum === PN_XNUM) throw new ElfError('extended program header numbering (e_phnum = 0xffff) is not supported');
  if (phnum > MAX_PHNUM) throw new ElfError(`e_phnum ${phnum} is absurd (more than ${MAX_PHNUM} program headers)`);
  const phoff = dv.getBigUint64(EHDR.phoff, true);
  return { phoff: checkTable('program header table', phoff, phnum, PHDR_SIZE, fileSize), phnum };
}

function readSectionTable(dv: DataView, fileSize: number): Pick<Header, 'shoff' | 'shnum' | 'shstrndx'> {
  const shnum = dv.getUint16(EHDR.shnum, true);
  const shoff = dv.getBigUint64(EHDR.shoff, true);
  const shstrndx = dv.getUint16(EHDR.shstrndx, true);
  if (shnum === 0) {
    // Section headers are optional in an executable, but e_shnum == 0 with a
    // table present means the real count lives in section 0 (extended numbering).
    if (shoff !== 0n) throw new ElfError('extended section numbering (e_shnum = 0, e_shoff != 0) is not supported');
    if (shstrndx !== SHN_UNDEF) throw new ElfError(`e_shstrndx is ${shstrndx} but the file has no section headers`);
    return { shoff: 0, shnum: 0, shstrndx: 0 };
  }
  const shentsize = dv.getUint16(EHDR.shentsize, true);
  if (shentsize !== SHDR_SIZE) {
    throw new ElfError(`e_shentsize is ${shentsize}; ELF64 section headers are ${SHDR_SIZE} bytes`);
  }
  if (shstrndx === SHN_XINDEX) throw new ElfError('extended section numbering (e_shstrndx = 0xffff) is not supported');
  if (shstrndx >= shnum) throw new ElfError(`e_shstrndx ${shstrndx} is out of range (${shnum} section headers)`);
  return { shoff: checkTable('section header table', shoff, shnum, SHDR_SIZE, fileSize), shnum, shstrndx };
}

/**
 * Run elfy's parser steps on the already bounds-checked file. elfy.parse() is
 * not used because it dereferences the section-name table unconditionally and
 * so crashes on valid images that have no section headers (or e_shstrndx = 0).
 */
function elfyView(bytes: Uint8Array): { programs: ElfyProgram[]; sections: ElfySection[] } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const parser = new elfy.Parser();
    const header = parser.parseHeader(buf);
    return { programs: parser.parsePrograms(buf, header), sections: parser.parseSections(buf, header) };
  } catch (e) {
    throw new ElfError(`malformed ELF (elfy: ${e instanceof Error ? e.message : String(e)})`);
  }
}

function asBytes(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function readLoadSegments(
  dv: DataView,
  header: Header,
  programs: ElfyProgram[],
  regions: MemoryRegion[],
): LoadSegment[] {
  const fileSize = BigInt(dv.byteLength);
  const ramLimit = regions.reduce((max, r) => (r.kind === 'ram' && r.size > max ? r.size : max), 0n);
  const segments: LoadSegment[] = [];

  programs.forEach((program, index) => {
    if (program.type === 'interp') {
      throw new ElfError(`segment ${index} is PT_INTERP: the image is dynamically linked; link it with -static`);
    }
    if (program.type !== 'load') return;

    const at = header.phoff + index * PHDR_SIZE;
    const flags = dv.getUint32(at + PHDR.flags, true);
    const offset = dv.getBigUint64(at + PHDR.offset, true);
    const vaddr = dv.getBigUint64(at + PHDR.vaddr, true);
    const paddr = dv.getBigUint64(at + PHDR.paddr, true);
    const filesz = dv.getBigUint64(at + PHDR.filesz, true);
    const memsz = dv.getBigUint64(at + PHDR.memsz, true);

    if (filesz > memsz) {
      throw new ElfError(`p_filesz > p_memsz in segment ${index} (${hex(filesz)} > ${hex(memsz)})`);
    }
    if (memsz === 0n) return;
    if (filesz > 0n && offset + filesz > fileSize) {
      throw new ElfError(
        `segment ${index} file data ${range(offset, filesz)} lies beyond the end of the file (${fileSize} bytes)`,
      );
    }
    if (memsz > ramLimit) {
      throw new ElfError(`segment ${index} memsz ${hex(memsz)} is absurd (larger than RAM)`);
    }
    for (const [what, base] of [['physical', paddr], ['virtual', vaddr]] as const) {
      if (base + memsz > ADDRESS_LIMIT) {
        throw new ElfError(`segment ${index} ${what} range ${range(base, memsz)} wraps around the address space`);
      }
    }
    checkPlacement(index, paddr, memsz, regions);
    const data = asBytes(program.data);
    // Guards the elfy/raw split: the bytes loaded must be exactly the range validated above.
    if (BigInt(data.length) !== filesz) throw new ElfError(`segment ${index} file data does not match p_filesz`);
    segments.push({ index, vaddr, paddr, filesz, memsz, flags, data });
  });

  if (segments.length === 0) throw new ElfError('no PT_LOAD segment');
  checkOverlaps(segments);
  return segments;
}

/** A segment must avoid every device and fit inside a single RAM region. */
function checkPlacement(index: number, paddr: bigint, memsz: bigint, regions: MemoryRegion[]): void {
  const end = paddr + memsz;
  for (const r of regions) {
    if (r.kind === 'device' && paddr < r.base + r.size && r.base < end) {
      throw new ElfError(`segment ${index} ${range(paddr, memsz)} overlaps device region ${r.name} at ${hex(r.base)}`);
    }
  }
  const home = regions.find((r) => r.kind === 'ram' && r.base <= paddr && paddr < r.base + r.size);
  if (!home) throw new ElfError(`segment ${index} ${range(paddr, memsz)} is outside RAM`);
  if (end > home.base + home.size) {
    throw new ElfError(
      `segment ${index} ${range(paddr, memsz)} runs past the end of RAM region ${home.name} ${range(home.base, home.size)}`,
    );
  }
}

function checkOverlaps(segments: LoadSegment[]): void {
  // After sorting by start, any overlap shows up between neighbours.
  const sorted = [...segments].sort((a, b) => (a.paddr < b.paddr ? -1 : a.paddr > b.paddr ? 1 : a.index - b.index));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur.paddr < prev.paddr + prev.memsz) {
      const [a, b] = prev.index < cur.index ? [prev.index, cur.index] : [cur.index, prev.index];
      throw new ElfError(`segments ${a} and ${b} overlap at ${hex(cur.paddr)}`);
    }
  }
}

/**
 * e_entry is a virtual address. Bare-metal execution starts with the MMU off,
 * so translate it through the segment that holds it (as QEMU's ELF loader does
 * when p_vaddr != p_paddr). It must land in file-backed bytes of an executable
 * segment: BSS would execute zeros.
 */
function resolveEntry(entry: bigint, segments: LoadSegment[]): bigint {
  const holders = segments.filter((s) => s.vaddr <= entry && entry < s.vaddr + s.filesz);
  const exec = holders.find((s) => s.flags & PF_X);
  if (!exec) {
    if (holders.length > 0) {
      const s = holders[0];
      throw new ElfError(
        `entry point ${hex(entry)} lies in segment ${s.index}, which is not executable (flags ${flagString(s.flags)})`,
      );
    }
    throw new ElfError(`entry point ${hex(entry)} is not inside a loaded executable segment`);
  }
  if (entry % 4n !== 0n) throw new ElfError(`entry point ${hex(entry)} is not 4-byte aligned`);
  return entry - exec.vaddr + exec.paddr;
}

/**
 * Every section's file range and name must be in bounds even though only the
 * symbol table is used: a section table that lies is a sign of a hostile or
 * corrupted file, which is rejected rather than partially trusted.
 */
function checkSections(dv: DataView, header: Header, sections: ElfySection[]): void {
  const fileSize = BigInt(dv.byteLength);
  const shstrtab = header.shstrndx === SHN_UNDEF ? undefined : sections[header.shstrndx];
  if (shstrtab && shstrtab.type !== 'strtab') {
    throw new ElfError(`section ${header.shstrndx} (e_shstrndx) is not a string table`);
  }
  sections.forEach((section, index) => {
    if (section.type === 'null' || section.type === 'nobits') return;
    const at = header.shoff + index * SHDR_SIZE;
    const offset = dv.getBigUint64(at + SHDR.offset, true);
    const size = dv.getBigUint64(at + SHDR.size, true);
    if (offset + size > fileSize) {
      throw new ElfError(`section ${index} ${range(offset, size)} lies beyond the end of the file (${fileSize} bytes)`);
    }
  });
  // Name offsets are checked after all ranges, so shstrtab's own bytes are known good.
  if (shstrtab) {
    const names = asBytes(shstrtab.data);
    checkStringTable(header.shstrndx, names);
    sections.forEach((section, index) => {
      if (section.name !== 0 && section.name >= names.length) {
        throw new ElfError(
          `section ${index} name offset ${hex(section.name)} is outside the section name table (${names.length} bytes)`,
        );
      }
    });
  }
}

/** gABI: a non-empty string table starts and ends with NUL, so every in-bounds offset names a terminated string. */
function checkStringTable(index: number, table: Uint8Array): void {
  if (table.length > 0 && (table[0] !== 0 || table[table.length - 1] !== 0)) {
    throw new ElfError(`section ${index} is a malformed string table (must start and end with a NUL byte)`);
  }
}

const utf8 = new TextDecoder();

function readSymbols(
  dv: DataView,
  header: Header,
  sections: ElfySection[],
  segments: LoadSegment[],
): { symbols: Map<string, bigint>; code: CodeSymbol[] } {
  const symbols = new Map<string, bigint>();
  const tables = sections.flatMap((s, i) => (s.type === 'symtab' ? [i] : []));
  if (tables.length === 0) return { symbols, code: [] };
  if (tables.length > 1) throw new ElfError(`more than one SHT_SYMTAB section (${tables.join(', ')})`);

  const symtabIndex = tables[0];
  const at = header.shoff + symtabIndex * SHDR_SIZE;
  const entsize = dv.getBigUint64(at + SHDR.entsize, true);
  const data = asBytes(sections[symtabIndex].data);
  if (entsize !== BigInt(SYM_SIZE) || data.length % SYM_SIZE !== 0) {
    throw new ElfError(
      `symbol table (section ${symtabIndex}) has entry size ${entsize} and size ${data.length}; expected multiples of ${SYM_SIZE}`,
    );
  }
  const link = sections[symtabIndex].link;
  if (link === SHN_UNDEF || link >= sections.length || sections[link].type !== 'strtab') {
    throw new ElfError(`symbol table (section ${symtabIndex}) links to section ${link}, which is not a string table`);
  }
  const strtab = asBytes(sections[link].data);
  checkStringTable(link, strtab);

  const execSegments = segments.filter((s) => s.flags & PF_X);
  const candidates: (CodeSymbol & { rank: number })[] = [];
  const local = new Set<string>();
  const sym = new DataView(data.buffer, data.byteOffset, data.byteLength);

  // Entry 0 is the reserved null symbol.
  for (let k = 1; k < data.length / SYM_SIZE; k++) {
    const o = k * SYM_SIZE;
    const nameOff = sym.getUint32(o + SYM.name, true);
    const info = sym.getUint8(o + SYM.info);
    const shndx = sym.getUint16(o + SYM.shndx, true);
    if (nameOff !== 0 && nameOff >= strtab.length) {
      throw new ElfError(`symbol ${k} name offset ${hex(nameOff)} is outside the string table (${strtab.length} bytes)`);
    }
    if (shndx !== SHN_UNDEF && shndx < SHN_LORESERVE && shndx >= sections.length) {
      throw new ElfError(`symbol ${k} refers to section ${shndx}, but there are only ${sections.length}`);
    }

    const type = info & 0xf;
    const isLocal = info >> 4 === STB_LOCAL;
    if (nameOff === 0 || shndx === SHN_UNDEF) continue;
    if (type !== STT_FUNC && type !== STT_OBJECT && type !== STT_NOTYPE) continue;
    const name = utf8.decode(strtab.subarray(nameOff, strtab.indexOf(0, nameOff)));
    // "$x"/"$d" are AArch64 mapping symbols (code/data markers), not names.
    if (name.startsWith('$')) continue;

    const value = sym.getBigUint64(o + SYM.value, true);
    // A linked image can hold several file-local symbols of the same name; a
    // global definition is the one a user means by that name.
    if (!symbols.has(name) || (local.has(name) && !isLocal)) {
      symbols.set(name, value);
      if (isLocal) local.add(name);
      else local.delete(name);
    }

    if (type === STT_OBJECT) continue;
    // Untyped labels count as code only inside executable segments: that keeps
    // hand-written assembly entry points while excluding linker-script markers.
    const segment = execSegments.find((s) => s.vaddr <= value && value < s.vaddr + s.memsz);
    if (!segment) continue;
    const size = sym.getBigUint64(o + SYM.size, true);
    const segmentEnd = segment.vaddr + segment.memsz;
    const limit = size > 0n && value + size < segmentEnd ? value + size : segmentEnd;
    candidates.push({ name, value, limit, rank: (type === STT_FUNC ? 0 : 2) + (isLocal ? 1 : 0) });
  }

  // Where several labels share an address, report the most specific one.
  candidates.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : a.rank - b.rank));
  const code = candidates
    .filter((c, i) => i === 0 || candidates[i - 1].value !== c.value)
    .map(({ name, value, limit }) => ({ name, value, limit }));
  return { symbols, code };
}

function lookupCode(code: CodeSymbol[], addr: bigint): string | undefined {
  let lo = 0;
  let hi = code.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (code[mid].value <= addr) lo = mid + 1;
    else hi = mid;
  }
  const sym = code[lo - 1];
  if (!sym || addr >= sym.limit) return undefined;
  const off = addr - sym.value;
  return off === 0n ? sym.name : `${sym.name}+${hex(off)}`;
}
