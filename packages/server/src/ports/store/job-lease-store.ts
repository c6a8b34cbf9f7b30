import type { JobFailure, JobRecord, JobSuccess, UpstreamNote } from './store-records.js';

/**
 * Jobs as a worker sees them: claimed under a lease token, and every later write fenced by it.
 * Part of the persistence port (`store.ts`): each method is one atomic operation, run by the
 * adapter in one transaction. Times are milliseconds since the epoch, passed in.
 */
export interface JobLeaseStore {
  /** Mark up to `limit` runnable jobs of `engine` running under a fresh lease token, oldest first. */
  claimJobs(engine: string, limit: number, leaseMs: number, now: number): Promise<JobRecord[]>;
  /** Extend a lease and record progress; false when the lease is no longer this token's (stop work). */
  renewLease(jobId: string, token: string, leaseUntil: number, progress: number, stage: string | null): Promise<boolean>;
  /** Fenced: store the result, mark done and capture the hold. False (and nothing changes) when stale. */
  completeJob(jobId: string, token: string, success: JobSuccess, now: number): Promise<boolean>;
  /** Fenced: requeue (retryable, attempts left) or fail and release the hold. */
  failJob(jobId: string, token: string, failure: JobFailure, now: number): Promise<'requeued' | 'failed' | 'stale'>;
  /**
   * Fenced: note on a running job the remote engine instance serving it and its upstream
   * request, so a later attempt resumes that request instead of paying for another. Latency
   * and cost, when given, are kept; when absent, earlier values stay. False when stale.
   */
  recordUpstream(jobId: string, token: string, note: UpstreamNote): Promise<boolean>;
  /** Fenced: give a running job back to the queue without spending an attempt (graceful shutdown). */
  returnJob(jobId: string, token: string): Promise<boolean>;
}
