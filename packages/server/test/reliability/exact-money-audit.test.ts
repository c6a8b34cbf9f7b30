import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freshSchema } from '../support/postgres-schema.js';
import { waitForMedia } from '../support/test-app.js';
import { exactAuditPostgres, exactAuditSqlite } from './support/exact-money-audit.js';
import { skipWithoutPostgres } from './support/postgres-available.js';
import { appOn, queueOne } from './support/reliability-app.js';

// The oracle of the money audit, checked on purpose-corrupted copies of a real database: a harness
// that reads money as JavaScript numbers passes `1e308`, `Infinity` and off-by-one sums past 2^53.

/** A real database with grants, captured, released, open and speech holds in it. */
async function populated(databaseUrl?: string): Promise<{ directory: string; close: () => Promise<void> }> {
  const { test: t } = await appOn('tone', { usd: 3, env: databaseUrl ? { DATABASE_URL: databaseUrl } : {} });
  const done = await queueOne(t);
  assert.equal((await waitForMedia(t, 'overture-sketch', done)).statusCode, 200);
  const cancelled = await queueOne(t);
  await t.request('POST', '/api/v1/audio/cancel', { model: 'overture-sketch', queue_id: cancelled });
  const speech = await t.request('POST', '/api/v1/audio/speech', {
    model: 'overture-tts',
    input: 'Hi.',
    voice: 'oscar',
    response_format: 'wav',
  });
  assert.equal(speech.statusCode, 200, speech.body);
  await t.app.services.accounts.credit(t.account.account_id, 1);
  await t.app.close();
  return { directory: t.directory, close: async () => rmSync(t.directory, { recursive: true, force: true }) };
}

const CORRUPTIONS: [string, string, RegExp][] = [
  [
    'a balance of 1e308 (a float in an integer column)',
    'UPDATE balances SET available = 1e308',
    /real 1e\+308, not an integer|not an exact integer/,
  ],
  ['an infinite credit', "UPDATE balances SET granted = 9e999 WHERE currency = 'usd'", /real Inf, not an integer|not an exact integer/],
  ['one micro-unit made up', "UPDATE balances SET available = available + 1 WHERE currency = 'usd'", /≠ credited/],
  [
    'an off-by-one past 2^53 (equal as doubles)',
    "UPDATE balances SET available = available + 9007199254740992, granted = granted + 9007199254740993 WHERE currency = 'usd'",
    /≠ credited/,
  ],
  ['a negative balance', "UPDATE balances SET available = -1, granted = granted - available - 1 WHERE currency = 'usd'", /negative/],
  [
    'a done job whose hold is open again',
    "UPDATE holds SET state = 'open' WHERE state = 'captured' AND job_id IS NOT NULL",
    /done but its hold is open|settled 1 times/,
  ],
  [
    'a capture lost from the ledger',
    "DELETE FROM ledger_entries WHERE kind = 'capture' AND hold_id IN (SELECT hold_id FROM jobs)",
    /settled 0 times|capture entries/,
  ],
  [
    'a hold settled twice',
    "INSERT INTO ledger_entries (account_id, currency, epoch, kind, amount, hold_id, note, created_at) SELECT account_id, currency, epoch, 'release', amount, hold_id, NULL, 0 FROM ledger_entries WHERE kind = 'capture' LIMIT 1",
    /settled 2 times/,
  ],
  ['a speech hold never settled', "UPDATE holds SET state = 'open' WHERE job_id IS NULL", /request's hold left open|settled 1 times/],
];

let sqlite: Awaited<ReturnType<typeof populated>>;
before(async () => {
  sqlite = await populated();
});
after(() => sqlite.close());

test('the exact audit passes the real database untouched', async () => {
  const audit = await exactAuditSqlite(join(sqlite.directory, 'overture.sqlite'), { quiet: true, ended: true });
  assert.deepEqual(audit.violations, []);
  assert.equal(audit.totals.granted, 4_000_000n, 'granted 3 USD, then credited 1');
  assert.equal(audit.totals.available + audit.totals.held + audit.totals.captured, audit.totals.granted);
  assert.ok(audit.totals.captured > 0n, 'a job and a speech were paid for');
});

for (const [what, sql, expected] of CORRUPTIONS) {
  test(`the exact audit reports ${what} (SQLite copy)`, async () => {
    const copy = mkdtempSync(join(tmpdir(), 'overture-corrupt-'));
    try {
      const path = join(copy, 'overture.sqlite');
      copyFileSync(join(sqlite.directory, 'overture.sqlite'), path);
      const db = new Database(path);
      // The schema's own CHECKs and triggers would refuse some of these (a database from before
      // them, or edited by hand, has neither); the audit must not rely on them.
      db.pragma('ignore_check_constraints = ON');
      for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[])
        db.exec(`DROP TRIGGER "${name}"`);
      db.exec(sql);
      db.close();
      const audit = await exactAuditSqlite(path, { quiet: true, ended: true });
      assert.ok(
        audit.violations.some((violation) => expected.test(violation)),
        `expected ${expected} in ${JSON.stringify(audit.violations)}`,
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
}

test('the exact audit reads PostgreSQL BIGINTs exactly and reports corruption there', { skip: await skipWithoutPostgres() }, async () => {
  const schema = await freshSchema();
  const data = await populated(schema.url);
  const client = new pg.Client({ connectionString: schema.url.replace(/\?.*$/, '') });
  try {
    assert.deepEqual((await exactAuditPostgres(schema.url, { quiet: true, ended: true })).violations, []);
    await client.connect();
    await client.query(`SET search_path TO ${schema.schema}`);
    const checks = await client.query("SELECT conname FROM pg_constraint WHERE conrelid = 'balances'::regclass AND contype = 'c'");
    for (const { conname } of checks.rows) await client.query(`ALTER TABLE balances DROP CONSTRAINT "${conname}"`);
    await client.query(
      "UPDATE balances SET available = available + 9007199254740992, granted = granted + 9007199254740993 WHERE currency = 'usd'",
    );
    await client.query("UPDATE holds SET state = 'open' WHERE job_id IS NULL");
    const audit = await exactAuditPostgres(schema.url, { quiet: true });
    assert.ok(
      audit.violations.some((v) => /≠ credited/.test(v)),
      JSON.stringify(audit.violations),
    );
    assert.ok(
      audit.violations.some((v) => /request's hold left open/.test(v)),
      JSON.stringify(audit.violations),
    );
  } finally {
    await client.end().catch(() => undefined);
    await data.close();
    await schema.drop();
  }
});
