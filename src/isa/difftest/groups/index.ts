// Every differential-test group: the recorder, the golden-file test and the live runner iterate this list.
import type { DiffGroup } from '../contract.js';
import { DP_GROUPS } from './dp.js';
import { LDST_GROUPS } from './ldst.js';
import { FP_GROUPS } from './fp.js';
import { FP_LDST_GROUPS } from './fp-ldst.js';
import { SIMD_GROUPS } from './simd.js';

export const DIFF_GROUPS: DiffGroup[] = [...DP_GROUPS, ...LDST_GROUPS, ...FP_GROUPS, ...FP_LDST_GROUPS, ...SIMD_GROUPS];

/**
 * Table groups with no differential test: their instructions leave straight-line code or behave
 * differently in Linux user mode (exception generation, system registers, barriers).
 */
export const UNTESTED_TABLE_GROUPS: Record<string, string> = {
  branch: 'branches leave the sequence',
  system: 'exceptions and system registers differ between Linux user mode and bare metal',
};
