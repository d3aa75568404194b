// Where a record's network layer starts, for each link type read (tcpdump.org's LINKTYPE_ values, as pcap and pcapng
// write them). What follows the link header is handed on as an ethertype, a PPP protocol, an 802.2 LLC header, an
// 802.11 frame or IP; `encapsulations.ts` takes it from there.
import { go, STEP, UNREAD, type Walk } from './walk';

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_ARCNET_BSD = 7;
export const LINKTYPE_PPP = 9;
export const LINKTYPE_FDDI = 10;
export const LINKTYPE_PPP_HDLC = 50;
export const LINKTYPE_PPP_ETHER = 51;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_C_HDLC = 104;
export const LINKTYPE_IEEE802_11 = 105;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_PFLOG = 117;
export const LINKTYPE_IEEE802_11_PRISM = 119;
export const LINKTYPE_IEEE802_11_RADIOTAP = 127;
export const LINKTYPE_ARCNET_LINUX = 129;
export const LINKTYPE_IEEE802_11_AVS = 163;
export const LINKTYPE_PPP_PPPD = 166;
export const LINKTYPE_JUNIPER_ETHER = 178;
export const LINKTYPE_PPI = 192;
export const LINKTYPE_PPP_WITH_DIR = 204;
export const LINKTYPE_C_HDLC_WITH_DIR = 205;
export const LINKTYPE_MPLS = 219;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_NFLOG = 239;
export const LINKTYPE_IPOIB = 242;
export const LINKTYPE_LINUX_SLL2 = 276;

/** ARCnet protocol IDs (RFC 1051 and RFC 1201) that carry IP, and those whose header has no fragmentation fields. */
const ARCNET_IP = new Map([[0xf0, 4], [0xd4, 4], [0xc4, 6]]);
const ARCNET_UNSPLIT = new Set([0xf0, 0xf1, 0x80, 0xcd]);

/** BSD address-family values for IPv6 differ by OS (NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30). */
function familyToVersion(family: number): number {
  if (family === 2) return 4;
  if (family === 24 || family === 28 || family === 30) return 6;
  return 0;
}

function ip(walk: Walk, version: number, at: number): boolean {
  if (version === 4) walk.kind = STEP.ipv4;
  else if (version === 6) walk.kind = STEP.ipv6;
  else walk.kind = STEP.nonIp;
  walk.at = at;
  return true;
}

/**
 * Sets `walk` to what follows the link header of a record of `linkType` whose bytes are [at, end). Returns false when
 * the link type is not read (the caller counts it), and sets `walk.kind` to STEP.malformed when the header is cut.
 */
