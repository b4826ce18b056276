// RMI_VERSION and RMI_FEATURES (RMM B4.3.23, B4.3.4, B2).
import type { RmmContext, RmmPlatform } from '../context.js';
import { success, error, RmiStatus, type RmiResult } from '../status.js';

/** RmiInterfaceVersion 1.0: major [30:16], minor [15:0]. */
export const RMI_ABI_VERSION = 0x1_0000n;

export const S2SZ_MAX = 48;
export const MAX_RECS_ORDER = 6n;
/** ICH_VTR_EL2.ListRegs of the board's GIC (4 list registers), minus one as the register counts. */
export const GICV3_NUM_LRS = 3n;

export function rmiVersion(_ctx: RmmContext, req: bigint): RmiResult {
  // B2.1: success only for a compatible request (same major, minor no greater than ours)
  if ((req >> 31n) === 0n && req >> 16n === RMI_ABI_VERSION >> 16n && (req & 0xffffn) <= (RMI_ABI_VERSION & 0xffffn)) {
    return success(req, RMI_ABI_VERSION);
  }
  return error(RmiStatus.ErrorInput, 0, RMI_ABI_VERSION, RMI_ABI_VERSION);
}

/** RmiFeatureRegister0 (RMM B4.4.6): no LPA2, SVE or PMU; both hash algorithms. */
export function featureRegister0(platform: Pick<RmmPlatform, 'breakpointsMinusOne' | 'watchpointsMinusOne'>): bigint {
  return BigInt(S2SZ_MAX)
    | (BigInt(platform.breakpointsMinusOne) << 14n)
    | (BigInt(platform.watchpointsMinusOne) << 20n)
    | (1n << 32n) | (1n << 33n)
    | (GICV3_NUM_LRS << 34n)
    | (MAX_RECS_ORDER << 38n);
}

export function rmiFeatures(ctx: RmmContext, index: bigint): RmiResult {
  return success(index === 0n ? featureRegister0(ctx.platform) : 0n);
}
