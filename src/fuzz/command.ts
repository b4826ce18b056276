// `cca-emu fuzz rmi`: the RMI fuzzer's report, as a summary or one JSON object; non-zero exit on any
// violation or host error.
import { fuzzRmi } from './rmi.js';

export const EXIT_FUZZ_FAILED = 1;

export function fuzzRmiCommand(opts: { calls: bigint; seed: bigint; json?: boolean }): number {
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const report = fuzzRmi({ calls: Number(opts.calls), seed: Number(opts.seed) });
  const failed = report.violations > 0 || report.hostErrors > 0;
  if (opts.json) {
    const { calls, violations, hostErrors, statusCounts, problems } = report;
    process.stdout.write(JSON.stringify({ calls, violations, hostErrors, statusCounts, problems }) + '\n');
  } else {
    const totals = Object.entries(report.statusCounts).filter(([k]) => !k.includes(':')).map(([k, v]) => `${k}=${v}`).join(' ');
    const seconds = (Date.now() - t0) / 1000;
    // CPU time too: on a shared machine the wall clock says more about the neighbours than about the fuzzer
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    process.stdout.write(`calls: ${report.calls} (seed ${opts.seed}, ${seconds.toFixed(1)} s, ${Math.round(report.calls / seconds)} calls/s; ` +
      `CPU ${cpuSeconds.toFixed(1)} s, ${Math.round(report.calls / cpuSeconds)} calls/s)\n` +
      `statuses: ${totals}\nviolations: ${report.violations}\nhost errors: ${report.hostErrors}\n`);
    for (const p of report.problems) process.stdout.write(`  ${p}\n`);
  }
  return failed ? EXIT_FUZZ_FAILED : 0;
}
