/// <reference path="./capstone-wasm.d.ts" />
// Disassembly with capstone-wasm (Capstone 5 compiled to WebAssembly). Capstone is slow to call
// (~10-20 us) next to the core, so the tracer keeps the text of every (PC, word) it has seen.
import { loadCapstone, Capstone, Const } from 'capstone-wasm';

let loaded: Promise<void> | undefined;

export class Disassembler {
  private readonly cs: Capstone;
  private readonly scratch = new Uint8Array(4);
  private readonly scratchWord = new DataView(this.scratch.buffer);

  private constructor() {
    this.cs = new Capstone(Const.CS_ARCH_ARM64, Const.CS_MODE_ARM);
  }

  static async create(): Promise<Disassembler> {
    loaded ??= loadCapstone();
    await loaded;
    return new Disassembler();
  }

  /** The text of one A64 word at `address` ("mnemonic operands"), or undefined when Capstone rejects it. */
  word(word: number, address: bigint): string | undefined {
    this.scratchWord.setUint32(0, word >>> 0, true);
    let insns;
    try {
      insns = this.cs.disasm(this.scratch, { address, count: 1 });
    } catch {
      return undefined; // capstone-wasm throws when nothing decodes
    }
    if (insns.length === 0) return undefined;
    const i = insns[0];
    return i.opStr ? `${i.mnemonic} ${i.opStr}` : i.mnemonic;
  }
}
