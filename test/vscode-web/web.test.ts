// The extension in VS Code for the Web's extension host (a Web Worker in the browser), on captures that reach it
// through VS Code's file system only. The workspace is made by scripts/vscode/runWebTests.mjs.
import * as vscode from 'vscode';
import { CaptureSources, type CaptureSource } from '../../src/extension/captureSources';
import type { Node } from '../../src/extension/connectionsTree';
import { webPlatform } from '../../src/extension/web/webPlatform';
import { api, until } from '../support/extensionHost';
import * as assert from './check';

declare const importScripts: unknown;

const workspace = () => vscode.workspace.workspaceFolders![0]!.uri;
const file = (name: string) => vscode.Uri.joinPath(workspace(), name);
const states = (history: ReadonlyArray<{ state: string }>) => history.map((e) => e.state);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Visualize Capture on a file of the workspace, as the palette or the explorer run it; the source it made. */
async function visualize(name: string): Promise<CaptureSource> {
  const { sources } = await api();
  const uri = file(name);
  await vscode.commands.executeCommand('tcpviz.visualizeCapture', uri);
  const source = sources.get(uri.toString());
  assert.ok(source, `${name} is in the tree`);
  return source;
}

describe('TCP Handshake Visualizer in VS Code for the Web', () => {
  it('runs in the Web Worker extension host, with its commands', async () => {
    const { sources } = await api();
    assert.equal(sources.platform.kind, 'web');
    assert.equal(typeof importScripts, 'function', 'a Web Worker\'s global scope');
    assert.equal(typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node, 'undefined', 'no Node');
    assert.equal(vscode.extensions.getExtension('tcpviz.tcp-handshake-visualizer')!.extensionKind, vscode.ExtensionKind.UI);
    assert.equal(workspace().scheme, 'vscode-remote', 'the workspace is reached through VS Code\'s file system only');
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['tcpviz.visualizeCapture', 'tcpviz.visualizeFile', 'tcpviz.showDiagram', 'tcpviz.exportDiagram', 'tcpviz.visualizeScenario', 'tcpviz.copyMermaid']) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('Visualize Capture fills the tree with the connections and their state histories', async () => {
    const { sources, provider } = await api();
    const source = await visualize('simultaneous_close.pcap');
    assert.equal(source.count, 1);
    assert.deepEqual(source.head!.errors, []);
    // code-server's Web Worker host cannot load a worker from the extension's vscode-remote: URI, but can from a Blob.
    assert.equal(sources.runsIn(source), 'worker', 'read in a Web Worker of its own');
    const histories = await sources.histories(source, 1);
    // The kernel's own record of this connection (test/fixtures/linux/simultaneous_close.kernel.json).
    assert.deepEqual(states(histories.client), ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
    assert.deepEqual(states(histories.server), ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
    const roots = (await provider.getChildren()) as Node[];
    const root = roots.find((n) => n.kind === 'source' && n.source === source)!;
    const [connection] = (await provider.getChildren(root)) as Node[];
    const item = await provider.getTreeItem(connection!);
    assert.equal(item.label, '#1 10.77.0.1:40005 → 10.77.0.2:8084');
    assert.ok(/^complete · 11 packets/.test(String(item.description)), String(item.description));
  });

  it('reads a gzip-compressed pcapng with the browser\'s DecompressionStream', async () => {
    const { sources } = await api();
    const source = await visualize('client_close.pcapng.gz');
    assert.equal(source.head!.compressed, true);
    assert.equal(source.head!.format, 'pcapng');
    assert.deepEqual(source.head!.errors, []);
    const histories = await sources.histories(source, 1);
    assert.deepEqual(states(histories.client), ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    assert.deepEqual(states(histories.server), ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });

  it('the panel draws the diagram: Mermaid renders one arrow per segment', async () => {
    const { panel } = await api();
    const rendered = new Promise<{ messages: number; notes: number }>((resolve) => {
      const sub = panel.onMessage((m) => {
        if (m.type === 'rendered' && panel.current?.key.includes('three_segment_close')) {
          sub.dispose();
          resolve(m);
        }
      });
    });
    await visualize('three_segment_close.pcap');
    const result = await rendered;
    assert.equal(result.messages, 10, 'one arrow per segment');
    assert.ok(result.notes >= 12, `notes for the states (${result.notes})`);
  });

  it('exports SVG, PNG and Mermaid through VS Code\'s file system', async () => {
    await api();
    const svg = file('exports/diagram.svg');
    const png = file('exports/diagram.png');
    const mmd = file('exports/diagram.mmd');
    await vscode.commands.executeCommand('tcpviz.exportDiagram', undefined, 'svg', svg);
    const drawn = text(await vscode.workspace.fs.readFile(svg));
    assert.ok(drawn.startsWith('<svg'), drawn.slice(0, 40));
    assert.ok(drawn.includes('FIN_WAIT_1') && drawn.includes('SYN,ACK seq=0 ack=1'), 'the diagram\'s text');
    await vscode.commands.executeCommand('tcpviz.exportDiagram', undefined, 'png', png);
    const image = await vscode.workspace.fs.readFile(png);
    assert.deepEqual([...image.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
    assert.ok(image.length > 10_000, `a picture, not an empty image (${image.length} bytes)`);
    await vscode.commands.executeCommand('tcpviz.exportDiagram', undefined, 'mmd', mmd);
    assert.ok(text(await vscode.workspace.fs.readFile(mmd)).startsWith('sequenceDiagram\n'));
  });

  it('a built-in lesson opens, and exports as a capture that reads back to its states', async () => {
    const { sources } = await api();
    const lesson = await vscode.commands.executeCommand<CaptureSource>('tcpviz.visualizeScenario', 'four-way-close');
    assert.deepEqual(states((await sources.histories(lesson!, 1)).client), ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    const capture = file('exports/four-way-close.pcapng');
    await vscode.commands.executeCommand('tcpviz.showDiagram', { kind: 'connection', source: lesson!, connection: (await sources.connection(lesson!, 1))! });
    await vscode.commands.executeCommand('tcpviz.exportDiagram', undefined, 'pcapng', capture);
    const back = await visualize('exports/four-way-close.pcapng');
    assert.deepEqual(states((await sources.histories(back, 1)).client), ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
  });

  it('compares two profiles side by side, played in the Web Worker: RFC 9293 and Linux, each its own TIME_WAIT', async () => {
    const { panel } = await api();
    await vscode.commands.executeCommand('tcpviz.visualizeScenario', 'four-way-close');
    const rendered = new Promise<Array<{ label: string; messages: number }>>((resolve) => {
      const sub = panel.onMessage((m) => m.type === 'rendered' && m.columns && (sub.dispose(), resolve(m.columns)));
    });
    await vscode.commands.executeCommand('tcpviz.compareProfiles', ['rfc', 'linux']);
    assert.deepEqual((await rendered).map((c) => [c.label, c.messages]), [['RFC 9293', 11], ['Linux', 11]]);
    const [rfc, linux] = panel.current!.compare!.columns;
    assert.ok(/2×MSL = 240 s/.test(rfc!.text), rfc!.text);
    assert.ok(/TIME_WAIT<br\/>\(Linux: 60 s\)/.test(linux!.text), linux!.text);
  });

  for (const name of ['refused.pcap', 'client_close.pcapng.gz', 'client_close.netmon2.cap', 'client_close.snoop.cap.gz']) {
    it(`opening ${name} shows it in the capture editor, read through VS Code's file system`, async () => {
      const { sources } = await api();
      const uri = file(name);
      await vscode.commands.executeCommand('vscode.open', uri);
      await until('the capture editor tab', () => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return input instanceof vscode.TabInputCustom && input.viewType === 'tcpviz.captureEditor' && input.uri.toString() === uri.toString();
      });
      const source = await until('its reading', () => sources.get(uri.toString())?.reading === false && sources.get(uri.toString()));
      assert.deepEqual(source.head!.errors, []);
      assert.equal(source.count, 1);
    });
  }

  it('a scenario file gets a diagnostic at its mistake, and once mended, a preview that Mermaid draws', async () => {
    const { panel } = await api();
    const document = await vscode.workspace.openTextDocument(file('mistake.tcpscenario'));
    assert.equal(document.languageId, 'tcp-scenario');
    const editor = await vscode.window.showTextDocument(document);
    const [diagnostic] = await until('a diagnostic', () => {
      const found = vscode.languages.getDiagnostics(document.uri);
      return found.length > 0 && found;
    });
    assert.equal(diagnostic!.range.start.line, 4);
    assert.ok(/what does a do/.test(diagnostic!.message), diagnostic!.message);
    await editor.edit((e) => e.replace(new vscode.Range(4, 0, 5, 0), 'a send 10\n'));
    await until('no diagnostic', () => vscode.languages.getDiagnostics(document.uri).length === 0);
    const drawn = new Promise<void>((resolve) => {
      const sub = panel.onMessage((m) => {
        // SYN, SYN,ACK, ACK, the data and its ACK.
        if (m.type === 'rendered' && m.messages === 5 && panel.current?.key.startsWith(document.uri.toString())) {
          sub.dispose();
          resolve();
        }
      });
    });
    await vscode.commands.executeCommand('tcpviz.previewScenario', document.uri);
    await drawn;
  });

  it('a damaged capture gives what could be read and the offset of its fault', async () => {
    const source = await visualize('damaged.pcap');
    assert.equal(source.head!.errors.length, 1);
    const [error] = source.head!.errors;
    assert.ok(/^truncated pcap record: it needs \d+ bytes/.test(error!.message), error!.message);
    const size = (await vscode.workspace.fs.stat(file('damaged.pcap'))).size;
    assert.ok(error!.offset > 24 && error!.offset < size, `offset ${error!.offset}`);
    assert.ok(source.count >= 10, `${source.count} connections read before it`);
  });

  it('a capture over the web\'s size limit is not read, and says why and what to do', async () => {
    const source = await visualize('too-big.pcap');
    assert.equal(source.count, 0);
    const [error] = source.head!.errors;
    assert.ok(/too-big\.pcap is 101\.0 MB: the web version of TCP Handshake Visualizer reads captures up to 100 MB/.test(error!.message), error!.message);
    assert.ok(error!.message.includes('editcap -c'), 'how to split it');
  });

  it('where no Web Worker can be started, a capture is read on the host\'s thread in slices and a scenario is held short, and the host goes on meanwhile', async () => {
    // As a host that cannot start one would be: the same platform, in a scope without Worker.
    const scope = globalThis as { Worker?: unknown };
    const saved = scope.Worker;
    scope.Worker = undefined;
    const sources = new CaptureSources(webPlatform(vscode.extensions.getExtension('tcpviz.tcp-handshake-visualizer')!.extensionUri));
    const size = (await vscode.workspace.fs.stat(file('many.pcap'))).size;
    // The longest the host's event loop is held at a stretch while the capture is read (read at one go: some 1,000 ms).
    let longest = 0;
    let last = Date.now();
    let ticking = true;
    const tick = () => {
      const now = Date.now();
      longest = Math.max(longest, now - last);
      last = now;
      if (ticking) setTimeout(tick, 5);
    };
    try {
      setTimeout(tick, 5);
      const source = await sources.open(file('many.pcap'));
      ticking = false;
      assert.equal(sources.runsIn(source), 'this thread');
      assert.deepEqual(source.head!.errors, []);
      assert.equal(source.total, 30_000);
      const histories = await sources.histories(source, 30_000);
      assert.deepEqual(states(histories.client), ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
      const reading = longest;
      // A scenario that would never end (keep-alive probes every millisecond for a day) stops sooner here than in a
      // worker: what one message does on the host's thread is held short.
      longest = 0;
      ticking = true;
      setTimeout(tick, 5);
      const endless = await sources.openScenario('tcpviz-test:endless', 'endless.tcpscenario', 'endpoint a\nendpoint b\nb listen\na connect\na keepalive 1ms\nwait 100000s\n');
      ticking = false;
      assert.ok(/^6:1: stopped after 2,000 packets/.test(endless.head!.errors[0]!.message), endless.head!.errors[0]!.message);
      assert.equal((await sources.connection(endless, 1))!.packets, 2000, 'what was simulated up to the limit is shown');
      console.log(`      (${(size / 2 ** 20).toFixed(1)} MB read on this thread, its event loop held at most ${reading} ms at a stretch; the endless scenario, ${longest} ms)`);
      assert.ok(reading < 500, `reading held the host's event loop ${reading} ms at a stretch`);
      assert.ok(longest < 500, `the endless scenario held the host's event loop ${longest} ms at a stretch`);
    } finally {
      ticking = false;
      scope.Worker = saved;
      sources.dispose();
    }
  });
});
