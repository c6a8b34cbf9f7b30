import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { freshSchema, TEST_DATABASE_URL } from '../support/postgres-schema.js';
import { simulate } from './support/fault-simulation.js';
import { seedsFromEnv } from './support/prng.js';

// A bounded number of seeds in CI (every fifth also runs worker processes and SIGKILLs them);
// thousands with `node scripts/fault-simulation.mjs --seeds 1000`. Replay one: OVERTURE_FAULT_SEED=<seed>.
for (const seed of seedsFromEnv(16)) {
  test(`fault simulation, seed ${seed}: nothing lost or counted twice`, async () => {
    const report = await simulate(seed, { steps: 60, kills: seed % 5 === 0 ? 2 : 0 });
    assert.ok(report.milliseconds > 0);
  });
}

/** Is the local PostgreSQL test database there? (The same one the PostgreSQL store tests use.) */
async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const postgres = await postgresAvailable();
for (const seed of seedsFromEnv(2, 101, 'OVERTURE_FAULT_PG_SEED')) {
  test(`fault simulation on PostgreSQL, seed ${seed}`, { skip: postgres ? false : `no PostgreSQL at ${TEST_DATABASE_URL}` }, async () => {
    const { url, drop } = await freshSchema();
    try {
      await simulate(seed, { steps: 60, kills: seed % 2 === 0 ? 1 : 0, databaseUrl: url });
    } finally {
      await drop();
    }
  });
}
