import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** A path that is not a regular file: a FIFO, a device (or a link to one), a directory. */
export class NotRegularFileError extends Error {
  constructor(path: string) {
    super(`${path} is not a regular file (a FIFO, a device or a directory): it is not read`);
  }
}

/**
 * Opens a file for reading only if it is a regular file. Opened without blocking, then checked on the open handle: a
 * FIFO would hold one of Node's few file-I/O threads (which every extension shares) until a writer came, and a device
 * such as /dev/zero never ends.
 */
export async function openRegularFile(path: string): Promise<FileHandle> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw new NotRegularFileError(path);
  }
  return handle;
}

/**
 * Reads a regular file in chunks through two reused buffers, so memory stays flat however large the file: while the
 * caller works on one chunk, the next is already being read into the other buffer. Each chunk is valid only until the
 * next one is requested; the core copies what it must keep. A caller that stops asking stops the reading.
 */
export async function* fileChunks(path: string, chunkSize = 1 << 20): AsyncGenerator<Uint8Array> {
  const handle = await openRegularFile(path);
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
