import * as vscode from 'vscode';
import { analyzeCapture, type CaptureAnalysis } from '../core/analyze';
import type { Connection } from '../core/tcp/connection';
import { fileChunks } from '../cli/fileChunks';
import { settings } from './settings';

/** A capture the user asked to see, and what reading it found. */
export interface CaptureSource {
  key: string;
  uri: vscode.Uri;
  label: string;
  connections: Connection[];
  analysis: CaptureAnalysis | undefined;
  /** Still being read. */
  reading: boolean;
}

async function* workspaceChunks(uri: vscode.Uri): AsyncGenerator<Uint8Array> {
  // A virtual workspace has no local path: read through VS Code's file system.
  yield await vscode.workspace.fs.readFile(uri);
}

/** The captures on show, read through the core; the tree and the diagram panel listen to it. */
export class CaptureSources implements vscode.Disposable {
  private readonly sources = new Map<string, CaptureSource>();
  private readonly changed = new vscode.EventEmitter<CaptureSource | undefined>();
  readonly onDidChange = this.changed.event;

  list(): CaptureSource[] {
    return [...this.sources.values()];
  }

  get(key: string): CaptureSource | undefined {
    return this.sources.get(key);
  }

  /** Reads a capture with a progress notification that can cancel it; connections appear as they are found. */
  async open(uri: vscode.Uri): Promise<CaptureSource> {
    const key = uri.toString();
    const source: CaptureSource = { key, uri, label: uri.path.split('/').pop() ?? key, connections: [], analysis: undefined, reading: true };
    this.sources.set(key, source);
    this.changed.fire(undefined);
    const { msl } = settings();
    let lastRefresh = 0;
    const size = uri.scheme === 'file' ? (await vscode.workspace.fs.stat(uri)).size : 0;
    source.analysis = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading {0}', source.label), cancellable: true },
      async (progress, token) => {
        let reported = 0;
        return analyzeCapture(uri.scheme === 'file' ? fileChunks(uri.fsPath) : workspaceChunks(uri), {
          msl,
          keepSegments: true,
          signal: { get aborted() { return token.isCancellationRequested; } },
          onConnection: (connection) => {
            source.connections.push(connection);
            const now = Date.now();
            if (now - lastRefresh > 200) {
              lastRefresh = now;
              this.changed.fire(source);
            }
          },
          onProgress: (bytes) => {
            if (size > 0) {
              progress.report({ increment: ((bytes - reported) / size) * 100 });
              reported = bytes;
            }
          },
        });
      },
    );
    source.reading = false;
    const analysis = source.analysis;
    if (analysis.notCapture) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not a capture: {1}', source.label, analysis.errors[0]?.message ?? ''));
    } else if (analysis.errors.length > 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} was read up to a fault: {1}', source.label, analysis.errors[0]!.message));
    } else if (analysis.cancelled) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Reading {0} was cancelled; the result is partial.', source.label));
    }
    this.changed.fire(source);
    return source;
  }

  async refresh(): Promise<void> {
    for (const source of this.list()) await this.open(source.uri);
  }

  close(key: string): void {
    if (this.sources.delete(key)) this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
