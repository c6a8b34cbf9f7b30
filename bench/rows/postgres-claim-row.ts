import { openClaimBench } from '../support/postgres-claim.js';
import { storeAgainstRawRow } from '../support/store-against-raw.js';

const ACCOUNTS = 200;
const WORKERS = 16;
const JOBS = Number(process.env.BENCH_CLAIM_JOBS ?? 5000);

/**
 * Claim + capture on the PostgreSQL store: jobs queued first, then workers claim one job each
 * and complete it (capturing its hold) until the queue is empty, against the same work on bare
 * tables, in alternating runs. `DATABASE_URL`, or the local `test` database, on a throw-away schema.
 */
export const postgresClaimRow = storeAgainstRawRow(
  'postgres-claim',
  {
    label: 'raw SKIP LOCKED claim + settle txn',
    rate: `PostgreSQL claim + capture, ${WORKERS} workers: jobs/s`,
    latency: 'PostgreSQL claim + capture: p99 per job',
    note: `${JOBS} jobs queued over ${ACCOUNTS} accounts per run, drained by ${WORKERS} workers (claim, then complete)`,
  },
  () => openClaimBench(ACCOUNTS, WORKERS),
  (bench) => ({ raw: () => bench.raw(JOBS), store: () => bench.store(JOBS) }),
);
