// The fuzzer's checks catch broken firmware: each case breaks one thing the RMM or the EL3 monitor must
// do, and a short run must report violations (so a clean run means something).
import { describe, it, expect } from 'vitest';
import { fuzzRmi } from '../../src/fuzz/rmi.js';
import type { Machine } from '../../src/machine/machine.js';
import { RttState, type RttEntry } from '../../firmware/rmm/rtt.js';

const CALLS = 3000;

function broken(sabotage: (m: Machine) => void) {
  return fuzzRmi({ calls: CALLS, seed: 3, sabotage });
}

describe('the fuzzer catches broken firmware', () => {
  it('control: the same run with nothing broken is clean', () => {
    const r = broken(() => {});
    expect(r.problems).toEqual([]);
  });
  it('the GPT change without the TLBI by PA: a cached Non-secure translation survives delegation', () => {
    const r = broken((m) => { m.invalidatePa = () => {}; });
    expect(r.violations).toBeGreaterThan(0);
    expect(r.problems.join('\n')).toMatch(/host load of .* granule .* passes/);
  });
  it('EL3 reports a delegation it did not make in the GPT', () => {
    const r = broken((m) => { m.rme!.gts.delegate = () => true; });
    expect(r.problems.join('\n')).toMatch(/GPI of 0x[0-9a-f]+ is \d+ for a DELEGATED granule/);
  });
  it('granules released without scrubbing', () => {
    const r = broken((m) => { m.rme!.rmm.ctx.scrub = () => {}; });
    expect(r.problems.join('\n')).toMatch(/undelegated granule not scrubbed/);
  });
  it('RTT_DESTROY and RTT_FOLD leave the RTT granule in state RTT', () => {
    const r = broken((m) => { m.rme!.rmm.ctx.granules.releaseRtt = () => {}; });
    expect(r.problems.join('\n')).toMatch(/is RTT, expected DELEGATED/);
  });
  it('REC_DESTROY keeps the auxiliary granules', () => {
    const r = broken((m) => { m.rme!.rmm.ctx.granules.releaseRecAux = () => {}; });
    expect(r.problems.join('\n')).toMatch(/is REC_AUX, expected DELEGATED/);
  });
  it('DATA_CREATE maps the granule next to the DATA granule', () => {
    const r = broken((m) => {
      const rtts = m.rme!.rmm.ctx.rtts;
      const write = rtts.write.bind(rtts);
      rtts.write = (at: bigint, level: number, e: RttEntry) =>
        write(at, level, e.state === RttState.Assigned && level === 3 ? { ...e, addr: e.addr ^ 0x1000n } : e);
    });
    expect(r.problems.join('\n')).toMatch(/its RTTs map DATA/);
  });
});
