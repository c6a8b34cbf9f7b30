/** Worker thread entry: renders spans of scores on request, keeping its own copy of the sound font. */
import { parentPort } from 'node:worker_threads';
import { renderSpan, type SpanJob } from './render-span.js';

/** A request from the main thread. */
export interface WorkerRequest {
  readonly id: number;
  readonly job?: SpanJob;
  /** Cancel the job with this id. */
  readonly cancel?: boolean;
}

const controllers = new Map<number, AbortController>();
parentPort?.on('message', (message: WorkerRequest) => {
  if (message.cancel) {
    controllers.get(message.id)?.abort();
    return;
  }
  if (!message.job) return;
  const controller = new AbortController();
  controllers.set(message.id, controller);
  renderSpan(message.job, controller.signal).then(
    () => parentPort?.postMessage({ id: message.id, ok: true }),
    (error: unknown) => parentPort?.postMessage({ id: message.id, ok: false, error: String(error) }),
  ).finally(() => controllers.delete(message.id));
});
