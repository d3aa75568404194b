import * as vscode from 'vscode';

/**
 * Links that open the panel at a step (`tcpviz.showStep`). A link names its source so that it still works in another
 * clone of the same workspace: a lesson by its name, a file by its path in the workspace (its URI outside it).
 */
export function stepSourceName(key: string, uri: vscode.Uri): string {
  if (key.startsWith('tcpviz-scenario:')) return key.slice('tcpviz-scenario:'.length);
  return vscode.workspace.getWorkspaceFolder(uri) ? vscode.workspace.asRelativePath(uri, false) : uri.toString();
}

/** The command URI of a step, as text (`command:tcpviz.showStep?<its arguments as JSON, URI-encoded>`). */
export function stepTarget(source: string, connection: number, packet: number): string {
  return `command:tcpviz.showStep?${encodeURIComponent(JSON.stringify({ source, connection, packet }))}`;
}

/** A Markdown link to a step, for notes and lesson plans (Copy Link to Step). */
export function stepLink(source: string, connection: number, packet: number, label: string): string {
  return `[${label}](${stepTarget(source, connection, packet)})`;
}

/** What a scenario's comments may link, at most: a hostile file with a million `#1`s costs no more than this. */
const MAX_LINES = 10_000;
const MAX_LINE_LENGTH = 2_000;
const MAX_LINKS = 1_000;

/**
 * The links in a scenario's comments: `#7` is this scenario's packet 7 (as its diagram numbers them), and a link to a
 * step pasted from Copy Link to Step (`[label](command:tcpviz.showStep?…)`, or the bare URI) opens that step.
 */
export function scenarioCommentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
  const name = stepSourceName(document.uri.toString(), document.uri);
  const links: vscode.DocumentLink[] = [];
  for (let line = 0; line < Math.min(document.lineCount, MAX_LINES) && links.length < MAX_LINKS; line++) {
    const text = document.lineAt(line).text.slice(0, MAX_LINE_LENGTH);
    const comment = text.indexOf('#');
    if (comment < 0) continue;
    // A pasted link first, then packet numbers outside it (the `#7` in its label belongs to the link).
    const pattern = /\[[^\]\n]*\]\((command:tcpviz\.showStep\?[^)\s]+)\)|(command:tcpviz\.showStep\?\S+)|#(\d{1,9})\b/g;
    pattern.lastIndex = comment + 1; // the comment's own `#` starts no packet number
    for (let match = pattern.exec(text); match && links.length < MAX_LINKS; match = pattern.exec(text)) {
      const range = new vscode.Range(line, match.index, line, match.index + match[0].length);
      const packet = match[3] === undefined ? undefined : Number(match[3]);
      if (packet === undefined) {
        links.push(new vscode.DocumentLink(range, vscode.Uri.parse(match[1] ?? match[2]!)));
      } else if (packet > 0) {
        const link = new vscode.DocumentLink(range, vscode.Uri.parse(stepTarget(name, 1, packet)));
        link.tooltip = vscode.l10n.t('Show the diagram at packet #{0}', packet);
        links.push(link);
      }
    }
  }
  return links;
}
