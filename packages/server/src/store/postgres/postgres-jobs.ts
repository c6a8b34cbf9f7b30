import type pg from 'pg';
import type { CurrencyAmounts } from '../../domain/currency.js';
import { JOB_STATES, type JobState } from '../../domain/job-state.js';
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
import { toJob, toModelCostLine, OPEN_JOBS_SQL, upstreamCostsSql, upstreamValues } from '../sql-rows.js';
import { inTransaction, queryRetrying, whole } from './postgres-database.js';
import { reserveArguments, settleHoldRow } from './postgres-ledger.js';
import type { PostgresNotifier } from './postgres-notifier.js';
import { markFailed, reapPostgres } from './postgres-reaper.js';
import { queueWebhook } from './postgres-webhook-outbox.js';

/** The channel every enqueue notifies (payload: the engine's name) when it commits. */
export const JOBS_CHANNEL = 'overture_jobs';

/** Claims commit without waiting for their WAL flush; see `overture_claim`. */
const CLAIM = 'SELECT * FROM overture_claim($1::TEXT, $2::BIGINT, $3::INTEGER, $4::BIGINT)';

/** Complete without a webhook in one call; see `overture_complete`. */
const COMPLETE = `SELECT r_outcome FROM overture_complete($1::TEXT, $2::TEXT, $3::BIGINT, $4::TEXT, $5::BIGINT,
  $6::DOUBLE PRECISION, $7::DOUBLE PRECISION, $8::BIGINT)`;

/** One enqueue; the job's columns come back beside the outcome (all NULL unless queued). */
const ENQUEUE = `
  SELECT e.r_outcome, (e.r_job).* FROM overture_enqueue($1::TEXT, $2::TEXT, $3::TEXT, $4::TEXT, $5::TEXT, $6::JSONB, $7::INTEGER,
    $8::BIGINT, $9::TEXT, $10::TEXT, $11::TEXT, $12::TEXT, $13::BIGINT, $14::TEXT, $15::TEXT[], $16::TEXT[], $17::BIGINT[]) e`;

/** The job half of the PostgreSQL store: enqueue, claim, fenced settle and housekeeping. */
export class PostgresJobs {
  constructor(
    protected readonly pool: pg.Pool,
    private readonly notifier: PostgresNotifier,
  ) {}

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

  async claimJobs(engine: string, limit: number, leaseMs: number, now: number): Promise<JobRecord[]> {
    if (limit <= 0) return [];
    const result = await this.pool.query({
      name: 'overture_claim',
      text: CLAIM,
      values: [engine, whole(now), limit, whole(now + leaseMs)],
    });
    const rows = result.rows.sort((a, b) => Number(a.run_after) - Number(b.run_after) || Number(a.seq) - Number(b.seq));
    return rows.map(toJob);
  }

  async renewLease(jobId: string, token: string, leaseUntil: number, progress: number, stage: string | null) {
    const result = await this.pool.query(
      `UPDATE jobs SET lease_until = $1, progress = $2, stage = $3 WHERE id = $4 AND state = 'running' AND lease_token = $5`,
      [whole(leaseUntil), progress, stage, jobId, token],
    );
    return result.rowCount === 1;
  }

  /** Jobs without a webhook complete in one call of `overture_complete`; the rest queue their event in the same transaction. */
  async completeJob(jobId: string, token: string, success: JobSuccess, now: number) {
    const fast = await queryRetrying(this.pool, {
      name: 'overture_complete',
      text: COMPLETE,
      values: [
        jobId,
        token,
        whole(now),
        success.mediaKey,
        success.mediaBytes,
        success.durationSeconds,
        success.inferenceMs,
        whole(success.expiresAt),
      ],
    });
    if (fast.rows[0]?.r_outcome === 'done') return true;
    return inTransaction(this.pool, async (client) => {
      const job = await client.query(
        `UPDATE jobs SET state = 'done', finished_at = $1, progress = 1, lease_token = NULL, lease_until = NULL, media_key = $2,
           media_bytes = $3, duration_seconds = $4, inference_ms = $5, expires_at = $6
         WHERE id = $7 AND state = 'running' AND lease_token = $8 RETURNING hold_id`,
        [
          whole(now),
          success.mediaKey,
          success.mediaBytes,
          success.durationSeconds,
          success.inferenceMs,
          whole(success.expiresAt),
          jobId,
          token,
        ],
      );
      const holdId = job.rows[0]?.hold_id as string | undefined;
      if (!holdId) return false;
      await settleHoldRow(client, holdId, 'capture', whole(now));
      await queueWebhook(client, jobId, 'job.done', whole(now));
      return true;
    });
  }

