// Realm objects (RMM A2.1, C1.16) and their state machine (A2.1.5): one function per transition.

export const enum RealmState {
  New = 'REALM_NEW',
  Active = 'REALM_ACTIVE',
  SystemOff = 'REALM_SYSTEM_OFF',
}

export const enum HashAlgorithm {
  Sha256 = 0,
  Sha512 = 1,
}

export class Realm {
  state = RealmState.New;
  /** measurements[0] is the RIM, [1..4] the REMs; 64 bytes each (RMM A7.1). */
  readonly measurements: Uint8Array[] = Array.from({ length: 5 }, () => new Uint8Array(64));
  recIndex = 0n;
  numRecs = 0n;
  /** RmiRealmParams.num_bps/num_wps, as ID_AA64DFR0_EL1 encodes them (the realm's view of its debug resources). */
  numBps = 0n;
  numWps = 0n;

  constructor(
    readonly rd: bigint,
    readonly ipaWidth: number,
    readonly hashAlgo: HashAlgorithm,
    readonly rttBase: bigint,
    readonly rttLevelStart: number,
    readonly rttNumStart: number,
    readonly vmid: number,
    readonly rpv: Uint8Array,
    readonly featLpa2: boolean,
  ) {}

  /** RMI_REALM_ACTIVATE: REALM_NEW -> REALM_ACTIVE, the RIM is frozen from now on. */
  activate(): void {
    this.state = RealmState.Active;
  }

  /** PSCI_SYSTEM_OFF or PSCI_SYSTEM_RESET from the realm. */
  systemOff(): void {
    this.state = RealmState.SystemOff;
  }

  /** The starting-level RTT granules (RMM A5.5.3). */
  startingRtts(): bigint[] {
    return Array.from({ length: this.rttNumStart }, (_, i) => this.rttBase + BigInt(i) * 0x1000n);
  }

  /** AddrIsProtected (RMM B3.4): the IPA's top bit within the realm's IPA width is clear. */
  isProtected(ipa: bigint): boolean {
    return ipa < 1n << BigInt(this.ipaWidth - 1);
  }

  /** Inside the realm's IPA space at all. */
  inIpaSpace(ipa: bigint): boolean {
    return ipa < 1n << BigInt(this.ipaWidth);
  }
}
