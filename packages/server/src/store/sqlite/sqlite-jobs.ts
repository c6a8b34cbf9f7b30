import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { CurrencyAmounts } from '../../domain/currency.js';
import { JOB_STATES, type JobState, retryBackoffMs } from '../../domain/job-state.js';
import type { JobFailure, JobRecord, JobSuccess, NewJob, ReserveOutcome } from '../../ports/store.js';
import { reserveHold, settleHoldRow } from './sqlite-ledger.js';
import { toJob } from './sqlite-rows.js';

const LOST_BODY = { error: 'Inference processing failed' };

/** The job half of the SQLite store: enqueue, claim, fenced settle and housekeeping. */
export class SqliteJobs {
  constructor(protected readonly db: Database.Database) {}

  /** Reserve and insert in the caller's transaction. */
  protected enqueueNow(job: NewJob, price: CurrencyAmounts, now: number): ReserveOutcome<JobRecord> {
    const hold = reserveHold(this.db, job.accountId, job.keyId, price, job.id, now);
    if (!hold.ok) return hold;
    this.db
      .prepare(
        `INSERT INTO jobs (id, account_id, key_id, model_id, engine, request, state, attempt, max_attempts, run_after,
           created_at, hold_id, currency, price) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?)`,
      )
      .run(job.id, job.accountId, job.keyId, job.modelId, job.engine, JSON.stringify(job.request), job.maxAttempts, now, now,
        hold.value.holdId, hold.value.currency, hold.value.amount);
    return { ok: true, value: this.row(job.id) as JobRecord };
  }

