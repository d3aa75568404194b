// Reads a capture, or simulates a scenario, off the extension host's event loop, so the host stays responsive
// whatever a file holds. A small capture is kept whole, so diagrams come at once; a large one keeps what the tree shows
// and the first connection's segments, and another connection's diagram reads that one's own records again (where
// the index says they lie; the whole file for a compressed one). A scenario is kept whole (the simulator's limits
// bound it).
import { faultText } from '../../core/capture/record';
import { parentPort } from 'node:worker_threads';
import { analyzeCapture, type CaptureAnalysis } from '../../core/analyze';
import { analyzeScenario } from '../../core/scenario/analyzeScenario';
import type { Simulation } from '../../core/scenario/simulate';
import { pcapngBytes } from '../../core/scenario/writePcap';
import type { Connection } from '../../core/tcp/connection';
import { fileChunks } from '../../node/fileChunks';
import { readRanges } from '../../node/fileRanges';
import { drawing, pageView, type Drawing } from '../diagramView';
import type { Settings } from '../settings';
import type { FromWorker, ToWorker } from './protocol';
import { DEFAULT_VIEW, isDefault, matcher, viewOf, type View, type ViewOptions } from './connectionView';
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
/** A connection whose diagram would need more segments than this is not drawn (memory), but said so. */
const MOST_SEGMENTS_DRAWN = 500_000;

const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);
let input: { path?: string; bytes?: Uint8Array; msl: number } | undefined;
let whole: CaptureAnalysis | undefined;
/** The connections found so far while the file is read. */
const live: Connection[] = [];
/** Where each connection's records lie in the file (of no use for a compressed one). */
let index: RecordIndex | undefined;
const cancellation = { aborted: false };

async function* chunks(): AsyncGenerator<Uint8Array> {
  if (input?.path) yield* fileChunks(input.path);
  else if (input?.bytes) yield input.bytes;
}

/** The connections the host may ask for: the whole analysis's, or while the file is read, those found so far. */
const connections = (): readonly Connection[] => whole?.connections ?? live;

let viewOptions: ViewOptions = DEFAULT_VIEW;
/** The tree's view of the connections, or none for all of them in the order found. */
let view: View | undefined;

/** Tells the host how many connections there are, made into the tree's view as it stands. */
function tellFound(): void {
  const all = connections();
  view = isDefault(viewOptions) ? undefined : viewOf(all, viewOptions);
  post({ type: 'found', count: view ? view.order.length : all.length, total: all.length, groups: view?.groups ?? [] });
}

async function read(): Promise<void> {
  // The first chunk's count goes out at once: the tree should show something as soon as possible.
  let lastTold = 0;
  const placed = input!.path ? new RecordIndex() : undefined;
  const analysis = await analyzeCapture(chunks(), {
    onPlaced: placed && ((connection, record) => placed.place(connection, record)),
    onContext: placed && ((offset, length) => placed.addContext(offset, length)),
    msl: input!.msl,
    keepSegments: true,
    keepLimit: KEEP_LIMIT,
    signal: cancellation,
    onConnection: (c) => live.push(c),
    onProgress: (bytes) => {
      post({ type: 'progress', bytes });
      if (Date.now() - lastTold > FOUND_EVERY_MS) {
        tellFound();
        lastTold = Date.now();
      }
    },
  });
  whole = analysis;
  index = analysis.compressed ? undefined : placed;
  live.length = 0;
  // A diagram drawn while reading showed part of its connection.
  drawn = undefined;
  tellFound();
  const { format, compressed, packets, decode, errors, cancelled } = analysis;
  post({ type: 'done', head: { format, compressed, packets, decode, errors, cancelled }, notCapture: analysis.notCapture });
}

/** The scenario simulated last, for its export as a capture. */
let simulation: Simulation | undefined;

async function simulate(text: string, msl: number, title: string | undefined): Promise<void> {
  const result = analyzeScenario(text, { msl });
  const { analysis } = result;
  simulation = result.simulation;
  if (title !== undefined) for (const c of analysis.connections) c.title = title;
  whole = analysis;
  tellFound();
  const { format, compressed, packets, decode, errors, cancelled } = analysis;
  post({ type: 'done', head: { format, compressed, packets, decode, errors, cancelled }, notCapture: false });
}

/** The diagram drawn last, kept whole so that turning its pages costs nothing; drawn again when its settings change. */
let drawn: { key: string; settings: string; drawing: Drawing } | undefined;

