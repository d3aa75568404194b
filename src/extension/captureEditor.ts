import * as vscode from 'vscode';
import type { FromWebview, ToWebview } from '../shared/protocol';
import type { CaptureSource, CaptureSources } from './captureSources';
import { diagramHtml, webviewOptions, type DiagramPanel } from './diagramPanel';

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

  async resolveCustomEditor(document: vscode.CustomDocument, editor: vscode.WebviewPanel): Promise<void> {
    const webview = editor.webview;
    webview.options = webviewOptions(this.extensionUri);
    webview.html = diagramHtml(webview, this.extensionUri);
    let source: CaptureSource | undefined;
    let ready = false;
    let shown: string | undefined;
    const post = (message: ToWebview) => void webview.postMessage(message);
    const showConnection = async (key?: string) => {
      if (!source || !ready) return;
      const connection = source.connections.find((c) => `${source!.key}#${c.id}` === key) ?? source.connections[0];
      if (!connection) return;
      shown = `${source.key}#${connection.id}`;
      const view = await this.sources.diagram(source, connection.id);
      view.choices = source.connections.map((c) => ({ key: `${source!.key}#${c.id}`, label: `#${c.id} ${c.client} → ${c.server} (${c.outcome})` }));
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
          void showConnection(message.key);
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

export function registerCaptureEditor(context: vscode.ExtensionContext, sources: CaptureSources, panel: DiagramPanel): vscode.Disposable {
  return vscode.window.registerCustomEditorProvider('tcpviz.captureEditor', new CaptureEditorProvider(context.extensionUri, sources, panel), {
    supportsMultipleEditorsPerDocument: true,
  });
}

/** A file name as a glob pattern that matches just that name: each of the glob's special characters in brackets. */
export function globLiteral(name: string): string {
  return name.replace(/[[\]{}*?!,]/g, (c) => `[${c}]`);
}
