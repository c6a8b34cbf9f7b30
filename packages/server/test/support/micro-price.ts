import type { CurrencyAmounts } from '../../src/domain/currency.js';
import { micros } from '../../src/domain/money.js';

/** A price as the store tests write it: whole micro-units of USD and of DIEM. */
export function price(usd: number, diem: number): CurrencyAmounts {
  return { usd: micros(usd), diem: micros(diem) };
}
