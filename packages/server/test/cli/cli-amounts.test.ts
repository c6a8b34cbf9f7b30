import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { MAX_AMOUNT_MICROS } from '../../src/domain/money.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { buildIfStale } from './cli-harness.js';

const run = promisify(execFile);
const bin = resolve(import.meta.dirname, '../../bin/overture.js');

test('CLI: accounts create and credit refuse amounts outside the money rule, exit non-zero and write nothing', async () => {
  buildIfStale();
  const directory = mkdtempSync(join(tmpdir(), 'overture-cli-amounts-'));
  const env = { ...process.env, OVERTURE_DATA_DIR: directory, LOG_LEVEL: 'silent' };
  const overture = (...args: string[]) => run(process.execPath, [bin, ...args], { env });
  try {
    const created = JSON.parse((await overture('accounts', 'create', '--name', 'shop', '--usd', '2.5')).stdout);
    const refusals: [string[], RegExp][] = [
      [['create', '--name', 'big', '--usd', '1e300'], /--usd must be at most 1000000000/],
      [['create', '--name', 'big', '--usd', '1e15'], /--usd must be at most 1000000000/],
      [['create', '--name', 'small', '--usd', '0.0000001'], /--usd has more than 6 decimals/],
      [['create', '--name', 'daily', '--diem-daily=-1'], /--diem-daily must not be negative/],
      [['create', '--name', 'nan', '--usd', 'NaN'], /--usd must be a decimal number from 0 to 1000000000 with at most 6 decimals/],
      [['credit', created.account_id, '--usd', '1e-7'], /--usd has more than 6 decimals/],
      [['credit', created.account_id, '--usd', '0'], /--usd must be above 0/],
      [['credit', created.account_id, '--usd', 'ten'], /--usd must be a decimal number/],
    ];
    for (const [args, message] of refusals)
      await assert.rejects(overture('accounts', ...args), (error: { code?: number; stderr?: string }) => {
        assert.notEqual(error.code, 0, args.join(' '));
        assert.match(error.stderr ?? '', message, args.join(' '));
        return true;
      });
    // Up to $8,000,000,002.50 through the store (quicker than eight more processes), then one CLI credit too many.
    const store = new SqliteStore({ path: join(directory, 'overture.sqlite') });
    for (let credit = 0; credit < 8; credit++)
      await store.accounts.creditAccount(created.account_id, MAX_AMOUNT_MICROS, 'test', Date.now());
    await store.close();
    await assert.rejects(
      overture('accounts', 'credit', created.account_id, '--usd', '1000000000'),
      /usd would take the USD granted .* past 9000000000/,
    );
    const db = new Database(join(directory, 'overture.sqlite'), { readonly: true });
    try {
      assert.equal(db.prepare('SELECT COUNT(*) FROM accounts').pluck().get(), 1, 'no refused account was created');
      const line = db.prepare(`SELECT available, typeof(available) type FROM balances WHERE currency = 'usd'`).get();
      assert.deepEqual(line, { available: 8_000_000_002_500_000, type: 'integer' }, 'only the accepted credits, exactly');
    } finally {
      db.close();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
