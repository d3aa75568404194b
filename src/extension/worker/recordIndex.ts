// Where each connection's records lie in an uncompressed capture file, kept while the file is read, so that a
// connection whose segments were not kept (a large capture keeps the first connection's) is read again from its own
// records, not from the whole file: a second for 1 GB becomes some milliseconds.
import { analyzeCapture, type CaptureAnalysis } from '../../core/analyze';
import type { CaptureRecord } from '../../core/capture/record';
import type { Connection } from '../../core/tcp/connection';

/** Past this many records the index is given up (20 bytes each: its memory), and a diagram reads the whole file again. */
const MOST_RECORDS = 3_000_000;

export class RecordIndex {
  private connectionIds = new Uint32Array(1 << 12);
  private packets = new Uint32Array(1 << 12);
  private offsets = new Float64Array(1 << 12);
  private lengths = new Uint32Array(1 << 12);
  private count = 0;
  /** The file header (pcap) or the section headers and interface descriptions (pcapng) every record needs. */
  private readonly context: Array<[number, number]> = [];
  givenUp = false;

  place(connection: Connection, record: CaptureRecord): void {
    if (this.givenUp) return;
    if (this.count === MOST_RECORDS) {
      this.givenUp = true;
      this.connectionIds = new Uint32Array(0);
      this.packets = new Uint32Array(0);
      this.offsets = new Float64Array(0);
      this.lengths = new Uint32Array(0);
      return;
    }
    if (this.count === this.offsets.length) this.grow();
    this.connectionIds[this.count] = connection.id;
    this.packets[this.count] = record.packet;
    this.offsets[this.count] = record.offset;
    this.lengths[this.count] = record.length;
    this.count++;
  }

  addContext(offset: number, length: number): void {
    this.context.push([offset, length]);
  }

  /** The byte ranges to read for connection `id` (the context and its records, in file order) and its records' numbers. */
  rangesOf(id: number): { ranges: Array<[number, number]>; packets: number[] } {
    const mine: number[] = [];
    for (let i = 0; i < this.count; i++) if (this.connectionIds[i] === id) mine.push(i);
    // A reassembled segment's earlier fragments are placed when its last one arrives: put them back in file order.
    mine.sort((a, b) => this.offsets[a]! - this.offsets[b]!);
    const ranges: Array<[number, number]> = [];
    const packets: number[] = [];
    let c = 0;
    for (const i of mine) {
      const offset = this.offsets[i]!;
      while (c < this.context.length && this.context[c]![0] < offset) ranges.push(this.context[c++]!);
      ranges.push([offset, this.lengths[i]!]);
      packets.push(this.packets[i]!);
    }
    return { ranges, packets };
  }

  private grow(): void {
    const size = this.offsets.length * 2;
    const more = <T extends Uint32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.connectionIds = more(this.connectionIds, (n) => new Uint32Array(n));
    this.packets = more(this.packets, (n) => new Uint32Array(n));
    this.offsets = more(this.offsets, (n) => new Float64Array(n));
    this.lengths = more(this.lengths, (n) => new Uint32Array(n));
  }
}

/** What must agree between a connection read on its own and the same connection of the whole file. */
function same(a: Connection, b: Connection): boolean {
  return a.packetCount === b.packetCount && a.outcome === b.outcome && a.anomalyCount === b.anomalyCount &&
    JSON.stringify(a.analysisCounts) === JSON.stringify(b.analysisCounts) &&
    JSON.stringify([a.clientHistory, a.serverHistory]) === JSON.stringify([b.clientHistory, b.serverHistory]);
}

/**
 * Connection `id` of `whole` with its segments, read from `bytes` (what `rangesOf` names, read from the file), or
 * undefined where read on its own it would not be the same as in the whole file (its 4-tuple reused from a connection
 * before it, say): then the whole file is read again.
 */
export async function connectionAgain(bytes: Uint8Array, packets: number[], whole: CaptureAnalysis, id: number, msl: number): Promise<Connection | undefined> {
  async function* once(): AsyncGenerator<Uint8Array> {
    yield bytes;
  }
  const again = await analyzeCapture(once(), { msl, keepSegments: true, packetNumbers: packets, endTime: whole.endTime, firstConnectionId: id });
  const connection = again.connections[0];
  const original = whole.connections[id - 1];
  if (again.connections.length !== 1 || again.errors.length > 0 || !connection || !original || !same(connection, original)) return undefined;
  return connection;
}
