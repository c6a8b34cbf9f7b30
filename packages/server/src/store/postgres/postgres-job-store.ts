import type pg from 'pg';
import type { CurrencyAmounts } from '../../domain/currency.js';
import type { HistoryCursor } from '../../domain/job-history.js';
import type { JobState } from '../../domain/job-state.js';
import type { JobStore } from '../../ports/store/job-store.js';
import type { CancelOutcome, EnqueueOutcome, JobRecord, NewJob } from '../../ports/store/store-records.js';
import { toJob } from '../sql-rows.js';
import type { PostgresContext } from './postgres-context.js';
import { inTransaction, queryRetrying, whole } from './postgres-database.js';
import { reserveArguments, settleHoldRow } from './postgres-ledger.js';
import type { PostgresNotifier } from './postgres-notifier.js';
import { queueWebhook } from './postgres-webhook-outbox.js';

/** One enqueue; the job's columns come back beside the outcome (all NULL unless queued). */
const ENQUEUE = `
  SELECT e.r_outcome, (e.r_job).* FROM overture_enqueue($1::TEXT, $2::TEXT, $3::TEXT, $4::TEXT, $5::TEXT, $6::JSONB, $7::INTEGER,
    $8::BIGINT, $9::TEXT, $10::TEXT, $11::TEXT, $12::TEXT, $13::BIGINT, $14::TEXT, $15::TEXT[], $16::TEXT[], $17::BIGINT[]) e`;

/** Jobs as the API sees them, in PostgreSQL: enqueue, read, list, cancel. */
export class PostgresJobStore implements JobStore {
  private readonly pool: pg.Pool;
  private readonly notifier: PostgresNotifier;

  constructor(context: PostgresContext) {
    this.pool = context.pool;
    this.notifier = context.notifier;
  }

  /**
   * Claim the idempotency key, reserve and insert: one call of `overture_enqueue`, so one round
   * trip and one transaction (see postgres-functions.ts); then announce the job (`NOTIFY
   * overture_jobs`, see PostgresNotifier). The key is inserted first: a concurrent request with
   * the same key waits for this one's commit, then replays its job.
   */
  async enqueue(job: NewJob, price: CurrencyAmounts, at: number): Promise<EnqueueOutcome> {
    const now = whole(at);
    const claim = job.idempotency;
    const result = await queryRetrying(this.pool, {
      name: 'overture_enqueue',
      text: ENQUEUE,
      values: [
        job.id,
        job.accountId,
        job.keyId,
        job.modelId,
        job.engine,
        JSON.stringify(job.request),
        job.maxAttempts,
        now,
        job.webhookUrl ?? null,
        claim?.key ?? null,
        claim?.requestHash ?? null,
        claim ? JSON.stringify({ queue_id: job.id }) : null,
        claim ? whole(claim.expiresAt) : null,
        ...reserveArguments(price, now),
      ],
    });
    const row = result.rows[0] as Record<string, unknown> & { r_outcome: string };
    if (row.r_outcome === 'replay') return this.replay(job);
    if (row.r_outcome !== 'queued') return { ok: false, reason: row.r_outcome as 'consumption_limit' | 'insufficient_balance' };
    this.notifier.notify(job.engine);
    return { ok: true, value: toJob(row), replayed: false };
  }

  /** The job an earlier request with this idempotency key created (committed before we got here), or a mismatch. */
  private async replay(job: NewJob): Promise<EnqueueOutcome> {
    const earlier = (
      await this.pool.query('SELECT request_hash, response FROM idempotency_keys WHERE account_id = $1 AND key = $2', [
        job.accountId,
        job.idempotency?.key,
      ])
    ).rows[0] as { request_hash: string; response: string | null } | undefined;
    const firstId = earlier?.response ? (JSON.parse(earlier.response).queue_id as string) : undefined;
    const first = firstId ? (await this.pool.query('SELECT * FROM jobs WHERE id = $1', [firstId])).rows[0] : undefined;
    if (!earlier || earlier.request_hash !== job.idempotency?.requestHash || !first) return { ok: false, reason: 'idempotency_mismatch' };
    return { ok: true, value: toJob(first), replayed: true };
  }

  async getJob(accountId: string, jobId: string) {
    // PostgreSQL refuses a NUL byte in any text parameter (a 500); no job id holds one.
    if (jobId.includes('\u0000')) return undefined;
    const row = (await this.pool.query('SELECT * FROM jobs WHERE id = $1 AND account_id = $2', [jobId, accountId])).rows[0];
    return row ? toJob(row) : undefined;
  }

  /** Newest first, after the cursor (index `jobs_account_history`). */
  async listJobs(accountId: string, limit: number, after: HistoryCursor | null): Promise<JobRecord[]> {
    const result = after
      ? await this.pool.query(
          'SELECT * FROM jobs WHERE account_id = $1 AND (created_at, id) < ($2, $3) ORDER BY created_at DESC, id DESC LIMIT $4',
          [accountId, whole(after.createdAt), after.id, limit],
        )
      : await this.pool.query('SELECT * FROM jobs WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2', [accountId, limit]);
    return result.rows.map(toJob);
  }

  async cancelJob(accountId: string, jobId: string, at: number): Promise<CancelOutcome | undefined> {
    const now = whole(at);
    return inTransaction(this.pool, async (client): Promise<CancelOutcome | undefined> => {
      const job = (await client.query('SELECT state, hold_id FROM jobs WHERE id = $1 AND account_id = $2 FOR UPDATE', [jobId, accountId]))
        .rows[0] as { state: JobState; hold_id: string } | undefined;
      if (!job) return undefined;
      if (job.state !== 'queued' && job.state !== 'running') return { outcome: 'final', state: job.state };
      await client.query(`UPDATE jobs SET state = 'cancelled', finished_at = $1, lease_token = NULL, lease_until = NULL WHERE id = $2`, [
        now,
        jobId,
      ]);
      await settleHoldRow(client, job.hold_id, 'release', now);
      await queueWebhook(client, jobId, 'job.cancelled', now);
      return { outcome: 'cancelled', was: job.state };
    });
  }

  async queuePosition(jobId: string) {
    const result = await this.pool.query(
      `SELECT COUNT(*) AS n FROM jobs j, jobs me WHERE me.id = $1 AND j.engine = me.engine AND j.state = 'queued'
         AND (j.run_after < me.run_after OR (j.run_after = me.run_after AND j.seq < me.seq))`,
      [jobId],
    );
    return Number(result.rows[0].n);
  }

  async markMediaDeleted(jobId: string, now: number) {
    const result = await this.pool.query(
      `UPDATE jobs SET media_deleted_at = $1 WHERE id = $2 AND state = 'done' AND media_deleted_at IS NULL`,
      [whole(now), jobId],
    );
    return result.rowCount === 1;
  }
}
