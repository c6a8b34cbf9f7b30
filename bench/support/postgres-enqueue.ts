import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { AccountService } from '../../packages/server/src/services/account-service.js';
import { hashKey } from '../../packages/server/src/services/api-keys.js';
import { PostgresStore } from '../../packages/server/src/store/postgres/postgres-store.js';
import { percentileOf } from './stats.js';

/** One timed run: transactions per second and latency percentiles in milliseconds. */
export interface TransactionRun {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
}

/** Run `once` from `concurrency` loops for `seconds`; count and time each call. */
async function drive(seconds: number, concurrency: number, once: () => Promise<void>): Promise<TransactionRun> {
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const start = performance.now();
        await once();
        latencies.push(performance.now() - start);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { rps: latencies.length / elapsed, p50: percentileOf(latencies, 50), p99: percentileOf(latencies, 99), count: latencies.length };
}

/**
 * A PostgreSQL bench bed on a fresh schema: `accounts` funded accounts for store enqueues (hold +
 * job + NOTIFY, one durable transaction each) and a plain table for the raw baseline (one
 * single-row INSERT per durable transaction), both through pools of the same size.
 */
export async function openPostgresBench(url: string, accounts: number, concurrency: number) {
  const schema = `overture_bench_${randomBytes(5).toString('hex')}`;
  const target = new URL(url);
  target.searchParams.set('schema', schema);
  target.searchParams.set('pool', String(concurrency));
  const store = new PostgresStore(target.toString());
  await store.migrate();
  const service = new AccountService(store, Date.now);
  const owners: { id: string; keyId: string }[] = [];
  for (let i = 0; i < accounts; i++) {
    const created = await service.create({ name: `bench-${i}`, pro: false, usd: 1_000_000, diemDaily: 0 });
    const found = await store.findKeyByHash(hashKey(created.inference_key));
    owners.push({ id: created.account_id, keyId: found?.key.id as string });
  }
  const raw = new pg.Pool({ connectionString: url, max: concurrency, options: `-c search_path=${schema}` });
  await raw.query(
    'CREATE TABLE raw_inserts (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, amount BIGINT NOT NULL, created_at BIGINT NOT NULL)',
  );
  const request = { prompt: 'a steady bench tone', durationSeconds: 5, format: 'mp3' } as never;
  let next = 0;
  return {
    /** Store enqueues spread round-robin over the accounts. */
    enqueues(seconds: number) {
      return drive(seconds, concurrency, async () => {
        const owner = owners[next++ % owners.length] as { id: string; keyId: string };
        const job = {
          id: randomUUID(),
          accountId: owner.id,
          keyId: owner.keyId,
          modelId: 'overture-sketch',
          engine: 'tone',
          request,
          maxAttempts: 3,
        };
        const outcome = await store.enqueue(job, { usd: 500, diem: 500 }, Date.now());
        if (!outcome.ok) throw new Error(`enqueue refused: ${outcome.reason}`);
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
      });
    },
    async close() {
      await store.close();
      await raw.query(`DROP SCHEMA ${schema} CASCADE`);
      await raw.end();
    },
  };
}
