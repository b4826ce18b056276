// Physical memory: a small region table of RAM (backed by linear memory) and devices (served by the host
// through synchronous imports, so an instruction's device access completes within the instruction).
import { REGION_BASE, REGION_SIZE, REGION_MAX, REGION_KIND_RAM, REGION_KIND_DEVICE } from "../state/layout";

// @ts-ignore: decorator
@external("env", "mmio_read")
declare function host_mmio_read(device: u32, offset: u64, size: u32): u64;
// @ts-ignore: decorator
@external("env", "mmio_write")
declare function host_mmio_write(device: u32, offset: u64, size: u32, value: u64): void;

// @ts-ignore: decorator
@inline function region_addr(i: i32): usize { return REGION_BASE + <usize>i * REGION_SIZE; }

/** The region holding physical address pa, or -1 (nothing there: an external abort). */
export function phys_region(pa: u64): i32 {
  for (let i = 0; i < REGION_MAX; i++) {
    const r = region_addr(i);
    const kind = load<u32>(r, 24);
    if (kind == 0) return -1;
    if (pa - load<u64>(r) < load<u64>(r, 8)) return i;
  }
  return -1;
}

// @ts-ignore: decorator
@inline export function region_kind(i: i32): u32 { return load<u32>(region_addr(i), 24); }
// @ts-ignore: decorator
@inline export function region_base(i: i32): u64 { return load<u64>(region_addr(i)); }
// @ts-ignore: decorator
@inline export function region_size(i: i32): u64 { return load<u64>(region_addr(i), 8); }

/** Linear-memory address of pa in RAM region i. */
// @ts-ignore: decorator
@inline export function ram_host(i: i32, pa: u64): usize {
  return <usize>(load<u64>(region_addr(i), 16) + (pa - load<u64>(region_addr(i))));
}

export function device_read(i: i32, pa: u64, size: u32): u64 {
  return host_mmio_read(load<u32>(region_addr(i), 28), pa - region_base(i), size);
}
export function device_write(i: i32, pa: u64, size: u32, v: u64): void {
  host_mmio_write(load<u32>(region_addr(i), 28), pa - region_base(i), size, v);
}

/** Whether [pa, pa+size) lies wholly in one RAM region: the firmware's and walker's precondition. */
export function phys_is_ram(pa: u64, size: u64): bool {
  const i = phys_region(pa);
  return i >= 0 && region_kind(i) == REGION_KIND_RAM && pa + size - region_base(i) <= region_size(i);
}

export function add_region(base: u64, size: u64, host: u64, kind: u32, device: u32): i32 {
  for (let i = 0; i < REGION_MAX; i++) {
    const r = region_addr(i);
    if (load<u32>(r, 24) != 0) continue;
    store<u64>(r, base);
    store<u64>(r, size, 8);
    store<u64>(r, host, 16);
    store<u32>(r, kind, 24);
    store<u32>(r, device, 28);
    return i;
  }
  return -1;
}

export { REGION_KIND_RAM, REGION_KIND_DEVICE };
