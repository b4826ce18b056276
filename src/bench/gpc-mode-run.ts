// Runs one mode of `bench gpc`'s interpreter comparison and exits: the process `bench gpc --callgrind`
// counts under valgrind. Arguments: IMAGE off|folded|every INSTRUCTIONS.
import { runInterpreterMode, type Mode } from './gpc.js';

const [image, mode, n] = process.argv.slice(2);
if (!image || !['off', 'folded', 'every'].includes(mode) || !/^\d+$/.test(n ?? '')) {
  process.stderr.write('usage: gpc-mode-run IMAGE off|folded|every INSTRUCTIONS\n');
  process.exit(2);
}
process.stdout.write(`${runInterpreterMode(image, mode as Mode, BigInt(n))}\n`);
