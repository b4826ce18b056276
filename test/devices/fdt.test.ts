// The DTB writer against Debian's dtc (skipped when dtc is not installed), and the board's tree.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { FdtNode, writeFdt, cells, cells64, strings, empty } from '../../src/devices/fdt.js';
import { Machine } from '../../src/machine/machine.js';

const hasDtc = spawnSync('dtc', ['--version']).status === 0;

function dtc(input: Uint8Array | string, from: 'dtb' | 'dts', to: 'dtb' | 'dts'): Buffer {
  const r = spawnSync('dtc', ['-q', '-I', from, '-O', to], { input });
  if (r.status !== 0) throw new Error(`dtc failed: ${r.stderr.toString()}`);
  return r.stdout;
}

function sample(): FdtNode {
  const root = new FdtNode('');
  root.prop('#address-cells', cells(2)).prop('#size-cells', cells(2)).prop('compatible', strings('vendor,board', 'vendor,family'));
  root.child('chosen').prop('bootargs', strings('console=ttyAMA0 earlycon'));
  const dev = root.child('dev@1c090000');
  dev.prop('reg', cells64(0x1c09_0000n, 0x1000n)).prop('interrupt-controller', empty).prop('phandle', cells(1));
  dev.child('sub').prop('linux,phandle', cells(7)).prop('phandle', cells(7)).prop('bytes', Uint8Array.of(1, 2, 3));
  return root;
}

/** A minimal reader of what the writer wrote: header fields (big-endian). */
function header(b: Uint8Array) {
  const dv = new DataView(b.buffer, b.byteOffset);
  const f = (i: number) => dv.getUint32(i * 4);
  return { magic: f(0), total: f(1), struct: f(2), strings: f(3), rsv: f(4), version: f(5), lastComp: f(6), stringsSize: f(8), structSize: f(9) };
}

describe('FDT writer', () => {
  it('writes a version-17 header whose offsets and sizes add up', () => {
    const b = writeFdt(sample(), [{ address: 0x8000_0000n, size: 0x1000n }]);
    const h = header(b);
    expect(h.magic).toBe(0xd00dfeed);
    expect(h.total).toBe(b.length);
    expect(h.version).toBe(17);
    expect(h.lastComp).toBe(16);
    expect(h.rsv).toBe(40);
    expect(h.struct).toBe(40 + 32); // one reservation and the terminator
    expect(h.strings).toBe(h.struct + h.structSize);
    expect(h.strings + h.stringsSize).toBe(b.length);
  });

  it('shares a property name that is the tail of an earlier one, as dtc does', () => {
    const root = new FdtNode('');
    root.prop('linux,phandle', cells(1));
    root.child('a').prop('phandle', cells(2));
    const b = writeFdt(root);
    const h = header(b);
    const table = Buffer.from(b.subarray(h.strings, h.strings + h.stringsSize)).toString('latin1');
    expect(table.split('\0').filter((s) => s === 'phandle')).toHaveLength(0); // only inside "linux,phandle"
    expect(table).toBe('linux,phandle\0');
  });

  it('rejects a property set twice and a node added twice', () => {
    const n = new FdtNode('');
    n.prop('a', empty);
    expect(() => n.prop('a', empty)).toThrow(/set twice/);
    n.child('c');
    expect(() => n.child('c')).toThrow(/added twice/);
  });

  it.skipIf(!hasDtc)('dtc decompiles it to the expected source, and recompiling gives the same bytes', () => {
    const b = writeFdt(sample(), [{ address: 0x8000_0000n, size: 0x1000n }]);
    const dts = dtc(b, 'dtb', 'dts').toString();
    expect(dts).toContain('/memreserve/\t0x0000000080000000 0x0000000000001000;');
    expect(dts).toContain('compatible = "vendor,board\\0vendor,family";');
    expect(dts).toContain('bootargs = "console=ttyAMA0 earlycon";');
    expect(dts).toContain('reg = <0x00 0x1c090000 0x00 0x1000>;');
    expect(dts).toContain('interrupt-controller;');
    expect(dts).toContain('bytes = [01 02 03];');
    expect(Buffer.from(dtc(dts, 'dts', 'dtb')).equals(Buffer.from(b))).toBe(true);
  });
});

describe('the board device tree', () => {
  const m = new Machine({ ramMiB: 64, console: () => {} });

  it.skipIf(!hasDtc)('round-trips through dtc byte for byte and describes memory, the PE, the GIC, the timer and the UARTs', () => {
    const b = m.deviceTree('console=ttyAMA0');
    const dts = dtc(b, 'dtb', 'dts').toString();
    expect(dts).toContain('memory@80000000 {');
    expect(dts).toContain('reg = <0x00 0x80000000 0x00 0x4000000>;');
    expect(dts).toContain('cpu@0 {');
    expect(dts).toContain('enable-method = "psci";');
    expect(dts).toContain('compatible = "arm,gic-v3";');
    expect(dts).toContain('reg = <0x00 0x2f000000 0x00 0x10000 0x00 0x2f100000 0x00 0x20000>;');
    expect(dts).toContain('interrupts = <0x01 0x0d 0x08 0x01 0x0e 0x08 0x01 0x0b 0x08 0x01 0x0a 0x08>;');
    expect(dts).toContain('uart@1c090000 {');
    expect(dts).toContain('method = "smc";');
    expect(dts).toContain('compatible = "arm,sbsa-gwdt";');
    expect(dts).toContain('interrupts = <0x00 0x1b 0x04>;'); // SPI 27
    expect(dts).toContain('frame@2a830000 {');
    expect(Buffer.from(dtc(dts, 'dts', 'dtb')).equals(Buffer.from(b))).toBe(true);
  });

  it.skipIf(!hasDtc)('lists one cpu node per PE with its MPIDR affinity', () => {
    const four = new Machine({ ramMiB: 16, cpus: 4, console: () => {} });
    const dts = dtc(four.deviceTree(), 'dtb', 'dts').toString();
    expect(dts.match(/cpu@[0-9a-f]+ \{/g)).toEqual(['cpu@0 {', 'cpu@100 {', 'cpu@200 {', 'cpu@300 {']);
    expect(dts).toContain('reg = <0x00 0x300>;');
    expect(dts).toContain('0x00 0x2f100000 0x00 0x80000>;'); // four redistributors
  });

  it('is placed at the top of DRAM0, 2 MiB aligned', () => {
    const b = m.deviceTree();
    const at = m.placeDtb(b);
    expect(at).toBe(0x8000_0000n + 0x400_0000n - 0x20_0000n);
    expect(Buffer.from(m.readPhysical(at, b.length)!).equals(Buffer.from(b))).toBe(true);
  });
});
