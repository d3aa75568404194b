import * as vscode from 'vscode';
import { markdownSection, mermaidFiles, pagePaths } from '../core/report/markdownReport';
import { BUILTIN_SCENARIOS, type BuiltinScenario } from '../core/scenario/builtins';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../core/scenario/profiles';
import { compareProfiles } from './compareProfiles';
import { emptyNotice, type CaptureSource, type CaptureSources, type LessonWords } from './captureSources';
import { stateId, type ConnectionsTree, type Node } from './connectionsTree';
import type { DiagramPanel } from './diagramPanel';
import { SCENARIO_LANGUAGE } from './scenarioEditor';
import { settings } from './settings';
import { stepLink, stepSourceName } from './stepLinks';
import type { ConnectionSummary } from './worker/protocol';

/** A capture read within this time is drawn once, when it is read; a longer read draws what it has by then first. */
const READ_AT_ONCE_MS = 150;

const CAPTURE_FILTERS = { [vscode.l10n.t('Captures')]: ['pcap', 'pcapng', 'cap', 'gz'] };

/** The connection a command acts on: the one given, the tree's selection, or the one in the diagram. */
async function connectionOf(node: Node | undefined, tree: vscode.TreeView<Node>, sources: CaptureSources, panel: DiagramPanel) {
  const chosen = node ?? tree.selection[0];
  if (chosen && 'connection' in chosen) return { source: chosen.source, connection: chosen.connection };
  return panel.current ? connectionOfKey(sources, panel.current.key) : undefined;
}

/** The source and connection a diagram's key ("source#id") names. */
async function connectionOfKey(sources: CaptureSources, key: string) {
  const named = sources.named(key);
  const connection = named && (await sources.connection(named.source, named.id));
  return named && connection ? { source: named.source, connection } : undefined;
}

