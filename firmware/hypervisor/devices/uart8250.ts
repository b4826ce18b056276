// The realm's console: a 16550A UART with 8 byte-wide registers, as kvmtool emulates it for an arm64
// guest (kvmtool hw/serial.c; register meanings from the TI PC16550D datasheet). Output is immediate:
// THR is always empty, so LSR.THRE and LSR.TEMT always read as one. Input, when the host queues some,
// is read from RBR with LSR.DR set while bytes remain. No modem lines: MSR reports DCD, DSR and CTS
// asserted, as kvmtool's does, except in loopback (MCR.LOOP), where it mirrors MCR.
import type { MmioDevice, MmioSize } from './mmio.js';
import { REALM_UART_BASE, REALM_UART_SIZE } from '../layout.js';

// Register offsets (DLAB = LCR bit 7 selects DLL/DLM at 0 and 1)
const RBR_THR_DLL = 0, IER_DLM = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

const IER_RDI = 0x01, IER_THRI = 0x02, IER_MASK = 0x0f;
const IIR_NO_INT = 0x01, IIR_THRI = 0x02, IIR_RDI = 0x04, IIR_FIFO_ENABLED = 0xc0;
const FCR_ENABLE_FIFO = 0x01, FCR_CLEAR_RCVR = 0x02;
const LCR_DLAB = 0x80;
const MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10, MCR_MASK = 0x1f;
const LSR_DR = 0x01, LSR_THRE = 0x20, LSR_TEMT = 0x40;
const MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80;

export interface Uart8250Options {
  /** Where transmitted bytes go. */
  output: (byte: number) => void;
  /** Called when the interrupt output changes (kvmtool wires it to SPI 0, INTID 32). */
  irq?: (level: boolean) => void;
  base?: bigint;
}

export class Uart8250 implements MmioDevice {
  readonly base: bigint;
  readonly size = REALM_UART_SIZE;
  private ier = 0;
  private fcr = 0;
  private lcr = 0;
  private mcr = MCR_OUT2; // kvmtool's reset value
  private scr = 0;
  private dll = 0;
  private dlm = 0;
  /** The THR-empty interrupt: raised when THR empties or THRI is enabled, cleared by reading IIR or writing THR. */
  private thriPending = false;
  private readonly input: number[] = [];
  private irqLevel = false;

  constructor(private readonly options: Uart8250Options) {
    this.base = options.base ?? REALM_UART_BASE;
  }

  /** Bytes for the guest to read from RBR, in order. */
  queueInput(bytes: Iterable<number>): void {
    for (const b of bytes) this.input.push(b & 0xff);
    this.updateIrq();
  }

  /** The interrupt output: an enabled interrupt condition is pending. */
  get irq(): boolean {
    return this.interruptId() !== IIR_NO_INT;
  }

  // kvmtool serves every access by its first byte alone, whatever its size; we serve byte accesses only
  // (the registers are byte-wide: the DTB gives no reg-io-width, so drivers use 1): wider reads are zero and wider writes are
  // ignored, so a guest written for another register width fails visibly instead of half-working.
  read(offset: bigint, bytes: MmioSize): bigint {
    if (bytes !== 1 || offset < 0n || offset >= this.size) return 0n;
    return BigInt(this.readRegister(Number(offset)));
  }

  write(offset: bigint, bytes: MmioSize, value: bigint): void {
    if (bytes !== 1 || offset < 0n || offset >= this.size) return;
    this.writeRegister(Number(offset), Number(value & 0xffn));
  }

  private readRegister(reg: number): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (reg) {
      case RBR_THR_DLL: {
        if (dlab) return this.dll;
        const byte = this.input.shift() ?? 0;
        this.updateIrq();
        return byte;
      }
      case IER_DLM: return dlab ? this.dlm : this.ier;
      case IIR_FCR: {
        const id = this.interruptId();
        // Reading IIR while it reports THR empty clears that interrupt (PC16550D Table 4)
        if (id === IIR_THRI) {
          this.thriPending = false;
          this.updateIrq();
        }
        return id | (this.fcr & FCR_ENABLE_FIFO ? IIR_FIFO_ENABLED : 0);
      }
      case LCR: return this.lcr;
      case MCR: return this.mcr;
      case LSR: return LSR_THRE | LSR_TEMT | (this.input.length > 0 ? LSR_DR : 0);
      case MSR: return this.modemStatus();
      default: return this.scr; // SCR
    }
  }

  private writeRegister(reg: number, v: number): void {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (reg) {
      case RBR_THR_DLL:
        if (dlab) this.dll = v;
        else if (this.mcr & MCR_LOOP) this.input.push(v); // loopback: the byte comes back on the receiver
        else this.options.output(v);
        if (!dlab) this.thriPending = true; // sent at once: THR is empty again
        break;
      case IER_DLM:
        if (dlab) {
          this.dlm = v;
          break;
        }
        // Enabling THRI while THR is empty raises it at once, as on a real 16550A
        if (v & IER_THRI && !(this.ier & IER_THRI)) this.thriPending = true;
        this.ier = v & IER_MASK;
        break;
      case IIR_FCR:
        if (v & FCR_CLEAR_RCVR) this.input.length = 0;
        this.fcr = v & ~(FCR_CLEAR_RCVR | 0x04); // the clear bits self-clear
        break;
      case LCR: this.lcr = v; break;
      case MCR: this.mcr = v & MCR_MASK; break;
      case SCR: this.scr = v; break;
      default: break; // LSR and MSR are read-only: writes are ignored
    }
    this.updateIrq();
  }

  /** IIR[3:0]: the highest-priority enabled interrupt condition (received data before THR empty). */
  private interruptId(): number {
    if (this.ier & IER_RDI && this.input.length > 0) return IIR_RDI;
    if (this.ier & IER_THRI && this.thriPending) return IIR_THRI;
    return IIR_NO_INT;
  }

  private modemStatus(): number {
    if (!(this.mcr & MCR_LOOP)) return MSR_DCD | MSR_DSR | MSR_CTS;
    // Loopback: the modem outputs drive the inputs (PC16550D MCR bit 4)
    return (this.mcr & MCR_RTS ? MSR_CTS : 0) | (this.mcr & MCR_DTR ? MSR_DSR : 0)
      | (this.mcr & MCR_OUT1 ? MSR_RI : 0) | (this.mcr & MCR_OUT2 ? MSR_DCD : 0);
  }

  private updateIrq(): void {
    const level = this.irq;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.options.irq?.(level);
  }
}
