// Minimal ELF64 AArch64 ET_EXEC writer.
//
// Used by tests to craft loader inputs (including deliberately bad ones, so it
// validates nothing: filesz > memsz, overlaps and wild addresses are written
// as given) and by the differential-test harness to build static Linux
// user-mode programs. For the latter the output follows what the kernel and
// qemu-aarch64 require of a static executable: OSABI SYSV and, for every
// segment, p_offset congruent to p_vaddr modulo the 4 KiB page size so the file
// can be mmapped. Segments sharing a 4 KiB page of address space would clobber
// each other when mmapped; keeping them apart is the caller's job.

import {
  EHDR,
  EHDR_SIZE,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFOSABI_SYSV,
  ELF_MAGIC,
  EM_AARCH64,
  ET_EXEC,
  EV_CURRENT,
  PF_W,
  PF_X,
  PHDR,
  PHDR_SIZE,
  PT_LOAD,
  SHDR,
  SHDR_SIZE,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_ABS,
  SHT_NOBITS,
  SHT_PROGBITS,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STT_FUNC,
  STT_OBJECT,
  SYM,
  SYM_SIZE,
} from './format.js';

export interface ElfSegmentSpec {
  vaddr: bigint;
  /** Defaults to vaddr. */
  paddr?: bigint;
  /** File bytes (p_filesz = data.length). */
  data: Uint8Array;
  /** Defaults to data.length; anything beyond it is BSS. */
  memsz?: bigint;
  /** PF_R | PF_W | PF_X. */
  flags: number;
}

export interface ElfSymbolSpec {
  name: string;
  value: bigint;
  size?: bigint;
  type: 'func' | 'object';
}

export interface ElfSpec {
  entry: bigint;
  segments: ElfSegmentSpec[];
  /** When present, .symtab/.strtab/.shstrtab and one section per segment are emitted. */
  symbols?: ElfSymbolSpec[];
}

const PAGE = 0x1000;

interface Section {
  name: string;
  type: number;
  flags: number;
  addr: bigint;
  offset: number;
  size: bigint;
  link: number;
  info: number;
  align: number;
  entsize: number;
  /** Bytes to place at offset; absent for segment sections, whose bytes the segment supplies. */
  data?: Uint8Array;
}

const align = (n: number, to: number): number => Math.ceil(n / to) * to;
const memsz = (seg: ElfSegmentSpec): bigint => seg.memsz ?? BigInt(seg.data.length);

/** A NUL-separated string table; offset 0 is the empty string. */
class StringTable {
  private bytes: number[] = [0];
  private offsets = new Map<string, number>([['', 0]]);

  /** Offset of s, appending it on first use. */
  add(s: string): number {
    let off = this.offsets.get(s);
    if (off === undefined) {
      off = this.bytes.length;
      this.bytes.push(...new TextEncoder().encode(s), 0);
      this.offsets.set(s, off);
    }
    return off;
  }

