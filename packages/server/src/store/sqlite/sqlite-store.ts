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
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type CurrencyAmounts, epochOf } from '../../domain/currency.js';
import type { Store } from '../../ports/store/store.js';
import type {
  AccountRecord,
  BalanceLine,
  BalanceSnapshot,
  IdempotencyClaim,
  KeyRecord,
  LedgerTotals,
  NewJob,
  NewKey,
} from '../../ports/store/store-records.js';
import { claimKey } from './sqlite-idempotency.js';
import { claimDueDeliveries, recordDeliveryAttempt } from './sqlite-webhooks.js';
import { KEY_COLUMNS, keyValues, toAccount, toDelivery, toKey, toKeyWithAccount } from '../sql-rows.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { SqliteWalSync } from './sqlite-wal-sync.js';
import { SqliteJobs } from './sqlite-jobs.js';
import { grantUsd, reserveHold, settleHoldRow } from './sqlite-ledger.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';
import { statement } from './sqlite-statements.js';
import { abandonPayment, beginPayment, creditPayment, ensureWalletRows, listPayments } from './sqlite-wallets.js';
import type { NewWallet, NewWalletPayment } from '../../ports/store/wallet-records.js';
import { listAccountJobs } from './sqlite-job-history.js';

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  /** File path, or `:memory:`. */
  readonly path: string;
  /** `FULL` (default) survives power loss; `NORMAL` survives process crashes only. */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

