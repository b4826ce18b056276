// Steps a host program on a PE: every SMC it yields is issued by the PE at NS-EL2 and served by the EL3
// monitor exactly as an SMC instruction would be, and the program resumes with X0-X16.
import { rmiName, type HostProgram } from './rmi.js';

/** Something that really executes `SMC #0` on a PE (src/machine/host-smc.ts's HostSmc is one). */
export interface SmcConduit {
  call(fid: number, ...args: bigint[]): { x: bigint[] };
  /** Programs the PE's EL2 physical timer (CNTHP_CVAL_EL2/CTL_EL2) at `at`, or disables it. */
  setTimer?(at: bigint | undefined): void;
  /** WFI at NS-EL2 until an interrupt is signalled. */
  waitForInterrupt?(): void;
  /** The generic counter's count now. */
  now?(): bigint;
}

/** Counts of the SMCs a host program issued, by command name. */
export type CallCounts = Record<string, number>;

/** Runs `program` to completion through `smc` and returns what it returns; counts its calls into `counts`. */
export function drive<T>(program: HostProgram<T>, smc: SmcConduit, counts?: CallCounts): T {
  let results: bigint[] = [];
  for (;;) {
    const step = program.next(results);
    if (step.done) return step.value;
    const request = step.value;
    if ('wait' in request || 'timer' in request) {
      if (!smc.setTimer || !smc.waitForInterrupt || !smc.now) throw new Error('this host cannot wait or arm timers');
      try {
        if ('timer' in request) smc.setTimer(request.timer);
        else {
          if (request.until !== undefined) smc.setTimer(request.until);
          smc.waitForInterrupt();
        }
      } catch (e) {
        program.return(undefined as T);
        throw e;
      }
      results = [smc.now()];
      continue;
    }
    const { fid, args } = request;
    if (counts) {
      const name = rmiName(fid);
      counts[name] = (counts[name] ?? 0) + 1;
    }
    try {
      results = smc.call(fid, ...args).x;
    } catch (e) {
      // The PE could not make the call (a host error, not an RMI status): end the program, running its finally blocks
      program.return(undefined as T);
      throw e;
    }
  }
}
