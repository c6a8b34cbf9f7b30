import Database from 'better-sqlite3';
import { join } from 'node:path';

/** What one audit found: human-readable violations (empty when every invariant holds). */
export interface AuditReport {
  readonly violations: string[];
  readonly jobs: Record<string, number>;
  /** Done (not yet deleted) jobs with their media key and size, for the media check. */
  readonly doneMedia: { jobId: string; mediaKey: string; bytes: number }[];
}

const HOLD_STATE_OF_JOB: Record<string, string> = {
  queued: 'open', running: 'open', done: 'captured', expired: 'captured', failed: 'released', cancelled: 'released',
};

/**
 * Read the SQLite file of a data directory and check, row by row, what the Store port's totals
 * can only check in sum: every job's hold is in the state its job implies, settled exactly once
 * by one ledger entry of the hold's amount (captured ≤ held), attempts stay within the budget,
 * and balances are never negative and add up per account.
 */
export function auditSqlite(directory: string): AuditReport {
  const db = new Database(join(directory, 'overture.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const violations: string[] = [];
    const jobs = db.prepare('SELECT j.id, j.state, j.attempt, j.max_attempts, j.media_key, j.media_bytes, j.media_deleted_at, j.price, h.state AS hold_state, h.amount AS hold_amount, h.job_id AS hold_job FROM jobs j LEFT JOIN holds h ON h.id = j.hold_id').all() as {
      id: string; state: string; attempt: number; max_attempts: number; media_key: string | null; media_bytes: number | null;
      media_deleted_at: number | null; price: number; hold_state: string | null; hold_amount: number | null; hold_job: string | null;
    }[];
    const counts: Record<string, number> = {};
    const doneMedia: AuditReport['doneMedia'] = [];
    for (const job of jobs) {
      counts[job.state] = (counts[job.state] ?? 0) + 1;
      if (job.hold_state === null) violations.push(`job ${job.id}: no hold`);
      else if (job.hold_state !== HOLD_STATE_OF_JOB[job.state]) violations.push(`job ${job.id}: ${job.state} but hold ${job.hold_state}`);
      if (job.hold_job !== null && job.hold_job !== job.id) violations.push(`job ${job.id}: hold points at ${job.hold_job}`);
      if (job.hold_amount !== null && job.hold_amount !== job.price) violations.push(`job ${job.id}: hold ${job.hold_amount} ≠ price ${job.price}`);
      if (job.attempt > job.max_attempts) violations.push(`job ${job.id}: attempt ${job.attempt} > budget ${job.max_attempts}`);
      if (job.state === 'done' && (!job.media_key || !(Number(job.media_bytes) > 0))) violations.push(`job ${job.id}: done without media`);
      if (job.state === 'done' && job.media_deleted_at === null && job.media_key) doneMedia.push({ jobId: job.id, mediaKey: job.media_key, bytes: Number(job.media_bytes) });
    }
    const holds = db.prepare(`SELECT h.id, h.state, h.amount,
        SUM(CASE WHEN e.kind = 'hold' THEN 1 ELSE 0 END) AS holds, SUM(CASE WHEN e.kind = 'hold' THEN e.amount ELSE 0 END) AS held,
        SUM(CASE WHEN e.kind = 'capture' THEN 1 ELSE 0 END) AS captures, SUM(CASE WHEN e.kind = 'capture' THEN e.amount ELSE 0 END) AS captured,
        SUM(CASE WHEN e.kind = 'release' THEN 1 ELSE 0 END) AS releases
      FROM holds h LEFT JOIN ledger_entries e ON e.hold_id = h.id GROUP BY h.id`).all() as {
      id: string; state: string; amount: number; holds: number; held: number; captures: number; captured: number; releases: number;
    }[];
    for (const hold of holds) {
      if (hold.holds !== 1 || hold.held !== hold.amount) violations.push(`hold ${hold.id}: ${hold.holds} hold entries`);
      const settlements = hold.captures + hold.releases;
      if (settlements !== (hold.state === 'open' ? 0 : 1)) violations.push(`hold ${hold.id} (${hold.state}): settled ${settlements} times`);
      if (hold.captured > hold.amount) violations.push(`hold ${hold.id}: captured ${hold.captured} > held ${hold.amount}`);
      if ((hold.state === 'captured') !== (hold.captures === 1)) violations.push(`hold ${hold.id}: state ${hold.state} vs ${hold.captures} captures`);
    }
    const lines = db.prepare('SELECT account_id, currency, epoch, available, held, captured, granted FROM balances').all() as {
      account_id: string; currency: string; epoch: string; available: number; held: number; captured: number; granted: number;
    }[];
    for (const line of lines) {
      const where = `${line.account_id}/${line.currency}/${line.epoch}`;
      if (line.available < 0 || line.held < 0) violations.push(`balance ${where}: negative`);
      if (line.available + line.held + line.captured !== line.granted) violations.push(`balance ${where}: not conserved`);
      const open = db.prepare(`SELECT COALESCE(SUM(amount), 0) AS s FROM holds WHERE account_id = ? AND currency = ? AND epoch = ? AND state = 'open'`).get(line.account_id, line.currency, line.epoch) as { s: number };
      if (open.s !== line.held) violations.push(`balance ${where}: held ${line.held} ≠ open holds ${open.s}`);
      const grants = db.prepare(`SELECT COALESCE(SUM(amount), 0) AS s FROM ledger_entries WHERE account_id = ? AND currency = ? AND epoch = ? AND kind = 'grant'`).get(line.account_id, line.currency, line.epoch) as { s: number };
      if (grants.s !== line.granted) violations.push(`balance ${where}: granted ${line.granted} ≠ grant entries ${grants.s}`);
    }
    return { violations, jobs: counts, doneMedia };
  } finally {
    db.close();
  }
}
