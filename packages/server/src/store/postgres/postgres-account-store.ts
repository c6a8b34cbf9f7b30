import type pg from 'pg';
import type { Micros } from '../../domain/money.js';
import type { AccountStore } from '../../ports/store/account-store.js';
import type { AccountRecord, KeyRecord, NewKey } from '../../ports/store/store-records.js';
import { KEY_COLUMNS, keyValues, toAccount, toKey, toKeyWithAccount } from '../sql-rows.js';
import type { PostgresContext } from './postgres-context.js';
import { inTransaction, type Queryable, whole } from './postgres-database.js';
import { grantUsd } from './postgres-ledger.js';

/** Accounts, their API keys and their signing secret, in PostgreSQL. */
export class PostgresAccountStore implements AccountStore {
  private readonly pool: pg.Pool;

  constructor(context: PostgresContext) {
    this.pool = context.pool;
  }

  async createAccount(account: Omit<AccountRecord, 'createdAt'>, initialGrant: Micros, keys: readonly NewKey[], at: number) {
    const now = whole(at);
    await inTransaction(this.pool, async (client) => {
      await client.query('INSERT INTO accounts (id, name, pro, diem_daily, created_at) VALUES ($1, $2, $3, $4, $5)', [
        account.id,
        account.name,
        account.pro,
        account.diemDaily,
        now,
      ]);
      await grantUsd(client, account.id, initialGrant, 'initial credit', now);
      for (const key of keys) await insertKey(client, key, now);
    });
    return { ...account, createdAt: now };
  }

  async creditAccount(accountId: string, amount: Micros, note: string, now: number) {
    return inTransaction(this.pool, async (client) => {
      if ((await client.query('SELECT 1 FROM accounts WHERE id = $1', [accountId])).rowCount === 0) return false;
      await grantUsd(client, accountId, amount, note, whole(now));
      return true;
    });
  }

  async getAccount(accountId: string) {
    return selectAccount(this.pool, accountId);
  }

  async countAccounts() {
    return Number((await this.pool.query('SELECT COUNT(*) AS n FROM accounts')).rows[0].n);
  }

  async createKey(key: NewKey, now: number) {
    return insertKey(this.pool, key, whole(now));
  }

  async findKeyByHash(hash: string) {
    return selectLiveKey(this.pool, hash);
  }

  async listKeys(accountId: string) {
    const result = await this.pool.query('SELECT * FROM api_keys WHERE account_id = $1 AND deleted_at IS NULL ORDER BY created_at, id', [
      accountId,
    ]);
    return result.rows.map(toKey);
  }

  async deleteKey(accountId: string, keyId: string, now: number) {
    const result = await this.pool.query('UPDATE api_keys SET deleted_at = $1 WHERE id = $2 AND account_id = $3 AND deleted_at IS NULL', [
      whole(now),
      keyId,
      accountId,
    ]);
    return result.rowCount === 1;
  }

  async webhookSecret(accountId: string, create: () => string) {
    await this.pool.query('UPDATE accounts SET webhook_secret = $1 WHERE id = $2 AND webhook_secret IS NULL', [create(), accountId]);
    return (await this.pool.query('SELECT webhook_secret FROM accounts WHERE id = $1', [accountId])).rows[0]?.webhook_secret as string;
  }
}

/** One account by id (also read by the ledger for the DIEM allocation). */
export async function selectAccount(db: Queryable, accountId: string): Promise<AccountRecord | undefined> {
  const row = (await db.query('SELECT * FROM accounts WHERE id = $1', [accountId])).rows[0];
  return row ? toAccount(row) : undefined;
}

/** The live key with this hash and its account (also read by the wallet store after creating one). */
export async function selectLiveKey(db: Queryable, hash: string): Promise<{ key: KeyRecord; account: AccountRecord } | undefined> {
  const row = (
    await db.query(
      `SELECT k.*, a.name AS a_name, a.pro AS a_pro, a.diem_daily AS a_diem_daily, a.created_at AS a_created_at
         FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.hash = $1 AND k.deleted_at IS NULL`,
      [hash],
    )
  ).rows[0];
  if (!row) return undefined;
  return toKeyWithAccount(row);
}

async function insertKey(db: Queryable, key: NewKey, now: number): Promise<KeyRecord> {
  await db.query(`INSERT INTO api_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, keyValues(key, now));
  return { ...key, createdAt: now };
}
