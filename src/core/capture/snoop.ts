import { CaptureFault, MAX_RECORD_BYTES, newRecord, type ContextSink, type FormatParser, type RecordSink } from './record';

const FILE_HEADER = 16;
const RECORD_HEADER = 24;
/** pcap's link type for each snoop datalink type read (RFC 1761; 0 is IEEE 802.3, framed as Ethernet). */
const LINK_TYPES: Record<number, number> = { 0: 1, 4: 1 };

/** Whether the file starts with snoop's identification pattern, "snoop" and three zero bytes. */
export function isSnoopMagic(head: Uint8Array): boolean {
  return head.length >= 8 && String.fromCharCode(...head.subarray(0, 5)) === 'snoop' && head[5] === 0 && head[6] === 0 && head[7] === 0;
}

/**
 * Sun snoop (RFC 1761), often saved as `.cap`: a 16-byte header (pattern, version, datalink type), then records of a
 * 24-byte big-endian header — original length, included length, the record's whole length with its padding, drops,
 * seconds, microseconds — and the packet bytes.
 */
export class SnoopParser implements FormatParser {
  readonly format = 'snoop' as const;
  private headerRead = false;
  private linkType = 0;
  private packets = 0;
  private readonly record = newRecord();

  constructor(private readonly sink: RecordSink, private readonly context?: ContextSink) {}

  step(bytes: Uint8Array, view: DataView, pos: number, end: number, offset: number): number {
    if (!this.headerRead) return this.readFileHeader(view, pos, end, offset);
    if (end - pos < RECORD_HEADER) return -RECORD_HEADER;
    const original = view.getUint32(pos, false);
    const included = view.getUint32(pos + 4, false);
    const total = view.getUint32(pos + 8, false);
    if (total > MAX_RECORD_BYTES || total < RECORD_HEADER + included) {
      throw new CaptureFault(offset, `corrupt snoop record header: record length ${total} cannot hold ${included} captured bytes`);
    }
    if (end - pos < total) return -total;
    const record = this.record;
    record.packet = ++this.packets;
    record.offset = offset;
    record.length = total;
    record.time = view.getUint32(pos + 16, false) + view.getUint32(pos + 20, false) / 1e6;
    record.linkType = this.linkType;
    record.data = bytes;
    record.dataStart = pos + RECORD_HEADER;
    record.capturedLength = included;
    record.originalLength = Math.max(original, included);
    this.sink(record);
    return total;
  }

  private readFileHeader(view: DataView, pos: number, end: number, offset: number): number {
    if (end - pos < FILE_HEADER) return -FILE_HEADER;
    const version = view.getUint32(pos + 8, false);
    if (version !== 2) throw new CaptureFault(offset + 8, `unsupported snoop version ${version}`);
    const datalink = view.getUint32(pos + 12, false);
    const linkType = LINK_TYPES[datalink];
    if (linkType === undefined) throw new CaptureFault(offset + 12, `snoop datalink type ${datalink} is not read (Ethernet is)`);
    this.linkType = linkType;
    this.headerRead = true;
    this.context?.(offset, FILE_HEADER);
    return FILE_HEADER;
  }
}
