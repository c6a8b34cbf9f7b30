import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { type WebhookEvent, webhookPayload } from '../../domain/webhook-events.js';
import { toWebhookSubject } from '../sql-rows.js';
import { statement } from './sqlite-statements.js';

/**
 * Queue an event for a job that has a webhook, in the caller's transaction (the outbox): written
 * by the job transitions (lease, job and housekeeping stores), sent by `SqliteWebhookStore`.
 */
export function queueWebhook(db: Database.Database, jobId: string, event: WebhookEvent, now: number): void {
  const row = statement(db, 'SELECT * FROM jobs WHERE id = ?').get(jobId) as Record<string, unknown> | undefined;
  if (!row?.webhook_url) return;
  const subject = toWebhookSubject(row);
  statement(
    db,
    `INSERT INTO webhook_deliveries (id, account_id, job_id, url, event, payload, state, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
  ).run(randomUUID(), row.account_id, jobId, row.webhook_url, event, webhookPayload(event, subject, now), now, now);
}