async function drawingOf(key: string, id: number, settings: Settings): Promise<Drawing> {
  const asked = JSON.stringify(settings);
  if (drawn?.key === key && drawn.settings === asked) return drawn.drawing;
  if (!whole && input) {
    // Still reading: what is known so far of a connection whose segments are kept (the first one's always are), so
    // that the first diagram need not wait for the whole file; drawn again once it is read.
    const known = live[id - 1];
    if (!known || (known.segments.length === 0 && known.packetCount > 0)) throw new Error(`connection ${id} is still being read`);
    drawn = { key, settings: asked, drawing: { ...drawing(key, known, settings), partial: true } };
    return drawn.drawing;
  }
  let connection = whole?.connections[id - 1];
  if (connection && connection.segments.length === 0 && connection.packetCount > 0) connection = undefined;
  if (!connection && input?.path && whole && index && !index.givenUp) {
    // Its segments were not kept (a large capture keeps the first connection's): its own records, where they lie.
    const { ranges, packets } = index.rangesOf(id);
    if (packets.length > 0 && packets.length <= MOST_SEGMENTS_DRAWN) connection = await connectionAgain(await readRanges(input.path, ranges), packets, whole, id, input.msl);
  }
  if (!connection && input) {
    // Read the file again for them.
    const again = await analyzeCapture(chunks(), {
      msl: input.msl, keepSegments: true, keepSegmentsOf: id, keepLimit: { bytes: Infinity, segments: MOST_SEGMENTS_DRAWN },
    });
    if (again.segmentsDropped) throw new Error(`connection ${id} has more than ${MOST_SEGMENTS_DRAWN.toLocaleString('en')} segments: too many to draw`);
    connection = again.connections[id - 1];
  }
  if (connection?.id !== id) throw new Error(`connection ${id} was not found`);
  // A capture's read error (a scenario's errors are not in the file) is where the file stopped being readable.
  const brokenOff = whole?.format && whole.errors[0] ? faultText(whole.errors[0]) : undefined;
  drawn = { key, settings: asked, drawing: drawing(key, connection, settings, brokenOff) };
  return drawn.drawing;
}

port.on('message', (message: ToWorker) => {
  const fail = (error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  switch (message.type) {
    case 'open':
      input = { path: message.path, msl: message.msl };
      read().catch(fail);
      break;
    case 'openBytes':
      input = { bytes: message.bytes, msl: message.msl };
      read().catch(fail);
      break;
    case 'simulate':
      simulate(message.text, message.msl, message.title).catch(fail);
      break;
    case 'rows': {
      const all = connections();
      const first = Math.max(0, Math.trunc(message.first));
      const end = first + Math.min(MOST_ROWS, Math.max(0, message.count));
      const indexes = message.inView && view ? [...view.order.subarray(first, end)]
        : Array.from({ length: Math.max(0, Math.min(end, all.length) - first) }, (_, i) => first + i);
      const items = indexes.map((i) => summary(all[i]!, view ? view.rowOf[i] ?? -1 : i));
      post({ type: 'rows', request: message.request, items });
      break;
    }
    case 'find': {
      const all = connections();
      const matches = matcher(message.filter);
      const items = [];
      const most = Math.min(MOST_ROWS, Math.max(0, message.most));
      for (let i = 0; i < all.length && items.length < most; i++) if (matches(all[i]!)) items.push(summary(all[i]!, view ? view.rowOf[i] ?? -1 : i));
      post({ type: 'rows', request: message.request, items });
      break;
    }
    case 'view':
      viewOptions = message.options;
      tellFound();
      break;
    case 'diagram':
      drawingOf(message.key, message.id, message.settings).then(
        // A link to a step names its packet: the segment that carries it.
        (d) => post({ type: 'diagram', request: message.request, view: pageView(d, message.page,
          message.packet === undefined ? message.highlight : d.segments.findIndex((s) => s.packet === message.packet)) }),
        (e) => post({ type: 'diagram', request: message.request, error: e instanceof Error ? e.message : String(e) }));
      break;
    case 'pages':
      drawingOf(message.key, message.id, message.settings).then(
        (d) => post({ type: 'pages', request: message.request, pages: d.pages.map((p) => p.text) }),
        (e) => post({ type: 'pages', request: message.request, error: e instanceof Error ? e.message : String(e) }));
      break;
    case 'capture':
      post(simulation
        ? { type: 'capture', request: message.request, bytes: pcapngBytes(simulation.packets, simulation.endTime) }
        : { type: 'capture', request: message.request, error: 'only a scenario can be exported as a capture' });
      break;
    case 'histories': {
      // Connections are numbered from 1 in the order of the list; while the file is read, as they are so far.
      const connection = connections()[message.id - 1];
      post(connection
        ? { type: 'histories', request: message.request, histories: { client: [...connection.clientHistory], server: [...connection.serverHistory] } }
        : { type: 'histories', request: message.request, error: `connection ${message.id} was not found` });
      break;
    }
    case 'cancel':
      cancellation.aborted = true;
      break;
  }
});
