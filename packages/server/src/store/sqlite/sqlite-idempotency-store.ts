import type Database from 'better-sqlite3';
import type { IdempotencyStore } from '../../ports/store/idempotency-store.js';
import type { IdempotencyClaim, IdempotencyState } from '../../ports/store/store-records.js';
import type { SqliteContext } from './sqlite-context.js';
import { statement } from './sqlite-statements.js';

/** Idempotency keys of requests that create no job, in SQLite (a job's key is written by `enqueue`). */
export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly db: Database.Database;

  constructor(context: SqliteContext) {
    this.db = context.db;
  }

  /** Claim a key for a job-less request: new (now in flight), in flight, mismatched or done. */
  async claimIdempotencyKey(accountId: string, claim: IdempotencyClaim, now: number) {
    return this.db
      .transaction((): IdempotencyState => {
        const row = statement(this.db, 'SELECT * FROM idempotency_keys WHERE account_id = ? AND key = ?').get(accountId, claim.key) as
          | { request_hash: string; state: string; status: number | null; response: string | null; media_key: string | null }
          | undefined;
        if (!row) {
          statement(this.db, `INSERT INTO idempotency_keys VALUES (?, ?, ?, 'in_flight', NULL, NULL, NULL, ?, ?)`).run(
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

  async finishIdempotencyKey(accountId: string, key: string, status: number, response: string, mediaKey: string | null) {
    statement(
      this.db,
      `UPDATE idempotency_keys SET state = 'done', status = ?, response = ?, media_key = ? WHERE account_id = ? AND key = ?`,
    ).run(status, response, mediaKey, accountId, key);
  }

  async dropIdempotencyKey(accountId: string, key: string) {
    statement(this.db, `DELETE FROM idempotency_keys WHERE account_id = ? AND key = ? AND state = 'in_flight'`).run(accountId, key);
  }
}
