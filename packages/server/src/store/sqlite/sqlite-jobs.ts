import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { CurrencyAmounts } from '../../domain/currency.js';
import { JOB_STATES, type JobState, retryBackoffMs } from '../../domain/job-state.js';
import type { ReapOptions } from '../../ports/store/housekeeping-store.js';
import type {
  CancelOutcome,
  EnqueueOutcome,
  JobFailure,
  JobRecord,
  JobSuccess,
  ModelCostLine,
  NewJob,
  OpenJobCount,
  UpstreamNote,
} from '../../ports/store/store-records.js';
import { reserveHold, settleHoldRow } from './sqlite-ledger.js';
import { queuedJobRecord, toJob, toModelCostLine, OPEN_JOBS_SQL, upstreamCostsSql, upstreamValues } from '../sql-rows.js';
import type { SqliteContext } from './sqlite-context.js';
import type { SqliteReadCache } from './sqlite-read-cache.js';
import { queueWebhook } from './sqlite-webhook-outbox.js';
import { statement } from './sqlite-statements.js';

const LOST_BODY = { error: 'Inference processing failed' };

/** The job half of the SQLite store: enqueue, claim, fenced settle and housekeeping. */
export class SqliteJobs {
  protected readonly db: Database.Database;
  /** Job and balance reads, answered from memory until the next change (polls repeat them). */
  protected readonly reads: SqliteReadCache;

  constructor(protected readonly context: SqliteContext) {
    this.db = context.db;
    this.reads = context.reads;
  }

  protected commitDurably<T>(work: () => T): Promise<T> {
    return this.context.commitDurably(work);
  }

  protected withoutSync<T>(work: () => T): T {
    return this.context.withoutSync(work);
  }

