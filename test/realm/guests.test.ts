// The sample realm guests (images/realm-*) booted as realms on the whole stack (`cca-emu boot`): each
// checks itself and prints PASS/FAIL lines; here its console, instruction count, RIM and REMs must be
// the golden ones, and the same on a second run; the RIM is also the one `cca-emu measure` computes
// offline. UPDATE_GOLDEN=1 rewrites the golden files.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { bootRealm, type BootOptions } from '../../src/boot/boot.js';
import { verifyCcaToken, verdictIsGood } from '../../src/attestation/verify.js';
import { RealmClaim } from '../../firmware/rmm/attestation/claims.js';
import { measureRealm } from '../../src/measure/command.js';

const GOLDEN_DIR = 'test/realm/golden';

interface Golden {
  end: unknown;
  instructions: string;
  rim: string;
  rems: string[];
  recExits: Record<string, number>;
}

function boot(name: string, o: Partial<BootOptions> = {}) {
  let console = '';
  const r = bootRealm(readFileSync(`images/${name}/${name}.elf`), { ...o, console: (b) => (console += Buffer.from(b).toString('latin1')) });
  const golden: Golden = { end: r.end, instructions: r.instructions.toString(), rim: r.rim, rems: r.rems, recExits: r.recExits };
  return { r, console, golden };
}

/** Boots `name` twice; both runs must match each other and the golden files `<variant>.console/.json`. */
function checkGolden(name: string, variant: string, o: Partial<BootOptions> = {}) {
  const a = boot(name, o);
  const b = boot(name, o);
  expect(b.console).toBe(a.console);
  expect(b.golden).toEqual(a.golden);
  expect(a.r.tornDown).toBe(true);
  const consoleFile = `${GOLDEN_DIR}/${variant}.console`, jsonFile = `${GOLDEN_DIR}/${variant}.json`;
  if (process.env.UPDATE_GOLDEN) {
    writeFileSync(consoleFile, a.console);
    writeFileSync(jsonFile, JSON.stringify(a.golden, null, 2) + '\n');
  }
  expect(existsSync(consoleFile), `${consoleFile} (UPDATE_GOLDEN=1 writes it)`).toBe(true);
  expect(a.console).toBe(readFileSync(consoleFile, 'latin1'));
  expect(a.golden).toEqual(JSON.parse(readFileSync(jsonFile, 'utf8')));
  // Every guest ends its run with a verdict line and no failed check
  expect(a.console).toMatch(new RegExp(`^${name}: PASS$`, 'm'));
  expect(a.console).not.toMatch(/^FAIL/m);
  expect(a.r.end).toEqual({ kind: 'system-off' });
  // `cca-emu measure` computes the same RIM offline from the ELF
  const offline = measureRealm(readFileSync(`images/${name}/${name}.elf`), { recs: o.recs, ipaBits: o.ipaBits, hash: o.hash });
  expect(Buffer.from(offline).toString('hex')).toBe(a.r.rim);
  return a;
}

describe('sample realm guests', () => {
  it('realm-hello: RSI_VERSION, RSI_REALM_CONFIG, the DTB, a UART line at the Unprotected alias and a host-call line', () => {
    const { console, r } = checkGolden('realm-hello', 'realm-hello');
    expect(console).toContain('Hello from the realm, through the UART at its Unprotected alias\n');
    expect(console).toContain('RSI_REALM_CONFIG: ipa_width 33, hash_algo 0 (SHA-256)\n');
    expect(r.recExits.mmio).toBeGreaterThan(64); // the UART line, byte by byte
  });

  it('realm-hello in a 40-bit SHA-512 realm: the guest sees the host\'s choices and finds its UART at bit 39', () => {
    const { console } = checkGolden('realm-hello', 'realm-hello-ipa40-sha512', { ipaBits: 40, hash: 'sha512' });
    expect(console).toContain('RSI_REALM_CONFIG: ipa_width 40, hash_algo 1 (SHA-512)\n');
    expect(console).toContain('UART at IPA 0x3f8, reached at 0x80000003f8\n');
  });

  it('realm-attest: a token for the fixed challenge, printed as hex', () => {
    const { console, r } = checkGolden('realm-attest', 'realm-attest');
    expect(console).toContain('the host has no challenge: a fixed one\n');
    const hex = console.split('\n').filter((l) => /^[0-9a-f]{2,64}$/.test(l)).join('');
    expect(Buffer.from(hex, 'hex')).toEqual(Buffer.from(r.token!));
  });

  it('realm-attest with the verifier\'s challenge (host call 0xCCA3): the token carries it and verifies', () => {
    const challenge = new Uint8Array(64).map((_, i) => 255 - i);
    const { r, console } = boot('realm-attest', { challenge });
    expect(console).toContain('challenge from the host\n');
    expect(console).toMatch(/^realm-attest: PASS$/m);
    const v = verifyCcaToken(r.token!);
    expect(v.realmSignature).toBe('ok');
    expect(v.binding).toBe('ok');
    expect(v.claimErrors).toEqual([]);
    expect(verdictIsGood(v)).toBe(true);
    expect(Buffer.from(v.realmClaims!.get(RealmClaim.challenge) as Uint8Array)).toEqual(Buffer.from(challenge));
    expect(Buffer.from(v.realmClaims!.get(RealmClaim.initialMeasurement) as Uint8Array).toString('hex').slice(0, 64)).toBe(r.rim);
  });

  it('realm-measure: the RIM and REMs read, REM1 extended twice, hostile extends refused', () => {
    const { r, console } = checkGolden('realm-measure', 'realm-measure');
    // What the guest printed is what the RMM holds at the end
    expect(console).toContain(`  RIM  ${r.rim}\n`);
    expect(console).toContain(`  REM1 ${r.rems[1]}\n`);
    expect(r.rems.filter((_, i) => i !== 1).every((m) => /^0+$/.test(m))).toBe(true);
  });

  it('realm-memory: RIPAS EMPTY and back, a buffer shared with the host, the abort on an EMPTY IPA', () => {
    const { console, r } = checkGolden('realm-memory', 'realm-memory');
    expect(console).toContain('This line was written by the realm into memory it shares with the host.\n');
    expect(console).toContain('aborted, ESR 0x96000010');
    expect(r.recExits['ripas-change']).toBe(2);
  });

  it('realm-smp with 4 RECs: CPU_ON, SGIs both ways, CPU_OFF, AFFINITY_INFO', () => {
    const { console, r } = checkGolden('realm-smp', 'realm-smp-4', { recs: 4 });
    for (const i of [1, 2, 3]) expect(console).toContain(`REC ${i}: up, MPIDR 0x${i}, context ID ${i}\n`);
    expect(r.recExits.sysreg).toBe(9); // ICC_SGI1R_EL1 writes: 3 hellos, 3 pings, 3 pongs
  });

  it('realm-smp with one REC says it needs two and fails', () => {
    const { console, r } = boot('realm-smp');
    expect(console).toContain('FAIL: the realm has 2 to 8 RECs (boot with --recs N)\n');
    expect(r.end).toEqual({ kind: 'exit', status: 1n });
  });

  it('realm-timer: three virtual timer interrupts through the virtual GIC, WFI between them', () => {
    const { console, r } = checkGolden('realm-timer', 'realm-timer');
    expect(console.match(/^tick \d: /gm)).toHaveLength(3);
    expect(r.recExits.wfi).toBeGreaterThanOrEqual(3);
  });
});
