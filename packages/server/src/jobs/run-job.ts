import { ApiError } from '../domain/api-error.js';
import { retryBackoffMs } from '../domain/job-state.js';
import { EngineRejection } from '../ports/engine.js';
import type { JobFailure } from '../ports/store.js';

/** Turn whatever an engine threw into a stored failure: rejections are final, the rest retried. */
export function classifyFailure(error: unknown, attempt: number, now: number): JobFailure {
  const retryAt = now + retryBackoffMs(attempt);
  if (error instanceof EngineRejection && error.kind === 'refused') {
    // An upstream refused Overture's own request (credentials, a missing model): final, and said plainly.
    const api = new ApiError('inference_failed', { detail: error.message });
    return { status: api.status, body: api.body(), retryable: false, retryAt };
  }
  if (error instanceof EngineRejection) {
    const code = error.kind === 'content_policy' ? 'content_policy' : error.kind === 'capacity' ? 'capacity' : 'invalid_input';
    const extra = error.suggestedPrompt ? { suggested_prompt: error.suggestedPrompt } : {};
    const api = new ApiError(code, extra, code === 'invalid_input' ? error.message : undefined);
    return { status: api.status, body: api.body(), retryable: error.kind === 'capacity', retryAt };
  }
  const api = new ApiError('inference_failed');
  return { status: api.status, body: api.body(), retryable: true, retryAt };
}

/** File extension of a stored media object. */
export function mediaKeyOf(jobId: string, attempt: number, format: string): string {
  return `${jobId}-${attempt}.${format}`;
}