  get data(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export function writeElf(spec: ElfSpec): Uint8Array {
  const { segments } = spec;

  let end = EHDR_SIZE + segments.length * PHDR_SIZE;
  const offsets = segments.map((seg) => {
    const want = Number(BigInt.asUintN(64, seg.vaddr) % BigInt(PAGE));
    const off = end + ((want - (end % PAGE) + PAGE) % PAGE);
    end = off + seg.data.length;
    return off;
  });

  const tables = spec.symbols ? symbolSections(segments, offsets, spec.symbols, end) : undefined;
  const shoff = tables ? align(tables.end, 8) : 0;
  // Index 0 of the section header table is the reserved null section.
  const shnum = tables ? tables.sections.length + 1 : 0;
  const out = new Uint8Array(tables ? shoff + shnum * SHDR_SIZE : end);
  const dv = new DataView(out.buffer);

  out.set(ELF_MAGIC, 0);
  out[EHDR.class] = ELFCLASS64;
  out[EHDR.data] = ELFDATA2LSB;
  out[EHDR.identVersion] = EV_CURRENT;
  out[EHDR.osabi] = ELFOSABI_SYSV;
  dv.setUint16(EHDR.type, ET_EXEC, true);
  dv.setUint16(EHDR.machine, EM_AARCH64, true);
  dv.setUint32(EHDR.version, EV_CURRENT, true);
  dv.setBigUint64(EHDR.entry, spec.entry, true);
  dv.setBigUint64(EHDR.phoff, segments.length > 0 ? BigInt(EHDR_SIZE) : 0n, true);
  dv.setBigUint64(EHDR.shoff, BigInt(shoff), true);
  dv.setUint16(EHDR.ehsize, EHDR_SIZE, true);
  dv.setUint16(EHDR.phentsize, PHDR_SIZE, true);
  dv.setUint16(EHDR.phnum, segments.length, true);
  dv.setUint16(EHDR.shentsize, SHDR_SIZE, true);
  dv.setUint16(EHDR.shnum, shnum, true);
  dv.setUint16(EHDR.shstrndx, tables ? shnum - 1 : 0, true);

  segments.forEach((seg, i) => {
    const at = EHDR_SIZE + i * PHDR_SIZE;
    dv.setUint32(at + PHDR.type, PT_LOAD, true);
    dv.setUint32(at + PHDR.flags, seg.flags, true);
    dv.setBigUint64(at + PHDR.offset, BigInt(offsets[i]), true);
    dv.setBigUint64(at + PHDR.vaddr, seg.vaddr, true);
    dv.setBigUint64(at + PHDR.paddr, seg.paddr ?? seg.vaddr, true);
    dv.setBigUint64(at + PHDR.filesz, BigInt(seg.data.length), true);
    dv.setBigUint64(at + PHDR.memsz, memsz(seg), true);
    dv.setBigUint64(at + PHDR.align, BigInt(PAGE), true);
    out.set(seg.data, offsets[i]);
  });

  tables?.sections.forEach((s, i) => {
    const at = shoff + (i + 1) * SHDR_SIZE;
    if (s.data) out.set(s.data, s.offset);
    dv.setUint32(at + SHDR.name, tables.names.add(s.name), true);
    dv.setUint32(at + SHDR.type, s.type, true);
    dv.setBigUint64(at + SHDR.flags, BigInt(s.flags), true);
    dv.setBigUint64(at + SHDR.addr, s.addr, true);
    dv.setBigUint64(at + SHDR.offset, BigInt(s.offset), true);
    dv.setBigUint64(at + SHDR.size, s.size, true);
    dv.setUint32(at + SHDR.link, s.link, true);
    dv.setUint32(at + SHDR.info, s.info, true);
    dv.setBigUint64(at + SHDR.addralign, BigInt(s.align), true);
    dv.setBigUint64(at + SHDR.entsize, BigInt(s.entsize), true);
  });
  return out;
}

/**
 * Sections for an image with symbols: one per segment (so symbols get a real
 * st_shndx and objdump/gdb treat the image like linker output), then .symtab,
 * .strtab and, last, .shstrtab. `names` already holds every section name.
 */
function symbolSections(
  segments: ElfSegmentSpec[],
  offsets: number[],
  symbols: ElfSymbolSpec[],
  start: number,
): { sections: Section[]; names: StringTable; end: number } {
  const sections: Section[] = segments.map((seg, i) => {
    const bss = seg.data.length === 0;
    return {
      name: seg.flags & PF_X ? '.text' : seg.flags & PF_W ? (bss ? '.bss' : '.data') : '.rodata',
      type: bss ? SHT_NOBITS : SHT_PROGBITS,
      flags: SHF_ALLOC | (seg.flags & PF_X ? SHF_EXECINSTR : 0) | (seg.flags & PF_W ? SHF_WRITE : 0),
      addr: seg.vaddr,
      offset: offsets[i],
      size: bss ? memsz(seg) : BigInt(seg.data.length),
      link: 0,
      info: 0,
      align: 1,
      entsize: 0,
    };
  });

  const strtab = new StringTable();
  const symtab = new Uint8Array((symbols.length + 1) * SYM_SIZE);
  const sv = new DataView(symtab.buffer);
  symbols.forEach((sym, i) => {
    const o = (i + 1) * SYM_SIZE;
    const home = segments.findIndex((seg) => seg.vaddr <= sym.value && sym.value < seg.vaddr + memsz(seg));
    sv.setUint32(o + SYM.name, strtab.add(sym.name), true);
    sv.setUint8(o + SYM.info, (STB_GLOBAL << 4) | (sym.type === 'func' ? STT_FUNC : STT_OBJECT));
    sv.setUint16(o + SYM.shndx, home < 0 ? SHN_ABS : home + 1, true);
    sv.setBigUint64(o + SYM.value, sym.value, true);
    sv.setBigUint64(o + SYM.size, sym.size ?? 0n, true);
  });

  let end = align(start, 8);
  const place = (name: string, type: number, data: Uint8Array, extra: Partial<Section> = {}): void => {
    sections.push({ name, type, flags: 0, addr: 0n, offset: end, size: BigInt(data.length), link: 0, info: 0, align: 1, entsize: 0, data, ...extra });
    end += data.length;
  };
  const strtabIndex = sections.length + 2; // after the null section and .symtab
  // sh_info of a symbol table is one past the last local symbol; only the null symbol is local.
  place('.symtab', SHT_SYMTAB, symtab, { link: strtabIndex, info: 1, align: 8, entsize: SYM_SIZE });
  place('.strtab', SHT_STRTAB, strtab.data);
  const names = new StringTable();
  for (const name of [...sections.map((s) => s.name), '.shstrtab']) names.add(name);
  place('.shstrtab', SHT_STRTAB, names.data);
  return { sections, names, end };
}
