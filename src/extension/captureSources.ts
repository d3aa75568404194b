import * as vscode from 'vscode';
import { newDecodeStats } from '../core/decode/packet';
import type { ProfileName } from '../core/scenario/profiles';
import { stateExplanation } from '../core/tcp/stateExplanations';
import { TCP_STATES } from '../core/tcp/states';
import type { ReportHead } from '../core/report/textReport';
import type { DiagramView, Notice } from '../shared/protocol';
import { panelWords } from './panelWords';
import type { HostPlatform, ParserPort } from './platform';
import { settings } from './settings';
import { DEFAULT_VIEW, isDefault, type ViewGroup, type ViewOptions } from './worker/connectionView';
import type { ConnectionSummary, FromWorker, Histories, ToWorker } from './worker/protocol';

/** A capture the user asked to see, and what reading it found so far. */
/** What a built-in lesson says beside its diagram, in the user's language. */
export interface LessonWords {
  explanation: string;
  osNote: string;
}

export interface CaptureSource {
  key: string;
  uri: vscode.Uri;
  label: string;
  /**
   * How many connections reading has found so far (`total`), and how many of them are in the tree's view (`count`),
   * in its groups. Their summaries stay in the worker, which answers for the rows on show: a million of them on the
   * host made a heap of a gigabyte whose collections held its thread a quarter second.
   */
  count: number;
  total: number;
  groups: ViewGroup[];
  head: ReportHead | undefined;
  notCapture: boolean;
  /** Still being read. */
  reading: boolean;
  /** A built-in lesson's explanation and its note on where the OSes differ, in the user's language. */
  lesson?: LessonWords | undefined;
  /**
   * Rows asked for lately, by block of ROW_BLOCK, in the order found and in the tree's view (dropped when the worker
   * says connections changed).
   */
  rows: Map<number, Promise<ConnectionSummary[]>>;
  viewRows: Map<number, Promise<ConnectionSummary[]>>;
  /** Histories asked for so far, by connection id (the rest stay in the worker). */
  histories: Map<number, Histories>;
  /** Reads the capture again, or simulates the scenario again (a file's text read anew). */
  again: () => Promise<CaptureSource>;
  /** A simulated scenario (a lesson or a scenario file), which can be exported as a capture. */
  scenario?: boolean;
}

/** Rows are asked for and kept in blocks of this many. */
const ROW_BLOCK = 100;
/** Blocks kept per source: what a person scrolls through, not the capture. */
const BLOCKS_KEPT = 100;
/**
 * A new source appears in the tree with its first connections; if none has come by then (VS Code for the Web hands
 * over a large file only whole, which takes seconds), it appears "reading…" anyway.
 */
const SHOWN_READING_AFTER_MS = 500;

/** An answer from the worker to one request. */
type Answer = Extract<FromWorker, { type: 'diagram' | 'pages' | 'histories' | 'rows' | 'capture' | 'compare' }>;

interface Reader {
  parser: ParserPort;
  requests: Map<number, (message: Answer) => void>;
}

/**
 * The captures on show. Each is read by its own parser (a worker running the core where the platform can start one),
 * so the extension host never blocks; the tree and the diagram panel listen to onDidChange.
 */
export class CaptureSources implements vscode.Disposable {
  private readonly sources = new Map<string, CaptureSource>();
  private readonly readers = new Map<string, Reader>();
  private readonly changed = new vscode.EventEmitter<CaptureSource | undefined>();
  readonly onDidChange = this.changed.event;
  private nextRequest = 1;
  private viewOptions: ViewOptions = DEFAULT_VIEW;

  constructor(readonly platform: HostPlatform) {}

  list(): CaptureSource[] {
    return [...this.sources.values()];
  }

  get(key: string): CaptureSource | undefined {
    return this.sources.get(key);
  }

  /**
   * Reads a capture with a progress notification that can cancel it; connections appear as they are found. `started`
   * is given the source as soon as its reading starts.
   */
  async open(uri: vscode.Uri, started?: (source: CaptureSource) => void): Promise<CaptureSource> {
    // Before anything changes: a file that is gone throws here, and the tree keeps what it had.
    const size = (await vscode.workspace.fs.stat(uri)).size;
    const source = this.start(uri.toString(), uri, uri.path.split('/').pop() ?? uri.toString(), () => this.open(uri));
    started?.(source);
    const { msl } = settings();
    await this.follow(source, vscode.ProgressLocation.Notification, vscode.l10n.t('Reading {0}', source.label), size, (reader, fail) =>
      this.platform.openMessage(uri, size, msl).then((message) => this.send(reader, message), fail));
    return source;
  }

