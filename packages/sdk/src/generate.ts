import { sleep, throwIfAborted } from './abort.js';
import type { AudioResource } from './audio-resource.js';
import type { QueueRequest, QueueResponse } from './audio-types.js';
import type { ModelsResource } from './account-resources.js';
import { BudgetExceededError, RateLimitError, TimeoutError, ValidationError } from './errors.js';
import type { Model } from './model-types.js';
import { assertValidQueueRequest, detailsOf } from './validate-request.js';

/** Poll timing of `generate()`, in milliseconds. */
export interface PollingOptions {
  /** Bounds of the first wait, which follows the model's `average_execution_time` (default 500..10 000). */
  readonly firstDelayMinMs: number;
  readonly firstDelayMaxMs: number;
  /** Bounds of each later wait, picked at random in between (default 2 000..5 000). */
  readonly intervalMinMs: number;
  readonly intervalMaxMs: number;
}

/** The default poll timing. */
export const DEFAULT_POLLING: PollingOptions = {
  firstDelayMinMs: 500,
  firstDelayMaxMs: 10_000,
  intervalMinMs: 2_000,
  intervalMaxMs: 5_000,
};

/** Reported to `onProgress` after every retrieve. */
export interface GenerateProgress {
  readonly queueId: string;
  /** Milliseconds since the job was queued (server clock). */
  readonly elapsedMs: number;
  /** The model's recent P80 total time in milliseconds (0 when unknown). */
  readonly expectedMs: number;
  /** An estimate in 0..1; 1 only once the audio is ready. */
  readonly fraction: number;
}

/** Options of `generate()`. */
export interface GenerateOptions {
  /** Check the request against the model's `model_spec` before anything is charged (default true). */
  readonly validate?: boolean;
  /** Refuse to queue (with `BudgetExceededError`) when the quote is above this many USD. */
  readonly maxPriceUsd?: number;
  /** Cancel: rejects with an `AbortError`; a queued job is left as is (not completed). */
  readonly signal?: AbortSignal;
  /** Called after every poll. */
  readonly onProgress?: (progress: GenerateProgress) => void;
  /** Called once the job is queued, with its id and price. */
  readonly onQueued?: (queued: QueueResponse & { readonly quote: number }) => void;
  /** Delete the media with the final retrieve (`delete_media_on_completion`) instead of calling `complete`. */
  readonly deleteOnRetrieve?: boolean;
  /** Poll timing overrides. */
  readonly polling?: Partial<PollingOptions>;
  /** Give up polling (with a `TimeoutError`) after this many milliseconds; the job keeps running. */
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

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

function unknownModel(id: string): ValidationError {
  const issues = [{ path: ['model'], message: `Unknown queue model: ${id}`, code: 'custom' }];
  return new ValidationError('Invalid request parameters', { status: 400, issues, details: detailsOf(issues) });
}

/** A random idempotency key (WebCrypto's UUID where available). */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The whole queue flow in one call: validate, quote, budget gate, queue, poll, read, complete. */
export async function generate(
  resources: { readonly models: ModelsResource; readonly audio: AudioResource },
  request: QueueRequest,
  options: GenerateOptions = {},
): Promise<GenerateResult> {
  const { signal } = options;
  const polling = { ...DEFAULT_POLLING, ...options.polling };
  throwIfAborted(signal);
  const models = await resources.models.list({ type: 'music' }, { signal });
  const model: Model | undefined = models.data.find((row) => row.id === request.model);
  if (options.validate !== false) {
    if (!model) throw unknownModel(request.model);
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
  const queueId = queued.queue_id;
  const body = { model: queued.model, queue_id: queueId, ...(options.deleteOnRetrieve ? { delete_media_on_completion: true } : {}) };
  const startedAt = Date.now();
  const interval = () => polling.intervalMinMs + Math.random() * Math.max(0, polling.intervalMaxMs - polling.intervalMinMs);
  for (let poll = 0; ; poll++) {
    let waitMs: number;
    try {
      const result = await resources.audio.retrieve(body, { signal });
      if (result.status === 'COMPLETED') {
        const bytes = await result.bytes();
        options.onProgress?.({ queueId, elapsedMs: Date.now() - startedAt, expectedMs: 0, fraction: 1 });
        if (!options.deleteOnRetrieve)
          await resources.audio.complete({ model: queued.model, queue_id: queueId }, { signal }).catch(() => undefined);
        const { contentType, format, durationSeconds, inferenceSeconds, modelId } = result;
        return { queueId, model: queued.model, quote, contentType, format, durationSeconds, inferenceSeconds, modelId, bytes };
      }
      const { averageExecutionTime: expectedMs, executionDuration: elapsedMs } = result;
      const fraction = expectedMs > 0 ? Math.min(0.99, elapsedMs / expectedMs) : 0;
      options.onProgress?.({ queueId, elapsedMs, expectedMs, fraction });
      waitMs = poll === 0 ? clamp(expectedMs - elapsedMs, polling.firstDelayMinMs, polling.firstDelayMaxMs) : interval();
    } catch (error) {
      if (!(error instanceof RateLimitError)) throw error;
      waitMs = error.retryAfter !== undefined ? error.retryAfter * 1000 : interval();
    }
    if (options.maxWaitMs !== undefined && Date.now() - startedAt + waitMs > options.maxWaitMs)
      throw new TimeoutError(`Job ${queueId} still processing after ${options.maxWaitMs} ms`);
    await sleep(waitMs, signal);
  }
}
