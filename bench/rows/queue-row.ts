import type { Row } from '../support/context.js';
import { assertClean, LOAD, measureLoad } from '../support/load.js';
import { jsonHeaders, startOverture } from '../support/overture-server.js';
import { rawSqliteInserts } from '../support/raw-sqlite.js';
import type { Figure } from '../support/result.js';
import { median } from '../support/stats.js';

/** Connections for the durable queue row: enough for group commit to gather, few enough for the p99. */
export const QUEUE_CONNECTIONS = 16;

/**
 * Durable `/audio/queue` (hold + job, synchronous=FULL, API role so nothing runs the jobs),
 * against raw better-sqlite3 single-insert transactions, alternating runs.
 */
export const queueRow: Row = {
  id: 'queue',
  async run(): Promise<Figure[]> {
    const server = await startOverture({ OVERTURE_ROLE: 'api', OVERTURE_SQLITE_SYNCHRONOUS: 'FULL' });
    try {
      const raw = [];
      const runs = [];
      for (let run = 0; run < LOAD.runs; run++) {
        raw.push(rawSqliteInserts(LOAD.seconds));
        runs.push(
          ...(
            await measureLoad(
              {
                url: `${server.url}/api/v1/audio/queue`,
                method: 'POST',
                headers: jsonHeaders(server.key),
                connections: QUEUE_CONNECTIONS,
                body: JSON.stringify({ model: 'overture-sketch', prompt: 'a steady bench tone', duration_seconds: 5 }),
              },
              1,
            )
          ).runs,
        );
      }
      const summary = { rps: median(runs.map((run) => run.rps)), p99: median(runs.map((run) => run.p99)), runs };
      assertClean({ ...summary, p50: 0 }, 'queue');
      const rawRps = median(raw.map((run) => run.rps));
      const rawP99 = median(raw.map((run) => run.p99));
      const label = 'raw SQLite txn (FULL)';
      return [
        {
          row: 'queue',
          name: `durable /audio/queue, SQLite FULL, ${QUEUE_CONNECTIONS} conns: req/s`,
          value: summary.rps,
          unit: '/s',
          baseline: { label, value: rawRps },
          target: '≥ 2,000/s',
          met: summary.rps >= 2000,
          runs: [...runs, ...raw],
        },
        {
          row: 'queue',
          name: `durable /audio/queue, SQLite FULL: p99`,
          value: summary.p99,
          unit: 'ms',
          baseline: { label, value: rawP99 },
          target: '≤ 10 ms',
          met: summary.p99 <= 10,
        },
      ];
    } finally {
      await server.stop();
    }
  },
};
