// Arm semihosting (Arm IHI0092, "Semihosting for AArch32 and AArch64"), the calls bare-metal programs use
// for console output and to report their exit status. HLT #0xF000 with the operation in W0, the parameter
// in X1; the result goes back in X0.

export const SYS_WRITEC = 0x03;
export const SYS_WRITE0 = 0x04;
export const SYS_WRITE = 0x05;
export const SYS_EXIT = 0x18;
export const SYS_EXIT_EXTENDED = 0x20;
const ADP_STOPPED_APPLICATION_EXIT = 0x20026n;

export interface GuestMemory {
  /** Reads bytes at a virtual address of the current regime; undefined if any byte is not mapped. */
  readVirtual(va: bigint, length: number): Uint8Array | undefined;
}

export type SemihostingResult =
  | { kind: 'continue'; x0: bigint }
  | { kind: 'exit'; status: number }
  | { kind: 'error'; message: string };

export function semihostingCall(op: number, param: bigint, mem: GuestMemory, out: (b: Uint8Array) => void): SemihostingResult {
  const words = (n: number) => {
    const b = mem.readVirtual(param, 8 * n);
    if (!b) return undefined;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return Array.from({ length: n }, (_, i) => dv.getBigUint64(8 * i, true));
  };
  switch (op) {
    case SYS_WRITEC: {
      const b = mem.readVirtual(param, 1);
      if (!b) return { kind: 'error', message: `SYS_WRITEC: parameter 0x${param.toString(16)} is not mapped` };
      out(b);
      return { kind: 'continue', x0: param };
    }
    case SYS_WRITE0: {
      const bytes: number[] = [];
      for (let a = param; ; a++) {
        const b = mem.readVirtual(a, 1);
        if (!b) return { kind: 'error', message: `SYS_WRITE0: string at 0x${param.toString(16)} runs into unmapped memory` };
        if (b[0] === 0) break;
        bytes.push(b[0]);
        if (bytes.length > 1 << 20) return { kind: 'error', message: 'SYS_WRITE0: string longer than 1 MiB' };
      }
      out(Uint8Array.from(bytes));
      return { kind: 'continue', x0: param };
    }
    case SYS_WRITE: {
      const w = words(3);
      if (!w) return { kind: 'error', message: 'SYS_WRITE: parameter block is not mapped' };
      const [fd, ptr, len] = w;
      if (len > 1n << 24n) return { kind: 'error', message: `SYS_WRITE: length ${len} is absurd` };
      const data = mem.readVirtual(ptr, Number(len));
      if (!data) return { kind: 'error', message: `SYS_WRITE: buffer at 0x${ptr.toString(16)} is not mapped` };
      if (fd === 1n || fd === 2n) out(data);
      return { kind: 'continue', x0: 0n }; // the number of bytes not written
    }
    case SYS_EXIT: {
      // AArch64: X1 points to {reason, subcode} (IHI0092 6.1.?); some programs pass the reason directly
      const w = words(2);
      const reason = w ? w[0] : param;
      if (reason === ADP_STOPPED_APPLICATION_EXIT) return { kind: 'exit', status: w ? Number(w[1] & 0xffn) : 0 };
      return { kind: 'exit', status: 1 };
    }
    case SYS_EXIT_EXTENDED: {
      const w = words(2);
      if (!w) return { kind: 'error', message: 'SYS_EXIT_EXTENDED: parameter block is not mapped' };
      return { kind: 'exit', status: w[0] === ADP_STOPPED_APPLICATION_EXIT ? Number(w[1] & 0xffn) : 1 };
    }
    default:
      return { kind: 'error', message: `semihosting operation 0x${op.toString(16)} is not implemented` };
  }
}
