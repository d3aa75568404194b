// Frames carrying one TCP segment inside each encapsulation and link type the decoder reads, built byte by byte from
// the specifications. Each frame's segment has its own source port, so a reader's output can be matched to the case.
import { Bytes, concat, epb, ethernet, idb, ipv4, ipv6, shb, tcp } from './bytes';

export interface EncapsulationCase {
  name: string;
  linkType: number;
  /** One frame, or the fragments of one datagram (the segment is read from the last). */
  frames: Uint8Array[];
  /** The segment's source port, sequence number and TCP payload length. */
  port: number;
  seq: number;
  len: number;
  /** What the decoder names the layers (undefined for none). */
  via?: string;
}

const u16 = (v: number) => new Bytes().u16(v).build();
const u32 = (v: number) => new Bytes().u32(v).build();
const le16 = (v: number) => new Bytes(true).u16(v).build();
const OUTER_SRC = [192, 0, 2, 1];
const OUTER_DST = [192, 0, 2, 2];
const outer = (payload: Uint8Array, protocol: number) => ipv4(payload, { src: OUTER_SRC, dst: OUTER_DST, protocol });
const udp = (dport: number, payload: Uint8Array, sport = 50000 + dport % 1000) => concat(new Bytes().u16(sport).u16(dport).u16(8 + payload.length).u16(0).build(), payload);
const snap = (type: number) => new Bytes().u8(0xaa, 0xaa, 0x03, 0, 0, 0).u16(type).build();
const OUTER_TEXT = 'IPv4 192.0.2.1 > 192.0.2.2';