export function registerCommands(sources: CaptureSources, tree: vscode.TreeView<Node>, provider: ConnectionsTree,
  panel: DiagramPanel): vscode.Disposable {
  const show = async (node: Node | undefined) => {
    const target = await connectionOf(node, tree, sources, panel);
    if (!target) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Choose a connection in the TCP Connections view first.'));
      return;
    }
    const highlight = node?.kind === 'state' ? node.entry.segment ?? -1 : -1;
    const key = `${target.source.key}#${target.connection.id}`;
    if (highlight >= 0) void segmentRows(target.source, target.connection, highlight);
    else provider.mark([]);
    if (panel.current?.key === key && highlight >= 0) {
      panel.post({ type: 'highlight', segment: highlight });
      return;
    }
    panel.show(await sources.diagram(target.source, target.connection.id, highlight));
  };

  /**
   * The tree's rows for a segment of a connection, marked there: the state changes it caused (one per endpoint at
   * most), or, where it changed nothing, the state each endpoint was in as it passed, the latest change first.
   */
  const segmentRows = async (source: CaptureSource, connection: ConnectionSummary, segment: number): Promise<Node[]> => {
    const both = await sources.histories(source, connection.id).catch(() => undefined);
    if (!both) return [];
    const rows = (side: 'client' | 'server') => both[side].map((entry, index): Extract<Node, { kind: 'state' }> =>
      ({ kind: 'state', source, connection, side, entry, index }));
    const all = [...rows('client'), ...rows('server')];
    const caused = all.filter((r) => r.entry.segment === segment);
    const passed = (['client', 'server'] as const)
      .map((side) => rows(side).filter((r) => r.index === 0 || (r.entry.segment !== null && r.entry.segment <= segment)).at(-1)!)
      .sort((a, b) => (b.entry.segment ?? -1) - (a.entry.segment ?? -1));
    const marked = caused.length > 0 ? caused : passed;
    provider.mark(marked.map((r) => stateId(source, connection.id, r.side, r.index)));
    return marked;
  };

  /**
   * The first connection's diagram as soon as the reader has found it, with what is known so far, when the file takes
   * longer to read than READ_AT_ONCE_MS (a small one is drawn once, whole, when it is read): whether it was drawn.
   */
  const showWhileReading = async (source: CaptureSource): Promise<boolean> => {
    const until = (ready: () => boolean) => new Promise<void>((resolve) => {
      const check = () => {
        if (!ready()) return;
        subscription.dispose();
        resolve();
      };
      const subscription = sources.onDidChange(check);
      check();
    });
    await Promise.race([until(() => !source.reading), new Promise((r) => setTimeout(r, READ_AT_ONCE_MS))]);
    await until(() => source.total > 0 || !source.reading);
    if (!source.reading) return false;
    const first = await sources.connection(source, 1);
    if (!first) return false;
    let view;
    try {
      view = await sources.diagram(source, 1);
    } catch {
      // Its segments are not kept while reading: it is drawn once the file is read.
      return false;
    }
    // The tree and the panel at once: each takes the window a few hundred milliseconds, and one after the other kept
    // the first diagram above a second on a large capture. The side bar already shows the tree (focused as the command
    // began), so the reveal only selects the row; it is left out if the user has turned to another view meanwhile.
    const revealed = tree.visible
      ? tree.reveal({ kind: 'connection', source, connection: first }, { select: true, expand: true }).then(undefined, () => undefined)
      : undefined;
    panel.show(view);
    await revealed;
    return true;
  };

  /**
   * The panel at one step of a connection, in step mode: `source` is a lesson's name (`four-way-close`), or a capture's
   * or scenario file's URI or workspace-relative path; `connection` counts from 1; `packet` is the step's packet. What
   * is not open yet is opened first. The Markdown links that Copy Link to Step makes call it.
   */
  const showStep = async (args?: { source?: unknown; connection?: unknown; packet?: unknown }) => {
    const { source: name, connection: id = 1, packet } = args ?? {};
    if (typeof name !== 'string' || typeof id !== 'number' || !Number.isInteger(id) || typeof packet !== 'number' || !Number.isInteger(packet)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('A link to a step needs a source, a connection and a packet.'));
      return;
    }
    const lesson = BUILTIN_SCENARIOS.find((s) => s.name === name || `tcpviz-scenario:${s.name}` === name);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = lesson ? undefined : /^[a-z][\w+.-]+:/i.test(name) ? vscode.Uri.parse(name) : folder && vscode.Uri.joinPath(folder, name);
    const key = lesson ? `tcpviz-scenario:${lesson.name}` : uri?.toString();
    let source = sources.list().find((s) => s.key === key);
    if (!source) {
      if (lesson) source = await visualizeScenario(lesson.name);
      else if (uri && (uri.path.endsWith('.tcpscenario') || openDocument(uri)?.languageId === SCENARIO_LANGUAGE)) source = await visualizeScenario(uri);
      else if (uri) source = await sources.open(uri).catch(() => undefined);
    }
    const connection = source && (await sources.connection(source, id));
    if (!source || !connection) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The link names connection {0} of {1}, which is not there.', id, name));
      return;
    }
    const view = await sources.diagram(source, id, -1, 0, packet);
    if (view.highlight < 0) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Connection {0} of {1} has no packet {2}.', id, name, packet));
      return;
    }
    panel.show({ ...view, stepping: true });
  };

  const visualize = async (uri?: vscode.Uri) => {
    const target = uri ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: CAPTURE_FILTERS, title: vscode.l10n.t('Visualize Capture') }))?.[0];
    if (!target) return;
    // Show the tree first: connections appear in it while the file is read.
    await vscode.commands.executeCommand('tcpviz.connections.focus');
    let early: Promise<boolean> | undefined;
    const source = await sources.open(target, (reading) => {
      panel.prepare(reading.label);
      early = showWhileReading(reading);
    });
    const drawnEarly = await early;
    const first = await sources.connection(source, 1);
    if (first) {
      const node: Node = { kind: 'connection', source, connection: first };
      if (drawnEarly) {
        // Drawn while reading (and shown in the tree then): drawn again, whole, at the page and highlight on show,
        // unless another diagram took its place.
        const current = panel.current;
        if (current?.key === `${source.key}#1` && current.partial) panel.show(await sources.diagram(source, 1, current.highlight, current.page));
        return;
      }
      await tree.reveal(node, { select: true, expand: true }).then(undefined, () => undefined);
      await show(node);
    } else {
      // Nothing to draw (not a capture, or no TCP in it): the panel says why.
      panel.showNotice(emptyNotice(source));
    }
  };

  /** A scenario file, a built-in by name, or (with neither) the user's pick of both. */
  const visualizeScenario = async (target?: vscode.Uri | string): Promise<CaptureSource | undefined> => {
    let key: string;
    let label: string;
    let text: string;
    // A built-in lesson speaks the user's language: its title in the tree, the pick and the diagram.
    const lesson = (s: BuiltinScenario) => ({ key: `tcpviz-scenario:${s.name}`, label: vscode.l10n.t(s.title), text: s.text });
    const lessonWords = (s: BuiltinScenario): LessonWords => ({ explanation: vscode.l10n.t(s.explanation), osNote: vscode.l10n.t(s.osNote) });
    const builtin = typeof target === 'string' ? BUILTIN_SCENARIOS.find((s) => s.name === target) : undefined;
    const uri = target instanceof vscode.Uri ? target : undefined;
    let title: string | undefined;
    let words: LessonWords | undefined;
    let read: (() => Promise<string>) | undefined;
    if (builtin) {
      ({ key, label, text } = lesson(builtin));
      title = label;
      words = lessonWords(builtin);
    } else if (uri) {
      key = uri.toString();
      label = uri.path.split('/').pop() ?? key;
      // What the editor shows, unsaved changes and all (an untitled scenario has nothing else).
      read = async () => {
        const open = openDocument(uri);
        return open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      };
      text = await read();
    } else {
      const files = await vscode.workspace.findFiles('**/*.tcpscenario', '**/node_modules/**', 200);
      const picks = [
        ...BUILTIN_SCENARIOS.map((s) => ({ label: vscode.l10n.t(s.title), detail: vscode.l10n.t(s.explanation), description: vscode.l10n.t('built-in'), builtin: s, file: undefined })),
        ...files.map((f) => ({ label: vscode.workspace.asRelativePath(f), detail: undefined, description: vscode.l10n.t('workspace'), builtin: undefined, file: f })),
      ];
      const chosen = await vscode.window.showQuickPick(picks, { title: vscode.l10n.t('Visualize Scenario'), matchOnDetail: true });
      if (!chosen) return;
      if (chosen.file) return visualizeScenario(chosen.file);
      ({ key, label, text } = lesson(chosen.builtin!));
      title = label;
      words = lessonWords(chosen.builtin!);
    }
    await vscode.commands.executeCommand('tcpviz.connections.focus');
    const source = await sources.openScenario(key, label, text, title, words, read);
    const first = await sources.connection(source, 1);
    if (first) {
      const node: Node = { kind: 'connection', source, connection: first };
      await tree.reveal(node, { select: true, expand: true }).then(undefined, () => undefined);
      await show(node);
    } else panel.showNotice(emptyNotice(source));
    return source;
  };

  /** The chosen connection's diagram: every page's text, and which is on screen (the first if it is not shown). */
  const diagramOf = async (node: Node | undefined) => {
    const target = await connectionOf(node, tree, sources, panel);
    if (!target) throw new Error(vscode.l10n.t('No connection is chosen.'));
    const shown = panel.current?.key === `${target.source.key}#${target.connection.id}` ? panel.current : undefined;
    return { connection: target.connection, pages: await sources.pages(target.source, target.connection.id), page: shown?.page ?? 0 };
  };

  /** Where an export is proposed: beside the capture (or in the workspace), named after it and the connection. */
  const proposedUri = (source: CaptureSource, id: number, ext: string): vscode.Uri | undefined => {
    const stem = `${source.label.replace(/\.(pcapng|pcap|cap)(\.gz)?$|\.tcpscenario$/i, '').replace(/[\\/:*?"<>|\s]+/g, '_')}-c${id}.${ext}`;
    const folder = source.uri.scheme === 'file' ? vscode.Uri.joinPath(source.uri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    return folder && vscode.Uri.joinPath(folder, stem);
  };

  /**
   * Exports the chosen connection's whole diagram: SVG, PNG and Mermaid one file per page (the first under the chosen
   * name), Markdown one document. Works whether or not the panel is open; says where the files went.
   */
  const exportDiagram = async (node?: Node, format?: string, target?: vscode.Uri) => {
    const connection = await connectionOf(node, tree, sources, panel);
    if (!connection) throw new Error(vscode.l10n.t('No connection is chosen.'));
    const formats = [
      { label: 'SVG', id: 'svg' }, { label: 'PNG', id: 'png' }, { label: 'Mermaid (.mmd)', id: 'mmd' }, { label: 'Markdown (.md)', id: 'md' },
      // A lesson or a scenario file can also be a capture, to open in Wireshark; pcapng keeps the simulation's end.
      ...(connection.source.scenario ? [{ label: vscode.l10n.t('Capture (.pcapng)'), id: 'pcapng' }] : []),
    ];
    const chosen = format ?? (await vscode.window.showQuickPick(formats, { title: vscode.l10n.t('Export Diagram') }))?.id;
    if (!chosen) return;
    if (chosen === 'pcapng' && !connection.source.scenario) throw new Error(vscode.l10n.t('Only a lesson or a scenario can be exported as a capture.'));
    const uri = target ?? (await vscode.window.showSaveDialog({
      defaultUri: proposedUri(connection.source, connection.connection.id, chosen), filters: { [chosen.toUpperCase()]: [chosen] },
    }));
    if (!uri) return;
    const pages = chosen === 'pcapng' ? [] : await sources.pages(connection.source, connection.connection.id);
    let files: Array<{ path: string; bytes: Uint8Array }>;
    if (chosen === 'pcapng') {
      files = [{ path: uri.path, bytes: await sources.capture(connection.source) }];
    } else if (chosen === 'svg' || chosen === 'png') {
      // The page draws them: open the panel on this connection if it shows another or none.
      if (panel.current?.key !== `${connection.source.key}#${connection.connection.id}`) await show({ kind: 'connection', ...connection });
      const images = await panel.exportImages(chosen, pages);
      const paths = pagePaths(uri.path, images.length);
      files = images.map((data, i) => ({
        path: paths[i]!, bytes: chosen === 'svg' ? new TextEncoder().encode(data) : base64Bytes(data.split(',')[1] ?? ''),
      }));
    } else if (chosen === 'md') {
      files = [{ path: uri.path, bytes: new TextEncoder().encode(markdownSection(connection.connection, pages, 1)) }];
    } else {
      // Mermaid reads a file as one diagram: a long connection's pages go to one file each.
      files = mermaidFiles(uri.path, pages).map((f) => ({ path: f.path, bytes: new TextEncoder().encode(f.text) }));
    }
    // The only place the extension writes files: where the user chose to save.
    for (const file of files) await vscode.workspace.fs.writeFile(uri.with({ path: file.path }), file.bytes);
    const name = uri.path.split('/').pop()!;
    const message = files.length > 1 ? vscode.l10n.t('Exported {0} and {1} more pages.', name, files.length - 1) : vscode.l10n.t('Exported {0}.', name);
    const open = vscode.l10n.t('Open');
    const reveal = vscode.l10n.t('Reveal');
    void vscode.window.showInformationMessage(message, open, reveal).then((answer) => {
      if (answer === open) void vscode.commands.executeCommand('vscode.open', uri);
      else if (answer === reveal) void vscode.commands.executeCommand('revealFileInOS', uri);
    });
    return uri;
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('tcpviz.visualizeCapture', visualize),
    // The same, named for the explorer's and the editor's menus, where it always has a file.
    vscode.commands.registerCommand('tcpviz.visualizeFile', (uri?: vscode.Uri) => visualize(uri ?? vscode.window.activeTextEditor?.document.uri)),
    vscode.commands.registerCommand('tcpviz.visualizeScenario', visualizeScenario),
    vscode.commands.registerCommand('tcpviz.showDiagram', show),
    vscode.commands.registerCommand('tcpviz.exportDiagram', exportDiagram),
    vscode.commands.registerCommand('tcpviz.copyMermaid', async (node?: Node) => {
      // One diagram, the page on screen: several pages joined would not be one Mermaid document.
      const { pages, page } = await diagramOf(node);
      await vscode.env.clipboard.writeText(pages[page] ?? '');
      if (pages.length > 1) void vscode.window.showInformationMessage(vscode.l10n.t('Copied page {0} of {1} of the diagram.', page + 1, pages.length));
    }),
    vscode.commands.registerCommand('tcpviz.showStep', showStep),
    vscode.commands.registerCommand('tcpviz.copyStepLink', async (node?: Node) => {
      if (node?.kind !== 'state' || node.entry.packet === null) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Choose a state caused by a segment in the TCP Connections view first.'));
        return;
      }
      await vscode.env.clipboard.writeText(stepLink(stepSourceName(node.source.key, node.source.uri), node.connection.id, node.entry.packet, `${node.entry.state} · #${node.entry.packet}`));
    }),
    vscode.commands.registerCommand('tcpviz.refresh', async () => {
      const gone = await sources.refresh();
      if (gone.length > 0) void vscode.window.showWarningMessage(vscode.l10n.t('Not read again, no longer there: {0}', gone.join(', ')));
    }),
    vscode.commands.registerCommand('tcpviz.removeSource', (node?: Node) => {
      const source = node && 'source' in node ? node.source : undefined;
      if (source) sources.remove(source);
    }),
    vscode.commands.registerCommand('tcpviz.removeAllSources', () => sources.removeAll()),
    // A diagram setting changed (the page budget, the numbers, the times, the theme): the diagram on show is drawn
    // again with it, at the same step (its page may have changed).
    vscode.workspace.onDidChangeConfiguration(async (change) => {
      const current = panel.current;
      if (!change.affectsConfiguration('tcpviz.diagram') || !current) return;
      const target = await connectionOfKey(sources, current.key);
      if (!target || panel.current?.key !== current.key) return;
      const view = await sources.diagram(target.source, target.connection.id, current.highlight, current.highlight >= 0 ? 0 : current.page)
        .catch(() => undefined);
      if (view && panel.current?.key === current.key) panel.show(view);
    }),
    vscode.commands.registerCommand('tcpviz.chooseProfile', chooseProfile),
    vscode.commands.registerCommand('tcpviz.compareProfiles', (pair?: [ProfileName, ProfileName]) =>
      compareProfiles(sources, panel, () => visualizeScenario(), pair)),
    panel.onMessage((message) => {
      if (message.type === 'compare') void vscode.commands.executeCommand('tcpviz.compareProfiles');
    }),
    // The profile changed: every lesson and scenario on show is simulated again with it, and the diagram on show of
    // one of them drawn again.
    vscode.workspace.onDidChangeConfiguration(async (change) => {
      if (!change.affectsConfiguration('tcpviz.scenario.profile')) return;
      for (const source of sources.list().filter((s) => s.scenario)) await source.again().catch(() => undefined);
      const current = panel.current;
      const target = current && (await connectionOfKey(sources, current.key));
      if (!current || !target?.source.scenario || panel.current?.key !== current.key) return;
      const view = await sources.diagram(target.source, target.connection.id, current.highlight, current.page).catch(() => undefined);
      if (view && panel.current?.key === current.key) panel.show(view);
    }),
    // An arrow clicked: the tree marks its rows.
    panel.onSegmentClicked.event(async ({ key, segment }) => {
      const target = await connectionOfKey(sources, key);
      if (!target) return;
      const rows = await segmentRows(target.source, target.connection, segment);
      // Every marked row in view (the other endpoint's too), the first selected.
      for (const row of [...rows].reverse()) {
        await tree.reveal(row, { select: row === rows[0], focus: false, expand: true }).then(undefined, () => undefined);
      }
    }),
    provider,
  );
}

