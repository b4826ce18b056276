// The EL3 side of the RMM-EL3 interface (TF-A's RMM_GTSI_DELEGATE / RMM_GTSI_UNDELEGATE): the only way a
// granule moves between the Non-secure and Realm PA spaces.
import type { El3Services } from '../rmm/context.js';
import { Gpi, type GranuleProtectionTable } from './gpt.js';

export class GranuleTransitionService implements El3Services {
  delegations = 0;
  undelegations = 0;

  constructor(private readonly gpt: GranuleProtectionTable) {}

  /** Non-secure -> Realm; refused unless the granule's GPI is Non-secure (RMM B4.3.5.2 gran_gpt). */
  delegate(addr: bigint): boolean {
    const ok = this.gpt.transition(addr, Gpi.NonSecure, Gpi.Realm) === undefined;
    if (ok) this.delegations++;
    return ok;
  }

  /** Realm -> Non-secure; the RMM has already scrubbed the granule. */
  undelegate(addr: bigint): boolean {
    const ok = this.gpt.transition(addr, Gpi.Realm, Gpi.NonSecure) === undefined;
    if (ok) this.undelegations++;
    return ok;
  }
}
