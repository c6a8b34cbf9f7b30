import type { AccountStore } from '../../ports/store/account-store.js';
import type { LedgerStore } from '../../ports/store/ledger-store.js';
import type { JobStore } from '../../ports/store/job-store.js';
import type { JobLeaseStore } from '../../ports/store/job-lease-store.js';
import type { HousekeepingStore } from '../../ports/store/housekeeping-store.js';
import type { JobStatisticsStore } from '../../ports/store/job-statistics-store.js';
import type { IdempotencyStore } from '../../ports/store/idempotency-store.js';
import type { WebhookStore } from '../../ports/store/webhook-store.js';
import type { WalletStore } from '../../ports/store/wallet-store.js';
import type { HistoryCursor } from '../../domain/job-history.js';
import pg from 'pg';
import { type CurrencyAmounts, epochOf } from '../../domain/currency.js';
import type { Store } from '../../ports/store/store.js';
import type { AccountRecord, BalanceSnapshot, IdempotencyClaim, KeyRecord, LedgerTotals, NewKey } from '../../ports/store/store-records.js';
import { KEY_COLUMNS, keyValues, toAccount, toDelivery, toKey, toKeyWithAccount } from '../sql-rows.js';
import { clientConfig, inTransaction, parsePostgresUrl, type Queryable, whole } from './postgres-database.js';
import { JOBS_CHANNEL, PostgresJobs } from './postgres-jobs.js';
import { grantUsd, readLine, reserveHold, settleHoldRow } from './postgres-ledger.js';
import { claimKey } from './postgres-idempotency.js';
import { PostgresListener } from './postgres-listener.js';
import { PostgresNotifier } from './postgres-notifier.js';
import { migratePostgres } from './postgres-migrate.js';
import { claimDueDeliveries, recordDeliveryAttempt } from './postgres-webhooks.js';
import { abandonPayment, beginPayment, creditPayment, ensureWalletRows, listPayments } from './postgres-wallets.js';
import type { NewWallet, NewWalletPayment } from '../../ports/store/wallet-records.js';
import { listAccountJobs } from './postgres-job-history.js';

