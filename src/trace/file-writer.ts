// Writes a trace file from a worker thread, so that the kernel's copy of each batch into the page cache
// (as much CPU as formatting it) runs beside the core and the drain rather than between their runs. The
// batches pass through a few slots of shared memory; the caller waits only when every slot is still queued.
import { Worker } from 'node:worker_threads';
import { getSystemErrorName } from 'node:util';

const SLOTS = 4;
// ctl words
const HANDED = 0; // batches handed to the worker
const WRITTEN = 1; // batches it has written
const ERRNO = 2; // the first write error's errno (negative), 0 while none
const QUIT = 3; // set when no more batches come
const STARTED = 4; // set by the worker when it runs
// A worker that has not started by then never will (a broken installation, not a slow disk)
const START_TIMEOUT_MS = 30_000;

// The worker: plain JavaScript (it runs from this string in the bundled CLI too)
const WORKER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { fd, ctl, data, lengths, slotSize } = workerData;
const bytes = new Uint8Array(data);
Atomics.store(ctl, ${STARTED}, 1);
(function run() {
let next = 0;
for (;;) {
  while (Atomics.load(ctl, ${HANDED}) === next) {
    if (Atomics.load(ctl, ${QUIT}) !== 0) return;
    Atomics.wait(ctl, ${HANDED}, next, 1000);
  }
  const slot = next % ${SLOTS};
  // After an error the batches are dropped: the host reports the error and stops
  if (Atomics.load(ctl, ${ERRNO}) === 0) {
    let off = slot * slotSize;
    const end = off + lengths[slot];
    try {
      while (off < end) off += writeSync(fd, bytes, off, end - off);
    } catch (e) {
      Atomics.store(ctl, ${ERRNO}, typeof e.errno === 'number' && e.errno < 0 ? e.errno : -5);
    }
  }
  next++;
  Atomics.store(ctl, ${WRITTEN}, next);
  Atomics.notify(ctl, ${WRITTEN});
}
})();
`;

export class BackgroundFileWriter {
  private readonly worker: Worker;
  private readonly ctl = new Int32Array(new SharedArrayBuffer(4 * 5));
  private readonly lengths = new Int32Array(new SharedArrayBuffer(4 * SLOTS));
  private readonly data: Uint8Array;
  private handed = 0;

  /** Writes to `fd` (a regular file) batches of at most `slotSize` bytes. */
  constructor(fd: number, private readonly slotSize: number) {
    const data = new SharedArrayBuffer(slotSize * SLOTS);
    this.data = new Uint8Array(data);
    // No execArgv: a loader the process was started with (tsx) would make the worker's start wait on this thread
    this.worker = new Worker(WORKER, { eval: true, execArgv: [], workerData: { fd, ctl: this.ctl, data, lengths: this.lengths, slotSize } });
    this.worker.unref();
  }

  /** Queues a copy of `bytes`; waits while every slot is queued. Throws the first write error. */
  write(bytes: Uint8Array): void {
    if (bytes.length > this.slotSize) throw new Error(`trace file writer: a batch of ${bytes.length} bytes (slots hold ${this.slotSize})`);
    this.waitFor(this.handed - SLOTS + 1);
    const slot = this.handed % SLOTS;
    this.data.set(bytes, slot * this.slotSize);
    this.lengths[slot] = bytes.length;
    Atomics.store(this.ctl, HANDED, ++this.handed);
    Atomics.notify(this.ctl, HANDED);
  }

  /** Waits until every batch is written; throws the first write error. */
  finish(): void {
    this.waitFor(this.handed);
  }

  /** Writes what is queued and ends the worker. */
  close(): void {
    try {
      this.finish();
    } finally {
      Atomics.store(this.ctl, QUIT, 1);
      Atomics.notify(this.ctl, HANDED);
    }
  }

  /** Waits until at least `n` batches are written. */
  private waitFor(n: number): void {
    const since = Date.now();
    for (;;) {
      const written = Atomics.load(this.ctl, WRITTEN);
      const errno = Atomics.load(this.ctl, ERRNO);
      if (errno !== 0) {
        const code = getSystemErrorName(errno);
        throw Object.assign(new Error(`trace file: ${code}`), { code, errno });
      }
      if (written >= n) return;
      if (Atomics.load(this.ctl, STARTED) === 0 && Date.now() - since > START_TIMEOUT_MS) throw new Error('trace file writer: its worker thread did not start');
      Atomics.wait(this.ctl, WRITTEN, written, 1000);
    }
  }
}
