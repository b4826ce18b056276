// The release core carries no trace code: no trace exports, no other imports than the trace build's, and
// running an image leaves the trace ring untouched; the trace build exports the ring.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Machine } from '../../src/machine/machine.js';

const release = new WebAssembly.Module(readFileSync('build/core.wasm'));
const trace = new WebAssembly.Module(readFileSync('build/core-trace.wasm'));
const names = (m: WebAssembly.Module) => WebAssembly.Module.exports(m).map((e) => e.name);
const imports = (m: WebAssembly.Module) => WebAssembly.Module.imports(m).map((i) => `${i.module}.${i.name}`).sort();

describe('the release and trace builds of the core', () => {
  it('only the trace build exports the trace ring', () => {
    expect(names(trace).filter((n) => n.startsWith('TRACE_'))).toEqual(
      expect.arrayContaining(['TRACE_STATE_HEAD', 'TRACE_STATE_LOST', 'TRACE_STATE_RING', 'TRACE_STATE_RING_SIZE']));
    expect(names(release).filter((n) => /trace/i.test(n))).toEqual([]);
    // Everything else is the same surface, but the function table the release build's JIT adds blocks to
    expect(names(trace).filter((n) => !n.startsWith('TRACE_')).sort()).toEqual(names(release).filter((n) => n !== 'table').sort());
    expect(names(trace)).not.toContain('table');
  });

  it('import the same host functions: tracing adds no call into the host (the trace build never compiles blocks)', () => {
    expect(imports(release)).toEqual([...imports(trace), 'env.jit_compile'].sort());
  });

  it('the release core never writes the trace ring', () => {
    const m = new Machine({ ramMiB: 64, console: () => {} });
    const image = m.load(readFileSync('images/hello/hello.elf'));
    m.start(image.entry, { el: 1, security: 'ns' });
    expect(m.run(1_000_000n)).toEqual({ kind: 'exit', status: 0 });
    // The ring's place, from the trace build's exports (the host never writes an offset as a number)
    const t = new WebAssembly.Instance(trace, { env: { mmio_read: () => 0n, mmio_write: () => {}, abort: () => {} } }).exports;
    const value = (n: string) => Number((t[n] as WebAssembly.Global).value);
    const start = value('TRACE_STATE_HEAD');
    const end = value('TRACE_STATE_RING') + value('TRACE_STATE_RING_SIZE');
    const ring = m.core.bytes.subarray(start, end);
    expect(ring.length).toBeGreaterThan(1 << 20);
    expect(ring.every((b) => b === 0)).toBe(true);
  });

  it('the trace build fills the ring, and the host drains it on TraceFull exits without losing a record', () => {
    const m = new Machine({ ramMiB: 64, console: () => {}, trace: true });
    const image = m.load(readFileSync('images/bench-crc/bench-crc.elf'));
    m.start(image.entry, { el: 1, security: 'ns' });
    let bytes = 0, drains = 0, lost = 0;
    m.hooks = {
      beforeRun() {},
      afterRun() {
        const r = m.core.takeTrace();
        bytes += r.records.byteLength;
        lost += r.lost;
        drains++;
        return undefined;
      },
    };
    m.run(300_000n);
    expect(lost).toBe(0);
    expect(bytes).toBeGreaterThan(300_000 * 32); // an INSN record of 32 bytes for every instruction, and more
    expect(drains).toBeGreaterThan(2); // the 4 MiB ring filled at least twice
  });
});
