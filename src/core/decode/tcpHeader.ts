export const FIN = 0x001;
export const SYN = 0x002;
export const RST = 0x004;
export const PSH = 0x008;
export const ACK = 0x010;
export const URG = 0x020;
export const ECE = 0x040;
export const CWR = 0x080;
export const NS = 0x100;

const FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [FIN, 'FIN'], [SYN, 'SYN'], [RST, 'RST'], [PSH, 'PSH'], [ACK, 'ACK'], [URG, 'URG'], [ECE, 'ECE'], [CWR, 'CWR'], [NS, 'NS'],
];

/** The bit of a flag named as flagNames() names it (0 for an unknown name). */
export function flagBit(name: string): number {
  return FLAG_NAMES.find(([, n]) => n === name)?.[0] ?? 0;
}

export function flagNames(flags: number): string[] {
  return FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
}

export interface TcpOptions {
  mss?: number;
  windowScale?: number;
  sackPermitted?: boolean;
  /** SACK blocks as [left edge, right edge) pairs of raw sequence numbers. */
  sack?: Array<[number, number]>;
  tsval?: number;
  tsecr?: number;
  /** Set when the option list could not be parsed to its end. */
  malformed?: boolean;
}

export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  headerLength: number;
  options: TcpOptions | undefined;
}

export function newTcpHeader(): TcpHeader {
  return { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0, headerLength: 0, options: undefined };
}

/**
 * Decodes a TCP header at `at`, given `available` captured bytes. Returns a reason string when it cannot. Options are
 * decoded for SYNs (the analysis needs their window scale) and, when `allOptions`, for every segment.
 */
export function decodeTcpHeader(bytes: Uint8Array, view: DataView, at: number, available: number, allOptions = true,
  header: TcpHeader = newTcpHeader()): TcpHeader | string {
  if (available < 20) return 'tcp header truncated';
  const offsetWord = bytes[at + 12]!;
  const headerLength = (offsetWord >> 4) * 4;
  if (headerLength < 20) return 'tcp data offset below 5';
  header.srcPort = view.getUint16(at, false);
  header.dstPort = view.getUint16(at + 2, false);
  header.seq = view.getUint32(at + 4, false);
  header.ack = view.getUint32(at + 8, false);
  header.flags = ((offsetWord & 1) << 8) | bytes[at + 13]!;
  header.window = view.getUint16(at + 14, false);
  header.headerLength = headerLength;
  header.options = undefined;
  if (headerLength > 20 && (allOptions || header.flags & SYN)) {
    header.options = decodeTcpOptions(bytes, view, at + 20, Math.min(at + headerLength, at + available));
  }
  return header;
}

export function decodeTcpOptions(bytes: Uint8Array, view: DataView, start: number, end: number): TcpOptions {
  const options: TcpOptions = {};
  let pos = start;
  while (pos < end) {
    const kind = bytes[pos]!;
    if (kind === 0) break;
    if (kind === 1) {
      pos++;
      continue;
    }
    if (pos + 1 >= end) {
      options.malformed = true;
      break;
    }
    const length = bytes[pos + 1]!;
    if (length < 2 || pos + length > end) {
      options.malformed = true;
      break;
    }
    switch (kind) {
      case 2:
        if (length === 4) options.mss = view.getUint16(pos + 2, false);
        else options.malformed = true;
        break;
      case 3:
        if (length === 3) options.windowScale = bytes[pos + 2]!;
        else options.malformed = true;
        break;
      case 4:
        options.sackPermitted = true;
        break;
      case 5: {
        const blocks: Array<[number, number]> = [];
        for (let p = pos + 2; p + 8 <= pos + length; p += 8) blocks.push([view.getUint32(p, false), view.getUint32(p + 4, false)]);
        options.sack = blocks;
        break;
      }
      case 8:
        if (length === 10) {
          options.tsval = view.getUint32(pos + 2, false);
          options.tsecr = view.getUint32(pos + 6, false);
        } else options.malformed = true;
        break;
      default:
        break;
    }
    pos += length;
  }
  return options;
}