  /** Claim the idempotency key, reserve and insert, in the caller's transaction. */
  protected enqueueNow(job: NewJob, price: CurrencyAmounts, now: number): EnqueueOutcome {
    if (job.idempotency) {
      const earlier = statement(this.db, 'SELECT request_hash, response FROM idempotency_keys WHERE account_id = ? AND key = ?').get(
        job.accountId,
        job.idempotency.key,
      ) as { request_hash: string; response: string | null } | undefined;
      if (earlier) {
        const first = earlier.response ? this.row(JSON.parse(earlier.response).queue_id) : undefined;
        if (earlier.request_hash !== job.idempotency.requestHash || !first) return { ok: false, reason: 'idempotency_mismatch' };
        return { ok: true, value: first, replayed: true };
      }
    }
    const hold = reserveHold(this.db, job.accountId, job.keyId, price, job.id, now);
    if (!hold.ok) return hold;
    const storedRequest = JSON.stringify(job.request);
    statement(
      this.db,
      `INSERT INTO jobs (id, account_id, key_id, model_id, engine, request, state, attempt, max_attempts, run_after,
           created_at, hold_id, currency, price, webhook_url) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      job.id,
      job.accountId,
      job.keyId,
      job.modelId,
      job.engine,
      storedRequest,
      job.maxAttempts,
      now,
      now,
      hold.value.holdId,
      hold.value.currency,
      hold.value.amount,
      job.webhookUrl ?? null,
    );
    if (job.idempotency)
      statement(this.db, `INSERT INTO idempotency_keys VALUES (?, ?, ?, 'done', 200, ?, NULL, ?, ?)`).run(
        job.accountId,
        job.idempotency.key,
        job.idempotency.requestHash,
        JSON.stringify({ queue_id: job.id }),
        now,
        job.idempotency.expiresAt,
      );
    return { ok: true, value: queuedJobRecord(job, storedRequest, hold.value, now), replayed: false };
  }

  private row(jobId: string): JobRecord | undefined {
    const row = statement(this.db, 'SELECT * FROM jobs WHERE id = ?').get(jobId) as Record<string, unknown> | undefined;
    return row ? toJob(row) : undefined;
  }

  async claimJobs(engine: string, limit: number, leaseMs: number, now: number): Promise<JobRecord[]> {
    if (limit <= 0) return [];
    // Idle polls stay read-only: take the write lock only when something is waiting.
    const waiting = statement(this.db, `SELECT 1 FROM jobs WHERE engine = ? AND state = 'queued' AND run_after <= ? LIMIT 1`).get(
      engine,
      now,
    );
    if (!waiting) return [];
    const rows = this.withoutSync(() =>
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
    const result = this.withoutSync(() =>
      statement(
        this.db,
        `UPDATE jobs SET lease_until = ?, progress = ?, stage = ? WHERE id = ? AND state = 'running' AND lease_token = ?`,
      ).run(leaseUntil, progress, stage, jobId, token),
    );
    return result.changes === 1;
  }

  async completeJob(jobId: string, token: string, success: JobSuccess, now: number) {
    return this.commitDurably(() => {
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
    return this.commitDurably((): 'requeued' | 'failed' | 'stale' => {
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
      this.markFailed(jobId, job.hold_id, failure.status, failure.body, now);
      return 'failed';
    });
  }

  private markFailed(jobId: string, holdId: string, status: number, body: object, now: number) {
    statement(
      this.db,
      `UPDATE jobs SET state = 'failed', finished_at = ?, lease_token = NULL, lease_until = NULL, error_status = ?, error_body = ? WHERE id = ?`,
    ).run(now, status, JSON.stringify(body), jobId);
    settleHoldRow(this.db, holdId, 'release', now);
    queueWebhook(this.db, jobId, 'job.failed', now);
  }

  async cancelJob(accountId: string, jobId: string, now: number): Promise<CancelOutcome | undefined> {
    return this.commitDurably((): CancelOutcome | undefined => {
      const job = statement(this.db, 'SELECT state, hold_id FROM jobs WHERE id = ? AND account_id = ?').get(jobId, accountId) as
        | { state: JobState; hold_id: string }
        | undefined;
      if (!job) return undefined;
      if (job.state !== 'queued' && job.state !== 'running') return { outcome: 'final', state: job.state };
      statement(this.db, `UPDATE jobs SET state = 'cancelled', finished_at = ?, lease_token = NULL, lease_until = NULL WHERE id = ?`).run(
        now,
        jobId,
      );
      settleHoldRow(this.db, job.hold_id, 'release', now);
      queueWebhook(this.db, jobId, 'job.cancelled', now);
      return { outcome: 'cancelled', was: job.state };
    });
  }

  async queuePosition(jobId: string) {
    const row = statement(
      this.db,
      `SELECT COUNT(*) AS n FROM jobs j, jobs me WHERE me.id = ? AND j.engine = me.engine AND j.state = 'queued'
           AND (j.run_after < me.run_after OR (j.run_after = me.run_after AND j.rowid < me.rowid))`,
    ).get(jobId) as { n: number };
    return row.n;
  }

  /**
   * Durable (the caller submits upstream only after this resolves, so a crash cannot forget a
   * request it may pay for). Like every write of this connection, it empties the read cache.
   */
  /**
   * Like a claim, the note survives a process crash (kill -9) but not a power cut, which loses
   * the claim before it too: then the job runs again and the upstream may be asked twice —
   * money here still moves once. Its own fsync would sit between enqueue and upstream submit.
   */
  async recordUpstream(jobId: string, token: string, note: UpstreamNote) {
    return this.withoutSync(() => {
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

  async getJob(accountId: string, jobId: string) {
    const job = this.reads.read(`job:${jobId}`, () => this.row(jobId));
    return job && job.accountId === accountId ? job : undefined;
  }

  async markMediaDeleted(jobId: string, now: number) {
    const result = statement(
      this.db,
      `UPDATE jobs SET media_deleted_at = ? WHERE id = ? AND state = 'done' AND media_deleted_at IS NULL`,
    ).run(now, jobId);
    return result.changes === 1;
  }

  async listMediaToPurge(limit: number) {
    const rows = statement(
      this.db,
      `SELECT id, media_key FROM jobs WHERE media_deleted_at IS NOT NULL AND media_key IS NOT NULL AND media_purged = 0 ORDER BY media_deleted_at LIMIT ?`,
    ).all(limit) as { id: string; media_key: string }[];
    return rows.map((row) => ({ jobId: row.id, mediaKey: row.media_key }));
  }

  async markMediaPurged(jobId: string) {
    statement(this.db, 'UPDATE jobs SET media_purged = 1 WHERE id = ?').run(jobId);
  }

  async reap(now: number, options: ReapOptions) {
    return this.db
      .transaction(() => {
        let requeued = 0;
        let failed = 0;
        const lost = statement(
          this.db,
          `SELECT id, attempt, max_attempts, hold_id FROM jobs WHERE state = 'running' AND lease_until < ?`,
        ).all(now) as {
          id: string;
          attempt: number;
          max_attempts: number;
          hold_id: string;
        }[];
        for (const job of lost) {
          if (job.attempt < job.max_attempts) {
            statement(this.db, `UPDATE jobs SET state = 'queued', run_after = ?, lease_token = NULL, lease_until = NULL WHERE id = ?`).run(
              now + retryBackoffMs(job.attempt),
              job.id,
            );
            requeued++;
          } else {
            this.markFailed(job.id, job.hold_id, 500, LOST_BODY, now);
            failed++;
          }
        }
        const expired = statement(
          this.db,
          `UPDATE jobs SET state = 'expired', media_deleted_at = ? WHERE state = 'done' AND media_deleted_at IS NULL AND expires_at <= ?`,
        ).run(now, now).changes;
        const orphans = statement(this.db, `SELECT id FROM holds WHERE state = 'open' AND job_id IS NULL AND created_at < ?`).all(
          now - options.orphanHoldMs,
        ) as { id: string }[];
        for (const hold of orphans) settleHoldRow(this.db, hold.id, 'release', now);
        const expiring = statement(
          this.db,
          `SELECT id FROM jobs WHERE state = 'done' AND media_deleted_at IS NULL AND expiring_notified = 0 AND webhook_url IS NOT NULL AND expires_at <= ?`,
        ).all(now + options.expiringNoticeMs) as { id: string }[];
        for (const job of expiring) {
          statement(this.db, 'UPDATE jobs SET expiring_notified = 1 WHERE id = ?').run(job.id);
          queueWebhook(this.db, job.id, 'media.expiring', now);
        }
        const forgotten = statement(this.db, 'DELETE FROM idempotency_keys WHERE expires_at <= ? RETURNING media_key').all(now) as {
          media_key: string | null;
        }[];
        const forgottenMedia = forgotten.flatMap((row) => (row.media_key ? [row.media_key] : []));
        return { requeued, failed, expired, released: orphans.length, forgottenMedia };
      })
      .immediate();
  }

  async recentTotals(modelId: string, limit: number) {
    const rows = statement(
      this.db,
      `SELECT finished_at - created_at AS total FROM jobs WHERE model_id = ? AND state IN ('done', 'expired') ORDER BY finished_at DESC LIMIT ?`,
    ).all(modelId, limit) as { total: number }[];
    return rows.map((row) => row.total);
  }

  async upstreamCosts(from: number, to: number): Promise<ModelCostLine[]> {
    const rows = statement(this.db, upstreamCostsSql('?', '?', 'model_id')).all(from, to) as Record<string, unknown>[];
    return rows.map(toModelCostLine);
  }

  async countJobs() {
    const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
    for (const row of statement(this.db, 'SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as { state: JobState; n: number }[])
      counts[row.state] = row.n;
    return counts;
  }

  async countOpenJobs(): Promise<OpenJobCount[]> {
    const rows = statement(this.db, OPEN_JOBS_SQL).all() as { engine: string; state: OpenJobCount['state']; n: number }[];
    return rows.map((row) => ({ engine: row.engine, state: row.state, count: row.n }));
  }
}
