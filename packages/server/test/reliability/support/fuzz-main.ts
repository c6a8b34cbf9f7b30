// Entry of `scripts/http-fuzz.mjs`: many requests over several seeds, a summary on stdout.
import { runHttpFuzz } from './http-fuzzer.js';
import { numberArgument, onFreshStore } from './seed-run.js';

const total = numberArgument('requests', 100_000);
const perSeed = numberArgument('per-seed', 10_000);
const first = numberArgument('seed', 1);
// `--socket`: over a real listening socket; `--postgres`: each seed on a fresh schema of the test database.
const transport = process.argv.includes('--socket') ? 'socket' : 'inject';
const onPostgres = process.argv.includes('--postgres');
const started = Date.now();
const byStatus: Record<number, number> = {};
let sent = 0;
for (let seed = first; sent < total; seed++) {
  const count = Math.min(perSeed, total - sent);
  try {
    const report = await onFreshStore(onPostgres, (databaseUrl) => runHttpFuzz(seed, count, { transport, databaseUrl }));
    for (const [status, n] of Object.entries(report.byStatus)) byStatus[Number(status)] = (byStatus[Number(status)] ?? 0) + n;
    sent += count;
    console.log(`seed ${seed}: ${count} requests in ${report.milliseconds} ms ${JSON.stringify(report.byStatus)}`);
  } catch (error) {
    console.error(
      `FAILED (replay: OVERTURE_FUZZ_SEED=${seed} OVERTURE_FUZZ_REQUESTS=${count} node scripts/run-tests.mjs http-fuzz)\n${(error as Error).message}`,
    );
    process.exit(1);
  }
}
console.log(JSON.stringify({ requests: sent, seconds: Math.round((Date.now() - started) / 1000), byStatus }));
