import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sequenceDiagram } from '../../src/core/diagram/sequenceDiagram';
import { mermaidFiles } from '../../src/core/report/markdownReport';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario/builtins';
import { analyzeFile, LINUX_FIXTURES, linuxFixtureNames, ROOT } from '../support/files';
import { MermaidBrowser } from '../support/mermaidBrowser';
import { Conversation } from '../support/conversation';
import { unwrapped } from '../../src/webview/unwrapped';
import { analyzeScenario } from '../../src/core/scenario/analyzeScenario';

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

  it('every export is valid on its own: each mermaid block of `tcpviz --format markdown`, each .mmd file of a long connection', async () => {
    const cli = join(ROOT, 'dist', 'cli', 'tcpviz.js');
    const documents = [
      ...linuxFixtureNames().map((name) => [name, join(LINUX_FIXTURES, `${name}.pcap`)]),
      ...BUILTIN_SCENARIOS.map((lesson) => [lesson.name, '--scenario', lesson.name]),
      // The zero-window capture at a small budget: several pages, each a block of its own.
      ['zero_window in pages', join(LINUX_FIXTURES, 'zero_window.pcap'), '--budget', '40'],
    ];
    let blocks = 0;
    for (const [name, ...args] of documents) {
      const run = spawnSync(process.execPath, [cli, ...args, '--format', 'markdown'], { encoding: 'utf8' });
      assert.equal(run.status, 0, `${name}: ${run.stderr}`);
      for (const [, text] of run.stdout.matchAll(/```mermaid\n([\s\S]*?)```/g)) {
        assert.equal(text!.match(/^sequenceDiagram$/gm)?.length, 1, `${name}: one diagram per block`);
        const result = await browser.render(text!);
        assert.ok(result.ok, `${name}: ${result.error}`);
        blocks++;
      }
    }
    assert.ok(blocks > documents.length, `${blocks} blocks`);
    const [connection] = (await analyzeFile(join(LINUX_FIXTURES, 'zero_window.pcap'))).connections;
    const files = mermaidFiles('/tmp/zero.mmd', sequenceDiagram(connection!, { budget: 40 }).map((p) => p.text));
    assert.ok(files.length > 1);
    assert.deepEqual(files.slice(0, 2).map((f) => f.path), ['/tmp/zero.mmd', '/tmp/zero-page-2.mmd']);
    for (const file of files) {
      const result = await browser.render(file.text);
      assert.ok(result.ok, `${file.path}: ${result.error}`);
    }
  });

  it('the panel draws each diagram with its labels marked `nowrap:` (Mermaid is faster so), and it reads the same', async () => {
    const connections = [
      ...BUILTIN_SCENARIOS.flatMap((lesson) => analyzeScenario(lesson.text).analysis.connections),
      ...(await analyzeFile(join(LINUX_FIXTURES, 'zero_window.pcap'))).connections,
    ];
    for (const connection of connections) {
      for (const page of sequenceDiagram(connection, { budget: 60 })) {
        const marked = unwrapped(page.text);
        const [plain, fast] = [await browser.render(page.text), await browser.render(marked)];
        assert.ok(fast.ok, fast.error);
        assert.equal(marked.match(/: nowrap:/g)?.length, plain.messages + plain.notes, 'every message and note is marked');
        assert.deepEqual(fast.labels, plain.labels, `${connection.title ?? connection.id}: the same texts`);
        assert.equal(fast.viewBox, plain.viewBox, 'the same size');
      }
    }
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
