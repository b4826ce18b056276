// The Granule Protection Check on real accesses: the verdict is taken at TLB fill, a GPF is reported as the
// access's own abort or as a GPC exception to EL3 (SCR_EL3.GPF), GPT walk faults always go to EL3 with
// GPCSC and MFAR_EL3 (Arm ARM D1.4.5.3, D9).
import { describe, it, expect } from 'vitest';
import { Machine } from '../../src/machine/machine.js';
import { Exit } from '../../src/core/core.js';
import { asm, END } from '../helpers/asm.js';

const CODE = 0x8000_0000n;
const GPT_L0 = 0x8100_0000n; // 4 KB-aligned level-0 table: PPS 32 bits, L0GPTSZ 30 bits: 4 entries
const GPT_L1 = 0x8102_0000n; // level-1 table for 0x8000_0000-0xBFFF_FFFF: 16384 entries of 16 granules
const REALM_PAGE = 0x8050_3000n; // one Realm granule among Non-secure ones
const NS_PAGE = 0x8050_4000n;
const GPCCR = 0x0n | (0n << 14n) | (3n << 12n) | (1n << 10n) | (1n << 8n) | (1n << 16n); // PPS 4 GB, 4 KB, WB ISH, GPC on
const GPI_NS = 0x9n;
const GPI_REALM = 0xbn;
const GPI_ANY = 0xfn;

function w64(m: Machine, pa: bigint, v: bigint) {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  m.writePhysical(pa, b);
}

/** Every granule of the L1 descriptor covering `pa` Non-secure, except `realm` granules. */
function l1(pa: bigint, realm: bigint[] = []): bigint {
  let d = 0n;
  for (let i = 0n; i < 16n; i++) {
    const granule = (pa & ~0xffffn) | (i << 12n);
    d |= (realm.includes(granule) ? GPI_REALM : GPI_NS) << (4n * i);
  }
  return d;
}

function setup(scrGpf = false) {
  const m = new Machine({ ramMiB: 64, console: () => {} });
  m.start(CODE, { el: 1, security: 'ns' });
  const c = m.core;
  // L0: 0-1 GB and 1-2 GB any access (devices), 2-3 GB through the L1 table, 3-4 GB any
  w64(m, GPT_L0 + 0n, (GPI_ANY << 4n) | 1n);
  w64(m, GPT_L0 + 8n, (GPI_ANY << 4n) | 1n);
  w64(m, GPT_L0 + 16n, GPT_L1 | 3n);
  w64(m, GPT_L0 + 24n, (GPI_ANY << 4n) | 1n);
  const allNs = l1(0n);
  const l1table = new Uint8Array(16384 * 8);
  const dv = new DataView(l1table.buffer);
  for (let i = 0; i < 16384; i++) dv.setBigUint64(i * 8, allNs, true);
  m.writePhysical(GPT_L1, l1table);
  w64(m, GPT_L1 + ((REALM_PAGE - 0x8000_0000n) >> 16n) * 8n, l1(REALM_PAGE, [REALM_PAGE]));
  c.setSysreg('GPTBR_EL3', GPT_L0 >> 12n);
  c.setSysreg('GPCCR_EL3', GPCCR);
  if (scrGpf) c.setSysreg('SCR_EL3', c.sysreg('SCR_EL3') | (1n << 48n));
  c.stateChanged();
  return m;
}

/** Runs `ldr x1, [x0]` then the end marker; a budget of 1 stops right after a fault's exception entry. */
function load(m: Machine, addr: bigint, budget = 10n) {
  // ldr x1, [x0] ; hlt #0xf000
  m.writePhysical(CODE, new Uint8Array(new Uint32Array([asm('LDR_off', { sz: 1, imm12: 0, rn: 0, rt: 1 }), END]).buffer));
  m.core.pc = CODE;
  m.core.setX(0, addr);
  m.core.setX(1, 0x1234n);
  return m.core.run(budget);
}

