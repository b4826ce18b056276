// `cca-emu measure IMAGE`: the RIM a realm built from IMAGE with the given options will have, computed
// offline: the hypervisor's own realm builder runs against OfflineRim instead of the RMM.
import { readFileSync } from 'node:fs';
import { Hypervisor, RealmConfigError, type HashName, type RealmOptions } from '../../firmware/hypervisor/hypervisor.js';
import { GranuleAllocator } from '../../firmware/hypervisor/allocator.js';
import { drive } from '../../firmware/hypervisor/driver.js';
import { realmImageFromElf } from '../../firmware/hypervisor/realm-image.js';
import { REALM_RAM_BASE, DEFAULT_RAM_MIB } from '../../firmware/hypervisor/layout.js';
import { RMI_ABI_VERSION, featureRegister0 } from '../../firmware/rmm/rmi/version.js';
import { REC_AUX_GRANULES } from '../../firmware/rmm/rmi/rec.js';
import { ID_VALUES } from '../isa/id-values.js';
import { OfflineRim, HostPages, type RmmDescription } from './offline-rim.js';

/** What cca-emu's RMM answers to RMI_VERSION, RMI_FEATURES and RMI_REC_AUX_COUNT on the board's PE. */
export function boardRmm(): RmmDescription {
  const dfr0 = ID_VALUES.ID_AA64DFR0_EL1;
  return {
    version: RMI_ABI_VERSION,
    // ID_AA64DFR0_EL1.BRPs [15:12] and WRPs [23:20], as the RMM reads them at boot
    features0: featureRegister0({ breakpointsMinusOne: Number((dfr0 >> 12n) & 0xfn), watchpointsMinusOne: Number((dfr0 >> 20n) & 0xfn) }),
    recAuxCount: REC_AUX_GRANULES,
  };
}

export interface MeasureOptions {
  recs?: number;
  ipaBits?: number;
  hash?: HashName;
  ramMiB?: number;
  rpv?: Uint8Array;
}

/** The RIM of the realm `elf` becomes with `o`, as many bytes as the hash gives; RealmConfigError or ElfError. */
export function measureRealm(elf: Uint8Array, o: MeasureOptions = {}): Uint8Array {
  const ramMiB = o.ramMiB ?? DEFAULT_RAM_MIB;
  const image = realmImageFromElf(elf, REALM_RAM_BASE, BigInt(ramMiB) << 20n);
  const pages = new HostPages();
  // Any Non-secure addresses do: none of them is measured
  const hypervisor = new Hypervisor(pages, new GranuleAllocator(0x1_0000_0000n, 0x10_0000_0000n));
  const rim = new OfflineRim(pages, boardRmm());
  const options: RealmOptions = { recs: o.recs, ipaBits: o.ipaBits, hash: o.hash, ramMiB, rpv: o.rpv };
  const realm = drive(hypervisor.createRealm(image, options), rim);
  return rim.rim(realm.rd);
}

export class MeasureUsageError extends Error {}

export function measureCommand(file: string, opts: { recs: bigint; ipaBits: bigint; hash: HashName; ram: bigint; rpv?: string; json?: boolean }): number {
  let elf: Uint8Array;
  try {
    elf = readFileSync(file);
  } catch (e) {
    throw new MeasureUsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let rpv: Uint8Array | undefined;
  if (opts.rpv !== undefined) {
    if (!/^([0-9a-f]{2})+$/i.test(opts.rpv)) throw new MeasureUsageError('--rpv must be an even number of hex digits');
    rpv = Uint8Array.from(Buffer.from(opts.rpv, 'hex'));
  }
  let rim: Uint8Array;
  try {
    rim = measureRealm(elf, { recs: Number(opts.recs), ipaBits: Number(opts.ipaBits), hash: opts.hash, ramMiB: Number(opts.ram), rpv });
  } catch (e) {
    if (e instanceof RealmConfigError) throw new MeasureUsageError(e.message);
    throw e;
  }
  const hex = Buffer.from(rim).toString('hex');
  if (opts.json) {
    process.stdout.write(JSON.stringify({ rim: hex, hash: opts.hash, recs: Number(opts.recs), ipaBits: Number(opts.ipaBits), ramMiB: Number(opts.ram) }) + '\n');
  } else {
    process.stdout.write(hex + '\n');
  }
  return 0;
}