  /**
   * Simulates a scenario (built-in or a file's text) in a worker, and shows it like a capture; `title` replaces the
   * scenario's own (a lesson's, in the user's language). A scenario that would run for ever is stopped by the
   * simulator's limits; mistakes are reported, not thrown. A newer run of the same key replaces an older one. `read`
   * gives a scenario file's text anew when it is simulated again (a lesson's text does not change).
   */
  async openScenario(key: string, label: string, text: string, title?: string, lesson?: LessonWords,
    read?: () => Promise<string>): Promise<CaptureSource> {
    const again = async () => this.openScenario(key, label, read ? await read() : text, title, lesson, read);
    const source = this.start(key, vscode.Uri.parse(key), label, again);
    source.lesson = lesson;
    source.scenario = true;
    const { msl, profile } = settings();
    await this.follow(source, vscode.ProgressLocation.Window, vscode.l10n.t('Simulating {0}', label), 0, (reader) =>
      this.send(reader, { type: 'simulate', text, msl, profile, title }));
    return source;
  }

  /**
   * A new source for `key`, replacing one being read (its worker stops). A replaced source's rows go at once; a new
   * one appears with its first connections (or when it is read, or "reading…" after SHOWN_READING_AFTER_MS): VS Code's
   * tree holds a change that follows another within 200 ms for 200 ms more, and a reveal waits for it, so a change now
   * would hold back the first connection.
   */
  private start(key: string, uri: vscode.Uri, label: string, again: () => Promise<CaptureSource>): CaptureSource {
    this.readers.get(key)?.parser.terminate();
    const replacing = this.sources.has(key);
    const source: CaptureSource = {
      key, uri, label, count: 0, total: 0, groups: [], head: undefined, notCapture: false, reading: true,
      rows: new Map(), viewRows: new Map(), histories: new Map(), again,
    };
    this.sources.set(key, source);
    if (replacing) this.changed.fire(undefined);
    return source;
  }

  /**
   * Gives `source` a parser, hands it its work through `begin`, and follows it with a progress indicator that can
   * cancel it until it is done or fails.
   */
  private async follow(source: CaptureSource, location: vscode.ProgressLocation, title: string, size: number,
    begin: (reader: Reader, fail: (error: unknown) => void) => void): Promise<void> {
    const parser = this.platform.startParser();
    const reader: Reader = { parser, requests: new Map() };
    this.readers.set(source.key, reader);
    if (!isDefault(this.view)) this.send(reader, { type: 'view', options: this.view });
    let found = false;
    const showReading = setTimeout(() => !found && this.sources.get(source.key) === source && this.changed.fire(undefined), SHOWN_READING_AFTER_MS);
    await vscode.window.withProgress({ location, title, cancellable: true }, (progress, token) => new Promise<void>((resolve) => {
      let reported = 0;
      const fail = (error: unknown) => {
        source.head ??= failedHead(error instanceof Error ? error.message : String(error));
        resolve();
      };
      token.onCancellationRequested(() => this.send(reader, { type: 'cancel' }));
      parser.onMessage((message: FromWorker) => {
        switch (message.type) {
          case 'found':
            // More connections, and those known may have grown: what was asked for before is out of date.
            found = true;
            source.count = message.count;
            source.total = message.total;
            source.groups = message.groups;
            source.rows.clear();
            source.viewRows.clear();
            source.histories.clear();
            this.changed.fire(source);
            break;
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
          case 'pages':
          case 'histories':
          case 'capture':
          case 'compare':
          case 'rows':
            reader.requests.get(message.request)?.(message);
            reader.requests.delete(message.request);
            break;
          case 'failed':
            fail(message.message);
            break;
        }
      });
      parser.onError(fail);
      // A parser stopped (by a newer run of the same source, or at the end) settles this run and its requests.
      parser.onExit(() => {
        for (const [request, answer] of reader.requests) answer({ type: 'histories', request, error: vscode.l10n.t('{0} was read again', source.label) });
        reader.requests.clear();
        resolve();
      });
      begin(reader, fail);
    }));
    clearTimeout(showReading);
    if (this.sources.get(source.key) !== source) return;
    source.reading = false;
    this.changed.fire(source);
  }

  /** Where the parser of `source` runs (see ParserPort.runsIn), or undefined once it is gone. */
  runsIn(source: CaptureSource): ReturnType<ParserPort['runsIn']> | undefined {
    return this.readers.get(source.key)?.parser.runsIn();
  }

