import * as vscode from 'vscode';
import type { DiagramView, FromWebview, ToWebview } from '../shared/protocol';
import { emptyNotice, type CaptureSource, type CaptureSources } from './captureSources';
import { outcomeName } from './connectionsTree';
import { diagramHtml, openAsText, webviewOptions, type DiagramPanel } from './diagramPanel';
import type { ConnectionSummary } from './worker/protocol';

/**
 * Opening a capture file shows it here (VS Code cannot show a pcap otherwise): a readonly custom editor with the
 * diagram of one connection and a chooser of all of them. It reads the file again when it changes and closes when it
 * is deleted. It never writes the file.
 */
class CaptureEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(private readonly extensionUri: vscode.Uri, private readonly sources: CaptureSources, private readonly panel: DiagramPanel) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  /**
   * The chooser's entries: the connections near the one shown, and a step to those before and after, so a file of any
   * number of connections makes a list a person can scroll (and the host builds no more than that).
   */
  private async choices(source: CaptureSource, id: number): Promise<NonNullable<DiagramView['choices']>> {
    const first = Math.max(1, Math.min(id - CHOICES / 2, source.total - CHOICES + 1));
    const last = Math.min(source.total, first + CHOICES - 1);
    const rows = await this.sources.rows(source, first - 1, last - 1);
    const choices = rows.map((c) => choiceOf(source, c));
    if (first > 1) choices.unshift({ key: `${source.key}#${first - 1}`, label: vscode.l10n.t('↑ connections before #{0}', first) });
    if (last < source.total) choices.push({ key: `${source.key}#${last + 1}`, label: vscode.l10n.t('↓ connections after #{0} (of {1})', last, source.total) });
    return choices;
  }

  /** The chooser's entries for a search: the first CHOICES connections that match, or a line saying none does. */
  private async found(source: CaptureSource, text: string): Promise<NonNullable<DiagramView['choices']>> {
    const rows = await this.sources.find(source, text, CHOICES);
    if (rows.length === 0) return [{ key: '', label: vscode.l10n.t('no connection matches "{0}"', text) }];
    const more = rows.length === CHOICES ? [{ key: '', label: vscode.l10n.t('… the first {0} that match', CHOICES.toLocaleString()) }] : [];
    return [...rows.map((c) => choiceOf(source, c)), ...more];
  }

  async resolveCustomEditor(document: vscode.CustomDocument, editor: vscode.WebviewPanel): Promise<void> {
    const webview = editor.webview;
    webview.options = webviewOptions(this.extensionUri);
    webview.html = diagramHtml(webview, this.extensionUri);
    let source: CaptureSource | undefined;
    let ready = false;
    let shown: string | undefined;
    let choices: DiagramView['choices'];
    const post = (message: ToWebview) => void webview.postMessage(message);
    const showConnection = async (key?: string) => {
      if (!source || !ready) return;
      const asked = key?.startsWith(`${source.key}#`) ? Number(key.slice(source.key.length + 1)) : 1;
      const id = Number.isInteger(asked) && asked >= 1 && asked <= source.total ? asked : 1;
      if (source.total === 0) {
        // Nothing to draw: the editor says why, in words, where the diagram would be.
        post({ type: 'notice', notice: emptyNotice(source), outdated: false });
        return;
      }
      shown = `${source.key}#${id}`;
      const view = await this.sources.diagram(source, id);
      view.choices = choices = await this.choices(source, id);
      post({ type: 'show', view });
    };
    const load = async () => {
      source = await this.sources.open(document.uri);
      await showConnection(shown);
    };
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.joinPath(document.uri, '..'), globLiteral(document.uri.path.split('/').pop()!)));
    const subscriptions = [
      webview.onDidReceiveMessage((message: FromWebview) => {
        if (message.type === 'ready') {
          ready = true;
          void showConnection(shown);
        } else if (message.type === 'choose') {
          if (message.key) void showConnection(message.key);
        } else if (message.type === 'find' && source && shown) {
          const searched = source;
          const around = Number(shown.slice(searched.key.length + 1));
          void (message.text.trim() ? this.found(searched, message.text) : this.choices(searched, around)).then((list) => {
            if (source === searched) post({ type: 'choices', choices: list });
          });
        } else if (message.type === 'openAsText') {
          void openAsText(message.uri);
        } else if (message.type === 'turn' && shown) {
          const turned = shown;
          void this.sources.turn(turned, message.page, message.highlight).then((view) => {
            if (shown !== turned) return;
            view.choices = choices;
            post({ type: 'show', view });
          }, () => undefined);
        } else if (message.type === 'segmentClicked' && shown) {
          this.panel.onSegmentClicked.fire({ key: shown, segment: message.segment });
        }
      }),
      watcher,
      watcher.onDidChange(() => void load()),
      watcher.onDidDelete(() => editor.dispose()),
    ];
    editor.onDidDispose(() => subscriptions.forEach((s) => s.dispose()));
    await load();
  }
}

/** A connection as the chooser lists it: its id, endpoints and outcome, as the tree says them. */
function choiceOf(source: CaptureSource, c: ConnectionSummary): { key: string; label: string } {
  return { key: `${source.key}#${c.id}`, label: `#${c.id} ${c.client} → ${c.server} (${outcomeName(c.outcome)})` };
}

/** How many connections the chooser lists at a time. */
const CHOICES = 1_000;

export function registerCaptureEditor(context: vscode.ExtensionContext, sources: CaptureSources, panel: DiagramPanel): vscode.Disposable {
  return vscode.window.registerCustomEditorProvider('tcpviz.captureEditor', new CaptureEditorProvider(context.extensionUri, sources, panel), {
    supportsMultipleEditorsPerDocument: true,
  });
}

/** A file name as a glob pattern that matches just that name: each of the glob's special characters in brackets. */
export function globLiteral(name: string): string {
  return name.replace(/[[\]{}*?!,]/g, (c) => `[${c}]`);
}
