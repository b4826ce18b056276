// The layout of the core's linear memory. The host reads every offset from the exports of index.ts;
// no other file, in either language, writes an offset as a number.

// CPU state of the running PE
export const X_BASE: usize = 0x1000; // X0..X30 (u64 each); slot 31 always holds 0 so XZR reads are plain loads
export const PC_ADDR: usize = 0x1100;
export const SP_ADDR: usize = 0x1108; // the stack pointer PSTATE selects (EL, SPSel); the others live in sysregs
export const NZCV_ADDR: usize = 0x1110; // u32, flags in bits 31:28 as in the NZCV register
export const PSTATE_ADDR: usize = 0x1118; // u64 in SPSR_ELx layout, NZCV bits kept at 0 (they live above)
export const EXCLUSIVE_ADDR: usize = 0x1120; // u64 address of the local exclusive monitor's reservation
export const EXCLUSIVE_SIZE: usize = 0x1128; // u32 bytes reserved; 0 = open access state
export const SP_BANK: usize = 0x1130; // SP_EL0..SP_EL3 (u64 each) while not selected
export const V_BASE: usize = 0x1200; // V0..V31, 16 bytes each (FP/AdvSIMD)
// [X_BASE, PE_STATE_END) and the sysregs are one PE's state: the host swaps them between PEs
export const PE_STATE_END: usize = V_BASE + 32 * 16;

// Why run() returned, and its details
export const EXIT_REASON: usize = 0x1400; // u32, an Exit value
export const EXIT_EL: usize = 0x1404; // u32, the EL an exception to the host was taken to
export const EXIT_SECURITY: usize = 0x1408; // u32, its security state
export const EXIT_ARG: usize = 0x1410; // u64, reason-specific (e.g. the HLT immediate)

// Counters the host reads (all u64)
export const COUNTER_BASE: usize = 0x1500;
export const ICOUNT: usize = COUNTER_BASE + 0x00; // instructions retired: also the source of virtual time
export const TLB_MISSES: usize = COUNTER_BASE + 0x08;
export const TLB_FLUSHES: usize = COUNTER_BASE + 0x10;
export const EXCEPTIONS_TAKEN: usize = COUNTER_BASE + 0x18;
export const GPC_CHECKS: usize = COUNTER_BASE + 0x20; // checks made with GPCCR_EL3.GPC = 1, but for GPC_VERDICTS_REUSED and GPC_FAST_PASSES
export const GPT_WALKS: usize = COUNTER_BASE + 0x28; // of those, the ones that read the GPT (GPC_FAST_PASSES too)
export const GPC_FAULTS: usize = COUNTER_BASE + 0x30; // 4 counters: GPF, walk, address size, external abort
export const TLBI_PA_OPS: usize = COUNTER_BASE + 0x50; // invalidations by PA range (TLBI RPA*, the host's)
export const TLBI_PA_REMOVED: usize = COUNTER_BASE + 0x58; // TLB entries they removed
export const GPC_VERDICTS_REUSED: usize = COUNTER_BASE + 0x60; // GPC checks of TLB fills answered by the verdict cache
export const GPC_FAST_PASSES: usize = COUNTER_BASE + 0x68; // GPC checks the fast walk passed: each a check and a GPT walk

// Configuration the host writes before run()
export const CONFIG_BASE: usize = 0x1600;
export const HOST_OWNED_ELS: usize = CONFIG_BASE + 0x00; // u32, bit (security*4 + el): exceptions there exit to the host
export const SEMIHOSTING: usize = CONFIG_BASE + 0x04; // u32, 1 = HLT #0xF000 is a semihosting call
export const CNTFRQ_VALUE: usize = CONFIG_BASE + 0x08; // u64, the board's counter frequency
export const RME_FEATURES: usize = CONFIG_BASE + 0x10; // u32, RME_FEAT_* bits of assembly/mmu/gpc.ts
export const GPC_EVERY_ACCESS: usize = CONFIG_BASE + 0x14; // u32, 1 = the GPC checks every access, not the TLB fill (bench gpc)
// u64, ticks the host added to the counter while PEs waited (WFI fast-forward): count = instructions + this
export const TIME_SKIPPED: usize = CONFIG_BASE + 0x40;

export const SYSREG_BASE: usize = 0x2000; // 8 bytes per register, index from sysregs.gen.ts

// Physical memory regions: base, size, host offset (u64 each), kind and device id (u32 each)
export const REGION_BASE: usize = 0x3000;
export const REGION_SIZE: usize = 32;
export const REGION_MAX: i32 = 16;
export const REGION_KIND_NONE: u32 = 0;
export const REGION_KIND_RAM: u32 = 1;
export const REGION_KIND_DEVICE: u32 = 2;

// Software TLB: TLB_REGIMES x 3 access kinds x TLB_ENTRIES entries of 32 bytes
export const TLB_BASE: usize = 0x10000;
export const TLB_ENTRIES_LOG2: u32 = 10;
export const TLB_ENTRIES: u32 = 1 << TLB_ENTRIES_LOG2;
export const TLB_ENTRY_SIZE: usize = 32;
export const TLB_KINDS: u32 = 3;
export const TLB_REGIMES: u32 = 4;
export const TLB_END: usize = TLB_BASE + <usize>(TLB_REGIMES * TLB_KINDS * TLB_ENTRIES) * TLB_ENTRY_SIZE;

// Decoded-instruction cache, direct-mapped by PC: per entry the instruction word (u32), its table row (i32)
// and 8 bytes of operands with the fields extracted (predecode in decode.gen.ts)
export const DECODE_CACHE: usize = TLB_END;
export const DECODE_CACHE_ENTRIES_LOG2: u32 = 11;
export const DECODE_CACHE_ENTRY_SIZE: usize = 16;
export const DECODE_CACHE_END: usize = DECODE_CACHE + (<usize>1 << DECODE_CACHE_ENTRIES_LOG2) * DECODE_CACHE_ENTRY_SIZE;

// Guest RAM starts here in linear memory (the host chooses the size with init())
export const RAM_HOST_BASE: usize = 0x100_0000;

// Trace ring (the trace build only, assembly/debug/trace.ts): a control block, then records the host
// drains after every run(). Above the core's static data and heap, below guest RAM.
export const TRACE_BASE: usize = 0xc0_0000;
export const TRACE_HEAD: usize = TRACE_BASE + 0x00; // u32, bytes of records written since the host drained
export const TRACE_LOST: usize = TRACE_BASE + 0x04; // u32, records dropped because the ring was full (a bug if not 0)
export const TRACE_LIMIT: usize = TRACE_BASE + 0x08; // u32, the host's drain point in bytes (0: the whole ring)
export const TRACE_RING: usize = TRACE_BASE + 0x40;
export const TRACE_RING_SIZE: u32 = <u32>(RAM_HOST_BASE - TRACE_RING);
