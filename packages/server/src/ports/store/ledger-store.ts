import type { Currency, CurrencyAmounts } from '../../domain/currency.js';
import type { BalanceSnapshot, LedgerTotals, ReserveOutcome } from './store-records.js';

/**
 * The ledger: balances, holds with no job (synchronous speech) and their settlement, totals.
 * Part of the persistence port (`store.ts`): each method is one atomic operation, run by the
 * adapter in one transaction. Times are milliseconds since the epoch, passed in.
 */
export interface LedgerStore {
  /** Balances now (the DIEM line is the current epoch's, created lazily from the allocation). */
  getBalance(accountId: string, now: number): Promise<BalanceSnapshot>;
  /** What a key has spent (held + captured) in the current epoch, per currency. */
  keyUsage(keyId: string, now: number): Promise<CurrencyAmounts>;
  /** Reserve a price with no job (synchronous speech); settle it with `settleHold`. */
  reserve(
    accountId: string,
    keyId: string,
    price: CurrencyAmounts,
    now: number,
  ): Promise<ReserveOutcome<{ holdId: string; currency: Currency }>>;
  /** Capture the whole of an open hold with no job, or release it back to the balance. False if already settled. */
  settleHold(holdId: string, outcome: 'capture' | 'release', now: number): Promise<boolean>;
  /** Ledger totals over one account (or all) and both currencies, for invariant checks. */
  ledgerTotals(accountId?: string): Promise<LedgerTotals>;
}
