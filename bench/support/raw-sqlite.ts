import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { percentileOf } from './stats.js';

/** One run of the raw baseline: req/s and p99 of single-insert transactions. */
export interface RawRun {
  readonly rps: number;
  readonly p99: number;
}

/**
 * The SQLite baseline: better-sqlite3 in WAL mode with synchronous=FULL, one `BEGIN IMMEDIATE;
 * INSERT; COMMIT` per row (a row shaped like a job), back to back for `seconds`, in this process.
 */
export function rawSqliteInserts(seconds: number): RawRun {
  const directory = mkdtempSync(join(tmpdir(), 'overture-bench-raw-'));
  const db = new Database(join(directory, 'raw.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(
      'CREATE TABLE jobs (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, request TEXT NOT NULL, price INTEGER NOT NULL, created_at INTEGER NOT NULL)',
    );
    const insert = db.prepare('INSERT INTO jobs VALUES (?, ?, ?, ?, ?)');
    const once = db.transaction((id: string, now: number) =>
      insert.run(id, 'account', '{"prompt":"a steady bench tone","duration_seconds":5}', 500, now),
    );
    const latencies: number[] = [];
    const started = performance.now();
    const deadline = started + seconds * 1000;
    for (let now = started; now < deadline; ) {
      once.immediate(randomUUID(), Date.now());
      const after = performance.now();
      latencies.push(after - now);
      now = after;
    }
    return { rps: latencies.length / ((performance.now() - started) / 1000), p99: percentileOf(latencies, 99) };
  } finally {
    db.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
