import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { analyzeCapture } from '../../src/core/analyze';
import { chunksOf, LINUX_FIXTURES } from '../support/files';

const summary = (r: Awaited<ReturnType<typeof analyzeCapture>>) =>
  r.connections.map((c) => [c.client, c.server, c.outcome, c.segments.length, c.clientHistory.map((e) => e.state).join()]);

describe('gzip-compressed captures', () => {
  for (const name of ['interleaved.pcap', 'ipv6.pcapng']) {
    it(`are recognised by content and read like the plain file (${name})`, async () => {
      const plain = new Uint8Array(readFileSync(join(LINUX_FIXTURES, name)));
      const expected = await analyzeCapture(chunksOf(plain, 4096));
      const compressed = await analyzeCapture(chunksOf(new Uint8Array(gzipSync(plain)), 333));
      assert.equal(compressed.compressed, true);
      assert.equal(expected.compressed, false);
      assert.deepEqual(compressed.errors, []);
      assert.equal(compressed.packets, expected.packets);
      assert.deepEqual(summary(compressed), summary(expected));
    });
  }

  it('a cut gzip stream yields the packets before the cut and an error', async () => {
    const plain = new Uint8Array(readFileSync(join(LINUX_FIXTURES, 'interleaved.pcap')));
    const gz = new Uint8Array(gzipSync(plain));
    const result = await analyzeCapture(chunksOf(gz.subarray(0, Math.floor(gz.length * 0.6)), 1000));
    assert.ok(result.packets > 10, `read ${result.packets} packets`);
    assert.ok(result.errors.length >= 1);
    assert.match(result.errors.map((e) => e.message).join(' '), /gzip|truncated/);
  });

  it('reports progress in input bytes and stops when cancelled', async () => {
    const plain = new Uint8Array(readFileSync(join(LINUX_FIXTURES, 'interleaved.pcap')));
    const seen: number[] = [];
    const signal = { aborted: false };
    const result = await analyzeCapture(chunksOf(plain, 1000), {
      signal,
      onProgress: (bytes) => {
        seen.push(bytes);
        if (bytes >= 5000) signal.aborted = true;
      },
    });
    assert.equal(result.cancelled, true);
    assert.ok(seen.length >= 5 && seen.every((v, i) => i === 0 || v > seen[i - 1]!));
    const whole = await analyzeCapture(chunksOf(plain, 1000));
    assert.ok(result.packets < whole.packets, 'cancelled before the end');
  });
});
