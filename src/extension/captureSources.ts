import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { newDecodeStats } from '../core/decode/packet';
import { analyzeScenario } from '../core/scenario/analyzeScenario';
import type { Connection } from '../core/tcp/connection';
import { stateExplanation } from '../core/tcp/stateExplanations';
import { TCP_STATES } from '../core/tcp/states';
import { diagramView } from './diagramView';
import { summary } from './worker/summary';
import type { ReportHead } from '../core/report/textReport';
import type { DiagramView } from '../shared/protocol';
import { settings } from './settings';
import type { ConnectionSummary, FromWorker, ToWorker } from './worker/protocol';

/** A capture the user asked to see, and what reading it found so far. */
export interface CaptureSource {
  key: string;
  uri: vscode.Uri;
  label: string;
  connections: ConnectionSummary[];
  head: ReportHead | undefined;
  notCapture: boolean;
  /** Still being read. */
  reading: boolean;
  /** A simulated scenario's connections, kept here (small); a capture's stay in its worker. */
  local?: Connection[];
}

interface Reader {
  worker: Worker;
  requests: Map<number, (message: Extract<FromWorker, { type: 'diagram' }>) => void>;
}

/**
 * The captures on show. Each is read by a worker thread running the core, so the extension host never blocks; the
 * tree and the diagram panel listen to onDidChange.
 */
export class CaptureSources implements vscode.Disposable {
  private readonly sources = new Map<string, CaptureSource>();
  private readonly readers = new Map<string, Reader>();
  private readonly changed = new vscode.EventEmitter<CaptureSource | undefined>();
  readonly onDidChange = this.changed.event;
  private nextRequest = 1;

  constructor(private readonly workerScript: string) {}

  list(): CaptureSource[] {
    return [...this.sources.values()];
  }

  get(key: string): CaptureSource | undefined {
    return this.sources.get(key);
  }

  /** Reads a capture with a progress notification that can cancel it; connections appear as they are found. */
  async open(uri: vscode.Uri): Promise<CaptureSource> {
    const key = uri.toString();
    this.readers.get(key)?.worker.terminate();
    const source: CaptureSource = { key, uri, label: uri.path.split('/').pop() ?? key, connections: [], head: undefined, notCapture: false, reading: true };
    this.sources.set(key, source);
    this.changed.fire(undefined);
    const worker = new Worker(this.workerScript);
    const reader: Reader = { worker, requests: new Map() };
    this.readers.set(key, reader);
    const size = uri.scheme === 'file' ? (await vscode.workspace.fs.stat(uri)).size : 0;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading {0}', source.label), cancellable: true },
      (progress, token) => new Promise<void>((resolve) => {
        let reported = 0;
        let lastRefresh = 0;
        token.onCancellationRequested(() => this.send(reader, { type: 'cancel' }));
        worker.on('message', (message: FromWorker) => {
          switch (message.type) {
            case 'connections': {
              const byId = new Map(source.connections.map((c) => [c.id, c]));
              for (const item of message.items) byId.set(item.id, item);
              source.connections = [...byId.values()].sort((a, b) => a.id - b.id);
              if (Date.now() - lastRefresh > 200) {
                lastRefresh = Date.now();
                this.changed.fire(source);
              }
              break;
            }
            case 'progress':
              if (size > 0) progress.report({ increment: ((message.bytes - reported) / size) * 100 });
              reported = message.bytes;
              break;
            case 'done':
              source.head = message.head;
              source.notCapture = message.notCapture;
              resolve();
              break;
            case 'diagram':
              reader.requests.get(message.request)?.(message);
              reader.requests.delete(message.request);
              break;
            case 'failed':
              source.head = failedHead(message.message);
              resolve();
              break;
          }
        });
        worker.on('error', (error) => {
          source.head ??= failedHead(String(error));
          resolve();
        });
        const { msl } = settings();
        if (uri.scheme === 'file') this.send(reader, { type: 'open', path: uri.fsPath, msl });
        // A virtual workspace has no local path: read through VS Code's file system and hand the worker the bytes.
        else void vscode.workspace.fs.readFile(uri).then((bytes) => this.send(reader, { type: 'openBytes', bytes, msl }));
      }),
    );
    source.reading = false;
    this.report(source);
    this.changed.fire(source);
    return source;
  }

  /**
   * Simulates a scenario (built-in or a file's text) and shows it like a capture; `title` replaces the scenario's own
   * (a lesson's, in the user's language). Mistakes are reported, not thrown.
   */
  openScenario(key: string, label: string, text: string, title?: string): CaptureSource {
    const result = analyzeScenario(text, { msl: settings().msl });
    if (title !== undefined) for (const c of result.analysis.connections) c.title = title;
    const { format, compressed, packets, decode, errors, cancelled } = result.analysis;
    const source: CaptureSource = {
      key, uri: vscode.Uri.parse(key), label, connections: result.analysis.connections.map(summary),
      head: { format, compressed, packets, decode, errors, cancelled }, notCapture: false, reading: false,
      local: result.analysis.connections,
    };
    this.sources.set(key, source);
    this.report(source);
    this.changed.fire(source);
    return source;
  }

  /** The diagram of one connection, made by the worker that read its capture. */
  diagram(source: CaptureSource, id: number, highlight = -1): Promise<DiagramView> {
    const local = source.local?.find((c) => c.id === id);
    if (local) return Promise.resolve(withHighlight(diagramView(`${source.key}#${id}`, local, settings()), highlight));
    const reader = this.readers.get(source.key);
    if (!reader) return Promise.reject(new Error(`${source.label} is not open`));
    const request = this.nextRequest++;
    return new Promise((resolve, reject) => {
      reader.requests.set(request, (message) => {
        if (!message.view) return reject(new Error(message.error ?? 'no diagram'));
        resolve(withHighlight(message.view, highlight));
      });
      this.send(reader, { type: 'diagram', request, key: `${source.key}#${id}`, id, settings: settings() });
    });
  }

  async refresh(): Promise<void> {
    for (const source of this.list()) await this.open(source.uri);
  }

  private send(reader: Reader, message: ToWorker): void {
    reader.worker.postMessage(message);
  }

  private report(source: CaptureSource): void {
    const head = source.head;
    if (source.local && head && head.errors.length > 0) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0}: {1}', source.label, head.errors[0]!.message));
    } else if (source.notCapture) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not a capture: {1}', source.label, head?.errors[0]?.message ?? ''));
    } else if (head && head.errors.length > 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} was read up to a fault: {1}', source.label, head.errors[0]!.message));
    } else if (head?.cancelled) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Reading {0} was cancelled; the result is partial.', source.label));
    }
  }

  dispose(): void {
    for (const reader of this.readers.values()) void reader.worker.terminate();
    this.changed.dispose();
  }
}

function withHighlight(view: DiagramView, highlight: number): DiagramView {
  view.stateHelp = Object.fromEntries(TCP_STATES.map((state) => [state, vscode.l10n.t(stateExplanation(state))]));
  if (highlight >= 0) {
    view.highlight = highlight;
    view.page = Math.max(0, view.pageStarts.findIndex((start, i) => start <= highlight && (view.pageStarts[i + 1] ?? Infinity) > highlight));
  }
  return view;
}

/** What a source shows when its reader failed outright (not a damaged file: that is reported by the core). */
function failedHead(message: string): ReportHead {
  return { format: undefined, compressed: false, packets: 0, decode: newDecodeStats(), errors: [{ offset: 0, message }], cancelled: false };
}
