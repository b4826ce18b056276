// `cca-emu boot`: bad input is a usage error (exit 2) before anything runs; a realm that fails says which
// REC and where, and exits non-zero; the budget stops it (exit 124); --json has the shape.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeElf } from '../../src/elf/write.js';

const HELLO = 'images/realm-hello/realm-hello.elf';
const dir = mkdtempSync(join(tmpdir(), 'cca-boot-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/cca-emu.js', 'boot', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function realmElf(name: string, words: number[]): string {
  const path = join(dir, name);
  writeFileSync(path, writeElf({ entry: 0x8000_0000n, segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array(new Uint32Array(words).buffer), flags: 5 }] }));
  return path;
}

describe('cca-emu boot', () => {
  it.each([
    [['--recs', '0', HELLO], /--recs/],
    [['--ipa-bits', '60', HELLO], /--ipa-bits/],
    [['--hash', 'md5', HELLO], /--hash/],
    [['--ram', '0', HELLO], /--ram/],
    [['--challenge', 'xyz', HELLO], /--challenge/],
    [['--challenge', 'ab'.repeat(65), HELLO], /--challenge/],
    [['--expect-rim', 'nothex', HELLO], /--expect-rim/],
    [['--frobnicate', HELLO], /unknown option/],
    [[join(dir, 'missing.elf')], /cannot read/],
    [['package.json'], /ELF/i],
  ])('usage error: %j', (args, message) => {
    const r = cli(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/    at /); // no stack trace
  });

  it('an image outside the realm RAM is refused before any RMI call', () => {
    const path = join(dir, 'low.elf');
    writeFileSync(path, writeElf({ entry: 0x1000n, segments: [{ vaddr: 0x1000n, data: new Uint8Array(16), flags: 5 }] }));
    const r = cli(path);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/outside|realm RAM/);
  });

  it('a guest executing garbage: the REC, the fault and a non-zero exit', () => {
    const r = cli(realmElf('garbage.elf', [0xffff_ffff, 0xffff_ffff]));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/realm error: REC 0: .*ESR/);
    expect(r.stderr).not.toMatch(/    at /);
  });

  it('--max-instructions stops a realm that never ends (exit 124)', () => {
    const loop = realmElf('loop.elf', [0x1400_0000]); // B .
    const r = cli(loop, '--max-instructions', '200000');
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/stopped after \d+ instructions/);
  });

  it('--json: one object with the console, RIM, REMs, exits, calls, instructions and time', () => {
    const r = cli(HELLO, '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.console).toMatch(/realm-hello: PASS/);
    expect(j.rim).toMatch(/^[0-9a-f]{64}$/);
    expect(j.rems).toHaveLength(4);
    expect(j.recExits.psci).toBe(1);
    expect(j.rmiCalls.RMI_REC_ENTER).toBeGreaterThan(1);
    expect(j.rsiCalls.RSI_VERSION).toBeGreaterThan(0);
    expect(j.instructions).toBeGreaterThan(1000);
    expect(typeof j.seconds).toBe('number');
    expect(j.tornDown).toBe(true);
  });

  it('--expect-rim: exit 1 on a mismatch, 0 on the measured RIM', () => {
    const first = JSON.parse(cli(HELLO, '--json').stdout);
    expect(cli(HELLO, '--expect-rim', first.rim).status).toBe(0);
    const wrong = cli(HELLO, '--expect-rim', '00'.repeat(32));
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/--expect-rim/);
  });

  it('--token-out without a token from the realm: exit 1', () => {
    const r = cli(HELLO, '--token-out', join(dir, 'none.cbor'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no attestation token/);
  });
});

void readFileSync;
