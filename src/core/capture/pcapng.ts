import { CaptureFault, MAX_RECORD_BYTES, newRecord, type ContextSink, type FormatParser, type RecordSink } from './record';

export const SECTION_HEADER_BLOCK = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const INTERFACE_DESCRIPTION_BLOCK = 1;
const OBSOLETE_PACKET_BLOCK = 2;
const SIMPLE_PACKET_BLOCK = 3;
const ENHANCED_PACKET_BLOCK = 6;
const INTERFACE_STATISTICS_BLOCK = 5;

const OPTION_END = 0;
const OPTION_IF_TSRESOL = 9;
const OPTION_IF_TSOFFSET = 14;
const OPTION_ISB_ENDTIME = 3;

interface InterfaceInfo {
  linkType: number;
  snapLength: number;
  /** Timestamp units per second. */
  unitsPerSecond: number;
  offsetSeconds: number;
}

/**
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks; each section header block sets the byte order and starts a
 * new list of interfaces, and every interface carries its own link type and timestamp resolution.
 */
export class PcapngParser implements FormatParser {
  readonly format = 'pcapng' as const;
  private little = true;
  private inSection = false;
  private interfaces: InterfaceInfo[] = [];
  private packets = 0;
  private readonly record = newRecord();

  /** `onEnd` is told when an interface's statistics say when its capture ended (isb_endtime). */
  constructor(private readonly sink: RecordSink, private readonly context?: ContextSink, private readonly onEnd?: (time: number) => void) {}

  step(bytes: Uint8Array, view: DataView, pos: number, end: number, offset: number): number {
    if (end - pos < 12) return -12;
    const typeBE = view.getUint32(pos, false);
    if (typeBE === SECTION_HEADER_BLOCK) {
      const magicBE = view.getUint32(pos + 8, false);
      if (magicBE === BYTE_ORDER_MAGIC) this.little = false;
      else if (view.getUint32(pos + 8, true) === BYTE_ORDER_MAGIC) this.little = true;
      else throw new CaptureFault(offset + 8, 'corrupt pcapng section header: bad byte-order magic');
    } else if (!this.inSection) {
      throw new CaptureFault(offset, 'pcapng file does not start with a section header block');
    }
    const le = this.little;
    const type = view.getUint32(pos, le);
    const length = view.getUint32(pos + 4, le);
    if (length < 12 || length % 4 !== 0 || length > MAX_RECORD_BYTES) {
      throw new CaptureFault(offset + 4, `corrupt pcapng block: length ${length} is invalid (type 0x${type.toString(16)})`);
    }
    if (end - pos < length) return -length;
    const trailer = view.getUint32(pos + length - 4, le);
    if (trailer !== length) {
      throw new CaptureFault(offset + length - 4, `corrupt pcapng block: trailing length ${trailer} differs from leading length ${length}`);
    }
    const body = pos + 8;
    const bodyEnd = pos + length - 4;
    this.record.length = length;
    switch (type) {
      case SECTION_HEADER_BLOCK:
        this.inSection = true;
        this.interfaces = [];
        this.context?.(offset, length);
        break;
      case INTERFACE_DESCRIPTION_BLOCK:
        this.interfaces.push(this.readInterface(view, body, bodyEnd, offset));
        this.context?.(offset, length);
        break;
      case ENHANCED_PACKET_BLOCK:
      case OBSOLETE_PACKET_BLOCK: {
        if (bodyEnd - body < 20) throw new CaptureFault(offset, 'corrupt packet block: too short');
        // The obsolete block has a 16-bit interface id (and a drop count); the rest is laid out alike.
        const id = type === ENHANCED_PACKET_BLOCK ? view.getUint32(body, le) : view.getUint16(body, le);
        const captured = view.getUint32(body + 12, le);
        const original = view.getUint32(body + 16, le);
        this.emit(bytes, offset, this.iface(id, offset), view.getUint32(body + 4, le), view.getUint32(body + 8, le),
          body + 20, captured, original, bodyEnd);
        break;
      }
      case SIMPLE_PACKET_BLOCK: {
        if (bodyEnd - body < 4) throw new CaptureFault(offset, 'corrupt simple packet block: too short');
        const iface = this.iface(0, offset);
        const original = view.getUint32(body, le);
        let captured = Math.min(original, bodyEnd - body - 4);
        if (iface.snapLength > 0) captured = Math.min(captured, iface.snapLength);
        // A simple packet block has no timestamp.
        this.emitAt(bytes, offset, iface, NaN, body + 4, captured, original);
        break;
      }
      case INTERFACE_STATISTICS_BLOCK:
        this.readStatistics(view, body, bodyEnd, offset);
        break;
      default:
        // Name resolution, decryption secrets, custom and unknown blocks carry no packets.
        break;
    }
    return length;
  }

