// The browser's parser, where the web extension host can start a Web Worker: the capture service, given the bytes
// VS Code's file system read. It says `ready` first, so that the host knows the worker runs (a worker the browser
// refused only fails later, with an error event).
import { CaptureService } from './captureService';
import type { FromWorker, ToWorker } from './protocol';

/** The worker's own scope, as far as it is used here (the core's lib has no DOM or WebWorker types). */
declare const self: {
  postMessage(message: FromWorker, transfer?: unknown[]): void;
  onmessage: ((event: { data: ToWorker }) => void) | null;
};

const service = new CaptureService((message) => self.postMessage(message));
self.onmessage = (event) => service.handle(event.data);
self.postMessage({ type: 'ready' });
