import type { CaptureRecord } from '../capture/record';
import { ipv4Text, ipv6Text } from './address';
import { linkStep, tunnel } from './encapsulations';
import { FragmentReassembler, type PlacedRecord } from './ipFragments';
import { LAYER, LayerStack, MOST_LAYERS } from './layers';
import { MultilinkReassembler } from './multilinkFragments';
import { linkLayer } from './linkLayers';
import { decodeTcpHeader, newTcpHeader, type TcpHeader } from './tcpHeader';
import { newWalk, STEP, UNREAD } from './walk';

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
  /** Set when the IP header claimed more than the frame holds and was not cut by the snapshot length (as tshark does). */
  ipLengthCut: { claimed: number; held: number } | undefined;
  /** The layers the segment was found inside, outermost first (none for plain IP on the link). */
  layers: LayerStack | undefined;
  /** For a segment in a datagram put together from fragments: where its other fragments lie in the file. */
  fragments: readonly PlacedRecord[] | undefined;
}

/** Why packets were not decoded as TCP, counted per reason. */
export interface DecodeStats {
  tcp: number;
  nonIp: number;
  nonTcp: number;
  /** Fragments never put together into a datagram (incomplete, or past the reassembly bounds). */
  ipFragments: number;
  /** Fragments that were (each datagram's last one is counted where its content is). */
  reassembledFragments: number;
  malformed: number;
  unsupportedLinkTypes: Record<string, number>;
  /** Layers found that are not read (encrypted 802.11, multilink PPP fragments, …), by what they are. */
  unread: Record<string, number>;
}

export function newDecodeStats(): DecodeStats {
  return { tcp: 0, nonIp: 0, nonTcp: 0, ipFragments: 0, reassembledFragments: 0, malformed: 0, unsupportedLinkTypes: {}, unread: {} };
}

const PROTO_TCP = 6;
/** The IP protocols whose fragments are worth holding: TCP and the tunnels that may carry it. */
const REASSEMBLED = new Set([PROTO_TCP, 4, 41, 47, 17, 97]);

export function newTcpPacket(): TcpPacket {
  return {
    packet: 0, offset: 0, time: 0, ipVersion: 4, addresses: new Uint8Array(0), srcAt: 0, dstAt: 0, tcp: newTcpHeader(),
    payloadLength: 0, truncated: false, ipLengthCut: undefined, layers: undefined, fragments: undefined,
  };
}

/**
 * Decodes records down to TCP: through the link layer, the encapsulations and tunnels tshark follows, and IP fragments
 * (held, bounded, until their datagram is whole). One packet object serves every record, so the hot path allocates
 * nothing for plain TCP. Never throws on malformed bytes: what is not a readable TCP segment is counted in `stats`.
 */
export class PacketDecoder {
  readonly stats = newDecodeStats();
  private readonly out = newTcpPacket();
  private readonly walk = newWalk();
  private readonly layers = new LayerStack();
  private readonly fragments = new FragmentReassembler();
  private readonly multilinkFragments = new MultilinkReassembler();
  /** The bytes being decoded: the record's, or a datagram put together from fragments. */
  private bytes: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(new ArrayBuffer(0));
  private end = 0;
  /** Where the bytes would end had nothing been cut by the snapshot length. */
  private reportedEnd = 0;
  private record: CaptureRecord | undefined;

  constructor(private readonly allOptions = true) {}

