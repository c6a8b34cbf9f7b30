import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { clientConfig, parsePostgresUrl } from '../../../src/store/postgres/postgres-database.js';
import { HOLD_STATE_OF_JOB } from './sqlite-audit.js';

/** What the exact money audit found; every amount a `bigint` of micro-units read from the database. */
export interface MoneyAudit {
  readonly violations: string[];
  /** Sums over every balance line and the grant entries (all currencies and epochs together). */
  readonly totals: { granted: bigint; available: bigint; held: bigint; captured: bigint; grantEntries: bigint };
  readonly jobs: Record<string, number>;
}

/** What the audit may also demand once nothing is in flight. */
export interface MoneyAuditOptions {
  /** No request is running: an open hold without a job (synchronous speech) is unsettled money. */
  readonly quiet?: boolean;
  /** Every job must have ended (no `queued` or `running` job is left). */
  readonly ended?: boolean;
}

/** One SQL query's rows, money columns as `bigint` (or the raw value when the database holds no integer). */
type Rows = (sql: string) => Promise<Record<string, unknown>[]>;

const MONEY_COLUMNS: Record<string, readonly string[]> = {
  balances: ['available', 'held', 'captured', 'granted'],
  holds: ['amount'],
  ledger_entries: ['amount'],
  jobs: ['price'],
};

/**
 * Audit the SQLite file at `path`, reading integers as `bigint` (never through a float) and
 * asking SQLite for each money cell's storage class: a REAL or TEXT amount is a violation.
 */
export async function exactAuditSqlite(path: string, options: MoneyAuditOptions = {}): Promise<MoneyAudit> {
  const db = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
  db.defaultSafeIntegers(true);
  try {
    const violations: string[] = [];
    for (const [table, columns] of Object.entries(MONEY_COLUMNS))
      for (const column of columns) {
        const bad = db
          .prepare(`SELECT rowid AS row, typeof(${column}) AS kind, CAST(${column} AS TEXT) AS value FROM ${table}
          WHERE ${column} IS NOT NULL AND typeof(${column}) <> 'integer' LIMIT 5`)
          .all() as Record<string, unknown>[];
        for (const row of bad) violations.push(`${table}.${column} row ${row.row}: ${row.kind} ${row.value}, not an integer`);
      }
    const report = await auditExact(async (sql) => db.prepare(sql).all() as Record<string, unknown>[], options);
    return { ...report, violations: [...violations, ...report.violations] };
  } finally {
    db.close();
  }
}

/** Audit a PostgreSQL schema (the URL's `schema` parameter); BIGINT arrives as text and becomes `bigint`. */
export async function exactAuditPostgres(url: string, options: MoneyAuditOptions = {}): Promise<MoneyAudit> {
  const client = new pg.Client(clientConfig(parsePostgresUrl(url)));
  await client.connect();
  try {
    return await auditExact(
      async (sql) => (await client.query({ text: sql, types: { getTypeParser: () => (v: string) => v } })).rows,
      options,
    );
  } finally {
    await client.end();
  }
}

/** An exact integer, or a violation: JS numbers (even whole ones) are refused, text must be all digits. */
function exact(value: unknown, where: string, violations: string[]): bigint {
  if (typeof value === 'bigint') return value;
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  violations.push(`${where}: ${typeof value} ${String(value)} is not an exact integer`);
  return 0n;
}

const LINES_SQL = `SELECT b.account_id, b.currency, b.epoch, b.available, b.held, b.captured, b.granted,
  (SELECT COALESCE(SUM(h.amount), 0) FROM holds h WHERE h.account_id = b.account_id AND h.currency = b.currency AND h.epoch = b.epoch AND h.state = 'open') AS open_holds,
  (SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e WHERE e.account_id = b.account_id AND e.currency = b.currency AND e.epoch = b.epoch AND e.kind = 'grant') AS grants,
  (SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e WHERE e.account_id = b.account_id AND e.currency = b.currency AND e.epoch = b.epoch AND e.kind = 'capture') AS captures
  FROM balances b ORDER BY b.account_id, b.currency, b.epoch`;
const HOLDS_SQL = `SELECT h.id, h.state, h.amount, h.job_id,
  (SELECT COUNT(*) FROM ledger_entries e WHERE e.hold_id = h.id AND e.kind = 'hold') AS hold_entries,
  (SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e WHERE e.hold_id = h.id AND e.kind = 'hold') AS hold_amount,
  (SELECT COUNT(*) FROM ledger_entries e WHERE e.hold_id = h.id AND e.kind IN ('capture', 'release')) AS settlements
  FROM holds h ORDER BY h.id`;
