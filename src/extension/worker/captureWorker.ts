// Reads a capture, or simulates a scenario, off the extension host's event loop, so the host stays responsive
// whatever a file holds. A small capture is kept whole, so diagrams come at once; a large one keeps what the tree shows
// and the first connection's segments, and another connection's diagram reads the file again keeping that one's
// segments. A scenario is kept whole (the simulator's limits bound it).
import { parentPort } from 'node:worker_threads';
import { analyzeCapture, type CaptureAnalysis } from '../../core/analyze';
import { analyzeScenario } from '../../core/scenario/analyzeScenario';
import type { Connection } from '../../core/tcp/connection';
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
const MOST_SEGMENTS_DRAWN = 2_000_000;

const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);
let input: { path?: string; bytes?: Uint8Array; msl: number } | undefined;
let whole: CaptureAnalysis | undefined;
const cancellation = { aborted: false };

async function* chunks(): AsyncGenerator<Uint8Array> {
  if (input?.path) yield* fileChunks(input.path);
  else if (input?.bytes) yield input.bytes;
}

/** Connections to the tree, in batches: one message with a million would hold the host's thread while it is taken in. */
function sendConnections(connections: readonly Connection[]): void {
  for (let i = 0; i < connections.length; i += SUMMARY_BATCH) {
    post({ type: 'connections', items: connections.slice(i, i + SUMMARY_BATCH).map(summary) });
  }
}

async function read(): Promise<void> {
  let fresh: Connection[] = [];
  // The first chunk's connections go out at once: the tree should show something as soon as possible.
  let lastSent = 0;
  const analysis = await analyzeCapture(chunks(), {
    msl: input!.msl,
    keepSegments: true,
    keepLimit: KEEP_LIMIT,
    signal: cancellation,
    onConnection: (c) => fresh.push(c),
    onProgress: (bytes) => {
      post({ type: 'progress', bytes });
      // New connections go out while the file is read, so the tree fills; at the end every one goes again, complete.
      if (Date.now() - lastSent > 250) {
        sendConnections(fresh);
        fresh = [];
        lastSent = Date.now();
      }
    },
  });
  sendConnections(analysis.connections);
  whole = analysis;
  const { format, compressed, packets, decode, errors, cancelled } = analysis;
  post({ type: 'done', head: { format, compressed, packets, decode, errors, cancelled }, notCapture: analysis.notCapture });
}

function simulate(text: string, msl: number, title: string | undefined): void {
  const { analysis } = analyzeScenario(text, { msl });
  if (title !== undefined) for (const c of analysis.connections) c.title = title;
  whole = analysis;
  sendConnections(analysis.connections);
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
      try {
        simulate(message.text, message.msl, message.title);
      } catch (error) {
        fail(error);
      }
      break;
    case 'diagram':
      diagram(message.request, message.key, message.id, message.settings).catch((e) =>
        post({ type: 'diagram', request: message.request, error: String(e) }));
      break;
    case 'cancel':
      cancellation.aborted = true;
      break;
  }
});
