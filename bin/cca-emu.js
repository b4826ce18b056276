#!/usr/bin/env node
// Runs the CLI: the bundle `npm run build` makes (dist/cli/cca-emu.js, plain JavaScript: starts fast)
// when it is newer than every TypeScript source, else the sources themselves through tsx's loader.
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/cli/cca-emu.js`;

/** The newest modification time of the .ts files under `dir`. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs >= Math.max(newest(`${root}src`), newest(`${root}firmware`));
  } catch {
    return false;
  }
}

// A reader that goes away (`cca-emu run IMAGE | head`) ends the run quietly, as other command-line tools do
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

let main;
if (bundleIsFresh()) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
