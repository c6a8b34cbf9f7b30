import type Database from 'better-sqlite3';
import { type CurrencyAmounts, epochOf } from '../../domain/currency.js';
import type { LedgerStore } from '../../ports/store/ledger-store.js';
import type { BalanceSnapshot, LedgerTotals } from '../../ports/store/store-records.js';
import { EMPTY_BALANCE_LINE, microsColumn, summedMicrosColumn, toBalanceLine } from '../sql-rows.js';
import type { SqliteContext } from './sqlite-context.js';
import { reserveHold, settleHoldRow } from './sqlite-ledger.js';
import { statement } from './sqlite-statements.js';

/** Balances, holds with no job and their settlement, and totals, in SQLite (rules: `sqlite-ledger.ts`). */
export class SqliteLedgerStore implements LedgerStore {
  private readonly db: Database.Database;

  constructor(private readonly context: SqliteContext) {
    this.db = context.db;
  }

  async getBalance(accountId: string, now: number): Promise<BalanceSnapshot> {
    const epoch = epochOf('diem', now);
    return this.context.reads.read(`balance:${accountId}:${epoch}`, () => this.readBalance(accountId, epoch));
  }

  private readBalance(accountId: string, epoch: string): BalanceSnapshot {
    // One query for both lines: this runs on every authenticated request (balance headers).
    const rows = statement(
      this.db,
      `SELECT b.currency, b.available, b.held, b.captured, b.granted, a.diem_daily FROM accounts a
       LEFT JOIN balances b ON b.account_id = a.id AND ((b.currency = 'usd' AND b.epoch = '') OR (b.currency = 'diem' AND b.epoch = ?))
       WHERE a.id = ?`,
    ).all(epoch, accountId) as ({ currency: string | null; diem_daily: number } & Record<string, unknown>)[];
    const line = (currency: string) => {
      const row = rows.find((candidate) => candidate.currency === currency);
      return row ? toBalanceLine(row) : undefined;
    };
    // The epoch's DIEM line is created on first spend; until then it is the whole allocation.
    const allocation = microsColumn(rows[0]?.diem_daily ?? 0);
    return {
      usd: line('usd') ?? EMPTY_BALANCE_LINE,
      diem: line('diem') ?? { ...EMPTY_BALANCE_LINE, available: allocation, granted: allocation },
    };
  }

  async keyUsage(keyId: string, now: number): Promise<CurrencyAmounts> {
    const used = (currency: 'usd' | 'diem') =>
      (
        statement(this.db, 'SELECT used FROM key_usage WHERE key_id = ? AND currency = ? AND epoch = ?').get(
          keyId,
          currency,
          epochOf(currency, now),
        ) as { used: number } | undefined
      )?.used ?? 0;
    return { usd: microsColumn(used('usd')), diem: microsColumn(used('diem')) };
  }

  async reserve(accountId: string, keyId: string, price: CurrencyAmounts, now: number) {
    return this.context.groupCommit.run(() => {
      const outcome = reserveHold(this.db, accountId, keyId, price, null, now);
      return outcome.ok ? { ok: true as const, value: { holdId: outcome.value.holdId, currency: outcome.value.currency } } : outcome;
    });
  }

  /**
   * The settle of a synchronous request's hold commits without an fsync of its own (like a claim):
   * a process kill keeps it, and the next durable commit carries it to disk. A power cut before
   * that loses it, and the orphan sweep then releases the hold — the request goes unpaid, never
   * paid twice. Its own fsync was the largest cost of a short `/audio/speech`.
   */
  async settleHold(holdId: string, outcome: 'capture' | 'release', now: number) {
    return this.context.withoutSync(() => this.db.transaction(() => settleHoldRow(this.db, holdId, outcome, now)).immediate());
  }

  async ledgerTotals(accountId?: string): Promise<LedgerTotals> {
    const where = accountId ? 'WHERE account_id = ?' : '';
    const args = accountId ? [accountId] : [];
    const sums = statement(
      this.db,
      `SELECT COALESCE(SUM(granted),0) g, COALESCE(SUM(available),0) a, COALESCE(SUM(held),0) h, COALESCE(SUM(captured),0) c,
           COALESCE(SUM(CASE WHEN available < 0 OR held < 0 THEN 1 ELSE 0 END),0) n FROM balances ${where}`,
    ).get(...args) as { g: number; a: number; h: number; c: number; n: number };
    const open = statement(this.db, `SELECT COALESCE(SUM(amount),0) s FROM holds ${where ? `${where} AND` : 'WHERE'} state = 'open'`).get(
      ...args,
    ) as { s: number };
    const captures = statement(
      this.db,
      `SELECT COALESCE(SUM(amount),0) s FROM ledger_entries ${where ? `${where} AND` : 'WHERE'} kind = 'capture'`,
    ).get(...args) as { s: number };
    const twice = statement(
      this.db,
      `SELECT COUNT(*) n FROM (SELECT hold_id FROM ledger_entries ${where ? `${where} AND` : 'WHERE'} kind IN ('capture','release') GROUP BY hold_id HAVING COUNT(*) > 1)`,
    ).get(...args) as { n: number };
    return {
      granted: summedMicrosColumn(sums.g),
      available: summedMicrosColumn(sums.a),
      held: summedMicrosColumn(sums.h),
      captured: summedMicrosColumn(sums.c),
      openHolds: summedMicrosColumn(open.s),
      captureEntries: summedMicrosColumn(captures.s),
      negativeRows: sums.n,
      holdsSettledTwice: twice.n,
    };
  }
}
