// Arm PrimeCell UART (PL011), transmit side and the registers drivers read (PL011 TRM, DDI0183).
import type { DeviceHandler } from '../core/core.js';

const UARTDR = 0x000;
const UARTFR = 0x018;
const UARTCR = 0x030;
const UARTIMSC = 0x038;
const FR_TXFE = 1 << 7; // transmit FIFO empty: we transmit at once
const FR_RXFE = 1 << 4; // receive FIFO empty: there is no input yet

// Peripheral and PrimeCell identification (0xFE0-0xFFC): PL011 r1p5
const ID_REGS = [0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export class Pl011 implements DeviceHandler {
  private regs = new Map<number, number>();

  constructor(private readonly output: (byte: number) => void) {}

  read(offset: bigint, _size: number): bigint {
    const off = Number(offset);
    if (off === UARTFR) return BigInt(FR_TXFE | FR_RXFE);
    if (off === UARTDR) return 0n;
    if (off >= 0xfe0 && off < 0x1000) return BigInt(ID_REGS[(off - 0xfe0) >> 2]);
    return BigInt(this.regs.get(off) ?? (off === UARTCR ? 0x300 : 0));
  }

  write(offset: bigint, _size: number, value: bigint): void {
    const off = Number(offset);
    if (off === UARTDR) this.output(Number(value & 0xffn));
    else if (off === UARTCR || off === UARTIMSC || off < 0x1000) this.regs.set(off, Number(value & 0xffffffffn));
  }
}