  decode(record: CaptureRecord, view: DataView): TcpPacket | undefined {
    const walk = this.walk;
    this.record = record;
    this.bytes = record.data;
    this.view = view;
    this.end = record.dataStart + record.capturedLength;
    this.reportedEnd = record.dataStart + Math.max(record.originalLength, record.capturedLength);
    this.layers.clear();
    this.out.fragments = undefined;
    walk.reason = '';
    if (!linkLayer(record.linkType, this.bytes, view, record.dataStart, this.end, walk)) {
      const key = String(record.linkType);
      this.stats.unsupportedLinkTypes[key] = (this.stats.unsupportedLinkTypes[key] ?? 0) + 1;
      return undefined;
    }
    // Each step moves on by a header or ends; the stack's bound ends a record built to loop through tunnels.
    for (let steps = 0; steps < 4 * MOST_LAYERS; steps++) {
      switch (walk.kind) {
        case STEP.ipv4: {
          const done = this.ipv4(walk.at);
          if (done !== CONTINUE) return done;
          break;
        }
        case STEP.ipv6: {
          const done = this.ipv6(walk.at);
          if (done !== CONTINUE) return done;
          break;
        }
        case STEP.multilinkFragment: {
          const done = this.multilink(walk.at);
          if (done !== CONTINUE) return done;
          break;
        }
        case STEP.nonIp:
          this.stats.nonIp++;
          return undefined;
        case STEP.malformed:
          this.stats.malformed++;
          return undefined;
        case STEP.unread:
          return this.unread(walk.reason);
        default:
          linkStep(this.bytes, this.view, this.end, walk, this.layers);
      }
    }
    return this.unread(UNREAD.tooManyLayers);
  }

  /** The capture ended: fragments still waiting are counted as skipped. */
  finish(): void {
    this.fragments.finish();
    this.stats.ipFragments += this.fragments.givenUp;
    this.fragments.givenUp = 0;
    this.multilinkFragments.finish();
    this.countMultilinkGivenUp();
  }

  private countMultilinkGivenUp(): void {
    if (this.multilinkFragments.givenUp === 0) return;
    this.stats.unread[UNREAD.multilinkFragments] = (this.stats.unread[UNREAD.multilinkFragments] ?? 0) + this.multilinkFragments.givenUp;
    this.multilinkFragments.givenUp = 0;
  }

  /** A multilink PPP fragment (its header at `at`): held until its packet is whole, which is then decoded in its place. */
  private multilink(at: number): undefined | typeof CONTINUE {
    const record = this.record!;
    const flags = this.bytes[at]!;
    const sequence = (this.bytes[at + 1]! << 16) | (this.bytes[at + 2]! << 8) | this.bytes[at + 3]!;
    // A fragment cut by the snapshot length cannot complete its packet.
    if (this.bytes === record.data && record.capturedLength < record.originalLength) return this.unread(UNREAD.multilinkFragments);
    const whole = this.multilinkFragments.add(this.walk.direction, sequence, (flags & 0x80) !== 0, (flags & 0x40) !== 0, this.bytes.subarray(at + 4, this.end), record.time, record);
    this.countMultilinkGivenUp();
    if (!whole) return undefined;
    if (!this.layers.push(LAYER.multilinkPpp)) return this.unread(UNREAD.tooManyLayers);
    this.stats.reassembledFragments += whole.others.length;
    this.bytes = whole.packet;
    this.view = new DataView(whole.packet.buffer);
    this.end = this.reportedEnd = whole.packet.length;
    this.out.fragments = whole.others;
    this.walk.kind = STEP.ppp;
    this.walk.at = 0;
    return CONTINUE;
  }

  private unread(reason: string): undefined {
    this.stats.unread[reason] = (this.stats.unread[reason] ?? 0) + 1;
    return undefined;
  }

  private malformed(): undefined {
    this.stats.malformed++;
    return undefined;
  }

