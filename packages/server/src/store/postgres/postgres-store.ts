import pg from 'pg';
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
import { PostgresAccountStore } from './postgres-account-store.js';
import type { PostgresContext } from './postgres-context.js';
import { clientConfig, parsePostgresUrl } from './postgres-database.js';
import { PostgresHousekeepingStore } from './postgres-housekeeping-store.js';
import { PostgresIdempotencyStore } from './postgres-idempotency-store.js';
import { PostgresJobLeaseStore } from './postgres-job-lease-store.js';
import { PostgresJobStatisticsStore } from './postgres-job-statistics-store.js';
import { PostgresJobStore } from './postgres-job-store.js';
import { PostgresLedgerStore } from './postgres-ledger-store.js';
import { PostgresListener } from './postgres-listener.js';
import { migratePostgres } from './postgres-migrate.js';
import { PostgresNotifier } from './postgres-notifier.js';
import { PostgresWalletStore } from './postgres-wallet-store.js';
import { PostgresWebhookStore } from './postgres-webhook-store.js';

/** The channel every enqueue notifies (payload: the engine's name) when it commits. */
const JOBS_CHANNEL = 'overture_jobs';

/**
 * The shared store: PostgreSQL, reached through a connection pool; wake-ups by LISTEN/NOTIFY.
 * It opens the database and hands one `PostgresContext` to each of its nine parts, one class
 * per port (`postgres-ledger-store.ts` ↔ `ports/store/ledger-store.ts`).
 */
export class PostgresStore implements Store {
  readonly accounts: AccountStore;
  readonly ledger: LedgerStore;
  readonly jobs: JobStore;
  readonly leases: JobLeaseStore;
  readonly housekeeping: HousekeepingStore;
  readonly statistics: JobStatisticsStore;
  readonly idempotency: IdempotencyStore;
  readonly webhooks: WebhookStore;
  readonly wallets: WalletStore;

  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly listener: PostgresListener;

  /** `url`: `postgres://user@host:port/database?schema=NAME&pool=N` (see `parsePostgresUrl`). */
  constructor(url: string, onError: (error: unknown) => void = () => undefined) {
    const connection = parsePostgresUrl(url);
    this.pool = new pg.Pool({ ...clientConfig(connection), max: connection.poolSize });
    this.pool.on('error', onError);
    this.schema = connection.schema;
    this.listener = new PostgresListener(clientConfig(connection), JOBS_CHANNEL, onError);
    const context: PostgresContext = { pool: this.pool, notifier: new PostgresNotifier(this.pool, JOBS_CHANNEL, onError) };
    this.accounts = new PostgresAccountStore(context);
    this.ledger = new PostgresLedgerStore(context);
    this.jobs = new PostgresJobStore(context);
    this.leases = new PostgresJobLeaseStore(context);
    this.housekeeping = new PostgresHousekeepingStore(context);
    this.statistics = new PostgresJobStatisticsStore(context);
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

  async close() {
    await this.listener.close();
    await this.pool.end();
  }
}
