import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { AmountError, MAX_AMOUNT_MICROS, MAX_BALANCE_MICROS, micros, subtractMicros } from '../../src/domain/money.js';
import type { Store } from '../../src/ports/store/store.js';
import { issueKey } from '../../src/services/api-keys.js';
import { assertLedgerInvariants, request, T0 } from './store-conformance.js';
import { price } from '../support/micro-price.js';

/** Plain SQL on the store's database, beside the store (placeholders `$1`, `$2`, …). */
export interface RawDatabase {
  run(sql: string, params: readonly unknown[]): Promise<void>;
  /** Run inside a transaction that is rolled back: proves a statement is valid without keeping it. */
  tryRun(sql: string, params: readonly unknown[]): Promise<void>;
  /** The first column of the first row, as text (exact, whatever its size). */
  text(sql: string, params: readonly unknown[]): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Values no money column may hold: fractions, huge or infinite reals, negatives, text; and each column's maximum + 1. */
const BROKEN = [1.5, 0.000001, 1e306, 1e308, Number.POSITIVE_INFINITY, -1, 'ten'] as const;

const BALANCE = MAX_BALANCE_MICROS;
const SAFE = Number.MAX_SAFE_INTEGER;

/** One write per money column with the column's maximum; `$1` is the value, `$2` the account, `$3` its key. */
const WRITES: readonly [string, number][] = [
  ['UPDATE accounts SET diem_daily = $1 WHERE id = $2', MAX_AMOUNT_MICROS],
  ['UPDATE balances SET available = $1 WHERE account_id = $2', BALANCE],
  ['UPDATE balances SET held = $1 WHERE account_id = $2', BALANCE],
  ['UPDATE balances SET captured = $1 WHERE account_id = $2', BALANCE],
  ['UPDATE balances SET granted = $1 WHERE account_id = $2', BALANCE],
  [`INSERT INTO balances VALUES ($2, 'diem', '2000-01-01', $1, 0, 0, 0)`, BALANCE],
  ['UPDATE api_keys SET limit_usd = $1 WHERE id = $3', SAFE],
  ['UPDATE api_keys SET limit_diem = $1 WHERE id = $3', SAFE],
  ['UPDATE key_usage SET used = $1 WHERE key_id = $3', SAFE],
  ['UPDATE holds SET amount = $1 WHERE account_id = $2', BALANCE],
  [`INSERT INTO ledger_entries (account_id, currency, epoch, kind, amount, created_at) VALUES ($2, 'usd', '', 'grant', $1, 0)`, BALANCE],
  ['UPDATE ledger_entries SET amount = $1 WHERE account_id = $2', BALANCE],
  ['UPDATE jobs SET price = $1 WHERE account_id = $2', BALANCE],
  ['UPDATE jobs SET upstream_cost = $1 WHERE account_id = $2', SAFE],
  [
    `INSERT INTO wallet_payments (id, account_id, wallet_address, network, asset, nonce, amount, authorization_json, signature, state, created_at)
     VALUES ($2, $2, '0xa', 'eip155:8453', '0xb', 'n', $1, '{}', '0xs', 'pending', 0)`,
    MAX_AMOUNT_MICROS,
  ],
];

async function ownerWithJob(store: Store) {
  const id = randomUUID();
  const key = issueKey(id, 'INFERENCE', 'k', { usd: 5 });
  await store.accounts.createAccount({ id, name: 'a', pro: false, diemDaily: micros(0) }, micros(10_000_000), [key.record], T0);
  const job = { id: randomUUID(), accountId: id, keyId: key.record.id, modelId: 'm', engine: 'e', request, maxAttempts: 1 };
  assert.ok((await store.jobs.enqueue(job, price(2_000_000, 2_000_000), T0)).ok);
  return { id, keyId: key.record.id };
}

/** Money at the database: every money column refuses what is not integer micro-units within range. */
export function runMoneyConformance(name: string, open: () => Promise<{ store: Store; raw: RawDatabase }>) {
  test(`${name}: every money column refuses a non-integer, negative or out-of-range value written by hand`, async () => {
    const { store, raw } = await open();
    try {
      const owner = await ownerWithJob(store);
      const before = await store.ledger.getBalance(owner.id, T0);
      for (const [sql, maximum] of WRITES) {
        await raw.tryRun(sql, [maximum, owner.id, owner.keyId]);
        for (const value of [...BROKEN, maximum + 1])
          await assert.rejects(raw.run(sql, [value, owner.id, owner.keyId]), `refused: ${sql} with ${String(value)}`);
      }
      assert.deepEqual(await store.ledger.getBalance(owner.id, T0), before, 'nothing changed');
      assert.equal(
        await raw.text(`SELECT CAST(available AS TEXT) FROM balances WHERE account_id = $1 AND currency = 'usd'`, [owner.id]),
        '8000000',
      );
      assert.equal(await raw.text('SELECT CAST(COUNT(*) AS TEXT) FROM wallet_payments', []), '0');
      await assertLedgerInvariants(store, owner.id);
    } finally {
      await raw.close();
      await store.close();
    }
  });

  test(`${name}: a grant that would take a balance past the maximum throws and changes nothing`, async () => {
    const { store, raw } = await open();
    try {
      const owner = await ownerWithJob(store);
      for (let credit = 0; credit < 8; credit++) await store.accounts.creditAccount(owner.id, MAX_AMOUNT_MICROS, 'operator credit', T0);
      const before = await store.ledger.getBalance(owner.id, T0);
      const entries = await raw.text('SELECT CAST(COUNT(*) AS TEXT) FROM ledger_entries WHERE account_id = $1', [owner.id]);
      await assert.rejects(store.accounts.creditAccount(owner.id, MAX_AMOUNT_MICROS, 'operator credit', T0), (error: unknown) => {
        assert.ok(error instanceof AmountError && error.field === 'usd' && /9000000000/.test(error.rule), String(error));
        return true;
      });
      assert.deepEqual(await store.ledger.getBalance(owner.id, T0), before);
      assert.equal(await raw.text('SELECT CAST(COUNT(*) AS TEXT) FROM ledger_entries WHERE account_id = $1', [owner.id]), entries);
      assert.ok(
        await store.accounts.creditAccount(owner.id, subtractMicros(MAX_BALANCE_MICROS, before.usd.granted), 'up to the maximum', T0),
      );
      const full = await raw.text(`SELECT CAST(granted AS TEXT) FROM balances WHERE account_id = $1 AND currency = 'usd'`, [owner.id]);
      assert.equal(full, String(MAX_BALANCE_MICROS));
      await assert.rejects(store.accounts.creditAccount(owner.id, micros(1), 'one micro-unit more', T0), AmountError);
      await assertLedgerInvariants(store, owner.id);
    } finally {
      await raw.close();
      await store.close();
    }
  });
}
