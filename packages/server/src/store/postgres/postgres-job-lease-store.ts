import type pg from 'pg';
import type { JobLeaseStore } from '../../ports/store/job-lease-store.js';
import type { JobFailure, JobRecord, JobSuccess, UpstreamNote } from '../../ports/store/store-records.js';
import { toJob, upstreamValues } from '../sql-rows.js';
import type { PostgresContext } from './postgres-context.js';
import { inTransaction, queryRetrying, whole } from './postgres-database.js';
import { settleHoldRow } from './postgres-ledger.js';
import { markFailed } from './postgres-reaper.js';
import { queueWebhook } from './postgres-webhook-outbox.js';

/** Claims commit without waiting for their WAL flush; see `overture_claim`. */
const CLAIM = 'SELECT * FROM overture_claim($1::TEXT, $2::BIGINT, $3::INTEGER, $4::BIGINT)';

/** Complete without a webhook in one call; see `overture_complete`. */
const COMPLETE = `SELECT r_outcome FROM overture_complete($1::TEXT, $2::TEXT, $3::BIGINT, $4::TEXT, $5::BIGINT,
  $6::DOUBLE PRECISION, $7::DOUBLE PRECISION, $8::BIGINT)`;

/** Jobs as a worker sees them, in PostgreSQL: claimed under a lease token, every later write fenced by it. */
export class PostgresJobLeaseStore implements JobLeaseStore {
  private readonly pool: pg.Pool;

  constructor(context: PostgresContext) {
    this.pool = context.pool;
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
    // The same values, in the same order, for `overture_complete` and for the UPDATE below.
    const values = [
      jobId,
      token,
      whole(now),
      success.mediaKey,
      success.mediaBytes,
      success.durationSeconds,
      success.inferenceMs,
      whole(success.expiresAt),
    ];
    const fast = await queryRetrying(this.pool, { name: 'overture_complete', text: COMPLETE, values });
    if (fast.rows[0]?.r_outcome === 'done') return true;
    return inTransaction(this.pool, async (client) => {
      const job = await client.query(
        `UPDATE jobs SET state = 'done', finished_at = $3, progress = 1, lease_token = NULL, lease_until = NULL, media_key = $4,
           media_bytes = $5, duration_seconds = $6, inference_ms = $7, expires_at = $8
         WHERE id = $1 AND state = 'running' AND lease_token = $2 RETURNING hold_id`,
        values,
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
}
