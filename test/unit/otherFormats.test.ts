import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CaptureAnalysis } from '../../src/core/analyze';
import { analyzeCapture } from '../../src/core/analyze';
import { Bytes, concat, ipv4, tcp } from '../support/bytes';
import { analyzeFile, LINUX_FIXTURES, ROOT } from '../support/files';

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
async function analyzeBytes(bytes: Uint8Array) {
  async function* once(): AsyncGenerator<Uint8Array> {
    yield bytes;
  }
  return analyzeCapture(once());
}

/** Made from client_close.pcap by Wireshark's editcap (-F snoop, -F netmon1, -F netmon2): the formats behind `.cap`. */
const OTHER_FORMATS = join(ROOT, 'test', 'fixtures', 'other-formats');

const segments = (a: CaptureAnalysis) => a.connections.map((c) => ({
  client: c.client, server: c.server, outcome: c.outcome, states: [c.clientHistory.map((e) => e.state), c.serverHistory.map((e) => e.state)],
  segments: c.segments.map(({ packet, time, fromClient, flags, seq, ack, len, relSeq, relAck, analysis, anomalies }) =>
    ({ packet, time, fromClient, flags, seq, ack, len, relSeq, relAck, analysis, anomalies })),
}));

describe('capture formats behind .cap', () => {
  for (const [format, file, named] of [['snoop', 'client_close.snoop.cap', 'a Sun snoop'], ['netmon', 'client_close.netmon2.cap', 'a Network Monitor 2.x']] as const) {
    it(`${named} capture reads to the same connections, segments and states as its pcap twin, in any chunk size`, async () => {
      const twin = await analyzeFile(join(LINUX_FIXTURES, 'client_close.pcap'));
      for (const chunk of [undefined, 1, 7, 100]) {
        const other = await analyzeFile(join(OTHER_FORMATS, file), {}, chunk);
        assert.deepEqual(other.errors, []);
        assert.equal(other.format, format);
        // Network Monitor's frame table, at the end, is not read as frames.
        assert.equal(other.packets, 11);
        assert.deepEqual(segments(other), segments(twin), `chunk size ${chunk}`);
      }
    });
  }

  it('a Network Monitor 1.x capture: the same, to the millisecond it keeps', async () => {
    const twin = segments(await analyzeFile(join(LINUX_FIXTURES, 'client_close.pcap')));
    const netmon = segments(await analyzeFile(join(OTHER_FORMATS, 'client_close.netmon1.cap')));
    const untimed = (a: typeof twin) => a.map((c) => ({ ...c, segments: c.segments.map(({ time: _, ...rest }) => rest) }));
    assert.deepEqual(untimed(netmon), untimed(twin));
    netmon[0]!.segments.forEach((s, i) => assert.ok(Math.abs(s.time - twin[0]!.segments[i]!.time) <= 0.0005, `frame ${s.packet}`));
  });

  it('Network Monitor 2.1 to 2.3 trailers: each frame\'s own network type (here raw IP, as 0xE000 + 101) is used', async () => {
    for (const [minor, trailer] of [[1, 2], [2, 6], [3, 15]] as const) {
      const frames = [ipv4(tcp({ sport: 1111, flags: 0x002 })), ipv4(tcp({ sport: 2222, flags: 0x002 }))];
      const header = new Bytes(true).bytes(ascii('GMBU')).u8(minor, 2).u16(1).u16(2026).u16(12).u16(4).u16(3).u16(10).u16(0).u16(0).u16(0);
      const records = frames.map((f, i) => new Bytes(true).u32(i * 1000).u32(0).u32(f.length).u32(f.length).bytes(f)
        .u16(0xe000 + 101).bytes(new Array(trailer - 2).fill(0)).build());
      const table = 128 + records.reduce((n, r) => n + r.length, 0);
      header.u32(table).u32(4 * records.length);
      while (header.length < 128) header.u8(0);
      const file = concat(header.build(), ...records, new Bytes(true).u32(128).u32(128 + records[0]!.length).build());
      const result = await analyzeBytes(file);
      assert.deepEqual(result.errors, [], `2.${minor}`);
      assert.deepEqual(result.connections.map((c) => c.client), ['10.0.0.1:1111', '10.0.0.1:2222'], `2.${minor}`);
      assert.equal(result.connections[1]!.firstTime, Date.UTC(2026, 11, 3, 10) / 1000 + 0.001);
    }
  });

  it('text traces tshark reads are named, with how to convert them', async () => {
    const ascend = 'PRI-XMIT-19/1:   (task: 3, time: 1.20) 28 octets @ 1\n  [0000]: 00 00 00 00\n';
    const k12 = '+---------+---------------+----------+\n12:12:12,123,456   ETHER\n|0   |00|11|\n';
    for (const [text, named] of [[ascend, 'an Ascend WAN router trace (text)'], [k12, 'a K12 text trace']] as const) {
      const result = await analyzeBytes(new TextEncoder().encode(text));
      assert.deepEqual(result.errors.map((e) => e.message), [`${named}, a format tcpviz does not read: convert it with Wireshark's editcap: editcap -F pcapng FILE FILE.pcapng`]);
    }
  });
});
