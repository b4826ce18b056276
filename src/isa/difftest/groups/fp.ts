// Differential-test groups for scalar floating point: one per table group of src/isa/table/fp.ts. The
// initial state's V registers hold the special values of every lane size and FPCR a random rounding mode,
// FZ and DN (state.ts), so the random instances meet NaNs, infinities, denormals and conversion limits.
import type { DiffGroup } from '../contract.js';
import { tableGroup } from './common.js';
import { assemble } from './ldst.js';

type Rand = () => number;
const reg = (rand: Rand) => Math.floor(rand() * 32);

/**
 * Cancellation, where rounding is hardest: pairs that compute a rounded product or sum and then the exact
 * residual against it (an FMA of the same operands with the rounded result as addend, or the sum minus an
 * operand), so the exact intermediate results of the FMA and the adder meet nearly equal magnitudes.
 */
function residualSequence(rand: Rand): number[] {
  const words: number[] = [];
  while (words.length < 8) {
    const ftype = rand() < 0.5 ? 0 : 1;
    const n = reg(rand), m = reg(rand), t = reg(rand), d = reg(rand);
    if (rand() < 0.6) {
      words.push(assemble('FMUL', { ftype, rm: m, rn: n, rd: t }));
      const fma = ['FMADD', 'FMSUB', 'FNMADD', 'FNMSUB'][Math.floor(rand() * 4)];
      words.push(assemble(fma, { ftype, rm: m, ra: t, rn: n, rd: d }));
    } else {
      words.push(assemble(rand() < 0.5 ? 'FADD' : 'FSUB', { ftype, rm: m, rn: n, rd: t }));
      words.push(assemble(rand() < 0.5 ? 'FSUB' : 'FADD', { ftype, rm: rand() < 0.5 ? n : m, rn: t, rd: d }));
    }
  }
  return words;
}

export const FP_GROUPS: DiffGroup[] = [
  tableGroup('fp-dp'),
  // FCMP/FCMPE with #0.0 have Rm should-be-zero
  tableGroup('fp-cmp', {
    fix: (e, rand): Record<string, number> => {
      if (e.name !== 'FCMP' && e.name !== 'FCMPE') return {};
      return rand() < 0.5 ? { z: 1, rm: 0 } : { z: 0 };
    },
  }),
  tableGroup('fp-cvt'),
  tableGroup('fp-mov'),
  { name: 'fp-residual', ops: [], helpers: ['FMUL', 'FADD', 'FSUB', 'FMADD', 'FMSUB', 'FNMADD', 'FNMSUB'], sequence: residualSequence },
];
