import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/app/config.js';
import { upstreamCostSchema } from '../../src/engines/engines-file.js';

test('money settings follow the money rule: refused at start with the setting named', () => {
  for (const [name, value, rule] of [
    ['OVERTURE_STARTING_CREDIT_USD', '1e300', /OVERTURE_STARTING_CREDIT_USD: must be at most 1000000000/],
    ['OVERTURE_STARTING_DIEM_DAILY', '0.0000001', /OVERTURE_STARTING_DIEM_DAILY: has more than 6 decimals/],
    ['OVERTURE_X402_MAX_TOP_UP_USD', 'Infinity', /OVERTURE_X402_MAX_TOP_UP_USD: must be a decimal number/],
    ['OVERTURE_X402_MIN_TOP_UP_USD', '-5', /OVERTURE_X402_MIN_TOP_UP_USD: must not be negative/],
  ] as const)
    assert.throws(
      () => loadConfig({ [name]: value }),
      (error: unknown) => error instanceof ConfigError && rule.test(error.message),
      name,
    );
  const config = loadConfig({ OVERTURE_STARTING_CREDIT_USD: '2.000001', OVERTURE_X402_MAX_TOP_UP_USD: '1e9' });
  assert.equal(config.startingCreditUsd, 2.000001);
  assert.equal(config.x402?.offer.maximumMicros, 1_000_000_000_000_000);
  assert.equal(loadConfig({}).startingCreditUsd, 10, 'the default');
});

test('an engine instance cost follows the money rule', () => {
  assert.equal(upstreamCostSchema.safeParse({ usd_per_second: 0.000125 }).success, true);
  for (const cost of [{ usd_per_job: 1e308 }, { usd_per_second: 1e-7 }, { usd_per_thousand_characters: -1 }])
    assert.equal(upstreamCostSchema.safeParse(cost).success, false, JSON.stringify(cost));
});
