/** gzip files start with 1f 8b (RFC 1952); captures are recognised as compressed by content, not by name. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Decompresses a chunked gzip stream with the platform's DecompressionStream. Input chunks are copied, because a
 * caller may reuse its read buffer. A corrupt or cut stream ends with an error whose message says so.
 */
export async function* gunzipChunks(source: AsyncIterable<Uint8Array>, onInput?: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let inputError: unknown;
  const pump = (async () => {
    try {
      for await (const chunk of source) {
        await writer.write(chunk.slice());
        onInput?.(chunk.length);
      }
      await writer.close();
    } catch (error) {
      inputError = error;
      await writer.abort(error).catch(() => undefined);
    }
  })();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value) yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    await pump;
  }
  if (inputError) throw inputError;
}
