import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeFile, ROOT } from '../support/files';
import { hasTshark, TSHARK_ANALYSIS_FIELDS, tsharkSegments } from '../support/tshark';

/** Public captures from tcpdump's and PcapPlusPlus's test suites (test/fixtures/corpus/ORIGINS.md). */
const CORPUS = join(ROOT, 'test', 'fixtures', 'corpus');

/** Frames in which tshark shows TCP that are deliberately not read as segments, and why (README). */
const NOT_READ: Record<string, Record<number, string>> = {
  'pcapplusplus-tcp-reassembly.pcap': { 66: 'an sFlow sample: a copy of other traffic\'s headers, not a segment' },
  'tcpdump-sflow_expanded.pcap': { 1: 'an sFlow sample' },
};

describe('a corpus of real-world captures reads as tshark reads it', () => {
  before(() => assert.ok(hasTshark(), 'tshark is needed (apt-get install tshark); .ci/run installs it'));

  it('every frame: found, length, sequence numbers, connection and analysis flags; per class', async (t) => {
    const classes = new Map<string, { agree: number; differ: string[] }>();
    const count = (name: string, agree: boolean, where: string) => {
      const c = classes.get(name) ?? { agree: 0, differ: [] };
      classes.set(name, c);
      if (agree) c.agree++;
      else c.differ.push(where);
    };
    const files = readdirSync(CORPUS).filter((f) => /\.(pcap|pcapng)$/.test(f)).sort();
    assert.ok(files.length >= 25, `${files.length} captures`);
    for (const file of files) {
      const path = join(CORPUS, file);
      const reference = tsharkSegments(path);
      const analysis = await analyzeFile(path);
      assert.deepEqual(analysis.errors, [], file);
      const ours = new Map(analysis.connections.flatMap((c) => c.segments.map((s) => [s.packet, { id: c.id, s }] as const)));
      const streamOf = new Map<number, number>();
      for (const r of reference) {
        const where = `${file} #${r.frame}`;
        const o = ours.get(r.frame);
        if (NOT_READ[file]?.[r.frame]) {
          assert.equal(o, undefined, `${where} is not read: ${NOT_READ[file][r.frame]}`);
          continue;
        }
        count('segment', o !== undefined, where);
        if (!o) continue;
        count('length', o.s.len === r.len, where);
        count('sequence numbers', o.s.seq === r.seq && o.s.ack === r.ack, where);
        count('relative sequence numbers', o.s.relSeq === r.relSeq && (!(o.s.flags & 0x10) || o.s.relAck === r.relAck), where);
        const mapped = streamOf.get(r.stream) ?? o.id;
        streamOf.set(r.stream, mapped);
        count('connection (tcp.stream)', mapped === o.id, where);
        for (const flag of TSHARK_ANALYSIS_FIELDS) {
          const theirs = r.analysis.includes(flag);
          if (theirs || o.s.analysis.includes(flag)) count(flag, theirs === o.s.analysis.includes(flag), `${where} ${theirs ? 'tshark only' : 'tcpviz only'}`);
        }
      }
    }
    for (const [name, c] of classes) t.diagnostic(`${name}: ${c.agree} agree, ${c.differ.length} differ`);
    for (const [name, c] of classes) assert.deepEqual(c.differ, [], name);
    // The corpus is there for these: a class it stops holding would go untested.
    for (const name of ['lost_segment', 'ack_lost_segment', 'retransmission', 'duplicate_ack', 'window_update']) {
      assert.ok((classes.get(name)?.agree ?? 0) >= 4, `${name}: ${classes.get(name)?.agree ?? 0} frames`);
    }
  });
});
