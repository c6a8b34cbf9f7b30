import type { Row } from '../support/context.js';
import { LOAD } from '../support/load.js';
import type { TransactionRun } from '../support/postgres-bed.js';
import { openClaimBench } from '../support/postgres-claim.js';
import type { Figure } from '../support/result.js';
import { median } from '../support/stats.js';

const ACCOUNTS = 200;
const WORKERS = 16;
const JOBS = Number(process.env.BENCH_CLAIM_JOBS ?? 5000);

/**
 * Claim + capture on the PostgreSQL store: jobs queued first, then workers claim one job each
 * and complete it (capturing its hold) until the queue is empty, against the same work on bare
 * tables, in alternating runs. `DATABASE_URL`, or the local `test` database, on a throw-away schema.
 */
export const postgresClaimRow: Row = {
  id: 'postgres-claim',
  async run(): Promise<Figure[]> {
    const bench = await openClaimBench(ACCOUNTS, WORKERS);
    try {
      const store: TransactionRun[] = [];
      const raw: TransactionRun[] = [];
      for (let run = 0; run < LOAD.runs; run++) {
        raw.push(await bench.raw(JOBS));
        store.push(await bench.store(JOBS));
      }
      const label = 'raw SKIP LOCKED claim + settle txn';
      const rps = median(store.map((run) => run.rps));
      const p99 = median(store.map((run) => run.p99));
      return [
        {
          row: 'postgres-claim',
          name: `PostgreSQL claim + capture, ${WORKERS} workers: jobs/s`,
          value: rps,
          unit: '/s',
          baseline: { label, value: median(raw.map((run) => run.rps)) },
          target: '≥ 1,000/s',
          met: rps >= 1000,
          note: `${JOBS} jobs queued over ${ACCOUNTS} accounts per run, drained by ${WORKERS} workers (claim, then complete)`,
          runs: [...store, ...raw],
        },
        {
          row: 'postgres-claim',
          name: 'PostgreSQL claim + capture: p99 per job',
          value: p99,
          unit: 'ms',
          baseline: { label, value: median(raw.map((run) => run.p99)) },
          target: '—',
          met: undefined,
        },
      ];
    } finally {
      await bench.close();
    }
  },
};