/** The cases; `port` also varies the segment so that each is told apart. */
export function encapsulationCases(): EncapsulationCase[] {
  const cases: EncapsulationCase[] = [];
  let port = 20000;
  const add = (name: string, linkType: number, wrap: (v4: Uint8Array, v6: Uint8Array) => Uint8Array | Uint8Array[], via?: string, len = 10) => {
    port++;
    const segment = tcp({ sport: port, dport: 80, seq: port * 1000, ack: 1, flags: 0x018, payload: len });
    const frames = wrap(ipv4(segment), ipv6(segment));
    cases.push({ name, linkType, frames: Array.isArray(frames) ? frames : [frames], port, seq: port * 1000, len, ...(via ? { via } : {}) });
  };
  const pppoe = (session: number, ppp: number, payload: Uint8Array) =>
    concat(new Bytes().u8(0x11, 0).u16(session).u16(payload.length + 2).u16(ppp).build(), payload);

  add('Ethernet, VLAN, PPPoE, IPv4', 1, (v4) => ethernet(pppoe(0x1234, 0x0021, v4), 0x8864, [[0x8100, 7]]), 'VLAN 7 / PPPoE session 0x1234');
  add('Ethernet, two VLAN tags, PPPoE, IPv6', 1, (_, v6) => ethernet(pppoe(0x0042, 0x0057, v6), 0x8864, [[0x88a8, 100], [0x8100, 200]]), 'VLAN 100 / VLAN 200 / PPPoE session 0x0042');
  add('L2TP (UDP 1701), PPP, IPv4', 1, (v4) => ethernet(outer(udp(1701, concat(new Bytes().u16(0x4002).u16(v4.length + 12).u16(3).u16(9).u16(0xff03).u16(0x0021).build(), v4)), 17), 0x0800),
    `${OUTER_TEXT} / L2TP tunnel 3 session 9`);
  add('PPP (9) with address and control', 9, (v4) => concat(new Bytes().u8(0xff, 0x03).u16(0x0021).build(), v4));
  add('PPP (9) with a compressed protocol field', 9, (v4) => concat(new Bytes().u8(0x21).build(), v4));
  add('Multilink PPP, a packet sent whole', 9, (v4) => concat(new Bytes().u8(0xff, 0x03).u16(0x003d).u8(0xc0, 0, 0, 5).u16(0x0021).build(), v4), 'Multilink PPP');
  add('Multilink PPP, a packet in three fragments, the middle one last', 9, (v4) => {
    const inner = concat(u16(0x0021), v4);
    const fragment = (flags: number, sequence: number, from: number, to?: number) =>
      concat(new Bytes().u8(0xff, 0x03).u16(0x003d).u8(flags, sequence >> 16, sequence >> 8, sequence).build(), inner.subarray(from, to));
    return [fragment(0x80, 70, 0, 30), fragment(0x40, 72, 50), fragment(0x00, 71, 30, 50)];
  }, 'Multilink PPP', 30);
  add('PPP in HDLC framing (50)', 50, (v4) => concat(new Bytes().u8(0xff, 0x03).u16(0x0021).build(), v4));
  add('PPP with direction (204)', 204, (v4) => concat(new Bytes().u8(1, 0xff, 0x03).u16(0x0021).build(), v4));
  add('PPPoE without Ethernet (51)', 51, (v4) => pppoe(0x0007, 0x0021, v4), 'PPPoE session 0x0007');
  add('Cisco HDLC (104)', 104, (v4) => concat(new Bytes().u8(0x0f, 0).u16(0x0800).build(), v4));
  add('GRE, IPv4', 1, (v4) => ethernet(outer(concat(new Bytes().u16(0).u16(0x0800).build(), v4), 47), 0x0800), `${OUTER_TEXT} / GRE`);
  add('GRE with checksum, key and sequence, Ethernet', 1, (v4) => ethernet(outer(concat(new Bytes().u16(0xb000).u16(0x6558).u32(0).u32(77).u32(5).build(), ethernet(v4, 0x0800)), 47), 0x0800),
    `${OUTER_TEXT} / GRE key 77 / Ethernet`);
  add('GRE, IPv6', 1, (_, v6) => ethernet(outer(concat(new Bytes().u16(0).u16(0x86dd).build(), v6), 47), 0x0800), `${OUTER_TEXT} / GRE`);
  add('GRE, ERSPAN type II', 1, (v4) => ethernet(outer(concat(new Bytes().u16(0x1000).u16(0x88be).u32(1).build(),
    new Bytes().u16(0x1000).u16(0x0000 | 33).u32(0).build(), ethernet(v4, 0x0800)), 47), 0x0800), `${OUTER_TEXT} / GRE / ERSPAN session 33`);
  add('GRE, ERSPAN type III', 1, (v4) => ethernet(outer(concat(new Bytes().u16(0x1000).u16(0x22eb).u32(1).build(),
    new Bytes().u16(0x2000).u16(44).u32(0).u32(0).build(), ethernet(v4, 0x0800)), 47), 0x0800), `${OUTER_TEXT} / GRE / ERSPAN session 44`);
  add('GRE version 1 (PPTP), PPP', 1, (v4) => ethernet(outer(concat(new Bytes().u16(0x3081).u16(0x880b).u16(v4.length + 4).u16(1).u32(1).u32(0).build(),
    new Bytes().u8(0xff, 0x03).u16(0x0021).build(), v4), 47), 0x0800), `${OUTER_TEXT} / GRE`);
  add('GTP-U (UDP 2152) with an extension header', 1, (v4) => ethernet(outer(udp(2152, concat(new Bytes().u8(0x34, 0xff).u16(v4.length + 8).u32(0xabcdef01)
    .u16(0).u8(0, 0x85).u8(1, 0x10, 0x09, 0x00).build(), v4)), 17), 0x0800), `${OUTER_TEXT} / GTP-U TEID 0xabcdef01`);
  add('VXLAN (UDP 4789), Ethernet', 1, (v4) => ethernet(outer(udp(4789, concat(new Bytes().u8(0x08, 0, 0, 0).u32(4242 << 8).build(), ethernet(v4, 0x0800))), 17), 0x0800),
    `${OUTER_TEXT} / VXLAN VNI 4242`);
  add('Geneve (UDP 6081) with an option, Ethernet, IPv6', 1, (_, v6) => ethernet(outer(udp(6081, concat(new Bytes().u8(0x02, 0).u16(0x6558).u32(99 << 8)
    .u16(0x0102).u8(0x03, 0x01).u32(0xdeadbeef).build(), ethernet(v6, 0x86dd))), 17), 0x0800), `${OUTER_TEXT} / Geneve VNI 99 / Ethernet`);
  add('MPLS, two labels, IPv4', 1, (v4) => ethernet(concat(u32((16 << 12) | 64), u32((17 << 12) | 0x100 | 64), v4), 0x8847), 'MPLS label 16 / MPLS label 17');
  add('MPLS, pseudowire with control word, Ethernet', 1, (v4) => ethernet(concat(u32((18 << 12) | 0x100 | 64), u32(0x0fff0001), ethernet(v4, 0x0800)), 0x8847), 'MPLS label 18');
  add('IPv6 in IPv4 (6in4)', 1, (_, v6) => ethernet(outer(v6, 41), 0x0800), OUTER_TEXT);
  add('IPv4 in IPv4', 1, (v4) => ethernet(outer(v4, 4), 0x0800), OUTER_TEXT);
  add('EtherIP', 1, (v4) => ethernet(outer(concat(u16(0x3000), ethernet(v4, 0x0800)), 97), 0x0800), `${OUTER_TEXT} / EtherIP`);
  add('AYIYA (UDP 5072), IPv6', 1, (_, v6) => ethernet(outer(udp(5072, concat(new Bytes().u8(0x41, 0x52, 0x11, 41).u32(0).bytes(new Array(16).fill(1)).bytes(new Array(20).fill(2)).build(), v6)), 17), 0x0800),
    `${OUTER_TEXT} / AYIYA`);
  add('802.3 with LLC/SNAP', 1, (v4) => concat(new Bytes().bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]).u16(v4.length + 8).build(), snap(0x0800), v4));
  add('FDDI (10)', 10, (v4) => concat(new Bytes().u8(0x50).bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]).build(), snap(0x0800), v4));
  const wlanData = (v4: Uint8Array) => concat(new Bytes().u8(0x88, 0x01).u16(0).bytes(new Array(18).fill(3)).u16(0).u16(0).build(), snap(0x0800), v4);
  add('802.11 QoS data (105)', 105, wlanData);
  add('802.11 with radiotap (127)', 127, (v4) => concat(new Bytes(true).u8(0, 0).u16(8).u32(0).build(), wlanData(v4)));
  add('802.11 with PPI (192)', 192, (v4) => concat(new Bytes(true).u8(0, 0).u16(8).u32(105).build(), wlanData(v4)));
  add('ARCnet, RFC 1201 (7)', 7, (v4) => concat(new Bytes().u8(1, 2, 0xd4, 0).u16(0).build(), v4));
  add('ARCnet, Linux (129)', 129, (v4) => concat(new Bytes().u8(1, 2).u16(0).u8(0xd4, 0).u16(0).build(), v4));
  add('IP over InfiniBand (242)', 242, (v4) => concat(new Uint8Array(40), u16(0x0800), u16(0), v4));
  add('NFLOG (239)', 239, (v4) => concat(new Bytes().u8(2, 0).u16(0).build(), le16(8), le16(1), u16(0x0800), u16(0), le16(v4.length + 4), le16(9), v4));
  // A datagram of three fragments, the last first; and IPv6's two.
  add('IPv4 fragments, out of order', 1, (v4) => {
    const header = 20;
    const payload = v4.subarray(header);
    const piece = (from: number, to: number, more: boolean) =>
      ethernet(ipv4(payload.subarray(from, to), { fragment: (more ? 0x2000 : 0) | (from / 8) }), 0x0800);
    return [piece(32, payload.length, false), piece(0, 16, true), piece(16, 32, true)];
  }, undefined, 40);
  add('IPv6 fragments', 1, (_, v6) => {
    const payload = v6.subarray(40);
    const piece = (from: number, to: number, more: boolean) =>
      ethernet(ipv6(payload.subarray(from, to), { ext: [[44, [((from / 8) << 3) >> 8, (((from / 8) << 3) & 0xff) | (more ? 1 : 0), 0, 0, 0, 9]]] }), 0x86dd);
    return [piece(0, 24, true), piece(24, payload.length, false)];
  }, undefined, 40);
  return cases;
}

/** All cases in one pcapng file, an interface per link type. */
export function encapsulationCapture(cases = encapsulationCases()): Uint8Array {
  const linkTypes = [...new Set(cases.map((c) => c.linkType))];
  const frames = cases.flatMap((c) => c.frames.map((f) => epb(linkTypes.indexOf(c.linkType), 1_700_000_000_000_000n, f)));
  return concat(shb(), ...linkTypes.map((t) => idb(t)), ...frames);
}