  /**
   * The summaries of connections `first`..`last` (indexes, from 0) in the order found, or (`inView`) of the tree's
   * view's rows `first`..`last`, from the worker that holds them.
   */
  async rows(source: CaptureSource, first: number, last: number, inView = false): Promise<ConnectionSummary[]> {
    const firstBlock = Math.floor(first / ROW_BLOCK);
    const blocks: Array<Promise<ConnectionSummary[]>> = [];
    for (let block = firstBlock; block <= Math.floor(last / ROW_BLOCK); block++) blocks.push(this.block(source, block, inView));
    const offset = firstBlock * ROW_BLOCK;
    return (await Promise.all(blocks)).flat().slice(first - offset, last - offset + 1);
  }

  /** One connection's summary (ids count from 1), or undefined if the source has no such connection. */
  async connection(source: CaptureSource, id: number): Promise<ConnectionSummary | undefined> {
    if (!Number.isInteger(id) || id < 1 || id > source.total) return undefined;
    return (await this.rows(source, id - 1, id - 1))[0];
  }

  private block(source: CaptureSource, block: number, inView: boolean): Promise<ConnectionSummary[]> {
    const cache = inView ? source.viewRows : source.rows;
    let rows = cache.get(block);
    if (!rows) {
      rows = this.ask(source, (request) => ({ type: 'rows', request, first: block * ROW_BLOCK, count: ROW_BLOCK, inView }))
        .then((answer) => (answer.type === 'rows' ? answer.items ?? [] : []), () => []);
      // The oldest block goes first (a Map keeps the order of insertion).
      if (cache.size >= BLOCKS_KEPT) cache.delete(cache.keys().next().value!);
      cache.set(block, rows);
    }
    return rows;
  }

  /** The first `most` connections of `source` (in the order found) holding every word of `filter`. */
  async find(source: CaptureSource, filter: string, most: number): Promise<ConnectionSummary[]> {
    const answer = await this.ask(source, (request) => ({ type: 'find', request, filter, most }));
    return answer.type === 'rows' ? answer.items ?? [] : [];
  }

  /** The tree's view of every source: which connections, in which order and groups. */
  get view(): ViewOptions {
    return this.viewOptions;
  }

  /** Shows every source's connections as `options` says; each worker answers with its new counts. */
  setView(options: ViewOptions): void {
    this.viewOptions = options;
    for (const reader of this.readers.values()) this.send(reader, { type: 'view', options });
  }

  /**
   * One page of a connection's diagram (from 0; the page holding segment `highlight` if one is given), made by the
   * worker that read its capture, which keeps the other pages.
   */
  async diagram(source: CaptureSource, id: number, highlight = -1, page = 0, packet?: number): Promise<DiagramView> {
    const key = `${source.key}#${id}`;
    const answer = await this.ask(source, (request) => ({ type: 'diagram', request, key, id, settings: settings(), page, highlight, packet }));
    if (answer.type !== 'diagram' || !answer.view) throw new Error(answer.error ?? 'no diagram');
    answer.view.notice = answer.view.partial
      ? { kind: 'info', text: vscode.l10n.t('Still reading {0}: this is what has been read so far; it is drawn again when the file is read.', source.label) }
      : noticeOf(source);
    answer.view.explanation = source.lesson?.explanation;
    answer.view.osNote = source.lesson?.osNote;
    answer.view.comparable = source.scenario;
    answer.view.words = panelWords();
    answer.view.stateHelp = Object.fromEntries(TCP_STATES.map((state) => [state, vscode.l10n.t(stateExplanation(state))]));
    answer.view.phaseNames = {
      opening: vscode.l10n.t('opening'), established: vscode.l10n.t('established'), closing: vscode.l10n.t('closing'),
      waiting: vscode.l10n.t('waiting (TIME_WAIT)'), closed: vscode.l10n.t('closed'),
    };
    return answer.view;
  }

  /** Page `page` of a scenario's connection `id` as `profile` plays it (for a comparison; see ToWorker's `compare`). */
  async compared(source: CaptureSource, id: number, profile: ProfileName, page: number): Promise<{ text: string; page: number }> {
    const answer = await this.ask(source, (request) => ({ type: 'compare', request, id, profile, settings: settings(), page }));
    if (answer.type !== 'compare' || answer.text === undefined) throw new Error(answer.error ?? 'no diagram');
    return { text: answer.text, page: answer.page ?? page };
  }

  /** The source and connection id a diagram's key ("source#id") names. */
  named(key: string): { source: CaptureSource; id: number } | undefined {
    const at = key.lastIndexOf('#');
    const source = this.get(key.slice(0, at));
    return source && { source, id: Number(key.slice(at + 1)) };
  }

  /** A page of the diagram a view's key names: what the panel shows when a page is turned. */
  turn(key: string, page: number, highlight: number): Promise<DiagramView> {
    const named = this.named(key);
    if (!named) return Promise.reject(new Error(`${key} is not open`));
    return this.diagram(named.source, named.id, highlight, page);
  }

