// `npm run difftest:live [-- --count N] [--seed S] [group...]`: fresh cases (seeded from the clock unless
// --seed is given) run in qemu-aarch64 and in cca-emu; prints per group the cases, instructions and
// mismatches, and exits non-zero on any mismatch. Skips, successfully, where qemu-aarch64 is absent.
import { availableParallelism } from 'node:os';
import { DIFF_GROUPS } from './groups/index.js';
import { makeCase, caseSeeds, describeMismatch } from './cases.js';
import { QEMU, qemuAvailable, runQemu, runAll, cleanupQemu } from './qemu.js';
import { runEmu } from './emu.js';
import { initialState, diffStates } from './state.js';

const MAX_REPORTED = 10;

function parseArgs(argv: string[]): { count: number; seed: string; groups: string[] } {
  let count = 1000;
  let seed = String(Date.now());
  const groups: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--count') count = Number(argv[++i]);
    else if (argv[i] === '--seed') seed = argv[++i];
    else groups.push(argv[i]);
  }
  if (!Number.isInteger(count) || count <= 0) throw new Error('--count wants a positive integer');
  for (const g of groups) if (!DIFF_GROUPS.some((d) => d.name === g)) throw new Error(`no group '${g}'`);
  return { count, seed, groups };
}

async function main(): Promise<number> {
  if (!qemuAvailable()) {
    console.log(`difftest:live skipped: ${QEMU} not found (set QEMU_AARCH64 to use another)`);
    return 0;
  }
  const { count, seed, groups } = parseArgs(process.argv.slice(2));
  console.log(`difftest:live --seed ${seed} --count ${count}`);
  let failed = 0;
  for (const group of DIFF_GROUPS.filter((g) => groups.length === 0 || groups.includes(g.name))) {
    const cases = caseSeeds(group.name, seed, count).map((s) => makeCase(group, s));
    let instructions = 0;
    let mismatches = 0;
    let errors = 0;
    const jobs = cases.map((c) => async () => {
      const init = initialState(c.seed);
      let lines: string[];
      try {
        const want = await runQemu(c.words, init);
        const emu = runEmu(c.words, init);
        lines = diffStates(want, emu.final, init);
        if (emu.error) lines.unshift(emu.error);
      } catch (e) {
        errors++;
        lines = [`qemu: ${(e as Error).message}`];
      }
      instructions += c.words.length;
      if (lines.length) {
        if (mismatches < MAX_REPORTED) console.log(describeMismatch(c, lines));
        mismatches++;
      }
    });
    await runAll(jobs, availableParallelism());
    failed += mismatches;
    console.log(`${group.name.padEnd(12)} sequences ${String(cases.length).padStart(6)}  instructions ${String(instructions).padStart(7)}  mismatches ${mismatches}${errors ? ` (${errors} QEMU failures)` : ''}`);
  }
  cleanupQemu();
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(2);
});
