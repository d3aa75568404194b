// Reads a capture, or simulates a scenario, for the extension: the work behind one source in the tree, answering the
// host's messages. It runs in a worker (Node's worker thread on the desktop, a Web Worker in the browser where one can
// be made) or, where none can, on the web extension host's own thread: the capture then arrives in slices, and the
// service yields between them. It knows no platform: how a file given by path is read comes from outside.
//
// A small capture is kept whole, so diagrams come at once; a large one keeps what the tree shows and the first
// connection's segments, and another connection's diagram reads that one's own records again (where the index says
// they lie; the whole file for a compressed one). A scenario is kept whole (the simulator's limits bound it).
import { analyzeCapture, type CaptureAnalysis } from '../../core/analyze';
import { faultText } from '../../core/capture/record';
import { analyzeScenario } from '../../core/scenario/analyzeScenario';
import type { ProfileName } from '../../core/scenario/profiles';
import type { Simulation } from '../../core/scenario/simulate';
import { pcapngBytes } from '../../core/scenario/writePcap';
import type { Connection } from '../../core/tcp/connection';
import { drawing, pageView, type Drawing } from '../diagramView';
import type { Settings } from '../settings';
import { DEFAULT_VIEW, isDefault, matcher, viewOf, type View, type ViewOptions } from './connectionView';
import type { FromWorker, ToWorker } from './protocol';
import { connectionAgain, RecordIndex } from './recordIndex';
import { summary } from './summary';

/**
 * Up to this many bytes of decoded capture (not of file: gzip can hold a thousand times more) every segment is kept;
 * past it, only the first connection's; past that many segments kept (some 325 bytes each), none.
 */
const KEEP_LIMIT = { bytes: 64 << 20, segments: 1_000_000 };
/** Most rows one request may ask for. */
const MOST_ROWS = 1_000;
/**
 * How often the host is told how many connections there are while a file is read (the first chunk's at once): each
 * time, the tree asks again for the rows on show, and a quarter-second rhythm made the host collect garbage in long
 * pauses.
 */
const FOUND_EVERY_MS = 1000;
/**
 * What one message may make the service do at one go, where it runs on the extension host's own thread (a web host
 * that cannot start a worker) and where it has a thread of its own. The diagram of a connection with more segments is
 * not drawn (memory, and on the host's thread time: some 3 µs a segment), but said so; a scenario stops after that many
 * packets (some 85 µs each: 100,000 took 8 s), with its partial result.
 */
export const SERVICE_LIMITS = {
  ownThread: { segmentsDrawn: 500_000, scenarioPackets: 100_000 },
  hostThread: { segmentsDrawn: 50_000, scenarioPackets: 2_000 },
};
/**
 * A capture handed over whole is read in slices, with a turn of the event loop between them: the first small (the
 * first connection comes sooner, and the code is still cold: its first megabyte took 120 ms in the browser), then
 * twice as large each time up to the largest (each turn costs a few milliseconds: browsers hold a timer set from a
 * timer at least 4 ms).
 */
const FIRST_SLICE = 64 << 10;
const LARGEST_SLICE = 1 << 20;

/** A capture to read: its bytes in order, and the bytes of chosen ranges (where each connection's records lie). */
export interface CaptureInput {
  chunks(): AsyncIterable<Uint8Array>;
  ranges(ranges: ReadonlyArray<readonly [number, number]>): Promise<Uint8Array>;
  /** A compressed capture's ranges are of no use: the index is only kept where this is true and it is not compressed. */
  ranged: boolean;
}

/** How a file named by its path is read: only where the service runs beside a file system (Node). */
export type PathReader = (path: string) => CaptureInput;

const yieldTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A capture held in memory (read through VS Code's file system): sliced, so that reading it lets other messages in
 * (a cancellation, the tree's questions) and, on the host's own thread, other extensions run.
 */
export function bytesInput(bytes: Uint8Array): CaptureInput {
  return {
    async *chunks() {
      for (let at = 0, slice = FIRST_SLICE; at < bytes.length; at += slice, slice = Math.min(2 * slice, LARGEST_SLICE)) {
        if (at > 0) await yieldTurn();
        yield bytes.subarray(at, at + slice);
      }
    },
    async ranges(ranges) {
      const out = new Uint8Array(ranges.reduce((n, [, length]) => n + length, 0));
      let at = 0;
      for (const [offset, length] of ranges) {
        out.set(bytes.subarray(offset, offset + length), at);
        at += length;
      }
      return out;
    },
    ranged: true,
  };
}

export class CaptureService {
  private input: { capture: CaptureInput; msl: number } | undefined;
  private whole: CaptureAnalysis | undefined;
  /** The connections found so far while the file is read. */
  private readonly live: Connection[] = [];
  /** Where each connection's records lie in the file (of no use for a compressed one). */
  private index: RecordIndex | undefined;
  private readonly cancellation = { aborted: false };
  private viewOptions: ViewOptions = DEFAULT_VIEW;
  /** The tree's view of the connections, or none for all of them in the order found. */
  private view: View | undefined;
  /** The scenario simulated last, for its export as a capture. */
  private simulation: Simulation | undefined;
  /** …and what it was simulated from, to play it again under another profile. */
  private scenario: { text: string; msl: number; title: string | undefined } | undefined;
  /** The diagram drawn last, kept whole so that turning its pages costs nothing; drawn again when its settings change. */
  private drawn: { key: string; settings: string; drawing: Drawing } | undefined;
  private stopped = false;

  constructor(private readonly postMessage: (message: FromWorker) => void, private readonly readPath?: PathReader,
    private readonly limits = SERVICE_LIMITS.ownThread) {}

  /** Stops: a reading under way ends at its next chunk, and nothing more is told. */
  stop(): void {
    this.stopped = true;
    this.cancellation.aborted = true;
  }

  private post(message: FromWorker): void {
    if (!this.stopped) this.postMessage(message);
  }

  /** The connections the host may ask for: the whole analysis's, or while the file is read, those found so far. */
  private connections(): readonly Connection[] {
    return this.whole?.connections ?? this.live;
  }

  /** Tells the host how many connections there are, made into the tree's view as it stands. */
  private tellFound(): void {
    const all = this.connections();
    this.view = isDefault(this.viewOptions) ? undefined : viewOf(all, this.viewOptions);
    this.post({ type: 'found', count: this.view ? this.view.order.length : all.length, total: all.length, groups: this.view?.groups ?? [] });
  }

  private async read(capture: CaptureInput, msl: number): Promise<void> {
    this.input = { capture, msl };
    // The first chunk's count goes out at once: the tree should show something as soon as possible.
    let lastTold = 0;
    const placed = capture.ranged ? new RecordIndex() : undefined;
    const analysis = await analyzeCapture(capture.chunks(), {
      onPlaced: placed && ((connection, record) => placed.place(connection, record)),
      onContext: placed && ((offset, length) => placed.addContext(offset, length)),
      msl,
      keepSegments: true,
      keepLimit: KEEP_LIMIT,
      signal: this.cancellation,
      onConnection: (c) => this.live.push(c),
      onProgress: (bytes) => {
        this.post({ type: 'progress', bytes });
        if (Date.now() - lastTold > FOUND_EVERY_MS) {
          this.tellFound();
          lastTold = Date.now();
        }
      },
    });
    this.whole = analysis;
    this.index = analysis.compressed ? undefined : placed;
    this.live.length = 0;
    // A diagram drawn while reading showed part of its connection.
    this.drawn = undefined;
    this.tellFound();
    this.tellDone(analysis);
  }

  private tellDone(analysis: CaptureAnalysis): void {
    const { format, compressed, packets, decode, errors, cancelled } = analysis;
    this.post({ type: 'done', head: { format, compressed, packets, decode, errors, cancelled }, notCapture: analysis.notCapture });
  }

  private simulate(text: string, msl: number, profile: ProfileName, title: string | undefined): void {
    const result = analyzeScenario(text, { msl, profile, maxPackets: this.limits.scenarioPackets });
    const { analysis } = result;
    this.simulation = result.simulation;
    this.scenario = { text, msl, title };
    if (title !== undefined) for (const c of analysis.connections) c.title = title;
    this.whole = analysis;
    this.tellFound();
    this.tellDone(analysis);
  }

  private async drawingOf(key: string, id: number, settings: Settings): Promise<Drawing> {
    const asked = JSON.stringify(settings);
    if (this.drawn?.key === key && this.drawn.settings === asked) return this.drawn.drawing;
    const { whole, input } = this;
    if (!whole && input) {
      // Still reading: what is known so far of a connection whose segments are kept (the first one's always are), so
      // that the first diagram need not wait for the whole file; drawn again once it is read.
      const known = this.live[id - 1];
      if (!known || (known.segments.length === 0 && known.packetCount > 0)) throw new Error(`connection ${id} is still being read`);
      if (known.segments.length > this.limits.segmentsDrawn) throw this.tooManyToDraw(id);
      this.drawn = { key, settings: asked, drawing: { ...drawing(key, known, settings), partial: true } };
      return this.drawn.drawing;
    }
    let connection = whole?.connections[id - 1];
    if (connection && connection.segments.length === 0 && connection.packetCount > 0) connection = undefined;
    if (!connection && input && whole && this.index && !this.index.givenUp) {
      // Its segments were not kept (a large capture keeps the first connection's): its own records, where they lie.
      const { ranges, packets } = this.index.rangesOf(id);
      if (packets.length > 0 && packets.length <= this.limits.segmentsDrawn) connection = await connectionAgain(await input.capture.ranges(ranges), packets, whole, id, input.msl);
    }
    if (!connection && input) {
      // Read the file again for them.
      const again = await analyzeCapture(input.capture.chunks(), {
        msl: input.msl, keepSegments: true, keepSegmentsOf: id, keepLimit: { bytes: Infinity, segments: this.limits.segmentsDrawn },
      });
      if (again.segmentsDropped) throw this.tooManyToDraw(id);
      connection = again.connections[id - 1];
    }
    if (connection?.id !== id) throw new Error(`connection ${id} was not found`);
    if (connection.segments.length > this.limits.segmentsDrawn) throw this.tooManyToDraw(id);
    // A capture's read error (a scenario's errors are not in the file) is where the file stopped being readable.
    const brokenOff = whole?.format && whole.errors[0] ? faultText(whole.errors[0]) : undefined;
    this.drawn = { key, settings: asked, drawing: drawing(key, connection, settings, brokenOff) };
    return this.drawn.drawing;
  }

  /** Page `page` of connection `id` as the scenario plays under `profile` (see ToWorker's `compare`). */
  private compared(id: number, profile: ProfileName, settings: Settings, page: number): { text: string; page: number; pageCount: number } {
    if (!this.scenario) throw new Error('only a scenario can be played under another profile');
    const { text, msl, title } = this.scenario;
    const { analysis } = analyzeScenario(text, { msl, profile, profileOverScenario: true, maxPackets: this.limits.scenarioPackets });
    const connection = analysis.connections[id - 1];
    if (!connection) throw new Error(`connection ${id} was not found`);
    if (connection.segments.length > this.limits.segmentsDrawn) throw this.tooManyToDraw(id);
    if (title !== undefined) connection.title = title;
    const { pages } = drawing(`compare#${id}`, connection, settings, undefined, true);
    const shown = Math.min(Math.max(0, Math.trunc(page) || 0), pages.length - 1);
    return { text: pages[shown]!.text, page: shown, pageCount: pages.length };
  }

  private tooManyToDraw(id: number): Error {
    const where = this.limits === SERVICE_LIMITS.hostThread ? ' on the extension host\'s own thread' : '';
    return new Error(`connection ${id} has more than ${this.limits.segmentsDrawn.toLocaleString('en')} segments: too many to draw${where}`);
  }

  private summaries(indexes: number[]) {
    const all = this.connections();
    return indexes.map((i) => summary(all[i]!, this.view ? this.view.rowOf[i] ?? -1 : i));
  }

  /** Answers one message from the host. Never throws: what fails is told as `failed` or as the request's error. */
  handle(message: ToWorker): void {
    const fail = (error: unknown) => this.post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
    switch (message.type) {
      case 'open':
        if (!this.readPath) fail(new Error(`${message.path}: no file system to read it from here`));
        else this.read(this.readPath(message.path), message.msl).catch(fail);
        break;
      case 'openBytes':
        this.read(bytesInput(message.bytes), message.msl).catch(fail);
        break;
      case 'simulate':
        try {
          this.simulate(message.text, message.msl, message.profile, message.title);
        } catch (error) {
          fail(error);
        }
        break;
      case 'rows': {
        const all = this.connections();
        const first = Math.max(0, Math.trunc(message.first));
        const end = first + Math.min(MOST_ROWS, Math.max(0, message.count));
        const indexes = message.inView && this.view ? [...this.view.order.subarray(first, end)]
          : Array.from({ length: Math.max(0, Math.min(end, all.length) - first) }, (_, i) => first + i);
        this.post({ type: 'rows', request: message.request, items: this.summaries(indexes) });
        break;
      }
      case 'find': {
        const all = this.connections();
        const matches = matcher(message.filter);
        const indexes: number[] = [];
        const most = Math.min(MOST_ROWS, Math.max(0, message.most));
        for (let i = 0; i < all.length && indexes.length < most; i++) if (matches(all[i]!)) indexes.push(i);
        this.post({ type: 'rows', request: message.request, items: this.summaries(indexes) });
        break;
      }
      case 'view':
        this.viewOptions = message.options;
        this.tellFound();
        break;
      case 'diagram':
        this.drawingOf(message.key, message.id, message.settings).then(
          // A link to a step names its packet: the segment that carries it.
          (d) => this.post({ type: 'diagram', request: message.request, view: pageView(d, message.page,
            message.packet === undefined ? message.highlight : d.segments.findIndex((s) => s.packet === message.packet)) }),
          (e) => this.post({ type: 'diagram', request: message.request, error: errorText(e) }));
        break;
      case 'compare':
        try {
          this.post({ type: 'compare', request: message.request, ...this.compared(message.id, message.profile, message.settings, message.page) });
        } catch (e) {
          this.post({ type: 'compare', request: message.request, error: errorText(e) });
        }
        break;
      case 'pages':
        this.drawingOf(message.key, message.id, message.settings).then(
          (d) => this.post({ type: 'pages', request: message.request, pages: d.pages.map((p) => p.text) }),
          (e) => this.post({ type: 'pages', request: message.request, error: errorText(e) }));
        break;
      case 'capture':
        this.post(this.simulation
          ? { type: 'capture', request: message.request, bytes: pcapngBytes(this.simulation.packets, this.simulation.endTime) }
          : { type: 'capture', request: message.request, error: 'only a scenario can be exported as a capture' });
        break;
      case 'histories': {
        // Connections are numbered from 1 in the order of the list; while the file is read, as they are so far.
        const connection = this.connections()[message.id - 1];
        this.post(connection
          ? { type: 'histories', request: message.request, histories: { client: [...connection.clientHistory], server: [...connection.serverHistory] } }
          : { type: 'histories', request: message.request, error: `connection ${message.id} was not found` });
        break;
      }
      case 'cancel':
        this.cancellation.aborted = true;
        break;
    }
  }
}
