import type pg from 'pg';
import type { PostgresNotifier } from './postgres-notifier.js';

/** What the parts of the PostgreSQL store share: built once by `PostgresStore`, passed to each part. */
export interface PostgresContext {
  /** The connection pool every operation runs on. */
  readonly pool: pg.Pool;
  /** Announces committed enqueues to every process listening (see `PostgresStore.onJobQueued`). */
  readonly notifier: PostgresNotifier;
}
