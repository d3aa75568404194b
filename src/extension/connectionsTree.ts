import { faultText } from '../core/capture/record';
import { skippedCauses, type SkipCause } from '../core/report/skipped';
import * as vscode from 'vscode';
import type { HistoryEntry } from '../core/tcp/segment';
import { stateExplanation } from '../core/tcp/stateExplanations';
import type { CaptureSource, CaptureSources } from './captureSources';
import { isDefault, type ViewGroup } from './worker/connectionView';
import type { ConnectionSummary as Connection } from './worker/protocol';

export type Node =
  | { kind: 'source'; source: CaptureSource }
  /** A group of the tree's view (an outcome, a server): its rows. */
  | { kind: 'bucket'; source: CaptureSource; group: ViewGroup }
  /** A range of rows, where there are too many to list at once. */
  | { kind: 'group'; source: CaptureSource; first: number; last: number }
  | { kind: 'connection'; source: CaptureSource; connection: Connection }
  | { kind: 'endpoint'; source: CaptureSource; connection: Connection; side: 'client' | 'server' }
  | { kind: 'state'; source: CaptureSource; connection: Connection; side: 'client' | 'server'; entry: HistoryEntry; index: number };

/**
 * No level of the tree lists more rows than this: a capture with more connections lists them in groups, groups of
 * groups past 10,000, and so on (a level of 20,000 rows stalled the window; a million connections make three levels).
 */
const GROUP_SIZE = 100;

/** How many connections each row under a range of `count` holds: 1 (the connections themselves) or a power of GROUP_SIZE. */
function spanOf(count: number): number {
  let span = 1;
  while (count / span > GROUP_SIZE) span *= GROUP_SIZE;
  return span;
}

/** The rows under the view's rows `first`..`last` (from 0): ranges, or the connections from the worker. */
function rowsOf(sources: CaptureSources, source: CaptureSource, first: number, last: number): Node[] | Promise<Node[]> {
  const span = spanOf(last - first + 1);
  if (span === 1) {
    return sources.rows(source, first, last, true).then((rows) => rows.map((connection): Node => ({ kind: 'connection', source, connection })));
  }
  const groups: Node[] = [];
  for (let i = first; i <= last; i += span) groups.push({ kind: 'group', source, first: i, last: Math.min(last, i + span - 1) });
  return groups;
}

/** The view's group that holds row `index`, if the view has groups. */
function bucketOf(source: CaptureSource, index: number): Extract<Node, { kind: 'bucket' }> | undefined {
  const group = source.groups.find((g) => g.first <= index && index < g.first + g.count);
  return group && { kind: 'bucket', source, group };
}

/** The ranges that hold row `index` (within its view's group, if any), outermost first. */
function groupsAround(source: CaptureSource, index: number): Array<Extract<Node, { kind: 'group' }>> {
  const chain: Array<Extract<Node, { kind: 'group' }>> = [];
  const bucket = bucketOf(source, index)?.group;
  let first = bucket ? bucket.first : 0;
  let last = bucket ? bucket.first + bucket.count - 1 : source.count - 1;
  for (let span = spanOf(last - first + 1); span > 1; span = spanOf(last - first + 1)) {
    first += Math.floor((index - first) / span) * span;
    last = Math.min(last, first + span - 1);
    chain.push({ kind: 'group', source, first, last });
  }
  return chain;
}

/** A state row's id: its connection's key, the side and the entry's place in that side's history. */
export function stateId(source: CaptureSource, connectionId: number, side: 'client' | 'server', index: number): string {
  return `${source.key}#${connectionId}/${side}/${index}`;
}

/** A connection's outcome in the user's language. */
export function outcomeName(outcome: string): string {
  const names: Record<string, string> = {
    complete: vscode.l10n.t('complete'), reset: vscode.l10n.t('reset'), refused: vscode.l10n.t('refused'),
    unanswered: vscode.l10n.t('unanswered'), 'half-open': vscode.l10n.t('half-open'), open: vscode.l10n.t('open'),
    midstream: vscode.l10n.t('midstream'),
  };
  return names[outcome] ?? outcome;
}

const OUTCOME_ICONS: Record<string, string> = {
  complete: 'pass', reset: 'error', refused: 'circle-slash', unanswered: 'question', 'half-open': 'warning', open: 'plug', midstream: 'debug-step-over',
};

