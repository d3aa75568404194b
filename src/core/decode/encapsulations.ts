// The layers between a link header and IP, and the tunnels that carry a whole packet or frame inside IP: each step
// reads one header and moves the walk on to what it carries, naming itself in the layer stack. The rules are the
// ones tshark 4.0 decodes by default (its well-known UDP ports, GRE protocol types, MPLS payload guess).
import { LAYER, type LayerStack } from './layers';
import { go, STEP, UNREAD, type Walk } from './walk';

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD = 0x9100;
const ETHERTYPE_PPPOE_SESSION = 0x8864;
const ETHERTYPE_MPLS = 0x8847;
const ETHERTYPE_MPLS_MULTICAST = 0x8848;
const ETHERTYPE_BRIDGING = 0x6558;
const ETHERTYPE_PPP = 0x880b;
const ETHERTYPE_ERSPAN_2 = 0x88be;
const ETHERTYPE_ERSPAN_3 = 0x22eb;
const ETHERTYPE_WCCP = 0x883e;

const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
const PPP_MULTILINK = 0x003d;
const PPP_MPLS = 0x0281;

const UDP_VXLAN = 4789;
const UDP_GENEVE = 6081;
const UDP_GTP_U = 2152;
const UDP_L2TP = 1701;
const UDP_AYIYA = 5072;

const IP_IPV4 = 4;
const IP_IPV6 = 41;
const IP_GRE = 47;
const IP_UDP = 17;
const IP_ETHERIP = 97;

/** The walk ends here: what follows is not IP. */
function notIp(walk: Walk): true {
  walk.kind = STEP.nonIp;
  return true;
}

function unread(walk: Walk, reason: string): true {
  walk.kind = STEP.unread;
  walk.reason = reason;
  return true;
}

/** Moves the walk on from an ethertype (or what a tunnel names with one). */
function ethertype(type: number, at: number, walk: Walk): void {
  switch (type) {
    case ETHERTYPE_IPV4: go(walk, STEP.ipv4, at); break;
    case ETHERTYPE_IPV6: go(walk, STEP.ipv6, at); break;
    default: go(walk, STEP.ethertype, at, type);
  }
}

/**
 * One step below IP: reads the header the walk stands on and moves the walk past it. The layer stack is full only
 * for a record built to be deep; its walk then ends there as unread.
 */
