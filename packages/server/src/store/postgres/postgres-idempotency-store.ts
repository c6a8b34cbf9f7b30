import type pg from 'pg';
import type { IdempotencyStore } from '../../ports/store/idempotency-store.js';
import type { IdempotencyClaim, IdempotencyState } from '../../ports/store/store-records.js';
import type { PostgresContext } from './postgres-context.js';
import { whole } from './postgres-database.js';

/** Idempotency keys of requests that create no job, in PostgreSQL (enqueue claims its key in `overture_enqueue`). */
export class PostgresIdempotencyStore implements IdempotencyStore {
  private readonly pool: pg.Pool;

  constructor(context: PostgresContext) {
    this.pool = context.pool;
  }

  /**
   * New (now in flight), in flight, mismatched or done. The insert either wins or waits for the
   * winner's commit, so two racers never both get `new`.
   */
  async claimIdempotencyKey(accountId: string, claim: IdempotencyClaim, now: number): Promise<IdempotencyState> {
    const inserted = await this.pool.query(
      `INSERT INTO idempotency_keys VALUES ($1, $2, $3, 'in_flight', NULL, NULL, NULL, $4, $5) ON CONFLICT DO NOTHING`,
      [accountId, claim.key, claim.requestHash, whole(now), whole(claim.expiresAt)],
    );
    if (inserted.rowCount === 1) return { state: 'new' };
    const row = (await this.pool.query('SELECT * FROM idempotency_keys WHERE account_id = $1 AND key = $2', [accountId, claim.key]))
      .rows[0] as
      | { request_hash: string; state: string; status: number | null; response: string | null; media_key: string | null }
      | undefined;
    if (!row) return this.claimIdempotencyKey(accountId, claim, now); // dropped between the two statements: try again
    if (row.request_hash !== claim.requestHash) return { state: 'mismatch' };
    if (row.state !== 'done') return { state: 'in_flight' };
    return { state: 'done', status: row.status ?? 200, response: row.response ?? '', mediaKey: row.media_key };
  }

  async finishIdempotencyKey(accountId: string, key: string, status: number, response: string, mediaKey: string | null) {
    await this.pool.query(
      `UPDATE idempotency_keys SET state = 'done', status = $1, response = $2, media_key = $3 WHERE account_id = $4 AND key = $5`,
      [status, response, mediaKey, accountId, key],
    );
  }

  async dropIdempotencyKey(accountId: string, key: string) {
    await this.pool.query(`DELETE FROM idempotency_keys WHERE account_id = $1 AND key = $2 AND state = 'in_flight'`, [accountId, key]);
  }
}
