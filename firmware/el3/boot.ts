// What the EL3 monitor sets up at boot for Realm management, as TF-A does with ENABLE_RME: the GPT from
// the board's map (Root for the GPT itself, Realm for the RMM's carve-out, Secure for trusted memory,
// Non-secure for the rest), then the RMM with its view of the platform.
import type { Cpu } from '../cpu.js';
import { Pas, PhysicalAccess, type PhysicalMemory } from '../phys.js';
import { Gpi, GranuleProtectionTable } from './gpt.js';
import { GranuleTransitionService } from './rmm-el3.js';
import { Rmm } from '../rmm/rmm.js';
import { PlatformAttestation } from './attestation.js';

export interface Range {
  base: bigint;
  size: bigint;
}

export interface RmeBoard {
  /** The DRAM regions present. */
  ram: Range[];
  /** The reserved top of DRAM: the GPT (Root) at its start, the RMM's memory (Realm) after it. */
  carveOut: Range;
  rootSize: bigint;
  /** Trusted SRAM and DRAM (Secure PAS). */
  secure: Range[];
  /** Seed of the platform attestation keys (attestation.ts); a fixed default without one. */
  attestationSeed?: Uint8Array;
}

export interface RmeFirmware {
  gpt: GranuleProtectionTable;
  gts: GranuleTransitionService;
  rmm: Rmm;
  attestation: PlatformAttestation;
}

const within = (pa: bigint, r: Range) => pa >= r.base && pa < r.base + r.size;

export function bootRme(mem: PhysicalMemory, cpu: Cpu, board: RmeBoard): RmeFirmware {
  const root: Range = { base: board.carveOut.base, size: board.rootSize };
  const realm: Range = { base: root.base + root.size, size: board.carveOut.size - root.size };
  const gpt = new GranuleProtectionTable(mem, cpu, {
    tableBase: root.base,
    tableSize: root.size,
    ram: board.ram.map((r) => ({ ...r, gpi: Gpi.NonSecure })),
    regions: [
      ...board.secure.map((r) => ({ ...r, gpi: Gpi.Secure })),
      { ...root, gpi: Gpi.Root },
      { ...realm, gpi: Gpi.Realm },
    ],
  });
  const gts = new GranuleTransitionService(gpt);
  const dfr0 = cpu.sysreg('ID_AA64DFR0_EL1');
  const rmm = new Rmm(new PhysicalAccess(mem, Pas.Realm), gts, {
    isDelegable: (pa) => board.ram.some((r) => within(pa, r)) && !within(pa, board.carveOut),
    breakpointsMinusOne: Number((dfr0 >> 12n) & 0xfn),
    watchpointsMinusOne: Number((dfr0 >> 20n) & 0xfn),
    vmidBits: ((cpu.sysreg('ID_AA64MMFR1_EL1') >> 4n) & 0xfn) === 2n ? 16 : 8,
    invalidateOutput: (lo, hi) => mem.invalidatePa(lo, hi),
  });
  // The RMM-EL3 attestation interface (TF-A's RMM_ATTEST_GET_REALM_KEY / RMM_ATTEST_GET_PLAT_TOKEN)
  const attestation = new PlatformAttestation(board.attestationSeed);
  rmm.ctx.attestation = attestation;
  return { gpt, gts, rmm, attestation };
}
