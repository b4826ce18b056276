// Runs one mode of `bench gpc` and exits: the process `bench gpc --callgrind` counts under valgrind.
// Arguments: MODE N IMAGE, where MODE is off|folded|every (N guest instructions of IMAGE, an interpreter
// mode) or walks|cached (N GPC lookups of the headline stream; IMAGE is not used).
import { runMode, RUN_MODES, type RunMode } from './gpc.js';

const [mode, n, image] = process.argv.slice(2);
if (!RUN_MODES.includes(mode as RunMode) || !/^\d+$/.test(n ?? '') || !image) {
  process.stderr.write(`usage: gpc-mode-run ${RUN_MODES.join('|')} N IMAGE\n`);
  process.exit(2);
}
process.stdout.write(`${runMode(mode as RunMode, BigInt(n), image)}\n`);
