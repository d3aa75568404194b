import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { HostPlatform, ParserPort } from '../platform';
import type { FromWorker } from '../worker/protocol';

/**
 * The desktop: each source is read by a Node worker thread (dist/extension/captureWorker.js), which opens a local file
 * itself, by path, in chunks; a file of a virtual file system is read by VS Code and handed over.
 */
export function nodePlatform(extensionUri: vscode.Uri): HostPlatform {
  const script = vscode.Uri.joinPath(extensionUri, 'dist', 'extension', 'captureWorker.js').fsPath;
  return {
    kind: 'node',
    startParser(): ParserPort {
      const worker = new Worker(script);
      return {
        post: (message) => worker.postMessage(message),
        onMessage: (listener) => worker.on('message', (message: FromWorker) => listener(message)),
        onError: (listener) => worker.on('error', listener),
        onExit: (listener) => worker.on('exit', listener),
        terminate: () => void worker.terminate(),
        runsIn: () => 'worker',
      };
    },
    async openMessage(uri, _size, msl) {
      if (uri.scheme === 'file') return { type: 'open', path: uri.fsPath, msl };
      return { type: 'openBytes', bytes: await vscode.workspace.fs.readFile(uri), msl };
    },
  };
}
