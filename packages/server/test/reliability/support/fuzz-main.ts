// Entry of `scripts/http-fuzz.mjs`: many requests over several seeds, a summary on stdout.
import { freshSchema } from '../../support/postgres-schema.js';
import { runHttpFuzz } from './http-fuzzer.js';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const total = argument('requests', 100_000);
const perSeed = argument('per-seed', 10_000);
const first = argument('seed', 1);
// `--socket`: over a real listening socket; `--postgres`: each seed on a fresh schema of the test database.
const transport = process.argv.includes('--socket') ? 'socket' : 'inject';
const onPostgres = process.argv.includes('--postgres');
const started = Date.now();
const byStatus: Record<number, number> = {};
let sent = 0;
for (let seed = first; sent < total; seed++) {
  const count = Math.min(perSeed, total - sent);
  try {
    const schema = onPostgres ? await freshSchema() : undefined;
    const report = await runHttpFuzz(seed, count, { transport, databaseUrl: schema?.url }).finally(() => schema?.drop());
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