export function linkLayer(linkType: number, bytes: Uint8Array, view: DataView, at: number, end: number, walk: Walk): boolean {
  const cut = (n: number) => end - at < n;
  const malformed = () => go(walk, STEP.malformed, at);
  walk.direction = 0;
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      return go(walk, STEP.ethernet, at);
    case LINKTYPE_LINUX_SLL:
      if (cut(16)) return malformed();
      return go(walk, STEP.ethertype, at + 16, view.getUint16(at + 14, false));
    case LINKTYPE_LINUX_SLL2:
      if (cut(20)) return malformed();
      return go(walk, STEP.ethertype, at + 20, view.getUint16(at, false));
    case LINKTYPE_NULL: {
      if (cut(4)) return malformed();
      // Host byte order of the capturing machine: the family is small, so a zero first half means big-endian.
      const bigEndian = view.getUint16(at, true) === 0;
      return ip(walk, familyToVersion(view.getUint32(at, !bigEndian)), at + 4);
    }
    case LINKTYPE_LOOP:
      if (cut(4)) return malformed();
      return ip(walk, familyToVersion(view.getUint32(at, false)), at + 4);
    case LINKTYPE_RAW:
    case 12:
    case 14:
      if (cut(1)) return malformed();
      return ip(walk, bytes[at]! >> 4, at);
    case LINKTYPE_IPV4:
      return ip(walk, 4, at);
    case LINKTYPE_IPV6:
      return ip(walk, 6, at);
    case LINKTYPE_MPLS:
      return go(walk, STEP.mpls, at);
    case LINKTYPE_PPP:
      return go(walk, STEP.ppp, at);
    case LINKTYPE_PPP_PPPD:
    case LINKTYPE_PPP_WITH_DIR:
      // A direction byte, then PPP.
      if (cut(1)) return malformed();
      walk.direction = bytes[at]! + 1;
      return go(walk, STEP.ppp, at + 1);
    case LINKTYPE_PPP_HDLC:
      // RFC 1662 framing; BSD/OS also wrote Cisco HDLC under this type, told apart by its address byte.
      if (cut(1)) return malformed();
      return go(walk, bytes[at] === 0x0f || bytes[at] === 0x8f ? STEP.ciscoHdlc : STEP.ppp, at);
    case LINKTYPE_PPP_ETHER:
      return go(walk, STEP.pppoe, at);
    case LINKTYPE_C_HDLC:
      return go(walk, STEP.ciscoHdlc, at);
    case LINKTYPE_C_HDLC_WITH_DIR:
      if (cut(1)) return malformed();
      walk.direction = bytes[at]! + 1;
      return go(walk, STEP.ciscoHdlc, at + 1);
    case LINKTYPE_FDDI:
      // Frame control, destination and source: then 802.2 LLC.
      if (cut(13)) return malformed();
      return go(walk, STEP.llc, at + 13);
    case LINKTYPE_IEEE802_11:
      return go(walk, STEP.wlan, at);
    case LINKTYPE_IEEE802_11_RADIOTAP:
      if (cut(4)) return malformed();
      return go(walk, STEP.wlan, at + view.getUint16(at + 2, true));
    case LINKTYPE_PPI: {
      if (cut(8)) return malformed();
      const inner = view.getUint32(at + 4, true);
      const kind = inner === LINKTYPE_IEEE802_11 ? STEP.wlan : inner === LINKTYPE_ETHERNET ? STEP.ethernet : STEP.unread;
      if (kind === STEP.unread) walk.reason = UNREAD.ppiLinkType;
      return go(walk, kind, at + view.getUint16(at + 2, true));
    }
    case LINKTYPE_IEEE802_11_PRISM:
      if (cut(8)) return malformed();
      return go(walk, STEP.wlan, at + view.getUint32(at + 4, true));
    case LINKTYPE_IEEE802_11_AVS:
      if (cut(8)) return malformed();
      return go(walk, STEP.wlan, at + view.getUint32(at + 4, false));
    case LINKTYPE_ARCNET_BSD:
    case LINKTYPE_ARCNET_LINUX: {
      // Source, destination, (Linux: an offset), protocol ID; RFC 1201 protocols then a split flag and a sequence
      // number, which on BSD an exception frame prefixes with 0xff, two bytes of padding and the protocol ID again.
      let pos = at + (linkType === LINKTYPE_ARCNET_LINUX ? 4 : 2);
      if (end - pos < 1) return go(walk, STEP.malformed, pos);
      const protocol = bytes[pos++]!;
      if (!ARCNET_UNSPLIT.has(protocol)) {
        if (linkType === LINKTYPE_ARCNET_BSD && bytes[pos] === 0xff) pos += 4;
        pos += 3;
      }
      if (pos > end) return go(walk, STEP.malformed, pos);
      return ip(walk, ARCNET_IP.get(protocol) ?? 0, pos);
    }
    case LINKTYPE_IPOIB:
      // Linux writes the 40-byte global route header (or the destination address in its place) before RFC 4391 §6's
      // header: an ethertype and two reserved bytes.
      if (cut(44)) return malformed();
      return go(walk, STEP.ethertype, at + 44, view.getUint16(at + 40, false));
    case LINKTYPE_NFLOG:
      return nflog(bytes, view, at, end, walk);
    case LINKTYPE_JUNIPER_ETHER: {
      // Juniper's header: "MGC", flags, and with the extension flag a length and that many bytes of extensions; then
      // Ethernet, unless the flags say the link-layer header was stripped.
      if (cut(4)) return malformed();
      if (bytes[at] !== 0x4d || bytes[at + 1] !== 0x47 || bytes[at + 2] !== 0x43) return go(walk, STEP.malformed, at);
      const flags = bytes[at + 3]!;
      let pos = at + 4;
      if (flags & 0x80) {
        if (end - pos < 2) return go(walk, STEP.malformed, pos);
        pos += 2 + view.getUint16(pos, false);
      }
      if (flags & 0x02) {
        walk.reason = UNREAD.juniperNoL2;
        return go(walk, STEP.unread, pos);
      }
      return go(walk, STEP.ethernet, pos);
    }
    case LINKTYPE_PFLOG: {
      // OpenBSD pf's log header: its length (padded to 4 bytes), then the address family.
      if (cut(2)) return malformed();
      return ip(walk, familyToVersion(bytes[at + 1]!), at + ((bytes[at]! + 3) & ~3));
    }
    default:
      return false;
  }
}

/** NFULA_PAYLOAD: the packet in an NFLOG record. */
const NFULA_PAYLOAD = 9;

/**
 * Linux NFLOG: address family, version and resource ID, then type-length-value attributes padded to 4 bytes, in the
 * capturing machine's byte order (told by the first attribute's length, which is at least 4). The packet is attribute 9.
 */
function nflog(bytes: Uint8Array, view: DataView, at: number, end: number, walk: Walk): boolean {
  if (end - at < 4) return go(walk, STEP.malformed, at);
  const version = bytes[at] === 2 ? 4 : bytes[at] === 10 ? 6 : 0;
  let pos = at + 4;
  const little = end - pos >= 4 && view.getUint16(pos, true) >= 4 && view.getUint16(pos, true) <= end - pos;
  while (end - pos >= 4) {
    const length = view.getUint16(pos, little);
    const type = view.getUint16(pos + 2, little) & 0x7fff;
    if (length < 4 || length > end - pos) break;
    if (type === NFULA_PAYLOAD) return ip(walk, version, pos + 4);
    pos += (length + 3) & ~3;
  }
  walk.kind = STEP.nonIp;
  return true;
}
