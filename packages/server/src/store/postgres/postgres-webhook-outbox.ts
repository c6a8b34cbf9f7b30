import { randomUUID } from 'node:crypto';
import { type WebhookEvent, webhookPayload } from '../../domain/webhook-events.js';
import { toWebhookSubject } from '../sql-rows.js';
import type { Queryable } from './postgres-database.js';

/**
 * Queue an event for a job that has a webhook, in the caller's transaction (the outbox): written
 * by the job transitions (lease, job and housekeeping stores), sent by `PostgresWebhookStore`.
 */
export async function queueWebhook(db: Queryable, jobId: string, event: WebhookEvent, now: number): Promise<void> {
  const row = (await db.query('SELECT * FROM jobs WHERE id = $1', [jobId])).rows[0] as Record<string, unknown> | undefined;
  if (!row?.webhook_url) return;
  const subject = toWebhookSubject(row);
  await db.query(
    `INSERT INTO webhook_deliveries (id, account_id, job_id, url, event, payload, state, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7)`,
    [randomUUID(), row.account_id, jobId, row.webhook_url, event, webhookPayload(event, subject, now), now],
  );
}
