import type Database from 'better-sqlite3';
import type { HistoryCursor } from '../../domain/job-history.js';
import type { JobRecord } from '../../ports/store/store-records.js';
import { toJob } from '../sql-rows.js';
import { statement } from './sqlite-statements.js';

/** Up to `limit` jobs of the account, newest first, after the cursor (index `jobs_account_history`). */
export function listAccountJobs(db: Database.Database, accountId: string, limit: number, after: HistoryCursor | null): JobRecord[] {
  const rows = after
    ? statement(db, 'SELECT * FROM jobs WHERE account_id = ? AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?').all(
        accountId,
        after.createdAt,
        after.id,
        limit,
      )
    : statement(db, 'SELECT * FROM jobs WHERE account_id = ? ORDER BY created_at DESC, id DESC LIMIT ?').all(accountId, limit);
  return (rows as Record<string, unknown>[]).map(toJob);
}
