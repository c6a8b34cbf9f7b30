import type Database from 'better-sqlite3';
import { retryBackoffMs } from '../../domain/job-state.js';
import type { ReapOptions } from '../../ports/store/housekeeping-store.js';
import { settleHoldRow } from './sqlite-ledger.js';
import { statement } from './sqlite-statements.js';
import { queueWebhook } from './sqlite-webhook-outbox.js';

const LOST_BODY = { error: 'Inference processing failed' };

/** Fail a job for good: release its hold and queue `job.failed`, in the caller's transaction. */
export function markFailed(db: Database.Database, jobId: string, holdId: string, status: number, body: object, now: number): void {
  statement(
    db,
    `UPDATE jobs SET state = 'failed', finished_at = ?, lease_token = NULL, lease_until = NULL, error_status = ?, error_body = ? WHERE id = ?`,
  ).run(now, status, JSON.stringify(body), jobId);
  settleHoldRow(db, holdId, 'release', now);
  queueWebhook(db, jobId, 'job.failed', now);
}

/**
 * Housekeeping in one immediate transaction: requeue or fail jobs whose lease expired, expire
 * done jobs past retention, release orphaned holds, queue `media.expiring`, forget expired keys.
 */
export function reapSqlite(db: Database.Database, now: number, options: ReapOptions) {
  return db
    .transaction(() => {
      let requeued = 0;
      let failed = 0;
      const lost = statement(db, `SELECT id, attempt, max_attempts, hold_id FROM jobs WHERE state = 'running' AND lease_until < ?`).all(
        now,
      ) as {
        id: string;
        attempt: number;
        max_attempts: number;
        hold_id: string;
      }[];
      for (const job of lost) {
        if (job.attempt < job.max_attempts) {
          statement(db, `UPDATE jobs SET state = 'queued', run_after = ?, lease_token = NULL, lease_until = NULL WHERE id = ?`).run(
            now + retryBackoffMs(job.attempt),
            job.id,
          );
          requeued++;
        } else {
          markFailed(db, job.id, job.hold_id, 500, LOST_BODY, now);
          failed++;
        }
      }
      const expired = statement(
        db,
        `UPDATE jobs SET state = 'expired', media_deleted_at = ? WHERE state = 'done' AND media_deleted_at IS NULL AND expires_at <= ?`,
      ).run(now, now).changes;
      const orphans = statement(db, `SELECT id FROM holds WHERE state = 'open' AND job_id IS NULL AND created_at < ?`).all(
        now - options.orphanHoldMs,
      ) as { id: string }[];
      for (const hold of orphans) settleHoldRow(db, hold.id, 'release', now);
      const expiring = statement(
        db,
        `SELECT id FROM jobs WHERE state = 'done' AND media_deleted_at IS NULL AND expiring_notified = 0 AND webhook_url IS NOT NULL AND expires_at <= ?`,
      ).all(now + options.expiringNoticeMs) as { id: string }[];
      for (const job of expiring) {
        statement(db, 'UPDATE jobs SET expiring_notified = 1 WHERE id = ?').run(job.id);
        queueWebhook(db, job.id, 'media.expiring', now);
      }
      const forgotten = statement(db, 'DELETE FROM idempotency_keys WHERE expires_at <= ? RETURNING media_key').all(now) as {
        media_key: string | null;
      }[];
      const forgottenMedia = forgotten.flatMap((row) => (row.media_key ? [row.media_key] : []));
      return { requeued, failed, expired, released: orphans.length, forgottenMedia };
    })
    .immediate();
}