  /** Every page's Mermaid text of a connection's diagram (for exports). */
  async pages(source: CaptureSource, id: number): Promise<string[]> {
    const answer = await this.ask(source, (request) => ({ type: 'pages', request, key: `${source.key}#${id}`, id, settings: settings() }));
    if (answer.type !== 'pages' || !answer.pages) throw new Error(answer.error ?? 'no diagram');
    return answer.pages;
  }

  /** A scenario's segments as a pcapng that keeps the simulation's end (TIME_WAIT's expiry), made in its worker. */
  async capture(source: CaptureSource): Promise<Uint8Array> {
    const answer = await this.ask(source, (request) => ({ type: 'capture', request }));
    if (answer.type !== 'capture' || !answer.bytes) throw new Error(answer.error ?? 'no capture');
    return answer.bytes;
  }

  /** Both endpoints' state histories of one connection, from the worker that holds them (kept once asked for). */
  async histories(source: CaptureSource, id: number): Promise<Histories> {
    const known = source.histories.get(id);
    if (known) return known;
    const answer = await this.ask(source, (request) => ({ type: 'histories', request, id }));
    if (answer.type !== 'histories' || !answer.histories) throw new Error(answer.error ?? 'no histories');
    source.histories.set(id, answer.histories);
    return answer.histories;
  }

  /** Sends the worker of `source` a request and waits for its answer. */
  private ask(source: CaptureSource, message: (request: number) => ToWorker): Promise<Answer> {
    const reader = this.readers.get(source.key);
    if (!reader) return Promise.reject(new Error(`${source.label} is not open`));
    const request = this.nextRequest++;
    return new Promise((resolve) => {
      reader.requests.set(request, resolve);
      this.send(reader, message(request));
    });
  }

  /**
   * Reads every capture again and simulates every scenario again; what cannot be read any more (a file deleted) is
   * left out of the tree, and its name returned.
   */
  async refresh(): Promise<string[]> {
    const gone: string[] = [];
    for (const source of this.list()) {
      try {
        await source.again();
      } catch {
        gone.push(source.label);
        this.remove(source);
      }
    }
    return gone;
  }

  /** Leaves a source out of the tree: its worker stops and what it held goes. */
  remove(source: CaptureSource): void {
    if (this.sources.get(source.key) !== source) return;
    this.readers.get(source.key)?.parser.terminate();
    this.readers.delete(source.key);
    this.sources.delete(source.key);
    this.changed.fire(undefined);
  }

  removeAll(): void {
    for (const source of this.list()) this.remove(source);
  }

  private send(reader: Reader, message: ToWorker): void {
    reader.parser.post(message);
  }

  dispose(): void {
    for (const reader of this.readers.values()) reader.parser.terminate();
    this.changed.dispose();
  }
}

/** What a source shows when its reader failed outright (not a damaged file: that is reported by the core). */
function failedHead(message: string): ReportHead {
  return { format: undefined, compressed: false, packets: 0, decode: newDecodeStats(), errors: [{ offset: 0, message }], cancelled: false };
}

/**
 * What reading a source went wrong with, in words for the panel (never a notification: the panel and the tree say it
 * where the user looks): a scenario's mistake or limit, a file that is not a capture (with a way to open it as text),
 * a capture damaged part way, a reading cancelled. Undefined when all went well.
 */
export function noticeOf(source: CaptureSource): Notice | undefined {
  const head = source.head;
  const error = head?.errors[0];
  const first = error?.message;
  if (!head) return undefined;
  if (!head.format && first && !source.notCapture) return { kind: 'error', text: vscode.l10n.t('{0}: {1}', source.label, first) };
  // The message says what the file is ("not a capture: it looks like text …", "a NetXRay capture, …").
  if (source.notCapture) return { kind: 'error', text: vscode.l10n.t('{0}: {1}', source.label, first ?? ''), openAsText: source.uri.scheme === 'file' ? source.uri.toString() : undefined };
  if (error) return { kind: 'warning', text: vscode.l10n.t('{0} was read up to a fault at byte offset {1}: {2}', source.label, error.offset, error.message) };
  if (head.cancelled) return { kind: 'info', text: vscode.l10n.t('Reading {0} was cancelled; the result is partial.', source.label) };
  return undefined;
}

/** What the panel says of a source with no connection to draw: what went wrong, or that it holds no TCP. */
export function emptyNotice(source: CaptureSource): Notice {
  return noticeOf(source) ?? { kind: 'info', text: vscode.l10n.t('{0} holds no TCP connection.', source.label) };
}
