// The command line as a user meets it: exit statuses, one-line errors, --json, --help.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeElf } from '../src/elf/write.js';

const tmp = mkdtempSync(join(tmpdir(), 'cca-cli-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/cca-emu.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function elf(name: string, words: number[]): string {
  const path = join(tmp, name);
  writeFileSync(path, writeElf({ entry: 0x8000_0000n, segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array(new Uint32Array(words).buffer), flags: 5 }] }));
  return path;
}

describe('cca-emu run --dtb', () => {
  const movz = (rd: number, imm: number, hw = 0) => (0xd2800000 | (hw << 21) | (imm << 5) | rd) >>> 0;
  const movk = (rd: number, imm: number, hw: number) => (0xf2800000 | (hw << 21) | (imm << 5) | rd) >>> 0;
  const HLT_SEMIHOST = 0xd45e0000;
  // Prints the bytes at x0 up to the first NUL (SYS_WRITE0), then exits 0: the DTB magic 0xd00dfeed
  const printX0 = () => elf('print-x0.elf', [
    0xaa0003e1, movz(0, 4), HLT_SEMIHOST, // mov x1, x0; SYS_WRITE0
    movz(0, 0x18), movz(1, 0x0026), movk(1, 0x2, 1), HLT_SEMIHOST, // SYS_EXIT, ApplicationExit
  ]);

  it('auto passes the address of the board DTB in x0', () => {
    const r = spawnSync(process.execPath, ['bin/cca-emu.js', 'run', printX0(), '--dtb', 'auto']);
    expect(r.status).toBe(0);
    expect([...r.stdout.subarray(0, 4)]).toEqual([0xd0, 0x0d, 0xfe, 0xed]);
  });

  it('a DTB file is passed as given; `cca-emu dtb -o` writes the board one', () => {
    const path = join(tmp, 'board.dtb');
    expect(cli('dtb', '-o', path).status).toBe(0);
    const r = spawnSync(process.execPath, ['bin/cca-emu.js', 'run', printX0(), '--dtb', path]);
    expect(r.status).toBe(0);
    expect([...r.stdout.subarray(0, 4)]).toEqual([0xd0, 0x0d, 0xfe, 0xed]);
  });

  it('rejects a missing file and a file that is not a DTB with exit 2', () => {
    expect(cli('run', printX0(), '--dtb', join(tmp, 'nope.dtb')).stderr).toMatch(/cannot read .*nope\.dtb/);
    const bad = join(tmp, 'bad.dtb');
    writeFileSync(bad, 'not a device tree at all, no magic here');
    const r = cli('run', printX0(), '--dtb', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not a flattened device tree/);
  });
});

