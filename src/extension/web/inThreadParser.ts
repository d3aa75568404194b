import type { ParserPort } from '../platform';
import { CaptureService, SERVICE_LIMITS } from '../worker/captureService';
import type { FromWorker, ToWorker } from '../worker/protocol';

/**
 * The capture service on the extension host's own thread, for a web host that cannot start a worker (no Worker in its
 * scope, or a policy that refuses one made from a Blob URL, or one that does not start in time). It answers like a worker: each
 * message in its own turn of the event loop, as a copy (so neither side can change what the other holds); a capture
 * is read in slices with a turn between them (see bytesInput), so the host's other work goes on meanwhile; what one
 * message does at one go (a scenario, a diagram) is held to SERVICE_LIMITS.hostThread.
 */
export function inThreadParser(): ParserPort {
  const messageListeners: Array<(message: FromWorker) => void> = [];
  const exitListeners: Array<() => void> = [];
  let stopped = false;
  const service = new CaptureService((message) => setTimeout(() => {
    if (stopped) return;
    const copy = structuredClone(message);
    for (const listener of messageListeners) listener(copy);
  }, 0), undefined, SERVICE_LIMITS.hostThread);
  return {
    post(message: ToWorker) {
      // A capture's bytes are the host's no more once handed over: no need to copy them.
      const given = message.type === 'openBytes' ? message : structuredClone(message);
      setTimeout(() => stopped || service.handle(given), 0);
    },
    onMessage: (listener) => void messageListeners.push(listener),
    // The service reports its failures as messages; nothing else can fail here.
    onError: () => undefined,
    onExit: (listener) => void exitListeners.push(listener),
    runsIn: () => 'this thread',
    terminate() {
      if (stopped) return;
      stopped = true;
      service.stop();
      for (const listener of exitListeners) listener();
    },
  };
}
