import pg from 'pg';
import type { AccountStore } from '../../ports/store/account-store.js';
import type { HistoryCursor } from '../../domain/job-history.js';
import type { HousekeepingStore } from '../../ports/store/housekeeping-store.js';
import type { IdempotencyStore } from '../../ports/store/idempotency-store.js';
import type { JobLeaseStore } from '../../ports/store/job-lease-store.js';
import type { JobStatisticsStore } from '../../ports/store/job-statistics-store.js';
import type { JobStore } from '../../ports/store/job-store.js';
import type { LedgerStore } from '../../ports/store/ledger-store.js';
import type { Store } from '../../ports/store/store.js';
import type { WalletStore } from '../../ports/store/wallet-store.js';
import type { WebhookStore } from '../../ports/store/webhook-store.js';
import { PostgresAccountStore } from './postgres-account-store.js';
import type { PostgresContext } from './postgres-context.js';
import { clientConfig, parsePostgresUrl } from './postgres-database.js';
import { PostgresIdempotencyStore } from './postgres-idempotency-store.js';
import { listAccountJobs } from './postgres-job-history.js';
import { JOBS_CHANNEL, PostgresJobs } from './postgres-jobs.js';
import { PostgresLedgerStore } from './postgres-ledger-store.js';
import { PostgresListener } from './postgres-listener.js';
import { migratePostgres } from './postgres-migrate.js';
import { PostgresNotifier } from './postgres-notifier.js';
import { PostgresWalletStore } from './postgres-wallet-store.js';
import { PostgresWebhookStore } from './postgres-webhook-store.js';

/** The shared store: PostgreSQL, reached through a connection pool; wake-ups by LISTEN/NOTIFY. */
export class PostgresStore extends PostgresJobs implements Store, JobStore, JobLeaseStore, HousekeepingStore, JobStatisticsStore {
  readonly accounts: AccountStore;
  readonly ledger: LedgerStore;
  readonly idempotency: IdempotencyStore;
  readonly webhooks: WebhookStore;
  readonly wallets: WalletStore;

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

  private readonly schema: string;
  private readonly listener: PostgresListener;

  /** `url`: `postgres://user@host:port/database?schema=NAME&pool=N` (see `parsePostgresUrl`). */
  constructor(url: string, onError: (error: unknown) => void = () => undefined) {
    const connection = parsePostgresUrl(url);
    const pool = new pg.Pool({ ...clientConfig(connection), max: connection.poolSize });
    pool.on('error', onError);
    const notifier = new PostgresNotifier(pool, JOBS_CHANNEL, onError);
    super(pool, notifier);
    this.schema = connection.schema;
    this.listener = new PostgresListener(clientConfig(connection), JOBS_CHANNEL, onError);
    const context: PostgresContext = { pool, notifier };
    this.accounts = new PostgresAccountStore(context);
    this.ledger = new PostgresLedgerStore(context);
    this.idempotency = new PostgresIdempotencyStore(context);
    this.webhooks = new PostgresWebhookStore(context);
    this.wallets = new PostgresWalletStore(context);
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

  async listJobs(accountId: string, limit: number, after: HistoryCursor | null) {
    return listAccountJobs(this.pool, accountId, limit, after);
  }

  async close() {
    await this.listener.close();
    await this.pool.end();
  }
}