/** The shared store: PostgreSQL, reached through a connection pool; wake-ups by LISTEN/NOTIFY. */
export class PostgresStore
  extends PostgresJobs
  implements
    Store,
    AccountStore,
    LedgerStore,
    JobStore,
    JobLeaseStore,
    HousekeepingStore,
    JobStatisticsStore,
    IdempotencyStore,
    WebhookStore,
    WalletStore
{
  get accounts(): AccountStore {
    return this;
  }
  get ledger(): LedgerStore {
    return this;
  }
  get jobs(): JobStore {
    return this;
  }
  get leases(): JobLeaseStore {
    return this;
  }
  get housekeeping(): HousekeepingStore {
    return this;
  }
  get statistics(): JobStatisticsStore {
    return this;
  }
  get idempotency(): IdempotencyStore {
    return this;
  }
  get webhooks(): WebhookStore {
    return this;
  }
  get wallets(): WalletStore {
    return this;
  }

  private readonly schema: string;
  private readonly listener: PostgresListener;

  /** `url`: `postgres://user@host:port/database?schema=NAME&pool=N` (see `parsePostgresUrl`). */
  constructor(url: string, onError: (error: unknown) => void = () => undefined) {
    const connection = parsePostgresUrl(url);
    const pool = new pg.Pool({ ...clientConfig(connection), max: connection.poolSize });
    pool.on('error', onError);
    super(pool, new PostgresNotifier(pool, JOBS_CHANNEL, onError));
    this.schema = connection.schema;
    this.listener = new PostgresListener(clientConfig(connection), JOBS_CHANNEL, onError);
  }

  async migrate(): Promise<void> {
    await migratePostgres(this.pool, this.schema);
  }

  /**
   * Call `listener` with the engine's name whenever a job is queued by any process using this
   * database (LISTEN/NOTIFY). Best effort: workers keep polling for anything missed.
   */
  onJobQueued(listener: (engine: string) => void): () => void {
    return this.listener.subscribe(listener);
  }

  /** Resolves once the LISTEN connection is up (after `onJobQueued`); for tests. */
  async listening(): Promise<void> {
    await this.listener.ready();
  }

  async createAccount(account: Omit<AccountRecord, 'createdAt'>, grant: number, keys: readonly NewKey[], at: number) {
    const now = whole(at);
    await inTransaction(this.pool, async (client) => {
      await client.query('INSERT INTO accounts (id, name, pro, diem_daily, created_at) VALUES ($1, $2, $3, $4, $5)', [
        account.id,
        account.name,
        account.pro,
        account.diemDaily,
        now,
      ]);
      await grantUsd(client, account.id, grant, 'initial credit', now);
      for (const key of keys) await insertKey(client, key, now);
    });
    return { ...account, createdAt: now };
  }

  async creditAccount(accountId: string, usd: number, note: string, now: number) {
    return inTransaction(this.pool, async (client) => {
      if ((await client.query('SELECT 1 FROM accounts WHERE id = $1', [accountId])).rowCount === 0) return false;
      await grantUsd(client, accountId, usd, note, whole(now));
      return true;
    });
  }

  async getAccount(accountId: string) {
    const row = (await this.pool.query('SELECT * FROM accounts WHERE id = $1', [accountId])).rows[0];
    return row ? toAccount(row) : undefined;
  }

  async countAccounts() {
    return Number((await this.pool.query('SELECT COUNT(*) AS n FROM accounts')).rows[0].n);
  }

  async createKey(key: NewKey, now: number) {
    return insertKey(this.pool, key, whole(now));
  }

  async findKeyByHash(hash: string) {
    const row = (
      await this.pool.query(
        `SELECT k.*, a.name AS a_name, a.pro AS a_pro, a.diem_daily AS a_diem_daily, a.created_at AS a_created_at
         FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.hash = $1 AND k.deleted_at IS NULL`,
        [hash],
      )
    ).rows[0];
    if (!row) return undefined;
    return toKeyWithAccount(row);
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

  async keyUsage(keyId: string, now: number): Promise<CurrencyAmounts> {
    const result = await this.pool.query(
      `SELECT currency, used FROM key_usage WHERE key_id = $1 AND ((currency = 'usd' AND epoch = $2) OR (currency = 'diem' AND epoch = $3))`,
      [keyId, epochOf('usd', now), epochOf('diem', now)],
    );
    const used = (currency: string) => Number(result.rows.find((row) => row.currency === currency)?.used ?? 0);
    return { usd: used('usd'), diem: used('diem') };
  }

  async getBalance(accountId: string, now: number): Promise<BalanceSnapshot> {
    const usd = await readLine(this.pool, accountId, 'usd', '');
    let diem = await readLine(this.pool, accountId, 'diem', epochOf('diem', now));
    if (diem.granted === 0) {
      // The epoch's line is created on first spend; until then it is the whole allocation.
      const allocation = (await this.getAccount(accountId))?.diemDaily ?? 0;
      diem = { available: allocation, held: 0, captured: 0, granted: allocation };
    }
    return { usd, diem };
  }

  async reserve(accountId: string, keyId: string, price: CurrencyAmounts, now: number) {
    return reserveHold(this.pool, accountId, keyId, price, whole(now));
  }

  async settleHold(holdId: string, outcome: 'capture' | 'release', now: number) {
    return inTransaction(this.pool, (client) => settleHoldRow(client, holdId, outcome, whole(now)));
  }

  async ledgerTotals(accountId?: string): Promise<LedgerTotals> {
    const filter = accountId === undefined ? 'TRUE' : 'account_id = $1';
    const args = accountId === undefined ? [] : [accountId];
    const result = await this.pool.query(
      `SELECT
         (SELECT COALESCE(SUM(granted), 0) FROM balances WHERE ${filter}) AS g,
         (SELECT COALESCE(SUM(available), 0) FROM balances WHERE ${filter}) AS a,
         (SELECT COALESCE(SUM(held), 0) FROM balances WHERE ${filter}) AS h,
         (SELECT COALESCE(SUM(captured), 0) FROM balances WHERE ${filter}) AS c,
         (SELECT COUNT(*) FROM balances WHERE ${filter} AND (available < 0 OR held < 0)) AS n,
         (SELECT COALESCE(SUM(amount), 0) FROM holds WHERE ${filter} AND state = 'open') AS open,
         (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE ${filter} AND kind = 'capture') AS captures,
         (SELECT COUNT(*) FROM (SELECT hold_id FROM ledger_entries WHERE ${filter} AND kind IN ('capture', 'release')
            GROUP BY hold_id HAVING COUNT(*) > 1) twice) AS twice`,
      args,
    );
    const row = result.rows[0] as Record<string, string>;
    return {
      granted: Number(row.g),
      available: Number(row.a),
      held: Number(row.h),
      captured: Number(row.c),
      openHolds: Number(row.open),
      captureEntries: Number(row.captures),
      negativeRows: Number(row.n),
      holdsSettledTwice: Number(row.twice),
    };
  }

  async claimIdempotencyKey(accountId: string, claim: IdempotencyClaim, now: number) {
    return claimKey(this.pool, accountId, claim, now);
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

  async webhookSecret(accountId: string, create: () => string) {
    await this.pool.query('UPDATE accounts SET webhook_secret = $1 WHERE id = $2 AND webhook_secret IS NULL', [create(), accountId]);
    return (await this.pool.query('SELECT webhook_secret FROM accounts WHERE id = $1', [accountId])).rows[0]?.webhook_secret as string;
  }

  async claimDeliveries(now: number, limit: number, leaseMs: number) {
    return claimDueDeliveries(this.pool, now, limit, leaseMs);
  }

  async recordDelivery(id: string, result: { status: number | null; error: string | null; nextAttemptAt: number | null }, now: number) {
    await recordDeliveryAttempt(this.pool, id, result, now);
  }

  async listDeliveries(accountId: string, jobId: string) {
    const result = await this.pool.query(
      'SELECT * FROM webhook_deliveries WHERE account_id = $1 AND job_id = $2 ORDER BY created_at, seq',
      [accountId, jobId],
    );
    return result.rows.map(toDelivery);
  }

  async ensureWallet(wallet: NewWallet, now: number) {
    await ensureWalletRows(this.pool, wallet, now);
    const found = await this.findKeyByHash(wallet.keyHash);
    if (!found) throw new Error(`wallet account ${wallet.accountId} could not be created`);
    return found;
  }

  async beginWalletPayment(payment: NewWalletPayment, now: number) {
    return beginPayment(this.pool, payment, now);
  }

  async creditWalletPayment(paymentId: string, transaction: string | null, now: number) {
    return creditPayment(this.pool, paymentId, transaction, now);
  }

  async abandonWalletPayment(paymentId: string) {
    await abandonPayment(this.pool, paymentId);
  }

  async listJobs(accountId: string, limit: number, after: HistoryCursor | null) {
    return listAccountJobs(this.pool, accountId, limit, after);
  }

  async listWalletPayments(limit: number) {
    return listPayments(this.pool, limit);
  }

  async close() {
    await this.listener.close();
    await this.pool.end();
  }
}

async function insertKey(db: Queryable, key: NewKey, now: number): Promise<KeyRecord> {
  await db.query(`INSERT INTO api_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, keyValues(key, now));
  return { ...key, createdAt: now };
}
