import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { analyzeCapture } from '../../src/core/analyze';
import { ENGLISH_WORDS } from '../../src/core/diagram/diagramWords';
import { fileChunks } from '../../src/node/fileChunks';
import { ethernet, ipv4, pcap, tcp } from '../support/bytes';
import { chunksOf, ROOT } from '../support/files';

const dir = mkdtempSync(join(tmpdir(), 'tcpviz-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * One connection of `count` bare ACKs after a handshake, as a pcap: every record is the same 54-byte frame but for its
 * sequence number, so gzip shrinks it several hundred times (a small file that decodes to a great deal).
 */
function manyAcks(count: number): Uint8Array {
  const frame = (flags: number, seq: number) => ethernet(ipv4(tcp({ sport: 40000, dport: 80, seq, ack: 1, flags })), 0x0800);
  const head = pcap([{ seconds: 1, fraction: 0, data: frame(0x002, 0) }]);
  const record = pcap([{ seconds: 1, fraction: 1, data: frame(0x010, 1) }]).subarray(24);
  const out = new Uint8Array(head.length + count * record.length);
  out.set(head);
  for (let i = 0; i < count; i++) out.set(record, head.length + i * record.length);
  return out;
}

describe('memory follows what is decoded, not the size on disk', () => {
  it('past the decoded-bytes limit only the first connection keeps its segments; past the segment limit, none', async () => {
    // A second connection, after the first megabyte, opens with a SYN from another port.
    const second = pcap([{ seconds: 2, fraction: 0, data: ethernet(ipv4(tcp({ sport: 40001, dport: 80, seq: 0, flags: 0x002 })), 0x0800) }]).subarray(24);
    const bytes = new Uint8Array([...manyAcks(50_000), ...second]);
    const byBytes = await analyzeCapture(chunksOf(bytes, 1 << 16), { keepLimit: { bytes: 1 << 20, segments: 1e9 } });
    assert.equal(byBytes.segmentsDropped, false);
    assert.equal(byBytes.connections[0]!.segments.length, 50_001, 'the first connection keeps its segments');
    assert.deepEqual([byBytes.connections[1]!.segments.length, byBytes.connections[1]!.packetCount], [0, 1], 'a later one does not');
    const bySegments = await analyzeCapture(chunksOf(bytes, 1 << 16), { keepLimit: { bytes: 1 << 20, segments: 10_000 } });
    assert.equal(bySegments.segmentsDropped, true);
    assert.equal(bySegments.connections[0]!.segments.length, 0);
    assert.equal(bySegments.connections[0]!.packetCount, 50_001, 'the summary still counts every segment');
  });

  it('the command line refuses, in one line and with exit 2, a gzip file holding more segments than it keeps', () => {
    const file = join(dir, 'bomb.pcap.gz');
    const raw = manyAcks(2_100_000);
    writeFileSync(file, gzipSync(raw, { level: 9 }));
    const cli = join(ROOT, 'dist', 'cli', 'tcpviz.js');
    // Within a 1 GB heap: the limit keeps memory below that whatever the file holds.
    const run = spawnSync(process.execPath, ['--max-old-space-size=1024', cli, file, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^tcpviz: bomb\.pcap\.gz holds more than 2,000,000 segments: too many to keep for --format json; use --no-segments, or --connection <id> for one connection\n$/);
    assert.equal(run.stdout, '');
    const summary = spawnSync(process.execPath, ['--max-old-space-size=1024', cli, file, '--format', 'json', '--no-segments'], { encoding: 'utf8' });
    assert.equal(summary.status, 0, summary.stderr);
    assert.match(summary.stdout, /"packets": 2100001,/);
  });
});

describe('every read is bounded', () => {
  it('a FIFO, a link to /dev/zero and a directory are refused, not read', async () => {
    const fifo = join(dir, 'fifo.pcap');
    spawnSync('mkfifo', [fifo]);
    const zero = join(dir, 'zero.pcap');
    symlinkSync('/dev/zero', zero);
    for (const path of [fifo, zero, dir]) {
      await assert.rejects(async () => {
        for await (const chunk of fileChunks(path)) void chunk;
      }, /is not a regular file|EISDIR/, path);
      const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'tcpviz.js'), path], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(run.status, 1, `${path}: ${run.stderr}`);
      assert.match(run.stderr, /not a regular file \(a FIFO, a device or a directory\): it is not read\n$/);
    }
  });

  it('a file found not to be a capture is read no further', async () => {
    let read = 0;
    // 64 MB of bytes that are no capture (bounded, so that a regression fails here rather than hangs).
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 1000; i++) {
        read++;
        yield new Uint8Array(1 << 16).fill(0x42);
      }
    }
    const analysis = await analyzeCapture(endless());
    assert.equal(analysis.notCapture, true);
    assert.ok(read <= 2, `${read} chunks read`);
  });

  it('a gzip file whose content is not a capture is told so', async () => {
    const analysis = await analyzeCapture(chunksOf(gzipSync(new Uint8Array(4096).fill(7)), 1024));
    assert.deepEqual(analysis.errors.map((e) => e.message), ['a gzip file, but what it holds is not a capture: it starts with the bytes 07 07 07 07, which begin no format tcpviz reads (pcap, pcapng, snoop, Network Monitor)']);
  });
});

describe('the extension\'s worker', () => {
  it('reads a gzip file that decodes to 2,100,000 segments within a 600 MB heap, and says its connection is too long to draw', async () => {
    const { Worker } = await import('node:worker_threads');
    const file = join(dir, 'bomb-for-worker.pcap.gz');
    writeFileSync(file, gzipSync(manyAcks(2_100_000), { level: 9 }));
    // The worker as the extension starts it, with a heap the old rule (keep everything of a file under 64 MB on disk:
    // this one is 1 MB) would have overrun.
    const worker = new Worker(join(ROOT, 'dist', 'extension', 'captureWorker.js'), { resourceLimits: { maxOldGenerationSizeMb: 600 } });
    const messages: Array<{ type: string; [key: string]: unknown }> = [];
    const next = (type: string) => new Promise<Record<string, unknown>>((resolve, reject) => {
      const onMessage = (m: { type: string }) => {
        messages.push(m);
        if (m.type === type || m.type === 'failed') {
          worker.off('message', onMessage);
          resolve(m);
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    try {
      const done = next('done');
      worker.postMessage({ type: 'open', path: file, msl: 120 });
      assert.equal((await done).type, 'done');
      assert.ok(messages.some((m) => m.type === 'found' && m.count === 1), 'the host is told of its one connection');
      // The host asks for the rows it shows; the worker answers with what it has, never more than asked.
      const rows = next('rows');
      worker.postMessage({ type: 'rows', request: 2, first: 0, count: 100 });
      const { items } = (await rows) as { items: Array<{ id: number; packets: number }> };
      assert.deepEqual(items.map((c) => [c.id, c.packets]), [[1, 2_100_001]], 'its SYN and the 2,100,000 ACKs');
      const settings = { budget: 150, relative: true, msl: 120, theme: 'auto', timeFormat: 'relative', words: ENGLISH_WORDS };
      const answer = next('diagram');
      worker.postMessage({ type: 'diagram', request: 1, key: 'k#1', id: 1, settings, page: 0, highlight: -1 });
      const view = (await answer) as { view?: unknown; error?: string };
      assert.equal(view.error, 'connection 1 has more than 500,000 segments: too many to draw');
    } finally {
      await worker.terminate();
    }
  });
});
