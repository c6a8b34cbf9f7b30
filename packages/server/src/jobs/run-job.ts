import { ApiError } from '../domain/api-error.js';
import { retryBackoffMs } from '../domain/job-state.js';
import { EngineRejection } from '../ports/engine.js';
import type { JobFailure, JobRecord } from '../ports/store/store-records.js';
import type { WorkerPoolOptions } from './worker-pool.js';

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

/** How an attempt ended, for the job's log line and metrics. */
export interface AttemptReport {
  readonly model: string;
  /** The engine instance the attempt ended on. */
  readonly engine: string;
  readonly outcome: 'done' | 'failed' | 'requeued' | 'cancelled' | 'stale' | 'returned' | 'lease_lost';
  readonly milliseconds: number;
}

/** Log an attempt's end at info (one line per job transition) and count it. */
export function reportAttempt(
  context: Pick<WorkerPoolOptions, 'log' | 'onAttempt'>,
  job: JobRecord,
  report: Omit<AttemptReport, 'model'>,
  extra: object = {},
): void {
  const attempt = { model: job.modelId, ...report };
  const { engine, outcome, milliseconds } = attempt;
  context.log.info(
    { jobId: job.id, model: job.modelId, engine, attempt: job.attempt, outcome, ms: Math.round(milliseconds), ...extra },
    'job finished',
  );
  context.onAttempt?.(attempt);
}
