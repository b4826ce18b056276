// The block JIT (src/core/jit.ts, jit-inline.ts, assembly/cpu/jit.ts) against the interpreter and QEMU:
// the recorded differential-test sequences with every block compiled on its first entry, the sample images
// with the JIT on and off, and modified code.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { DIFF_GROUPS } from '../../src/isa/difftest/groups/index.js';
import { readGolden } from '../../src/isa/difftest/golden.js';
import { describeMismatch } from '../../src/isa/difftest/cases.js';
import { runEmu } from '../../src/isa/difftest/emu.js';
import { initialState, diffStates } from '../../src/isa/difftest/state.js';
import { JIT_ROWS } from '../../src/core/jit-rows.gen.js';
import { INLINE_FORMS } from '../../src/core/jit-inline.js';
import { Machine } from '../../src/machine/machine.js';
import { A64 } from '../../src/isa/a64.table.js';
import { randomInstance, prng } from '../../src/isa/encoding.js';
import { randomValue } from '../../src/isa/difftest/state.js';

const jitRowNames = new Set([...JIT_ROWS.values()].map((r) => r.handler.slice('jit_'.length)));

const BRANCHES = [...JIT_ROWS.values()].filter((r) => r.kind === 'branch').map((r) => r.handler.slice('jit_'.length));

describe('compiled blocks against recorded qemu-aarch64 results', () => {
  const groups = DIFF_GROUPS.filter((g) => g.ops.some((op) => jitRowNames.has(op)));
  it('cover every inline form (the branches: against the interpreter below)', () => {
    const tested = new Set([...groups.flatMap((g) => g.ops), ...BRANCHES]);
    expect(INLINE_FORMS.filter((f) => !tested.has(f))).toEqual([]);
  });
  for (const group of groups) {
    it(group.name, () => {
      const golden = readGolden(group.name)!;
      const failures: string[] = [];
      let compiled = 0n;
      for (const g of golden.cases) {
        const c = { group: group.name, seed: g.seed, words: g.words.map((w) => Number(w)) };
        const init = initialState(c.seed);
        const emu = runEmu(c.words, init, true);
        compiled += emu.compiledInstructions ?? 0n;
        const lines = diffStates(g.final, emu.final, init);
        if (emu.error) lines.unshift(emu.error);
        if (lines.length) failures.push(describeMismatch(c, lines));
      }
      expect(failures.length, `${failures.length} of ${golden.cases.length} cases differ:\n${failures.slice(0, 10).join('\n')}`).toBe(0);
      // Most of the group's instructions ran compiled (the rest: rows outside the JIT's groups)
      expect(compiled).toBeGreaterThan(BigInt(golden.cases.length));
    });
  }
});

function runImage(name: string, jit: boolean) {
  let out = '';
  const m = new Machine({ ramMiB: 64, console: (b) => (out += Buffer.from(b).toString('latin1')), jit: jit ? { jitThreshold: 2 } : { jitThreshold: 0 } });
  const image = m.load(readFileSync(`images/${name}/${name}.elf`));
  m.start(image.entry, { el: 1, security: 'ns' });
  const stop = m.run(20_000_000n);
  return { out, stop, instructions: m.stats().instructions, x: Array.from({ length: 31 }, (_, i) => m.core.x(i)), jitInsns: m.core.ex.jit_insns.value as bigint };
}

describe('sample programs with the JIT on and off', () => {
  for (const name of ['bench-crc', 'bench-fsm', 'bench-list', 'bench-matrix', 'bench-sha256', 'bench-sort']) {
    it(`${name}: the same output, registers and instruction count`, () => {
      const off = runImage(name, false);
      const on = runImage(name, true);
      expect(on.stop).toEqual(off.stop);
      expect(on.out).toBe(off.out);
      expect(on.instructions).toBe(off.instructions);
      expect(on.x).toEqual(off.x);
      expect(on.jitInsns).toBeGreaterThan(on.instructions / 2n); // it really ran compiled
    }, 60_000);
  }
});

const CODE = 0x8010_0000n;

/**
 * Runs `add x9, x9, #0; branch; add x9, x9, #1` at EL1 for three instructions (the branch entered through the
 * fetch fast path, so a conditional one is a side exit of a two-instruction block) and returns the state.
 */
function runBranch(m: Machine, word: number, x: bigint[], nzcv: number) {
  const c = m.core;
  c.ex.reset();
  c.ex.jit_reset();
  m.writePhysical(CODE, new Uint8Array(new Uint32Array([0x91000129, word, 0x91000529]).buffer));
  m.start(CODE, { el: 1, security: 'ns' });
  x.forEach((v, i) => c.setX(i, v));
  c.nzcv = nzcv;
  const compiled0 = c.ex.jit_insns.value as bigint;
  c.run(3n);
  return { pc: c.pc, x30: c.x(30), x9: c.x(9), icount: c.icount, compiled: (c.ex.jit_insns.value as bigint) - compiled0 };
}

describe('compiled branches against the interpreter', () => {
  const jit = new Machine({ ramMiB: 8, console: () => {}, jit: { jitThreshold: 1, jitEager: true } });
  const interpreter = new Machine({ ramMiB: 8, console: () => {}, jit: { jitThreshold: 0 } });
  for (const name of BRANCHES) {
    it(`${name}: 500 random instances, registers and flags`, () => {
      const e = A64.find((r) => r.name === name)!;
      const rand = prng(0x5eed + name.length * 977 + name.charCodeAt(0));
      let compiled = 0n;
      for (let i = 0; i < 500; i++) {
        const word = randomInstance(e, rand);
        // Register targets in the RAM's first megabyte around the code, or anything
        const x = Array.from({ length: 31 }, () => (rand() < 0.5 ? CODE + BigInt(Math.floor(rand() * 0x1000) * 4) : randomValue(rand)));
        const nzcv = Math.floor(rand() * 16) << 28;
        const a = runBranch(jit, word, x, nzcv);
        const b = runBranch(interpreter, word, x, nzcv);
        compiled += a.compiled;
        expect({ ...a, compiled: 0n }, `${name} ${word.toString(16)} nzcv ${nzcv.toString(16)}`).toEqual({ ...b, compiled: 0n });
      }
      expect(compiled).toBeGreaterThan(400n); // ERET aside, every branch ran compiled
    });
  }
});
