import type { Micros } from './money.js';

/** The two currencies of an account: USD (prepaid) and DIEM (a daily allocation spent first). */
export type Currency = 'usd' | 'diem';

/** Both currencies in the order they are spent. */
export const SPENDING_ORDER: readonly Currency[] = ['diem', 'usd'];

/** A pair of amounts, one per currency, in micro-units. */
export interface CurrencyAmounts {
  readonly usd: Micros;
  readonly diem: Micros;
}

/** The epoch a currency's balance belongs to: DIEM resets daily at 00:00 UTC, USD never does. */
export function epochOf(currency: Currency, now: number): string {
  if (currency !== 'diem') return '';
  // Every authenticated request asks (balance headers): format each UTC day once.
  const day = Math.floor(now / DAY_MS);
  if (day !== lastDay.day) lastDay = { day, name: new Date(day * DAY_MS).toISOString().slice(0, 10) };
  return lastDay.name;
}

const DAY_MS = 86_400_000;
let lastDay = { day: Number.NaN, name: '' };

/** The instant the next DIEM epoch begins. */
export function nextEpochStart(now: number): Date {
  const day = new Date(now);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1));
}
