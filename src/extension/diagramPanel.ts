import * as vscode from 'vscode';
import type { DiagramView, FromWebview, Notice, ToWebview } from '../shared/protocol';

/**
 * The diagram beside the editor: one webview panel, Mermaid bundled with the extension, a Content Security Policy
 * with a nonce. The page says `ready` before it gets anything.
 */
export class DiagramPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  /** Settles when the page has said it is ready (again for each new page). */
  private whenReady: Promise<void> = Promise.resolve();
  private becameReady: () => void = () => undefined;
  private view: DiagramView | undefined;
  private notice: { notice: Notice; outdated: boolean } | undefined;
  private readonly received = new vscode.EventEmitter<FromWebview>();
  /** Messages from the page (tests and the export command listen). */
  readonly onMessage = this.received.event;
  readonly onSegmentClicked = new vscode.EventEmitter<{ key: string; segment: number }>();

  /** `turn` gives another page of the diagram on show (the others stay where it was made). */
  constructor(private readonly extensionUri: vscode.Uri,
    private readonly turn: (key: string, page: number, highlight: number) => Promise<DiagramView>) {}

  get current(): DiagramView | undefined {
    return this.view;
  }

  show(view: DiagramView): void {
    this.view = view;
    this.notice = undefined;
    this.open();
    this.panel!.title = vscode.l10n.t('TCP diagram {0}', view.title);
    if (this.ready) this.post({ type: 'show', view });
  }

  /**
   * Opens the panel, if there is none, saying that `label` is being read: VS Code takes seconds to prepare a new panel
   * the first time, and it does so while the file is read rather than after. A panel already open is left as it is.
   */
  prepare(label: string): void {
    if (!this.panel) this.showNotice({ kind: 'info', text: vscode.l10n.t('Reading {0}', label) });
  }

  /**
   * A message in the panel: instead of a diagram, or (`outdated`) above the diagram on show, which stays, marked out of
   * date (a scenario being typed).
   */
  showNotice(notice: Notice, outdated = false): void {
    if (!outdated || !this.view) this.view = undefined;
    this.notice = { notice, outdated: outdated && this.view !== undefined };
    this.open();
    if (!this.view) this.panel!.title = vscode.l10n.t('TCP diagram');
    if (this.ready) this.post({ type: 'notice', ...this.notice });
  }

  /**
   * The panel, made if there is none, and shown where it is; beside the editor being typed in if it would hide it (a
   * scenario previewed as it is typed, a link to a step followed in a note). That one is made anew beside it rather
   * than moved there: VS Code reveals a panel in another group as a preview tab, which the next file previewed in that
   * group replaces (the panel lost by a single click in the explorer).
   */
  private open(): void {
    const covers = this.panel?.viewColumn !== undefined && this.panel.viewColumn === vscode.window.activeTextEditor?.viewColumn;
    if (covers) {
      const old = this.panel!;
      this.panel = undefined;
      old.dispose();
    }
    if (this.panel) this.panel.reveal(undefined, true);
    else this.create();
  }

  post(message: ToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  /**
   * Asks the page to draw `pages` (Mermaid text) as SVG texts or PNG data URLs, one per page, once it is ready (a panel
   * just opened loads Mermaid first). An error from the page is reported as soon as it comes.
   */
  async exportImages(format: 'svg' | 'png', pages: string[]): Promise<string[]> {
    if (!this.panel) throw new Error(vscode.l10n.t('No diagram is open.'));
    await this.whenReady;
    const answer = new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(vscode.l10n.t('The diagram did not answer.')));
      }, 15000 + 2000 * pages.length);
      const sub = this.onMessage((m) => {
        if (m.type !== 'exported' || m.format !== format) return;
        clearTimeout(timer);
        sub.dispose();
        if (m.data) resolve(m.data);
        else reject(new Error(m.error ?? 'no image'));
      });
    });
    this.post({ type: 'export', format, pages });
    return answer;
  }

  private create(): void {
    this.panel = vscode.window.createWebviewPanel('tcpviz.diagram', vscode.l10n.t('TCP diagram'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(this.extensionUri));
    this.ready = false;
    this.whenReady = new Promise((resolve) => (this.becameReady = resolve));
    const webview = this.panel.webview;
    webview.html = diagramHtml(webview, this.extensionUri);
    webview.onDidReceiveMessage((message: FromWebview) => {
      if (message.type === 'ready') {
        this.ready = true;
        this.becameReady();
        if (this.view) this.post({ type: 'show', view: this.view });
        if (this.notice) this.post({ type: 'notice', ...this.notice });
      } else if (message.type === 'leaveCompare' && this.view?.compare) {
        this.show({ ...this.view, compare: undefined });
      } else if (message.type === 'turn' && this.view) {
        const key = this.view.key;
        this.turn(key, message.page, message.highlight).then((view) => {
          if (this.view?.key !== key) return;
          this.view = view;
          this.post({ type: 'show', view });
        }, (e) => this.received.fire({ type: 'error', message: String(e) }));
      } else if (message.type === 'openAsText') {
        void openAsText(message.uri);
      } else if (message.type === 'segmentClicked' && this.view) {
        this.view.highlight = message.segment;
        this.onSegmentClicked.fire({ key: this.view.key, segment: message.segment });
      } else if (message.type === 'stepped' && this.view) {
        // Kept, so that the diagram drawn again (a setting changed) comes back at this step.
        this.view.highlight = message.segment;
      }
      this.received.fire(message);
    });
    const panel = this.panel;
    panel.onDidDispose(() => {
      if (this.panel !== panel) return; // replaced by a new one (see open)
      this.panel = undefined;
      this.view = undefined;
      this.ready = false;
    });
  }

  dispose(): void {
    this.panel?.dispose();
    this.received.dispose();
    this.onSegmentClicked.dispose();
  }
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
}

