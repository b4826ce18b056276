// `cca-emu fuzz rmi` as a user runs it: the JSON report, exit statuses, usage errors.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/cca-emu.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cca-emu fuzz rmi', () => {
  it('--json: exactly --calls calls, no violation, exit 0, and the same report for the same seed', () => {
    const a = cli('fuzz', 'rmi', '--calls', '150', '--seed', '5', '--json');
    expect(a.status).toBe(0);
    const report = JSON.parse(a.stdout);
    expect(report).toMatchObject({ calls: 150, violations: 0, hostErrors: 0, problems: [] });
    const total = ['RMI_SUCCESS', 'RMI_ERROR_INPUT', 'RMI_ERROR_REALM', 'RMI_ERROR_REC', 'RMI_ERROR_RTT'].reduce((n, k) => n + (report.statusCounts[k] ?? 0), 0);
    expect(total).toBe(150);
    expect(cli('fuzz', 'rmi', '--calls', '150', '--seed', '5', '--json').stdout).toBe(a.stdout);
  });
  it('bad arguments: one line, exit 2', () => {
    for (const args of [['fuzz', 'rmi', '--calls', '0'], ['fuzz', 'rmi', '--seed', 'abc'], ['fuzz', 'nothing']]) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('cca-emu run --rme', () => {
  // An NS-EL2 host image: RMI_VERSION(1.0) by SMC #0; semihosting exit 0 on RMI_SUCCESS, else spin
  const words = [
    0xd2802a00, 0xf2b88000, // movz x0, #0x150; movk x0, #0xc400, lsl #16
    0xd2800001, 0xf2a00021, // movz x1, #0; movk x1, #1, lsl #16
    0xd4000003, // smc #0
    0xb50000a0, // cbnz x0, +5
    0xd2800300, 0xd28004c1, 0xf2a00041, 0xd45e0000, // SYS_EXIT(ADP_Stopped_ApplicationExit)
    0x14000000, // b .
  ];
  it('a host image at NS-EL2 reaches the RMM through real SMCs', async () => {
    const { writeElf } = await import('../../src/elf/write.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const path = join(mkdtempSync(join(tmpdir(), 'cca-rme-')), 'host.elf');
    writeFileSync(path, writeElf({ entry: 0x8000_0000n, segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array(new Uint32Array(words).buffer), flags: 5 }] }));
    expect(cli('run', path, '--el', '2', '--rme', '--max-instructions', '1000').status).toBe(0);
    // Without the RMM the call is SMC_UNKNOWN and the image spins
    expect(cli('run', path, '--el', '2', '--max-instructions', '1000').status).toBe(124);
    expect(cli('run', path, '--el', '3', '--rme').status).toBe(2);
    expect(cli('run', path, '--el', '2', '--rme', '--ram', '64').status).toBe(2);
  });
});
