// `npm run difftest:record [group...]`: runs the golden cases of every group (or the named ones) in
// qemu-aarch64 and writes test/isa/golden/<group>.json. It also replays them in cca-emu and reports the
// mismatches, which the test suite would then report too.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { DIFF_GROUPS } from './groups/index.js';
import { makeCase, caseSeeds, describeMismatch } from './cases.js';
import { GOLDEN_BASE_SEED, GOLDEN_COUNT, writeGolden, goldenPath } from './golden.js';
import { QEMU, qemuAvailable, runQemu, runAll, cleanupQemu } from './qemu.js';
import { runEmu } from './emu.js';
import { initialState, toGolden, diffStates, hex32 } from './state.js';

async function main(): Promise<number> {
  if (!qemuAvailable()) {
    console.error(`${QEMU} not found: cannot record golden files`);
    return 1;
  }
  const version = execFileSync(QEMU, ['--version']).toString().split('\n')[0].trim();
  const wanted = process.argv.slice(2);
  const groups = wanted.length ? DIFF_GROUPS.filter((g) => wanted.includes(g.name)) : DIFF_GROUPS;
  for (const w of wanted) if (!DIFF_GROUPS.some((g) => g.name === w)) throw new Error(`no group '${w}'`);
  let mismatches = 0;
  for (const group of groups) {
    const cases = caseSeeds(group.name, GOLDEN_BASE_SEED, GOLDEN_COUNT).map((seed) => makeCase(group, seed));
    const finals = await runAll(cases.map((c) => () => runQemu(c.words, initialState(c.seed))), availableParallelism());
    writeGolden({
      group: group.name,
      recordedWith: version,
      cases: cases.map((c, i) => ({ seed: c.seed, words: c.words.map(hex32), final: toGolden(finals[i], initialState(c.seed)) })),
    });
    let bad = 0;
    cases.forEach((c, i) => {
      const init = initialState(c.seed);
      const emu = runEmu(c.words, init);
      const lines = diffStates(finals[i], emu.final, init);
      if (emu.error) lines.unshift(emu.error);
      if (lines.length) {
        if (bad < 5) console.log(describeMismatch(c, lines));
        bad++;
      }
    });
    mismatches += bad;
    console.log(`${group.name}: ${cases.length} cases recorded in ${goldenPath(group.name)}; cca-emu mismatches: ${bad}`);
  }
  cleanupQemu();
  return mismatches ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(2);
});
