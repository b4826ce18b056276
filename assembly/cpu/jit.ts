// The core's side of the block JIT (src/core/jit.ts compiles): a table of the code the run loop enters
// through the fetch fast path, keyed by the host address of its first instruction. An entry counts the
// times its code was entered; at `jit_threshold` the host compiles a block (the hot-group instructions
// from there, within one page, past conditional branches: see src/core/jit.ts) into a WebAssembly function
// of the shared function table, and the run loop calls it from then on. Blocks depend on their words only, not on the
// VA, the EL or the translation: the fetch fast path has checked those, and a block checks its words when
// entered, so modified code is executed afresh (the entry is dropped and counts again).
//
// A block: (pc, count, end) => count after it, with next_pc where execution continues, or u64.MAX_VALUE
// when its words changed (nothing executed). It runs only when all its instructions fit in the budget,
// and loops in place while its branch returns to its start and the budget allows.

/** Compiles the block at linear address `host`: (function table index << 8) | instructions, or 0 if none. */
@external("env", "jit_compile")
declare function jit_compile(host: u32): u32;

const JIT_ENTRIES_LOG2: u32 = 14;
// Per entry (16 bytes): host address, function table index (0: none yet), instructions, entries counted
const jit_table = new StaticArray<u32>(4 << JIT_ENTRIES_LOG2);

/** Entries after which code is compiled (0: never; the trace build never compiles). */
let jit_threshold: u32 = 32;

export function jit_set_threshold(n: u32): void {
  jit_threshold = n;
}

/** Forgets every compiled block (the host's compiled functions stay in the table, unused). */
export function jit_reset(): void {
  memory.fill(changetype<usize>(jit_table), 0, <usize>16 << JIT_ENTRIES_LOG2);
}

/**
 * The entry for code at linear address `host`, claimed for it if another held the slot: a block to call
 * when its function index (offset 4) is not 0, with its length at offset 8.
 */
// @ts-ignore: decorator
@inline export function jit_entry(host: u32): usize {
  const e = jit_slot(host);
  if (load<u32>(e) != host) {
    store<u32>(e, host);
    store<u64>(e, 0, 4);
    store<u32>(e, 0, 12);
  }
  if (load<u32>(e, 4) == 0) count_entry(e, host);
  return e;
}

/** The table slot of code at linear address `host` (direct-mapped by the word address). */
// @ts-ignore: decorator
@inline function jit_slot(host: u32): usize {
  return changetype<usize>(jit_table) + ((<usize>(host >>> 2) & ((1 << JIT_ENTRIES_LOG2) - 1)) << 4);
}

function count_entry(e: usize, host: u32): void {
  const n = load<u32>(e, 12) + 1;
  store<u32>(e, n, 12);
  if (n == jit_threshold) {
    const r = jit_compile(host);
    store<u32>(e, r >>> 8, 4);
    store<u32>(e, r & 0xff, 8);
  }
}

/** The block of entry `e` found its words changed: interpret its code and count again. */
export function jit_drop(e: usize): void {
  store<u64>(e, 0, 4);
  store<u32>(e, 0, 12);
}

/** The host compiled the block at `host`: (function table index << 8) | instructions, or 0 (not compilable). */
export function jit_install(host: u32, packed: u32): void {
  const e = jit_slot(host);
  if (load<u32>(e) != host) return; // the slot went to other code meanwhile: that block waits for its turn again
  store<u32>(e, packed >>> 8, 4);
  store<u32>(e, packed & 0xff, 8);
}

/** Whether compiled code starts at linear address `host` (counting the entry): never in the trace build. */
// @ts-ignore: decorator
@inline export function jit_ready(host: u32): bool {
  if (isDefined(TRACE)) return false;
  return load<u32>(jit_entry(host), 4) != 0;
}