export function linkStep(bytes: Uint8Array, view: DataView, end: number, walk: Walk, layers: LayerStack): void {
  const at = walk.at;
  const cut = (n: number) => end - at < n && go(walk, STEP.malformed, at);
  switch (walk.kind) {
    case STEP.ethernet: {
      if (cut(14)) return;
      const type = view.getUint16(at + 12, false);
      // An 802.3 length instead of a type: an 802.2 LLC header follows.
      if (type <= 1500) go(walk, STEP.llc, at + 14);
      else ethertype(type, at + 14, walk);
      return;
    }
    case STEP.ethertype:
      switch (walk.value) {
        case ETHERTYPE_IPV4:
        case ETHERTYPE_IPV6:
          ethertype(walk.value, at, walk);
          return;
        case ETHERTYPE_VLAN:
        case ETHERTYPE_QINQ:
        case ETHERTYPE_QINQ_OLD:
          if (cut(4)) return;
          if (!layers.push(LAYER.vlan, view.getUint16(at, false) & 0x0fff)) return void unread(walk, UNREAD.tooManyLayers);
          ethertype(view.getUint16(at + 2, false), at + 4, walk);
          return;
        case ETHERTYPE_PPPOE_SESSION:
          go(walk, STEP.pppoe, at);
          return;
        case ETHERTYPE_MPLS:
        case ETHERTYPE_MPLS_MULTICAST:
          go(walk, STEP.mpls, at);
          return;
        case ETHERTYPE_BRIDGING:
          if (!layers.push(LAYER.ethernet)) return void unread(walk, UNREAD.tooManyLayers);
          go(walk, STEP.ethernet, at);
          return;
        case ETHERTYPE_PPP:
          go(walk, STEP.ppp, at);
          return;
        default:
          notIp(walk);
          return;
      }
    case STEP.pppoe:
      // RFC 2516 §4: version and type, code, session ID, length; then the PPP protocol.
      if (cut(8)) return;
      if (!layers.push(LAYER.pppoe, view.getUint16(at + 2, false))) return void unread(walk, UNREAD.tooManyLayers);
      go(walk, STEP.pppProtocol, at + 8, view.getUint16(at + 6, false));
      return;
    case STEP.ppp: {
      // RFC 1662's address and control bytes when present; a protocol field of one byte when compressed (RFC 1661
      // §6.5: its low bit is set), else two.
      let pos = at;
      if (end - pos >= 2 && bytes[pos] === 0xff && bytes[pos + 1] === 0x03) pos += 2;
      if (end - pos < 1) return void go(walk, STEP.malformed, pos);
      if (bytes[pos]! & 1) return void go(walk, STEP.pppProtocol, pos + 1, bytes[pos]!);
      if (end - pos < 2) return void go(walk, STEP.malformed, pos);
      go(walk, STEP.pppProtocol, pos + 2, view.getUint16(pos, false));
      return;
    }
    case STEP.pppProtocol:
      switch (walk.value) {
        case PPP_IPV4: go(walk, STEP.ipv4, at); return;
        case PPP_IPV6: go(walk, STEP.ipv6, at); return;
        case PPP_MPLS: go(walk, STEP.mpls, at); return;
        case PPP_MULTILINK: {
          // RFC 1990 with long sequence numbers (tshark's default): begin and end bits, then 24 bits of sequence. A
          // packet sent whole (both bits) carries its protocol next; a fragment is held until its packet is whole.
          if (cut(4)) return;
          if ((bytes[at]! & 0xc0) !== 0xc0) return void go(walk, STEP.multilinkFragment, at);
          if (!layers.push(LAYER.multilinkPpp)) return void unread(walk, UNREAD.tooManyLayers);
          go(walk, STEP.ppp, at + 4);
          return;
        }
        case 0x002d:
        case 0x002f:
          unread(walk, UNREAD.vanJacobson);
          return;
        case 0x00fd:
        case 0x00fb:
          unread(walk, UNREAD.pppCompressed);
          return;
        default:
          notIp(walk);
          return;
      }
    case STEP.ciscoHdlc:
      // Address, control, then an ethertype.
      if (cut(4)) return;
      ethertype(view.getUint16(at + 2, false), at + 4, walk);
      return;
    case STEP.llc:
      // 802.2 SNAP: AA AA 03, an OUI, an ethertype. Other SAPs carry no IP that tshark reads as such.
      if (cut(8)) return;
      if (bytes[at] !== 0xaa || bytes[at + 1] !== 0xaa || bytes[at + 2] !== 0x03) return void notIp(walk);
      ethertype(view.getUint16(at + 6, false), at + 8, walk);
      return;
    case STEP.wlan:
      wlan(bytes, end, walk);
      return;
    case STEP.mpls: {
      // RFC 3032: label stack entries to the one with the bottom-of-stack bit; then what the first nibble says (tshark's
      // guess too): IPv4, IPv6, or a pseudowire control word (0) and Ethernet.
      let pos = at;
      for (;;) {
        if (end - pos < 4) return void go(walk, STEP.malformed, pos);
        const entry = view.getUint32(pos, false);
        if (!layers.push(LAYER.mpls, entry >>> 12)) return void unread(walk, UNREAD.tooManyLayers);
        pos += 4;
        if (entry & 0x100) break;
      }
      if (end - pos < 1) return void go(walk, STEP.malformed, pos);
      const nibble = bytes[pos]! >> 4;
      if (nibble === 4) go(walk, STEP.ipv4, pos);
      else if (nibble === 6) go(walk, STEP.ipv6, pos);
      else if (nibble === 0) go(walk, STEP.ethernet, pos + 4);
      else notIp(walk);
      return;
    }
    case STEP.ip:
      if (cut(1)) return;
      if (bytes[at]! >> 4 === 4) go(walk, STEP.ipv4, at);
      else if (bytes[at]! >> 4 === 6) go(walk, STEP.ipv6, at);
      else notIp(walk);
      return;
    default:
      notIp(walk);
  }
}

