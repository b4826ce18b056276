// Differential-test groups for scalar floating point: one per table group of src/isa/table/fp.ts. The
// initial state's V registers hold the special values of every lane size and FPCR a random rounding mode,
// FZ and DN (state.ts), so the random instances meet NaNs, infinities, denormals and conversion limits.
import type { DiffGroup } from '../contract.js';
import { tableGroup } from './common.js';

export const FP_GROUPS: DiffGroup[] = [
  tableGroup('fp-dp'),
  // FCMP/FCMPE with #0.0 have Rm should-be-zero
  tableGroup('fp-cmp', {
    fix: (e, rand) => {
      if (e.name !== 'FCMP' && e.name !== 'FCMPE') return {};
      return rand() < 0.5 ? { z: 1, rm: 0 } : { z: 0 };
    },
  }),
  tableGroup('fp-cvt'),
  tableGroup('fp-mov'),
];
