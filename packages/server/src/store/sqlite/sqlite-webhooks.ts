import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { type WebhookEvent, type WebhookSubject, webhookPayload } from '../../domain/webhook-events.js';
import type { WebhookDelivery } from '../../ports/store/store-records.js';
import { toDelivery } from '../sql-rows.js';
import { statement } from './sqlite-statements.js';

type Db = Database.Database;

/** Queue an event for a job that has a webhook, in the caller's transaction (the outbox). */
export function queueWebhook(db: Db, jobId: string, event: WebhookEvent, now: number): void {
  const row = statement(db, 'SELECT * FROM jobs WHERE id = ?').get(jobId) as Record<string, unknown> | undefined;
  if (!row?.webhook_url) return;
  const subject: WebhookSubject = {
    id: row.id as string,
    modelId: row.model_id as string,
    state: row.state as string,
    durationSeconds: row.duration_seconds as number | null,
    expiresAt: row.expires_at as number | null,
    errorStatus: row.error_status as number | null,
    errorBody: typeof row.error_body === 'string' ? JSON.parse(row.error_body) : null,
  };
  statement(
    db,
    `INSERT INTO webhook_deliveries (id, account_id, job_id, url, event, payload, state, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
  ).run(randomUUID(), row.account_id, jobId, row.webhook_url, event, webhookPayload(event, subject, now), now, now);
}

/** Take due deliveries and push their next attempt out by the lease, in one transaction. */
export function claimDueDeliveries(db: Db, now: number, limit: number, leaseMs: number): WebhookDelivery[] {
  return db
    .transaction(() => {
      const rows = statement(
        db,
        `SELECT * FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`,
      ).all(now, limit) as Record<string, unknown>[];
      const lease = statement(db, 'UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?');
      for (const row of rows) lease.run(now + leaseMs, row.id);
      return rows.map(toDelivery);
    })
    .immediate();
}

export function recordDeliveryAttempt(
  db: Db,
  id: string,
  result: { status: number | null; error: string | null; nextAttemptAt: number | null },
  now: number,
): void {
  const delivered = result.error === null && result.status !== null && result.status >= 200 && result.status < 300;
  const state = delivered ? 'delivered' : result.nextAttemptAt === null ? 'failed' : 'pending';
  statement(
    db,
    `UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?,
       next_attempt_at = COALESCE(?, next_attempt_at), delivered_at = ? WHERE id = ? AND state = 'pending'`,
  ).run(state, result.status, result.error, result.nextAttemptAt, delivered ? now : null, id);
}