/**
 * An 802.11 data frame (IEEE 802.11-2020 §9.3.2): frame control, duration, three addresses, sequence control, a
 * fourth address between access points, QoS control, HT control when the order bit is set on a QoS frame; then the
 * 802.2 header. Management, control and null frames carry no IP; protected ones carry it encrypted.
 */
function wlan(bytes: Uint8Array, end: number, walk: Walk): void {
  const at = walk.at;
  if (end - at < 24) return void go(walk, STEP.malformed, at);
  const control = bytes[at]!;
  const flags = bytes[at + 1]!;
  const type = (control >> 2) & 3;
  const subtype = control >> 4;
  if (type !== 2 || subtype & 0x4) return void notIp(walk);
  if (flags & 0x40) return void unread(walk, UNREAD.encryptedWlan);
  const qos = (subtype & 0x8) !== 0;
  const length = 24 + ((flags & 3) === 3 ? 6 : 0) + (qos ? 2 : 0) + (qos && flags & 0x80 ? 4 : 0);
  if (qos && end - at >= length && bytes[at + length - (flags & 0x80 ? 6 : 2)]! & 0x80) return void unread(walk, UNREAD.aggregatedWlan);
  if (end - at < length) return void go(walk, STEP.malformed, at);
  go(walk, STEP.llc, at + length);
}

/**
 * Whether IP protocol `protocol` at [at, end) is a tunnel this decoder follows: if so the walk moves on to what it
 * carries and its layer is pushed (the caller has pushed the outer IP header). False for any other protocol.
 */
export function tunnel(protocol: number, bytes: Uint8Array, view: DataView, at: number, end: number, walk: Walk, layers: LayerStack): boolean {
  switch (protocol) {
    case IP_IPV4: go(walk, STEP.ipv4, at); return true;
    case IP_IPV6: go(walk, STEP.ipv6, at); return true;
    case IP_ETHERIP:
      // RFC 3378: four bits of version (3), twelve reserved, then an Ethernet frame.
      if (end - at < 2) return go(walk, STEP.malformed, at);
      if (!layers.push(LAYER.etherIp)) return unread(walk, UNREAD.tooManyLayers);
      return go(walk, STEP.ethernet, at + 2);
    case IP_GRE: return gre(bytes, view, at, end, walk, layers);
    case IP_UDP: return udp(bytes, view, at, end, walk, layers);
    default: return false;
  }
}

