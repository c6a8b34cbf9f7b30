import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshSchema } from '../support/postgres-schema.js';
import { runHttpFuzz } from './support/http-fuzzer.js';
import { skipWithoutPostgres } from './support/postgres-available.js';
import { seedsFromEnv } from './support/prng.js';

// The fuzz model of http-fuzz.test.ts over a real socket (127.0.0.1, port 0): keep-alive
// connections, Node's HTTP parser, chunked bodies and the fast lane in front of Fastify, on SQLite
// and on PostgreSQL. A bounded share here; OVERTURE_FUZZ_LONG=1 sends ten times as many.
// Replay one: OVERTURE_FUZZ_SEED=<seed> OVERTURE_FUZZ_REQUESTS=<n> node scripts/run-tests.mjs socket-fuzz
const long = process.env.OVERTURE_FUZZ_LONG === '1';
const PER_SEED = Number(process.env.OVERTURE_FUZZ_REQUESTS ?? (long ? 5000 : 500));

const assertReport = (report: Awaited<ReturnType<typeof runHttpFuzz>>) => {
  const statuses = JSON.stringify(report.byStatus);
  assert.equal(Object.keys(report.byStatus).filter((status) => Number(status) >= 500).length, 0, statuses);
  assert.ok((report.byStatus[200] ?? 0) > PER_SEED / 20, `some requests succeed: ${statuses}`);
  assert.ok((report.byStatus[400] ?? 0) > PER_SEED / 10, `many are rejected: ${statuses}`);
};

for (const seed of seedsFromEnv(long ? 4 : 1, 201, 'OVERTURE_FUZZ_SEED')) {
  test(`socket fuzz on SQLite, seed ${seed}: contract shapes, no 5xx, exact money`, async () => {
    assertReport(await runHttpFuzz(seed, PER_SEED, { transport: 'socket' }));
  });
}

const skip = await skipWithoutPostgres();
for (const seed of seedsFromEnv(long ? 4 : 1, 301, 'OVERTURE_FUZZ_PG_SEED')) {
  test(`socket fuzz on PostgreSQL, seed ${seed}: contract shapes, no 5xx, exact money`, { skip }, async () => {
    const { url, drop } = await freshSchema();
    try {
      assertReport(await runHttpFuzz(seed, PER_SEED, { transport: 'socket', databaseUrl: url }));
    } finally {
      await drop();
    }
  });
}
