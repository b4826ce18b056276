// RMI_REC_ENTER as a world switch (RMM A4.2, A4.3): a hand-assembled realm runs at Realm EL1 under its
// RTTs, its RSI calls are served by the RMM, its MMIO becomes emulatable data-abort exits the host
// completes, and the PE comes back to NS-EL2 after every exit.
import { describe, it, expect } from 'vitest';
import { RealmHost } from '../../src/machine/realm-host.js';
import { RecLoop } from '../../firmware/hypervisor/rec-loop.js';
import { MmioBus, type MmioDevice } from '../../firmware/hypervisor/devices/mmio.js';
import type { RealmImage } from '../../firmware/hypervisor/realm-image.js';
import { asm, mov64 } from '../helpers/asm.js';

const RAM = 0x8000_0000n;
const SCRATCH = RAM + 0x2000n;
const UART_ALIAS = (1n << 32n) | 0x3f8n;
const SMC = asm('SMC', { imm16: 0 });
const movReg = (rd: number, rm: number) => asm('ORR_sr_64', { shift: 0, rm, imm6: 0, rn: 31, rd });
const strb = (rt: number, rn: number, imm = 0) => asm('STRB_off', { imm12: imm, rn, rt });
const ldrb = (rt: number, rn: number, imm = 0) => asm('LDRB_off', { imm12: imm, rn, rt });
const str = (rt: number, rn: number, imm = 0) => asm('STR_off', { sz: 1, imm12: imm / 8, rn, rt });

function image(words: number[]): RealmImage {
  const code = new Uint8Array(0x1000);
  new DataView(code.buffer).setUint32(0, 0, true);
  words.forEach((w, i) => new DataView(code.buffer).setUint32(i * 4, w >>> 0, true));
  return { entry: RAM, pages: new Map([[RAM, code], [SCRATCH, new Uint8Array(0x1000)]]) };
}

/** A byte-wide device that records writes and answers reads with 0x60 (LSR: THRE | TEMT). */
function fakeUart(out: number[]): MmioDevice {
  return { base: 0x3f8n, size: 8n, read: (off) => (off === 5n ? 0x60n : 0n), write: (off, _bytes, v) => void (off === 0n && out.push(Number(v))) };
}

function boot(words: number[]) {
  const h = new RealmHost();
  const realm = h.run(h.hypervisor.createRealm(image(words)));
  const written: number[] = [];
  const console: number[] = [];
  const exits: string[] = [];
  const loop = new RecLoop(h.hypervisor, realm, { bus: new MmioBus([fakeUart(written)]), console: (b) => console.push(...b), onExit: (r) => exits.push(r) });
  const outcome = h.run(loop.run());
  const rec = h.machine.rme!.rmm.ctx.recs.get(realm.recs[0].granule)!;
  return { h, realm, outcome, written, console, exits, rec };
}

const PROGRAM = [
  ...mov64(0, 0xc400_0190n), ...mov64(1, 0x1_0000n), SMC, // RSI_VERSION 1.0
  movReg(19, 0), movReg(20, 1),
  ...mov64(3, UART_ALIAS), ...mov64(4, 0x41n), strb(4, 3), // 'A' to the UART's THR
  ldrb(21, 3, 5), // its LSR
  ...mov64(6, SCRATCH), ...mov64(7, 0xcca1n), str(7, 6), ...mov64(7, 42n), str(7, 6, 8),
  ...mov64(0, 0xc400_0199n), movReg(1, 6), SMC, // RSI_HOST_CALL: exit with status 42
];

describe('REC entry and exit', () => {
  it('runs RSI in the RMM, MMIO through the host, and ends on the host call', () => {
    const { outcome, written, exits, rec, h } = boot(PROGRAM);
    expect(outcome).toEqual({ kind: 'exit', status: 42n });
    expect(rec.gprs[19]).toBe(0n); // RSI_SUCCESS
    expect(rec.gprs[20]).toBe(0x1_0000n); // lower revision 1.0
    expect(written).toEqual([0x41]);
    expect(rec.gprs[21]).toBe(0x60n); // the host's read completed into W21 (A4.2.3)
    expect(exits).toEqual(['mmio', 'mmio', 'host-call']);
    // Back in the Normal world at NS-EL2 after the last exit
    expect(h.machine.core.el).toBe(2);
    expect(h.machine.core.sysreg('SCR_EL3') & 1n).toBe(1n);
  });

  it('ends on PSCI SYSTEM_OFF, after which REC entry fails (RMM B4.3.14 system_off)', () => {
    const { outcome, realm, h } = boot([...mov64(0, 0x8400_0008n), SMC]);
    expect(outcome).toEqual({ kind: 'system-off' });
    const run = h.hypervisor.pool.alloc();
    const x = h.smc.call(0xc400_015c, realm.recs[0].granule, run).x;
    expect(x[0]).toBe(2n | (1n << 8n)); // RMI_ERROR_REALM, index 1
  });
});
