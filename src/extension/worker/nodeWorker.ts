// The desktop's parser: a Node worker thread running the capture service, with files read from disk by path (in
// chunks, and by ranges for one connection's records).
import { parentPort } from 'node:worker_threads';
import { fileChunks } from '../../node/fileChunks';
import { readRanges } from '../../node/fileRanges';
import { CaptureService } from './captureService';
import type { FromWorker, ToWorker } from './protocol';

const port = parentPort!;
const service = new CaptureService((message: FromWorker) => port.postMessage(message),
  (path) => ({ chunks: () => fileChunks(path), ranges: (ranges) => readRanges(path, ranges), ranged: true }));
port.on('message', (message: ToWorker) => service.handle(message));
