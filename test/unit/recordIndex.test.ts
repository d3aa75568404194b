import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sequenceDiagram } from '../../src/core/diagram/sequenceDiagram';
import { connectionAgain, RecordIndex } from '../../src/extension/worker/recordIndex';
import { readRanges } from '../../src/node/fileRanges';
import { encapsulationCapture, encapsulationCases } from '../support/encapsulationFrames';
import { analyzeFile, LINUX_FIXTURES, linuxFixtureNames } from '../support/files';

/** Every connection of `path` read again from its own records gives the diagram a read of the whole file gives. */
async function sameAsWhole(path: string): Promise<{ fromIndex: number; fallBack: number }> {
  const index = new RecordIndex();
  const summary = await analyzeFile(path, {
    keepSegments: false, onPlaced: (c, r) => index.place(c, r), onContext: (o, l) => index.addContext(o, l),
  });
  const whole = await analyzeFile(path);
  let fromIndex = 0;
  let fallBack = 0;
  for (const expected of whole.connections) {
    const { ranges, packets } = index.rangesOf(expected.id);
    const again = await connectionAgain(await readRanges(path, ranges), packets, summary, expected.id, 120);
    if (!again) {
      fallBack++;
      continue;
    }
    fromIndex++;
    assert.equal(again.id, expected.id);
    assert.deepEqual(sequenceDiagram(again).map((p) => p.text), sequenceDiagram(expected).map((p) => p.text), `${path} #${expected.id}`);
  }
  return { fromIndex, fallBack };
}

describe('reading one connection again from where its records lie', () => {
  it('gives every connection of every real capture (pcap and pcapng) the diagram a whole read gives, or says it cannot', async () => {
    let fromIndex = 0;
    let fallBack = 0;
    for (const name of linuxFixtureNames()) {
      for (const ext of ['pcap', 'pcapng']) {
        const counts = await sameAsWhole(join(LINUX_FIXTURES, `${name}.${ext}`));
        fromIndex += counts.fromIndex;
        fallBack += counts.fallBack;
      }
    }
    assert.ok(fromIndex > 40, `${fromIndex} from the index`);
    // Only a connection on a 4-tuple reused from one before it reads differently on its own (and then the whole file is read).
    assert.ok(fallBack <= 4, `${fallBack} read whole`);
  });

  it('a pcapng of several sections: each record read with its own section\'s header and interfaces', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpviz-index-'));
    const path = join(dir, 'sections.pcapng');
    writeFileSync(path, Buffer.concat(['interleaved', 'ipv6', 'refused'].map((n) => readFileSync(join(LINUX_FIXTURES, `${n}.pcapng`)))));
    const { fromIndex } = await sameAsWhole(path);
    assert.ok(fromIndex >= 14, `${fromIndex} connections`);
  });

  it('a connection in tunnels and fragments: read again from all its fragments, in file order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpviz-index-'));
    const path = join(dir, 'encapsulations.pcapng');
    writeFileSync(path, encapsulationCapture());
    const { fromIndex, fallBack } = await sameAsWhole(path);
    assert.equal(fallBack, 0);
    assert.equal(fromIndex, encapsulationCases().length);
  });
});
