import type { CaptureRecord } from '../capture/record';
import { ipv4Text, ipv6Text } from './address';
import { decodeTcpHeader, newTcpHeader, type TcpHeader } from './tcpHeader';

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

export interface TcpPacket {
  packet: number;
  offset: number;
  time: number;
  ipVersion: 4 | 6;
  /**
   * The source and destination addresses are `addresses[srcAt..]` and `addresses[dstAt..]`, 4 or 16 bytes by IP
   * version. They point into the record and are valid only while it is handled: text is made only when needed.
   */
  addresses: Uint8Array;
  srcAt: number;
  dstAt: number;
  tcp: TcpHeader;
  /** TCP payload length from the IP header, whether or not the payload was captured. */
  payloadLength: number;
  /** The record was cut by the snapshot length. */
  truncated: boolean;
}

/** Why packets were not decoded as TCP, counted per reason. */
export interface DecodeStats {
  tcp: number;
  nonIp: number;
  nonTcp: number;
  ipFragments: number;
  malformed: number;
  unsupportedLinkTypes: Record<string, number>;
}

export function newDecodeStats(): DecodeStats {
  return { tcp: 0, nonIp: 0, nonTcp: 0, ipFragments: 0, malformed: 0, unsupportedLinkTypes: {} };
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD = 0x9100;
const PROTO_TCP = 6;

/** BSD address-family values for IPv6 differ by OS (NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30). */
function familyToVersion(family: number): number {
  if (family === 2) return 4;
  if (family === 24 || family === 28 || family === 30) return 6;
  return 0;
}

function ethertypeToVersion(type: number): number {
  return type === ETHERTYPE_IPV4 ? 4 : type === ETHERTYPE_IPV6 ? 6 : 0;
}

export function newTcpPacket(): TcpPacket {
  return {
    packet: 0, offset: 0, time: 0, ipVersion: 4, addresses: new Uint8Array(0), srcAt: 0, dstAt: 0, tcp: newTcpHeader(),
    payloadLength: 0, truncated: false,
  };
}

/**
 * Decodes one record down to TCP into `out` (a reader passes the same object for every record, so the hot path
 * allocates nothing). Returns undefined (and counts the reason in `stats`) for anything that is not a readable TCP
 * segment; never throws on malformed bytes.
 */
export function decodeTcpPacket(record: CaptureRecord, view: DataView, stats: DecodeStats, allOptions = true,
  out: TcpPacket = newTcpPacket()): TcpPacket | undefined {
  const bytes = record.data;
  const start = record.dataStart;
  const end = start + record.capturedLength;
  let at = start;
  let version = 0;
  switch (record.linkType) {
    case LINKTYPE_ETHERNET: {
      if (end - at < 14) return malformed(stats);
      let type = view.getUint16(at + 12, false);
      at += 14;
      while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
        if (end - at < 4) return malformed(stats);
        type = view.getUint16(at + 2, false);
        at += 4;
      }
      version = ethertypeToVersion(type);
      break;
    }
    case LINKTYPE_LINUX_SLL:
      if (end - at < 16) return malformed(stats);
      version = ethertypeToVersion(view.getUint16(at + 14, false));
      at += 16;
      break;
    case LINKTYPE_LINUX_SLL2:
      if (end - at < 20) return malformed(stats);
      version = ethertypeToVersion(view.getUint16(at, false));
      at += 20;
      break;
    case LINKTYPE_NULL: {
      if (end - at < 4) return malformed(stats);
      // Host byte order of the capturing machine: the family is small, so a zero first half means big-endian.
      const bigEndian = view.getUint16(at, true) === 0;
      version = familyToVersion(view.getUint32(at, !bigEndian));
      at += 4;
      break;
    }
    case LINKTYPE_LOOP:
      if (end - at < 4) return malformed(stats);
      version = familyToVersion(view.getUint32(at, false));
      at += 4;
      break;
    case LINKTYPE_RAW:
    case 12:
    case 14:
      if (end - at < 1) return malformed(stats);
      version = bytes[at]! >> 4;
      break;
    case LINKTYPE_IPV4:
      version = 4;
      break;
    case LINKTYPE_IPV6:
      version = 6;
      break;
    default: {
      const key = String(record.linkType);
      stats.unsupportedLinkTypes[key] = (stats.unsupportedLinkTypes[key] ?? 0) + 1;
      return undefined;
    }
  }
  if (version === 4) return decodeIpv4(record, view, at, end, stats, allOptions, out);
  if (version === 6) return decodeIpv6(record, view, at, end, stats, allOptions, out);
  stats.nonIp++;
  return undefined;
}

