import { BENCH_PRICE, benchJob, drive, openPostgresBed, type TransactionRun } from './postgres-bed.js';

const LEASE_MS = 60_000;
const SUCCESS = { mediaKey: 'bench/media', mediaBytes: 64, durationSeconds: 5, inferenceMs: 1 };

/** Up to `concurrency` calls of `work` at once, `count` in all. */
async function fan(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/**
 * Claim + capture on a fresh schema: `jobs` jobs queued first (not timed), then `workers` loops
 * each claiming one job through the store and completing it (fenced by the lease token,
 * capturing the hold: the worker pool's two commits per job) until the queue is empty. The raw
 * baseline does the same on bare tables: one `UPDATE … FOR UPDATE SKIP LOCKED` claim committed
 * without waiting for its WAL flush (as the store's claims are), then one synchronous transaction
 * updating the job row and its account's balance row.
 */
export async function openClaimBench(accounts: number, workers: number) {
  const bed = await openPostgresBed(accounts, workers);
  const { store, owners, raw } = bed;
  await raw.query(`
    CREATE TABLE raw_jobs (id BIGSERIAL PRIMARY KEY, account_id TEXT NOT NULL, price BIGINT NOT NULL, state TEXT NOT NULL,
      lease_token TEXT, finished_at BIGINT);
    CREATE INDEX raw_jobs_queued ON raw_jobs(id) WHERE state = 'queued';
    CREATE TABLE raw_balances (account_id TEXT PRIMARY KEY, held BIGINT NOT NULL, captured BIGINT NOT NULL)`);
  await raw.query('INSERT INTO raw_balances SELECT id, 0, 0 FROM accounts');
  let next = 0;
  return {
    /** Queue `jobs` jobs through the store, then claim and complete all of them; timed: the draining. */
    async store(jobs: number): Promise<TransactionRun> {
      await fan(jobs, workers, async () => {
        const outcome = await store.jobs.enqueue(benchJob(owners[next++ % owners.length]!), BENCH_PRICE, Date.now());
        if (!outcome.ok) throw new Error(`enqueue refused: ${outcome.reason}`);
      });
      const run = await drive(600, workers, async () => {
        const [job] = await store.leases.claimJobs('tone', 1, LEASE_MS, Date.now());
        if (!job) return false;
        const now = Date.now();
        if (!(await store.leases.completeJob(job.id, job.leaseToken as string, { ...SUCCESS, expiresAt: now + 86_400_000 }, now)))
          throw new Error(`job ${job.id} lost its lease during the bench`);
        return true;
      });
      const counts = await store.statistics.countJobs();
      if (counts.queued !== 0 || counts.running !== 0) throw new Error(`jobs left behind: ${JSON.stringify(counts)}`);
      return run;
    },
    /** The same on bare tables: `jobs` rows inserted at once, then claim and settle each. */
    async raw(jobs: number): Promise<TransactionRun> {
      await raw.query(`INSERT INTO raw_jobs (account_id, price, state) SELECT id, 500, 'queued' FROM accounts, generate_series(1, $1)`, [
        Math.ceil(jobs / owners.length),
      ]);
      return drive(600, workers, async () => {
        const claimed = await raw.query(
          `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', TRUE))
           UPDATE raw_jobs SET state = 'running', lease_token = gen_random_uuid()::TEXT FROM relaxed
           WHERE id = (SELECT id FROM raw_jobs WHERE state = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
           RETURNING id, account_id, price, lease_token`,
        );
        const job = claimed.rows[0] as { id: string; account_id: string; price: string; lease_token: string } | undefined;
        if (!job) return false;
        const client = await raw.connect();
        try {
          await client.query('BEGIN');
          await client.query(
            `UPDATE raw_jobs SET state = 'done', lease_token = NULL, finished_at = $1 WHERE id = $2 AND lease_token = $3`,
            [Date.now(), job.id, job.lease_token],
          );
          await client.query('UPDATE raw_balances SET held = held - $1, captured = captured + $1 WHERE account_id = $2', [
            job.price,
            job.account_id,
          ]);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
        return true;
      });
    },
    close: () => bed.close(),
  };
}
