/**
 * Worker thread entry: renders spans of scores (keeping its own sound font), measures and limits
 * halves of a mix, and encodes MP3 tails; all audio arrives in shared memory.
 */
import { parentPort } from 'node:worker_threads';
import { encodeTailHere } from '../../../audio/parallel-mp3.js';
import { rangeChunks } from '../master/chunk-stats.js';
import { encodeLimitedMp3, type LimitSettings } from '../master/limited-mp3.js';
import { renderSpan, type SpanJob } from './render-span.js';

/** The second half of an MP3 encode (see `encodeMp3InParallel`); channels are in shared memory. */
export interface Mp3TailJob {
  readonly channels: readonly Float32Array[];
  readonly sampleRate: number;
  readonly startFrame: number;
  /** Limit while encoding (see `encodeLimitedMp3`); the channels are encoded as they are without. */
  readonly limit?: LimitSettings;
}

/** Loudness statistics of frames [from, to) (see `rangeChunks`). */
export interface StatsJob {
  readonly channels: readonly Float32Array[];
  readonly sampleRate: number;
  readonly from: number;
  readonly to: number;
}

/** A request from the main thread. */
export interface WorkerRequest {
  readonly id: number;
  readonly job?: SpanJob;
  readonly mp3Tail?: Mp3TailJob;
  readonly stats?: StatsJob;
  /** Cancel the job with this id. */
  readonly cancel?: boolean;
}

/** The answer to a request. */
export interface WorkerReply {
  readonly id: number;
  readonly ok: boolean;
  readonly error?: string;
  readonly bytes?: Uint8Array;
  readonly stats?: ReturnType<typeof rangeChunks>;
}

const controllers = new Map<number, AbortController>();
const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []) => parentPort?.postMessage(message, transfer);

parentPort?.on('message', (message: WorkerRequest) => {
  if (message.cancel) {
    controllers.get(message.id)?.abort();
    return;
  }
  const fail = (error: unknown) => reply({ id: message.id, ok: false, error: String(error) });
  if (message.mp3Tail) {
    const { channels, sampleRate, startFrame, limit } = message.mp3Tail;
    const encoded = limit
      ? encodeLimitedMp3(channels, limit, startFrame, channels[0]?.length ?? 0)
      : encodeTailHere(channels, sampleRate, startFrame);
    // Copied, not transferred: detaching a buffer in this thread would invalidate V8's
    // array-buffer-detaching protector and slow every later render here (typed-array accesses
    // then check for detached buffers).
    encoded.then((bytes) => reply({ id: message.id, ok: true, bytes }), fail);
    return;
  }
  if (message.stats) {
    try {
      const { channels, sampleRate, from, to } = message.stats;
      reply({ id: message.id, ok: true, stats: rangeChunks(channels, sampleRate, from, to) });
    } catch (error) {
      fail(error);
    }
    return;
  }
  if (!message.job) return;
  const controller = new AbortController();
  controllers.set(message.id, controller);
  renderSpan(message.job, controller.signal)
    .then(() => reply({ id: message.id, ok: true }), fail)
    .finally(() => controllers.delete(message.id));
});
