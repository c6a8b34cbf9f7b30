import type Database from 'better-sqlite3';
import type { HousekeepingStore, ReapOptions } from '../../ports/store/housekeeping-store.js';
import type { SqliteContext } from './sqlite-context.js';
import { reapSqlite } from './sqlite-reaper.js';
import { statement } from './sqlite-statements.js';

/** Housekeeping in SQLite: the reaper (`sqlite-reaper.ts`) and the media left to purge. */
export class SqliteHousekeepingStore implements HousekeepingStore {
  private readonly db: Database.Database;

  constructor(context: SqliteContext) {
    this.db = context.db;
  }

  async reap(now: number, options: ReapOptions) {
    return reapSqlite(this.db, now, options);
  }

  async listMediaToPurge(limit: number) {
    const rows = statement(
      this.db,
      `SELECT id, media_key FROM jobs WHERE media_deleted_at IS NOT NULL AND media_key IS NOT NULL AND media_purged = 0 ORDER BY media_deleted_at LIMIT ?`,
    ).all(limit) as { id: string; media_key: string }[];
    return rows.map((row) => ({ jobId: row.id, mediaKey: row.media_key }));
  }

  async markMediaPurged(jobId: string) {
    statement(this.db, 'UPDATE jobs SET media_purged = 1 WHERE id = ?').run(jobId);
  }
}