const JOBS_SQL = `SELECT j.id, j.state, j.price, h.amount AS hold_amount, h.state AS hold_state
  FROM jobs j LEFT JOIN holds h ON h.id = j.hold_id ORDER BY j.id`;

/** The ledger invariants in `bigint` arithmetic over raw rows (shared by both databases). */
async function auditExact(rows: Rows, options: MoneyAuditOptions): Promise<MoneyAudit> {
  const violations: string[] = [];
  const totals = { granted: 0n, available: 0n, held: 0n, captured: 0n, grantEntries: 0n };
  for (const line of await rows(LINES_SQL)) {
    const where = `balance ${line.account_id}/${line.currency}/${line.epoch}`;
    const [available, held, captured, granted, open, grants, captures] = [
      'available',
      'held',
      'captured',
      'granted',
      'open_holds',
      'grants',
      'captures',
    ].map((column) => exact(line[column], `${where} ${column}`, violations)) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint];
    if (available < 0n || held < 0n || captured < 0n) violations.push(`${where}: negative (${available}, ${held}, ${captured})`);
    if (available + held + captured !== granted) violations.push(`${where}: ${available} + ${held} + ${captured} ≠ credited ${granted}`);
    if (held !== open) violations.push(`${where}: held ${held} ≠ open holds ${open}`);
    if (granted !== grants) violations.push(`${where}: credited ${granted} ≠ grant entries ${grants}`);
    if (captured !== captures) violations.push(`${where}: captured ${captured} ≠ capture entries ${captures}`);
    totals.available += available;
    totals.held += held;
    totals.captured += captured;
    totals.granted += granted;
    totals.grantEntries += grants;
  }
  for (const hold of await rows(HOLDS_SQL)) {
    const where = `hold ${hold.id} (${hold.state})`;
    const amount = exact(hold.amount, `${where} amount`, violations);
    if (exact(hold.hold_entries, where, violations) !== 1n || exact(hold.hold_amount, where, violations) !== amount)
      violations.push(`${where}: not exactly one hold entry of ${amount}`);
    const settlements = exact(hold.settlements, where, violations);
    if (settlements !== (hold.state === 'open' ? 0n : 1n)) violations.push(`${where}: settled ${settlements} times`);
    if (options.quiet && hold.state === 'open' && hold.job_id === null) violations.push(`${where}: a request's hold left open`);
  }
  const jobs: Record<string, number> = {};
  for (const job of await rows(JOBS_SQL)) {
    const state = String(job.state);
    jobs[state] = (jobs[state] ?? 0) + 1;
    if (job.hold_state !== HOLD_STATE_OF_JOB[state]) violations.push(`job ${job.id}: ${state} but its hold is ${job.hold_state}`);
    if (exact(job.price, `job ${job.id} price`, violations) !== exact(job.hold_amount, `job ${job.id} hold`, violations))
      violations.push(`job ${job.id}: hold ${job.hold_amount} ≠ price ${job.price}`);
    if (options.ended && (state === 'queued' || state === 'running')) violations.push(`job ${job.id}: still ${state}`);
  }
  return { violations, totals, jobs };
}

/** Where a server keeps its data: a SQLite file or a PostgreSQL schema URL. */
export type Database = { readonly sqlite: string } | { readonly postgres: string };

/** The exact audit of either database. */
export function exactAudit(database: Database, options: MoneyAuditOptions = {}): Promise<MoneyAudit> {
  return 'sqlite' in database ? exactAuditSqlite(database.sqlite, options) : exactAuditPostgres(database.postgres, options);
}

/** The rows of one query (no parameters) against either database, values as each driver gives them. */
export async function rowsOf(database: Database, sql: string): Promise<Record<string, unknown>[]> {
  if ('sqlite' in database) {
    const db = new SqliteDatabase(database.sqlite, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client(clientConfig(parsePostgresUrl(database.postgres)));
  await client.connect();
  return (await client.query(sql).finally(() => client.end())).rows;
}

/** Every job's id and state, read straight from the database. */
export async function jobStates(database: Database): Promise<Map<string, string>> {
  const rows = await rowsOf(database, 'SELECT id, state FROM jobs');
  return new Map(rows.map((row) => [String(row.id), String(row.state)]));
}
