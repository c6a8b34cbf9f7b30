// Entry of `scripts/fault-simulation.mjs`: many seeds, one line per failure, a summary at the end.
import { simulate } from './fault-simulation.js';
import { numberArgument, onFreshStore } from './seed-run.js';

const count = numberArgument('seeds', 1000);
const first = numberArgument('first', 1);
const killEvery = numberArgument('kill-every', 5);
const steps = numberArgument('steps', 60);
// `--postgres`: each seed on a fresh schema of the local test database (OVERTURE_TEST_DATABASE_URL).
const onPostgres = process.argv.includes('--postgres');
const started = Date.now();
const totals = {
  seeds: 0,
  failed: [] as number[],
  kills: 0,
  staleReplays: 0,
  mediaFailures: 0,
  engineCalls: 0,
  jobs: {} as Record<string, number>,
};
for (let seed = first; seed < first + count; seed++) {
  try {
    const report = await onFreshStore(onPostgres, (databaseUrl) =>
      simulate(seed, { steps, kills: killEvery > 0 && seed % killEvery === 0 ? 2 : 0, databaseUrl }),
    );
    totals.kills += report.kills;
    totals.staleReplays += report.staleReplays;
    totals.mediaFailures += report.mediaFailures;
    totals.engineCalls += report.engineCalls;
    for (const [state, n] of Object.entries(report.jobs)) totals.jobs[state] = (totals.jobs[state] ?? 0) + n;
  } catch (error) {
    totals.failed.push(seed);
    console.error(`FAILED seed ${seed}: ${(error as Error).message}`);
  }
  totals.seeds++;
  if (totals.seeds % 50 === 0)
    console.log(`${totals.seeds} seeds, ${totals.failed.length} failed, ${Math.round((Date.now() - started) / 1000)} s`);
}
console.log(JSON.stringify({ ...totals, seconds: Math.round((Date.now() - started) / 1000) }));
process.exit(totals.failed.length > 0 ? 1 : 0);