/** GRE (RFC 2784 with RFC 2890's key and sequence number; version 1 is PPTP's, RFC 2637 §4.1). */
function gre(bytes: Uint8Array, view: DataView, at: number, end: number, walk: Walk, layers: LayerStack): true {
  if (end - at < 4) return go(walk, STEP.malformed, at);
  const flags = view.getUint16(at, false);
  const protocol = view.getUint16(at + 2, false);
  const version = flags & 7;
  const checksum = (flags & 0x8000) !== 0;
  const routing = (flags & 0x4000) !== 0;
  const key = (flags & 0x2000) !== 0;
  const sequence = (flags & 0x1000) !== 0;
  if (version > 1) return unread(walk, UNREAD.greVersion);
  if (routing && version === 0) return unread(walk, UNREAD.greRouting);
  let pos = at + 4;
  if (version === 1) pos += 4 + (sequence ? 4 : 0) + (flags & 0x0080 ? 4 : 0);
  else pos += (checksum ? 4 : 0) + (key ? 4 : 0) + (sequence ? 4 : 0);
  if (pos > end) return go(walk, STEP.malformed, at);
  const keyValue = version === 0 && key ? view.getUint32(at + 4 + (checksum ? 4 : 0), false) : -1;
  if (!layers.push(LAYER.gre, keyValue)) return unread(walk, UNREAD.tooManyLayers);
  switch (protocol) {
    case ETHERTYPE_ERSPAN_2:
      // Type II has an 8-byte header; type I (no sequence number in GRE) has none.
      if (!sequence) return layers.push(LAYER.erspan, -1) ? go(walk, STEP.ethernet, pos) : unread(walk, UNREAD.tooManyLayers);
      if (end - pos < 8) return go(walk, STEP.malformed, pos);
      if (!layers.push(LAYER.erspan, view.getUint16(pos + 2, false) & 0x3ff)) return unread(walk, UNREAD.tooManyLayers);
      return go(walk, STEP.ethernet, pos + 8);
    case ETHERTYPE_ERSPAN_3: {
      // 12 bytes, and 8 of platform-specific data when the O bit (the last bit of the header) is set.
      if (end - pos < 12) return go(walk, STEP.malformed, pos);
      if (!layers.push(LAYER.erspan, view.getUint16(pos + 2, false) & 0x3ff)) return unread(walk, UNREAD.tooManyLayers);
      return go(walk, STEP.ethernet, pos + 12 + (bytes[pos + 11]! & 1 ? 8 : 0));
    }
    case ETHERTYPE_WCCP:
      // WCCP redirection: a 4-byte header before the IP packet, unless the packet follows at once.
      if (!layers.push(LAYER.wccp)) return unread(walk, UNREAD.tooManyLayers);
      if (end - pos >= 1 && bytes[pos]! >> 4 === 4) return go(walk, STEP.ipv4, pos);
      return go(walk, STEP.ip, pos + 4);
    default:
      // Aruba's access points send 802.11 frames in GRE under 0x8200–0x82ff.
      if (protocol >= 0x8200 && protocol <= 0x82ff) {
        if (!layers.push(LAYER.wlan)) return unread(walk, UNREAD.tooManyLayers);
        return go(walk, STEP.wlan, pos);
      }
      ethertype(protocol, pos, walk);
      return true;
  }
}

