import type pg from 'pg';
import { retryBackoffMs } from '../../domain/job-state.js';
import type { ReapOptions } from '../../ports/store/housekeeping-store.js';
import { inTransaction } from './postgres-database.js';
import { settleHoldRow } from './postgres-ledger.js';
import { queueWebhook } from './postgres-webhook-outbox.js';

const LOST_BODY = { error: 'Inference processing failed' };

/** Fail a job, release its hold and queue its event, in the caller's transaction (job row locked). */
export async function markFailed(client: pg.PoolClient, jobId: string, holdId: string, status: number, body: object, now: number) {
  await client.query(
    `UPDATE jobs SET state = 'failed', finished_at = $1, lease_token = NULL, lease_until = NULL, error_status = $2, error_body = $3 WHERE id = $4`,
    [now, status, JSON.stringify(body), jobId],
  );
  await settleHoldRow(client, holdId, 'release', now);
  await queueWebhook(client, jobId, 'job.failed', now);
}

/** Requeue (with backoff) or fail one job whose lease ran out, unless another node has it. */
async function reapLostJob(pool: pg.Pool, jobId: string, now: number): Promise<'requeued' | 'failed' | 'skipped'> {
  return inTransaction(pool, async (client) => {
    const job = (
      await client.query(
        `SELECT attempt, max_attempts, hold_id FROM jobs WHERE id = $1 AND state = 'running' AND lease_until < $2 FOR UPDATE SKIP LOCKED`,
        [jobId, now],
      )
    ).rows[0] as { attempt: number; max_attempts: number; hold_id: string } | undefined;
    if (!job) return 'skipped';
    if (job.attempt < job.max_attempts) {
      await client.query(`UPDATE jobs SET state = 'queued', run_after = $1, lease_token = NULL, lease_until = NULL WHERE id = $2`, [
        now + retryBackoffMs(job.attempt),
        jobId,
      ]);
      return 'requeued';
    }
    await markFailed(client, jobId, job.hold_id, 500, LOST_BODY, now);
    return 'failed';
  });
}

/**
 * Housekeeping for the PostgreSQL store. Each lost job and each orphan hold is handled in its
 * own short transaction, skipping rows another node holds: safe on every node at once, and it
 * never keeps locks over many accounts (which could deadlock with workers settling).
 */
export async function reapPostgres(pool: pg.Pool, now: number, options: ReapOptions) {
  let requeued = 0;
  let failed = 0;
  const lost = await pool.query(`SELECT id FROM jobs WHERE state = 'running' AND lease_until < $1`, [now]);
  for (const { id } of lost.rows as { id: string }[]) {
    const outcome = await reapLostJob(pool, id, now);
    if (outcome === 'requeued') requeued++;
    if (outcome === 'failed') failed++;
  }
  const expired = await pool.query(
    `UPDATE jobs SET state = 'expired', media_deleted_at = $1 WHERE state = 'done' AND media_deleted_at IS NULL AND expires_at <= $1`,
    [now],
  );
  const orphans = await pool.query(`SELECT id FROM holds WHERE state = 'open' AND job_id IS NULL AND created_at < $1`, [
    now - options.orphanHoldMs,
  ]);
  let released = 0;
  for (const { id } of orphans.rows as { id: string }[])
    if (await inTransaction(pool, (client) => settleHoldRow(client, id, 'release', now))) released++;
  await inTransaction(pool, async (client) => {
    const expiring = await client.query(
      `UPDATE jobs SET expiring_notified = TRUE
       WHERE state = 'done' AND media_deleted_at IS NULL AND NOT expiring_notified AND webhook_url IS NOT NULL AND expires_at <= $1 RETURNING id`,
      [now + options.expiringNoticeMs],
    );
    for (const { id } of expiring.rows as { id: string }[]) await queueWebhook(client, id, 'media.expiring', now);
  });
  const forgotten = await pool.query('DELETE FROM idempotency_keys WHERE expires_at <= $1 RETURNING media_key', [now]);
  const forgottenMedia = (forgotten.rows as { media_key: string | null }[]).flatMap((row) => (row.media_key ? [row.media_key] : []));
  return { requeued, failed, expired: expired.rowCount ?? 0, released, forgottenMedia };
}