  private ipv4(at: number): TcpPacket | undefined | typeof CONTINUE {
    const { bytes, view, end } = this;
    if (end - at < 20 || bytes[at]! >> 4 !== 4) return this.malformed();
    const headerLength = (bytes[at]! & 0x0f) * 4;
    const totalLength = view.getUint16(at + 2, false);
    if (headerLength < 20 || end - at < headerLength) return this.malformed();
    // As tshark takes it: a total length of 0 is what segmentation offload leaves (the frame's length is the truth),
    // and one beyond the frame is cut to it.
    const reported = this.reportedEnd - at;
    const ipLength = totalLength === 0 ? reported : Math.min(totalLength, reported);
    if (ipLength < headerLength) return this.malformed();
    const protocol = bytes[at + 9]!;
    const fragment = view.getUint16(at + 6, false);
    if (fragment & 0x3fff) {
      const payload = bytes.subarray(at + headerLength, Math.min(at + ipLength, end));
      const header = bytes.slice(at, at + headerLength);
      header[6] = 0;
      header[7] = 0;
      header[2] = 0;
      header[3] = 0;
      const key = `4${String.fromCharCode(...bytes.subarray(at + 4, at + 6), ...bytes.subarray(at + 9, at + 10), ...bytes.subarray(at + 12, at + 20))}`;
      return this.fragment(key, protocol, at + ipLength > end, { header, payload, offset: (fragment & 0x1fff) * 8, more: (fragment & 0x2000) !== 0 }, 4);
    }
    const dstAt = headerLength > 20 ? finalDestination(bytes, at + 20, at + headerLength) : at + 16;
    if (protocol === PROTO_TCP) return this.segment(4, at + 12, dstAt, at + headerLength, ipLength - headerLength, totalLength > reported ? { claimed: totalLength, held: reported } : undefined);
    return this.inner(protocol, 4, at + 12, dstAt, at + headerLength, at + ipLength);
  }

  private ipv6(at: number): TcpPacket | undefined | typeof CONTINUE {
    const { bytes, view, end } = this;
    if (end - at < 40 || bytes[at]! >> 4 !== 6) return this.malformed();
    const payloadLength = view.getUint16(at + 4, false);
    const reported = this.reportedEnd - at - 40;
    let remaining = payloadLength === 0 ? reported : Math.min(payloadLength, reported);
    let next = bytes[at + 6]!;
    let pos = at + 40;
    for (;;) {
      if (next === PROTO_TCP) break;
      if (next !== 0 && next !== 43 && next !== 60 && next !== 44 && next !== 51) {
        return this.inner(next, 6, at + 8, at + 24, pos, pos + remaining);
      }
      if (end - pos < 8) return this.malformed();
      const following = bytes[pos]!;
      const length = next === 44 ? 8 : next === 51 ? (bytes[pos + 1]! + 2) * 4 : (bytes[pos + 1]! + 1) * 8;
      if (next === 44) {
        const fragmentWord = view.getUint16(pos + 2, false);
        // Offset 0 without the M flag is an atomic fragment (RFC 6946): the whole packet is here.
        if ((fragmentWord & 0xfff9) !== 0) {
          const header = bytes.slice(at, at + 40);
          header[6] = following;
          const key = `6${String.fromCharCode(...bytes.subarray(pos + 4, pos + 8), following, ...bytes.subarray(at + 8, at + 40))}`;
          const payload = bytes.subarray(pos + 8, Math.min(pos + remaining, end));
          return this.fragment(key, following, pos + remaining > end, { header, payload, offset: fragmentWord & 0xfff8, more: (fragmentWord & 1) !== 0 }, 6);
        }
      }
      pos += length;
      remaining -= length;
      next = following;
      if (remaining < 0) return this.malformed();
    }
    return this.segment(6, at + 8, at + 24, pos, remaining, payloadLength > reported ? { claimed: payloadLength + 40, held: reported + 40 } : undefined);
  }

  /** A datagram's fragment: held until the datagram is whole, which is then decoded in place of the record. */
  private fragment(key: string, protocol: number, cut: boolean, fragment: Parameters<FragmentReassembler['add']>[2], version: 4 | 6): undefined | typeof CONTINUE {
    const record = this.record!;
    // A fragment cut by the snapshot length cannot complete its datagram; nor is one of a protocol not read worth holding.
    if (cut || !REASSEMBLED.has(protocol)) {
      this.stats.ipFragments++;
      return undefined;
    }
    const whole = this.fragments.add(key, record.time, fragment, record);
    this.stats.ipFragments += this.fragments.givenUp;
    this.fragments.givenUp = 0;
    if (!whole) return undefined;
    this.stats.reassembledFragments += whole.others.length;
    const { datagram } = whole;
    // The header says how long the datagram now is.
    if (version === 4) new DataView(datagram.buffer).setUint16(2, datagram.length);
    else new DataView(datagram.buffer).setUint16(4, datagram.length - 40);
    this.bytes = datagram;
    this.view = new DataView(datagram.buffer);
    this.end = datagram.length;
    this.reportedEnd = datagram.length;
    this.out.fragments = whole.others;
    this.walk.kind = version === 4 ? STEP.ipv4 : STEP.ipv6;
    this.walk.at = 0;
    return CONTINUE;
  }

