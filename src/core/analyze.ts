import { CaptureStream } from './capture/captureStream';
import { gunzipChunks, isGzip } from './capture/gunzip';
import { newRecord, type CaptureError, type CaptureFormat, type CaptureRecord } from './capture/record';
import { PacketDecoder, type DecodeStats } from './decode/packet';
import type { Connection } from './tcp/connection';
import { ConnectionTracker } from './tcp/tracker';

/** RFC 9293 §3.4.2: MSL is 2 minutes, so TIME_WAIT lasts 240 s. (Linux holds TIME_WAIT 60 s.) */
export const RFC_MSL_SECONDS = 120;

export interface AnalyzeOptions {
  /** Maximum segment lifetime in seconds (TIME_WAIT = 2×MSL). */
  msl?: number;
  /** Keep each connection's segments (default true); false keeps memory per connection constant. */
  keepSegments?: boolean;
  /** Keep segments of this connection (by id) only: to draw one connection of a capture too large to keep whole. */
  keepSegmentsOf?: number;
  /** Called with the number of input bytes consumed so far. */
  onProgress?: (bytesRead: number) => void;
  /** Called as soon as a connection's first packet is seen. */
  onConnection?: (connection: Connection) => void;
  /** Checked between chunks; when it turns true, reading stops and the partial result is returned. */
  signal?: { readonly aborted: boolean };
  /**
   * Bounds on keeping segments, so memory follows what is decoded, not the file's size on disk (a small gzip file can
   * hold gigabytes): past `bytes` of decoded capture only the first connection keeps its segments (the others' are
   * read again for a diagram); past `segments` kept, none does, and `segmentsDropped` says so.
   */
  keepLimit?: { bytes: number; segments: number };
  /**
   * Told where each record that went to a connection lies in the (decompressed) file, and where the blocks lie that
   * any record needs to be read again on its own (`onContext`): together, an index to read one connection again.
   */
  onPlaced?: (connection: Connection, record: CaptureRecord) => void;
  onContext?: (offset: number, length: number) => void;
  /** Records read again out of their file: the record number each had there (Wireshark's frame number), in order. */
  packetNumbers?: ArrayLike<number>;
  /** The time the whole capture ends (a connection read again on its own ends its timers there, not at its last packet). */
  endTime?: number;
  /** The first connection's id (a connection read again on its own keeps its id). */
  firstConnectionId?: number;
}

export interface CaptureAnalysis {
  format: CaptureFormat | undefined;
  compressed: boolean;
  /** Records read from the file. */
  packets: number;
  errors: CaptureError[];
  /** The input is not a capture at all (as opposed to a damaged one). */
  notCapture: boolean;
  cancelled: boolean;
  decode: DecodeStats;
  connections: Connection[];
  /** Time of the first and last record, or NaN. */
  startTime: number;
  endTime: number;
  /** The keep limit's `segments` was passed: no connection holds its segments. */
  segmentsDropped?: boolean;
}

/** Synchronous core: push bytes, get connections. The async `analyzeCapture` wraps it with gzip and cancellation. */
export class CaptureAnalyzer {
  private readonly stream: CaptureStream;
  private readonly tracker: ConnectionTracker;
  private packets = 0;
  private startTime = NaN;
  private endTime = NaN;
  /** When the file says its capture ended (pcapng's isb_endtime), if it says: timers run to there, not to the last record. */
  private statedEnd = NaN;
  private view: DataView | undefined;
  private viewOf: Uint8Array | undefined;
  private readonly decoder: PacketDecoder;
  /** Tells `onPlaced` where a reassembled segment's other fragments lie (one object for them all). */
  private readonly placed = newRecord();

  private keepingAll: boolean;
  private segmentsDropped = false;

  constructor(private readonly options: AnalyzeOptions = {}) {
    this.keepingAll = (options.keepSegments ?? true) && options.keepSegmentsOf === undefined;
    // Without kept segments nobody reads a data segment's options: decode only the SYNs'.
    this.decoder = new PacketDecoder((options.keepSegments ?? true) || options.keepSegmentsOf !== undefined);
    this.tracker = new ConnectionTracker(
      { msl: options.msl ?? RFC_MSL_SECONDS, keepSegments: options.keepSegments ?? true, keepSegmentsOf: options.keepSegmentsOf, firstId: options.firstConnectionId },
      options.onConnection,
    );
    this.stream = new CaptureStream((record) => this.onRecord(record), options.onContext, (time) => {
      this.statedEnd = Number.isNaN(this.statedEnd) ? time : Math.max(this.statedEnd, time);
    });
  }

