// The hypervisor's pool of Non-secure memory, one 4 KiB granule at a time: what it delegates to the RMM
// (RDs, RECs, RTTs, DATA) and what it uses itself (parameter pages, DATA_CREATE source pages).

export const GRANULE_SIZE = 0x1000n;

export class GranuleAllocator {
  private next: bigint;
  private readonly freed: bigint[] = [];
  private readonly inUse = new Set<bigint>();

  /** Hands out granules of [base, limit); both must be granule-aligned. */
  constructor(readonly base: bigint, readonly limit: bigint) {
    if (base % GRANULE_SIZE !== 0n || limit % GRANULE_SIZE !== 0n || limit < base) {
      throw new Error(`granule pool [0x${base.toString(16)}, 0x${limit.toString(16)}) is not a granule-aligned range`);
    }
    this.next = base;
  }

  /** Granules still available. */
  get available(): number {
    return Number((this.limit - this.next) / GRANULE_SIZE) + this.freed.length;
  }

  /** Granules handed out and not yet freed. */
  get allocated(): number {
    return this.inUse.size;
  }

  /** The end of the part of the pool ever handed out: [base, touched) holds every granule used so far. */
  get touched(): bigint {
    return this.next;
  }

  alloc(): bigint {
    // Lowest freed granule first, so that the same sequence of requests gets the same addresses
    let g: bigint;
    if (this.freed.length > 0) {
      g = this.freed.pop()!;
    } else {
      if (this.next >= this.limit) throw new Error('the hypervisor ran out of Non-secure memory for granules');
      g = this.next;
      this.next += GRANULE_SIZE;
    }
    this.inUse.add(g);
    return g;
  }

  /** `n` consecutive granules aligned to `n` granules (a realm's concatenated starting RTTs). */
  allocContiguous(n: number): bigint {
    const size = BigInt(n) * GRANULE_SIZE;
    const start = (this.next + size - 1n) / size * size;
    if (start + size > this.limit) throw new Error('the hypervisor ran out of Non-secure memory for granules');
    // The alignment gap goes to the free list rather than being lost
    for (let g = this.next; g < start; g += GRANULE_SIZE) this.freed.push(g);
    this.sortFreed();
    for (let g = start; g < start + size; g += GRANULE_SIZE) this.inUse.add(g);
    this.next = start + size;
    return start;
  }

  free(g: bigint): void {
    if (!this.inUse.delete(g)) throw new Error(`granule 0x${g.toString(16)} freed but not allocated`);
    this.freed.push(g);
    this.sortFreed();
  }

  private sortFreed(): void {
    // Descending, so pop() takes the lowest
    this.freed.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  }
}
