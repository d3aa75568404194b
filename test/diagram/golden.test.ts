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
