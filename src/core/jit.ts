// The block JIT's compiler: turns a straight line of A64 instructions into a WebAssembly function that calls
// the core's handlers with each instruction's fields as constants, so the run loop's decode, dispatch and
// operand loads disappear for hot code (assembly/cpu/jit.ts decides what is hot and calls the blocks).
//
// A block starts where the run loop entered the fetch fast path and takes instructions of the hot groups
// (JIT_ROWS), within the page and at most MAX_BLOCK of them: a conditional branch is a side exit, an
// unconditional one is followed, any other branch ends the block. The commonest rows are compiled inline
// (jit-inline.ts); around the call of any other row's handler the block does what execute_sequence
// (decode.gen.ts) does around that row, so the two execute identically: the PC for the rows that read it;
// the PC, the instruction count and next_pc before a row that may fault, and a look at `attention` after
// it. A block loops in place when a branch goes back to its start and the budget holds another pass.
import { JIT_ROWS, type JitRow } from './jit-rows.gen.js';
import {
  Code, Op, VOID, LOCALS, L_PC, L_COUNT, L_END, G_PC_NOW, G_NEXT_PC, G_ICOUNT, G_ATTENTION, emitInline, sideExit, rowFields,
  type JitLayout,
} from './jit-inline.js';

/** The core's exports a compiled block uses. */
export interface JitCoreExports {
  memory: WebAssembly.Memory;
  table: WebAssembly.Table;
  pc_now: WebAssembly.Global;
  next_pc: WebAssembly.Global;
  icount: WebAssembly.Global;
  attention: WebAssembly.Global;
  tlb_read: WebAssembly.Global;
  tlb_write: WebAssembly.Global;
  decode_index(w: number): number;
  jit_install(host: number, packed: number): void;
  [name: string]: unknown;
}

/** Instructions in a block at most (the length must fit the core's 8-bit field). */
export const MAX_BLOCK = 64;
const PAGE = 0x1000;
/** The branches a block may go on after (conditional: a side exit; the run loop's blocks end at the others). */
const CONDITIONAL = new Set(['B_cond', 'CBZ', 'CBNZ', 'TBZ', 'TBNZ']);

/** One block: the linear address of its first word, and its instructions. */
export interface Block {
  host: number;
  /** In execution order; `offset`: bytes from the first instruction (an unconditional branch followed moves on). */
  insns: { word: number; row: JitRow; offset: number }[];
}

/**
 * Compiles blocks for one core instance. The core asks for a block when its code becomes hot (jit_compile);
 * compiling a WebAssembly module costs about half a millisecond however small it is, so requests wait and
 * are compiled together into one module (flush) when enough have gathered or the oldest has waited long
 * enough, then installed (jit_install). `eager` compiles each request at once (tests).
 */
export class BlockCompiler {
  private readonly imports: WebAssembly.Imports;
  private pending: number[] = [];
  /** Every block compiled, by its first word's linear address. */
  private readonly compiled = new Map<number, { block: Block; packed: number }>();
  private pendingSince = 0n;
  /** Blocks compiled, the instructions in them, modules made and the time spent (for --stats). */
  blocks = 0;
  instructions = 0;
  modules = 0;
  milliseconds = 0;

  constructor(
    private readonly ex: JitCoreExports,
    private readonly layout: JitLayout,
    private readonly options: { eager?: boolean; inline?: boolean } = {},
  ) {
    const handlers: Record<string, WebAssembly.ImportValue> = {};
    for (const row of JIT_ROWS.values()) handlers[row.handler] = ex[row.handler] as WebAssembly.ImportValue;
    this.imports = {
      c: {
        memory: ex.memory, pc_now: ex.pc_now, next_pc: ex.next_pc, icount: ex.icount, attention: ex.attention,
        tlb_read: ex.tlb_read, tlb_write: ex.tlb_write,
      },
      h: handlers,
    };
  }

  /** The core's jit_compile: (table index << 8) | length when compiled at once, else 0 (installed later). */
  request(host: number): number {
    if (this.options.eager) {
      const block = this.decode(host);
      return block ? this.install([block])[0] : 0;
    }
    if (this.pending.length === 0) this.pendingSince = this.ex.icount.value as bigint;
    this.pending.push(host);
    return 0;
  }

  /** After a run: compiles the waiting requests when there are enough of them or they have waited long. */
  maybeFlush(): void {
    const n = this.pending.length;
    if (n === 0) return;
    if (n >= FLUSH_REQUESTS || (this.ex.icount.value as bigint) - this.pendingSince >= FLUSH_WAIT) this.flush();
  }

