import { LOAD } from '../support/load.js';
import { openPostgresBench } from '../support/postgres-enqueue.js';
import { storeAgainstRawRow } from '../support/store-against-raw.js';

const ACCOUNTS = 200;
const CONCURRENCY = 16;

/**
 * Durable enqueues on the PostgreSQL store (reserve + hold + job in one call of the server-side
 * `overture_enqueue`, then a coalesced NOTIFY; spread over many accounts) against raw single-insert transactions on the same server, in
 * alternating runs. Uses `DATABASE_URL`, or the local `test` database, on a throw-away schema.
 */
export const postgresRow = storeAgainstRawRow(
  'postgres',
  {
    label: 'raw PostgreSQL insert txn',
    rate: `PostgreSQL store enqueue, ${ACCOUNTS} accounts, ${CONCURRENCY} in flight: txn/s`,
    latency: 'PostgreSQL store enqueue: p99',
    latencyTargetMs: 20,
  },
  () => openPostgresBench(ACCOUNTS, CONCURRENCY),
  (bench) => ({ raw: () => bench.rawInserts(LOAD.seconds), store: () => bench.enqueues(LOAD.seconds) }),
);
