// The realm's device tree, as kvmtool writes one for an arm64 realm guest: memory at 0x8000_0000, the
// vCPUs with PSCI by SMC (RSI's PSCI calls, RMM B5.3.9), a GICv3, kvmtool's 8250 UART and the
// architected timer. Device addresses are IPAs below the Unprotected alias bit; the guest sets that bit
// to reach them (RMM A5.2.2), as Linux does for a realm's device mappings.
import { FdtNode, writeFdt, cells, cells64, strings, empty } from '../../src/devices/fdt.js';
import {
  REALM_UART_BASE, REALM_UART_SIZE, REALM_UART_CLOCK, REALM_GICD_BASE, REALM_GICD_SIZE, REALM_GICR_STRIDE, realmGicrBase,
} from './layout.js';

export interface RealmDtbOptions {
  ramBase: bigint;
  ramSize: bigint;
  /** MPIDR_EL1 of each REC, in REC order. */
  mpidrs: bigint[];
  bootargs?: string;
  /** The initrd's IPA range [start, end), for /chosen (Linux's boot protocol). */
  initrd?: { start: bigint; end: bigint };
}

const GIC_PHANDLE = 1;
// Interrupt specifiers of the GICv3 binding: type (0 SPI, 1 PPI), number, flags (4 level-high, 8 level-low)
const PPI = 1, SPI = 0, LEVEL_HIGH = 4, LEVEL_LOW = 8;
/** kvmtool's first SPI for its legacy devices; the UART takes it. */
const UART_SPI = 0;

export function realmFdt(o: RealmDtbOptions): Uint8Array {
  const root = new FdtNode('');
  root.prop('compatible', strings('linux,dummy-virt'))
    .prop('interrupt-parent', cells(GIC_PHANDLE))
    .prop('#address-cells', cells(2))
    .prop('#size-cells', cells(2));

  const chosen = root.child('chosen');
  chosen.prop('stdout-path', strings(`/uart@${REALM_UART_BASE.toString(16)}`));
  if (o.bootargs !== undefined) chosen.prop('bootargs', strings(o.bootargs));
  if (o.initrd) chosen.prop('linux,initrd-start', cells64(o.initrd.start)).prop('linux,initrd-end', cells64(o.initrd.end));

  root.child(`memory@${o.ramBase.toString(16)}`).prop('device_type', strings('memory')).prop('reg', cells64(o.ramBase, o.ramSize));

  const cpus = root.child('cpus');
  cpus.prop('#address-cells', cells(1)).prop('#size-cells', cells(0));
  for (const mpidr of o.mpidrs) {
    cpus.child(`cpu@${mpidr.toString(16)}`)
      .prop('device_type', strings('cpu'))
      .prop('compatible', strings('arm,arm-v8'))
      .prop('enable-method', strings('psci'))
      .prop('reg', cells(mpidr));
  }

  // A realm's PSCI calls are RSI commands, made with SMC (RMM B5.3.9)
  root.child('psci').prop('compatible', strings('arm,psci-1.0', 'arm,psci-0.2')).prop('method', strings('smc'));

  root.child(`intc@${REALM_GICD_BASE.toString(16)}`)
    .prop('compatible', strings('arm,gic-v3'))
    .prop('#interrupt-cells', cells(3))
    .prop('interrupt-controller', empty)
    .prop('reg', cells64(REALM_GICD_BASE, REALM_GICD_SIZE, realmGicrBase(o.mpidrs.length), REALM_GICR_STRIDE * BigInt(o.mpidrs.length)))
    .prop('phandle', cells(GIC_PHANDLE));

  // Secure physical, Non-secure physical, virtual, hypervisor: PPIs 13, 14, 11, 10
  root.child('timer')
    .prop('compatible', strings('arm,armv8-timer'))
    .prop('interrupts', cells(PPI, 13, LEVEL_LOW, PPI, 14, LEVEL_LOW, PPI, 11, LEVEL_LOW, PPI, 10, LEVEL_LOW))
    .prop('always-on', empty);

  root.child(`uart@${REALM_UART_BASE.toString(16)}`)
    .prop('compatible', strings('ns16550a'))
    .prop('reg', cells64(REALM_UART_BASE, REALM_UART_SIZE))
    .prop('interrupts', cells(SPI, UART_SPI, LEVEL_HIGH))
    .prop('clock-frequency', cells(REALM_UART_CLOCK));

  return writeFdt(root);
}