  /** IP carrying something other than TCP: a tunnel to follow (with the outer header named), or not TCP at all. */
  private inner(protocol: number, version: 4 | 6, srcAt: number, dstAt: number, at: number, ipEnd: number): undefined | typeof CONTINUE {
    if (!this.layers.pushIp(version, this.bytes, srcAt, dstAt)) return this.unread(UNREAD.tooManyLayers);
    this.walk.limit = Infinity;
    if (tunnel(protocol, this.bytes, this.view, at, Math.min(ipEnd, this.end), this.walk, this.layers)) {
      // What the tunnel carries ends where the outer datagram does, or where the tunnel's header says.
      this.reportedEnd = Math.min(this.reportedEnd, ipEnd, this.walk.limit);
      return CONTINUE;
    }
    this.stats.nonTcp++;
    return undefined;
  }

  private segment(ipVersion: 4 | 6, srcAt: number, dstAt: number, at: number, ipPayloadLength: number, cut: TcpPacket['ipLengthCut']): TcpPacket | undefined {
    const record = this.record!;
    const out = this.out;
    const available = Math.min(this.end - at, ipPayloadLength);
    const tcp = decodeTcpHeader(this.bytes, this.view, at, Math.max(available, 0), this.allOptions, out.tcp);
    if (typeof tcp === 'string' || tcp.headerLength > ipPayloadLength) return this.malformed();
    this.stats.tcp++;
    out.packet = record.packet;
    out.offset = record.offset;
    out.time = record.time;
    out.ipVersion = ipVersion;
    out.addresses = this.bytes;
    out.srcAt = srcAt;
    out.dstAt = dstAt;
    out.payloadLength = ipPayloadLength - tcp.headerLength;
    out.truncated = this.bytes === record.data && record.capturedLength < record.originalLength;
    out.ipLengthCut = cut;
    out.layers = this.layers.count > 0 ? this.layers : undefined;
    return out;
  }
}

/**
 * Where an IPv4 header's destination is, given its options in [at, end): the header's own field, unless a loose or
 * strict source route (RFC 791 §3.1) still has hops to go; then its last address, the final destination, as tshark
 * takes it (so both directions of a source-routed connection are one connection).
 */
function finalDestination(bytes: Uint8Array, at: number, end: number): number {
  const header = at - 4;
  for (let pos = at; pos < end; ) {
    const type = bytes[pos]!;
    if (type === 0) break;
    if (type === 1) {
      pos++;
      continue;
    }
    if (pos + 1 >= end) break;
    const length = bytes[pos + 1]!;
    if (length < 2 || pos + length > end) break;
    const pointer = bytes[pos + 2] ?? 0;
    if ((type === 131 || type === 137) && length >= 7 && (length - 3) % 4 === 0 && pointer >= 4 && pointer <= length) return pos + length - 4;
    pos += length;
  }
  return header;
}

/** A step returned this: the walk moved on (into a tunnel, or to a reassembled datagram). */
const CONTINUE = Symbol('continue');

export function addressText(packet: TcpPacket, at: number): string {
  return packet.ipVersion === 4 ? ipv4Text(packet.addresses, at) : ipv6Text(packet.addresses, at);
}

export const addressLength = (packet: TcpPacket): number => (packet.ipVersion === 4 ? 4 : 16);
