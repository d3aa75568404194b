import { openRegularFile } from './fileChunks';

/**
 * The bytes of `ranges` ([offset, length] pairs, in the order wanted) of a regular file, one after another. Ranges
 * that touch are read in one go: a connection's records often lie side by side.
 */
export async function readRanges(path: string, ranges: ReadonlyArray<readonly [number, number]>): Promise<Uint8Array> {
  const total = ranges.reduce((n, [, length]) => n + length, 0);
  const out = new Uint8Array(total);
  const handle = await openRegularFile(path);
  try {
    let at = 0;
    for (let i = 0; i < ranges.length;) {
      const [offset] = ranges[i]!;
      let length = ranges[i]![1];
      let j = i + 1;
      while (j < ranges.length && ranges[j]![0] === offset + length) length += ranges[j++]![1];
      for (let done = 0; done < length;) {
        const { bytesRead } = await handle.read(out, at + done, length - done, offset + done);
        if (bytesRead === 0) throw new Error(`${path} ends before byte ${offset + length}: it changed since it was read`);
        done += bytesRead;
      }
      at += length;
      i = j;
    }
  } finally {
    await handle.close();
  }
  return out;
}
