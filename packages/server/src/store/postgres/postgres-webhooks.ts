import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { type WebhookEvent, type WebhookSubject, webhookPayload } from '../../domain/webhook-events.js';
import type { WebhookDelivery } from '../../ports/store/store-records.js';
import { toDelivery } from '../sql-rows.js';
import type { Queryable } from './postgres-database.js';
import { inTransaction, whole } from './postgres-database.js';

const orNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** Queue an event for a job that has a webhook, in the caller's transaction (the outbox). */
export async function queueWebhook(db: Queryable, jobId: string, event: WebhookEvent, now: number): Promise<void> {
  const row = (await db.query('SELECT * FROM jobs WHERE id = $1', [jobId])).rows[0] as Record<string, unknown> | undefined;
  if (!row?.webhook_url) return;
  const subject: WebhookSubject = {
    id: row.id as string,
    modelId: row.model_id as string,
    state: row.state as string,
    durationSeconds: orNull(row.duration_seconds),
    expiresAt: orNull(row.expires_at),
    errorStatus: orNull(row.error_status),
    errorBody: (row.error_body as object | null) ?? null,
  };
  await db.query(
    `INSERT INTO webhook_deliveries (id, account_id, job_id, url, event, payload, state, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7)`,
    [randomUUID(), row.account_id, jobId, row.webhook_url, event, webhookPayload(event, subject, now), now],
  );
}

/** Take due deliveries no other process holds and push their next attempt out by the lease. */
export async function claimDueDeliveries(pool: pg.Pool, now: number, limit: number, leaseMs: number): Promise<WebhookDelivery[]> {
  return inTransaction(pool, async (client) => {
    const rows = (
      await client.query(
        `SELECT * FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [whole(now), limit],
      )
    ).rows as Record<string, unknown>[];
    if (rows.length > 0)
      await client.query('UPDATE webhook_deliveries SET next_attempt_at = $1 WHERE id = ANY($2)', [
        whole(now + leaseMs),
        rows.map((row) => row.id),
      ]);
    return rows.map(toDelivery);
  });
}

/** Record one delivery attempt: delivered, retried later, or given up. */
export async function recordDeliveryAttempt(
  db: Queryable,
  id: string,
  result: { status: number | null; error: string | null; nextAttemptAt: number | null },
  now: number,
): Promise<void> {
  const delivered = result.error === null && result.status !== null && result.status >= 200 && result.status < 300;
  const state = delivered ? 'delivered' : result.nextAttemptAt === null ? 'failed' : 'pending';
  await db.query(
    `UPDATE webhook_deliveries SET state = $1, attempts = attempts + 1, last_status = $2, last_error = $3,
       next_attempt_at = COALESCE($4, next_attempt_at), delivered_at = $5 WHERE id = $6 AND state = 'pending'`,
    [
      state,
      result.status,
      result.error,
      result.nextAttemptAt === null ? null : whole(result.nextAttemptAt),
      delivered ? whole(now) : null,
      id,
    ],
  );
}
