import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshSchema } from '../support/postgres-schema.js';
import { simulate } from './support/fault-simulation.js';
import { skipWithoutPostgres } from './support/postgres-available.js';
import { seedsFromEnv } from './support/prng.js';

// A bounded number of seeds in CI (every fifth also runs worker processes and SIGKILLs them);
// thousands with `node scripts/fault-simulation.mjs --seeds 1000`. Replay one: OVERTURE_FAULT_SEED=<seed>.
for (const seed of seedsFromEnv(16)) {
  test(`fault simulation, seed ${seed}: nothing lost or counted twice`, async () => {
    const report = await simulate(seed, { steps: 60, kills: seed % 5 === 0 ? 2 : 0 });
    assert.ok(report.milliseconds > 0);
  });
}

const skip = await skipWithoutPostgres();
for (const seed of seedsFromEnv(2, 101, 'OVERTURE_FAULT_PG_SEED')) {
  test(`fault simulation on PostgreSQL, seed ${seed}`, { skip }, async () => {
    const { url, drop } = await freshSchema();
    try {
      await simulate(seed, { steps: 60, kills: seed % 2 === 0 ? 1 : 0, databaseUrl: url });
    } finally {
      await drop();
    }
  });
}
