import type Database from 'better-sqlite3';
import { JOB_STATES, type JobState } from '../../domain/job-state.js';
import type { JobStatisticsStore } from '../../ports/store/job-statistics-store.js';
import type { ModelCostLine, OpenJobCount } from '../../ports/store/store-records.js';
import { OPEN_JOBS_SQL, toModelCostLine, upstreamCostsSql } from '../sql-rows.js';
import type { SqliteContext } from './sqlite-context.js';
import { statement } from './sqlite-statements.js';

/** Read-only figures over jobs, in SQLite. */
export class SqliteJobStatisticsStore implements JobStatisticsStore {
  private readonly db: Database.Database;

  constructor(context: SqliteContext) {
    this.db = context.db;
  }

  async recentTotals(modelId: string, limit: number) {
    const rows = statement(
      this.db,
      `SELECT finished_at - created_at AS total FROM jobs WHERE model_id = ? AND state IN ('done', 'expired') ORDER BY finished_at DESC LIMIT ?`,
    ).all(modelId, limit) as { total: number }[];
    return rows.map((row) => row.total);
  }

  async upstreamCosts(from: number, to: number): Promise<ModelCostLine[]> {
    const rows = statement(this.db, upstreamCostsSql('?', '?', 'model_id')).all(from, to) as Record<string, unknown>[];
    return rows.map(toModelCostLine);
  }

  async countJobs() {
    const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
    for (const row of statement(this.db, 'SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as { state: JobState; n: number }[])
      counts[row.state] = row.n;
    return counts;
  }

  async countOpenJobs(): Promise<OpenJobCount[]> {
    const rows = statement(this.db, OPEN_JOBS_SQL).all() as { engine: string; state: OpenJobCount['state']; n: number }[];
    return rows.map((row) => ({ engine: row.engine, state: row.state, count: row.n }));
  }
}