/** UDP tunnels on their well-known ports (the destination's first, as tshark tries them). */
function udp(bytes: Uint8Array, view: DataView, at: number, end: number, walk: Walk, layers: LayerStack): boolean {
  if (end - at < 8) return false;
  const dst = view.getUint16(at + 2, false);
  const src = view.getUint16(at, false);
  const port = isTunnelPort(dst) ? dst : isTunnelPort(src) ? src : 0;
  if (port === 0) return false;
  const pos = at + 8;
  const length = view.getUint16(at + 4, false);
  if (length >= 8) walk.limit = at + length;
  const cut = (n: number) => end - pos < n && go(walk, STEP.malformed, pos);
  switch (port) {
    case UDP_VXLAN:
      // RFC 7348: flags, reserved, a 24-bit VNI, reserved; then an Ethernet frame.
      if (cut(8)) return true;
      if (!layers.push(LAYER.vxlan, view.getUint32(pos + 4, false) >>> 8)) return unread(walk, UNREAD.tooManyLayers);
      return go(walk, STEP.ethernet, pos + 8);
    case UDP_GENEVE: {
      // RFC 8926: options' length in 4-byte words, a protocol type (an ethertype), a 24-bit VNI.
      if (cut(8)) return true;
      const options = (bytes[pos]! & 0x3f) * 4;
      if (end - pos < 8 + options) return go(walk, STEP.malformed, pos);
      if (!layers.push(LAYER.geneve, view.getUint32(pos + 4, false) >>> 8)) return unread(walk, UNREAD.tooManyLayers);
      ethertype(view.getUint16(pos + 2, false), pos + 8 + options, walk);
      return true;
    }
    case UDP_GTP_U: {
      // 3GPP TS 29.281 §5.1: flags, message type (255: a user packet), length, TEID; a sequence number, N-PDU number
      // and next extension type when any of E, S, PN is set; then extension headers, each sized in 4-byte units.
      if (cut(8)) return true;
      const flags = bytes[pos]!;
      if (flags >> 5 !== 1) return unread(walk, UNREAD.gtpVersion);
      if (bytes[pos + 1] !== 0xff) return notIp(walk);
      const teid = view.getUint32(pos + 4, false);
      let inner = pos + 8;
      if (flags & 0x07) {
        if (end - inner < 4) return go(walk, STEP.malformed, inner);
        let nextType = bytes[inner + 3]!;
        inner += 4;
        // Each extension header ends with the next one's type; at most 16 followed.
        for (let n = 0; nextType !== 0; n++) {
          if (n === 16 || end - inner < 4) return go(walk, STEP.malformed, inner);
          const length = bytes[inner]! * 4;
          if (length === 0 || end - inner < length) return go(walk, STEP.malformed, inner);
          nextType = bytes[inner + length - 1]!;
          inner += length;
        }
      }
      if (!layers.push(LAYER.gtpU, teid)) return unread(walk, UNREAD.tooManyLayers);
      return go(walk, STEP.ip, inner);
    }
    case UDP_L2TP: {
      // L2TPv2 (RFC 2661 §3.1): flags and version, then length, tunnel and session IDs, Ns and Nr, an offset, each
      // present by its flag; control messages carry no PPP.
      if (cut(2)) return true;
      const flags = view.getUint16(pos, false);
      if ((flags & 0x000f) !== 2) return unread(walk, UNREAD.l2tpVersion);
      if (flags & 0x8000) return notIp(walk);
      let inner = pos + 2;
      if (flags & 0x4000) {
        if (end - inner < 2) return go(walk, STEP.malformed, inner);
        walk.limit = Math.min(walk.limit, pos + view.getUint16(inner, false));
        inner += 2;
      }
      if (end - inner < 4) return go(walk, STEP.malformed, inner);
      const tunnelId = view.getUint16(inner, false);
      const session = view.getUint16(inner + 2, false);
      inner += 4 + (flags & 0x0800 ? 4 : 0);
      if (flags & 0x0200) {
        if (end - inner < 2) return go(walk, STEP.malformed, inner);
        inner += 2 + view.getUint16(inner, false);
      }
      if (inner > end) return go(walk, STEP.malformed, pos);
      if (!layers.push(LAYER.l2tp, tunnelId * 65536 + session)) return unread(walk, UNREAD.tooManyLayers);
      return go(walk, STEP.ppp, inner);
    }
    case UDP_AYIYA: {
      // AYIYA (draft-massar-v6ops-ayiya): identity length 2^n and signature length 4n in the first two bytes' high
      // nibbles, an opcode (1: forward) and the next header, an epoch; then identity, signature, packet.
      if (cut(8)) return true;
      if ((bytes[pos + 2]! & 0x0f) !== 1) return notIp(walk);
      const next = bytes[pos + 3]!;
      const inner = pos + 8 + (1 << (bytes[pos]! >> 4)) + (bytes[pos + 1]! >> 4) * 4;
      if (inner > end) return go(walk, STEP.malformed, pos);
      if (!layers.push(LAYER.ayiya)) return unread(walk, UNREAD.tooManyLayers);
      if (next === IP_IPV6) return go(walk, STEP.ipv6, inner);
      if (next === IP_IPV4) return go(walk, STEP.ipv4, inner);
      return notIp(walk);
    }
    default:
      return false;
  }
}

function isTunnelPort(port: number): boolean {
  return port === UDP_VXLAN || port === UDP_GENEVE || port === UDP_GTP_U || port === UDP_L2TP || port === UDP_AYIYA;
}
