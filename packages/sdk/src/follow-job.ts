import { abortReason, linkedSignal } from './abort.js';
import type { RetrieveCompleted, RetrieveRequest } from './audio-types.js';
import { ConnectionError, JobEndedError, OvertureError, ServerError, TimeoutError } from './errors.js';
import type { JobState, JobStatus, StatusEvent, WatchOptions } from './job-types.js';
import { type PollingOptions, pollUntilReady, type RetrieveFunction } from './poll-job.js';
import { StatusStreamUnavailableError } from './watch-status.js';

/** Where a job stands, as `generate()` and `audio.follow()` report it to `onProgress`. */
export interface JobProgress {
  readonly queueId: string;
  /** The server's state (status stream), or `processing` when only `retrieve` is known. */
  readonly state: JobState | 'processing';
  /** 0..1: the server's own progress on the stream, else elapsed / expected (at most 0.99); 1 once the audio is ready. */
  readonly fraction: number;
  /** What the engine is doing, when the server says. */
  readonly stage: string | null;
  /** Jobs ahead of this one while it waits (stream only). */
  readonly queuePosition: number | null;
  /** The server's estimate of the milliseconds left, when known. */
  readonly etaMs: number | null;
  /** Milliseconds since the job was queued. */
  readonly elapsedMs: number;
  /** Expected total milliseconds (elapsed + ETA, or the model's P80); 0 when unknown. */
  readonly expectedMs: number;
  /** `stream` (the status event stream) or `poll` (the contract's retrieve). */
  readonly source: 'stream' | 'poll';
}

/** Options of `audio.follow()`. */
export interface FollowOptions {
  readonly signal?: AbortSignal;
  /** Called on every status event (or poll), and once with `fraction: 1` when the audio is ready. */
  readonly onProgress?: (progress: JobProgress) => void;
  /** Poll timing when there is no status stream (default: 250 ms, then ×1.6 up to 5 s). */
  readonly polling?: Partial<PollingOptions>;
  /** Give up (with a `TimeoutError`) after this many milliseconds; the job keeps running. */
  readonly maxWaitMs?: number;
  /** Send `delete_media_on_completion` with the retrieve that gets the audio. */
  readonly deleteOnRetrieve?: boolean;
  /** Follow the status event stream when the server has one (default true); false polls only. */
  readonly stream?: boolean;
}

/** What `follow` needs of the audio resource. */
export interface FollowSource {
  readonly retrieve: RetrieveFunction;
  watch(queueId: string, options?: WatchOptions): AsyncIterable<StatusEvent>;
}

/** Whether a failure of the status stream means "use the contract's polling instead". */
function streamUnavailable(error: unknown): boolean {
  if (error instanceof StatusStreamUnavailableError || error instanceof ConnectionError || error instanceof ServerError) return true;
  return error instanceof OvertureError && (error.status === 404 || error.status === 405 || error.status === 406 || error.status === 429);
}

function progressOf(status: JobStatus): JobProgress {
  const elapsedMs = Math.max(0, Date.now() - Date.parse(status.created_at)) || 0;
  return {
    queueId: status.queue_id,
    state: status.state,
    fraction: Math.min(0.99, Math.max(0, status.progress)),
    stage: status.stage,
    queuePosition: status.queue_position,
    etaMs: status.eta_ms,
    elapsedMs,
    expectedMs: status.eta_ms === null ? 0 : elapsedMs + status.eta_ms,
    source: 'stream',
  };
}

/**
 * Wait for a queued job's audio: follow its status event stream and retrieve the audio as soon
 * as the server says it is done; where there is no stream (a 404/405/406, not an event stream,
 * no connection — e.g. Venice itself) or it drops for good, poll `retrieve` instead, starting
 * short and backing off. A failed job rejects with its error; a cancelled or expired one with a
 * `JobEndedError`.
 */
export async function followJob(
  source: FollowSource,
  job: { readonly model: string; readonly queue_id: string },
  options: FollowOptions = {},
): Promise<RetrieveCompleted> {
  const { signal, onProgress } = options;
  const queueId = job.queue_id;
  const body: RetrieveRequest = {
    model: job.model,
    queue_id: queueId,
    ...(options.deleteOnRetrieve ? { delete_media_on_completion: true } : {}),
  };
  const link = linkedSignal(signal, options.maxWaitMs ?? 0);
  const deadline = options.maxWaitMs === undefined ? undefined : Date.now() + options.maxWaitMs;
  const timeout = () => new TimeoutError(`Job ${queueId} still processing after ${options.maxWaitMs} ms`);
  let last: JobProgress | undefined;
  const report = (progress: JobProgress) => {
    last = progress;
    onProgress?.(progress);
  };
  try {
    let ended = false;
    if (options.stream !== false) {
      try {
        for await (const { status } of source.watch(queueId, { signal: link.signal, maxReconnects: 3 })) {
          if (status.state === 'cancelled' || status.state === 'expired') throw new JobEndedError(queueId, status.state);
          ended = status.state === 'done' || status.state === 'failed';
          if (!ended) report(progressOf(status));
        }
      } catch (error) {
        if (link.timedOut()) throw timeout();
        if (signal?.aborted) throw abortReason(signal);
        if (!streamUnavailable(error)) throw error;
      }
    }
    const completed = await pollUntilReady(source.retrieve, body, {
      polling: options.polling,
      signal: link.signal,
      deadline,
      onTimeout: timeout,
      immediately: ended,
      onPoll: ({ averageExecutionTime: expectedMs, executionDuration: elapsedMs }) =>
        report({
          queueId,
          state: 'processing',
          fraction: expectedMs > 0 ? Math.min(0.99, elapsedMs / expectedMs) : 0,
          stage: null,
          queuePosition: null,
          etaMs: expectedMs > 0 ? Math.max(0, expectedMs - elapsedMs) : null,
          elapsedMs,
          expectedMs,
          source: 'poll',
        }),
    }).catch((error: unknown) => {
      if (link.timedOut()) throw timeout();
      if (signal?.aborted) throw abortReason(signal);
      throw error;
    });
    const elapsedMs = last ? last.elapsedMs : 0;
    report({
      queueId,
      state: 'done',
      fraction: 1,
      stage: null,
      queuePosition: null,
      etaMs: 0,
      elapsedMs,
      expectedMs: elapsedMs,
      source: last?.source ?? (ended ? 'stream' : 'poll'),
    });
    return completed;
  } finally {
    link.dispose();
  }
}
