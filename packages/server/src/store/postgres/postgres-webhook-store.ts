import type pg from 'pg';
import type { WebhookDelivery } from '../../ports/store/store-records.js';
import type { WebhookStore } from '../../ports/store/webhook-store.js';
import { toDelivery } from '../sql-rows.js';
import type { PostgresContext } from './postgres-context.js';
import { inTransaction, whole } from './postgres-database.js';

/** The webhook outbox as the sender sees it, in PostgreSQL (events are queued by `queueWebhook`). */
export class PostgresWebhookStore implements WebhookStore {
  private readonly pool: pg.Pool;

  constructor(context: PostgresContext) {
    this.pool = context.pool;
  }

  /** Take due deliveries no other process holds and push their next attempt out by the lease. */
  async claimDeliveries(now: number, limit: number, leaseMs: number): Promise<WebhookDelivery[]> {
    return inTransaction(this.pool, async (client) => {
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

  async recordDelivery(id: string, result: { status: number | null; error: string | null; nextAttemptAt: number | null }, now: number) {
    const delivered = result.error === null && result.status !== null && result.status >= 200 && result.status < 300;
    const state = delivered ? 'delivered' : result.nextAttemptAt === null ? 'failed' : 'pending';
    await this.pool.query(
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

  async listDeliveries(accountId: string, jobId: string) {
    const result = await this.pool.query(
      'SELECT * FROM webhook_deliveries WHERE account_id = $1 AND job_id = $2 ORDER BY created_at, seq',
      [accountId, jobId],
    );
    return result.rows.map(toDelivery);
  }
}