  async failJob(jobId: string, token: string, failure: JobFailure, now: number): Promise<'requeued' | 'failed' | 'stale'> {
    return inTransaction(this.pool, async (client) => {
      const job = (
        await client.query(
          `SELECT attempt, max_attempts, hold_id FROM jobs WHERE id = $1 AND state = 'running' AND lease_token = $2 FOR UPDATE`,
          [jobId, token],
        )
      ).rows[0] as { attempt: number; max_attempts: number; hold_id: string } | undefined;
      if (!job) return 'stale';
      if (failure.retryable && job.attempt < job.max_attempts) {
        await client.query(`UPDATE jobs SET state = 'queued', run_after = $1, lease_token = NULL, lease_until = NULL WHERE id = $2`, [
          whole(failure.retryAt),
          jobId,
        ]);
        return 'requeued';
      }
      await markFailed(client, jobId, job.hold_id, failure.status, failure.body, whole(now));
      return 'failed';
    });
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

  /** A synchronous commit: the caller submits upstream only after this is durable. */
  async recordUpstream(jobId: string, token: string, note: UpstreamNote) {
    const result = await queryRetrying(this.pool, {
      name: 'overture_record_upstream',
      text: `UPDATE jobs SET upstream_instance = $1, upstream_key = $2, upstream_request_id = $3,
          upstream_latency_ms = COALESCE($4::BIGINT, upstream_latency_ms), upstream_cost = COALESCE($5::BIGINT, upstream_cost)
        WHERE id = $6 AND state = 'running' AND lease_token = $7`,
      values: [...upstreamValues(note), jobId, token],
    });
    return result.rowCount === 1;
  }

  async returnJob(jobId: string, token: string) {
    const result = await this.pool.query(
      `UPDATE jobs SET state = 'queued', attempt = attempt - 1, lease_token = NULL, lease_until = NULL WHERE id = $1 AND state = 'running' AND lease_token = $2`,
      [jobId, token],
    );
    return result.rowCount === 1;
  }

  async getJob(accountId: string, jobId: string) {
    // PostgreSQL refuses a NUL byte in any text parameter (a 500); no job id holds one.
    if (jobId.includes('\u0000')) return undefined;
    const row = (await this.pool.query('SELECT * FROM jobs WHERE id = $1 AND account_id = $2', [jobId, accountId])).rows[0];
    return row ? toJob(row) : undefined;
  }

  async markMediaDeleted(jobId: string, now: number) {
    const result = await this.pool.query(
      `UPDATE jobs SET media_deleted_at = $1 WHERE id = $2 AND state = 'done' AND media_deleted_at IS NULL`,
      [whole(now), jobId],
    );
    return result.rowCount === 1;
  }

  async listMediaToPurge(limit: number) {
    const result = await this.pool.query(
      `SELECT id, media_key FROM jobs WHERE media_deleted_at IS NOT NULL AND media_key IS NOT NULL AND NOT media_purged
       ORDER BY media_deleted_at LIMIT $1`,
      [limit],
    );
    return (result.rows as { id: string; media_key: string }[]).map((row) => ({ jobId: row.id, mediaKey: row.media_key }));
  }

  async markMediaPurged(jobId: string) {
    await this.pool.query('UPDATE jobs SET media_purged = TRUE WHERE id = $1', [jobId]);
  }

  async reap(now: number, options: ReapOptions) {
    return reapPostgres(this.pool, whole(now), options);
  }

  async recentTotals(modelId: string, limit: number) {
    const result = await this.pool.query(
      `SELECT finished_at - created_at AS total FROM jobs WHERE model_id = $1 AND state IN ('done', 'expired') ORDER BY finished_at DESC LIMIT $2`,
      [modelId, limit],
    );
    return (result.rows as { total: string }[]).map((row) => Number(row.total));
  }

  /** Model ids sort bytewise, as in SQLite, whatever the database's collation. */
  async upstreamCosts(from: number, to: number): Promise<ModelCostLine[]> {
    const result = await this.pool.query(upstreamCostsSql('$1', '$2', 'model_id COLLATE "C"'), [whole(from), whole(to)]);
    return (result.rows as Record<string, unknown>[]).map(toModelCostLine);
  }

  async countJobs() {
    const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
    const result = await this.pool.query('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state');
    for (const row of result.rows as { state: JobState; n: string }[]) counts[row.state] = Number(row.n);
    return counts;
  }

  async countOpenJobs(): Promise<OpenJobCount[]> {
    const result = await this.pool.query(OPEN_JOBS_SQL);
    return (result.rows as { engine: string; state: OpenJobCount['state']; n: string }[]).map((row) => ({
      engine: row.engine,
      state: row.state,
      count: Number(row.n),
    }));
  }
}