/** The diagram page: the bundled script and style, under a Content Security Policy that allows nothing else. */
export function diagramHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const media = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  // A nonce nobody can guess: from the platform's cryptographic random source (Node's and the browser's alike).
  const nonce = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'diagram.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'diagram.css'));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // Mermaid's SVG carries inline styles.
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>TCP diagram</title></head>
<body>
<header id="toolbar">
  <input id="find" type="search" hidden placeholder="${vscode.l10n.t('Find: address, port, outcome, state, #id')}" aria-label="${vscode.l10n.t('Find a connection')}">
  <select id="choices" hidden></select>
  <span id="title"></span>
  <button id="prev" title="${vscode.l10n.t('Previous page')}">‹</button><span id="pageLabel"></span><button id="next" title="${vscode.l10n.t('Next page')}">›</button>
  <button id="compare" hidden title="${vscode.l10n.t('Play this scenario under two profiles and draw them side by side')}">${vscode.l10n.t('Compare…')}</button>
  <button id="zoomOut" title="${vscode.l10n.t('Zoom out (−)')}">−</button><button id="zoomReset" title="${vscode.l10n.t('Actual size (0)')}">100%</button><button id="zoomIn" title="${vscode.l10n.t('Zoom in (+)')}">+</button><button id="fit" title="${vscode.l10n.t('Fit width (W)')}">↔</button>
</header>
<div id="legend" hidden></div>
<div id="steps" role="toolbar" aria-label="${vscode.l10n.t('Step through the connection')}">
  <button id="stepFirst" title="${vscode.l10n.t('First step (Home)')}">|◀</button><button id="stepPrevious" title="${vscode.l10n.t('Previous step (←)')}">◀</button><button id="stepPlay" aria-pressed="false" title="${vscode.l10n.t('Play or pause (Space)')}">▷</button><button id="stepNext" title="${vscode.l10n.t('Next step (→)')}">▶</button><button id="stepLast" title="${vscode.l10n.t('Last step (End)')}">▶|</button>
  <select id="stepSpeed" aria-label="${vscode.l10n.t('Speed')}"><option value="2000">${vscode.l10n.t('slow (2 s)')}</option><option value="1000" selected>${vscode.l10n.t('1 step a second')}</option><option value="500">${vscode.l10n.t('fast (0.5 s)')}</option></select>
  <span id="stepCounter" aria-live="polite"></span>
  <button id="stepPredict" aria-pressed="false" title="${vscode.l10n.t('Predict each state before it is shown; scored')}">${vscode.l10n.t('Predict')}</button><button id="stepArrow" title="${vscode.l10n.t('Ask which arrow moves an endpoint out of its state; click the arrow to answer')}">${vscode.l10n.t('Which arrow?')}</button><span id="quizScore"></span><button id="stepLeave" title="${vscode.l10n.t('Leave step mode (Esc)')}">✕</button>
</div>
<div id="stepText" role="status" aria-live="polite" hidden></div>
<div id="quiz" hidden><div data-side="client"><span>${vscode.l10n.t('client')}</span></div><div data-side="server"><span>${vscode.l10n.t('server')}</span></div></div>
<details id="explanation" open hidden><summary>${vscode.l10n.t('About this lesson')}</summary><p id="explanationText"></p><p id="osNote"><strong>${vscode.l10n.t('Where operating systems differ:')}</strong> <span id="osNoteText"></span></p></details>
<div id="compareBar" role="status"><span>${vscode.l10n.t('Side by side: the same scenario, each column as one profile plays it.')}</span> <button id="compareLeave">${vscode.l10n.t('Back to one diagram')}</button></div>
<div id="notice" role="status" hidden><span id="noticeText"></span> <button id="openAsText" hidden>${vscode.l10n.t('Open as Text')}</button></div>
<main id="viewport"><div id="diagram"></div></main>
<div id="details" hidden></div>
<div id="error" hidden></div>
<script nonce="${nonce}" src="${script}"></script>
</body></html>`;
}

/** Opens a file that is not a capture in VS Code's text editor (the capture editor is its default). */
export function openAsText(uri: string): Thenable<unknown> {
  return vscode.commands.executeCommand('vscode.openWith', vscode.Uri.parse(uri), 'default');
}
