import type * as vscode from 'vscode';
import type { FromWorker, ToWorker } from './worker/protocol';

/**
 * One source's parser as the host sees it: a worker (a Node worker thread, a Web Worker) or the same service on the
 * host's own thread. Messages in both directions are those of worker/protocol.ts.
 */
export interface ParserPort {
  post(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  /** The parser failed outright (not a damaged file: that is a message). */
  onError(listener: (error: unknown) => void): void;
  /** The parser stopped: terminated, or gone. */
  onExit(listener: () => void): void;
  terminate(): void;
  /** Where it runs: in a worker, on this thread, or not known yet (a Web Worker that has not said it started). */
  runsIn(): 'worker' | 'this thread' | 'starting';
}

/**
 * What differs between the desktop's extension host (Node) and the web's (a Web Worker in the browser): how a parser
 * is started, and how a capture reaches it. Everything else is shared.
 */
export interface HostPlatform {
  /** 'node' or 'web', for what the user is told and what tests check. */
  readonly kind: 'node' | 'web';
  startParser(): ParserPort;
  /**
   * The message that has the parser read `uri` (of `size` bytes): its path where the parser can open it itself, else
   * its bytes through VS Code's file system. Throws, with a message for the user, when the file cannot be read here.
   */
  openMessage(uri: vscode.Uri, size: number, msl: number): Promise<ToWorker>;
}
