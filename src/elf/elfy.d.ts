// Types for the parts of elfy 1.0.0 (CommonJS, untyped) that the loader uses.
// Numeric 64-bit fields are deliberately left out: elfy decodes them into
// doubles (inexact above 2^53) and reads sh_addralign/sh_entsize at the wrong
// offsets, so the loader reads those from the raw bytes.
declare module 'elfy' {
  /** elfy's decoded ELF header; only passed back into the Parser steps. */
  export interface ElfyHeader {
    class: string;
    endian: string;
  }

  export interface ElfyProgram {
    /** 'load', 'interp', ...; undefined for p_type values elfy does not know. */
    type: string | undefined;
    /** buf.slice(p_offset, p_offset + p_filesz), clamped to the buffer. */
    data: Buffer;
  }

  export interface ElfySection {
    /** sh_name: an offset into the section-name table (the Parser steps do not resolve it). */
    name: number;
    /** 'null', 'symtab', 'strtab', 'nobits', ...; the raw sh_type for types elfy does not know. */
    type: string | number;
    link: number;
    /** buf.slice(sh_offset, sh_offset + sh_size), clamped to the buffer. */
    data: Buffer;
  }

  export class Parser {
    parseHeader(buf: Buffer): ElfyHeader;
    parsePrograms(buf: Buffer, header: ElfyHeader): ElfyProgram[];
    parseSections(buf: Buffer, header: ElfyHeader): ElfySection[];
  }

  const elfy: { Parser: typeof Parser };
  export default elfy;
}
