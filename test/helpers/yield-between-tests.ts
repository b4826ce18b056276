// Lets the vitest worker's event loop turn between tests: a file of long synchronous tests (the decoder's,
// the realm boots') otherwise runs as one block, and on a loaded machine a block past 60 s times out the
// worker's pending RPC to vitest ("Timeout calling onTaskUpdate"), which fails the run.
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
