// The packaged extension (npm run package) installs into a real VS Code and works the same: run after packaging.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expectSimultaneousCloseDiagram, openWorkbench, ROOT, visualizeFromExplorer } from '../support/workbench.mjs';

const VSIX = join(ROOT, 'tcp-handshake-visualizer.vsix');
let workbench;

describe('the .vsix in a real VS Code', () => {
  before(async () => {
    assert.ok(existsSync(VSIX), 'npm run package makes the .vsix first');
    workbench = await openWorkbench({ vsix: VSIX });
  });

  after(async () => workbench?.close());

  it('installs, and a right-click on a capture shows its diagram', async () => {
    await visualizeFromExplorer(workbench.page, 'simultaneous_close.pcap');
    await expectSimultaneousCloseDiagram(workbench.page);
  });
});