/** The embedded store: one SQLite file in WAL mode, enqueues committed in groups. */
export class SqliteStore
  extends SqliteJobs
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

  private readonly groupCommit: SqliteGroupCommit;
  private readonly walSync: SqliteWalSync | undefined;
  private readonly queuedListeners = new Set<(engine: string) => void>();

  constructor(options: SqliteStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const db = new Database(options.path);
    // In-memory databases (and file systems without shared memory) stay out of WAL mode.
    const wal = db.pragma('journal_mode = WAL', { simple: true }) === 'wal';
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    // Each grouped write runs in a savepoint, whose rollback journal is otherwise a temporary file:
    // in memory, an enqueue costs a third less CPU (it is never needed after a crash).
    db.pragma('temp_store = MEMORY');
    super(db, options.synchronous ?? 'FULL');
    // Durable enqueues and settles commit without blocking on the disk and are acknowledged after
    // the log's fsync (on another thread). NORMAL and in-memory databases have no fsync to wait for;
    // without a write-ahead log every commit waits for the disk itself.
    this.walSync = wal && options.synchronous !== 'NORMAL' ? new SqliteWalSync(`${options.path}-wal`) : undefined;
    const walSync = this.walSync;
    this.durable = walSync && (() => walSync.sync());
    this.groupCommit = new SqliteGroupCommit(db, walSync && { withoutSync: (work) => this.withoutSync(work), sync: () => walSync.sync() });
  }

  async migrate(): Promise<void> {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const applied = statement(this.db, 'SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
    SQLITE_MIGRATIONS.forEach((sql, index) => {
      const version = index + 1;
      if ((applied.v ?? 0) >= version) return;
      this.db
        .transaction(() => {
          this.db.exec(sql);
          statement(this.db, 'INSERT INTO schema_migrations VALUES (?, ?)').run(version, Date.now());
        })
        .immediate();
    });
  }

  async createAccount(account: Omit<AccountRecord, 'createdAt'>, grant: number, keys: readonly NewKey[], now: number) {
    this.db
      .transaction(() => {
        statement(this.db, 'INSERT INTO accounts (id, name, pro, diem_daily, created_at) VALUES (?, ?, ?, ?, ?)').run(
          account.id,
          account.name,
          account.pro ? 1 : 0,
          account.diemDaily,
          now,
        );
        grantUsd(this.db, account.id, grant, 'initial credit', now);
        for (const key of keys) this.insertKey(key, now);
      })
      .immediate();
    return { ...account, createdAt: now };
  }

  async creditAccount(accountId: string, usd: number, note: string, now: number) {
    return this.db
      .transaction(() => {
        if (!statement(this.db, 'SELECT 1 FROM accounts WHERE id = ?').get(accountId)) return false;
        grantUsd(this.db, accountId, usd, note, now);
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

  async keyUsage(keyId: string, now: number): Promise<CurrencyAmounts> {
    const used = (currency: 'usd' | 'diem') =>
      (
        statement(this.db, 'SELECT used FROM key_usage WHERE key_id = ? AND currency = ? AND epoch = ?').get(
          keyId,
          currency,
          epochOf(currency, now),
        ) as { used: number } | undefined
      )?.used ?? 0;
    return { usd: used('usd'), diem: used('diem') };
  }

  async getBalance(accountId: string, now: number): Promise<BalanceSnapshot> {
    const epoch = epochOf('diem', now);
    return this.reads.read(`balance:${accountId}:${epoch}`, () => this.readBalance(accountId, epoch));
  }

  private readBalance(accountId: string, epoch: string): BalanceSnapshot {
    // One query for both lines: this runs on every authenticated request (balance headers).
    const rows = statement(
      this.db,
      `SELECT b.currency, b.available, b.held, b.captured, b.granted, a.diem_daily FROM accounts a
       LEFT JOIN balances b ON b.account_id = a.id AND ((b.currency = 'usd' AND b.epoch = '') OR (b.currency = 'diem' AND b.epoch = ?))
       WHERE a.id = ?`,
    ).all(epoch, accountId) as ({ currency: string | null; diem_daily: number } & BalanceLine)[];
    const empty: BalanceLine = { available: 0, held: 0, captured: 0, granted: 0 };
    const line = (currency: string) => {
      const row = rows.find((candidate) => candidate.currency === currency);
      return row ? { available: row.available, held: row.held, captured: row.captured, granted: row.granted } : undefined;
    };
    // The epoch's DIEM line is created on first spend; until then it is the whole allocation.
    const allocation = rows[0]?.diem_daily ?? 0;
    return { usd: line('usd') ?? empty, diem: line('diem') ?? { ...empty, available: allocation, granted: allocation } };
  }

  enqueue(job: NewJob, price: CurrencyAmounts, now: number) {
    return this.groupCommit.run(
      () => this.enqueueNow(job, price, now),
      (outcome) => {
        if (outcome.ok && !outcome.replayed) for (const listener of this.queuedListeners) listener(job.engine);
      },
    );
  }

  /**
   * Called as soon as a new job's group commits, before its fsync: a worker in this process may
   * claim it while the disk confirms. If the process dies first, the job and its claim vanish
   * together and the client, still waiting for its acknowledgement, was never told it exists.
   */
  onJobQueued(listener: (engine: string) => void): () => void {
    this.queuedListeners.add(listener);
    return () => this.queuedListeners.delete(listener);
  }

  async reserve(accountId: string, keyId: string, price: CurrencyAmounts, now: number) {
    return this.groupCommit.run(() => {
      const outcome = reserveHold(this.db, accountId, keyId, price, null, now);
      return outcome.ok ? { ok: true as const, value: { holdId: outcome.value.holdId, currency: outcome.value.currency } } : outcome;
    });
  }

  /**
   * The settle of a synchronous request's hold commits without an fsync of its own (like a claim):
   * a process kill keeps it, and the next durable commit carries it to disk. A power cut before
   * that loses it, and the orphan sweep then releases the hold — the request goes unpaid, never
   * paid twice. Its own fsync was the largest cost of a short `/audio/speech`.
   */
  async settleHold(holdId: string, outcome: 'capture' | 'release', now: number) {
    return this.withoutSync(() => this.db.transaction(() => settleHoldRow(this.db, holdId, outcome, now)).immediate());
  }

  async ledgerTotals(accountId?: string): Promise<LedgerTotals> {
    const where = accountId ? 'WHERE account_id = ?' : '';
    const args = accountId ? [accountId] : [];
    const sums = statement(
      this.db,
      `SELECT COALESCE(SUM(granted),0) g, COALESCE(SUM(available),0) a, COALESCE(SUM(held),0) h, COALESCE(SUM(captured),0) c,
           COALESCE(SUM(CASE WHEN available < 0 OR held < 0 THEN 1 ELSE 0 END),0) n FROM balances ${where}`,
    ).get(...args) as { g: number; a: number; h: number; c: number; n: number };
    const open = statement(this.db, `SELECT COALESCE(SUM(amount),0) s FROM holds ${where ? `${where} AND` : 'WHERE'} state = 'open'`).get(
      ...args,
    ) as { s: number };
    const captures = statement(
      this.db,
      `SELECT COALESCE(SUM(amount),0) s FROM ledger_entries ${where ? `${where} AND` : 'WHERE'} kind = 'capture'`,
    ).get(...args) as { s: number };
    const twice = statement(
      this.db,
      `SELECT COUNT(*) n FROM (SELECT hold_id FROM ledger_entries ${where ? `${where} AND` : 'WHERE'} kind IN ('capture','release') GROUP BY hold_id HAVING COUNT(*) > 1)`,
    ).get(...args) as { n: number };
    return {
      granted: sums.g,
      available: sums.a,
      held: sums.h,
      captured: sums.c,
      openHolds: open.s,
      captureEntries: captures.s,
      negativeRows: sums.n,
      holdsSettledTwice: twice.n,
    };
  }

  async claimIdempotencyKey(accountId: string, claim: IdempotencyClaim, now: number) {
    return claimKey(this.db, accountId, claim, now);
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

  async webhookSecret(accountId: string, create: () => string) {
    statement(this.db, 'UPDATE accounts SET webhook_secret = ? WHERE id = ? AND webhook_secret IS NULL').run(create(), accountId);
    return (statement(this.db, 'SELECT webhook_secret FROM accounts WHERE id = ?').get(accountId) as { webhook_secret: string })
      .webhook_secret;
  }

  async claimDeliveries(now: number, limit: number, leaseMs: number) {
    return claimDueDeliveries(this.db, now, limit, leaseMs);
  }

  async recordDelivery(id: string, result: { status: number | null; error: string | null; nextAttemptAt: number | null }, now: number) {
    recordDeliveryAttempt(this.db, id, result, now);
  }

  async listDeliveries(accountId: string, jobId: string) {
    const rows = statement(this.db, 'SELECT * FROM webhook_deliveries WHERE account_id = ? AND job_id = ? ORDER BY created_at, rowid').all(
      accountId,
      jobId,
    ) as Record<string, unknown>[];
    return rows.map(toDelivery);
  }

  async ensureWallet(wallet: NewWallet, now: number) {
    ensureWalletRows(this.db, wallet, now);
    const found = await this.findKeyByHash(wallet.keyHash);
    if (!found) throw new Error(`wallet account ${wallet.accountId} could not be created`);
    return found;
  }

  async beginWalletPayment(payment: NewWalletPayment, now: number) {
    return beginPayment(this.db, payment, now);
  }

  async creditWalletPayment(paymentId: string, transaction: string | null, now: number) {
    return creditPayment(this.db, paymentId, transaction, now);
  }

  async abandonWalletPayment(paymentId: string) {
    abandonPayment(this.db, paymentId);
  }

  async listJobs(accountId: string, limit: number, after: HistoryCursor | null) {
    return listAccountJobs(this.db, accountId, limit, after);
  }

  async listWalletPayments(limit: number) {
    return listPayments(this.db, limit);
  }

  async close() {
    await this.groupCommit.drain();
    await this.walSync?.close();
    this.db.close();
  }
}