  private row(jobId: string): JobRecord | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(jobId) as Record<string, unknown> | undefined;
    return row ? toJob(row) : undefined;
  }

  async claimJobs(engine: string, limit: number, leaseMs: number, now: number): Promise<JobRecord[]> {
    if (limit <= 0) return [];
    const rows = this.db.transaction(() => {
      const ids = this.db
        .prepare(`SELECT id FROM jobs WHERE engine = ? AND state = 'queued' AND run_after <= ? ORDER BY run_after, rowid LIMIT ?`)
        .all(engine, now, limit) as { id: string }[];
      const claim = this.db.prepare(
        `UPDATE jobs SET state = 'running', attempt = attempt + 1, lease_token = ?, lease_until = ?,
           started_at = COALESCE(started_at, ?), progress = 0, stage = NULL WHERE id = ? AND state = 'queued' RETURNING *`,
      );
      return ids.map(({ id }) => claim.get(randomUUID(), now + leaseMs, now, id) as Record<string, unknown>);
    }).immediate();
    return rows.filter(Boolean).map(toJob);
  }

  async renewLease(jobId: string, token: string, leaseUntil: number, progress: number, stage: string | null) {
    const result = this.db
      .prepare(`UPDATE jobs SET lease_until = ?, progress = ?, stage = ? WHERE id = ? AND state = 'running' AND lease_token = ?`)
      .run(leaseUntil, progress, stage, jobId, token);
    return result.changes === 1;
  }

  async completeJob(jobId: string, token: string, success: JobSuccess, now: number) {
    return this.db.transaction(() => {
      const job = this.db
        .prepare(
          `UPDATE jobs SET state = 'done', finished_at = ?, progress = 1, lease_token = NULL, lease_until = NULL, media_key = ?,
             media_bytes = ?, duration_seconds = ?, inference_ms = ?, expires_at = ?
           WHERE id = ? AND state = 'running' AND lease_token = ? RETURNING hold_id`,
        )
        .get(now, success.mediaKey, success.mediaBytes, success.durationSeconds, success.inferenceMs, success.expiresAt, jobId, token) as
        | { hold_id: string }
        | undefined;
      if (!job) return false;
      settleHoldRow(this.db, job.hold_id, 'capture', now);
      return true;
    }).immediate();
  }

  async failJob(jobId: string, token: string, failure: JobFailure, now: number): Promise<'requeued' | 'failed' | 'stale'> {
    return this.db.transaction(() => {
      const job = this.db.prepare(`SELECT attempt, max_attempts, hold_id FROM jobs WHERE id = ? AND state = 'running' AND lease_token = ?`).get(jobId, token) as
        | { attempt: number; max_attempts: number; hold_id: string }
        | undefined;
      if (!job) return 'stale';
      if (failure.retryable && job.attempt < job.max_attempts) {
        this.db.prepare(`UPDATE jobs SET state = 'queued', run_after = ?, lease_token = NULL, lease_until = NULL WHERE id = ?`).run(failure.retryAt, jobId);
        return 'requeued';
      }
      this.markFailed(jobId, job.hold_id, failure.status, failure.body, now);
      return 'failed';
    }).immediate();
  }

  private markFailed(jobId: string, holdId: string, status: number, body: object, now: number) {
    this.db
      .prepare(`UPDATE jobs SET state = 'failed', finished_at = ?, lease_token = NULL, lease_until = NULL, error_status = ?, error_body = ? WHERE id = ?`)
      .run(now, status, JSON.stringify(body), jobId);
    settleHoldRow(this.db, holdId, 'release', now);
  }

  async returnJob(jobId: string, token: string) {
    const result = this.db
      .prepare(
        `UPDATE jobs SET state = 'queued', attempt = attempt - 1, lease_token = NULL, lease_until = NULL WHERE id = ? AND state = 'running' AND lease_token = ?`,
      )
      .run(jobId, token);
    return result.changes === 1;
  }

  async getJob(accountId: string, jobId: string) {
    const job = this.row(jobId);
    return job && job.accountId === accountId ? job : undefined;
  }

  async markMediaDeleted(jobId: string, now: number) {
    const result = this.db
      .prepare(`UPDATE jobs SET media_deleted_at = ? WHERE id = ? AND state = 'done' AND media_deleted_at IS NULL`)
      .run(now, jobId);
    return result.changes === 1;
  }

  async listMediaToPurge(limit: number) {
    const rows = this.db
      .prepare(
        `SELECT id, media_key FROM jobs WHERE media_deleted_at IS NOT NULL AND media_key IS NOT NULL AND media_purged = 0 ORDER BY media_deleted_at LIMIT ?`,
      )
      .all(limit) as { id: string; media_key: string }[];
    return rows.map((row) => ({ jobId: row.id, mediaKey: row.media_key }));
  }

  async markMediaPurged(jobId: string) {
    this.db.prepare('UPDATE jobs SET media_purged = 1 WHERE id = ?').run(jobId);
  }

  async reap(now: number, orphanHoldMs: number) {
    return this.db.transaction(() => {
      let requeued = 0;
      let failed = 0;
      const lost = this.db.prepare(`SELECT id, attempt, max_attempts, hold_id FROM jobs WHERE state = 'running' AND lease_until < ?`).all(now) as {
        id: string; attempt: number; max_attempts: number; hold_id: string;
      }[];
      for (const job of lost) {
        if (job.attempt < job.max_attempts) {
          this.db
            .prepare(`UPDATE jobs SET state = 'queued', run_after = ?, lease_token = NULL, lease_until = NULL WHERE id = ?`)
            .run(now + retryBackoffMs(job.attempt), job.id);
          requeued++;
        } else {
          this.markFailed(job.id, job.hold_id, 500, LOST_BODY, now);
          failed++;
        }
      }
      const expired = this.db
        .prepare(`UPDATE jobs SET state = 'expired', media_deleted_at = ? WHERE state = 'done' AND media_deleted_at IS NULL AND expires_at <= ?`)
        .run(now, now).changes;
      const orphans = this.db
        .prepare(`SELECT id FROM holds WHERE state = 'open' AND job_id IS NULL AND created_at < ?`)
        .all(now - orphanHoldMs) as { id: string }[];
      for (const hold of orphans) settleHoldRow(this.db, hold.id, 'release', now);
      return { requeued, failed, expired, released: orphans.length };
    }).immediate();
  }

  async recentTotals(modelId: string, limit: number) {
    const rows = this.db
      .prepare(
        `SELECT finished_at - created_at AS total FROM jobs WHERE model_id = ? AND state IN ('done', 'expired') ORDER BY finished_at DESC LIMIT ?`,
      )
      .all(modelId, limit) as { total: number }[];
    return rows.map((row) => row.total);
  }

  async countJobs() {
    const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
    for (const row of this.db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as { state: JobState; n: number }[])
      counts[row.state] = row.n;
    return counts;
  }
}
