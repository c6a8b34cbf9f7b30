import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AmountError, amountToMicros, checkAmount, MAX_AMOUNT_MICROS, MAX_BALANCE_MICROS } from '../../src/domain/money.js';

const micros = (value: unknown, options?: { positive?: boolean }) => {
  const checked = checkAmount(value, options);
  return 'micros' in checked ? checked.micros : undefined;
};
const problem = (value: unknown, options?: { positive?: boolean }) => {
  const checked = checkAmount(value, options);
  return 'problem' in checked ? checked.problem : undefined;
};

test('amounts within the rule become exact integer micro-units', () => {
  assert.equal(micros(0), 0);
  assert.equal(micros(0.000001), 1);
  assert.equal(micros(0.3), 300_000);
  assert.equal(micros(0.1 + 0.2), undefined, '0.30000000000000004 has 17 decimals');
  assert.equal(micros(25), 25_000_000);
  assert.equal(micros(123_456_789.123456), 123_456_789_123_456);
  assert.equal(micros(1e9), MAX_AMOUNT_MICROS);
  assert.equal(micros('2.5'), 2_500_000);
  assert.equal(micros(' 1e3 '), 1_000_000_000);
  assert.equal(micros('.5'), 500_000);
  assert.equal(micros('0.000001000'), 1, 'trailing zeros are not decimals');
  assert.equal(micros('1000000000.000000'), MAX_AMOUNT_MICROS);
  assert.equal(micros('0e999999999'), 0);
  assert.ok(MAX_BALANCE_MICROS <= Number.MAX_SAFE_INTEGER, 'a whole balance line stays an exact integer');
});

test('amounts outside the rule name the rule and the maximum', () => {
  for (const value of [1e308, 1e300, 1e15, 1e10, 1_000_000_000.000001, '1e999999999', '1000000000.000001'])
    assert.match(problem(value) ?? '', /must be at most 1000000000/, String(value));
  for (const value of [1e-7, 0.0000001, '0.0000001', 1.0000005, 5e-324, '1e-999999999'])
    assert.match(problem(value) ?? '', /more than 6 decimals/, String(value));
  for (const value of [-1, -0.5, '-1']) assert.match(problem(value) ?? '', /must not be negative/, String(value));
  for (const value of [Number.NaN, Number.POSITIVE_INFINITY, 'NaN', 'Infinity', 'abc', '', '.', '1e', '0x10', '1,5', true, null, {}, [1]])
    assert.match(problem(value) ?? '', /must be a decimal number from 0 to 1000000000 with at most 6 decimals/, String(value));
  assert.match(problem(0, { positive: true }) ?? '', /must be above 0/);
  assert.equal(micros(0.000001, { positive: true }), 1);
  assert.throws(
    () => amountToMicros(1e308, 'usd'),
    (error: unknown) => error instanceof AmountError && error.field === 'usd' && /^usd must be at most 1000000000/.test(error.message),
  );
});

test('every whole number of micro-units up to the maximum reads back exactly, as a number or as text', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: MAX_AMOUNT_MICROS }), (value) => {
      const usd = value / 1_000_000;
      assert.equal(micros(usd), value);
      assert.equal(micros(usd.toFixed(6)), value);
    }),
    { numRuns: 2000 },
  );
});
