import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeScenario } from '../../src/core/scenario/analyzeScenario';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario/builtins';
import { pcapBytes, pcapngBytes } from '../../src/core/scenario/writePcap';
import { chunksOf } from '../support/files';
import { analyzeCapture } from '../../src/core/analyze';
import { ConnectionTracker } from '../../src/core/tcp/tracker';

const scratch = mkdtempSync(join(tmpdir(), 'tcpviz-scenario-pcap-'));
const histories = (connections: Awaited<ReturnType<typeof analyzeCapture>>['connections']) =>
  connections.map((c) => [c.clientHistory.map((e) => e.state), c.serverHistory.map((e) => e.state)]);

describe('scenarios exported as pcap', () => {
  for (const s of BUILTIN_SCENARIOS) {
    it(`${s.name}: read back through the capture path gives the same histories, and tshark finds nothing wrong`, async () => {
      const result = analyzeScenario(s.text);
      const bytes = pcapBytes(result.simulation!.packets);
      const back = await analyzeCapture(chunksOf(bytes, 4096));
      assert.deepEqual(back.errors, []);
      // The same segments, straight into the tracker: a capture file ends with its last packet, so both end there.
      const direct = new ConnectionTracker({ msl: 120, keepSegments: true });
      for (const p of result.simulation!.packets) direct.add(p);
      direct.finish();
      assert.deepEqual(histories(back.connections), histories(direct.connections));
      assert.deepEqual(back.connections.flatMap((c) => c.segments.map((x) => [x.flags, x.seq, x.ack, x.len])),
        direct.connections.flatMap((c) => c.segments.map((x) => [x.flags, x.seq, x.ack, x.len])));
      const file = join(scratch, `${s.name}.pcap`);
      writeFileSync(file, bytes);
      const problems = execFileSync('tshark', ['-n', '-r', file, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE',
        '-Y', '_ws.malformed || tcp.checksum.status == 0 || ip.checksum.status == 0 || _ws.expert.severity == error'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      assert.equal(problems.trim(), '', `tshark flags: ${problems}`);
      const count = execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').length;
      assert.equal(count, result.simulation!.packets.length);
    });
  }
});

describe('scenarios exported as pcapng keep their end', () => {
  const finals = (connections: Awaited<ReturnType<typeof analyzeCapture>>['connections']) =>
    connections.map((c) => [c.clientHistory.at(-1)!.state, c.serverHistory.at(-1)!.state]);
  for (const s of BUILTIN_SCENARIOS) {
    it(`${s.name}: read back, every history runs to the simulation's end (TIME_WAIT's expiry too), and tshark reads it`, async () => {
      const result = analyzeScenario(s.text);
      const { packets, endTime } = result.simulation!;
      const bytes = pcapngBytes(packets, endTime);
      const back = await analyzeCapture(chunksOf(bytes, 4096));
      assert.deepEqual(back.errors, []);
      assert.equal(back.format, 'pcapng');
      const direct = new ConnectionTracker({ msl: 120, keepSegments: true });
      for (const p of packets) direct.add(p);
      direct.finish(endTime);
      assert.deepEqual(histories(back.connections), histories(direct.connections));
      // The simulator's own truth at its end: the same final states for every endpoint.
      assert.deepEqual(finals(back.connections), finals(result.analysis.connections));
      assert.ok(Math.abs(back.endTime - (1767225600 + endTime)) < 1e-6, 'the stated end is the simulation\'s');
      const file = join(scratch, `${s.name}.pcapng`);
      writeFileSync(file, bytes);
      const fields = execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      assert.equal(fields.trim().split('\n').length, packets.length);
    });
  }

  it('a lesson that ends in TIME_WAIT: the classic pcap leaves it there, the pcapng closes it', async () => {
    const lesson = BUILTIN_SCENARIOS.find((l) => {
      const r = analyzeScenario(l.text);
      return r.simulation!.endTime - r.simulation!.packets.at(-1)!.time >= 240 && r.analysis.connections.some((c) => c.clientHistory.some((e) => e.state === 'TIME_WAIT'));
    })!;
    const { packets, endTime } = analyzeScenario(lesson.text).simulation!;
    const viaPcap = await analyzeCapture(chunksOf(pcapBytes(packets), 4096));
    const viaPcapng = await analyzeCapture(chunksOf(pcapngBytes(packets, endTime), 4096));
    assert.ok(viaPcap.connections.some((c) => c.clientHistory.at(-1)!.state === 'TIME_WAIT'), lesson.name);
    assert.ok(!viaPcapng.connections.some((c) => c.clientHistory.at(-1)!.state === 'TIME_WAIT'), lesson.name);
  });
});
