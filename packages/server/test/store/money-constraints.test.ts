import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/postgres-schema.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/sqlite-schema.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { freshSchema, TEST_DATABASE_URL } from '../support/postgres-schema.js';
import { type RawDatabase, runMoneyConformance } from './store-conformance-money.js';

const drops: (() => Promise<void>)[] = [];
after(async () => {
  for (const drop of drops) await drop();
});

/** Each `$n` in order of appearance as the `index`-th placeholder, with the parameters in that order. */
function inOrder(sql: string, params: readonly unknown[], placeholder: (index: number) => string): [string, unknown[]] {
  const values: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    values.push(params[Number(n) - 1]);
    return placeholder(values.length);
  });
  return [text, values];
}

/** A second connection to the SQLite file, as an operator's `sqlite3` shell would be. */
function rawSqlite(path: string): RawDatabase {
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  const prepared = (sql: string, params: readonly unknown[]) => {
    const [text, values] = inOrder(sql, params, () => '?');
    return { statement: db.prepare(text), values };
  };
  const run = (sql: string, params: readonly unknown[]) => {
    const { statement, values } = prepared(sql, params);
    statement.run(...values);
  };
  return {
    run: async (sql, params) => run(sql, params),
    tryRun: async (sql, params) => {
      db.exec('BEGIN');
      try {
        run(sql, params);
      } finally {
        db.exec('ROLLBACK');
      }
    },
    text: async (sql, params) => {
      const { statement, values } = prepared(sql, params);
      return statement.pluck().get(...values) as string | undefined;
    },
    close: async () => {
      db.close();
    },
  };
}

/** A client on the store's schema, as `psql` would be. */
async function rawPostgres(schema: string): Promise<RawDatabase> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`SET search_path TO ${schema}`);
  const run = async (sql: string, params: readonly unknown[]) => {
    const [text, values] = inOrder(sql, params, (index) => `$${index}`);
    await client.query(text, values);
  };
  return {
    run,
    tryRun: async (sql, params) => {
      await client.query('BEGIN');
      try {
        await run(sql, params);
      } finally {
        await client.query('ROLLBACK');
      }
    },
    text: async (sql, params) => {
      const [text, values] = inOrder(sql, params, (index) => `$${index}`);
      return (await client.query({ text, values, rowMode: 'array' })).rows[0]?.[0];
    },
    close: () => client.end(),
  };
}

async function openSqlite() {
  const path = join(mkdtempSync(join(tmpdir(), 'overture-money-')), 'test.sqlite');
  const store = new SqliteStore({ path, synchronous: 'NORMAL' });
  await store.migrate();
  return { store, raw: rawSqlite(path), path };
}

async function openPostgres() {
  const { url, schema, drop } = await freshSchema();
  drops.push(drop);
  const store = new PostgresStore(url);
  await store.migrate();
  return { store, raw: await rawPostgres(schema), url };
}

runMoneyConformance('sqlite', openSqlite);
runMoneyConformance('postgres', openPostgres);

/** Migration 5 is the money constraints; a database at version 4 is one from before them. */
const BEFORE_MONEY = 4;
const OLD_ROWS = `INSERT INTO accounts (id, name, pro, diem_daily, created_at) VALUES ('a', 'a', $1, 0, 0);
  INSERT INTO balances VALUES ('a', 'usd', '', 1000000, 0, 0, 1000000)`;

test('sqlite: a database already holding a broken amount refuses to upgrade, naming the column, until it is fixed', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'overture-money-')), 'old.sqlite');
  const db = new Database(path);
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  SQLITE_MIGRATIONS.slice(0, BEFORE_MONEY).forEach((sql, index) => {
    db.exec(sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, 0)').run(index + 1);
  });
  // The infinite balance the finding reported, as an older server stored it.
  db.exec(`${OLD_ROWS.replace('$1', '0')}; UPDATE balances SET available = 1e999, granted = 1e999`);
  db.close();
  const store = new SqliteStore({ path, synchronous: 'NORMAL' });
  const raw = rawSqlite(path);
  try {
    await assert.rejects(
      store.migrate(),
      /balances\.available\/held\/captured\/granted must be integer micro-units .* fix the stored rows/,
    );
    await raw.run('UPDATE balances SET available = 1000000, granted = 1000000', []);
    await store.migrate();
    await assert.rejects(raw.run('UPDATE balances SET available = 1e999', []), /must be integer micro-units/);
  } finally {
    await raw.close();
    await store.close();
  }
});

test('postgres: a database already holding a broken amount refuses to upgrade until it is fixed', async () => {
  const { url, schema, drop } = await freshSchema();
  drops.push(drop);
  const raw = await rawPostgres(schema);
  const store = new PostgresStore(url);
  try {
    await raw.run(`CREATE SCHEMA ${schema}`, []);
    await raw.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)', []);
    for (const [index, sql] of POSTGRES_MIGRATIONS.slice(0, BEFORE_MONEY).entries()) {
      await raw.run(sql, []);
      await raw.run('INSERT INTO schema_migrations VALUES ($1, 0)', [index + 1]);
    }
    await raw.run(`${OLD_ROWS.replace('$1', 'false')}; UPDATE balances SET granted = -1`, []);
    await assert.rejects(store.migrate(), /balances_available_held_captured_granted_money/);
    await raw.run('UPDATE balances SET granted = 1000000', []);
    await store.migrate();
    await assert.rejects(raw.run('UPDATE balances SET granted = -1', []), /balances_available_held_captured_granted_money/);
  } finally {
    await raw.close();
    await store.close();
  }
});
