import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { freshSchema, TEST_DATABASE_URL } from '../support/postgres-schema.js';

/**
 * The two SQL schemas (sqlite-schema.ts, postgres-schema.ts) are written by hand, in parallel.
 * This test migrates a fresh database of each and compares what each database's own catalog
 * says: tables, columns (type and nullability), primary keys and indexed columns. A difference
 * that is not listed in EXPECTED_DIFFERENCES fails; so does a listed one that is gone.
 */

/** A column as its database's catalog describes it. */
interface ColumnShape {
  readonly type: string;
  readonly nullable: boolean;
}

/** One side's schema: per table, its columns, primary key (`a, b`) and indexes (see `indexKey`). */
type SchemaShape = Map<string, { columns: Map<string, ColumnShape>; primaryKey: string; indexes: Set<string> }>;

const describe = (column: ColumnShape) => `${column.type} ${column.nullable ? 'NULL' : 'NOT NULL'}`;

/** SQLite's declared type → the PostgreSQL types that store the same values. */
const COMPATIBLE_TYPES: Record<string, readonly string[]> = {
  INTEGER: ['bigint', 'integer', 'boolean'], // SQLite has no boolean: flags are 0/1 integers.
  TEXT: ['text', 'jsonb'], // SQLite keeps JSON as text.
  REAL: ['double precision'],
  BLOB: ['bytea'],
};

/** Differences there today, each with why; any other difference is drift. */
const EXPECTED_DIFFERENCES: Record<string, string> = {
  'column jobs.seq: only on PostgreSQL':
    'claim order: PostgreSQL claims queued jobs by run_after then seq (BIGSERIAL), SQLite by run_after then its implicit rowid.',
  'column webhook_deliveries.seq: only on PostgreSQL':
    'delivery order: PostgreSQL orders deliveries by seq (BIGSERIAL), SQLite by its implicit rowid.',
  'index jobs (engine, run_after, seq) WHERE {state}: only on PostgreSQL': 'the claim index ends with the PostgreSQL-only seq column…',
  'index jobs (engine, run_after) WHERE {state}: only on SQLite':
    '…SQLite needs no such column: every SQLite index ends with the rowid it claims in order of.',
  'column jobs.inference_ms: INTEGER NULL on SQLite, double precision NULL on PostgreSQL':
    'since the first migration; SQLite’s INTEGER affinity keeps a fractional value as REAL, so both keep fractions.',
};

