import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeFile, LINUX_FIXTURES, linuxFixtureNames } from '../support/files';
import { hasTshark, tsharkSegments } from '../support/tshark';

/**
 * Where tshark counts an injected segment as its apparent sender's and we do not (README, "Differences from
 * Wireshark"): each frame's flags as we give them, and why. tshark also starts a new tcp.stream at a forged SYN.
 */
const DELIBERATE: Record<string, { frames: Record<number, string[]>; streamsMerged?: true }> = {
  // The forged RST's sequence number moved tshark's next expected one: the real FIN after it looked old.
  rst_injected_in_window: { frames: { 12: [] } },
  rst_injected_out_of_window: { frames: { 11: [] } },
  // tshark took the forged RST,ACK for the server's: "ACKed unseen segment" on it, the real SYN,ACK "port numbers
  // reused".
  rst_ack_injected_in_syn_sent: { frames: { 2: [], 4: [] } },
  // tshark starts a new stream at the forged SYN; in the one connection the challenge ACK repeats the server's ACK,
  // and the client's FIN is no retransmission.
  syn_injected_in_established: { frames: { 7: [], 8: ['duplicate_ack'], 10: [] }, streamsMerged: true },
};

describe('segments and analysis equal tshark\'s on every real capture', () => {
  before(() => assert.ok(hasTshark(), 'tshark is needed (apt-get install tshark); .ci/run installs it'));
  for (const name of linuxFixtureNames()) {
    for (const format of ['pcap', 'pcapng'] as const) {
      it(`${name} (${format})`, async () => {
        const path = join(LINUX_FIXTURES, `${name}.${format}`);
        const reference = tsharkSegments(path);
        const analysis = await analyzeFile(path);
        const ours = analysis.connections.flatMap((c) => c.segments.map((s) => ({ connection: c.id, s })));
        const deliberate = DELIBERATE[name];
        assert.equal(ours.length, reference.length, 'number of TCP segments');
        if (deliberate?.streamsMerged) assert.equal(analysis.connections.length, 1, 'one connection, the forged SYN in it');
        else assert.equal(analysis.connections.length, new Set(reference.map((r) => r.stream)).size, 'number of connections (tcp.stream)');
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
          // Relative numbers never count from an injected segment (tshark's base can: the forged RST,ACK's).
          if (!deliberate?.streamsMerged && deliberate?.frames[r.frame] === undefined) {
            assert.equal(o.s.relSeq, r.relSeq, `${where} relative seq`);
            if (o.s.flags & 0x10) assert.equal(o.s.relAck, r.relAck, `${where} relative ack`);
          }
          // In the stream tshark starts at a forged SYN it knows no window scale; the connection does.
          if (!(deliberate?.streamsMerged && r.stream !== reference[0]!.stream)) assert.equal(o.s.windowSize, r.windowSize, `${where} calculated window (tcp.window_size)`);
          const expected = deliberate?.frames[r.frame] ?? r.analysis;
          assert.deepEqual([...o.s.analysis].sort(), [...expected].sort(), `${where} analysis`);
          if (r.dupAckNum !== undefined) assert.equal(o.s.dupAckNum, r.dupAckNum, `${where} duplicate ACK number`);
          // The same partition into connections as tcp.stream.
          if (deliberate?.streamsMerged) continue;
          const mapped = streamOf.get(r.stream) ?? o.connection;
          streamOf.set(r.stream, mapped);
          assert.equal(o.connection, mapped, `${where} belongs to the connection of tcp.stream ${r.stream}`);
        }
      });
    }
  }
});
