import { MAX_AMOUNT_MICROS, MAX_BALANCE_MICROS, type Micros, micros } from '../domain/money.js';

/** A table's money columns: integer micro-units from 0 to `maximum`; `nullable` ones may be NULL. */
export interface MoneyColumns {
  readonly table: string;
  readonly columns: readonly string[];
  readonly maximum: Micros;
  readonly nullable?: boolean;
}

/** The most a JavaScript number holds exactly, as micro-units. */
const MAX_SAFE_MICROS = micros(Number.MAX_SAFE_INTEGER);

/**
 * Every money column of both stores and the range the database enforces on it. Balance lines, and
 * the holds, ledger entries and job prices drawn from them, stay within MAX_BALANCE_MICROS; one
 * input amount (a DIEM allocation, a top-up) within MAX_AMOUNT_MICROS; running totals (a key's
 * usage) and upstream costs within Number.MAX_SAFE_INTEGER, the most a JavaScript number holds exactly.
 */
export const MONEY_COLUMNS: readonly MoneyColumns[] = [
  { table: 'accounts', columns: ['diem_daily'], maximum: MAX_AMOUNT_MICROS },
  { table: 'balances', columns: ['available', 'held', 'captured', 'granted'], maximum: MAX_BALANCE_MICROS },
  { table: 'api_keys', columns: ['limit_usd', 'limit_diem'], maximum: MAX_SAFE_MICROS, nullable: true },
  { table: 'key_usage', columns: ['used'], maximum: MAX_SAFE_MICROS },
  { table: 'holds', columns: ['amount'], maximum: MAX_BALANCE_MICROS },
  { table: 'ledger_entries', columns: ['amount'], maximum: MAX_BALANCE_MICROS },
  { table: 'jobs', columns: ['price'], maximum: MAX_BALANCE_MICROS },
  { table: 'jobs', columns: ['upstream_cost'], maximum: MAX_SAFE_MICROS, nullable: true },
  { table: 'wallet_payments', columns: ['amount'], maximum: MAX_AMOUNT_MICROS },
];