async function sqliteShape(): Promise<SchemaShape> {
  const directory = mkdtempSync(join(tmpdir(), 'overture-drift-'));
  try {
    const path = join(directory, 'drift.sqlite');
    const store = new SqliteStore({ path, synchronous: 'NORMAL' });
    await store.migrate();
    await store.close();
    const db = new Database(path, { readonly: true });
    try {
      const shape: SchemaShape = new Map();
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
        name: string;
      }[];
      for (const { name: table } of tables) {
        const info = db.pragma(`table_info(${table})`) as { name: string; type: string; notnull: number; pk: number }[];
        // A PRIMARY KEY column is NOT NULL on PostgreSQL; SQLite's table_info says notnull=0 for a non-INTEGER one.
        const columns = new Map(info.map((column) => [column.name, { type: column.type, nullable: !column.notnull && !column.pk }]));
        const primaryKey = info
          .filter((column) => column.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((column) => column.name)
          .join(', ');
        const indexes = new Set<string>();
        for (const index of db.pragma(`index_list(${table})`) as { name: string; unique: number; origin: string; partial: number }[]) {
          if (index.origin === 'pk') continue;
          const keys = (db.pragma(`index_xinfo(${index.name})`) as { name: string; desc: number; key: number }[]).filter((key) => key.key);
          const sql = (
            db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get(index.name) as { sql: string | null }
          )?.sql;
          const predicate = index.partial ? /\bWHERE\b([\s\S]*)$/i.exec(sql ?? '')?.[1] : undefined;
          const keyNames = keys.map((key) => `${key.name}${key.desc ? ' DESC' : ''}`);
          indexes.add(indexKey(Boolean(index.unique), keyNames, predicate, [...columns.keys()]));
        }
        shape.set(table, { columns, primaryKey, indexes });
      }
      return shape;
    } finally {
      db.close();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function postgresShape(client: pg.Client, schema: string): Promise<SchemaShape> {
  const shape: SchemaShape = new Map();
  const tableOf = (table: string) => {
    if (!shape.has(table)) shape.set(table, { columns: new Map(), primaryKey: '', indexes: new Set() });
    return shape.get(table)!;
  };
  const columns = await client.query(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
    [schema],
  );
  for (const row of columns.rows)
    tableOf(row.table_name).columns.set(row.column_name, { type: row.data_type, nullable: row.is_nullable === 'YES' });
  const indexes = await client.query(
    `SELECT t.relname AS table_name, i.indisprimary AS is_primary, i.indisunique AS is_unique, pg_get_expr(i.indpred, i.indrelid) AS predicate,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) || CASE WHEN i.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END
             FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k) AS columns
     FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = $1`,
    [schema],
  );
  for (const row of indexes.rows) {
    if (row.is_primary) tableOf(row.table_name).primaryKey = row.columns.join(', ');
    else {
      const table = tableOf(row.table_name);
      table.indexes.add(indexKey(row.is_unique, row.columns, row.predicate ?? undefined, [...table.columns.keys()]));
    }
  }
  return shape;
}

/**
 * An index by what it covers, not its name: `UNIQUE (a, b DESC) WHERE {c, d}`. A partial index's
 * condition is written differently per dialect (`NOT media_purged`, `media_purged = 0`), so it is
 * reduced to the table's columns it names.
 */
function indexKey(unique: boolean, keys: readonly string[], predicate: string | undefined, tableColumns: readonly string[]): string {
  const named = predicate === undefined ? [] : tableColumns.filter((column) => new RegExp(`\\b${column}\\b`).test(predicate)).sort();
  return `${unique ? 'UNIQUE ' : ''}(${keys.join(', ')})${predicate === undefined ? '' : ` WHERE {${named.join(', ')}}`}`;
}

/** Every difference between the two shapes, one line each. */
function differences(sqlite: SchemaShape, postgres: SchemaShape): string[] {
  const found: string[] = [];
  const onlyOn = (
    side: 'SQLite' | 'PostgreSQL',
    left: Iterable<string>,
    right: { has(key: string): boolean },
    what: (key: string) => string,
  ) => {
    for (const key of left) if (!right.has(key)) found.push(`${what(key)}: only on ${side}`);
  };
  onlyOn('SQLite', sqlite.keys(), postgres, (table) => `table ${table}`);
  onlyOn('PostgreSQL', postgres.keys(), sqlite, (table) => `table ${table}`);
  for (const [table, left] of sqlite) {
    const right = postgres.get(table);
    if (!right) continue;
    onlyOn('SQLite', left.columns.keys(), right.columns, (column) => `column ${table}.${column}`);
    onlyOn('PostgreSQL', right.columns.keys(), left.columns, (column) => `column ${table}.${column}`);
    for (const [column, sqliteColumn] of left.columns) {
      const postgresColumn = right.columns.get(column);
      if (postgresColumn === undefined) continue;
      const compatible = COMPATIBLE_TYPES[sqliteColumn.type]?.includes(postgresColumn.type) ?? false;
      if (!compatible || sqliteColumn.nullable !== postgresColumn.nullable)
        found.push(`column ${table}.${column}: ${describe(sqliteColumn)} on SQLite, ${describe(postgresColumn)} on PostgreSQL`);
    }
    if (left.primaryKey !== right.primaryKey)
      found.push(`primary key of ${table}: (${left.primaryKey}) on SQLite, (${right.primaryKey}) on PostgreSQL`);
    onlyOn('SQLite', left.indexes, right.indexes, (index) => `index ${table} ${index}`);
    onlyOn('PostgreSQL', right.indexes, left.indexes, (index) => `index ${table} ${index}`);
  }
  return found.sort();
}

test('the SQLite and PostgreSQL schemas have the same tables, columns, keys and indexes, but for the listed exceptions', async (t) => {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await client.connect();
  } catch (error) {
    t.skip(`PostgreSQL is not reachable at ${TEST_DATABASE_URL} (${(error as Error).message}): the schemas are not compared`);
    return;
  }
  const { url, schema, drop } = await freshSchema();
  try {
    const store = new PostgresStore(url);
    await store.migrate();
    await store.close();
    const found = differences(await sqliteShape(), await postgresShape(client, schema));
    const unexpected = found.filter((difference) => !(difference in EXPECTED_DIFFERENCES));
    const gone = Object.keys(EXPECTED_DIFFERENCES).filter((difference) => !found.includes(difference));
    assert.deepEqual(
      unexpected,
      [],
      `The schemas drifted apart; make sqlite-schema.ts and postgres-schema.ts agree (or list a deliberate difference, with why, in EXPECTED_DIFFERENCES):\n  ${unexpected.join('\n  ')}`,
    );
    assert.deepEqual(gone, [], `These listed differences are gone; remove them from EXPECTED_DIFFERENCES:\n  ${gone.join('\n  ')}`);
  } finally {
    await client.end();
    await drop();
  }
});
