import * as vscode from 'vscode';
import { CaptureSources } from './captureSources';
import { registerCommands } from './commands';
import { ConnectionsTree, type Node } from './connectionsTree';
import { DiagramPanel } from './diagramPanel';
import { registerCaptureEditor } from './captureEditor';
import type { HostPlatform } from './platform';
import { registerScenarioEditor } from './scenarioEditor';
import { registerViewCommands } from './viewCommands';

/** What activate() returns: the state tests look at. */
export interface TcpvizApi {
  sources: CaptureSources;
  panel: DiagramPanel;
  tree: vscode.TreeView<Node>;
  provider: ConnectionsTree;
}

/** The extension, the same on the desktop and on the web but for `platform`. */
export function activateOn(context: vscode.ExtensionContext, platform: HostPlatform): TcpvizApi {
  const sources = new CaptureSources(platform);
  const provider = new ConnectionsTree(sources);
  const tree = vscode.window.createTreeView('tcpviz.connections', { treeDataProvider: provider, showCollapseAll: true });
  const panel = new DiagramPanel(context.extensionUri, (key, page, highlight) => sources.turn(key, page, highlight));
  context.subscriptions.push(sources, tree, panel, registerCommands(sources, tree, provider, panel),
    registerViewCommands(sources, tree), registerCaptureEditor(context, sources, panel), registerScenarioEditor(sources, panel));
  return { sources, panel, tree, provider };
}
