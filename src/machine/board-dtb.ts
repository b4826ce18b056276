// The board's device tree, as FVP Base RevC describes itself to Linux (its fvp-base-revc.dts, reduced to
// what this board models): memory, PEs with PSCI, the GICv3, the generic timer PPIs, the PL011 UARTs.
import { FdtNode, writeFdt, cells, cells64, strings, empty } from '../devices/fdt.js';
import { GICD_BASE, GICD_SIZE, GICR_BASE, GICR_STRIDE } from '../devices/gicv3.js';
import {
  UART_BASES, UART_SIZE, CNTFRQ, SBSA_WDOG_REFRESH_BASE, SBSA_WDOG_CONTROL_BASE, SBSA_WDOG_INTID, CNTCTLBASE_BASE,
  CNTBASE_FRAMES, FRAME_SIZE,
} from './board.js';

export interface BoardDescription {
  /** RAM ranges (base, size). */
  memory: { base: bigint; size: bigint }[];
  /** MPIDR_EL1 of each PE. */
  mpidrs: readonly bigint[];
  /** The kernel command line, if any (/chosen/bootargs). */
  bootargs?: string;
}

const GIC_PHANDLE = 1;
const CLOCK_PHANDLE = 2;
// Interrupt specifiers of the GICv3 binding: type (0 SPI, 1 PPI), number, flags (4 level-high, 8 low)
const PPI = 1, SPI = 0, LEVEL_HIGH = 4, LEVEL_LOW = 8;

export function boardFdt(b: BoardDescription): Uint8Array {
  const root = new FdtNode('');
  root.prop('compatible', strings('arm,fvp-base-revc', 'arm,vexpress'))
    .prop('model', strings('cca-emu FVP Base RevC'))
    .prop('interrupt-parent', cells(GIC_PHANDLE))
    .prop('#address-cells', cells(2))
    .prop('#size-cells', cells(2));

  const chosen = root.child('chosen');
  chosen.prop('stdout-path', strings('serial0:115200n8'));
  if (b.bootargs !== undefined) chosen.prop('bootargs', strings(b.bootargs));
  root.child('aliases').prop('serial0', strings(`/uart@${UART_BASES[0].toString(16)}`));

  // PSCI 1.0 (our EL3 monitor implements 1.1) by SMC: CPU_ON and friends use the SMC64 function IDs
  root.child('psci').prop('compatible', strings('arm,psci-1.0', 'arm,psci-0.2')).prop('method', strings('smc'));

  const cpus = root.child('cpus');
  cpus.prop('#address-cells', cells(2)).prop('#size-cells', cells(0));
  for (const mpidr of b.mpidrs) {
    const reg = mpidr & 0xff_00ff_ffffn; // the affinity fields
    const cpu = cpus.child(`cpu@${reg.toString(16)}`);
    cpu.prop('device_type', strings('cpu'))
      .prop('compatible', strings('arm,armv8'))
      .prop('reg', cells64(reg))
      .prop('enable-method', strings('psci'));
  }

  for (const m of b.memory) {
    root.child(`memory@${m.base.toString(16)}`).prop('device_type', strings('memory')).prop('reg', cells64(m.base, m.size));
  }

  const gic = root.child(`interrupt-controller@${GICD_BASE.toString(16)}`);
  gic.prop('compatible', strings('arm,gic-v3'))
    .prop('#interrupt-cells', cells(3))
    .prop('#address-cells', cells(2))
    .prop('#size-cells', cells(2))
    .prop('ranges', empty)
    .prop('interrupt-controller', empty)
    .prop('reg', cells64(GICD_BASE, GICD_SIZE, GICR_BASE, GICR_STRIDE * BigInt(b.mpidrs.length)))
    .prop('interrupts', cells(PPI, 9, LEVEL_HIGH)) // the maintenance interrupt, INTID 25
    .prop('phandle', cells(GIC_PHANDLE));

  // Secure physical, Non-secure physical, virtual, EL2 physical: PPIs 13, 14, 11, 10 (INTIDs 29, 30, 27, 26)
  root.child('timer')
    .prop('compatible', strings('arm,armv8-timer'))
    .prop('interrupts', cells(PPI, 13, LEVEL_LOW, PPI, 14, LEVEL_LOW, PPI, 11, LEVEL_LOW, PPI, 10, LEVEL_LOW))
    .prop('clock-frequency', cells(Number(CNTFRQ)));

  root.child('clk24mhz')
    .prop('compatible', strings('fixed-clock'))
    .prop('#clock-cells', cells(0))
    .prop('clock-frequency', cells(24_000_000))
    .prop('clock-output-names', strings('v2m:clk24mhz'))
    .prop('phandle', cells(CLOCK_PHANDLE));

  UART_BASES.forEach((base, i) => {
    root.child(`uart@${base.toString(16)}`)
      .prop('compatible', strings('arm,pl011', 'arm,primecell'))
      .prop('reg', cells64(base, UART_SIZE))
      .prop('interrupts', cells(SPI, 5 + i, LEVEL_HIGH)) // FVP: UART0..3 on SPIs 5..8
      .prop('clocks', cells(CLOCK_PHANDLE, CLOCK_PHANDLE))
      .prop('clock-names', strings('uartclk', 'apb_pclk'));
  });

  // The Non-secure memory-mapped timer frame (frame 1) and the SBSA watchdog, as FVP's tree lists them
  const timerMem = root.child(`timer@${CNTCTLBASE_BASE.toString(16)}`);
  timerMem.prop('compatible', strings('arm,armv7-timer-mem'))
    .prop('reg', cells64(CNTCTLBASE_BASE, FRAME_SIZE))
    .prop('clock-frequency', cells(Number(CNTFRQ)))
    .prop('#address-cells', cells(2))
    .prop('#size-cells', cells(2))
    .prop('ranges', empty);
  const frame = CNTBASE_FRAMES[1];
  timerMem.child(`frame@${frame.base.toString(16)}`)
    .prop('frame-number', cells(1))
    .prop('interrupts', cells(SPI, frame.intid - 32, LEVEL_HIGH))
    .prop('reg', cells64(frame.base, FRAME_SIZE));

  root.child(`watchdog@${SBSA_WDOG_REFRESH_BASE.toString(16)}`)
    .prop('compatible', strings('arm,sbsa-gwdt'))
    .prop('reg', cells64(SBSA_WDOG_REFRESH_BASE, FRAME_SIZE, SBSA_WDOG_CONTROL_BASE, FRAME_SIZE))
    .prop('interrupts', cells(SPI, SBSA_WDOG_INTID - 32, LEVEL_HIGH));

  return writeFdt(root);
}