describe('Granule Protection Check on accesses', () => {
  it('lets a Non-secure access to a Non-secure granule through', () => {
    const m = setup();
    expect(load(m, NS_PAGE + 8n)).toBe(Exit.Semihosting);
  });

  it('a Non-secure load from a Realm granule is a GPF reported as a data abort (DFSC 0x28) to EL1', () => {
    const m = setup();
    load(m, REALM_PAGE + 0x10n, 1n);
    const c = m.core;
    expect(c.sysreg('ESR_EL1') >> 26n).toBe(0x25n);
    expect(c.sysreg('ESR_EL1') & 0x3fn).toBe(0x28n);
    expect(c.sysreg('FAR_EL1')).toBe(REALM_PAGE + 0x10n);
    expect(c.x(1)).toBe(0x1234n); // the load wrote nothing
  });

  it('with SCR_EL3.GPF the GPF is a GPC exception to EL3 with GPCSC GPF level 1 and MFAR_EL3', () => {
    const m = setup(true);
    expect(load(m, REALM_PAGE + 0x10n)).toBe(Exit.HostException);
    const c = m.core;
    const esr = c.sysreg('ESR_EL3');
    expect(esr >> 26n).toBe(0x1en);
    expect((esr >> 14n) & 0x3fn).toBe(0b001101n);
    expect((esr >> 20n) & 1n).toBe(0n); // a data access (InD = 0)
    expect(c.sysreg('MFAR_EL3')).toBe((1n << 63n) | REALM_PAGE); // NS = 1, NSE = 0: the Non-secure PAS
    expect(c.sysreg('FAR_EL3')).toBe(REALM_PAGE + 0x10n);
  });

  it('an instruction fetch from a Realm granule is an instruction abort with IFSC 0x28', () => {
    const m = setup();
    m.core.pc = REALM_PAGE;
    m.core.run(1n);
    expect(m.core.sysreg('ESR_EL1') >> 26n).toBe(0x21n);
    expect(m.core.sysreg('ESR_EL1') & 0x3fn).toBe(0x28n);
  });

  it('an invalid level-1 descriptor is a GPT walk fault: a GPC exception to EL3 even without SCR_EL3.GPF', () => {
    const m = setup();
    w64(m, GPT_L1 + ((NS_PAGE - 0x8000_0000n) >> 16n) * 8n, 0x1111_1111_1111_1112n); // reserved GPIs
    expect(load(m, NS_PAGE)).toBe(Exit.HostException);
    const esr = m.core.sysreg('ESR_EL3');
    expect(esr >> 26n).toBe(0x1en);
    expect((esr >> 14n) & 0x3fn).toBe(0b000101n);
  });

  it('the verdict lives in the TLB entry: a GPT change is seen only after TLB invalidation', () => {
    const m = setup();
    expect(load(m, NS_PAGE)).toBe(Exit.Semihosting);
    w64(m, GPT_L1 + ((NS_PAGE - 0x8000_0000n) >> 16n) * 8n, l1(NS_PAGE, [NS_PAGE]));
    expect(load(m, NS_PAGE)).toBe(Exit.Semihosting); // the cached verdict still applies
    m.core.ex.tlb_flush();
    load(m, NS_PAGE, 1n);
    expect(m.core.sysreg('ESR_EL1') & 0x3fn).toBe(0x28n);
  });

  it('invalidation by PA range removes exactly the entries whose granules it covers', () => {
    const m = setup();
    const other = NS_PAGE + 0x1000n;
    expect(load(m, NS_PAGE)).toBe(Exit.Semihosting);
    expect(load(m, other)).toBe(Exit.Semihosting);
    // Both granules become Realm in the GPT (same L1 descriptor); only NS_PAGE's range is invalidated
    w64(m, GPT_L1 + ((NS_PAGE - 0x8000_0000n) >> 16n) * 8n, l1(NS_PAGE, [NS_PAGE, other]));
    m.core.ex.tlb_invalidate_pa(NS_PAGE, NS_PAGE + 0xfffn);
    expect(load(m, other)).toBe(Exit.Semihosting); // outside the range: the entry and its verdict survive
    load(m, NS_PAGE, 1n);
    expect(m.core.sysreg('ESR_EL1') & 0x3fn).toBe(0x28n); // inside: refilled, and the GPC now faults
    const k = m.core.gpcCounters();
    expect(k.paInvalidations).toBe(1n);
    expect(k.paEntriesRemoved).toBe(1n); // the read entry of NS_PAGE, nothing else
    expect(k.faults.gpf).toBe(1n);
    // Every check walked the GPT: the refill of NS_PAGE could not reuse the verdict the range invalidation dropped
    expect(k.gptWalks).toBe(k.checks);
    expect(k.verdictsReused).toBe(0n);
  });
});

