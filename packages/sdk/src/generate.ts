import { throwIfAborted } from './abort.js';
import type { AudioResource } from './audio-resource.js';
import type { QueueRequest, QueueResponse } from './audio-types.js';
import type { ModelsResource } from './account-resources.js';
import { BudgetExceededError, ModelNotFoundError } from './errors.js';
import type { JobProgress } from './follow-job.js';
import type { CancelResponse } from './job-types.js';
import type { Model } from './model-types.js';
import type { PollingOptions } from './poll-job.js';
import { assertValidQueueRequest } from './validate-request.js';

/** Reported to `onProgress`: the server's state, progress, stage and ETA as the job moves. */
export type GenerateProgress = JobProgress;

/** Options of `generate()`. */
export interface GenerateOptions {
  /** Check the request against the model's `model_spec` before anything is charged (default true). */
  readonly validate?: boolean;
  /** Refuse to queue (with `BudgetExceededError`) when the quote is above this many USD. */
  readonly maxPriceUsd?: number;
  /**
   * Stop waiting: rejects with an `AbortError` and, once the job is queued, cancels it on the
   * server so its hold is released (unless `cancelOnAbort: false`, which leaves it running).
   */
  readonly signal?: AbortSignal;
  /** Cancel the queued job when `signal` aborts (default true; Overture's `POST /audio/cancel`). */
  readonly cancelOnAbort?: boolean;
  /** Called with the server's answer when an abort cancelled the job. */
  readonly onCancelled?: (cancelled: CancelResponse) => void;
  /** Called on every status event (or poll), and with `fraction: 1` once the audio is ready. */
  readonly onProgress?: (progress: GenerateProgress) => void;
  /** Called once the job is queued, with its id and price. */
  readonly onQueued?: (queued: QueueResponse & { readonly quote: number }) => void;
  /** Delete the media with the final retrieve (`delete_media_on_completion`) instead of calling `complete`. */
  readonly deleteOnRetrieve?: boolean;
  /** Poll timing where the server has no status stream (default 250 ms, then ×1.6 up to 5 s). */
  readonly polling?: Partial<PollingOptions>;
  /** Follow the status event stream where the server has one (default true); false polls `retrieve` only. */
  readonly stream?: boolean;
  /** Give up waiting (with a `TimeoutError`) after this many milliseconds; the job keeps running. */
  readonly maxWaitMs?: number;
  /**
   * The `Idempotency-Key` of the queue call (default: a new random UUID), which lets the queue call
   * be retried on connection errors, 429 and 5xx without a second job or charge.
   */
  readonly idempotencyKey?: string;
}

/** The finished audio and what the server said about it. */
export interface GenerateResult {
  readonly queueId: string;
  readonly model: string;
  /** The USD price quoted (and reserved) for the job. */
  readonly quote: number;
  readonly contentType: string;
  readonly format: string;
  readonly durationSeconds: number;
  readonly inferenceSeconds: number;
  readonly modelId: string;
  readonly bytes: Uint8Array;
}

/** How long the cancel sent after an abort may take. */
const CANCEL_TIMEOUT_MS = 10_000;

/** A random idempotency key (WebCrypto's UUID where available). */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The whole queue flow in one call: validate, quote, budget gate, queue, follow the job (status
 * stream, else polling), read, complete. An abort after queueing cancels the job.
 */
export async function generate(
  resources: { readonly models: ModelsResource; readonly audio: AudioResource },
  request: QueueRequest,
  options: GenerateOptions = {},
): Promise<GenerateResult> {
  const { signal } = options;
  throwIfAborted(signal);
  const models = await resources.models.list({ type: 'music' }, { signal });
  const model: Model | undefined = models.data.find((row) => row.id === request.model);
  if (options.validate !== false) {
    if (!model) throw new ModelNotFoundError(request.model, { status: 404 }, 'music');
    assertValidQueueRequest(model, request);
  }
  const perCharacter = model !== undefined && 'per_thousand_characters' in model.model_spec.pricing;
  const quoted = await resources.audio.quote(
    {
      model: request.model,
      ...(request.duration_seconds === undefined ? {} : { duration_seconds: request.duration_seconds }),
      ...(perCharacter ? { character_count: request.prompt.trim().length } : {}),
    },
    { signal },
  );
  const { quote } = quoted;
  if (options.maxPriceUsd !== undefined && quote > options.maxPriceUsd) throw new BudgetExceededError(quote, options.maxPriceUsd);
  throwIfAborted(signal);
  const idempotencyKey = options.idempotencyKey ?? newIdempotencyKey();
  const bound = quoted.quote_id !== undefined && request.quote_id === undefined ? { ...request, quote_id: quoted.quote_id } : request;
  const queued = await resources.audio.queue(bound, { signal, idempotencyKey });
  options.onQueued?.({ ...queued, quote });
  const job = { model: queued.model, queue_id: queued.queue_id };
  try {
    const { onProgress, polling, maxWaitMs, deleteOnRetrieve, stream } = options;
    const result = await resources.audio.follow(job, { signal, onProgress, polling, maxWaitMs, deleteOnRetrieve, stream });
    const bytes = await result.bytes();
    if (!options.deleteOnRetrieve) await resources.audio.complete(job, { signal }).catch(() => undefined);
    const { contentType, format, durationSeconds, inferenceSeconds, modelId } = result;
    return { queueId: job.queue_id, model: job.model, quote, contentType, format, durationSeconds, inferenceSeconds, modelId, bytes };
  } catch (error) {
    if (signal?.aborted && options.cancelOnAbort !== false) {
      const cancelled = await resources.audio.cancel(job, { timeoutMs: CANCEL_TIMEOUT_MS, maxRetries: 1 }).catch(() => undefined);
      if (cancelled) options.onCancelled?.(cancelled);
    }
    throw error;
  }
}
