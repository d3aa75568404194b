import { CaptureFault, MAX_RECORD_BYTES, newRecord, type ContextSink, type FormatParser, type RecordSink } from './record';

const FILE_HEADER = 128;
/** pcap link types for Network Monitor's network (media) types read: Ethernet, and FDDI (its bit order does not matter here). */
const LINK_TYPES: Record<number, number> = { 1: 1, 3: 10 };
/** Network types from 0xE000 on are pcap link types plus 0xE000 (what NetMon writes for captures it converted). */
const PCAP_BASE = 0xe000;
/** From 0xFFE0 on, records carry NetMon's own events and tables, not packets. */
const EVENTS = 0xffe0;
/** A link type for what is not a pcap link type: counted as not read, under a number no pcap link type has. */
const NOT_PCAP = 0x10000;

/** Whether the file starts with Network Monitor's signature: "RTSS" (1.x) or "GMBU" (2.x). */
export function isNetmonMagic(head: Uint8Array): boolean {
  const signature = String.fromCharCode(...head.subarray(0, 4));
  return signature === 'RTSS' || signature === 'GMBU';
}

/**
 * Microsoft Network Monitor 1.x and 2.x (`.cap`), little-endian: a 128-byte header (signature, version, network type,
 * capture start as a UTC SYSTEMTIME, where the frame table lies), then the frames, each a header (1.x: milliseconds
 * since the start, original and captured length in 16 bits; 2.x: microseconds in 64 bits, lengths in 32), the bytes,
 * and from 2.1 on a trailer whose first two bytes are the frame's own network type; the frame table at the end.
 *
 * Read in one pass, the frames are taken in file order up to the frame table (as NetMon and editcap write them); the
 * table itself, which would allow gaps, comes last and is not needed for that.
 */
export class NetmonParser implements FormatParser {
  readonly format = 'netmon' as const;
  private headerRead = false;
  private major = 0;
  private minor = 0;
  private network = 0;
  /** The capture's start: whole seconds since the epoch, and its milliseconds as microseconds. */
  private startSeconds = 0;
  private startMicros = 0;
  private frameTable = Infinity;
  private packets = 0;
  private readonly record = newRecord();

  constructor(private readonly sink: RecordSink, private readonly context?: ContextSink) {}

  step(bytes: Uint8Array, view: DataView, pos: number, end: number, offset: number): number {
    if (!this.headerRead) return this.readFileHeader(view, pos, end, offset);
    // Past the frames: the frame table and what follows it hold no packet.
    if (offset >= this.frameTable) return end - pos;
    const header = this.major === 1 ? 8 : 16;
    if (end - pos < header) return -header;
    const micros = this.startMicros + (this.major === 1 ? view.getUint32(pos, true) * 1e3
      : view.getUint32(pos, true) + view.getUint32(pos + 4, true) * 2 ** 32);
    const original = this.major === 1 ? view.getUint16(pos + 4, true) : view.getUint32(pos + 8, true);
    const included = this.major === 1 ? view.getUint16(pos + 6, true) : view.getUint32(pos + 12, true);
    const trailer = this.trailerLength();
    const total = header + included + trailer;
    if (total > MAX_RECORD_BYTES) throw new CaptureFault(offset, `corrupt Network Monitor frame header: ${included} captured bytes`);
    if (end - pos < total) return -total;
    const network = trailer >= 2 ? view.getUint16(pos + header + included, true) : this.network;
    const record = this.record;
    record.packet = ++this.packets;
    record.offset = offset;
    record.length = total;
    // Whole seconds plus a fraction, as pcap's are: the same instant gives the same number.
    record.time = this.startSeconds + Math.floor(micros / 1e6) + (micros % 1e6) / 1e6;
    record.linkType = linkTypeOf(network === 0 ? this.network : network);
    record.data = bytes;
    record.dataStart = pos + header;
    record.capturedLength = included;
    record.originalLength = Math.max(original, included);
    this.sink(record);
    return total;
  }

  /** Network Monitor 3.x help: 2.1 adds the network type, 2.2 a process index, 2.3 on a UTC time and time zone. */
  private trailerLength(): number {
    if (this.major === 1 || this.minor === 0) return 0;
    return this.minor === 1 ? 2 : this.minor === 2 ? 6 : 15;
  }

  private readFileHeader(view: DataView, pos: number, end: number, offset: number): number {
    if (end - pos < FILE_HEADER) return -FILE_HEADER;
    this.minor = view.getUint8(pos + 4);
    this.major = view.getUint8(pos + 5);
    if (this.major !== 1 && this.major !== 2) throw new CaptureFault(offset + 5, `unsupported Network Monitor version ${this.major}.${this.minor}`);
    this.network = view.getUint16(pos + 6, true);
    const field = (i: number) => view.getUint16(pos + 8 + 2 * i, true);
    // SYSTEMTIME: year, month, day of the week, day, hour, minute, second, millisecond.
    this.startSeconds = Date.UTC(field(0), field(1) - 1, field(3), field(4), field(5), field(6)) / 1000;
    this.startMicros = field(7) * 1000;
    const table = view.getUint32(pos + 24, true);
    // A table before the frames (or none) says nothing about where they end.
    this.frameTable = table > FILE_HEADER ? offset + table : Infinity;
    this.headerRead = true;
    this.context?.(offset, FILE_HEADER);
    return FILE_HEADER;
  }
}

function linkTypeOf(network: number): number {
  if (network >= PCAP_BASE && network < EVENTS) return network - PCAP_BASE;
  return LINK_TYPES[network] ?? NOT_PCAP + network;
}
