// Regenerates test/golden from the committed fixtures: run `npm run golden`, then review the diff.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GOLDEN_DIR, goldenOutputs } from '../test/support/golden';

async function main(): Promise<void> {
  mkdirSync(GOLDEN_DIR, { recursive: true });
  for (const [name, text] of await goldenOutputs()) writeFileSync(join(GOLDEN_DIR, name), text);
  console.log(`wrote ${GOLDEN_DIR}`);
}

void main();
