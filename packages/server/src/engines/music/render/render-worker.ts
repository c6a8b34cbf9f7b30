/** Worker thread entry: renders spans of scores (keeping its own sound font) and encodes MP3 tails. */
import { parentPort } from 'node:worker_threads';
import { encodeTailHere } from '../../../audio/parallel-mp3.js';
import { renderSpan, type SpanJob } from './render-span.js';

/** The second half of an MP3 encode (see `encodeMp3InParallel`); channels are in shared memory. */
export interface Mp3TailJob {
  readonly channels: readonly Float32Array[];
  readonly sampleRate: number;
  readonly startFrame: number;
}

/** A request from the main thread. */
export interface WorkerRequest {
  readonly id: number;
  readonly job?: SpanJob;
  readonly mp3Tail?: Mp3TailJob;
  /** Cancel the job with this id. */
  readonly cancel?: boolean;
}

const controllers = new Map<number, AbortController>();
parentPort?.on('message', (message: WorkerRequest) => {
  if (message.cancel) {
    controllers.get(message.id)?.abort();
    return;
  }
  const fail = (error: unknown) => parentPort?.postMessage({ id: message.id, ok: false, error: String(error) });
  if (message.mp3Tail) {
    const { channels, sampleRate, startFrame } = message.mp3Tail;
    encodeTailHere(channels, sampleRate, startFrame).then((bytes) => {
      const copy = new Uint8Array(bytes);
      parentPort?.postMessage({ id: message.id, ok: true, bytes: copy }, [copy.buffer]);
    }, fail);
    return;
  }
  if (!message.job) return;
  const controller = new AbortController();
  controllers.set(message.id, controller);
  renderSpan(message.job, controller.signal)
    .then(() => parentPort?.postMessage({ id: message.id, ok: true }), fail)
    .finally(() => controllers.delete(message.id));
});
