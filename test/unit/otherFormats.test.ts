import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CaptureAnalysis } from '../../src/core/analyze';
import { analyzeFile, LINUX_FIXTURES, ROOT } from '../support/files';

/** Made from client_close.pcap by Wireshark's editcap (-F snoop, -F netmon2): the formats behind `.cap`. */
const OTHER_FORMATS = join(ROOT, 'test', 'fixtures', 'other-formats');

const segments = (a: CaptureAnalysis) => a.connections.map((c) => ({
  client: c.client, server: c.server, outcome: c.outcome, states: [c.clientHistory.map((e) => e.state), c.serverHistory.map((e) => e.state)],
  segments: c.segments.map(({ packet, time, fromClient, flags, seq, ack, len, relSeq, relAck, analysis, anomalies }) =>
    ({ packet, time, fromClient, flags, seq, ack, len, relSeq, relAck, analysis, anomalies })),
}));

describe('capture formats behind .cap', () => {
  it('a Sun snoop capture reads to the same connections, segments and states as its pcap twin, in any chunk size', async () => {
    const twin = await analyzeFile(join(LINUX_FIXTURES, 'client_close.pcap'));
    for (const chunk of [undefined, 1, 7, 100]) {
      const snoop = await analyzeFile(join(OTHER_FORMATS, 'client_close.snoop.cap'), {}, chunk);
      assert.deepEqual(snoop.errors, []);
      assert.equal(snoop.format, 'snoop');
      assert.equal(snoop.connections[0]!.segments.length, 11);
      assert.deepEqual(segments(snoop), segments(twin), `chunk size ${chunk}`);
    }
  });

  it('a Network Monitor 2.x capture is named, with how to convert it', async () => {
    const netmon = await analyzeFile(join(OTHER_FORMATS, 'client_close.netmon2.cap'));
    assert.equal(netmon.connections.length, 0);
    assert.deepEqual(netmon.errors.map((e) => e.message), [
      'a Microsoft Network Monitor 2.x capture, a format tcpviz does not read: convert it with Wireshark\'s editcap: editcap -F pcapng FILE FILE.pcapng',
    ]);
  });
});
