// THE A64 encoding table: every instruction form the core decodes, in priority order (the first row that
// matches a word decodes it; `unless` carves out combinations that are not this form). The rows live in
// one file per encoding group of the Arm ARM's C4.1 index; this file is the one table built from them.
import { compile, type Encoding } from './encoding.js';
import { BRANCH_SYSTEM } from './table/branch-system.js';
import { DP } from './table/dp.js';
import { LDST } from './table/ldst.js';
import { FP } from './table/fp.js';
import { FP_LDST, FP_LDST_STRUCT } from './table/fp-ldst.js';
import { SIMD } from './table/simd.js';

export const A64: Encoding[] = [...BRANCH_SYSTEM, ...DP, ...LDST, ...FP, ...FP_LDST, ...FP_LDST_STRUCT, ...SIMD].map(compile);
