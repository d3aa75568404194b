import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CaptureSource } from '../../src/extension/captureSources';
import type { Node } from '../../src/extension/connectionsTree';
import { longestStall } from '../support/longestStall';
import { manyConnections } from '../support/manyConnections';
import { api, until } from '../support/extensionHost';

const FIXTURES = process.env.TCPVIZ_FIXTURES!;
const scratch = mkdtempSync(join(tmpdir(), 'tcpviz-it-'));

const states = (history: ReadonlyArray<{ state: string }>) => history.map((e) => e.state);

describe('TCP Handshake Visualizer in a real VS Code', () => {
  it('registers its commands', async () => {
    await api();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['tcpviz.visualizeCapture', 'tcpviz.showDiagram', 'tcpviz.exportDiagram', 'tcpviz.copyMermaid', 'tcpviz.refresh']) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('a link to a step opens the panel there in step mode; Copy Link to Step on a state makes such a link', async () => {
    const { panel, sources } = await api();
    const stepped = (segment: number) => new Promise<string>((resolve) => {
      const sub = panel.onMessage((m) => m.type === 'stepped' && m.segment === segment && (sub.dispose(), resolve(m.counter)));
    });
    const atAckOfFin = stepped(6);
    await vscode.commands.executeCommand('tcpviz.showStep', { source: 'four-way-close', connection: 1, packet: 7 });
    assert.equal(await atAckOfFin, 'step 7 of 11');
    assert.equal(panel.current?.highlight, 6);
    // The client's FIN_WAIT_2 row: its link names the lesson, the connection and packet #7.
    const source = sources.list().find((s) => s.key === 'tcpviz-scenario:four-way-close')!;
    const connection = (await sources.connection(source, 1))!;
    const { client } = await sources.histories(source, 1);
    const index = client.findIndex((e) => e.state === 'FIN_WAIT_2');
    const node: Node = { kind: 'state', source, connection, side: 'client', entry: client[index]!, index };
    await vscode.commands.executeCommand('tcpviz.copyStepLink', node);
    const link = await vscode.env.clipboard.readText();
    const args = { source: 'four-way-close', connection: 1, packet: 7 };
    assert.equal(link, `[FIN_WAIT_2 · #7](command:tcpviz.showStep?${encodeURIComponent(JSON.stringify(args))})`);
    // Elsewhere first, then the link followed as VS Code does (its query is the command's argument).
    const atSyn = stepped(0);
    await vscode.commands.executeCommand('tcpviz.showStep', { ...args, packet: 1 });
    assert.equal(await atSyn, 'step 1 of 11');
    const again = stepped(6);
    await vscode.commands.executeCommand('tcpviz.showStep', JSON.parse(decodeURIComponent(/\?(.*)\)$/.exec(link)![1]!)));
    assert.equal(await again, 'step 7 of 11');
  });

  it('a scenario\'s comments link its packets (#4) and pasted links to steps; an unsaved scenario\'s link opens its step', async () => {
    const { panel } = await api();
    const pasted = `[FIN_WAIT_2 · #7](command:tcpviz.showStep?${encodeURIComponent(JSON.stringify({ source: 'four-way-close', connection: 1, packet: 7 }))})`;
    const content = [
      '#1 is not a link: it starts the comment',
      'endpoint client 10.0.0.1:41234  # the FINs cross: #4 and #5',
      'endpoint server 10.0.0.2:80',
      `server listen  # as in ${pasted}, #0 is no packet`,
      'client connect',
      'client close & server close',
    ].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'tcp-scenario', content });
    await vscode.window.showTextDocument(document);
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', document.uri);
    const seen = links.map((l) => ({ text: document.getText(l.range), query: JSON.parse(l.target!.query) }));
    const here = document.uri.toString();
    assert.deepEqual(seen, [
      { text: '#4', query: { source: here, connection: 1, packet: 4 } },
      { text: '#5', query: { source: here, connection: 1, packet: 5 } },
      { text: pasted, query: { source: 'four-way-close', connection: 1, packet: 7 } },
    ]);
    // Followed as VS Code does: the untitled scenario is simulated from its text, and the panel opens at #5.
    const stepped = new Promise<string>((resolve) => {
      const sub = panel.onMessage((m) => m.type === 'stepped' && m.segment === 4 && (sub.dispose(), resolve(m.counter)));
    });
    await vscode.commands.executeCommand('tcpviz.showStep', seen[1]!.query);
    assert.equal(await stepped, 'step 5 of 7');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Visualize Capture fills the tree with the connections and their state histories', async () => {
    const { sources } = await api();
    const uri = vscode.Uri.file(join(FIXTURES, 'simultaneous_close.pcap'));
    await vscode.commands.executeCommand('tcpviz.visualizeCapture', uri);
    const source = sources.get(uri.toString())!;
    assert.equal(source.count, 1);
    const connection = await sources.connection(source, 1);
    const histories = await sources.histories(source, connection!.id);
    assert.deepEqual(states(histories.client), ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
    assert.deepEqual(states(histories.server), ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
    // The tree shows the same: source → connection → endpoints → states.
    const { provider } = await api();
    const roots = (await provider.getChildren()) as Node[];
    const root = roots.find((n) => n.kind === 'source' && n.source.key === uri.toString())!;
    const [connectionNode] = (await provider.getChildren(root)) as Node[];
    const item = await provider.getTreeItem(connectionNode!);
    assert.equal(item.label, '#1 10.77.0.1:40005 → 10.77.0.2:8084');
    assert.match(String(item.description), /^complete · 11 packets/);
    const [clientNode] = (await provider.getChildren(connectionNode)) as Node[];
    const stateNodes = (await provider.getChildren(clientNode)) as Node[];
    const labels = await Promise.all(stateNodes.map(async (n) => (await provider.getTreeItem(n)).label));
    assert.deepEqual(labels, ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
  });

  it('shows the diagram in a panel that Mermaid renders', async () => {
    const { panel } = await api();
    const rendered = new Promise<{ messages: number; notes: number }>((resolve) => {
      // This capture's drawing (a diagram shown before may still be drawn once more).
      const sub = panel.onMessage((m) => {
        if (m.type === 'rendered' && panel.current?.key.includes('three_segment_close')) {
          sub.dispose();
          resolve(m);
        }
      });
    });
    await vscode.commands.executeCommand('tcpviz.visualizeCapture', vscode.Uri.file(join(FIXTURES, 'three_segment_close.pcap')));
    const result = await rendered;
    assert.equal(result.messages, 10, 'one arrow per segment');
    assert.ok(result.notes >= 12, `notes for the states (${result.notes})`);
  });

  it('exports an SVG that holds the diagram and a .mmd of its source', async () => {
    await api();
    const svg = vscode.Uri.file(join(scratch, 'diagram.svg'));
    const mmd = vscode.Uri.file(join(scratch, 'diagram.mmd'));
    const md = vscode.Uri.file(join(scratch, 'diagram.md'));
    await vscode.commands.executeCommand('tcpviz.exportDiagram', undefined, 'svg', svg);
    const text = readFileSync(svg.fsPath, 'utf8');
    assert.match(text, /^<svg/);
    assert.match(text, /FIN_WAIT_1/);
    assert.match(text, /SYN,ACK seq=0 ack=1/);
    // Coloured as on screen, on its own: the state notes' phases and the shading, in a stylesheet of its own.
    assert.match(text, /class="note tcpviz-phase tcpviz-phase-opening"/);
    assert.match(text, /svg#[\w-]+ rect\.note\.tcpviz-phase-opening \{ stroke: #[0-9a-f]{6}; stroke-width: \dpx; \}/);
    assert.match(text, /svg#[\w-]+ rect\.rect \{ fill: #[0-9a-f]{6};/);
    await vscode.commands.executeCommand('tcpviz.exportDiagram', undefined, 'mmd', mmd);
    assert.match(readFileSync(mmd.fsPath, 'utf8'), /^sequenceDiagram\n/);
    await vscode.commands.executeCommand('tcpviz.exportDiagram', undefined, 'md', md);
    const markdown = readFileSync(md.fsPath, 'utf8');
    assert.match(markdown, /^# Connection 1: 10\.77\.0\.1:\d+ → 10\.77\.0\.2:\d+\n\ncomplete: 10 packets, [\d.]+ s; final states: client TIME_WAIT, server CLOSED\.\n\n```mermaid\nsequenceDiagram\n[\s\S]*```\n$/);
    assert.equal(markdown.match(/^sequenceDiagram$/gm)?.length, 1, 'one diagram in one block');
    // Copy Mermaid Source copies one whole diagram: the page on screen.
    await vscode.commands.executeCommand('tcpviz.copyMermaid');
    const copied = await vscode.env.clipboard.readText();
    assert.match(copied, /^sequenceDiagram\n/);
    assert.equal(copied.match(/^sequenceDiagram$/gm)?.length, 1);
  });

  it('exports every page of a long connection as SVG and PNG from the tree with no panel open, titles whole', async () => {
    const { sources, panel } = await api();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(panel.current, undefined, 'no diagram on show');
    const uri = vscode.Uri.file(join(FIXTURES, 'zero_window.pcap'));
    const source = await sources.open(uri);
    const connection = (await sources.connection(source, 1))!;
    const pages = await sources.pages(source, 1);
    assert.ok(pages.length >= 2, `${pages.length} pages`);
    const node: Node = { kind: 'connection', source, connection };
    const svg = vscode.Uri.file(join(scratch, 'zero.svg'));
    await vscode.commands.executeCommand('tcpviz.exportDiagram', node, 'svg', svg);
    const names = readdirSync(scratch).filter((f) => /^zero(-page-\d+)?\.svg$/.test(f)).sort();
    assert.equal(names.length, pages.length, `one SVG per page: ${names}`);
    for (const [i, name] of ['zero.svg', ...pages.slice(1).map((_, k) => `zero-page-${k + 2}.svg`)].entries()) {
      const text = readFileSync(join(scratch, name), 'utf8');
      assert.match(text, /^<svg/);
      // The page's whole title is inside the picture's own area (the old PNG export cut it off).
      const [x, y, width] = /viewBox="([-\d.]+) ([-\d.]+) ([\d.]+)/.exec(text)!.slice(1).map(Number) as [number, number, number];
      const title = new RegExp(`<text x="([-\\d.]+)" y="([-\\d.]+)"[^>]*>(Connection 1: [^<]* \\(page ${i + 1} of ${pages.length}\\))<`).exec(text);
      assert.ok(title, `${name} has its page's title`);
      assert.ok(Number(title![2]) > y && Number(title![1]) > x && Number(title![1]) < x + width, `${name}: title at ${title![1]},${title![2]}`);
    }
    const png = vscode.Uri.file(join(scratch, 'zero.png'));
    await vscode.commands.executeCommand('tcpviz.exportDiagram', node, 'png', png);
    const first = readFileSync(png.fsPath);
    assert.equal(first.subarray(1, 4).toString(), 'PNG');
    assert.ok(existsSync(join(scratch, `zero-page-${pages.length}.png`)));
  });

  it('opening a .pcap shows it in the capture editor', async () => {
    await api();
    const uri = vscode.Uri.file(join(FIXTURES, 'refused.pcap'));
    await vscode.commands.executeCommand('vscode.open', uri);
    const tab = await until('the capture editor tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.viewType === 'tcpviz.captureEditor' && input.uri.fsPath === uri.fsPath && input;
    });
    assert.equal(tab.viewType, 'tcpviz.captureEditor');
  });

  it('the capture editor closes when its file is deleted', async () => {
    await api();
    const copy = join(scratch, 'to-delete.pcap');
    copyFileSync(join(FIXTURES, 'refused.pcap'), copy);
    const uri = vscode.Uri.file(copy);
    await vscode.commands.executeCommand('vscode.open', uri);
    const open = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.fsPath === copy);
    await until('the capture editor', () => open());
    unlinkSync(copy);
    await until('the editor to close', () => !open());
  });

  it('the capture editor watches its own file, even one whose name holds glob characters', async () => {
    const { sources } = await api();
    const copy = join(scratch, 'a[1]{b,c}*?.pcap');
    const lookalike = join(scratch, 'a1bxy.pcap');
    copyFileSync(join(FIXTURES, 'refused.pcap'), copy);
    copyFileSync(join(FIXTURES, 'refused.pcap'), lookalike);
    const uri = vscode.Uri.file(copy);
    await vscode.commands.executeCommand('vscode.open', uri);
    await until('the first reading', () => sources.get(uri.toString())?.reading === false && sources.get(uri.toString())!.count === 1);
    // A change to a file the pattern would have matched unescaped does not make it read again…
    copyFileSync(join(FIXTURES, 'interleaved.pcap'), lookalike);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(sources.get(uri.toString())!.count, 1);
    // …a change to its own file does.
    copyFileSync(join(FIXTURES, 'interleaved.pcap'), copy);
    await until('the second reading', () => sources.get(uri.toString())?.count === 12);
  });

  it('the capture editor reads its file again when it changes', async () => {
    const { sources } = await api();
    const copy = join(scratch, 'changing.pcap');
    copyFileSync(join(FIXTURES, 'refused.pcap'), copy);
    const uri = vscode.Uri.file(copy);
    await vscode.commands.executeCommand('vscode.open', uri);
    await until('the first reading', () => sources.get(uri.toString())?.reading === false && sources.get(uri.toString())!.count === 1);
    copyFileSync(join(FIXTURES, 'interleaved.pcap'), copy);
    await until('the second reading', () => sources.get(uri.toString())?.count === 12);
  });

  it('Visualize Scenario simulates a built-in lesson or a scenario file and shows it like a capture', async () => {
    const { sources } = await api();
    const builtin = await vscode.commands.executeCommand<CaptureSource>('tcpviz.visualizeScenario', 'four-way-close');
    assert.deepEqual(states((await sources.histories(builtin!, 1)).client), ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    const file = join(scratch, 'mine.tcpscenario');
    writeFileSync(file, 'endpoint a\nendpoint b\ndelay 30ms\na connect & b connect\n');
    await vscode.commands.executeCommand('tcpviz.visualizeScenario', vscode.Uri.file(file));
    const mine = sources.get(vscode.Uri.file(file).toString())!;
    assert.deepEqual(states((await sources.histories(mine, 1)).client), ['CLOSED', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED']);
  });

  it('the profile setting plays the lessons as Linux does: its 60 s TIME_WAIT; changing it simulates them again', async () => {
    const { sources } = await api();
    assert.ok((await vscode.commands.getCommands(true)).includes('tcpviz.chooseProfile'));
    const timeWait = async () => {
      const source = sources.get('tcpviz-scenario:four-way-close')!;
      const { client } = await sources.histories(source, 1);
      const at = client.findIndex((e) => e.state === 'TIME_WAIT');
      return Math.round(client[at + 1]!.time! - client[at]!.time!);
    };
    await vscode.commands.executeCommand('tcpviz.visualizeScenario', 'four-way-close');
    assert.equal(await timeWait(), 240);
    const config = vscode.workspace.getConfiguration('tcpviz');
    try {
      await config.update('scenario.profile', 'linux', vscode.ConfigurationTarget.Global);
      // Simulated again in the background: its histories change once the new run is done.
      let seconds = 0;
      for (let i = 0; i < 50 && seconds !== 60; i++) {
        seconds = await timeWait().catch(() => 0);
        if (seconds !== 60) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(seconds, 60);
    } finally {
      await config.update('scenario.profile', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('compares two profiles side by side: the same lesson drawn as RFC 9293 and as Linux, each column under its name', async () => {
    const { panel } = await api();
    assert.ok((await vscode.commands.getCommands(true)).includes('tcpviz.compareProfiles'));
    await vscode.commands.executeCommand('tcpviz.visualizeScenario', 'four-way-close');
    const rendered = new Promise<Array<{ label: string; messages: number; notes: number }>>((resolve) => {
      const sub = panel.onMessage((m) => {
        if (m.type === 'rendered' && m.columns) {
          sub.dispose();
          resolve(m.columns);
        }
      });
    });
    await vscode.commands.executeCommand('tcpviz.compareProfiles', ['rfc', 'linux']);
    const columns = await rendered;
    assert.deepEqual(columns.map((c) => c.label), ['RFC 9293', 'Linux']);
    // The same 11 segments in both; each column's notes are its own profile's (its TIME_WAIT and its end).
    assert.deepEqual(columns.map((c) => c.messages), [11, 11]);
    const [rfc, linux] = panel.current!.compare!.columns;
    // Compact: the note's brackets on a line of their own.
    assert.match(rfc!.text, /TIME_WAIT<br\/>\(2×MSL = 240 s#59; Linux: 60 s\)/);
    assert.match(linux!.text, /TIME_WAIT<br\/>\(Linux: 60 s\)/);
    assert.doesNotMatch(linux!.text, /240 s/);
  });

  it('a lesson exported as a capture (.pcapng) reads back to its states, TIME_WAIT\'s end included; a capture is not', async () => {
    const { sources } = await api();
    const lesson = (await vscode.commands.executeCommand<CaptureSource>('tcpviz.visualizeScenario', 'four-way-close'))!;
    const connection = (await sources.connection(lesson, 1))!;
    const target = vscode.Uri.file(join(scratch, 'four-way-close.pcapng'));
    await vscode.commands.executeCommand('tcpviz.exportDiagram', { kind: 'connection', source: lesson, connection } satisfies Node, 'pcapng', target);
    const back = await sources.open(target);
    const expected = ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED'];
    assert.deepEqual(states((await sources.histories(back, 1)).client), expected);
    // The server's history from the capture starts at LISTEN (its listen call is not on the wire), and ends as the lesson's.
    assert.equal(states((await sources.histories(back, 1)).server).at(-1), states((await sources.histories(lesson, 1)).server).at(-1));
    const frames = execFileSync('tshark', ['-n', '-r', target.fsPath, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' }).trim().split('\n');
    assert.equal(frames.length, back.head!.packets);
    const capture = await sources.open(vscode.Uri.file(join(FIXTURES, 'refused.pcap')));
    const node: Node = { kind: 'connection', source: capture, connection: (await sources.connection(capture, 1))! };
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('tcpviz.exportDiagram', node, 'pcapng', vscode.Uri.file(join(scratch, 'no.pcapng')))),
      /Only a lesson or a scenario can be exported as a capture/);
  });

  it('Refresh reads captures again, simulates lessons and scenario files again, and leaves out what is gone; Remove', async () => {
    const { sources } = await api();
    const lesson = await vscode.commands.executeCommand<CaptureSource>('tcpviz.visualizeScenario', 'four-way-close');
    const scenario = join(scratch, 'refreshed.tcpscenario');
    writeFileSync(scenario, 'endpoint a\nendpoint b\nb listen\na connect\n');
    await vscode.commands.executeCommand('tcpviz.visualizeScenario', vscode.Uri.file(scenario));
    const doomed = join(scratch, 'doomed.pcap');
    copyFileSync(join(FIXTURES, 'refused.pcap'), doomed);
    await vscode.commands.executeCommand('tcpviz.visualizeCapture', vscode.Uri.file(doomed));
    unlinkSync(doomed);
    // The scenario file changed: simulated again from its new text.
    writeFileSync(scenario, 'endpoint a\nendpoint b\nb listen\na connect\na close\n');
    const gone = await sources.refresh();
    // (An earlier test deleted a capture of its own too.)
    assert.ok(gone.includes('doomed.pcap'), `gone: ${gone}`);
    assert.ok(sources.list().every((s) => s.uri.scheme !== 'file' || existsSync(s.uri.fsPath)), 'only what is there stays');
    assert.equal(sources.get(vscode.Uri.file(doomed).toString()), undefined, 'the deleted capture is left out');
    assert.ok(sources.list().every((s) => !s.reading), `nothing left reading (no progress left open): ${sources.list().filter((s) => s.reading).map((s) => s.label)}`);
    const again = sources.get(lesson!.key)!;
    assert.notEqual(again, lesson, 'the lesson was simulated again');
    assert.equal(again.count, 1);
    const mine = sources.get(vscode.Uri.file(scenario).toString())!;
    assert.ok(states((await sources.histories(mine, 1)).client).includes('FIN_WAIT_1'), 'from the file as it is now');
    await vscode.commands.executeCommand('tcpviz.removeSource', { kind: 'source', source: mine });
    assert.equal(sources.get(mine.key), undefined);
    await vscode.commands.executeCommand('tcpviz.removeAllSources');
    assert.equal(sources.list().length, 0);
  });

  it('a scenario that would never end is simulated off the host thread and stopped by a limit, with a message', async () => {
    const { sources, panel } = await api();
    const file = join(scratch, 'forever.tcpscenario');
    // Keep-alive probes every millisecond for a day: without limits, endless work on whatever thread runs it.
    const text = 'endpoint a\nendpoint b\nb listen\na connect\na keepalive 1ms\nwait 100000s\n';
    writeFileSync(file, text);
    const key = vscode.Uri.file(file).toString();
    // The simulation, as Visualize Scenario and the preview run it, and the diagram of the 100,000 segments it stops at.
    const rendered = new Promise<void>((resolve) => {
      const sub = panel.onMessage((m) => m.type === 'rendered' && (sub.dispose(), resolve()));
    });
    const { result: source, longest } = await longestStall(async () => {
      const simulated = await sources.openScenario(key, 'forever.tcpscenario', text);
      panel.show(await sources.diagram(simulated, 1));
      await rendered;
      return simulated;
    });
    assert.match(source.head!.errors[0]!.message, /^6:1: stopped after 100,000 packets/);
    assert.equal((await sources.connection(source, 1))!.packets, 100000, 'what was simulated up to the limit is shown');
    assert.ok(longest < 250, `the extension host's event loop was blocked ${longest} ms at a stretch`);
    // The panel holds one page of it; the worker keeps the others.
    const view = panel.current!;
    assert.ok(view.pageCount > 100, `${view.pageCount} pages`);
    const onPage = JSON.parse(view.segments) as Array<{ index: number }>;
    assert.ok(onPage.length > 0 && onPage.length < 1000, `${onPage.length} segments sent with page 1`);
    assert.equal((await sources.pages(source, 1)).length, view.pageCount);
  });

  it('a FIFO is refused with a message, and a virtual file system that fails to read settles with its error', async () => {
    const { sources } = await api();
    const fifo = join(scratch, 'pipe.pcap');
    execFileSync('mkfifo', [fifo]);
    await vscode.commands.executeCommand('tcpviz.visualizeCapture', vscode.Uri.file(fifo));
    const piped = sources.get(vscode.Uri.file(fifo).toString())!;
    assert.equal(piped.reading, false);
    assert.match(piped.head!.errors[0]!.message, /is not a regular file \(a FIFO, a device or a directory\): it is not read/);
    // A file system whose reads fail, as a remote one can.
    const failing: vscode.FileSystemProvider = {
      onDidChangeFile: new vscode.EventEmitter<vscode.FileChangeEvent[]>().event,
      watch: () => new vscode.Disposable(() => undefined),
      stat: () => ({ type: vscode.FileType.File, ctime: 0, mtime: 0, size: 100 }),
      readDirectory: () => [],
      createDirectory: () => undefined,
      readFile: () => { throw vscode.FileSystemError.Unavailable('the remote went away'); },
      writeFile: () => undefined,
      delete: () => undefined,
      rename: () => undefined,
    };
    const registration = vscode.workspace.registerFileSystemProvider('tcpviz-failing', failing, { isReadonly: true });
    try {
      const uri = vscode.Uri.parse('tcpviz-failing:/capture.pcap');
      await vscode.commands.executeCommand('tcpviz.visualizeCapture', uri);
      const source = sources.get(uri.toString())!;
      assert.equal(source.reading, false);
      assert.match(source.head!.errors[0]!.message, /the remote went away/);
    } finally {
      registration.dispose();
    }
  });

  it('the first diagram of a large capture comes while it is read, marked so, and is drawn again when it is read', async () => {
    const { sources, panel } = await api();
    const big = join(scratch, 'big.pcap');
    // 60,000 connections, 78 MB: seconds to read.
    writeFileSync(big, manyConnections(readFileSync(join(FIXTURES, 'simultaneous_close.pcap')), 60_000, 40005));
    const uri = vscode.Uri.file(big);
    const seen: Array<{ partial: boolean; reading: boolean | undefined; notice: string | undefined }> = [];
    const subscription = panel.onMessage((m) => {
      if (m.type === 'rendered' && panel.current?.key === `${uri.toString()}#1`) {
        seen.push({ partial: panel.current.partial === true, reading: sources.get(uri.toString())?.reading, notice: panel.current.notice?.text });
      }
    });
    try {
      await vscode.commands.executeCommand('tcpviz.visualizeCapture', uri);
      await until('the diagram drawn again', () => seen.some((s) => !s.partial));
    } finally {
      subscription.dispose();
    }
    const early = seen.find((s) => s.partial);
    assert.ok(early && early.reading, `drawn while reading: ${JSON.stringify(seen)}`);
    assert.match(early!.notice ?? '', /^Still reading big\.pcap: /);
    assert.equal(seen.at(-1)!.partial, false);
    assert.equal(seen.at(-1)!.notice, undefined, 'no notice once read');
    assert.equal(panel.current?.partial, undefined);
  });

  it('a damaged capture shows what could be read and an error with its offset', async () => {
    const { sources } = await api();
    const cut = join(scratch, 'cut.pcap');
    const bytes = readFileSync(join(FIXTURES, 'interleaved.pcap')).subarray(0, -40);
    writeFileSync(cut, bytes);
    const uri = vscode.Uri.file(cut);
    await vscode.commands.executeCommand('tcpviz.visualizeCapture', uri);
    const source = sources.get(uri.toString())!;
    assert.equal(source.head!.errors.length, 1);
    const [error] = source.head!.errors;
    assert.match(error!.message, /^truncated pcap record: it needs \d+ bytes/);
    assert.ok(error!.offset > 24 && error!.offset < bytes.length, `offset ${error!.offset}`);
    assert.ok(source.count >= 10);
    assert.ok(readFileSync(cut).equals(bytes), 'the damaged file is left as it was');
  });
});

describe('scenarios in the editor', () => {
  it('a .tcpscenario gets its language, a diagnostic at the mistake, and a live preview that follows edits', async () => {
    const { panel } = await api();
    const file = join(scratch, 'edit.tcpscenario');
    writeFileSync(file, 'endpoint a\nendpoint b\nb listen\na connect\na jump\n');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    assert.equal(document.languageId, 'tcp-scenario');
    const editor = await vscode.window.showTextDocument(document);
    const diagnostics = await until('a diagnostic', () => {
      const found = vscode.languages.getDiagnostics(document.uri);
      return found.length > 0 && found;
    });
    assert.equal(diagnostics[0]!.range.start.line, 4);
    assert.equal(diagnostics[0]!.range.start.character, 2);
    assert.match(diagnostics[0]!.message, /what does a do/);
    // Mend it and preview: the diagram shows the handshake.
    await editor.edit((e) => e.replace(new vscode.Range(4, 0, 5, 0), 'a send 10\n'));
    await until('no diagnostic', () => vscode.languages.getDiagnostics(document.uri).length === 0);
    // Other diagrams may still be drawing: wait for this document's diagram with the expected number of arrows.
    const drawn = (messages: number) => new Promise<void>((resolve) => {
      const sub = panel.onMessage((m) => {
        if (m.type === 'rendered' && m.messages === messages && panel.current?.key.startsWith(document.uri.toString())) {
          sub.dispose();
          resolve();
        }
      });
    });
    const first = drawn(5); // SYN, SYN-ACK, ACK, the data and its ACK
    await vscode.commands.executeCommand('tcpviz.previewScenario', document.uri);
    await first;
    // An edit updates the preview: the 4-way close appears.
    const second = drawn(9);
    await editor.edit((e) => e.insert(new vscode.Position(5, 0), 'a close\nb close\n'));
    await second;
    // A mistake while typing: the squiggle, and the last good diagram kept in the panel, marked out of date.
    const noticed = new Promise<{ text: string; diagram: boolean }>((resolve) => {
      const sub = panel.onMessage((m) => m.type === 'noticeShown' && (sub.dispose(), resolve(m)));
    });
    await editor.edit((e) => e.insert(new vscode.Position(7, 0), 'b fly\n'));
    const notice = await noticed;
    assert.match(notice.text, /^Out of date — edit\.tcpscenario: 8:3: /);
    assert.equal(notice.diagram, true, 'the last good diagram stays');
    assert.ok(panel.current?.key.startsWith(document.uri.toString()));
  });

  it('a file that is not a capture says so in the panel, in words, with Open as Text', async () => {
    const { panel } = await api();
    const file = join(scratch, 'notes.pcap');
    writeFileSync(file, 'These are my notes about TCP, not a capture.\n');
    const noticed = new Promise<{ text: string; diagram: boolean }>((resolve) => {
      // This file's notice (a scenario's preview before may still say it is out of date, and the panel says first
      // that the file is being read).
      const sub = panel.onMessage((m) => m.type === 'noticeShown' && m.text.includes('not a capture') && (sub.dispose(), resolve(m)));
    });
    await vscode.commands.executeCommand('tcpviz.visualizeCapture', vscode.Uri.file(file));
    const notice = await noticed;
    // What the file is, said once.
    assert.equal(notice.text, 'notes.pcap: not a capture: it looks like text ("These are my notes about…")');
    assert.equal(notice.diagram, false);
  });

  it('New Scenario opens a template in the scenario language', async () => {
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('tcpviz.newScenario');
    assert.equal(document!.languageId, 'tcp-scenario');
    assert.match(document!.getText(), /^title /);
  });
});
