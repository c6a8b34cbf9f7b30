import type pg from 'pg';
import type { HistoryCursor } from '../../domain/job-history.js';
import type { JobRecord } from '../../ports/store/store-records.js';
import { toJob } from '../sql-rows.js';
import { whole } from './postgres-database.js';

/** Up to `limit` jobs of the account, newest first, after the cursor (index `jobs_account_history`). */
export async function listAccountJobs(pool: pg.Pool, accountId: string, limit: number, after: HistoryCursor | null): Promise<JobRecord[]> {
  const result = after
    ? await pool.query(
        'SELECT * FROM jobs WHERE account_id = $1 AND (created_at, id) < ($2, $3) ORDER BY created_at DESC, id DESC LIMIT $4',
        [accountId, whole(after.createdAt), after.id, limit],
      )
    : await pool.query('SELECT * FROM jobs WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2', [accountId, limit]);
  return result.rows.map(toJob);
}
