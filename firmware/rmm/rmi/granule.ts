// RMI_GRANULE_DELEGATE and RMI_GRANULE_UNDELEGATE (RMM B4.3.5, B4.3.6).
import { GranuleState } from '../granule.js';
import type { RmmContext } from '../context.js';
import { input, success, type RmiResult } from '../status.js';

export function granuleDelegate(ctx: RmmContext, addr: bigint): RmiResult {
  // B4.3.5.2 gran_align, gran_bound, gran_state
  const bad = ctx.checkGranule(addr, GranuleState.Undelegated);
  if (bad) return bad;
  // B4.3.5.2 gran_gpt: EL3 refuses unless the GPT entry is GPT_NS
  if (!ctx.el3.delegate(addr)) return input();
  ctx.granules.delegate(addr);
  return success();
}

export function granuleUndelegate(ctx: RmmContext, addr: bigint): RmiResult {
  // B4.3.6.2 gran_align, gran_bound, gran_state
  const bad = ctx.checkGranule(addr, GranuleState.Delegated);
  if (bad) return bad;
  // Contents are wiped before the host can see them again (RMM A2.2.4)
  ctx.scrub(addr);
  if (!ctx.el3.undelegate(addr)) throw new Error(`EL3 refused to undelegate RMM granule 0x${addr.toString(16)}`);
  ctx.granules.undelegate(addr);
  return success();
}
