// `cca-emu fuzz rmi` as a user runs it: the JSON report, exit statuses, usage errors.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/cca-emu.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cca-emu fuzz rmi', () => {
  it('--json: exactly --calls calls, no violation, exit 0, and the same report for the same seed', () => {
    const a = cli('fuzz', 'rmi', '--calls', '300', '--seed', '5', '--json');
    expect(a.status).toBe(0);
    const report = JSON.parse(a.stdout);
    expect(report).toMatchObject({ calls: 300, violations: 0, hostErrors: 0, problems: [] });
    const total = ['RMI_SUCCESS', 'RMI_ERROR_INPUT', 'RMI_ERROR_REALM', 'RMI_ERROR_REC', 'RMI_ERROR_RTT'].reduce((n, k) => n + (report.statusCounts[k] ?? 0), 0);
    expect(total).toBe(300);
    expect(cli('fuzz', 'rmi', '--calls', '300', '--seed', '5', '--json').stdout).toBe(a.stdout);
  });
  it('bad arguments: one line, exit 2', () => {
    for (const args of [['fuzz', 'rmi', '--calls', '0'], ['fuzz', 'rmi', '--seed', 'abc'], ['fuzz', 'nothing']]) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
