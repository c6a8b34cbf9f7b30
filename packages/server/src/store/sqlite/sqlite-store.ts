import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AccountStore } from '../../ports/store/account-store.js';
import type { HousekeepingStore } from '../../ports/store/housekeeping-store.js';
import type { IdempotencyStore } from '../../ports/store/idempotency-store.js';
import type { JobLeaseStore } from '../../ports/store/job-lease-store.js';
import type { JobStatisticsStore } from '../../ports/store/job-statistics-store.js';
import type { JobStore } from '../../ports/store/job-store.js';
import type { LedgerStore } from '../../ports/store/ledger-store.js';
import type { Store } from '../../ports/store/store.js';
import type { WalletStore } from '../../ports/store/wallet-store.js';
import type { WebhookStore } from '../../ports/store/webhook-store.js';
import { SqliteAccountStore } from './sqlite-account-store.js';
import { createSqliteContext, type SqliteContext } from './sqlite-context.js';
import { SqliteHousekeepingStore } from './sqlite-housekeeping-store.js';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store.js';
import { SqliteJobLeaseStore } from './sqlite-job-lease-store.js';
import { SqliteJobStatisticsStore } from './sqlite-job-statistics-store.js';
import { SqliteJobStore } from './sqlite-job-store.js';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';
import { statement } from './sqlite-statements.js';
import { SqliteWalSync } from './sqlite-wal-sync.js';
import { SqliteWalletStore } from './sqlite-wallet-store.js';
import { SqliteWebhookStore } from './sqlite-webhook-store.js';

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  /** File path, or `:memory:`. */
  readonly path: string;
  /** `FULL` (default) survives power loss; `NORMAL` survives process crashes only. */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

/**
 * The embedded store: one SQLite file in WAL mode, enqueues committed in groups. It opens the
 * connection and builds its nine parts (`sqlite-*-store.ts`, one per port) over one shared
 * context (`sqlite-context.ts`).
 */
export class SqliteStore implements Store {
  readonly accounts: AccountStore;
  readonly ledger: LedgerStore;
  readonly jobs: JobStore;
  readonly leases: JobLeaseStore;
  readonly housekeeping: HousekeepingStore;
  readonly statistics: JobStatisticsStore;
  readonly idempotency: IdempotencyStore;
  readonly webhooks: WebhookStore;
  readonly wallets: WalletStore;

  private readonly context: SqliteContext;
  private readonly db: Database.Database;
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
    // Durable enqueues and settles commit without blocking on the disk and are acknowledged after
    // the log's fsync (on another thread). NORMAL and in-memory databases have no fsync to wait for;
    // without a write-ahead log every commit waits for the disk itself.
    const walSync = wal && options.synchronous !== 'NORMAL' ? new SqliteWalSync(`${options.path}-wal`) : undefined;
    this.walSync = walSync;
    this.db = db;
    const jobQueued = (engine: string) => {
      for (const listener of this.queuedListeners) listener(engine);
    };
    this.context = createSqliteContext({ db, synchronous: options.synchronous ?? 'FULL', walSync, jobQueued });
    const accounts = new SqliteAccountStore(this.context);
    this.accounts = accounts;
    this.ledger = new SqliteLedgerStore(this.context);
    this.jobs = new SqliteJobStore(this.context);
    this.leases = new SqliteJobLeaseStore(this.context);
    this.housekeeping = new SqliteHousekeepingStore(this.context);
    this.statistics = new SqliteJobStatisticsStore(this.context);
    this.idempotency = new SqliteIdempotencyStore(this.context);
    this.webhooks = new SqliteWebhookStore(this.context);
    this.wallets = new SqliteWalletStore(this.context, accounts);
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

  /**
   * Called as soon as a new job's group commits, before its fsync: a worker in this process may
   * claim it while the disk confirms. If the process dies first, the job and its claim vanish
   * together and the client, still waiting for its acknowledgement, was never told it exists.
   */
  onJobQueued(listener: (engine: string) => void): () => void {
    this.queuedListeners.add(listener);
    return () => this.queuedListeners.delete(listener);
  }

  async close() {
    await this.context.groupCommit.drain();
    await this.walSync?.close();
    this.db.close();
  }
}
