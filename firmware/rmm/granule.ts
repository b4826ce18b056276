// Granule states (RMM A2.2, C1.7): the RMM's record of every granule it has been given, and one function
// per legal transition (A2.2.3), so a state never changes from anywhere else.

export const enum GranuleState {
  Undelegated = 'UNDELEGATED',
  Delegated = 'DELEGATED',
  Rd = 'RD',
  Rec = 'REC',
  RecAux = 'REC_AUX',
  Data = 'DATA',
  Rtt = 'RTT',
}

export const GRANULE_SIZE = 0x1000n;

export function isGranuleAligned(addr: bigint): boolean {
  return (addr & (GRANULE_SIZE - 1n)) === 0n;
}

export class Granules {
  /** Every granule not UNDELEGATED; absent means UNDELEGATED. */
  private readonly states = new Map<bigint, GranuleState>();

  state(addr: bigint): GranuleState {
    return this.states.get(addr) ?? GranuleState.Undelegated;
  }

  /** Count of granules in each state other than UNDELEGATED (for invariant checks and tests). */
  census(): Map<GranuleState, number> {
    const c = new Map<GranuleState, number>();
    for (const s of this.states.values()) c.set(s, (c.get(s) ?? 0) + 1);
    return c;
  }

  entries(): IterableIterator<[bigint, GranuleState]> {
    return this.states.entries();
  }

  private move(addr: bigint, from: GranuleState, to: GranuleState): void {
    // A transition from the wrong state is an RMM bug: every command checks the state first
    if (this.state(addr) !== from) throw new Error(`granule 0x${addr.toString(16)} is ${this.state(addr)}, not ${from}`);
    if (to === GranuleState.Undelegated) this.states.delete(addr);
    else this.states.set(addr, to);
  }

  // RMI_GRANULE_DELEGATE / RMI_GRANULE_UNDELEGATE
  delegate(addr: bigint): void { this.move(addr, GranuleState.Undelegated, GranuleState.Delegated); }
  undelegate(addr: bigint): void { this.move(addr, GranuleState.Delegated, GranuleState.Undelegated); }
  // RMI_REALM_CREATE / RMI_REALM_DESTROY
  makeRd(addr: bigint): void { this.move(addr, GranuleState.Delegated, GranuleState.Rd); }
  releaseRd(addr: bigint): void { this.move(addr, GranuleState.Rd, GranuleState.Delegated); }
  // RMI_REC_CREATE / RMI_REC_DESTROY
  makeRec(addr: bigint): void { this.move(addr, GranuleState.Delegated, GranuleState.Rec); }
  releaseRec(addr: bigint): void { this.move(addr, GranuleState.Rec, GranuleState.Delegated); }
  makeRecAux(addr: bigint): void { this.move(addr, GranuleState.Delegated, GranuleState.RecAux); }
  releaseRecAux(addr: bigint): void { this.move(addr, GranuleState.RecAux, GranuleState.Delegated); }
  // RMI_DATA_CREATE(_UNKNOWN) / RMI_DATA_DESTROY
  makeData(addr: bigint): void { this.move(addr, GranuleState.Delegated, GranuleState.Data); }
  releaseData(addr: bigint): void { this.move(addr, GranuleState.Data, GranuleState.Delegated); }
  // RMI_REALM_CREATE, RMI_RTT_CREATE / RMI_REALM_DESTROY, RMI_RTT_DESTROY, RMI_RTT_FOLD
  makeRtt(addr: bigint): void { this.move(addr, GranuleState.Delegated, GranuleState.Rtt); }
  releaseRtt(addr: bigint): void { this.move(addr, GranuleState.Rtt, GranuleState.Delegated); }
}