  /**
   * Compiles every waiting request into one module and installs the blocks in the core. Code compiled before
   * and unchanged (its entry lost its slot to other code, and came back) gets its function again.
   */
  flush(): void {
    const fresh: Block[] = [];
    for (const host of new Set(this.pending)) {
      const block = this.decode(host);
      if (!block) continue;
      const known = this.compiled.get(host);
      if (known && sameWords(known.block, block)) this.ex.jit_install(host, known.packed);
      else fresh.push(block);
    }
    this.pending = [];
    if (fresh.length === 0) return;
    const packed = this.install(fresh);
    fresh.forEach((b, i) => {
      this.compiled.set(b.host, { block: b, packed: packed[i] });
      this.ex.jit_install(b.host, packed[i]);
    });
  }

  /** The block at linear address `host`, as its words decode now; undefined when its first is not compilable. */
  private decode(host: number): Block | undefined {
    const page = host & ~(PAGE - 1);
    const memory = new Uint32Array(this.ex.memory.buffer, page, PAGE >>> 2);
    const insns: Block['insns'] = [];
    const seen = new Set<number>();
    let offset = 0;
    while (insns.length < MAX_BLOCK) {
      const at = (host & (PAGE - 1)) + offset;
      if (at < 0 || at >= PAGE || seen.has(at)) break; // out of the page, or around a loop: the block ends
      seen.add(at);
      const word = memory[at >>> 2];
      const row = JIT_ROWS.get(this.ex.decode_index(word));
      if (!row) break;
      insns.push({ word, row, offset });
      if (row.kind !== 'branch') { offset += 4; continue; }
      // A conditional branch is a side exit: the block goes on with the instruction after it. An
      // unconditional one is followed to its target; any other branch ends the block.
      const name = row.handler.slice('jit_'.length);
      if (CONDITIONAL.has(name)) offset += 4;
      else if (name === 'B') offset += ((word << 6) >> 6) * 4; // imm26, sign-extended
      else break;
    }
    // The last instruction is what the block ends with (a side exit there is just a branch)
    return insns.length ? { host, insns } : undefined;
  }

  /** Compiles `blocks` into one module, adds its functions to the core's table; each block's (index << 8) | length. */
  private install(blocks: Block[]): number[] {
    const t0 = performance.now();
    const bytes = blocksModule(blocks, this.layout, this.options.inline ?? true);
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), this.imports).exports;
    const first = this.ex.table.grow(blocks.length);
    const packed = blocks.map((b, i) => {
      this.ex.table.set(first + i, exports[`b${i}`] as WebAssembly.ExportValue);
      this.instructions += b.insns.length;
      return (first + i) * 256 + b.insns.length;
    });
    this.blocks += blocks.length;
    this.modules++;
    this.milliseconds += performance.now() - t0;
    return packed;
  }
}

function sameWords(a: Block, b: Block): boolean {
  return a.insns.length === b.insns.length && a.insns.every((x, i) => x.word === b.insns[i].word && x.offset === b.insns[i].offset);
}

/**
 * Requests that make a module at once, and instructions after which a smaller batch is compiled anyway: a
 * module costs about a millisecond beyond its code, and hot code waits in the interpreter meanwhile.
 */
const FLUSH_REQUESTS = 16;
const FLUSH_WAIT = 200_000n;

// ---- the WebAssembly binary of a batch of blocks ----

const I32 = 0x7f;
const I64 = 0x7e;

/** Appends section `id` with its contents. */
function section(out: Code, id: number, body: Code): void {
  out.op(id);
  out.uleb(body.length);
  out.raw(body.bytes);
}

