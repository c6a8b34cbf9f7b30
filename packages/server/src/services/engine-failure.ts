import { ApiError } from '../domain/api-error.js';
import { EngineRejection } from '../ports/engine.js';
import type { JobFailure } from '../ports/store/store-records.js';

/**
 * Who reports a rejection. A queued job keeps a suggested prompt on a rejection of any kind,
 * `/audio/speech` only on a content-policy one: the two answers differed before they were written
 * once, and each caller kept its own.
 */
export type RejectionAudience = 'job' | 'speech';

/**
 * The API error for an engine's rejection: `refused` is a 500 `inference_failed` whose `detail`
 * says why, `content_policy` a 422, `capacity` a 503, and `invalid_input` a 400 with the engine's
 * message (code `speakable_text` for the reason `no_speakable_text`, else `invalid_input`).
 */
export function rejectionError(rejection: EngineRejection, audience: RejectionAudience): ApiError {
  const { kind, suggestedPrompt } = rejection;
  const suggestion = suggestedPrompt && (audience === 'job' || kind === 'content_policy') ? { suggested_prompt: suggestedPrompt } : {};
  switch (kind) {
    case 'refused':
      // An upstream refused Overture's own request (credentials, a missing model): said plainly.
      return new ApiError('inference_failed', { detail: rejection.message });
    case 'content_policy':
      return new ApiError('content_policy', suggestion);
    case 'capacity':
      return new ApiError('capacity', suggestion);
    case 'invalid_input':
      return new ApiError(rejection.reason === 'no_speakable_text' ? 'speakable_text' : 'invalid_input', suggestion, rejection.message);
  }
}

/**
 * The stored failure of a job attempt for whatever its engine threw. A rejection is final (its
 * API error), except `capacity`, which is retried; anything else (an upstream failure, a stop, a
 * bug) is a 500 `inference_failed` that is retried.
 */
export function jobFailure(error: unknown, retryAt: number): JobFailure {
  const rejected = error instanceof EngineRejection;
  const api = rejected ? rejectionError(error, 'job') : new ApiError('inference_failed');
  return { status: api.status, body: api.body(), retryable: !rejected || error.kind === 'capacity', retryAt };
}

/** Where a synchronous speech call stood when its engine threw, and no other instance took over. */
export interface SpeechFailure {
  /** The answer's headers went out with its first bytes: nothing can replace it any more. */
  readonly opened: boolean;
  /** The call's signal aborted (the client left, the server stops). */
  readonly aborted: boolean;
  /** The instance waits on an upstream over the network. */
  readonly remote: boolean;
}

/**
 * The API error `/audio/speech` answers with for what its engine threw: before the first byte, a
 * rejection is its API error and a remote instance's failure (unless the call was aborted) a 503
 * `capacity`, the model being unavailable for now. Undefined otherwise: the error goes on as is.
 */
export function speechError(error: unknown, failure: SpeechFailure): ApiError | undefined {
  if (failure.opened) return undefined;
  if (error instanceof EngineRejection) return rejectionError(error, 'speech');
  return !failure.aborted && failure.remote ? new ApiError('capacity') : undefined;
}
