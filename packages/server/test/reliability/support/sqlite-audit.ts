import Database from 'better-sqlite3';
import pg from 'pg';
import { clientConfig, parsePostgresUrl } from '../../../src/store/postgres/postgres-database.js';
import { join } from 'node:path';

/** What one audit found: human-readable violations (empty when every invariant holds). */
export interface AuditReport {
  readonly violations: string[];
  readonly jobs: Record<string, number>;
  /** Done (not yet deleted) jobs with their media key and size, for the media check. */
  readonly doneMedia: { jobId: string; mediaKey: string; bytes: number }[];
}

/** The state a job's hold must be in, by the job's state. */
export const HOLD_STATE_OF_JOB: Readonly<Record<string, string>> = {
  queued: 'open',
  running: 'open',
  done: 'captured',
  expired: 'captured',
  failed: 'released',
  cancelled: 'released',
};

/** Runs one SQL query (no parameters) against the store's database. */
export type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** Audit the SQLite file of a data directory. */
export async function auditSqlite(directory: string): Promise<AuditReport> {
  const db = new Database(join(directory, 'overture.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return await auditRows(async (sql) => db.prepare(sql).all() as Record<string, unknown>[]);
  } finally {
    db.close();
  }
}

/** Audit a PostgreSQL schema (the URL's `schema` parameter). */
export async function auditPostgres(url: string): Promise<AuditReport> {
  const client = new pg.Client(clientConfig(parsePostgresUrl(url)));
  await client.connect();
  try {
    return await auditRows(async (sql) => (await client.query(sql)).rows as Record<string, unknown>[]);
  } finally {
    await client.end();
  }
}

const JOBS_SQL = `SELECT j.id, j.state, j.attempt, j.max_attempts, j.media_key, j.media_bytes, j.media_deleted_at, j.price,
  h.state AS hold_state, h.amount AS hold_amount, h.job_id AS hold_job FROM jobs j LEFT JOIN holds h ON h.id = j.hold_id`;
const HOLDS_SQL = `SELECT h.id, h.state, h.amount,
  SUM(CASE WHEN e.kind = 'hold' THEN 1 ELSE 0 END) AS holds, SUM(CASE WHEN e.kind = 'hold' THEN e.amount ELSE 0 END) AS held,
  SUM(CASE WHEN e.kind = 'capture' THEN 1 ELSE 0 END) AS captures, SUM(CASE WHEN e.kind = 'capture' THEN e.amount ELSE 0 END) AS captured,
  SUM(CASE WHEN e.kind = 'release' THEN 1 ELSE 0 END) AS releases
  FROM holds h LEFT JOIN ledger_entries e ON e.hold_id = h.id GROUP BY h.id, h.state, h.amount`;
const LINES_SQL = `SELECT b.account_id, b.currency, b.epoch, b.available, b.held, b.captured, b.granted,
  (SELECT COALESCE(SUM(amount), 0) FROM holds h WHERE h.account_id = b.account_id AND h.currency = b.currency AND h.epoch = b.epoch AND h.state = 'open') AS open_holds,
  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries e WHERE e.account_id = b.account_id AND e.currency = b.currency AND e.epoch = b.epoch AND e.kind = 'grant') AS grants
  FROM balances b`;

/**
 * Check, row by row, what the Store port's totals can only check in sum: every job's hold is in
 * the state its job implies, settled exactly once by one ledger entry of the hold's amount
 * (captured ≤ held), attempts stay within the budget, and balances are never negative, add up,
 * and match their open holds and grants. Works on SQLite and PostgreSQL (same tables).
 */
export async function auditRows(query: Query): Promise<AuditReport> {
  const violations: string[] = [];
  const counts: Record<string, number> = {};
  const doneMedia: AuditReport['doneMedia'] = [];
  const n = (value: unknown) => Number(value ?? 0);
  for (const job of await query(JOBS_SQL)) {
    const state = String(job.state);
    counts[state] = (counts[state] ?? 0) + 1;
    if (job.hold_state === null) violations.push(`job ${job.id}: no hold`);
    else if (job.hold_state !== HOLD_STATE_OF_JOB[state]) violations.push(`job ${job.id}: ${state} but hold ${job.hold_state}`);
    if (job.hold_job !== null && job.hold_job !== job.id) violations.push(`job ${job.id}: hold points at ${job.hold_job}`);
    if (job.hold_amount !== null && n(job.hold_amount) !== n(job.price))
      violations.push(`job ${job.id}: hold ${job.hold_amount} ≠ price ${job.price}`);
    if (n(job.attempt) > n(job.max_attempts)) violations.push(`job ${job.id}: attempt ${job.attempt} > budget ${job.max_attempts}`);
    if (state === 'done' && (!job.media_key || !(n(job.media_bytes) > 0))) violations.push(`job ${job.id}: done without media`);
    if (state === 'done' && job.media_deleted_at === null && job.media_key)
      doneMedia.push({ jobId: String(job.id), mediaKey: String(job.media_key), bytes: n(job.media_bytes) });
  }
  for (const hold of await query(HOLDS_SQL)) {
    if (n(hold.holds) !== 1 || n(hold.held) !== n(hold.amount)) violations.push(`hold ${hold.id}: ${hold.holds} hold entries`);
    const settlements = n(hold.captures) + n(hold.releases);
    if (settlements !== (hold.state === 'open' ? 0 : 1)) violations.push(`hold ${hold.id} (${hold.state}): settled ${settlements} times`);
    if (n(hold.captured) > n(hold.amount)) violations.push(`hold ${hold.id}: captured ${hold.captured} > held ${hold.amount}`);
    if ((hold.state === 'captured') !== (n(hold.captures) === 1))
      violations.push(`hold ${hold.id}: state ${hold.state} vs ${hold.captures} captures`);
  }
  for (const line of await query(LINES_SQL)) {
    const where = `${line.account_id}/${line.currency}/${line.epoch}`;
    if (n(line.available) < 0 || n(line.held) < 0) violations.push(`balance ${where}: negative`);
    if (n(line.available) + n(line.held) + n(line.captured) !== n(line.granted)) violations.push(`balance ${where}: not conserved`);
    if (n(line.open_holds) !== n(line.held)) violations.push(`balance ${where}: held ${line.held} ≠ open holds ${line.open_holds}`);
    if (n(line.grants) !== n(line.granted)) violations.push(`balance ${where}: granted ${line.granted} ≠ grant entries ${line.grants}`);
  }
  return { violations, jobs: counts, doneMedia };
}
