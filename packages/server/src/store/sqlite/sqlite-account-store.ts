import type Database from 'better-sqlite3';
import type { Micros } from '../../domain/money.js';
import type { AccountStore } from '../../ports/store/account-store.js';
import type { AccountRecord, KeyRecord, NewKey } from '../../ports/store/store-records.js';
import { KEY_COLUMNS, keyValues, toAccount, toKey, toKeyWithAccount } from '../sql-rows.js';
import type { SqliteContext } from './sqlite-context.js';
import { grantUsd } from './sqlite-ledger.js';
import { statement } from './sqlite-statements.js';

/** Accounts, their API keys and their signing secret, in SQLite. */
export class SqliteAccountStore implements AccountStore {
  private readonly db: Database.Database;

  constructor(context: SqliteContext) {
    this.db = context.db;
  }

  async createAccount(account: Omit<AccountRecord, 'createdAt'>, initialGrant: Micros, keys: readonly NewKey[], now: number) {
    this.db
      .transaction(() => {
        statement(this.db, 'INSERT INTO accounts (id, name, pro, diem_daily, created_at) VALUES (?, ?, ?, ?, ?)').run(
          account.id,
          account.name,
          account.pro ? 1 : 0,
          account.diemDaily,
          now,
        );
        grantUsd(this.db, account.id, initialGrant, 'initial credit', now);
        for (const key of keys) this.insertKey(key, now);
      })
      .immediate();
    return { ...account, createdAt: now };
  }

  async creditAccount(accountId: string, amount: Micros, note: string, now: number) {
    return this.db
      .transaction(() => {
        if (!statement(this.db, 'SELECT 1 FROM accounts WHERE id = ?').get(accountId)) return false;
        grantUsd(this.db, accountId, amount, note, now);
        return true;
      })
      .immediate();
  }

  async getAccount(accountId: string) {
    const row = statement(this.db, 'SELECT * FROM accounts WHERE id = ?').get(accountId) as Record<string, unknown> | undefined;
    return row ? toAccount(row) : undefined;
  }

  async countAccounts() {
    return (statement(this.db, 'SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n;
  }

  private insertKey(key: NewKey, now: number): KeyRecord {
    statement(this.db, `INSERT INTO api_keys (${KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...keyValues(key, now));
    return { ...key, createdAt: now };
  }

  async createKey(key: NewKey, now: number) {
    return this.insertKey(key, now);
  }

  async findKeyByHash(hash: string) {
    const row = statement(
      this.db,
      `SELECT k.*, a.name AS a_name, a.pro AS a_pro, a.diem_daily AS a_diem_daily, a.created_at AS a_created_at
         FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.hash = ? AND k.deleted_at IS NULL`,
    ).get(hash) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    return toKeyWithAccount(row);
  }

  async listKeys(accountId: string) {
    const rows = statement(this.db, 'SELECT * FROM api_keys WHERE account_id = ? AND deleted_at IS NULL ORDER BY created_at, id').all(
      accountId,
    );
    return (rows as Record<string, unknown>[]).map(toKey);
  }

  async deleteKey(accountId: string, keyId: string, now: number) {
    const result = statement(this.db, 'UPDATE api_keys SET deleted_at = ? WHERE id = ? AND account_id = ? AND deleted_at IS NULL').run(
      now,
      keyId,
      accountId,
    );
    return result.changes === 1;
  }

  async webhookSecret(accountId: string, create: () => string) {
    statement(this.db, 'UPDATE accounts SET webhook_secret = ? WHERE id = ? AND webhook_secret IS NULL').run(create(), accountId);
    return (statement(this.db, 'SELECT webhook_secret FROM accounts WHERE id = ?').get(accountId) as { webhook_secret: string })
      .webhook_secret;
  }
}