/** "TCP Connections": each capture → its connections → each endpoint → its state history. */
export class ConnectionsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** The state rows given to the tree, by id: a row is told to change by the very object it was given as. */
  private readonly states = new Map<string, Node>();
  /** The state rows marked as the diagram's highlighted segment's (see mark). */
  private marked = new Set<string>();

  constructor(private readonly sources: CaptureSources) {
    this.subscription = sources.onDidChange(() => {
      this.states.clear();
      this.changed.fire(undefined);
    });
  }

  getChildren(node?: Node): Node[] | Promise<Node[]> {
    if (!node) return this.sources.list().map((source) => ({ kind: 'source', source }));
    switch (node.kind) {
      case 'source':
        if (node.source.groups.length > 0) return node.source.groups.map((group): Node => ({ kind: 'bucket', source: node.source, group }));
        return rowsOf(this.sources, node.source, 0, node.source.count - 1);
      case 'bucket':
        return rowsOf(this.sources, node.source, node.group.first, node.group.first + node.group.count - 1);
      case 'group':
        return rowsOf(this.sources, node.source, node.first, node.last);
      case 'connection':
        return (['client', 'server'] as const).map((side) => ({ kind: 'endpoint', source: node.source, connection: node.connection, side }));
      case 'endpoint':
        return this.sources.histories(node.source, node.connection.id).then((histories) =>
          histories[node.side].map((entry, index): Node => {
            const row: Node = { ...node, kind: 'state', entry, index };
            this.states.set(stateId(node.source, node.connection.id, node.side, index), row);
            return row;
          }));
      default:
        return [];
    }
  }

  getParent(node: Node): Node | undefined {
    switch (node.kind) {
      case 'bucket':
        return { kind: 'source', source: node.source };
      case 'group': {
        const chain = groupsAround(node.source, node.first);
        const at = chain.findIndex((g) => g.first === node.first && g.last === node.last);
        return at > 0 ? chain[at - 1] : bucketOf(node.source, node.first) ?? { kind: 'source', source: node.source };
      }
      case 'connection':
        // Where the view has it (a connection the filter leaves out has no parent in the tree).
        if (node.connection.row < 0) return { kind: 'source', source: node.source };
        return groupsAround(node.source, node.connection.row).at(-1) ?? bucketOf(node.source, node.connection.row) ?? { kind: 'source', source: node.source };
      case 'endpoint':
        return { kind: 'connection', source: node.source, connection: node.connection };
      case 'state':
        return { kind: 'endpoint', source: node.source, connection: node.connection, side: node.side };
      default:
        return undefined;
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.kind) {
      case 'source': {
        const item = new vscode.TreeItem(node.source.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.source.key;
        const errors = node.source.head?.errors.length ?? 0;
        const { count, total } = node.source;
        const shown = count < total ? vscode.l10n.t('{0} of {1} connections', count.toLocaleString(), total.toLocaleString())
          : total === 1 ? vscode.l10n.t('1 connection') : vscode.l10n.t('{0} connections', total.toLocaleString());
        const marks = [...(errors ? [vscode.l10n.t('damaged')] : []), ...(node.source.head?.cancelled ? [vscode.l10n.t('cancelled')] : [])];
        item.description = node.source.reading ? vscode.l10n.t('reading…') : [shown, ...marks].join(' · ');
        const head = node.source.head;
        item.tooltip = [
          ...(head?.errors.map((e) => (head.format ? faultText(e) : e.message)) ?? []),
          ...(head ? skippedCauses(head.decode).map(skippedLine) : []),
        ].join('\n') || node.source.uri.fsPath;
        item.iconPath = new vscode.ThemeIcon(errors ? 'warning' : 'file-binary');
        item.contextValue = 'tcpviz:source';
        return item;
      }
      case 'bucket': {
        const { group } = node;
        const name = group.merged ? vscode.l10n.t('{0} more servers', group.merged)
          : this.sources.view.group === 'outcome' ? outcomeName(group.name) : group.name;
        const item = new vscode.TreeItem(name, collapsed);
        item.id = `${node.source.key}#in:${group.merged ? '*' : group.name}`;
        item.description = group.count === 1 ? vscode.l10n.t('1 connection') : vscode.l10n.t('{0} connections', group.count.toLocaleString());
        item.iconPath = new vscode.ThemeIcon(this.sources.view.group === 'outcome' ? OUTCOME_ICONS[group.name] ?? 'circle-outline' : 'server');
        item.contextValue = 'tcpviz:bucket';
        return item;
      }
      case 'group': {
        // Rows are numbered from 1 in the view's order: in the file's, they are the connections' ids; filtered or
        // sorted, they are not (#100000 can be the first row), and the range says rows.
        const range = isDefault(this.sources.view) ? vscode.l10n.t('connections {0}–{1}', node.first + 1, node.last + 1)
          : vscode.l10n.t('rows {0}–{1}', node.first + 1, node.last + 1);
        const item = new vscode.TreeItem(range,
          node.first === 0 ? vscode.TreeItemCollapsibleState.Expanded : collapsed);
        item.id = `${node.source.key}#group${node.first}-${node.last}`;
        item.iconPath = new vscode.ThemeIcon('list-tree');
        item.contextValue = 'tcpviz:group';
        return item;
      }
      case 'connection': {
        const c = node.connection;
        // The id first: the command line and the exports name a connection by it.
        const item = new vscode.TreeItem(`#${c.id} ${c.client} → ${c.server}`, collapsed);
        item.id = `${node.source.key}#${c.id}`;
        const duration = Number.isFinite(c.duration) ? `${c.duration.toFixed(3)} s` : '';
        const packets = c.packets === 1 ? vscode.l10n.t('{0} · 1 packet', outcomeName(c.outcome)) : vscode.l10n.t('{0} · {1} packets', outcomeName(c.outcome), c.packets);
        item.description = packets + (duration ? ` · ${duration}` : '');
        const counts = Object.entries(c.analysisCounts).map(([flag, n]) => `${flag.replace(/_/g, ' ')}: ${n}`);
        item.tooltip = [
          c.title ? `#${c.id} ${c.title}` : `#${c.id} ${c.client} → ${c.server}`,
          vscode.l10n.t('outcome: {0}', outcomeName(c.outcome)),
          vscode.l10n.t('client → server: {0} packets, {1} bytes', c.toServer.packets, c.toServer.bytes),
          vscode.l10n.t('server → client: {0} packets, {1} bytes', c.toClient.packets, c.toClient.bytes),
          duration && vscode.l10n.t('duration: {0}', duration),
          c.via ? vscode.l10n.t('inside: {0}', c.via) : '',
          c.handshakeRtt !== undefined ? vscode.l10n.t('handshake round trip: {0} ms', (c.handshakeRtt * 1000).toFixed(3)) : '',
          ...counts,
          c.anomalies > 0 ? vscode.l10n.t('anomalies (segments the model cannot explain): {0}', c.anomalies) : '',
        ].filter(Boolean).join('\n');
        item.iconPath = new vscode.ThemeIcon(OUTCOME_ICONS[c.outcome] ?? 'circle-outline');
        item.contextValue = 'tcpviz:connection';
        item.command = { command: 'tcpviz.showDiagram', title: vscode.l10n.t('Show Diagram'), arguments: [node] };
        return item;
      }
      case 'endpoint': {
        const c = node.connection;
        const label = node.side === 'client' ? c.client : c.server;
        const item = new vscode.TreeItem(label, collapsed);
        item.id = `${node.source.key}#${c.id}/${node.side}`;
        item.description = `${node.side === 'client' ? vscode.l10n.t('client') : vscode.l10n.t('server')} · ${c.states[node.side]}`;
        item.iconPath = new vscode.ThemeIcon(node.side === 'client' ? 'arrow-right' : 'server');
        item.contextValue = 'tcpviz:endpoint';
        return item;
      }
      case 'state': {
        const { entry, connection } = node;
        const item = new vscode.TreeItem(entry.state, vscode.TreeItemCollapsibleState.None);
        item.id = stateId(node.source, connection.id, node.side, node.index);
        const since = entry.time !== null && Number.isFinite(connection.firstTime) ? entry.time - connection.firstTime : NaN;
        // A change on sending can lie a little before the first segment was captured (half a round trip).
        const offset = Number.isFinite(since) ? `${since < 0 ? '−' : '+'}${Math.abs(since).toFixed(6)} s` : '';
        const cause = entry.packet !== null ? `#${entry.packet}` : '';
        // Why, before when: at the sidebar's usual width the end of the line is cut off.
        item.description = [[cause, entry.reason].filter(Boolean).join(' '), offset].filter(Boolean).join(' · ');
        item.tooltip = new vscode.MarkdownString(`**${entry.state}** — ${vscode.l10n.t(stateExplanation(entry.state))}\n\n${entry.reason}`);
        // The rows of the highlighted segment carry the debugger's "current step" arrow (more than a colour).
        item.iconPath = this.marked.has(item.id)
          ? new vscode.ThemeIcon('debug-stackframe', new vscode.ThemeColor('debugIcon.breakpointCurrentStackframeForeground'))
          : new vscode.ThemeIcon('debug-stackframe-dot');
        item.contextValue = 'tcpviz:state';
        item.command = { command: 'tcpviz.showDiagram', title: vscode.l10n.t('Show Diagram'), arguments: [node] };
        return item;
      }
    }
  }

  /**
   * Marks the state rows `ids` as those of the segment highlighted in the diagram (the states it caused, or the states
   * the endpoints were in as it passed): the tree selects one row, and a segment can have two.
   */
  mark(ids: string[]): void {
    const rows = [...this.marked, ...ids].map((id) => this.states.get(id)).filter((row): row is Node => row !== undefined);
    this.marked = new Set(ids);
    if (rows.length > 0) this.changed.fire([...new Set(rows)]);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Why frames were left out, in the user's language. */
function skippedLine(c: SkipCause): string {
  switch (c.cause) {
    case 'fragments': return vscode.l10n.t('{0} IP fragments not read: their datagram never completed', c.count.toLocaleString());
    case 'malformed': return vscode.l10n.t('{0} malformed packets not read', c.count.toLocaleString());
    case 'linkType': return vscode.l10n.t('{0} packets of link type {1}, which is not read', c.count.toLocaleString(), c.what ?? '');
    case 'unread': return vscode.l10n.t('{0} packets not read: {1}', c.count.toLocaleString(), vscode.l10n.t(c.what ?? ''));
  }
}