describe('cca-emu run --load / --entry (raw binaries, e.g. a hypervisor at NS-EL2)', () => {
  // PSCI_VERSION by SMC from EL2: exit 0 through semihosting if X0 = 1.1, else execute UDF (exit 3)
  const words = [
    0xd2800000, 0xf2b08000, 0xd4000003, // x0 = 0x8400_0000 (PSCI_VERSION); SMC #0
    0xd2800022, 0xf2a00022, 0xeb02001f, 0x540000a1, // x2 = 0x1_0001; CMP x0, x2; B.NE udf
    0xd2800300, 0xd28004c1, 0xf2a00041, 0xd45e0000, // SYS_EXIT, ApplicationExit
    0x00000000, // UDF
  ];
  const raw = join(tmp, 'psci-version.bin');
  writeFileSync(raw, new Uint8Array(new Uint32Array(words).buffer));

  it('runs a raw binary at NS-EL2 whose SMC reaches our EL3 monitor', () => {
    const r = cli('run', '--el', '2', '--load', `${raw}@0x80000000`, '--entry', '0x80000000');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('rejects --load without --entry, outside RAM, of a missing file, and run with nothing to run', () => {
    const cases: [string[], RegExp][] = [
      [['run', '--load', `${raw}@0x80000000`], /need --entry/],
      [['run', '--load', `${raw}@0x1000`, '--entry', '0x80000000'], /0x1000\+0x30 is not in RAM/],
      [['run', '--load', `${join(tmp, 'missing.bin')}@0x80000000`, '--entry', '0x80000000'], /cannot read/],
      [['run', '--load', 'no-address', '--entry', '0x80000000'], /FILE@ADDRESS/],
      [['run'], /needs an ELF image or --load/],
      [['run', '--load', `${raw}@0x80000000`, '--entry', '0x10'], /entry point 0x10 is not in RAM/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });
});

describe('cca-emu run', () => {
  it('prints usage errors on one line and exits 2', () => {
    for (const args of [['run'], ['run', 'x.elf', '--el', '7'], ['run', 'x.elf', '--bogus'], ['run', 'x.elf', '--ram', 'lots'],
      ['frobnicate'], ['run', 'x.elf', '--security', 'purple'], ['run', 'x.elf', '--el', '3', '--security', 'ns']]) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n').length, args.join(' ')).toBeLessThanOrEqual(2);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('rejects a file that is not ELF with exit 2 and names the problem', () => {
    const path = join(tmp, 'text.elf');
    writeFileSync(path, 'hello, world');
    const r = cli('run', path);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cca-emu: .*ELF/);
  });

  it('reports a missing file with exit 2', () => {
    const r = cli('run', join(tmp, 'missing.elf'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read/);
  });

  it('turns a guest that executes garbage into exit 3 with a diagnosis', () => {
    const r = cli('run', elf('garbage.elf', [0xffffffff, 0]));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/exception loop/);
  });

  it('stops at --max-instructions with exit 124', () => {
    const r = cli('run', elf('loop.elf', [0x14000000 /* b . */]), '--max-instructions', '1000');
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/stopped after 1000 instructions/);
  });

  it('--json prints one object with the results', () => {
    const r = cli('run', 'images/hello/hello.elf', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.stop).toBe('exit');
    expect(j.status).toBe(0);
    expect(j.console).toContain('Hello from cca-emu!');
    expect(j.instructions).toBeGreaterThan(100);
  });

  it('--stats prints a summary on stderr', () => {
    const r = cli('run', 'images/hello/hello.elf', '--stats');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Hello from cca-emu!');
    expect(r.stderr).toMatch(/instructions: \d+/);
    expect(r.stderr).toMatch(/MIPS: /);
  });

  it('--help works on every command', () => {
    for (const args of [['--help'], ['run', '--help'], ['bench', '--help'], ['bench', 'cpu', '--help']]) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage:/);
    }
  });
});

describe('a reader that goes away', () => {
  it('`cca-emu disasm IMAGE | head -c 5` ends quietly: no stack trace, status 0', () => {
    // A whole image's listing to stdout: a write after head has gone fails with EPIPE
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" bin/cca-emu.js disasm images/simd-c/simd-c.elf | head -c 5`], { encoding: 'utf8' });
    expect(r.stdout.length).toBe(5);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('the JIT setting', () => {
  it('a bad CCA_EMU_JIT is one line naming it and exit 2, no stack trace', () => {
    const r = spawnSync(process.execPath, ['bin/cca-emu.js', 'run', 'images/hello/hello.elf'], { encoding: 'utf8', env: { ...process.env, CCA_EMU_JIT: 'fast' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("cca-emu: CCA_EMU_JIT must be 'off' or a count of entries, not 'fast'\n");
  });
  it('CCA_EMU_JIT=off runs the image as the default does', () => {
    const r = spawnSync(process.execPath, ['bin/cca-emu.js', 'run', 'images/hello/hello.elf'], { encoding: 'utf8', env: { ...process.env, CCA_EMU_JIT: 'off' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(cli('run', 'images/hello/hello.elf').stdout);
  });
});
