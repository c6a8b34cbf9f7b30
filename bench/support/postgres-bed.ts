import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { micros } from '../../packages/server/dist/domain/money.js';
import { AccountService } from '../../packages/server/dist/services/account-service.js';
import { hashKey } from '../../packages/server/dist/services/api-keys.js';
import { PostgresStore } from '../../packages/server/dist/store/postgres/postgres-store.js';
import { percentileOf } from './stats.js';

/** `DATABASE_URL`, or the local `test` database. */
export const BENCH_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One timed run: operations per second and latency percentiles in milliseconds. */
export interface TransactionRun {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
}

/**
 * Run `once` from `concurrency` loops for `seconds` (or until `once` returns false); count and
 * time each call that did something.
 */
export async function drive(seconds: number, concurrency: number, once: () => Promise<boolean | undefined>): Promise<TransactionRun> {
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const start = performance.now();
        if ((await once()) === false) return;
        latencies.push(performance.now() - start);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { rps: latencies.length / elapsed, p50: percentileOf(latencies, 50), p99: percentileOf(latencies, 99), count: latencies.length };
}

/** A throw-away schema: its store URL (`pool` connections), a raw pool on it, and `drop`. */
export async function freshBenchSchema(poolSize: number) {
  const schema = `overture_bench_${randomBytes(5).toString('hex')}`;
  const target = new URL(BENCH_DATABASE_URL);
  target.searchParams.set('schema', schema);
  target.searchParams.set('pool', String(poolSize));
  const raw = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: poolSize, options: `-c search_path=${schema}` });
  await raw.query(`CREATE SCHEMA ${schema}`);
  return {
    url: target.toString(),
    raw,
    async drop() {
      await raw.query(`DROP SCHEMA ${schema} CASCADE`);
      await raw.end();
    },
  };
}

/** A migrated store on a fresh schema with `accounts` funded accounts (one key each). */
export async function openPostgresBed(accounts: number, poolSize: number) {
  const schema = await freshBenchSchema(poolSize);
  const store = new PostgresStore(schema.url);
  await store.migrate();
  const service = new AccountService(store, Date.now);
  const owners: { id: string; keyId: string }[] = [];
  for (let i = 0; i < accounts; i++) {
    const created = await service.create({ name: `bench-${i}`, pro: false, usd: 1_000_000, diemDaily: 0 });
    const found = await store.accounts.findKeyByHash(hashKey(created.inference_key));
    owners.push({ id: created.account_id, keyId: found?.key.id as string });
  }
  return {
    store,
    owners,
    raw: schema.raw,
    async close() {
      await store.close();
      await schema.drop();
    },
  };
}

const REQUEST = { prompt: 'a steady bench tone', durationSeconds: 5, format: 'mp3' } as never;

/** A job for the `tone` engine, priced 500 micro-USD (the bench accounts have no DIEM). */
export function benchJob(owner: { id: string; keyId: string }) {
  return {
    id: randomUUID(),
    accountId: owner.id,
    keyId: owner.keyId,
    modelId: 'overture-sketch',
    engine: 'tone',
    request: REQUEST,
    maxAttempts: 3,
  };
}

/** The price every bench job reserves. */
export const BENCH_PRICE = { usd: micros(500), diem: micros(500) };
