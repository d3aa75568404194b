import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { analyzeCapture, CaptureAnalyzer } from '../../src/core/analyze';
import { sequenceDiagram } from '../../src/core/diagram/sequenceDiagram';
import { chunksOf, LINUX_FIXTURES } from '../support/files';

/** A small deterministic PRNG (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(source: Uint8Array, rnd: () => number): Uint8Array {
  const bytes = source.slice();
  const int = (n: number) => Math.floor(rnd() * n);
  switch (int(5)) {
    case 0: // flip bits
      for (let i = int(20) + 1; i > 0; i--) bytes[int(bytes.length)] ^= 1 << int(8);
      return bytes;
    case 1: // overwrite a run with garbage or extreme values
      for (let at = int(bytes.length), n = int(16) + 1; n > 0 && at < bytes.length; n--, at++) bytes[at] = rnd() < 0.5 ? 0xff : int(256);
      return bytes;
    case 2: // truncate
      return bytes.subarray(0, int(bytes.length));
    case 3: { // duplicate or drop a slice
      const a = int(bytes.length);
      const b = Math.min(bytes.length, a + int(200));
      return rnd() < 0.5 ? Uint8Array.from([...bytes.subarray(0, b), ...bytes.subarray(a)]) : Uint8Array.from([...bytes.subarray(0, a), ...bytes.subarray(b)]);
    }
    default: { // pure noise behind a valid header
      const noise = Uint8Array.from({ length: int(2000) }, () => int(256));
      return Uint8Array.from([...bytes.subarray(0, 24 + int(40)), ...noise]);
    }
  }
}

const HANG_GUARD_MS = 5000;
const seeds = ['client_close.pcap', 'interleaved.pcapng', 'ipv6.pcapng', 'zero_window.pcap', 'keepalive.pcapng']
  .map((name) => new Uint8Array(readFileSync(join(LINUX_FIXTURES, name))).subarray(0, 6000));

describe('fuzzing the readers', () => {
  it('thousands of mutated captures each return packets and errors, never throw or hang', () => {
    let withErrors = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const rnd = random(seed);
      const input = mutate(seeds[seed % seeds.length]!, rnd);
      const started = Date.now();
      const analyzer = new CaptureAnalyzer({ msl: 30 });
      for (let at = 0, size = 1 + Math.floor(rnd() * 700); at < input.length; at += size) analyzer.push(input.subarray(at, at + size));
      const result = analyzer.finish();
      for (const connection of result.connections) sequenceDiagram(connection, { budget: 50 });
      assert.ok(Date.now() - started < HANG_GUARD_MS, `seed ${seed} took too long`);
      assert.ok(Number.isInteger(result.packets) && result.packets >= 0, `seed ${seed}`);
      for (const e of result.errors) {
        assert.ok(Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= input.length, `seed ${seed}: offset ${e.offset}`);
        assert.ok(e.message.length > 0);
      }
      if (result.errors.length) withErrors++;
    }
    assert.ok(withErrors > 500, `the mutations should damage many files (${withErrors} of 3000 had errors)`);
  });

  it('random bytes and damaged gzip streams end with an error, not an exception', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = random(seed);
      const garbage = Uint8Array.from({ length: Math.floor(rnd() * 3000) }, () => Math.floor(rnd() * 256));
      const gz = new Uint8Array(gzipSync(mutate(seeds[seed % seeds.length]!, rnd)));
      const damagedGz = seed % 2 ? gz.subarray(0, Math.floor(gz.length * rnd())) : mutate(gz, rnd);
      const noise = await analyzeCapture(chunksOf(garbage, 512));
      assert.equal(noise.errors.length, 1, `seed ${seed}`);
      assert.equal(noise.packets, 0);
      const damaged = await analyzeCapture(chunksOf(damagedGz, 512));
      assert.ok(damaged.compressed || damagedGz.length < 2 || damagedGz[0] !== 0x1f, `seed ${seed}`);
      if (seed % 2) assert.ok(damaged.errors.length >= 1, `seed ${seed}: a cut gzip stream is reported`);
    }
  });
});
