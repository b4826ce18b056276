// Every sample image runs in cca-emu with its expected console output and exit status.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Machine } from '../../src/machine/machine.js';

function run(name: string, el: 0 | 1 | 2 | 3, cpus = 1) {
  let out = '';
  const m = new Machine({ ramMiB: 256, cpus, console: (b) => (out += Buffer.from(b).toString('latin1')) });
  const image = m.load(readFileSync(`images/${name}/${name}.elf`));
  m.start(image.entry, { el, security: el === 3 ? 'root' : 'ns' });
  const stop = m.run(2_000_000_000n);
  return { out, stop, instructions: m.stats().instructions };
}

const HELLO = (el: number) =>
  `Hello from cca-emu!\nrunning at EL${el}\nHello via semihosting SYS_WRITE0\nHello via semihosting SYS_WRITE\nHello via semihosting SYS_WRITEC\n`;

describe('sample images', () => {
  it.each([1, 2, 3] as const)('hello at EL%i', (el) => {
    const r = run('hello', el);
    expect(r.out).toBe(HELLO(el));
    expect(r.stop).toEqual({ kind: 'exit', status: 0 });
  });

  it('exceptions', () => {
    const r = run('exceptions', 1);
    expect(r.out).toBe(
      'exceptions: VBAR_EL1=0x80000800\nok svc\nok undef\nok brk\nok dabort-external\nok dabort-alignment\n' +
      'ok pc-alignment\nok sp-alignment\nexceptions: all 7 passed\n');
    expect(r.stop).toEqual({ kind: 'exit', status: 0 });
  });

  it('el-switch', () => {
    const r = run('el-switch', 3);
    expect(r.out).toBe([
      'el-switch: start, CurrentEL=3', 'EL3: SCR_EL3=0x531, ERET to EL2h', 'ok SCR_EL3', 'EL2: entered, CurrentEL=2 SPSel=1',
      'ok EL2h', 'EL2: HCR_EL2=0x80000000, ERET to EL1h', 'ok HCR_EL2', 'EL1: entered, CurrentEL=1 SPSel=1', 'ok EL1h',
      'EL1: HVC #1', 'EL2: HVC #1 from EL1: ESR_EL2=0x5a000001', 'ok HVC', 'EL1: HVC returned x0=0x20160001', 'ok HVC return',
      'EL1: SMC #2', 'EL3: SMC #2 from EL1: ESR_EL3=0x5e000002', 'ok SMC', 'EL1: SMC returned x0=0x30170002', 'ok SMC return',
      'EL1: SVC #3', 'EL1: SVC #3: ESR_EL1=0x56000003', 'ok SVC', 'EL1: SVC returned x0=0x10150003', 'ok SVC return',
      'el-switch: all 10 checks passed', '',
    ].join('\n'));
    expect(r.stop).toEqual({ kind: 'exit', status: 0 });
  });

  it.each([1, 2, 3] as const)('simd-c at EL%i: vectorized C, FP math, AES and SHA256 intrinsics check themselves', (el) => {
    const r = run('simd-c', el);
    expect(r.out).toBe([
      'sum of absolute differences: 22832', 'ok   sad', 'dot product: 4392059058', 'ok   dot16', 'max byte: 255', 'ok   max',
      'saturating add checksum: c3854da3', 'ok   sat-add', 'a*b+c checksum: 7a810aa3', 'ok   fmadd',
      'float to int sum: 125283754', 'ok   fcvtzs', 'sqrt(2) by Newton: 3ff6a09e667f3bcc', 'ok   newton', 'ok   fsqrt',
      'ok   struct-copy', 'aes128: 69c4e0d86a7b0430d8cdb78070b4c55a', 'ok   aes128',
      'sha256("abc"): ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'ok   sha256',
      'simd-c: 0 failures', '',
    ].join('\n'));
    expect(r.stop).toEqual({ kind: 'exit', status: 0 });
  });

  it('mmu', () => {
    const r = run('mmu', 1);
    expect(r.out).toBe(
      'mmu: MMU on, caches on\nok translate-alias\nok tlbi-remap\nok read-only-read\nok permission-fault\n' +
      'ok access-flag-fault\nok xn-instruction-abort\nok translation-fault\nok no-refault\nmmu: all 8 passed\n');
    expect(r.stop).toEqual({ kind: 'exit', status: 0 });
  });

  it('gic-timer: the virtual timer interrupt through the GIC, SGI and priority mask, same output and count every run', () => {
    const expected = [
      'gic-timer: ICC_SRE_EL1 = 0x7',
      'tick 1 at CNTVCT 5794, running priority 0xa0',
      'tick 2 at CNTVCT 12008, running priority 0xa0',
      'tick 3 at CNTVCT 18250, running priority 0xa0',
      '3 ticks in 18729 counter ticks (at least 15000)',
      'with PMR 0x80: 0 SGIs taken',
      'SGI 3 taken, running priority 0x80',
      'with PMR 0x90: 1 SGIs taken',
      'running priority after EOI: 0xff',
      'gic-timer: PASS', '',
    ].join('\n');
    const a = run('gic-timer', 1);
    const b = run('gic-timer', 1);
    expect(a.out).toBe(expected);
    expect(a.stop).toEqual({ kind: 'exit', status: 0 });
    expect(b.out).toBe(expected);
    expect(b.instructions).toBe(a.instructions);
    expect(a.instructions).toBe(9544n);
  });

  it('smp: PSCI CPU_ON of every PE, SGI ping-pong, CPU_OFF and AFFINITY_INFO, same output and count every run', () => {
    const secondary = (pe: number) => [
      `CPU_ON PE ${pe}: 0`, `PE ${pe} up: MPIDR 0x80000${pe}00, EL1`,
    ];
    const ping = (pe: number) => [
      `AFFINITY_INFO PE ${pe}: 0 (ON)`, `PE ${pe}: pinged, answered, powering off`, `PE ${pe} answered the ping`,
      `AFFINITY_INFO PE ${pe}: 1 (OFF)`,
    ];
    const expected = [
      'smp: PE 0 MPIDR 0x80000000, MIGRATE_INFO_TYPE 2', ...secondary(1), ...secondary(2), ...secondary(3), 'smp: 4 PEs',
      'CPU_ON PE 0 (itself): -4 (ALREADY_ON)', 'CPU_ON MPIDR 0xff00: -2 (INVALID_PARAMETERS)',
      'CPU_ON at address 0x10: -9 (INVALID_ADDRESS)', ...ping(1), ...ping(2), ...ping(3), 'smp: PASS', '',
    ].join('\n');
    const a = run('smp', 1, 4);
    const b = run('smp', 1, 4);
    expect(a.out).toBe(expected);
    expect(a.stop).toEqual({ kind: 'exit', status: 0 });
    expect(b.out).toBe(expected);
    expect(b.instructions).toBe(a.instructions);
    expect(a.instructions).toBe(75239n);
  });

  it('smp on one PE: no secondaries, the error codes still right', () => {
    const r = run('smp', 1, 1);
    expect(r.out).toContain('smp: 1 PEs\nCPU_ON PE 0 (itself): -4 (ALREADY_ON)\n');
    expect(r.stop).toEqual({ kind: 'exit', status: 0 });
  });

  it('watchdog: SBSA WS0 and SP805 interrupts through the distributor, same output and count every run', () => {
    const expected = [
      'watchdog: SBSA period 200000 counter ticks',
      'SBSA watchdog WS0 at count 200980, WCS 0x3',
      'SBSA watchdog WS0 at count 402086, WCS 0x3',
      'watchdog: SP805 load 99 (100 ticks of its 32 kHz clock)',
      'SP805 interrupt at count 709438',
      'watchdog: PASS', '',
    ].join('\n');
    const a = run('watchdog', 1);
    const b = run('watchdog', 1);
    expect(a.out).toBe(expected);
    expect(a.stop).toEqual({ kind: 'exit', status: 0 });
    expect(b.out).toBe(expected);
    expect(b.instructions).toBe(a.instructions);
    expect(a.instructions).toBe(5610n);
  });

  it.each([
    ['bench-list', '0f3ea027'],
    ['bench-matrix', '7b4ff2b1'],
    ['bench-fsm', '19d48f2c'],
    ['bench-crc', '5331a032'],
    ['bench-sort', '9d1baf6c'],
    ['bench-sha256', 'f85a4b571d516ab71fc812d3f6008ec600f5e016f74786e0aad2af6009cfd9e1'],
  ])('%s checks its own result', (name, sum) => {
    const r = run(name, 1);
    expect(r.out).toBe(`${name}: ok ${sum}\n`);
    expect(r.stop).toEqual({ kind: 'exit', status: 0 });
  });
});
