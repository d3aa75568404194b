import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaptureRecord } from '../../src/core/capture/record';
import { ipv6Text } from '../../src/core/decode/address';
import { addressText, PacketDecoder, type TcpPacket } from '../../src/core/decode/packet';
import { Bytes, concat, ethernet, ipv4, ipv6, tcp } from '../support/bytes';

/** Decodes one record (with `decoder`, which keeps its statistics and fragments across calls, when given). */
function decode(linkType: number, data: Uint8Array, decoder = new PacketDecoder(), originalLength = data.length): TcpPacket | undefined {
  // Put the frame at a non-zero offset inside a larger buffer: DataViews must honour byteOffset.
  const buffer = new Uint8Array(data.length + 13);
  buffer.set(data, 7);
  const view8 = buffer.subarray(3);
  const record: CaptureRecord = { packet: 1, offset: 0, length: 0, time: 0, linkType, data: view8, dataStart: 4, capturedLength: data.length, originalLength };
  return decoder.decode(record, new DataView(view8.buffer, view8.byteOffset, view8.byteLength));
}

const segment = tcp({ sport: 41234, dport: 8080, seq: 0xdeadbeef, ack: 0x01020304, flags: 0x018, window: 502, payload: 10 });
const v4 = ipv4(segment);
const v6 = ipv6(segment);

function assertSegment(packet: TcpPacket | undefined, version: 4 | 6): void {
  assert.ok(packet, 'decoded');
  assert.equal(packet.ipVersion, version);
  assert.equal(packet.tcp.srcPort, 41234);
  assert.equal(packet.tcp.dstPort, 8080);
  assert.equal(packet.tcp.seq, 0xdeadbeef);
  assert.equal(packet.tcp.ack, 0x01020304);
  assert.equal(packet.tcp.flags, 0x018);
  assert.equal(packet.tcp.window, 502);
  assert.equal(packet.payloadLength, 10);
  assert.equal(addressText(packet, packet.srcAt), version === 4 ? '10.0.0.1' : '2001:db8::1');
  assert.equal(addressText(packet, packet.dstAt), version === 4 ? '10.0.0.2' : '2001:db8::2');
}

describe('link layers', () => {
  it('Ethernet, with 802.1Q, 802.1ad and stacked VLAN tags', () => {
    assertSegment(decode(1, ethernet(v4, 0x0800)), 4);
    assertSegment(decode(1, ethernet(v6, 0x86dd)), 6);
    assertSegment(decode(1, ethernet(v4, 0x0800, [[0x8100, 100]])), 4);
    assertSegment(decode(1, ethernet(v6, 0x86dd, [[0x88a8, 10], [0x8100, 20]])), 6);
  });

  it('Linux cooked capture v1 (113) and v2 (276)', () => {
    const sll = (proto: number) => new Bytes().u16(0).u16(1).u16(6).bytes([2, 0, 0, 0, 0, 1, 0, 0]).u16(proto).build();
    const sll2 = (proto: number) => new Bytes().u16(proto).u16(0).u32(2).u16(1).u8(0, 6).bytes([2, 0, 0, 0, 0, 1, 0, 0]).build();
    assertSegment(decode(113, concat(sll(0x0800), v4)), 4);
    assertSegment(decode(113, concat(sll(0x86dd), v6)), 6);
    assertSegment(decode(276, concat(sll2(0x0800), v4)), 4);
    assertSegment(decode(276, concat(sll2(0x86dd), v6)), 6);
  });

  it('BSD null loopback in either byte order, and OpenBSD loop', () => {
    assertSegment(decode(0, concat(new Bytes(true).u32(2).build(), v4)), 4);
    assertSegment(decode(0, concat(new Bytes(false).u32(2).build(), v4)), 4);
    for (const family of [24, 28, 30]) assertSegment(decode(0, concat(new Bytes(true).u32(family).build(), v6)), 6);
    assertSegment(decode(108, concat(new Bytes(false).u32(2).build(), v4)), 4);
    assertSegment(decode(108, concat(new Bytes(false).u32(24).build(), v6)), 6);
  });

  it('raw IP (101, 12, 14), IPv4 (228) and IPv6 (229)', () => {
    for (const type of [101, 12, 14]) {
      assertSegment(decode(type, v4), 4);
      assertSegment(decode(type, v6), 6);
    }
    assertSegment(decode(228, v4), 4);
    assertSegment(decode(229, v6), 6);
  });

  it('counts other link types and non-IP frames without failing', () => {
    const decoder = new PacketDecoder();
    assert.equal(decode(147, v4, decoder), undefined);
    assert.equal(decode(147, v4, decoder), undefined);
    assert.equal(decode(1, ethernet(new Uint8Array(28), 0x0806), decoder), undefined);
    assert.deepEqual(decoder.stats.unsupportedLinkTypes, { '147': 2 });
    assert.equal(decoder.stats.nonIp, 1);
  });
});

