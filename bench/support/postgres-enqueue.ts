import { randomUUID } from 'node:crypto';
import { BENCH_PRICE, benchJob, drive, openPostgresBed } from './postgres-bed.js';

export type { TransactionRun } from './postgres-bed.js';

/**
 * A PostgreSQL bench bed on a fresh schema: `accounts` funded accounts for store enqueues (hold +
 * job + NOTIFY, one durable transaction each) and a plain table for the raw baseline (one
 * single-row INSERT per durable transaction), both through pools of the same size.
 */
export async function openPostgresBench(accounts: number, concurrency: number) {
  const bed = await openPostgresBed(accounts, concurrency);
  const { store, owners, raw } = bed;
  await raw.query(
    'CREATE TABLE raw_inserts (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, amount BIGINT NOT NULL, created_at BIGINT NOT NULL)',
  );
  let next = 0;
  return {
    /** Store enqueues spread round-robin over the accounts. */
    enqueues(seconds: number) {
      return drive(seconds, concurrency, async () => {
        const outcome = await store.jobs.enqueue(benchJob(owners[next++ % owners.length]!), BENCH_PRICE, Date.now());
        if (!outcome.ok) throw new Error(`enqueue refused: ${outcome.reason}`);
        return true;
      });
    },
    /** BEGIN; INSERT one row; COMMIT — the cheapest durable transaction on the same server. */
    rawInserts(seconds: number) {
      return drive(seconds, concurrency, async () => {
        const client = await raw.connect();
        try {
          await client.query('BEGIN');
          await client.query('INSERT INTO raw_inserts VALUES ($1, $2, $3, $4)', [
            randomUUID(),
            owners[next++ % owners.length]?.id,
            500,
            Date.now(),
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
