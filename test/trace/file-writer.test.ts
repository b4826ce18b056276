// The trace file's worker-thread writer: batches land in order, a write error reaches the caller.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, openSync, closeSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackgroundFileWriter } from '../../src/trace/file-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'cca-file-writer-'));

describe('trace file writer', () => {
  it('writes the batches in the order given, more of them than it has slots', () => {
    const path = join(dir, 'batches.bin');
    const fd = openSync(path, 'w');
    const w = new BackgroundFileWriter(fd, 4096);
    const batches = Array.from({ length: 23 }, (_, i) => new Uint8Array(100 + i * 150).fill(i));
    for (const b of batches) w.write(b);
    w.close();
    closeSync(fd);
    expect(Buffer.from(readFileSync(path)).equals(Buffer.concat(batches))).toBe(true);
  });

  it('refuses a batch larger than its slots', () => {
    const fd = openSync(join(dir, 'big.bin'), 'w');
    const w = new BackgroundFileWriter(fd, 1024);
    expect(() => w.write(new Uint8Array(1025))).toThrow(/1025 bytes/);
    w.close();
    closeSync(fd);
  });

  it.runIf(existsSync('/dev/full'))('reports a write error (a full disk) to the caller, with its code', () => {
    const fd = openSync('/dev/full', 'w');
    const w = new BackgroundFileWriter(fd, 1024);
    w.write(new Uint8Array(10));
    expect(() => w.close()).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    closeSync(fd);
  });
});
