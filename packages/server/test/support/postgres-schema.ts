import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The local test database (trust auth on loopback); override with OVERTURE_TEST_DATABASE_URL. */
export const TEST_DATABASE_URL = process.env.OVERTURE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A fresh, uniquely named schema for one test (or one test file), so parallel test files never
 * collide. `url` points the store at it; `drop` removes it and everything in it.
 */
export async function freshSchema(): Promise<{ url: string; schema: string; drop: () => Promise<void> }> {
  const schema = `overture_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    schema,
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
