import type { TcpPacket } from '../decode/packet';
import { SYN } from '../decode/tcpHeader';

/** Simulated time 0 in the exported file: 2026-01-01T00:00:00Z, so that tools show a plausible date. */
const EPOCH = 1767225600;

function checksum(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  for (let i = start; i + 1 < end; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if ((end - start) % 2) sum += bytes[end - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** One Ethernet frame carrying the segment over IPv4 or IPv6, with correct IP and TCP checksums. */
export function frameOf(p: TcpPacket): Uint8Array {
  const v6 = p.ipVersion === 6;
  const addressLength = v6 ? 16 : 4;
  const options = p.tcp.flags & SYN && p.tcp.options?.mss !== undefined ? [2, 4, p.tcp.options.mss >> 8, p.tcp.options.mss & 0xff] : [];
  const tcpLength = 20 + options.length + p.payloadLength;
  const ipHeader = v6 ? 40 : 20;
  const frame = new Uint8Array(14 + ipHeader + tcpLength);
  const view = new DataView(frame.buffer);
  frame.set([2, 0, 0, 0, 0, p.srcAt === 0 ? 2 : 1, 2, 0, 0, 0, 0, p.srcAt === 0 ? 1 : 2]);
  view.setUint16(12, v6 ? 0x86dd : 0x0800);
  const ip = 14;
  const src = p.addresses.subarray(p.srcAt, p.srcAt + addressLength);
  const dst = p.addresses.subarray(p.dstAt, p.dstAt + addressLength);
  if (v6) {
    view.setUint32(ip, 0x60000000);
    view.setUint16(ip + 4, tcpLength);
    frame[ip + 6] = 6;
    frame[ip + 7] = 64;
    frame.set(src, ip + 8);
    frame.set(dst, ip + 24);
  } else {
    frame[ip] = 0x45;
    view.setUint16(ip + 2, ipHeader + tcpLength);
    view.setUint16(ip + 6, 0x4000);
    frame[ip + 8] = 64;
    frame[ip + 9] = 6;
    frame.set(src, ip + 12);
    frame.set(dst, ip + 16);
    view.setUint16(ip + 10, ~checksum(frame, ip, ip + 20) & 0xffff);
  }
  const tcp = ip + ipHeader;
  view.setUint16(tcp, p.tcp.srcPort);
  view.setUint16(tcp + 2, p.tcp.dstPort);
  view.setUint32(tcp + 4, p.tcp.seq);
  view.setUint32(tcp + 8, p.tcp.ack);
  frame[tcp + 12] = (((20 + options.length) / 4) << 4) | ((p.tcp.flags >> 8) & 1);
  frame[tcp + 13] = p.tcp.flags & 0xff;
  view.setUint16(tcp + 14, p.tcp.window);
  frame.set(options, tcp + 20);
  // The pseudo-header: addresses, protocol and TCP length (RFC 9293 §3.1; RFC 8200 §8.1 for IPv6).
  let pseudo = checksum(src, 0, addressLength) + checksum(dst, 0, addressLength) + 6 + tcpLength;
  while (pseudo > 0xffff) pseudo = (pseudo & 0xffff) + (pseudo >>> 16);
  view.setUint16(tcp + 16, ~checksum(frame, tcp, frame.length, pseudo) & 0xffff);
  return frame;
}

/**
 * A classic pcap (little-endian, microseconds, Ethernet) of simulated segments, as Wireshark expects it. It ends at its
 * last segment: timers that run past it (TIME_WAIT's 2×MSL) are not in it; `pcapngBytes` keeps them.
 */
export function pcapBytes(packets: readonly TcpPacket[]): Uint8Array {
  const frames = packets.map(frameOf);
  const out = new Uint8Array(24 + frames.reduce((n, f) => n + 16 + f.length, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xa1b2c3d4, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, 262144, true);
  view.setUint32(20, 1, true);
  let at = 24;
  frames.forEach((frame, i) => {
    const micros = Math.round(packets[i]!.time * 1e6);
    view.setUint32(at, EPOCH + Math.floor(micros / 1e6), true);
    view.setUint32(at + 4, micros % 1e6, true);
    view.setUint32(at + 8, frame.length, true);
    view.setUint32(at + 12, frame.length, true);
    out.set(frame, at + 16);
    at += 16 + frame.length;
  });
  return out;
}

/**
 * A pcapng of simulated segments (little-endian, microseconds, Ethernet) that states when the simulation ended: an
 * interface statistics block with isb_starttime and isb_endtime, which tcpviz's reader takes as the capture's end,
 * so TIME_WAIT's expiry after the last segment survives the round trip.
 */
export function pcapngBytes(packets: readonly TcpPacket[], endTime: number): Uint8Array {
  const blocks: Uint8Array[] = [];
  const block = (type: number, body: number[]) => {
    while (body.length % 4) body.push(0);
    const out = new Uint8Array(12 + body.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, type, true);
    view.setUint32(4, out.length, true);
    out.set(body, 8);
    view.setUint32(out.length - 4, out.length, true);
    blocks.push(out);
  };
  const u16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];
  const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
  const micros = (time: number) => {
    const units = (EPOCH * 1e6) + Math.round(time * 1e6);
    return [...u32(Math.floor(units / 2 ** 32)), ...u32(units % 2 ** 32)];
  };
  // Section header: byte-order magic, version 1.0, section length unknown.
  block(0x0a0d0d0a, [...u32(0x1a2b3c4d), ...u16(1), ...u16(0), ...u32(0xffffffff), ...u32(0xffffffff)]);
  // Interface: Ethernet, snapshot length 262144, microseconds (the default resolution).
  block(1, [...u16(1), ...u16(0), ...u32(262144)]);
  for (const p of packets) {
    const frame = frameOf(p);
    block(6, [...u32(0), ...micros(p.time), ...u32(frame.length), ...u32(frame.length), ...frame]);
  }
  const start = packets[0]?.time ?? 0;
  // Statistics for interface 0, taken at the end: isb_starttime (2) and isb_endtime (3), then opt_endofopt.
  block(5, [...u32(0), ...micros(endTime), ...u16(2), ...u16(8), ...micros(start), ...u16(3), ...u16(8), ...micros(endTime), ...u16(0), ...u16(0)]);
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
