// Differential-test groups for integer data processing: one per table group of src/isa/table/dp.ts. None
// of these instructions can fault or branch, so any instance of any row makes a valid sequence.
import type { DiffGroup } from '../contract.js';
import { tableGroup } from './common.js';

export const DP_GROUPS: DiffGroup[] = ['dp-arith', 'dp-logic', 'dp-shift', 'dp-cond', 'dp-muldiv', 'dp-bits'].map((g) => tableGroup(g));