function malformed(stats: DecodeStats): undefined {
  stats.malformed++;
  return undefined;
}

function decodeIpv4(record: CaptureRecord, view: DataView, at: number, end: number, stats: DecodeStats, allOptions: boolean, out: TcpPacket): TcpPacket | undefined {
  const bytes = record.data;
  if (end - at < 20 || bytes[at]! >> 4 !== 4) return malformed(stats);
  const headerLength = (bytes[at]! & 0x0f) * 4;
  const totalLength = view.getUint16(at + 2, false);
  if (headerLength < 20 || end - at < headerLength) return malformed(stats);
  // A total length of 0 is what TCP segmentation offload leaves in captures: the frame's own length is the truth.
  const ipLength = totalLength === 0 ? record.originalLength - (at - record.dataStart) : totalLength;
  if (ipLength < headerLength) return malformed(stats);
  const fragment = view.getUint16(at + 6, false);
  if (bytes[at + 9] !== PROTO_TCP) {
    stats.nonTcp++;
    return undefined;
  }
  if (fragment & 0x3fff) {
    stats.ipFragments++;
    return undefined;
  }
  return finishTcp(record, view, 4, at + 12, at + 16, at + headerLength, end, ipLength - headerLength, stats, allOptions, out);
}

function decodeIpv6(record: CaptureRecord, view: DataView, at: number, end: number, stats: DecodeStats, allOptions: boolean, out: TcpPacket): TcpPacket | undefined {
  const bytes = record.data;
  if (end - at < 40 || bytes[at]! >> 4 !== 6) return malformed(stats);
  let remaining = view.getUint16(at + 4, false);
  if (remaining === 0) remaining = record.originalLength - (at - record.dataStart) - 40;
  let next = bytes[at + 6]!;
  let pos = at + 40;
  for (;;) {
    if (next === PROTO_TCP) break;
    if (next === 0 || next === 43 || next === 60 || next === 44 || next === 51) {
      if (end - pos < 8) return malformed(stats);
      const following = bytes[pos]!;
      let length: number;
      if (next === 44) {
        length = 8;
        const fragmentWord = view.getUint16(pos + 2, false);
        // Offset 0 without the M flag is an atomic fragment (RFC 6946): the whole packet is here.
        if ((fragmentWord & 0xfff9) !== 0) {
          stats.ipFragments++;
          return undefined;
        }
      } else if (next === 51) {
        length = (bytes[pos + 1]! + 2) * 4;
      } else {
        length = (bytes[pos + 1]! + 1) * 8;
      }
      pos += length;
      remaining -= length;
      next = following;
      if (remaining < 0) return malformed(stats);
      continue;
    }
    stats.nonTcp++;
    return undefined;
  }
  return finishTcp(record, view, 6, at + 8, at + 24, pos, end, remaining, stats, allOptions, out);
}

function finishTcp(record: CaptureRecord, view: DataView, ipVersion: 4 | 6, srcAt: number, dstAt: number,
  at: number, end: number, ipPayloadLength: number, stats: DecodeStats, allOptions: boolean, out: TcpPacket): TcpPacket | undefined {
  const available = Math.min(end - at, ipPayloadLength);
  const tcp = decodeTcpHeader(record.data, view, at, Math.max(available, 0), allOptions, out.tcp);
  if (typeof tcp === 'string' || tcp.headerLength > ipPayloadLength) return malformed(stats);
  stats.tcp++;
  out.packet = record.packet;
  out.offset = record.offset;
  out.time = record.time;
  out.ipVersion = ipVersion;
  out.addresses = record.data;
  out.srcAt = srcAt;
  out.dstAt = dstAt;
  out.payloadLength = ipPayloadLength - tcp.headerLength;
  out.truncated = record.capturedLength < record.originalLength;
  return out;
}

export function addressText(packet: TcpPacket, at: number): string {
  return packet.ipVersion === 4 ? ipv4Text(packet.addresses, at) : ipv6Text(packet.addresses, at);
}

export const addressLength = (packet: TcpPacket): number => (packet.ipVersion === 4 ? 4 : 16);