  private iface(id: number, offset: number): InterfaceInfo {
    const iface = this.interfaces[id];
    if (!iface) throw new CaptureFault(offset, `packet block refers to interface ${id}, which was not described`);
    return iface;
  }

  private emit(bytes: Uint8Array, offset: number, iface: InterfaceInfo, high: number, low: number,
    dataStart: number, captured: number, original: number, bodyEnd: number): void {
    if (dataStart + captured > bodyEnd) {
      throw new CaptureFault(offset, `corrupt packet block: captured length ${captured} overruns the block`);
    }
    this.emitAt(bytes, offset, iface, timestampSeconds(high, low, iface.unitsPerSecond) + iface.offsetSeconds,
      dataStart, captured, original);
  }

  private emitAt(bytes: Uint8Array, offset: number, iface: InterfaceInfo, time: number, dataStart: number,
    captured: number, original: number): void {
    const record = this.record;
    record.packet = ++this.packets;
    record.offset = offset;
    record.time = time;
    record.linkType = iface.linkType;
    record.data = bytes;
    record.dataStart = dataStart;
    record.capturedLength = captured;
    record.originalLength = Math.max(original, captured);
    this.sink(record);
  }

  /** An interface statistics block: its isb_endtime, in the interface's units, is when the capture ended there. */
  private readStatistics(view: DataView, body: number, bodyEnd: number, offset: number): void {
    if (bodyEnd - body < 12) throw new CaptureFault(offset, 'corrupt interface statistics block: too short');
    const le = this.little;
    const iface = this.iface(view.getUint32(body, le), offset);
    forEachOption(view, body + 12, bodyEnd, le, offset + 20, (code, value, length) => {
      if (code === OPTION_ISB_ENDTIME && length === 8) {
        const time = timestampSeconds(view.getUint32(value, le), view.getUint32(value + 4, le), iface.unitsPerSecond) + iface.offsetSeconds;
        if (Number.isFinite(time)) this.onEnd?.(time);
      }
    });
  }

  private readInterface(view: DataView, body: number, bodyEnd: number, offset: number): InterfaceInfo {
    if (bodyEnd - body < 8) throw new CaptureFault(offset, 'corrupt interface description block: too short');
    const le = this.little;
    const info: InterfaceInfo = {
      linkType: view.getUint16(body, le),
      snapLength: view.getUint32(body + 4, le),
      unitsPerSecond: 1e6,
      offsetSeconds: 0,
    };
    forEachOption(view, body + 8, bodyEnd, le, offset + 16, (code, value, length) => {
      if (code === OPTION_IF_TSRESOL && length >= 1) {
        const resolution = view.getUint8(value);
        const exponent = resolution & 0x7f;
        info.unitsPerSecond = resolution & 0x80 ? 2 ** exponent : 10 ** exponent;
      } else if (code === OPTION_IF_TSOFFSET && length >= 8) {
        info.offsetSeconds = Number(view.getBigInt64(value, le));
      }
    });
    return info;
  }
}

/**
 * Each option of a block's option list in [pos, bodyEnd): its code, where its value starts, and its length.
 * `offset` is the file offset of `pos`, for the error that names a damaged option.
 */
function forEachOption(view: DataView, pos: number, bodyEnd: number, le: boolean, offset: number,
  visit: (code: number, value: number, length: number) => void): void {
  const start = pos;
  while (pos + 4 <= bodyEnd) {
    const code = view.getUint16(pos, le);
    const length = view.getUint16(pos + 2, le);
    if (code === OPTION_END) break;
    const value = pos + 4;
    if (value + length > bodyEnd) {
      throw new CaptureFault(offset + (pos - start), `corrupt block option ${code}: length ${length} overruns the block`);
    }
    visit(code, value, length);
    pos = value + ((length + 3) & ~3);
  }
}

/** A 64-bit count of units in two 32-bit halves, as seconds; exact arithmetic only where doubles would round. */
function timestampSeconds(high: number, low: number, unitsPerSecond: number): number {
  if (high < 0x200000) return (high * 4294967296 + low) / unitsPerSecond;
  const units = (BigInt(high) << 32n) | BigInt(low);
  const divisor = BigInt(Math.round(unitsPerSecond));
  if (divisor <= 0n) return NaN;
  const whole = units / divisor;
  return Number(whole) + Number(units - whole * divisor) / unitsPerSecond;
}
