// Isolation invariants under random RMI sequences (DESIGN.md section 10), through the fuzzer that
// `cca-emu fuzz rmi` runs: after every call the RMM's granule states, the GPT, the realms' RTTs and what
// the Normal world can read agree, and nothing the realm owned comes back unscrubbed.
import { describe, it, expect } from 'vitest';
import { fuzzRmi } from '../../src/fuzz/rmi.js';

describe('isolation invariants under random RMI sequences', () => {
  for (const seed of [1, 2]) {
    it(`seed ${seed}: 5,000 calls, no violation, no host error, deep states reached`, () => {
      const report = fuzzRmi({ calls: 5000, seed });
      expect(report.problems).toEqual([]);
      expect(report.violations).toBe(0);
      expect(report.hostErrors).toBe(0);
      expect(report.calls).toBe(5000);
      for (const name of ['RMI_REALM_CREATE', 'RMI_RTT_CREATE', 'RMI_DATA_CREATE', 'RMI_DATA_DESTROY', 'RMI_REC_CREATE', 'RMI_GRANULE_UNDELEGATE', 'RMI_REALM_DESTROY']) {
        expect(report.statusCounts[`${name}:RMI_SUCCESS`], `${name} never succeeded`).toBeGreaterThan(0);
      }
    });
  }
});
