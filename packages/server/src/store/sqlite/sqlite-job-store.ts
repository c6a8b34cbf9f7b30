import type Database from 'better-sqlite3';
import type { CurrencyAmounts } from '../../domain/currency.js';
import type { HistoryCursor } from '../../domain/job-history.js';
import type { JobState } from '../../domain/job-state.js';
import type { JobStore } from '../../ports/store/job-store.js';
import type { CancelOutcome, EnqueueOutcome, JobRecord, NewJob } from '../../ports/store/store-records.js';
import { queuedJobRecord, toJob } from '../sql-rows.js';
import type { SqliteContext } from './sqlite-context.js';
import { reserveHold, settleHoldRow } from './sqlite-ledger.js';
import { statement } from './sqlite-statements.js';
import { queueWebhook } from './sqlite-webhook-outbox.js';

/** Jobs as the API sees them, in SQLite: enqueued in groups with their hold, read from the read cache. */
export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;

  constructor(private readonly context: SqliteContext) {
    this.db = context.db;
  }

  enqueue(job: NewJob, price: CurrencyAmounts, now: number) {
    return this.context.groupCommit.run(
      () => this.enqueueNow(job, price, now),
      (outcome) => {
        if (outcome.ok && !outcome.replayed) this.context.jobQueued(job.engine);
      },
    );
  }

  /** Claim the idempotency key, reserve and insert, in the caller's transaction. */
  private enqueueNow(job: NewJob, price: CurrencyAmounts, now: number): EnqueueOutcome {
    if (job.idempotency) {
      const earlier = statement(this.db, 'SELECT request_hash, response FROM idempotency_keys WHERE account_id = ? AND key = ?').get(
        job.accountId,
        job.idempotency.key,
      ) as { request_hash: string; response: string | null } | undefined;
      if (earlier) {
        const first = earlier.response ? this.findJob(JSON.parse(earlier.response).queue_id) : undefined;
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

  private findJob(jobId: string): JobRecord | undefined {
    const row = statement(this.db, 'SELECT * FROM jobs WHERE id = ?').get(jobId) as Record<string, unknown> | undefined;
    return row ? toJob(row) : undefined;
  }

  async getJob(accountId: string, jobId: string) {
    const job = this.context.reads.read(`job:${jobId}`, () => this.findJob(jobId));
    return job && job.accountId === accountId ? job : undefined;
  }

  /** Up to `limit` jobs of the account, newest first, after the cursor (index `jobs_account_history`). */
  async listJobs(accountId: string, limit: number, after: HistoryCursor | null) {
    const rows = after
      ? statement(
          this.db,
          'SELECT * FROM jobs WHERE account_id = ? AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?',
        ).all(accountId, after.createdAt, after.id, limit)
      : statement(this.db, 'SELECT * FROM jobs WHERE account_id = ? ORDER BY created_at DESC, id DESC LIMIT ?').all(accountId, limit);
    return (rows as Record<string, unknown>[]).map(toJob);
  }

  async cancelJob(accountId: string, jobId: string, now: number): Promise<CancelOutcome | undefined> {
    return this.context.commitDurably((): CancelOutcome | undefined => {
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

  async markMediaDeleted(jobId: string, now: number) {
    const result = statement(
      this.db,
      `UPDATE jobs SET media_deleted_at = ? WHERE id = ? AND state = 'done' AND media_deleted_at IS NULL`,
    ).run(now, jobId);
    return result.changes === 1;
  }
}