  push(chunk: Uint8Array): void {
    this.stream.push(chunk);
    const limit = this.options.keepLimit;
    if (!limit) return;
    if (this.keepingAll && this.stream.bytesParsed > limit.bytes) {
      this.keepingAll = false;
      this.tracker.keepOnly(this.options.keepSegmentsOf ?? 1);
    }
    if (this.tracker.kept > limit.segments) {
      this.segmentsDropped = true;
      this.tracker.keepOnly(undefined);
    }
  }

  /** The bytes pushed come out of a gzip stream: a file that is not a capture is told so in those words. */
  set insideGzip(value: boolean) {
    this.stream.insideGzip = value;
  }

  finish(extra: { compressed?: boolean; cancelled?: boolean; error?: CaptureError } = {}): CaptureAnalysis {
    if (!extra.cancelled) this.stream.end();
    this.decoder.finish();
    // A stated end before the last record is a clock's mistake: the records are the truth.
    const endTime = Number.isNaN(this.statedEnd) || this.statedEnd < this.endTime ? this.endTime : this.statedEnd;
    this.tracker.finish(this.options.endTime ?? (Number.isNaN(endTime) ? undefined : endTime));
    const errors = [...this.stream.errors];
    if (extra.error) errors.push(extra.error);
    return {
      format: this.stream.format,
      compressed: extra.compressed ?? false,
      packets: this.packets,
      errors,
      notCapture: this.stream.notCapture,
      cancelled: extra.cancelled ?? false,
      decode: this.decoder.stats,
      connections: this.tracker.connections,
      startTime: this.startTime,
      endTime,
      segmentsDropped: this.segmentsDropped,
    };
  }

  get bytesParsed(): number {
    return this.stream.bytesParsed;
  }

  /** Whether more input can change anything: not once it is known not to be a capture, or damaged beyond reading. */
  get wantsMore(): boolean {
    return !this.stream.done;
  }

  private onRecord(record: CaptureRecord): void {
    this.packets++;
    if (!Number.isNaN(record.time)) {
      if (Number.isNaN(this.startTime)) this.startTime = record.time;
      this.endTime = record.time;
    }
    if (this.viewOf !== record.data) {
      this.viewOf = record.data;
      this.view = new DataView(record.data.buffer, record.data.byteOffset, record.data.byteLength);
    }
    if (this.options.packetNumbers) record.packet = this.options.packetNumbers[this.packets - 1] ?? record.packet;
    const packet = this.decoder.decode(record, this.view!);
    if (!packet) return;
    const connection = this.tracker.add(packet);
    const onPlaced = this.options.onPlaced;
    if (!onPlaced) return;
    for (const fragment of packet.fragments ?? []) {
      Object.assign(this.placed, fragment);
      onPlaced(connection, this.placed);
    }
    onPlaced(connection, record);
  }
}

/** Reads a whole capture from chunks (any size, in order). Never throws for bad input: see `errors`. */
export async function analyzeCapture(source: AsyncIterable<Uint8Array>, options: AnalyzeOptions = {}): Promise<CaptureAnalysis> {
  const analyzer = new CaptureAnalyzer(options);
  const iterator = source[Symbol.asyncIterator]();
  let inputBytes = 0;
  const first = await iterator.next();
  if (first.done) return analyzer.finish();
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => iterator };
  const compressed = isGzip(first.value);
  analyzer.insideGzip = compressed;
  const input = prepend(first.value, rest);
  let cancelled = false;
  let error: CaptureError | undefined;
  try {
    const chunks = compressed
      ? gunzipChunks(input, (n) => options.onProgress?.((inputBytes += n)))
      : countingChunks(input, (n) => options.onProgress?.((inputBytes += n)));
    for await (const chunk of chunks) {
      if (options.signal?.aborted) {
        cancelled = true;
        break;
      }
      analyzer.push(chunk);
      // A file found not to be a capture (or damaged) is read no further: it may be 20 GB of something else.
      if (!analyzer.wantsMore) break;
    }
  } catch (failure) {
    const detail = failure instanceof Error ? failure.message : String(failure);
    error = compressed
      ? { offset: analyzer.bytesParsed, message: `gzip stream damaged or cut short after ${analyzer.bytesParsed} decompressed bytes: ${detail}` }
      : { offset: inputBytes, message: `reading failed: ${detail}` };
  }
  return analyzer.finish({ compressed, cancelled, ...(error ? { error } : {}) });
}

async function* prepend(first: Uint8Array, rest: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield first;
  yield* rest;
}

async function* countingChunks(source: AsyncIterable<Uint8Array>, onInput: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    yield chunk;
    onInput(chunk.length);
  }
}
