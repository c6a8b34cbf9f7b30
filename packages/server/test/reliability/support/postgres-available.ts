import pg from 'pg';
import { TEST_DATABASE_URL } from '../../support/postgres-schema.js';

/** Is the local PostgreSQL test database there? (The same one the PostgreSQL store tests use.) */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The `skip` option of a PostgreSQL test: false when the database is there, else why not. */
export const skipWithoutPostgres = async (): Promise<false | string> =>
  (await postgresAvailable()) ? false : `no PostgreSQL at ${TEST_DATABASE_URL}`;
