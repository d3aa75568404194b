import { isPcapMagic, PcapParser } from './pcap';
import { PcapngParser, SECTION_HEADER_BLOCK } from './pcapng';
import { CONVERT_HINT, otherCaptureFormat } from './otherFormats';
import { isNetmonMagic, NetmonParser } from './netmon';
import { isSnoopMagic, SnoopParser } from './snoop';
import { CaptureFault, type CaptureError, type CaptureFormat, type ContextSink, type FormatParser, type RecordSink } from './record';

/**
 * Push parser for a capture: feed it chunks of any size in file order, then call end(). Records are parsed straight
 * out of each chunk; only a record that straddles two chunks is copied, so memory stays bounded by the largest record.
 * Never throws: the first fault stops the parse and is kept in `errors` with its byte offset.
 */
export class CaptureStream {
  private parser: FormatParser | undefined;
  private pending = new Uint8Array(64 * 1024);
  private pendingLength = 0;
  /** Bytes the pending record needs before it can be parsed again. */
  private pendingNeed = 0;
  /** Absolute offset of the next unparsed byte. */
  private offset = 0;
  private stopped = false;
  readonly errors: CaptureError[] = [];
  notCapture = false;
  insideGzip = false;
  /** The input's first bytes (up to 64), kept until a parser is chosen, to say what a file that is not a capture is. */
  private sample = new Uint8Array(0);

  /** `onEnd` is told when the file states when its capture ended (pcapng's isb_endtime). */
  constructor(private readonly sink: RecordSink, private readonly context?: ContextSink, private readonly onEnd?: (time: number) => void) {}

  get format(): CaptureFormat | undefined {
    return this.parser?.format;
  }

  get bytesParsed(): number {
    return this.offset;
  }

  /** Nothing more will be read: the input is not a capture, or it is damaged here. */
  get done(): boolean {
    return this.stopped;
  }

  push(chunk: Uint8Array): void {
    if (this.stopped || chunk.length === 0) return;
    if (!this.parser && this.sample.length < 64) {
      const grown = new Uint8Array(Math.min(64, this.sample.length + chunk.length));
      grown.set(this.sample);
      grown.set(chunk.subarray(0, grown.length - this.sample.length), this.sample.length);
      this.sample = grown;
    }
    try {
      let pos = 0;
      if (this.pendingLength > 0 || !this.parser) {
        pos = this.fillPending(chunk);
        if (this.pendingLength > 0 || this.stopped) return;
      }
      this.parseFrom(chunk, pos);
    } catch (error) {
      this.fail(error);
    }
  }

  end(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (!this.parser) {
      if (this.pendingLength === 0) {
        this.notCapture = true;
        this.errors.push({ offset: 0, message: 'not a capture: the file is empty' });
      } else {
        this.rejectUnknown(this.pending.subarray(0, this.pendingLength));
      }
      return;
    }
    if (this.pendingLength > 0) {
      this.errors.push({
        offset: this.offset,
        message: `truncated ${FORMAT_NAMES[this.parser.format]} record: it needs ${this.pendingNeed} bytes, the file ends after ${this.pendingLength}`,
      });
    }
  }

  /** Moves bytes of `chunk` into the pending buffer until the record there parses; returns the bytes used. */
  private fillPending(chunk: Uint8Array): number {
    let pos = 0;
    for (;;) {
      // Eight bytes tell every format read apart (snoop's pattern is the longest).
      const need = Math.max(this.pendingNeed, this.parser ? 1 : 8);
      const take = Math.min(need - this.pendingLength, chunk.length - pos);
      if (take > 0) {
        this.ensurePending(this.pendingLength + take);
        this.pending.set(chunk.subarray(pos, pos + take), this.pendingLength);
        this.pendingLength += take;
        pos += take;
      }
      if (this.pendingLength < need) {
        this.pendingNeed = need;
        return pos;
      }
      if (!this.parser && !this.choose(this.pending.subarray(0, this.pendingLength))) return pos;
      const view = new DataView(this.pending.buffer, this.pending.byteOffset, this.pendingLength);
      const used = this.parser!.step(this.pending, view, 0, this.pendingLength, this.offset);
      if (used < 0) {
        this.pendingNeed = -used;
        continue;
      }
      this.offset += used;
      // Only whole records are ever copied here, so a record that parsed consumed every pending byte.
      this.pendingLength = 0;
      this.pendingNeed = 0;
      return pos;
    }
  }

  private parseFrom(chunk: Uint8Array, pos: number): void {
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const parser = this.parser!;
    const end = chunk.length;
    while (pos < end) {
      const used = parser.step(chunk, view, pos, end, this.offset);
      if (used < 0) {
        this.ensurePending(end - pos);
        this.pending.set(chunk.subarray(pos, end), 0);
        this.pendingLength = end - pos;
        this.pendingNeed = -used;
        return;
      }
      pos += used;
      this.offset += used;
    }
  }

