/** One packet record as stored in a capture file, before any protocol decoding. */
export interface CaptureRecord {
  /** 1-based record number in the file (Wireshark's frame number). */
  packet: number;
  /** Byte offset of the record in the (decompressed) file, and its length there (header or block included). */
  offset: number;
  length: number;
  /** Seconds since the epoch. */
  time: number;
  linkType: number;
  /** The captured bytes are data[dataStart, dataStart + capturedLength). Valid only during the callback. */
  data: Uint8Array;
  dataStart: number;
  capturedLength: number;
  originalLength: number;
}

export interface CaptureError {
  offset: number;
  /** What went wrong, in words; the offset is not in it (where it is not shown apart, `faultText` adds it). */
  message: string;
}

/** An error with its byte offset, said once: for places that show the message alone (a diagram's note, a panel). */
export function faultText(error: CaptureError): string {
  return `${error.message} (at byte offset ${error.offset})`;
}

export type CaptureFormat = 'pcap' | 'pcapng' | 'snoop' | 'netmon';

/**
 * A record-by-record parser of one capture format. `step` looks at bytes[pos, end) and returns the number of bytes it
 * consumed (> 0), or `-n` when it needs n bytes from pos before it can decide. It reports records through the sink it
 * was built with and throws `CaptureFault` for corrupt input.
 */
export interface FormatParser {
  readonly format: CaptureFormat;
  step(bytes: Uint8Array, view: DataView, pos: number, end: number, offset: number): number;
}

export class CaptureFault extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

/** Receives each record; the object is reused for the next one, so a sink copies what it keeps. */
export type RecordSink = (record: CaptureRecord) => void;

/**
 * Receives where the file says what its records need to be read (pcap's file header; pcapng's section headers and
 * interface descriptions): with those bytes, any of its records can be read again on their own.
 */
export type ContextSink = (offset: number, length: number) => void;

export function newRecord(): CaptureRecord {
  return { packet: 0, offset: 0, length: 0, time: 0, linkType: 0, data: new Uint8Array(0), dataStart: 0, capturedLength: 0, originalLength: 0 };
}

/** Refuse blocks larger than this: a corrupt length must not make the reader buffer gigabytes. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
