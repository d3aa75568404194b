import { open } from 'node:fs/promises';

/**
 * Reads a file in chunks through one reused buffer, so memory stays flat however large the file. Each chunk is valid
 * only until the next one is requested: the core copies what it must keep.
 */
export async function* fileChunks(path: string, chunkSize = 1 << 20): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(chunkSize);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkSize, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
