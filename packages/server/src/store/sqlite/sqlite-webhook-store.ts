import type Database from 'better-sqlite3';
import type { WebhookStore } from '../../ports/store/webhook-store.js';
import { toDelivery } from '../sql-rows.js';
import type { SqliteContext } from './sqlite-context.js';
import { statement } from './sqlite-statements.js';

/** The webhook outbox in SQLite: deliveries claimed under a lease, attempts logged. */
export class SqliteWebhookStore implements WebhookStore {
  private readonly db: Database.Database;

  constructor(context: SqliteContext) {
    this.db = context.db;
  }

  /** Take due deliveries and push their next attempt out by the lease, in one transaction. */
  async claimDeliveries(now: number, limit: number, leaseMs: number) {
    return this.db
      .transaction(() => {
        const rows = statement(
          this.db,
          `SELECT * FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`,
        ).all(now, limit) as Record<string, unknown>[];
        const lease = statement(this.db, 'UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?');
        for (const row of rows) lease.run(now + leaseMs, row.id);
        return rows.map(toDelivery);
      })
      .immediate();
  }

  async recordDelivery(id: string, result: { status: number | null; error: string | null; nextAttemptAt: number | null }, now: number) {
    const delivered = result.error === null && result.status !== null && result.status >= 200 && result.status < 300;
    const state = delivered ? 'delivered' : result.nextAttemptAt === null ? 'failed' : 'pending';
    statement(
      this.db,
      `UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?,
       next_attempt_at = COALESCE(?, next_attempt_at), delivered_at = ? WHERE id = ? AND state = 'pending'`,
    ).run(state, result.status, result.error, result.nextAttemptAt, delivered ? now : null, id);
  }

  async listDeliveries(accountId: string, jobId: string) {
    const rows = statement(this.db, 'SELECT * FROM webhook_deliveries WHERE account_id = ? AND job_id = ? ORDER BY created_at, rowid').all(
      accountId,
      jobId,
    ) as Record<string, unknown>[];
    return rows.map(toDelivery);
  }
}
