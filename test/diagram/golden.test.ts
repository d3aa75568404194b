import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GOLDEN_DIR, goldenOutputs } from '../support/golden';

describe('generated Mermaid and JSON equal the reviewed golden files (npm run golden regenerates them)', async () => {
  const outputs = await goldenOutputs();
  for (const [name, text] of outputs) {
    it(name, () => {
      assert.equal(text, readFileSync(join(GOLDEN_DIR, name), 'utf8'));
    });
  }
});

describe('a capture too large to keep whole', () => {
  it('read again for one connection gives that connection the same segments and diagram', async () => {
    const { analyzeFile, LINUX_FIXTURES } = await import('../support/files');
    const { sequenceDiagram } = await import('../../src/core/diagram/sequenceDiagram');
    const path = join(LINUX_FIXTURES, 'interleaved.pcapng');
    const whole = await analyzeFile(path);
    const one = await analyzeFile(path, { keepSegments: true, keepSegmentsOf: 5 });
    assert.deepEqual(one.connections.map((c) => c.segments.length > 0), one.connections.map((c) => c.id === 5));
    assert.deepEqual(sequenceDiagram(one.connections[4]!), sequenceDiagram(whole.connections[4]!));
  });
});
