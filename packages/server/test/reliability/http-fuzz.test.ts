import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runHttpFuzz } from './support/http-fuzzer.js';
import { seedsFromEnv } from './support/prng.js';

// A bounded share in CI; `node scripts/http-fuzz.mjs --requests 100000` runs the long version.
// Replay a failure with OVERTURE_FUZZ_SEED=<seed> (the request index is in the message).
const PER_SEED = Number(process.env.OVERTURE_FUZZ_REQUESTS ?? 1000);

for (const seed of seedsFromEnv(3, 1, 'OVERTURE_FUZZ_SEED')) {
  test(`HTTP fuzz, seed ${seed}: no 5xx, every rejection in the error shape and without effect`, async () => {
    const report = await runHttpFuzz(seed, PER_SEED);
    assert.equal(Object.keys(report.byStatus).filter((status) => Number(status) >= 500).length, 0);
    assert.ok((report.byStatus[200] ?? 0) > PER_SEED / 20, `some requests succeed: ${JSON.stringify(report.byStatus)}`);
    assert.ok((report.byStatus[400] ?? 0) > PER_SEED / 10, `many are rejected: ${JSON.stringify(report.byStatus)}`);
  });
}
