import * as vscode from 'vscode';
import { ScenarioError } from '../core/scenario/ast';
import { builtinScenario } from '../core/scenario/builtins';
import { parseScenario } from '../core/scenario/parse';
import { stateExplanation } from '../core/tcp/stateExplanations';
import { TCP_STATES, type TcpState } from '../core/tcp/states';
import { emptyNotice, type CaptureSources } from './captureSources';
import type { DiagramPanel } from './diagramPanel';
import { scenarioCommentLinks } from './stepLinks';

export const SCENARIO_LANGUAGE = 'tcp-scenario';

const KEYWORD_HELP: Record<string, string> = {
  endpoint: 'Declares one of the two endpoints: `endpoint NAME [ADDRESS:PORT]`.',
  delay: 'One-way network delay: `delay 20ms` both ways, or `delay A -> B 5ms`.',
  wait: 'Lets time pass: `wait 500ms`, `wait 1.5s`, `wait 2msl` (TIME_WAIT\'s length).',
  lose: 'The next segment from an endpoint (with these flags) is lost: `lose next A FIN`.',
  duplicate: 'The next segment from an endpoint arrives twice.',
  reorder: 'The next segment from an endpoint arrives after the one it sends next.',
  inject: 'A hand-made segment: `inject A RST seq=+100` (numbers relative to A\'s next ones) or `seq=12345`.',
  listen: 'A passive open: CLOSED → LISTEN.',
  connect: 'An active open: sends SYN, CLOSED → SYN_SENT.',
  send: 'Queues bytes to send: `A send 1000`.',
  shutdown: 'Closes the sending side (sends FIN); data can still arrive (half-close).',
  close: 'Closes the connection: sends FIN when all data is sent.',
  abort: 'Aborts: sends RST and goes to CLOSED at once.',
};

/** Diagnostics as you type, hover help, links to steps in comments, a new-scenario template, and a live preview of the diagram. */
export function registerScenarioEditor(sources: CaptureSources, panel: DiagramPanel): vscode.Disposable {
  const diagnostics = vscode.languages.createDiagnosticCollection(SCENARIO_LANGUAGE);
  const previewed = new Set<string>();
  /** The document version each preview last started for: a preview overtaken by a newer one shows nothing. */
  const latest = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const check = (document: vscode.TextDocument) => {
    if (document.languageId !== SCENARIO_LANGUAGE) return;
    const { errors } = parseScenario(document.getText());
    diagnostics.set(document.uri, errors.map((e: ScenarioError) => {
      const line = document.lineAt(Math.min(e.at.line, document.lineCount) - 1);
      const start = new vscode.Position(line.lineNumber, Math.min(e.at.column - 1, line.text.length));
      const word = document.getWordRangeAtPosition(start, /[^\s&#]+/);
      return new vscode.Diagnostic(word ?? new vscode.Range(start, start), e.detail, vscode.DiagnosticSeverity.Error);
    }));
  };

  const preview = async (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    previewed.add(key);
    const version = document.version;
    latest.set(key, version);
    const source = await sources.openScenario(key, document.uri.path.split('/').pop() ?? key, document.getText());
    if (latest.get(key) !== version) return;
    const first = await sources.connection(source, 1);
    if (first) {
      panel.show(await sources.diagram(source, first.id));
    } else {
      // A mistake while typing: the squiggle says where, the panel keeps the last good diagram and says it is out of
      // date (no notification on every keystroke).
      const stale = panel.current?.key.startsWith(`${key}#`) ?? false;
      const notice = emptyNotice(source);
      panel.showNotice(stale ? { ...notice, text: vscode.l10n.t('Out of date — {0}', notice.text) } : notice, stale);
    }
  };

  // Scenario documents already open when the extension starts get their diagnostics too.
  vscode.workspace.textDocuments.forEach(check);
  return vscode.Disposable.from(
    diagnostics,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((event) => {
      check(event.document);
      // The preview follows the text as you type, a moment after you stop.
      if (!previewed.has(event.document.uri.toString())) return;
      clearTimeout(timer);
      timer = setTimeout(() => void preview(event.document), 300);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      diagnostics.delete(document.uri);
      previewed.delete(document.uri.toString());
    }),
    vscode.languages.registerHoverProvider(SCENARIO_LANGUAGE, {
      provideHover(document, position) {
        const range = document.getWordRangeAtPosition(position, /[A-Za-z_0-9]+/);
        if (!range) return undefined;
        const word = document.getText(range);
        if ((TCP_STATES as readonly string[]).includes(word)) {
          return new vscode.Hover(new vscode.MarkdownString(`**${word}** — ${vscode.l10n.t(stateExplanation(word as TcpState))}`), range);
        }
        const help = KEYWORD_HELP[word];
        return help ? new vscode.Hover(new vscode.MarkdownString(help), range) : undefined;
      },
    }),
    vscode.languages.registerDocumentLinkProvider(SCENARIO_LANGUAGE, { provideDocumentLinks: scenarioCommentLinks }),
    vscode.commands.registerCommand('tcpviz.newScenario', async () => {
      const content = builtinScenario('four-way-close')!.text;
      const document = await vscode.workspace.openTextDocument({ language: SCENARIO_LANGUAGE, content });
      await vscode.window.showTextDocument(document);
      return document;
    }),
    vscode.commands.registerCommand('tcpviz.previewScenario', async (uri?: vscode.Uri) => {
      const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (document?.languageId === SCENARIO_LANGUAGE) await preview(document);
    }),
  );
}
