// What the suites that run inside an extension host (test/vscode in Node's, test/vscode-web in the Web Worker's)
// share: nothing here may need Node.
import * as vscode from 'vscode';
import type { TcpvizApi } from '../../src/extension/activate';

/** The extension's API (what activate returns), once it is active. */
export async function api(): Promise<TcpvizApi> {
  const extension = vscode.extensions.getExtension<TcpvizApi>('tcpviz.tcp-handshake-visualizer');
  if (!extension) throw new Error('the extension is not installed');
  return extension.activate();
}

/** The first true value `probe` gives, asked every 100 ms, or a failure after `ms`. */
export async function until<T>(what: string, probe: () => T | undefined | false, ms = 20000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
