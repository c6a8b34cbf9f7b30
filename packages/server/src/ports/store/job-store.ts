import type { CurrencyAmounts } from '../../domain/currency.js';
import type { HistoryCursor } from '../../domain/job-history.js';
import type { CancelOutcome, EnqueueOutcome, JobRecord, NewJob } from './store-records.js';

/**
 * Jobs as the API sees them: queued with their hold, read, listed, cancelled, their media deleted.
 * Part of the persistence port (`store.ts`): each method is one atomic operation, run by the
 * adapter in one transaction. Times are milliseconds since the epoch, passed in.
 */
export interface JobStore {
  /**
   * Reserve the price (DIEM first, then USD — whichever single currency covers it whole) and
   * create the job, its hold and its idempotency key, in one transaction; or create nothing.
   * A key already used with the same request hash replays the first job.
   */
  enqueue(job: NewJob, price: CurrencyAmounts, now: number): Promise<EnqueueOutcome>;
  /** The account's job, or undefined for an unknown or foreign id. */
  getJob(accountId: string, jobId: string): Promise<JobRecord | undefined>;
  /** At most `limit` of the account's jobs, newest first (creation time, then id), after the cursor. */
  listJobs(accountId: string, limit: number, after: HistoryCursor | null): Promise<JobRecord[]>;
  /**
   * Cancel a job of this account: a queued or running job becomes `cancelled` and its hold is
   * released in full, in one transaction (a running attempt then fails its fenced settle).
   * Undefined for an unknown or foreign id.
   */
  cancelJob(accountId: string, jobId: string, now: number): Promise<CancelOutcome | undefined>;
  /** How many runnable jobs of the same engine are ahead of this queued job. */
  queuePosition(jobId: string): Promise<number>;
  /** Mark a done job's media deleted; true only for the one caller that changed it. */
  markMediaDeleted(jobId: string, now: number): Promise<boolean>;
}
