import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CurrencyAmounts } from '../../src/domain/currency.js';
import {
  addMicros,
  amountToMicros,
  fromMicros,
  type Micros,
  micros,
  subtractMicros,
  summedMicros,
  toMicros,
  ZERO_MICROS,
} from '../../src/domain/money.js';
import type { AccountStore } from '../../src/ports/store/account-store.js';

test('micros() takes whole numbers of micro-units, zero and negatives included', () => {
  assert.equal(micros(0), 0);
  assert.equal(micros(1_250_000), 1_250_000);
  assert.equal(micros(-1), -1, 'a difference (a margin) may be negative');
  assert.equal(micros(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
  assert.equal(ZERO_MICROS, 0);
});

test('micros() refuses what is not a safe integer, as a programming error', () => {
  for (const value of [1.5, 0.000001, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1, -(2 ** 60)]) {
    assert.throws(
      () => micros(value),
      (error: unknown) => error instanceof Error && error.constructor === Error && /micro-units/.test(error.message),
      String(value),
    );
  }
});

test('sums and differences of micro-units stay micro-units', () => {
  assert.equal(addMicros(micros(2300), micros(115_000)), 117_300);
  assert.equal(subtractMicros(micros(2300), micros(115_000)), -112_700);
  assert.equal(addMicros(ZERO_MICROS, micros(7)), 7);
  assert.equal(summedMicros(42), 42);
  assert.equal(fromMicros(addMicros(toMicros(0.1), toMicros(0.2))), 0.3, 'added exactly, converted once');
});

test('conversions from decimal amounts answer micro-units', () => {
  const fromCatalog: Micros = toMicros(1.25);
  const fromInput: Micros = amountToMicros('1.25', 'usd');
  assert.equal(fromCatalog, 1_250_000);
  assert.equal(fromInput, 1_250_000);
  const plain: number = fromCatalog;
  assert.equal(plain, 1_250_000, 'micro-units are still numbers where a number is wanted');
});

test('types: a plain number (a USD amount) is not accepted where micro-units are wanted', async () => {
  const usd = 1.25;
  const credited: unknown[] = [];
  const creditAccount: AccountStore['creditAccount'] = async (...call) => credited.push(call) > 0;
  // @ts-expect-error USD must be converted (toMicros, amountToMicros) before it is credited.
  await creditAccount('account', usd, 'note', 0);
  await creditAccount('account', toMicros(usd), 'note', 0);
  assert.deepEqual(credited, [
    ['account', 1.25, 'note', 0],
    ['account', 1_250_000, 'note', 0],
  ]);
  // @ts-expect-error a price is micro-units of each currency, not decimal amounts.
  const price: CurrencyAmounts = { usd, diem: 0 };
  // @ts-expect-error only micro-units turn into the wire's decimals.
  assert.equal(fromMicros(usd), 0.00000125);
  assert.equal(price.usd, usd);
});
