import * as vscode from 'vscode';
import type { HostPlatform, ParserPort } from '../platform';
import type { FromWorker, ToWorker } from '../worker/protocol';
import { inThreadParser } from './inThreadParser';

/**
 * The largest capture the web version reads: VS Code for the Web hands over a file only whole (no ranged reads), so
 * it is held in the browser's memory while it is read. GitHub refuses files above 100 MiB, so every capture in a
 * repository opened in github.dev is within it.
 */
export const WEB_MOST_BYTES = 100 * 1024 * 1024;

/** How long a new Web Worker may take to say it runs before the capture is read on the host's thread instead. */
const WORKER_START_MS = 5000;

/** The browser's Worker and Blob URLs, as far as they are used here (the extension's lib has no DOM types). */
interface BrowserWorker {
  postMessage(message: unknown, transfer?: unknown[]): void;
  onmessage: ((event: { data: FromWorker }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
  terminate(): void;
}
declare const Worker: (new (url: string) => BrowserWorker) | undefined;
declare const Blob: new (parts: Uint8Array[], options: { type: string }) => object;
declare const URL: { createObjectURL(blob: object): string };

/**
 * The web: each source is read in a Web Worker made from the bundled worker script (a Blob URL: the script's own URI
 * may be of another origin, or `vscode-remote:`), or, where the host cannot start one, on the host's own thread in
 * slices. Files come through VS Code's file system, whole, up to WEB_MOST_BYTES.
 */
export function webPlatform(extensionUri: vscode.Uri): HostPlatform {
  let scriptUrl: Promise<string | undefined> | undefined;
  /** Once a worker could not start, none is tried again: each try would hold the first connection back. */
  let workersFail = false;
  const workerScript = () => (scriptUrl ??= Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'dist', 'web', 'captureWorker.js'))).then(
    (bytes) => (typeof Worker === 'function' ? URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' })) : undefined),
    () => undefined));
  return {
    kind: 'web',
    startParser: () => (workersFail ? inThreadParser() : workerOrThread(workerScript, () => (workersFail = true))),
    async openMessage(uri, size, msl) {
      if (size > WEB_MOST_BYTES) {
        throw new Error(vscode.l10n.t('{0} is {1} MB: the web version of TCP Handshake Visualizer reads captures up to {2} MB. Open it in VS Code on the desktop, or split it with Wireshark\'s editcap (editcap -c 100000 FILE PART.pcapng).',
          uri.path.split('/').pop() ?? uri.toString(), (size / 2 ** 20).toFixed(1), WEB_MOST_BYTES / 2 ** 20));
      }
      return { type: 'openBytes', bytes: await vscode.workspace.fs.readFile(uri), msl };
    },
  };
}

/**
 * A port that holds what it is sent until it knows where the parser runs: in a Web Worker that said `ready`, or, if
 * none could be made or it did not start in time, on this thread (then told to `failed`).
 */
function workerOrThread(script: () => Promise<string | undefined>, failed: () => void): ParserPort {
  const held: ToWorker[] = [];
  const messageListeners: Array<(message: FromWorker) => void> = [];
  const errorListeners: Array<(error: unknown) => void> = [];
  const exitListeners: Array<() => void> = [];
  let target: ParserPort | undefined;
  let terminated = false;
  const settle = (port: ParserPort) => {
    if (terminated) return port.terminate();
    target = port;
    for (const listener of messageListeners) port.onMessage(listener);
    for (const listener of errorListeners) port.onError(listener);
    for (const listener of exitListeners) port.onExit(listener);
    for (const message of held.splice(0)) port.post(message);
  };
  const onThread = () => {
    failed();
    settle(inThreadParser());
  };
  void script().then((url) => {
    if (terminated) return;
    if (!url) return onThread();
    let worker: BrowserWorker;
    try {
      worker = new Worker!(url);
    } catch {
      return onThread();
    }
    const timer = setTimeout(() => {
      worker.terminate();
      onThread();
    }, WORKER_START_MS);
    worker.onerror = () => {
      clearTimeout(timer);
      worker.terminate();
      onThread();
    };
    worker.onmessage = (event) => {
      if (event.data.type !== 'ready') return;
      clearTimeout(timer);
      settle(workerPort(worker));
    };
  });
  return {
    post: (message) => (target ? target.post(message) : void held.push(message)),
    onMessage: (listener) => (target ? target.onMessage(listener) : void messageListeners.push(listener)),
    onError: (listener) => (target ? target.onError(listener) : void errorListeners.push(listener)),
    onExit: (listener) => (target ? target.onExit(listener) : void exitListeners.push(listener)),
    runsIn: () => target?.runsIn() ?? 'starting',
    terminate() {
      if (terminated) return;
      terminated = true;
      if (target) target.terminate();
      else for (const listener of exitListeners) listener();
    },
  };
}

/** A started Web Worker as a parser port. A capture's bytes are moved to it, not copied. */
function workerPort(worker: BrowserWorker): ParserPort {
  const messageListeners: Array<(message: FromWorker) => void> = [];
  const errorListeners: Array<(error: unknown) => void> = [];
  const exitListeners: Array<() => void> = [];
  worker.onmessage = (event) => {
    for (const listener of messageListeners) listener(event.data);
  };
  worker.onerror = (event) => {
    for (const listener of errorListeners) listener(new Error(event.message ?? 'the worker failed'));
  };
  let terminated = false;
  return {
    post(message) {
      const whole = message.type === 'openBytes' && message.bytes.byteOffset === 0 && message.bytes.byteLength === message.bytes.buffer.byteLength;
      worker.postMessage(message, whole ? [message.bytes.buffer] : []);
    },
    onMessage: (listener) => void messageListeners.push(listener),
    onError: (listener) => void errorListeners.push(listener),
    onExit: (listener) => void exitListeners.push(listener),
    runsIn: () => 'worker',
    terminate() {
      if (terminated) return;
      terminated = true;
      worker.terminate();
      for (const listener of exitListeners) listener();
    },
  };
}
