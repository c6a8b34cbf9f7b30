import type { JobState } from '../../domain/job-state.js';
import type { ModelCostLine, OpenJobCount } from './store-records.js';

/**
 * Read-only figures over jobs: execution estimates, cost reports and metrics.
 * Part of the persistence port (`store.ts`): each method is one atomic operation, run by the
 * adapter in one transaction. Times are milliseconds since the epoch, passed in.
 */
export interface JobStatisticsStore {
  /** Total times (enqueue → done, ms) of the model's most recent done jobs, newest first. */
  recentTotals(modelId: string, limit: number): Promise<number[]>;
  /** Revenue against upstream cost per model, over jobs that finished in [from, to), by model id. */
  upstreamCosts(from: number, to: number): Promise<ModelCostLine[]>;
  /** Number of jobs in each state. */
  countJobs(): Promise<Record<JobState, number>>;
  /** Queued and running jobs by route (a job's `engine`) and state: what `/metrics` shows as queue depth. */
  countOpenJobs(): Promise<readonly OpenJobCount[]>;
}
