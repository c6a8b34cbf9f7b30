import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { JobLeaseStore } from '../../ports/store/job-lease-store.js';
import type { JobFailure, JobRecord, JobSuccess, UpstreamNote } from '../../ports/store/store-records.js';
import { toJob, upstreamValues } from '../sql-rows.js';
import type { SqliteContext } from './sqlite-context.js';
import { settleHoldRow } from './sqlite-ledger.js';
import { markFailed } from './sqlite-reaper.js';
import { statement } from './sqlite-statements.js';
import { queueWebhook } from './sqlite-webhook-outbox.js';

/**
 * Jobs as a worker sees them, in SQLite: claims and lease renewals commit without an fsync of
 * their own; a settle (done, failed) waits for the disk.
 */
export class SqliteJobLeaseStore implements JobLeaseStore {
  private readonly db: Database.Database;

  constructor(private readonly context: SqliteContext) {
    this.db = context.db;
  }

  async claimJobs(engine: string, limit: number, leaseMs: number, now: number): Promise<JobRecord[]> {
    if (limit <= 0) return [];
    // Idle polls stay read-only: take the write lock only when something is waiting.
    const waiting = statement(this.db, `SELECT 1 FROM jobs WHERE engine = ? AND state = 'queued' AND run_after <= ? LIMIT 1`).get(
      engine,
      now,
    );
    if (!waiting) return [];
    const rows = this.context.withoutSync(() =>
      this.db
        .transaction(() => {
          const ids = statement(
            this.db,
            `SELECT id FROM jobs WHERE engine = ? AND state = 'queued' AND run_after <= ? ORDER BY run_after, rowid LIMIT ?`,
          ).all(engine, now, limit) as { id: string }[];
          const claim = statement(
            this.db,
            `UPDATE jobs SET state = 'running', attempt = attempt + 1, lease_token = ?, lease_until = ?,
           started_at = COALESCE(started_at, ?), progress = 0, stage = NULL WHERE id = ? AND state = 'queued' RETURNING *`,
          );
          return ids.map(({ id }) => claim.get(randomUUID(), now + leaseMs, now, id) as Record<string, unknown>);
        })
        .immediate(),
    );
    return rows.filter(Boolean).map(toJob);
  }

  async renewLease(jobId: string, token: string, leaseUntil: number, progress: number, stage: string | null) {
    const result = this.context.withoutSync(() =>
      statement(
        this.db,
        `UPDATE jobs SET lease_until = ?, progress = ?, stage = ? WHERE id = ? AND state = 'running' AND lease_token = ?`,
      ).run(leaseUntil, progress, stage, jobId, token),
    );
    return result.changes === 1;
  }

  async completeJob(jobId: string, token: string, success: JobSuccess, now: number) {
    return this.context.commitDurably(() => {
      const job = statement(
        this.db,
        `UPDATE jobs SET state = 'done', finished_at = ?, progress = 1, lease_token = NULL, lease_until = NULL, media_key = ?,
             media_bytes = ?, duration_seconds = ?, inference_ms = ?, expires_at = ?
           WHERE id = ? AND state = 'running' AND lease_token = ? RETURNING hold_id`,
      ).get(now, success.mediaKey, success.mediaBytes, success.durationSeconds, success.inferenceMs, success.expiresAt, jobId, token) as
        | { hold_id: string }
        | undefined;
      if (!job) return false;
      settleHoldRow(this.db, job.hold_id, 'capture', now);
      queueWebhook(this.db, jobId, 'job.done', now);
      return true;
    });
  }

  async failJob(jobId: string, token: string, failure: JobFailure, now: number): Promise<'requeued' | 'failed' | 'stale'> {
    return this.context.commitDurably((): 'requeued' | 'failed' | 'stale' => {
      const job = statement(
        this.db,
        `SELECT attempt, max_attempts, hold_id FROM jobs WHERE id = ? AND state = 'running' AND lease_token = ?`,
      ).get(jobId, token) as { attempt: number; max_attempts: number; hold_id: string } | undefined;
      if (!job) return 'stale';
      if (failure.retryable && job.attempt < job.max_attempts) {
        statement(this.db, `UPDATE jobs SET state = 'queued', run_after = ?, lease_token = NULL, lease_until = NULL WHERE id = ?`).run(
          failure.retryAt,
          jobId,
        );
        return 'requeued';
      }
      markFailed(this.db, jobId, job.hold_id, failure.status, failure.body, now);
      return 'failed';
    });
  }

  /**
   * Like a claim, the note survives a process crash (kill -9) but not a power cut, which loses
   * the claim before it too: then the job runs again and the upstream may be asked twice —
   * money here still moves once. Its own fsync would sit between enqueue and upstream submit.
   */
  async recordUpstream(jobId: string, token: string, note: UpstreamNote) {
    return this.context.withoutSync(() => {
      const result = statement(
        this.db,
        `UPDATE jobs SET upstream_instance = ?, upstream_key = ?, upstream_request_id = ?,
             upstream_latency_ms = COALESCE(?, upstream_latency_ms), upstream_cost = COALESCE(?, upstream_cost)
           WHERE id = ? AND state = 'running' AND lease_token = ?`,
      ).run(...upstreamValues(note), jobId, token);
      return result.changes === 1;
    });
  }

  async returnJob(jobId: string, token: string) {
    const result = statement(
      this.db,
      `UPDATE jobs SET state = 'queued', attempt = attempt - 1, lease_token = NULL, lease_until = NULL WHERE id = ? AND state = 'running' AND lease_token = ?`,
    ).run(jobId, token);
    return result.changes === 1;
  }
}
