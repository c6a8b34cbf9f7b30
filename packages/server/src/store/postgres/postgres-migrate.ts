import type pg from 'pg';
import { inTransaction } from './postgres-database.js';
import { installPostgresFunctions } from './postgres-functions.js';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';

/** Any fixed number: the advisory lock every migrating process takes, so they migrate one at a time. */
const MIGRATION_LOCK = 7_700_001;

/**
 * Create the schema if needed, then apply each pending numbered migration in its own
 * transaction under a transaction-scoped advisory lock; then (re)install the server-side
 * functions under the same lock, so they always match the code that runs. Safe to run from many
 * processes at once.
 */
export async function migratePostgres(pool: pg.Pool, schema: string): Promise<void> {
  for (;;) {
    const applied = await inTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`,
      );
      const current = Number((await client.query(`SELECT COALESCE(MAX(version), 0) AS v FROM ${schema}.schema_migrations`)).rows[0].v);
      const next = current + 1;
      const sql = POSTGRES_MIGRATIONS[next - 1];
      if (sql === undefined) {
        await installPostgresFunctions(client, schema);
        return false;
      }
      await client.query(sql);
      await client.query(`INSERT INTO ${schema}.schema_migrations VALUES ($1, $2)`, [next, Date.now()]);
      return true;
    });
    if (!applied) return;
  }
}
