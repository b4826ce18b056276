// The realm's 16550A UART as kvmtool emulates it: reset values, DLAB, output, input, interrupts,
// read-only registers and access sizes.
import { describe, it, expect } from 'vitest';
import { Uart8250 } from '../../../firmware/hypervisor/devices/uart8250.js';
import { REALM_UART_BASE } from '../../../firmware/hypervisor/layout.js';

function uart() {
  const out: number[] = [];
  const irqs: boolean[] = [];
  const u = new Uart8250({ output: (b) => out.push(b), irq: (l) => irqs.push(l) });
  const rd = (reg: number) => Number(u.read(BigInt(reg), 1));
  const wr = (reg: number, v: number) => u.write(BigInt(reg), 1, BigInt(v));
  return { u, out, irqs, rd, wr };
}

describe('8250 UART', () => {
  it('sits at kvmtool\'s address with 8 registers', () => {
    const { u } = uart();
    expect(u.base).toBe(REALM_UART_BASE);
    expect(u.size).toBe(8n);
  });

  it('resets as kvmtool\'s: IIR no interrupt, LSR THRE|TEMT, MSR DCD|DSR|CTS, MCR OUT2, the rest zero', () => {
    const { rd } = uart();
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(rd)).toEqual([0, 0, 0x01, 0, 0x08, 0x60, 0xb0, 0]);
  });

  it('THR writes go to the sink at once; LSR keeps THRE and TEMT', () => {
    const { out, rd, wr } = uart();
    for (const c of 'hi\n') wr(0, c.charCodeAt(0));
    expect(String.fromCharCode(...out)).toBe('hi\n');
    expect(rd(5) & 0x60).toBe(0x60);
  });

  it('DLAB selects DLL and DLM at offsets 0 and 1, without sending or touching IER', () => {
    const { out, rd, wr } = uart();
    wr(1, 0x05);
    wr(3, 0x83);
    wr(0, 0x01);
    wr(1, 0x02);
    expect(out).toEqual([]);
    expect([rd(0), rd(1), rd(3)]).toEqual([0x01, 0x02, 0x83]);
    wr(3, 0x03);
    expect(rd(1)).toBe(0x05);
    expect(rd(3)).toBe(0x03);
  });

  it('LSR and MSR ignore writes; SCR and LCR keep what is written; MCR keeps its five bits', () => {
    const { rd, wr } = uart();
    wr(5, 0x00);
    wr(6, 0x00);
    expect([rd(5), rd(6)]).toEqual([0x60, 0xb0]);
    wr(7, 0xa5);
    wr(3, 0x1b);
    wr(4, 0xff);
    expect([rd(7), rd(3), rd(4)]).toEqual([0xa5, 0x1b, 0x1f]);
  });

  it('queued input reads from RBR with LSR.DR set while bytes remain; an empty RBR reads zero', () => {
    const { u, rd } = uart();
    u.queueInput([0x41, 0x42]);
    expect(rd(5) & 1).toBe(1);
    expect(rd(0)).toBe(0x41);
    expect(rd(0)).toBe(0x42);
    expect(rd(5) & 1).toBe(0);
    expect(rd(0)).toBe(0);
  });

  it('FCR: FIFO enable shows in IIR[7:6], clearing the receiver drops queued input', () => {
    const { u, rd, wr } = uart();
    u.queueInput([1, 2, 3]);
    wr(2, 0x07);
    expect(rd(2)).toBe(0xc1);
    expect(rd(5) & 1).toBe(0);
  });

  it('received-data interrupt: IER.RDI with input pending, IIR 0x04, ends when RBR is drained', () => {
    const { u, irqs, rd, wr } = uart();
    wr(1, 0x01);
    expect(u.irq).toBe(false);
    u.queueInput([0x33]);
    expect(u.irq).toBe(true);
    expect(rd(2)).toBe(0x04);
    rd(0);
    expect(u.irq).toBe(false);
    expect(irqs).toEqual([true, false]);
  });

  it('THR-empty interrupt: raised by enabling it and by each write to THR, cleared by reading IIR', () => {
    const { u, rd, wr } = uart();
    wr(1, 0x02);
    expect(u.irq).toBe(true);
    expect(rd(2)).toBe(0x02);
    expect(u.irq).toBe(false);
    expect(rd(2)).toBe(0x01);
    wr(0, 0x41);
    expect(u.irq).toBe(true);
    wr(1, 0x00);
    expect(u.irq).toBe(false);
  });

  it('received data outranks THR empty in IIR', () => {
    const { u, rd, wr } = uart();
    wr(1, 0x03);
    u.queueInput([9]);
    expect(rd(2)).toBe(0x04);
    rd(0);
    expect(rd(2)).toBe(0x02);
  });

  it('loopback: THR bytes come back on RBR instead of the sink; MSR mirrors MCR', () => {
    const { out, rd, wr } = uart();
    wr(4, 0x10 | 0x01 | 0x02);
    wr(0, 0x5a);
    expect(out).toEqual([]);
    expect(rd(5) & 1).toBe(1);
    expect(rd(0)).toBe(0x5a);
    expect(rd(6)).toBe(0x30);
  });

  it('accesses wider than a byte read as zero and are ignored; offsets outside the window likewise', () => {
    const { u, out, rd } = uart();
    u.write(7n, 1, 0x11n);
    expect(u.read(4n, 4)).toBe(0n);
    expect(u.read(0n, 8)).toBe(0n);
    u.write(0n, 4, 0x41n);
    u.write(7n, 2, 0x2222n);
    u.write(8n, 1, 0x41n);
    expect(out).toEqual([]);
    expect(rd(7)).toBe(0x11);
    expect(u.read(8n, 1)).toBe(0n);
  });
});