/** Whose TCP plays the lessons and scenarios (the setting tcpviz.scenario.profile), picked from the profiles with their figures. */
async function chooseProfile(): Promise<void> {
  const current = settings().profile;
  const items = PROFILE_NAMES.map((name) => {
    const p = PROFILES[name];
    const syn = p.synRetryTime ? vscode.l10n.t('SYN retried until {0} s', p.synRetryTime.value) : p.connectTimeout
      ? vscode.l10n.t('connect given up at {0} s', p.connectTimeout.value) : vscode.l10n.t('{0} SYN retries', p.synRetries.value);
    return {
      name, label: p.label, picked: name === current,
      description: name === current ? vscode.l10n.t('current') : undefined,
      detail: [vscode.l10n.t('TIME_WAIT {0} s', p.timeWait.value), syn, vscode.l10n.t('{0} data retries', p.dataRetries.value),
        ...(p.minRto ? [vscode.l10n.t('timeout from the round trip, at least {0} ms', Math.round(p.minRto.value * 1000))] : []),
        ...(p.delayedAck ? [vscode.l10n.t('ACK of a FIN delayed {0} ms', Math.round(p.delayedAck.value * 1000))] : [])].join(' · '),
    };
  });
  const chosen = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Whose TCP plays the lessons and scenarios') });
  if (chosen) await vscode.workspace.getConfiguration('tcpviz').update('scenario.profile', chosen.name, vscode.ConfigurationTarget.Global);
}

/** The document open in VS Code at this URI, if there is one. */
function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === uri.toString());
}

/** The bytes a base64 text stands for (a PNG's data URL from the panel): without Node's Buffer, so on the web too. */
function base64Bytes(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
