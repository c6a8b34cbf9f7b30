import type pg from 'pg';
import type { HousekeepingStore, ReapOptions } from '../../ports/store/housekeeping-store.js';
import type { PostgresContext } from './postgres-context.js';
import { whole } from './postgres-database.js';
import { reapPostgres } from './postgres-reaper.js';

/** Housekeeping in PostgreSQL: the reaper (`postgres-reaper.ts`) and the media purge queue. */
export class PostgresHousekeepingStore implements HousekeepingStore {
  private readonly pool: pg.Pool;

  constructor(context: PostgresContext) {
    this.pool = context.pool;
  }

  async reap(now: number, options: ReapOptions) {
    return reapPostgres(this.pool, whole(now), options);
  }

  async listMediaToPurge(limit: number) {
    const result = await this.pool.query(
      `SELECT id, media_key FROM jobs WHERE media_deleted_at IS NOT NULL AND media_key IS NOT NULL AND NOT media_purged
       ORDER BY media_deleted_at LIMIT $1`,
      [limit],
    );
    return (result.rows as { id: string; media_key: string }[]).map((row) => ({ jobId: row.id, mediaKey: row.media_key }));
  }

  async markMediaPurged(jobId: string) {
    await this.pool.query('UPDATE jobs SET media_purged = TRUE WHERE id = $1', [jobId]);
  }
}
