import type pg from 'pg';
import { JOB_STATES, type JobState } from '../../domain/job-state.js';
import type { JobStatisticsStore } from '../../ports/store/job-statistics-store.js';
import type { ModelCostLine, OpenJobCount } from '../../ports/store/store-records.js';
import { OPEN_JOBS_SQL, toModelCostLine, upstreamCostsSql } from '../sql-rows.js';
import type { PostgresContext } from './postgres-context.js';
import { whole } from './postgres-database.js';

/** Read-only figures over jobs, in PostgreSQL. */
export class PostgresJobStatisticsStore implements JobStatisticsStore {
  private readonly pool: pg.Pool;

  constructor(context: PostgresContext) {
    this.pool = context.pool;
  }

  async recentTotals(modelId: string, limit: number) {
    const result = await this.pool.query(
      `SELECT finished_at - created_at AS total FROM jobs WHERE model_id = $1 AND state IN ('done', 'expired') ORDER BY finished_at DESC LIMIT $2`,
      [modelId, limit],
    );
    return (result.rows as { total: string }[]).map((row) => Number(row.total));
  }

  /** Model ids sort bytewise, as in SQLite, whatever the database's collation. */
  async upstreamCosts(from: number, to: number): Promise<ModelCostLine[]> {
    const result = await this.pool.query(upstreamCostsSql('$1', '$2', 'model_id COLLATE "C"'), [whole(from), whole(to)]);
    return (result.rows as Record<string, unknown>[]).map(toModelCostLine);
  }

  async countJobs() {
    const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
    const result = await this.pool.query('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state');
    for (const row of result.rows as { state: JobState; n: string }[]) counts[row.state] = Number(row.n);
    return counts;
  }

  async countOpenJobs(): Promise<OpenJobCount[]> {
    const result = await this.pool.query(OPEN_JOBS_SQL);
    return (result.rows as { engine: string; state: OpenJobCount['state']; n: string }[]).map((row) => ({
      engine: row.engine,
      state: row.state,
      count: Number(row.n),
    }));
  }
}
