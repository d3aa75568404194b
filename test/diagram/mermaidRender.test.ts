import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sequenceDiagram } from '../../src/core/diagram/sequenceDiagram';
import { analyzeFile, LINUX_FIXTURES, linuxFixtureNames } from '../support/files';
import { MermaidBrowser } from '../support/mermaidBrowser';
import { Conversation } from '../support/conversation';

let browser: MermaidBrowser;

describe('generated diagrams are valid Mermaid, rendered by Mermaid in headless Chromium', () => {
  before(async () => {
    browser = await MermaidBrowser.start();
  });
  after(async () => {
    await browser?.close();
  });

  it('every connection of every real capture renders, with one message per segment and a note per state change', async () => {
    for (const name of linuxFixtureNames()) {
      const analysis = await analyzeFile(join(LINUX_FIXTURES, `${name}.pcap`));
      for (const connection of analysis.connections) {
        const pages = sequenceDiagram(connection);
        assert.equal(pages.length, 1, `${name} #${connection.id} fits one page`);
        const result = await browser.render(pages[0]!.text);
        assert.ok(result.ok, `${name} #${connection.id}: ${result.error}`);
        assert.equal(result.messages, connection.segments.length, `${name} #${connection.id}: arrows`);
        const changes = connection.clientHistory.length + connection.serverHistory.length;
        assert.ok(result.notes >= changes - 2, `${name} #${connection.id}: ${result.notes} notes for ${changes} states`);
        assert.ok(result.svg!.includes('ESTABLISHED') || connection.outcome === 'refused' || connection.outcome === 'unanswered');
      }
    }
  });

  it('a long connection collapses plain runs and splits into pages of at most the budget, each rendering', async () => {
    const conv = new Conversation().c('SYN').s('SYN,ACK').c('ACK');
    for (let i = 0; i < 3000; i++) {
      conv.c('PSH,ACK', { len: 1000 });
      if (i % 2) conv.s('ACK');
      if (i % 97 === 0) conv.c('PSH,ACK', { len: 1000, seq: 1001 + i * 1000 }); // a retransmission: kept visible
    }
    conv.c('FIN,ACK').s('FIN,ACK').c('ACK');
    const [connection] = conv.finish();
    const pages = sequenceDiagram(connection!, { budget: 40 });
    assert.ok(pages.length > 1);
    let messages = 0;
    for (const page of pages) {
      assert.ok(page.items <= 40, `page ${page.page} has ${page.items} items`);
      const result = await browser.render(page.text);
      assert.ok(result.ok, `page ${page.page}: ${result.error}`);
      assert.equal(result.placeholder, false);
      messages += result.messages;
    }
    const retransmissions = connection!.segments.filter((s) => s.analysis.length > 0).length;
    assert.ok(messages >= retransmissions + 6, 'every retransmission and the handshake and teardown stay as arrows');
    const runs = pages.flatMap((p) => [...p.text.matchAll(/Note over C,S: ⋯ #35;\d+–#35;\d+: (\d+) segments/g)].map((m) => Number(m[1])));
    assert.ok(runs.length > 0, 'plain runs collapsed into summaries');
    assert.ok(runs.every((n) => n >= 8), `only runs worth collapsing (8 or more) are collapsed: ${runs.filter((n) => n < 8)}`);
  });

  it('labels cannot break out of their statement', async () => {
    const [connection] = new Conversation().c('SYN').s('SYN,ACK').finish();
    const hostile = { ...connection!, client: '1.2.3.4:5; participant X as <b>evil</b> %% #lt;', server: '[::1]:80\nNote over C: injected' };
    const pages = sequenceDiagram({ ...hostile, segments: connection!.segments, clientHistory: connection!.clientHistory, serverHistory: connection!.serverHistory });
    const result = await browser.render(pages[0]!.text);
    assert.ok(result.ok, result.error);
    assert.equal(result.messages, 2);
    assert.deepEqual([...new Set(result.actors)].sort(), [hostile.client, hostile.server.replace('\n', ' ')].sort(), 'two participants, named verbatim');
    assert.equal(result.notes, pages[0]!.items - result.messages, 'no injected note');
  });
});