describe('IP', () => {
  it('IPv4 with options', () => {
    assertSegment(decode(228, ipv4(segment, { options: [1, 1, 1, 0, 0x94, 4, 0, 0] })), 4);
  });

  it('IPv4 source routes: the destination is the route\'s last address while hops remain (as tshark takes it)', () => {
    // Loose and strict, sent to the first router (10.0.0.9) on the way to 10.0.0.2.
    for (const type of [131, 137]) assertSegment(decode(228, ipv4(segment, { dst: [10, 0, 0, 9], options: [1, type, 7, 4, 10, 0, 0, 2] })), 4);
    // The route done (the pointer past its end): the header's destination is the final one.
    const done = decode(228, ipv4(segment, { dst: [10, 0, 0, 2], options: [1, 131, 7, 8, 10, 0, 0, 9] }));
    assert.equal(addressText(done!, done!.dstAt), '10.0.0.2');
  });

  it('counts IPv4 fragments, first and later ones, and non-TCP protocols', () => {
    const decoder = new PacketDecoder();
    assert.equal(decode(228, ipv4(segment, { fragment: 0x2000 }), decoder), undefined);
    assert.equal(decode(228, ipv4(new Uint8Array(8), { fragment: 0x0010 }), decoder), undefined);
    assert.equal(decode(228, ipv4(new Uint8Array(8), { protocol: 17 }), decoder), undefined);
    assert.equal(decoder.stats.ipFragments, 0, 'held, not yet given up');
    decoder.finish();
    assert.equal(decoder.stats.ipFragments, 2, 'their datagrams never completed');
    assert.equal(decoder.stats.nonTcp, 1);
  });

  it('IPv6 through hop-by-hop, routing, destination options, AH and an atomic fragment header', () => {
    const ext: Array<[number, number[]]> = [
      [0, [1, 4, 0, 0, 0, 0]],
      [43, [0, 0, 0, 0, 0, 0]],
      [60, [1, 4, 0, 0, 0, 0, ...new Array(8).fill(0)]],
      [51, [0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0xaa, 0xbb, 0xcc, 0xdd, 0, 0, 0, 0, 0, 0, 0, 0]],
      [44, [0, 0, 0, 0, 0, 7]],
    ];
    assertSegment(decode(229, ipv6(segment, { ext })), 6);
  });

  it('counts a non-first IPv6 fragment', () => {
    const decoder = new PacketDecoder();
    assert.equal(decode(229, ipv6(segment, { ext: [[44, [0, 0x08, 0, 0, 0, 7]]] }), decoder), undefined);
    decoder.finish();
    assert.equal(decoder.stats.ipFragments, 1);
  });

  it('takes the TCP length from the IP header when the frame was cut or padded', () => {
    const cut = decode(228, v4.subarray(0, 45), new PacketDecoder(), v4.length);
    assert.equal(cut?.payloadLength, 10);
    assert.equal(cut?.truncated, true);
    const padded = decode(1, concat(ethernet(ipv4(tcp({ flags: 0x010 })), 0x0800), new Uint8Array(6)));
    assert.equal(padded?.payloadLength, 0);
  });

  it('writes IPv6 addresses in RFC 5952 form', () => {
    const text = (groups: number[]) => ipv6Text(new Bytes().bytes(groups.flatMap((g) => [g >> 8, g & 0xff])).build(), 0);
    assert.equal(text([0x2001, 0xdb8, 0, 0, 0, 0, 2, 1]), '2001:db8::2:1');
    assert.equal(text([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]), '2001:db8:0:1:1:1:1:1');
    assert.equal(text([0x2001, 0, 0, 1, 0, 0, 0, 1]), '2001:0:0:1::1');
    assert.equal(text([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]), '2001:db8::1:0:0:1');
    assert.equal(text([0, 0, 0, 0, 0, 0, 0, 1]), '::1');
    assert.equal(text([0, 0, 0, 0, 0, 0, 0, 0]), '::');
    assert.equal(text([0xfe80, 0, 0, 0, 0xabcd, 0, 0, 0]), 'fe80::abcd:0:0:0');
    assert.equal(text([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0280]), '::ffff:192.0.2.128');
  });
});

describe('TCP', () => {
  it('decodes MSS, window scale, SACK permitted, SACK blocks and timestamps between NOPs', () => {
    // 40 bytes, the most a TCP header holds.
    const options = [2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2,
      5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 40];
    const packet = decode(228, ipv4(tcp({ flags: 0x1c2, options })));
    assert.ok(packet);
    assert.equal(packet.tcp.flags, 0x1c2, 'NS, CWR, ECE and SYN');
    assert.deepEqual(packet.tcp.options, { mss: 1460, windowScale: 7, sackPermitted: true, tsval: 1, tsecr: 2, sack: [[10, 20], [30, 40]] });
  });

  it('marks an option list it cannot parse to the end, and rejects a data offset below 5', () => {
    const packet = decode(228, ipv4(tcp({ options: [2, 9, 0, 0] })));
    assert.equal(packet?.tcp.options?.malformed, true);
    const broken = ipv4(tcp());
    broken[20 + 12] = 0x30;
    const decoder = new PacketDecoder();
    assert.equal(decode(228, broken, decoder), undefined);
    assert.equal(decoder.stats.malformed, 1);
  });

  it('never throws on a frame cut at any length', () => {
    const frame = ethernet(ipv6(segment, { ext: [[0, [1, 4, 0, 0, 0, 0]]] }), 0x86dd, [[0x8100, 1]]);
    for (let n = 0; n < frame.length; n++) decode(1, frame.subarray(0, n), new PacketDecoder(), frame.length);
  });
});
