import { retryBackoffMs } from '../domain/job-state.js';
import type { JobFailure, JobRecord } from '../ports/store/store-records.js';
import { jobFailure } from '../services/engine-failure.js';
import type { WorkerPoolOptions } from './worker-pool.js';

/** What one attempt works with: the pool's options, and whether the pool is stopping. */
export type AttemptContext = WorkerPoolOptions & { readonly stopping: () => boolean };

/** Turn whatever an engine threw into a stored failure (see `jobFailure`), retried after the attempt's back-off. */
export function classifyFailure(error: unknown, attempt: number, now: number): JobFailure {
  return jobFailure(error, now + retryBackoffMs(attempt));
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
