import type pg from 'pg';
import type { IdempotencyClaim, IdempotencyState } from '../../ports/store/store-records.js';
import { whole } from './postgres-database.js';

/**
 * Claim a key for a job-less request: new (now in flight), in flight, mismatched or done.
 * The insert either wins or waits for the winner's commit, so two racers never both get `new`.
 */
export async function claimKey(pool: pg.Pool, accountId: string, claim: IdempotencyClaim, now: number): Promise<IdempotencyState> {
  const inserted = await pool.query(
    `INSERT INTO idempotency_keys VALUES ($1, $2, $3, 'in_flight', NULL, NULL, NULL, $4, $5) ON CONFLICT DO NOTHING`,
    [accountId, claim.key, claim.requestHash, whole(now), whole(claim.expiresAt)],
  );
  if (inserted.rowCount === 1) return { state: 'new' };
  const row = (await pool.query('SELECT * FROM idempotency_keys WHERE account_id = $1 AND key = $2', [accountId, claim.key])).rows[0] as
    | { request_hash: string; state: string; status: number | null; response: string | null; media_key: string | null }
    | undefined;
  if (!row) return claimKey(pool, accountId, claim, now); // dropped between the two statements: try again
  if (row.request_hash !== claim.requestHash) return { state: 'mismatch' };
  if (row.state !== 'done') return { state: 'in_flight' };
  return { state: 'done', status: row.status ?? 200, response: row.response ?? '', mediaKey: row.media_key };
}
