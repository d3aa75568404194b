// The TCP Connections view's own commands: filter as you type, sort, group. The connections stay in each capture's
// worker, which makes the view (see worker/connectionView); the tree shows it.
import * as vscode from 'vscode';
import type { CaptureSources } from './captureSources';
import type { Node } from './connectionsTree';
import { isDefault, type GroupKey, type SortKey, type ViewOptions } from './worker/connectionView';

/** How long typing pauses before the view follows it. */
const TYPING_PAUSE_MS = 150;

function sortNames(): Record<SortKey, string> {
  return {
    start: vscode.l10n.t('start (as in the file)'), duration: vscode.l10n.t('duration'), packets: vscode.l10n.t('packets'),
    bytes: vscode.l10n.t('bytes'), anomalies: vscode.l10n.t('analysis flags and anomalies'),
  };
}

function groupNames(): Record<GroupKey, string> {
  return { none: vscode.l10n.t('none'), outcome: vscode.l10n.t('outcome'), server: vscode.l10n.t('server (address and port)') };
}

/** What the view's title says of its view: the filter, the order and the groups, or nothing for the default. */
function describe(view: ViewOptions): string | undefined {
  if (isDefault(view)) return undefined;
  const parts = [
    view.filter.trim() && vscode.l10n.t('filter: {0}', view.filter.trim()),
    view.sort !== 'start' && vscode.l10n.t('sorted by {0}', sortNames()[view.sort]),
    view.group !== 'none' && vscode.l10n.t('grouped by {0}', groupNames()[view.group]),
  ];
  return parts.filter(Boolean).join(' · ');
}

/** One of `names`' keys, chosen in a picker that marks the one in use. */
async function choose<K extends string>(names: Record<K, string>, current: K, title: string): Promise<K | undefined> {
  const items = (Object.keys(names) as K[]).map((key) => ({ label: names[key], key, description: key === current ? '✓' : '' }));
  return (await vscode.window.showQuickPick(items, { title }))?.key;
}

export function registerViewCommands(sources: CaptureSources, tree: vscode.TreeView<Node>): vscode.Disposable {
  const apply = (view: ViewOptions) => {
    sources.setView(view);
    tree.message = describe(view);
    void vscode.commands.executeCommand('setContext', 'tcpviz.filtered', view.filter.trim() !== '');
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand('tcpviz.filterConnections', (filter?: string) => {
      // A filter given (by a test, a keybinding's args) applies at once.
      if (typeof filter === 'string') return apply({ ...sources.view, filter });
      const box = vscode.window.createInputBox();
      box.title = vscode.l10n.t('Filter Connections');
      box.placeholder = vscode.l10n.t('address, port, outcome, state or #id; every word must match');
      box.value = sources.view.filter;
      let pause: ReturnType<typeof setTimeout> | undefined;
      box.onDidChangeValue((value) => {
        clearTimeout(pause);
        pause = setTimeout(() => apply({ ...sources.view, filter: value }), TYPING_PAUSE_MS);
      });
      box.onDidAccept(() => box.hide());
      box.onDidHide(() => {
        clearTimeout(pause);
        if (box.value !== sources.view.filter) apply({ ...sources.view, filter: box.value });
        box.dispose();
      });
      box.show();
      return undefined;
    }),
    vscode.commands.registerCommand('tcpviz.clearFilter', () => apply({ ...sources.view, filter: '' })),
    vscode.commands.registerCommand('tcpviz.sortConnections', async (sort?: SortKey) => {
      const chosen = sort ?? (await choose(sortNames(), sources.view.sort, vscode.l10n.t('Sort Connections By')));
      if (chosen && chosen in sortNames()) apply({ ...sources.view, sort: chosen });
    }),
    vscode.commands.registerCommand('tcpviz.groupConnections', async (group?: GroupKey) => {
      const chosen = group ?? (await choose(groupNames(), sources.view.group, vscode.l10n.t('Group Connections By')));
      if (chosen && chosen in groupNames()) apply({ ...sources.view, group: chosen });
    }),
  );
}
