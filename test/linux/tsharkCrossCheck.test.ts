import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeFile, LINUX_FIXTURES, linuxFixtureNames } from '../support/files';
import { hasTshark, tsharkSegments } from '../support/tshark';

describe('segments and analysis equal tshark\'s on every real capture', () => {
  before(() => assert.ok(hasTshark(), 'tshark is needed (apt-get install tshark); .ci/run installs it'));
  for (const name of linuxFixtureNames()) {
    for (const format of ['pcap', 'pcapng'] as const) {
      it(`${name} (${format})`, async () => {
        const path = join(LINUX_FIXTURES, `${name}.${format}`);
        const reference = tsharkSegments(path);
        const analysis = await analyzeFile(path);
        const ours = analysis.connections.flatMap((c) => c.segments.map((s) => ({ connection: c.id, s })));
        assert.equal(ours.length, reference.length, 'number of TCP segments');
        assert.equal(analysis.connections.length, new Set(reference.map((r) => r.stream)).size, 'number of connections (tcp.stream)');
        const byFrame = new Map(ours.map((o) => [o.s.packet, o]));
        const streamOf = new Map<number, number>();
        for (const r of reference) {
          const o = byFrame.get(r.frame);
          assert.ok(o, `frame ${r.frame} missing`);
          const where = `frame ${r.frame}`;
          assert.equal(o.s.flags, r.flags, `${where} flags`);
          assert.equal(o.s.seq, r.seq, `${where} seq`);
          assert.equal(o.s.ack, r.ack, `${where} ack`);
          assert.equal(o.s.len, r.len, `${where} len`);
          assert.equal(o.s.windowSize, r.windowSize, `${where} calculated window (tcp.window_size)`);
          assert.deepEqual([...o.s.analysis].sort(), [...r.analysis].sort(), `${where} analysis`);
          if (r.dupAckNum !== undefined) assert.equal(o.s.dupAckNum, r.dupAckNum, `${where} duplicate ACK number`);
          // The same partition into connections as tcp.stream.
          const mapped = streamOf.get(r.stream) ?? o.connection;
          streamOf.set(r.stream, mapped);
          assert.equal(o.connection, mapped, `${where} belongs to the connection of tcp.stream ${r.stream}`);
        }
      });
    }
  }
});
