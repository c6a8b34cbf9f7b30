import type Database from 'better-sqlite3';
import type { IdempotencyClaim, IdempotencyState } from '../../ports/store/store-records.js';
import { statement } from './sqlite-statements.js';

/** Claim a key for a job-less request: new (now in flight), in flight, mismatched or done. */
export function claimKey(db: Database.Database, accountId: string, claim: IdempotencyClaim, now: number): IdempotencyState {
  return db
    .transaction((): IdempotencyState => {
      const row = statement(db, 'SELECT * FROM idempotency_keys WHERE account_id = ? AND key = ?').get(accountId, claim.key) as
        | { request_hash: string; state: string; status: number | null; response: string | null; media_key: string | null }
        | undefined;
      if (!row) {
        statement(db, `INSERT INTO idempotency_keys VALUES (?, ?, ?, 'in_flight', NULL, NULL, NULL, ?, ?)`).run(
          accountId,
          claim.key,
          claim.requestHash,
          now,
          claim.expiresAt,
        );
        return { state: 'new' };
      }
      if (row.request_hash !== claim.requestHash) return { state: 'mismatch' };
      if (row.state !== 'done') return { state: 'in_flight' };
      return { state: 'done', status: row.status ?? 200, response: row.response ?? '', mediaKey: row.media_key };
    })
    .immediate();
}
