import type { Row } from '../support/context.js';
import { LOAD } from '../support/load.js';
import { openPostgresBench, type TransactionRun } from '../support/postgres-enqueue.js';
import type { Figure } from '../support/result.js';
import { median } from '../support/stats.js';

const ACCOUNTS = 200;
const CONCURRENCY = 16;

/**
 * Durable enqueues on the PostgreSQL store (reserve + hold + job in one call of the server-side
 * `overture_enqueue`, then a coalesced NOTIFY; spread over many accounts) against raw single-insert transactions on the same server, in
 * alternating runs. Uses `DATABASE_URL`, or the local `test` database, on a throw-away schema.
 */
export const postgresRow: Row = {
  id: 'postgres',
  async run(): Promise<Figure[]> {
    const bench = await openPostgresBench(ACCOUNTS, CONCURRENCY);
    try {
      const store: TransactionRun[] = [];
      const raw: TransactionRun[] = [];
      for (let run = 0; run < LOAD.runs; run++) {
        raw.push(await bench.rawInserts(LOAD.seconds));
        store.push(await bench.enqueues(LOAD.seconds));
      }
      const label = 'raw PostgreSQL insert txn';
      const rps = median(store.map((run) => run.rps));
      const p99 = median(store.map((run) => run.p99));
      return [
        {
          row: 'postgres',
          name: `PostgreSQL store enqueue, ${ACCOUNTS} accounts, ${CONCURRENCY} in flight: txn/s`,
          value: rps,
          unit: '/s',
          baseline: { label, value: median(raw.map((run) => run.rps)) },
          target: '≥ 1,000/s',
          met: rps >= 1000,
          runs: [...store, ...raw],
        },
        {
          row: 'postgres',
          name: 'PostgreSQL store enqueue: p99',
          value: p99,
          unit: 'ms',
          baseline: { label, value: median(raw.map((run) => run.p99)) },
          target: '≤ 20 ms',
          met: p99 <= 20,
        },
      ];
    } finally {
      await bench.close();
    }
  },
};
