/** The two currencies of an account: USD (prepaid) and DIEM (a daily allocation spent first). */
export type Currency = 'usd' | 'diem';

/** Both currencies in the order they are spent. */
export const SPENDING_ORDER: readonly Currency[] = ['diem', 'usd'];

/** A pair of amounts, one per currency, in micro-units. */
export interface CurrencyAmounts {
  readonly usd: number;
  readonly diem: number;
}

/** The epoch a currency's balance belongs to: DIEM resets daily at 00:00 UTC, USD never does. */
export function epochOf(currency: Currency, now: number): string {
  return currency === 'diem' ? new Date(now).toISOString().slice(0, 10) : '';
}

/** The instant the next DIEM epoch begins. */
export function nextEpochStart(now: number): Date {
  const day = new Date(now);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1));
}
