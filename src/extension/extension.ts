// The desktop's entry (package.json `main`): the extension in VS Code's Node extension host.
import type * as vscode from 'vscode';
import { activateOn, type TcpvizApi } from './activate';
import { nodePlatform } from './node/nodePlatform';

export type { TcpvizApi } from './activate';

export function activate(context: vscode.ExtensionContext): TcpvizApi {
  return activateOn(context, nodePlatform(context.extensionUri));
}

export function deactivate(): void {}