/** The module of `blocks`: imports the core's memory, globals and the handlers they call; exports b0, b1... */
export function blocksModule(blocks: readonly Block[], layout: JitLayout, inline = true): Uint8Array<ArrayBuffer> {
  const handlers = new Map<string, { index: number; arity: number }>(); // imported functions come first
  const bodies = blocks.map((b) => blockCode(b, layout, inline, (row) => {
    let h = handlers.get(row.handler);
    if (!h) handlers.set(row.handler, (h = { index: handlers.size, arity: row.fields.length }));
    return h.index;
  }));
  // Function types: 0 is the blocks', then one per handler arity (all parameters i32, no result)
  const arities = [...new Set([...handlers.values()].map((h) => h.arity))];
  const types = new Code();
  types.uleb(1 + arities.length);
  types.raw([0x60, 3, I64, I64, I64, 1, I64]);
  for (const n of arities) types.raw([0x60, n, ...new Array<number>(n).fill(I32), 0]);

  const imports = new Code();
  imports.uleb(7 + handlers.size);
  const imp = (mod: string, field: string, desc: number[]) => {
    imports.name(mod);
    imports.name(field);
    imports.raw(desc);
  };
  imp('c', 'memory', [0x02, 0x00, 0x00]); // limits: at least 0 pages, no maximum
  // In the order of G_PC_NOW... (jit-inline.ts)
  imp('c', 'pc_now', [0x03, I64, 1]);
  imp('c', 'next_pc', [0x03, I64, 1]);
  imp('c', 'icount', [0x03, I64, 1]);
  imp('c', 'attention', [0x03, I32, 1]);
  imp('c', 'tlb_read', [0x03, I32, 1]);
  imp('c', 'tlb_write', [0x03, I32, 1]);
  for (const [h, { arity }] of handlers) imp('h', h, [0x00, 1 + arities.indexOf(arity)]);

  const functions = new Code();
  functions.uleb(blocks.length);
  for (let i = 0; i < blocks.length; i++) functions.op(0); // every block has type 0
  const exports = new Code();
  exports.uleb(blocks.length);
  blocks.forEach((_, i) => {
    exports.name(`b${i}`);
    exports.op(0x00); // a function
    exports.uleb(handlers.size + i);
  });
  const code = new Code();
  code.uleb(bodies.length);
  for (const body of bodies) {
    code.uleb(body.length);
    code.raw(body);
  }

  const out = new Code();
  out.raw([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  section(out, 1, types);
  section(out, 2, imports);
  section(out, 3, functions);
  section(out, 7, exports);
  section(out, 10, code);
  return out.bytes;
}

/** The body of one block's function (see the file comment); `handler` gives a row's function index. */
function blockCode(block: Block, layout: JitLayout, inline: boolean, handler: (row: JitRow) => number): Uint8Array {
  const c = new Code();
  c.uleb(LOCALS.length);
  for (const [n, type] of LOCALS) c.op(n, type);

  // The words the block was compiled from must still be there (modified code: the core drops the block)
  block.insns.forEach((b) => {
    c.i32(block.host + b.offset);
    c.op(Op.i32_load, 2, 0);
    c.i32(b.word);
    c.op(Op.i32_ne, Op.if, VOID);
    c.i64(-1);
    c.op(Op.return, Op.end);
  });
  const n = block.insns.length;
  c.op(Op.loop, VOID);
  block.insns.forEach((b, i) => {
    const kind = b.row.kind;
    const at = b.offset;
    // The row's handler, with what execute_sequence does around it
    const call = () => {
      if (kind !== 'plain') { c.plus(L_PC, at); c.op(Op.global_set, G_PC_NOW); }
      if (kind === 'memory' || kind === 'branch') {
        c.plus(L_COUNT, i + 1);
        c.op(Op.global_set, G_ICOUNT); // timers and the exception-loop check read it while the instruction executes
        c.plus(L_PC, at + 4);
        c.op(Op.global_set, G_NEXT_PC); // an exception replaces it with its vector, a taken branch with its target
      }
      for (const f of rowFields(b.word, b.row)) c.i32(f);
      c.op(Op.call);
      c.uleb(handler(b.row));
      if (kind === 'memory') {
        c.op(Op.global_get, G_ATTENTION, Op.if, VOID);
        c.plus(L_COUNT, i + 1);
        c.op(Op.return, Op.end);
      }
    };
    const site = { code: c, layout, word: b.word, row: b.row, offset: at, call };
    if (i < n - 1 && kind === 'branch') {
      // Inside the block: an unconditional branch was followed; a conditional one exits when taken
      const exit = sideExit(site);
      if (exit) {
        exit.taken();
        c.op(Op.if, VOID);
        c.plus(L_PC, at + exit.offset);
        c.op(Op.global_set, G_NEXT_PC);
        c.plus(L_COUNT, i + 1);
        c.set(L_COUNT);
        if (at + exit.offset === 0) {
          // Back to the block's start: again, when another pass fits
          c.plus(L_COUNT, n);
          c.op(Op.local_get, L_END, Op.i64_le_u, Op.br_if, 1);
        }
        c.get(L_COUNT);
        c.op(Op.return, Op.end);
      }
      return;
    }
    if (!inline || !emitInline(site)) call();
  });
  const last = block.insns[n - 1];
  c.plus(L_COUNT, n);
  c.set(L_COUNT);
  if (last.row.kind === 'branch') {
    // Again when the branch went back to the start, nothing needs the run loop and another pass fits
    c.op(Op.global_get, G_ATTENTION, Op.i32_eqz);
    c.op(Op.global_get, G_NEXT_PC, Op.local_get, L_PC, Op.i64_eq);
    c.op(Op.i32_and);
    c.plus(L_COUNT, n);
    c.op(Op.local_get, L_END, Op.i64_le_u, Op.i32_and);
    c.op(Op.br_if, 0);
  } else {
    c.plus(L_PC, last.offset + 4);
    c.op(Op.global_set, G_NEXT_PC);
  }
  c.op(Op.end); // loop
  c.get(L_COUNT);
  c.op(Op.end); // function
  return c.bytes;
}