describe('the verdict cache of TLB fills, the check on every access, invalid configurations', () => {
  /** ldr x1, [x0] ; tlbi vaae1, x2 ; ldr x1, [x0] ; end: a refill after an invalidation that keeps GPT information. */
  function loadTwice(m: Machine, addr: bigint, budget = 10n) {
    const words = [asm('LDR_off', { sz: 1, imm12: 0, rn: 0, rt: 1 }), asm('SYS', { op1: 0, crn: 8, crm: 7, op2: 3, rt: 2 }),
      asm('LDR_off', { sz: 1, imm12: 0, rn: 0, rt: 1 }), END];
    m.writePhysical(CODE, new Uint8Array(new Uint32Array(words).buffer));
    m.core.pc = CODE;
    m.core.setX(0, addr);
    m.core.setX(2, addr >> 12n);
    return m.core.run(budget);
  }

  it('a refill after TLBI VAAE1 reuses the verdict of the first fill (counted); TLBI by PA range forces a walk', () => {
    const m = setup();
    const before = m.core.gpcCounters();
    expect(loadTwice(m, NS_PAGE)).toBe(Exit.Semihosting);
    const after = m.core.gpcCounters();
    expect(after.verdictsReused - before.verdictsReused).toBe(1n);
    expect(after.checks - before.checks).toBe(after.gptWalks - before.gptWalks + 1n);
    m.core.ex.tlb_invalidate_pa(NS_PAGE, NS_PAGE + 0xfffn);
    expect(load(m, NS_PAGE)).toBe(Exit.Semihosting);
    const last = m.core.gpcCounters();
    expect(last.verdictsReused).toBe(after.verdictsReused);
    expect(last.gptWalks - after.gptWalks).toBe(1n);
  });

  it('with 64K granules one cached verdict answers for every page of the granule, and a PA-range TLBI touching any of them drops it', () => {
    const m = setup();
    // PGS 64K: an L1 descriptor covers 1 MB (16 granules of 64K), 1024 of them per GB: an 8K table
    const l1ns = new Uint8Array(1024 * 8);
    const dv = new DataView(l1ns.buffer);
    for (let i = 0; i < 1024; i++) dv.setBigUint64(i * 8, 0x9999_9999_9999_9999n, true);
    m.writePhysical(GPT_L1, l1ns);
    m.core.setSysreg('GPCCR_EL3', (GPCCR & ~(3n << 14n)) | (1n << 14n));
    m.core.ex.tlb_flush();
    const granule = 0x8050_0000n, p1 = granule + 0x1000n, p2 = granule + 0x3000n;
    expect(load(m, p1)).toBe(Exit.Semihosting);
    const k0 = m.core.gpcCounters();
    expect(load(m, p2)).toBe(Exit.Semihosting); // another page, same granule: its fill reuses the verdict
    const k1 = m.core.gpcCounters();
    expect(k1.verdictsReused - k0.verdictsReused).toBe(1n);
    expect(k1.gptWalks).toBe(k0.gptWalks);
    // A range beside the granule keeps the verdict: a refill of p2 after TLBI VAAE1 reuses it again
    m.core.ex.tlb_invalidate_pa(granule + 0x1_0000n, granule + 0x1_ffffn);
    expect(loadTwice(m, p2)).toBe(Exit.Semihosting);
    const k2 = m.core.gpcCounters();
    expect(k2.verdictsReused - k1.verdictsReused).toBe(1n);
    // The granule turns Realm; a range of p2's page only drops the granule's verdict: p1 keeps its TLB entry, p2 faults
    const index = Number((granule - 0x8000_0000n) >> 20n);
    const nibble = 4n * ((granule >> 16n) & 15n);
    w64(m, GPT_L1 + BigInt(index) * 8n, (0x9999_9999_9999_9999n & ~(0xfn << nibble)) | (GPI_REALM << nibble));
    m.core.ex.tlb_invalidate_pa(p2, p2 + 0xfffn);
    expect(load(m, p1)).toBe(Exit.Semihosting);
    load(m, p2, 1n);
    expect(m.core.sysreg('ESR_EL1') & 0x3fn).toBe(0x28n);
    const k3 = m.core.gpcCounters();
    expect(k3.gptWalks - k2.gptWalks).toBe(1n);
    expect(k3.verdictsReused).toBe(k2.verdictsReused);
  });

  it('a reused verdict is a reused fault too: the same GPF, counted once per access', () => {
    const m = setup();
    load(m, REALM_PAGE, 1n);
    expect(m.core.sysreg('ESR_EL1') & 0x3fn).toBe(0x28n);
    load(m, REALM_PAGE, 1n);
    expect(m.core.sysreg('ESR_EL1') & 0x3fn).toBe(0x28n);
    const k = m.core.gpcCounters();
    expect(k.faults.gpf).toBe(2n);
    expect(k.verdictsReused).toBe(1n);
  });

  it('with the check on every access, a GPT change applies at once, without TLB maintenance', () => {
    const m = setup();
    m.core.gpcEveryAccess = true;
    expect(load(m, NS_PAGE)).toBe(Exit.Semihosting);
    w64(m, GPT_L1 + ((NS_PAGE - 0x8000_0000n) >> 16n) * 8n, l1(NS_PAGE, [NS_PAGE]));
    load(m, NS_PAGE, 1n);
    expect(m.core.sysreg('ESR_EL1') & 0x3fn).toBe(0x28n);
    const k = m.core.gpcCounters();
    expect(k.checks).toBeGreaterThan(4n); // fetches are checked too
    m.core.gpcEveryAccess = false;
  });

  it.each([
    ['reserved PGS 0b11', (GPCCR & ~(3n << 14n)) | (3n << 14n), GPT_L0, 0b000100n],
    ['reserved PPS 0b111', GPCCR | 7n, GPT_L0, 0b000100n],
    ['SH reserved 0b01', (GPCCR & ~(3n << 12n)) | (1n << 12n), GPT_L0, 0b000100n],
    ['Non-cacheable GPT fetches not Outer Shareable', GPCCR & ~(0xfn << 8n), GPT_L0, 0b000100n],
    ['GPTBR_EL3 beyond the protected size', GPCCR, 0x1_0000_0000n, 0b000000n],
    ['GPTBR_EL3 where no memory is', GPCCR, 0x4000_0000n, 0b010100n],
  ])('an invalid configuration (%s) is the architectural GPC exception to EL3, not a host error', (_, gpccr, base, gpcsc) => {
    const m = setup();
    m.core.setSysreg('GPCCR_EL3', gpccr);
    m.core.setSysreg('GPTBR_EL3', base >> 12n);
    m.core.stateChanged();
    expect(load(m, NS_PAGE)).toBe(Exit.HostException);
    expect(m.core.exitEl).toBe(3);
    const esr = m.core.sysreg('ESR_EL3');
    expect(esr >> 26n).toBe(0x1en);
    expect((esr >> 14n) & 0x3fn).toBe(gpcsc);
    expect((esr >> 20n) & 1n).toBe(1n); // the first access is the instruction fetch
  });
});
