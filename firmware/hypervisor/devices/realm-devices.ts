// The devices the hypervisor emulates for one realm, as kvmtool gives an arm64 realm and its DTB
// (realm-dtb.ts) describes them: the 8250 UART, its interrupt on SPI 0 (INTID 32), and the GICv3.
import { MmioBus } from './mmio.js';
import { Uart8250 } from './uart8250.js';
import { VirtualGic } from './vgic.js';

/** kvmtool's first SPI goes to the UART: INTID 32 + 0 (realm-dtb.ts UART_SPI). */
export const REALM_UART_INTID = 32;

export interface RealmDevices {
  uart: Uart8250;
  gic: VirtualGic;
  /** Both, by IPA: what the REC loop consults on an emulatable data abort at an Unprotected IPA. */
  bus: MmioBus;
}

/** `mpidrs` are the RECs' MPIDRs in REC order; `output` receives the UART's bytes. */
export function realmDevices(mpidrs: readonly bigint[], output: (byte: number) => void): RealmDevices {
  const gic = new VirtualGic(mpidrs);
  const uart = new Uart8250({
    output,
    // An SPI's REC argument is unused: IROUTER picks the target
    irq: (level) => (level ? gic.raise(0, REALM_UART_INTID) : gic.lower(0, REALM_UART_INTID)),
  });
  return { uart, gic, bus: new MmioBus([uart, gic.distributor, gic.redistributors]) };
}
