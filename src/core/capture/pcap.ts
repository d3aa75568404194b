import { CaptureFault, MAX_RECORD_BYTES, newRecord, type ContextSink, type FormatParser, type RecordSink } from './record';

const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;

/** Whether these first four bytes start a classic pcap file (either byte order, either resolution). */
export function isPcapMagic(view: DataView, pos: number): boolean {
  const be = view.getUint32(pos, false);
  const le = view.getUint32(pos, true);
  return be === MAGIC_MICRO || be === MAGIC_NANO || le === MAGIC_MICRO || le === MAGIC_NANO;
}

/** Classic libpcap format: a 24-byte file header, then 16-byte record headers each followed by the packet bytes. */
export class PcapParser implements FormatParser {
  readonly format = 'pcap' as const;
  private headerRead = false;
  private little = true;
  private fractionDivisor = 1e6;
  private linkType = 0;
  private snapLength = 0;
  private packets = 0;
  private readonly record = newRecord();

  constructor(private readonly sink: RecordSink, private readonly context?: ContextSink) {}

  step(bytes: Uint8Array, view: DataView, pos: number, end: number, offset: number): number {
    if (!this.headerRead) return this.readFileHeader(view, pos, end, offset);
    if (end - pos < RECORD_HEADER) return -RECORD_HEADER;
    const le = this.little;
    const seconds = view.getUint32(pos, le);
    const fraction = view.getUint32(pos + 4, le);
    const captured = view.getUint32(pos + 8, le);
    const original = view.getUint32(pos + 12, le);
    if (captured > MAX_RECORD_BYTES || (this.snapLength > 0 && captured > Math.max(this.snapLength, 262144))) {
      throw new CaptureFault(offset, `corrupt pcap record header: captured length ${captured} exceeds the snapshot length ${this.snapLength}`);
    }
    const total = RECORD_HEADER + captured;
    if (end - pos < total) return -total;
    const record = this.record;
    record.packet = ++this.packets;
    record.offset = offset;
    record.length = total;
    // A sub-second field of a second or more (some writers carry over badly) is read as tshark reads it: added on.
    record.time = seconds + fraction / this.fractionDivisor;
    record.linkType = this.linkType;
    record.data = bytes;
    record.dataStart = pos + RECORD_HEADER;
    record.capturedLength = captured;
    record.originalLength = Math.max(original, captured);
    this.sink(record);
    return total;
  }

  private readFileHeader(view: DataView, pos: number, end: number, offset: number): number {
    if (end - pos < FILE_HEADER) return -FILE_HEADER;
    const be = view.getUint32(pos, false);
    this.little = !(be === MAGIC_MICRO || be === MAGIC_NANO);
    const magic = view.getUint32(pos, this.little);
    this.fractionDivisor = magic === MAGIC_NANO ? 1e9 : 1e6;
    const major = view.getUint16(pos + 4, this.little);
    if (major !== 2) throw new CaptureFault(offset + 4, `unsupported pcap version ${major}`);
    this.snapLength = view.getUint32(pos + 16, this.little);
    // The top bits of the link-type field carry FCS information (pcap-linktype(7)); the type is the low 16 bits.
    this.linkType = view.getUint32(pos + 20, this.little) & 0xffff;
    this.headerRead = true;
    this.context?.(offset, FILE_HEADER);
    return FILE_HEADER;
  }
}