  private choose(head: Uint8Array): boolean {
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    if (isPcapMagic(view, 0)) this.parser = new PcapParser(this.sink, this.context);
    else if (view.getUint32(0, false) === SECTION_HEADER_BLOCK) this.parser = new PcapngParser(this.sink, this.context, this.onEnd);
    else if (isSnoopMagic(head)) this.parser = new SnoopParser(this.sink, this.context);
    else if (isNetmonMagic(head)) this.parser = new NetmonParser(this.sink, this.context);
    else {
      this.rejectUnknown(head);
      return false;
    }
    return true;
  }

  private rejectUnknown(head: Uint8Array): void {
    const shown = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    this.notCapture = true;
    this.stopped = true;
    // Most files opened by mistake are text: say so in words a person recognises, not as bytes.
    const sample = this.sample.length >= head.length ? this.sample : head;
    const format = otherCaptureFormat(sample);
    if (format) {
      this.errors.push({ offset: 0, message: `${this.insideGzip ? `a gzip file that holds ${format}` : format}, a format tcpviz does not read: ${CONVERT_HINT}` });
      return;
    }
    const text = looksLikeText(sample);
    if (text && looksLikeHexDump(sample)) {
      this.errors.push({ offset: 0, message: `${this.insideGzip ? 'a gzip file that holds a' : 'a'} text dump of packets in hex, which tcpviz does not read: ${TEXT2PCAP_HINT}` });
      return;
    }
    const what = text ? `looks like text ("${text}")`
      : `starts with the bytes ${shown}, which begin no format tcpviz reads (${READ_FORMATS}${this.insideGzip ? '' : ', or any of them gzip-compressed'})`;
    const message = this.insideGzip ? `a gzip file, but what it holds is not a capture: it ${what}` : `not a capture: it ${what}`;
    this.errors.push({ offset: 0, message });
  }

  private ensurePending(size: number): void {
    if (size <= this.pending.length) return;
    const grown = new Uint8Array(Math.max(size, this.pending.length * 2));
    grown.set(this.pending.subarray(0, this.pendingLength));
    this.pending = grown;
  }

  private fail(error: unknown): void {
    this.stopped = true;
    if (error instanceof CaptureFault) this.errors.push({ offset: error.offset, message: error.message });
    else this.errors.push({ offset: this.offset, message: `unexpected error: ${String(error)}` });
  }
}

/** The formats read, as the message for a file of none of them names them. */
const READ_FORMATS = 'pcap, pcapng, snoop, Network Monitor';

const FORMAT_NAMES: Record<CaptureFormat, string> = { pcap: 'pcap', pcapng: 'pcapng', snoop: 'snoop', netmon: 'Network Monitor' };

/**
 * How to make a capture of a text dump: a plain hex dump (tcpdump -xx, Wireshark's "Export Packet Dissections as Plain
 * Text") with text2pcap; the text formats tshark reads itself (Ascend, K12 text, …) with editcap.
 */
const TEXT2PCAP_HINT = 'convert it with Wireshark\'s text2pcap (text2pcap FILE FILE.pcapng), or with editcap (editcap -F pcapng FILE FILE.pcapng) if tshark reads it as it is';

/** Whether the text is lines of an offset and hex bytes ("0000  45 00 …", "0x0010:  4500 003c", "  [0000]: 00 C0 …"). */
function looksLikeHexDump(head: Uint8Array): boolean {
  const text = String.fromCharCode(...head.subarray(0, 64));
  return /(^|\n)\s*(0x|\[)?[0-9a-fA-F]{4,8}\]?:?\s+([0-9a-fA-F]{2,4}\s){3}/.test(text);
}

/**
 * The start of `head` as a person would read it, if it is text (printable ASCII, tabs, line ends, or the bytes of UTF-8
 * beyond ASCII), else undefined: its ASCII characters up to the first other one, at most 24, line ends as spaces.
 */
function looksLikeText(head: Uint8Array): string | undefined {
  const start = head.subarray(0, 64);
  if (start.length < 4 || !start.every((b) => b === 9 || b === 10 || b === 13 || (b >= 0x20 && b < 0x7f) || b >= 0x80)) return undefined;
  let shown = '';
  // Cut short: by the length shown, by a character beyond ASCII, or by the sample's end (more may follow it).
  let cut = start.length === 64;
  for (const b of start) {
    if (b >= 0x80 || shown.length === 24) {
      cut = true;
      break;
    }
    shown += b < 0x20 ? ' ' : String.fromCharCode(b);
  }
  shown = shown.replace(/\s+/g, ' ').trim();
  if (!shown) return undefined;
  return cut ? `${shown}…` : shown;
}
