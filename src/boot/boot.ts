// `cca-emu boot`: a realm guest booted as a realm on the whole stack. The board boots with RME (the EL3
// monitor, the GPT, the RMM), PE 0 runs the Normal-world hypervisor at NS-EL2, which builds the realm
// through RMI, runs its RECs until the realm ends, and tears it down; the result is the console and what
// happened on the way: RIM and REMs, REC exits, RMI and RSI calls, instructions, time.
import { RealmHost } from '../machine/realm-host.js';
import { MachineStopped } from '../machine/host-smc.js';
import type { Machine, RunHooks } from '../machine/machine.js';
import { realmImageFromElf, realmImageFromKernel, isArm64Image } from '../../firmware/hypervisor/realm-image.js';
import { ElfError } from '../elf/load.js';
import { RealmConfigError, type HashName, type HostRealm } from '../../firmware/hypervisor/hypervisor.js';
import { RecLoop, RealmFault, type RealmOutcome } from '../../firmware/hypervisor/rec-loop.js';
import { realmDevices } from '../../firmware/hypervisor/devices/realm-devices.js';
import { REALM_RAM_BASE, DEFAULT_RAM_MIB } from '../../firmware/hypervisor/layout.js';
import { RmiError } from '../../firmware/hypervisor/rmi.js';

export interface BootOptions {
  recs?: number;
  ipaBits?: number;
  hash?: HashName;
  /** Realm RAM in MiB. */
  ramMiB?: number;
  /** An initial RAM disk, placed below the DTB and named in its /chosen node. */
  initrd?: Uint8Array;
  /** The verifier's challenge the host relays to the realm (64 bytes, zero-padded). */
  challenge?: Uint8Array;
  /** Instructions the whole machine may execute (host and realm). */
  maxInstructions?: bigint;
  console: (bytes: Uint8Array) => void;
  warn?: (message: string) => void;
  /** Trace the boot (`cca-emu trace boot`): the machine runs the trace build, observed by these hooks. */
  trace?: (machine: Machine) => RunHooks;
}

export type BootEnd =
  | RealmOutcome
  | { kind: 'budget' }
  /** The realm did something it cannot recover from, or the machine stopped: the message says what. */
  | { kind: 'error'; message: string };

export interface BootResult {
  end: BootEnd;
  rim: string;
  rems: string[];
  recExits: Record<string, number>;
  rmiCalls: Record<string, number>;
  rsiCalls: Record<string, number>;
  instructions: bigint;
  seconds: number;
  /** The last attestation token a realm received whole. */
  token?: Uint8Array;
  /** The realm was destroyed and every granule undelegated at the end. */
  tornDown: boolean;
}

/** The board's RAM for a realm of `realmMiB`: the hypervisor's pool needs room for it and its RTTs. */
function hostRamMiB(realmMiB: number): number {
  return Math.max(256, realmMiB * 2 + 128);
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Boots `elf` as a realm; RealmConfigError and ElfError mean bad input (nothing ran). */
export function bootRealm(elf: Uint8Array, o: BootOptions): BootResult {
  const t0 = process.hrtime.bigint();
  const ramMiB = o.ramMiB ?? DEFAULT_RAM_MIB;
  const isElf = elf.length >= 4 && elf[0] === 0x7f && elf[1] === 0x45 && elf[2] === 0x4c && elf[3] === 0x46;
  if (!isElf && !isArm64Image(elf)) throw new ElfError('neither an ELF file nor an arm64 kernel Image');
  const image = isElf ? realmImageFromElf(elf, REALM_RAM_BASE, BigInt(ramMiB) << 20n) : realmImageFromKernel(elf, REALM_RAM_BASE, BigInt(ramMiB) << 20n);
  if (o.initrd) image.initrd = o.initrd;
  const host = new RealmHost({ ramMiB: hostRamMiB(ramMiB), trace: o.trace !== undefined });
  if (o.trace) host.machine.hooks = o.trace(host.machine);
  const rmm = host.machine.rme!.rmm;
  let token: Uint8Array | undefined;
  rmm.ctx.onToken = (t) => (token = t);
  if (o.maxInstructions !== undefined) host.smc.limit = host.machine.core.icount + o.maxInstructions;
  const recExits: Record<string, number> = {};

  let realm: HostRealm | undefined;
  let end: BootEnd;
  try {
    realm = host.run(host.hypervisor.createRealm(image, { ramMiB, recs: o.recs, ipaBits: o.ipaBits, hash: o.hash }));
    const devices = realmDevices(realm.recs.map((r) => r.mpidr), (byte) => o.console(Uint8Array.of(byte)));
    const loop = new RecLoop(host.hypervisor, realm, {
      bus: devices.bus, vgic: devices.gic, console: o.console, challenge: o.challenge, warn: o.warn,
      onExit: (reason) => (recExits[reason] = (recExits[reason] ?? 0) + 1),
    });
    end = host.run(loop.run());
  } catch (e) {
    if (e instanceof RealmConfigError) throw e;
    end = failure(e);
    if (end.kind === 'error' && realm) end.message = locate(host, realm, e, end.message);
  }
  // The measurements as the RMM holds them (RMM A7.1), read before the realm is gone
  const measurements = realm ? rmm.ctx.realms.get(realm.rd)?.measurements : undefined;
  const size = o.hash === 'sha512' ? 64 : 32;
  const rim = measurements ? hex(measurements[0].subarray(0, size)) : '';
  const rems = measurements ? measurements.slice(1).map((m) => hex(m.subarray(0, size))) : [];
  // Teardown (KVM's on exit), unless the PE stopped inside the realm and the REC is still running
  let tornDown = false;
  if (realm && realm.state === 'active' && end.kind !== 'budget' && rmm.ctx.running.size === 0) {
    try {
      host.smc.limit = undefined;
      host.run(host.hypervisor.destroyRealm(realm));
      tornDown = true;
    } catch (e) {
      end = failure(e);
    }
  }
  return {
    end, rim, rems, recExits, rmiCalls: { ...host.rmiCalls }, rsiCalls: { ...rmm.ctx.realmCalls },
    instructions: host.machine.core.icount, seconds: Number(process.hrtime.bigint() - t0) / 1e9, token, tornDown,
  };
}

/**
 * Says which REC a failure concerns and where it was, as the emulator sees it (the host could not): a
 * RealmFault names its REC (the PC is the one of its last exit); when the machine stopped inside a realm,
 * the REC the PE was running.
 */
function locate(host: RealmHost, realm: HostRealm, e: unknown, message: string): string {
  const rmm = host.machine.rme!.rmm;
  if (e instanceof RealmFault) {
    const rec = e.rec === undefined ? undefined : rmm.ctx.recs.get(realm.recs[e.rec].granule);
    return rec ? `${message} (PC 0x${rec.pc.toString(16)})` : message;
  }
  const running = [...rmm.ctx.running.values()][0];
  const index = running ? realm.recs.findIndex((r) => r.granule === running.rec.addr) : -1;
  return index >= 0 ? `REC ${index}: ${message}` : message;
}

/** What stopped a boot that did not end by the realm's own choice. */
function failure(e: unknown): BootEnd {
  if (e instanceof MachineStopped) {
    if (e.stop.kind === 'budget') return { kind: 'budget' };
    if (e.stop.kind === 'guest-error') return { kind: 'error', message: e.stop.message };
    return { kind: 'error', message: `the machine stopped: ${e.stop.kind}` };
  }
  if (e instanceof RealmFault || e instanceof RmiError) return { kind: 'error', message: e.message };
  throw e;
}
