// The web's entry (package.json `browser`): the extension in VS Code for the Web's extension host, a Web Worker.
import type * as vscode from 'vscode';
import { activateOn, type TcpvizApi } from '../activate';
import { webPlatform } from './webPlatform';

export function activate(context: vscode.ExtensionContext): TcpvizApi {
  return activateOn(context, webPlatform(context.extensionUri));
}

export function deactivate(): void {}
