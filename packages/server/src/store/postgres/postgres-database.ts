import type pg from 'pg';

/** A client or pool: anything that runs a query. */
export type Queryable = pg.Pool | pg.PoolClient | pg.Client;

/** Where and how to connect, parsed from a `postgres://` URL. */
export interface PostgresConnection {
  /** The URL without Overture's own parameters, as node-postgres reads it. */
  readonly connectionString: string;
  /** Schema for every table (the search_path); created by `migrate` when missing. */
  readonly schema: string;
  /** Largest number of pooled connections of this process. */
  readonly poolSize: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Read `postgres://user@host:port/db?schema=NAME&pool=N`: `schema` (default `public`) and
 * `pool` (default 10) are Overture's; everything else is handed to node-postgres unchanged.
 */
export function parsePostgresUrl(url: string): PostgresConnection {
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new Error(`Not a PostgreSQL URL: ${parsed.protocol}`);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid PostgreSQL schema name: ${JSON.stringify(schema)}`);
  const poolSize = Number(parsed.searchParams.get('pool') ?? 10);
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new Error('The PostgreSQL pool size must be a positive integer');
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('pool');
  return { connectionString: parsed.toString(), schema, poolSize };
}

/** Connection settings shared by the pool and the listening client. */
export function clientConfig(connection: PostgresConnection): pg.ClientConfig {
  return { connectionString: connection.connectionString, options: `-c search_path=${connection.schema}` };
}

/** Errors after which the whole transaction may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Run `work` in one transaction on one pooled connection: committed when it resolves, rolled
 * back when it throws. Serialization failures and deadlocks are retried a few times.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      const code = (error as { code?: string }).code;
      if (!(code && RETRYABLE.has(code)) || attempt >= 5) throw error;
    } finally {
      client.release(broken);
    }
  }
}

/**
 * Run one statement as its own transaction (autocommit: one round trip), again after a
 * serialization failure or deadlock, like `inTransaction`.
 */
export async function queryRetrying(pool: pg.Pool, query: pg.QueryConfig): Promise<pg.QueryResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await pool.query(query);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!(code && RETRYABLE.has(code)) || attempt >= 5) throw error;
    }
  }
}

/** Milliseconds as an integer, as BIGINT columns need. */
export const whole = (milliseconds: number): number => Math.round(milliseconds);

/** The first row's `n` as a number (COUNT and SUM come back as strings). */
export async function count(db: Queryable, sql: string, values: unknown[] = []): Promise<number> {
  const result = await db.query(sql, values);
  return Number(result.rows[0]?.n ?? 0);
}
