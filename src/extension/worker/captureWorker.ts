// Reads a capture, or simulates a scenario, off the extension host's event loop, so the host stays responsive
// whatever a file holds. A small capture is kept whole, so diagrams come at once; a large one keeps what the tree shows
// and the first connection's segments, and another connection's diagram reads the file again keeping that one's
// segments. A scenario is kept whole (the simulator's limits bound it).
import { parentPort } from 'node:worker_threads';
import { analyzeCapture, type CaptureAnalysis } from '../../core/analyze';
import { analyzeScenario } from '../../core/scenario/analyzeScenario';
import type { Connection } from '../../core/tcp/connection';
import { TCP_STATES } from '../../core/tcp/states';
import { fileChunks } from '../../node/fileChunks';
import { diagramView } from '../diagramView';
import type { Settings } from '../settings';
import type { FromWorker, ToWorker } from './protocol';
import { summary } from './summary';

/**
 * Up to this many bytes of decoded capture (not of file: gzip can hold a thousand times more) every segment is kept;
 * past it, only the first connection's; past that many segments kept (some 325 bytes each), none.
 */
const KEEP_LIMIT = { bytes: 64 << 20, segments: 1_000_000 };
/** Connections per message to the host. */
const SUMMARY_BATCH = 5_000;
/** A connection whose diagram would need more segments than this is not drawn (memory), but said so. */
const MOST_SEGMENTS_DRAWN = 500_000;

const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);
let input: { path?: string; bytes?: Uint8Array; msl: number } | undefined;
let whole: CaptureAnalysis | undefined;
/** The connections found so far while the file is read (whole's, once it is read). */
const live: Connection[] = [];
const cancellation = { aborted: false };

async function* chunks(): AsyncGenerator<Uint8Array> {
  if (input?.path) yield* fileChunks(input.path);
  else if (input?.bytes) yield input.bytes;
}

/**
 * What the tree was last told of each connection (by id − 1): its packet count and final states. At the end only the
 * connections that changed since are sent again: with a million connections, sending every one twice doubled the
 * host's work.
 */
let told = { packets: new Float64Array(0), states: new Uint8Array(0) };

const stateCode = (c: Connection): number => TCP_STATES.indexOf(c.states.client) * TCP_STATES.length + TCP_STATES.indexOf(c.states.server);

/**
 * Connections to the tree, in batches: one message with a million would hold the host's thread while it is taken in.
 * The host takes in every message waiting for it at one go, so many batches sent at once would block it as long:
 * `paced`, each batch waits until the host has said it took the one before.
 */
async function sendConnections(connections: readonly Connection[], paced: boolean): Promise<void> {
  for (let i = 0; i < connections.length; i += SUMMARY_BATCH) {
    const batch = connections.slice(i, i + SUMMARY_BATCH);
    for (const c of batch) remember(c);
    const taken = paced ? new Promise<void>((resolve) => (acknowledged = resolve)) : undefined;
    post({ type: 'connections', items: batch.map(summary), ack: paced });
    await taken;
  }
}

/** Resolves the wait for the host's `ack`. */
let acknowledged: (() => void) | undefined;

function remember(c: Connection): void {
  if (c.id > told.packets.length) {
    const size = Math.max(c.id, told.packets.length * 2, 1024);
    const grown = { packets: new Float64Array(size), states: new Uint8Array(size) };
    grown.packets.set(told.packets);
    grown.states.set(told.states);
    told = grown;
  }
  told.packets[c.id - 1] = c.packetCount;
  told.states[c.id - 1] = stateCode(c);
}

const changedSinceTold = (c: Connection): boolean =>
  c.id > told.packets.length || told.packets[c.id - 1] !== c.packetCount || told.states[c.id - 1] !== stateCode(c);

async function read(): Promise<void> {
  let fresh: Connection[] = [];
  // The first chunk's connections go out at once: the tree should show something as soon as possible.
  let lastSent = 0;
  const analysis = await analyzeCapture(chunks(), {
    msl: input!.msl,
    keepSegments: true,
    keepLimit: KEEP_LIMIT,
    signal: cancellation,
    onConnection: (c) => {
      fresh.push(c);
      live.push(c);
    },
    onProgress: (bytes) => {
      post({ type: 'progress', bytes });
      // New connections go out while the file is read, so the tree fills; at the end those that changed go again.
      if (Date.now() - lastSent > 250) {
        void sendConnections(fresh, false);
        fresh = [];
        lastSent = Date.now();
      }
    },
  });
  await sendConnections(analysis.connections.filter(changedSinceTold), true);
  whole = analysis;
  live.length = 0;
  const { format, compressed, packets, decode, errors, cancelled } = analysis;
  post({ type: 'done', head: { format, compressed, packets, decode, errors, cancelled }, notCapture: analysis.notCapture });
}

async function simulate(text: string, msl: number, title: string | undefined): Promise<void> {
  const { analysis } = analyzeScenario(text, { msl });
  if (title !== undefined) for (const c of analysis.connections) c.title = title;
  whole = analysis;
  await sendConnections(analysis.connections, true);
  const { format, compressed, packets, decode, errors, cancelled } = analysis;
  post({ type: 'done', head: { format, compressed, packets, decode, errors, cancelled }, notCapture: false });
}

async function diagram(request: number, key: string, id: number, settings: Settings): Promise<void> {
  let connection = whole?.connections.find((c) => c.id === id && (c.segments.length > 0 || c.packetCount === 0));
  if (!connection && input) {
    const again = await analyzeCapture(chunks(), {
      msl: input.msl, keepSegments: true, keepSegmentsOf: id, keepLimit: { bytes: Infinity, segments: MOST_SEGMENTS_DRAWN },
    });
    connection = again.connections.find((c) => c.id === id);
    if (again.segmentsDropped) {
      post({ type: 'diagram', request, error: `connection ${id} has more than ${MOST_SEGMENTS_DRAWN.toLocaleString('en')} segments: too many to draw` });
      return;
    }
  }
  if (!connection) post({ type: 'diagram', request, error: `connection ${id} was not found` });
  else post({ type: 'diagram', request, view: diagramView(key, connection, settings) });
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
    case 'ack':
      acknowledged?.();
      break;
    case 'diagram':
      diagram(message.request, message.key, message.id, message.settings).catch((e) =>
        post({ type: 'diagram', request: message.request, error: String(e) }));
      break;
    case 'histories': {
      // Connections are numbered from 1 in the order of the list; while the file is read, as they are so far.
      const connection = (whole?.connections ?? live)[message.id - 1];
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
