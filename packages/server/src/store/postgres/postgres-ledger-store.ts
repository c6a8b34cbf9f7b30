import type pg from 'pg';
import { type CurrencyAmounts, epochOf } from '../../domain/currency.js';
import { ZERO_MICROS } from '../../domain/money.js';
import type { LedgerStore } from '../../ports/store/ledger-store.js';
import type { BalanceSnapshot, LedgerTotals } from '../../ports/store/store-records.js';
import { selectAccount } from './postgres-account-store.js';
import type { PostgresContext } from './postgres-context.js';
import { inTransaction, whole } from './postgres-database.js';
import { EMPTY_BALANCE_LINE, microsColumn, summedMicrosColumn } from '../sql-rows.js';
import { readLine, reserveHold, settleHoldRow } from './postgres-ledger.js';

/** Balances, holds with no job and their settlement, in PostgreSQL (the rules: `postgres-ledger.ts`). */
export class PostgresLedgerStore implements LedgerStore {
  private readonly pool: pg.Pool;

  constructor(context: PostgresContext) {
    this.pool = context.pool;
  }

  async getBalance(accountId: string, now: number): Promise<BalanceSnapshot> {
    const usd = await readLine(this.pool, accountId, 'usd', '');
    let diem = await readLine(this.pool, accountId, 'diem', epochOf('diem', now));
    if (diem.granted === 0) {
      // The epoch's line is created on first spend; until then it is the whole allocation.
      const allocation = (await selectAccount(this.pool, accountId))?.diemDaily ?? ZERO_MICROS;
      diem = { ...EMPTY_BALANCE_LINE, available: allocation, granted: allocation };
    }
    return { usd, diem };
  }

  async keyUsage(keyId: string, now: number): Promise<CurrencyAmounts> {
    const result = await this.pool.query(
      `SELECT currency, used FROM key_usage WHERE key_id = $1 AND ((currency = 'usd' AND epoch = $2) OR (currency = 'diem' AND epoch = $3))`,
      [keyId, epochOf('usd', now), epochOf('diem', now)],
    );
    const used = (currency: string) => microsColumn(result.rows.find((row) => row.currency === currency)?.used ?? 0);
    return { usd: used('usd'), diem: used('diem') };
  }

  async reserve(accountId: string, keyId: string, price: CurrencyAmounts, now: number) {
    return reserveHold(this.pool, accountId, keyId, price, whole(now));
  }

  async settleHold(holdId: string, outcome: 'capture' | 'release', now: number) {
    return inTransaction(this.pool, (client) => settleHoldRow(client, holdId, outcome, whole(now)));
  }

  async ledgerTotals(accountId?: string): Promise<LedgerTotals> {
    const filter = accountId === undefined ? 'TRUE' : 'account_id = $1';
    const args = accountId === undefined ? [] : [accountId];
    const result = await this.pool.query(
      `SELECT
         (SELECT COALESCE(SUM(granted), 0) FROM balances WHERE ${filter}) AS g,
         (SELECT COALESCE(SUM(available), 0) FROM balances WHERE ${filter}) AS a,
         (SELECT COALESCE(SUM(held), 0) FROM balances WHERE ${filter}) AS h,
         (SELECT COALESCE(SUM(captured), 0) FROM balances WHERE ${filter}) AS c,
         (SELECT COUNT(*) FROM balances WHERE ${filter} AND (available < 0 OR held < 0)) AS n,
         (SELECT COALESCE(SUM(amount), 0) FROM holds WHERE ${filter} AND state = 'open') AS open,
         (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE ${filter} AND kind = 'capture') AS captures,
         (SELECT COUNT(*) FROM (SELECT hold_id FROM ledger_entries WHERE ${filter} AND kind IN ('capture', 'release')
            GROUP BY hold_id HAVING COUNT(*) > 1) twice) AS twice`,
      args,
    );
    const row = result.rows[0] as Record<string, string>;
    return {
      granted: summedMicrosColumn(row.g),
      available: summedMicrosColumn(row.a),
      held: summedMicrosColumn(row.h),
      captured: summedMicrosColumn(row.c),
      openHolds: summedMicrosColumn(row.open),
      captureEntries: summedMicrosColumn(row.captures),
      negativeRows: Number(row.n),
      holdsSettledTwice: Number(row.twice),
    };
  }
}
