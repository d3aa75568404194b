// The core runs in Node, workers and browsers, and uses only what all of them provide. Its lib is plain ES2022, so
// the one web-platform class it needs (a WHATWG stream standard, global in Node >= 18 and in browsers) is declared here.
interface CoreReadableStreamReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}
interface CoreWritableStreamWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}
declare class DecompressionStream {
  constructor(format: 'gzip' | 'deflate' | 'deflate-raw');
  readonly readable: { getReader(): CoreReadableStreamReader };
  readonly writable: { getWriter(): CoreWritableStreamWriter };
}
