import { open } from 'node:fs/promises';

/**
 * Reads a file in chunks through two reused buffers, so memory stays flat however large the file: while the caller
 * works on one chunk, the next is already being read into the other buffer. Each chunk is valid only until the next
 * one is requested; the core copies what it must keep.
 */
export async function* fileChunks(path: string, chunkSize = 1 << 20): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  const buffers = [new Uint8Array(chunkSize), new Uint8Array(chunkSize)];
  let turn = 0;
  let pending = handle.read(buffers[0]!, 0, chunkSize, null);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) return;
      const current = buffers[turn]!;
      turn ^= 1;
      pending = handle.read(buffers[turn]!, 0, chunkSize, null);
      yield current.subarray(0, bytesRead);
    }
  } finally {
    // A caller that stops early leaves one read in flight: let it settle before closing.
    await pending.catch(() => undefined);
    await handle.close();
  }
}
