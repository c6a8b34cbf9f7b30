import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseCatalog } from '../../src/domain/catalog.js';
import type { CatalogModel } from '../../src/domain/model-spec.js';
import { fromMicros, micros, scaleMicros, toMicros } from '../../src/domain/money.js';
import { PricingError, priceJob } from '../../src/domain/pricing.js';

const model = (pricing: object, extra: object = {}, type: 'music' | 'tts' = 'music'): CatalogModel =>
  parseCatalog(
    { models: [{ id: 'm', type, engine: 'e', model_spec: { name: 'M', pricing, ...extra } }] },
    new Map([['e', { formats: ['mp3'] }]]),
  ).models[0] as CatalogModel;

test('money converts decimal prices exactly to micro-units', () => {
  assert.equal(toMicros(0.0023000000000000004), 2300);
  assert.equal(toMicros(0.11500000000000002), 115_000);
  assert.equal(toMicros(6.9), 6_900_000);
  assert.equal(fromMicros(micros(16_100)), 0.0161);
  assert.equal(scaleMicros(micros(3_500_000), 1, 1_000_000), 4, 'half rounds up');
  assert.equal(scaleMicros(micros(3_500_000), 3, 1_000_000), 11, '10.5 rounds up');
  assert.equal(scaleMicros(micros(115_000), 1234, 1000), 141_910);
});

test('every pricing shape', () => {
  assert.deepEqual(priceJob(model({ generation: { usd: 0.04, diem: 0.05 } }), {}), { usd: 40_000, diem: 50_000 });
  const perSecond = model({ per_second: { usd: 0.0023, diem: 0.0023 } }, { default_duration: 7, min_duration: 1, max_duration: 22 });
  assert.equal(priceJob(perSecond, {}).usd, 16_100, 'default duration');
  assert.equal(priceJob(perSecond, { durationSeconds: 22 }).usd, 50_600);
  const perThousand = model({ per_thousand_characters: { usd: 0.115, diem: 0.115 } });
  assert.equal(priceJob(perThousand, { characterCount: 20_000 }).usd, 2_300_000);
  assert.throws(() => priceJob(perThousand, {}), PricingError);
  const tts = model({ input: { usd: 3.5, diem: 3.5 } }, {}, 'tts');
  assert.equal(priceJob(tts, { characterCount: 1000 }).usd, 3500);
  const tiers = model(
    {
      durations: {
        '60': { usd: 0.69, diem: 0.69, min_seconds: 3, max_seconds: 60 },
        '120': { usd: 1.38, diem: 1.38, min_seconds: 61, max_seconds: 120 },
      },
    },
    { min_duration: 3, max_duration: 120, default_duration: 60 },
  );
  assert.equal(priceJob(tiers, { durationSeconds: 60 }).usd, 690_000, 'upper bound inclusive');
  assert.equal(priceJob(tiers, { durationSeconds: 61 }).usd, 1_380_000, 'lower bound inclusive');
  assert.throws(() => priceJob(tiers, { durationSeconds: 121 }), PricingError);
});

test('property: per-second prices are integer, monotonic and exact for whole-micro rates', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 600 }), (rateMicros, seconds) => {
      const priced = model({ per_second: { usd: rateMicros / 1e6, diem: 0 } }, { default_duration: 1, min_duration: 1, max_duration: 600 });
      const price = priceJob(priced, { durationSeconds: seconds }).usd;
      assert.ok(Number.isInteger(price));
      assert.equal(price, rateMicros * seconds);
      assert.ok(priceJob(priced, { durationSeconds: Math.min(600, seconds + 1) }).usd >= price);
    }),
  );
});

test('property: scaling micro-units agrees with exact BigInt arithmetic, near and past the safe range', () => {
  const exact = (rate: number, units: number, divisor: number) => {
    const whole = BigInt(divisor);
    return Number((BigInt(rate) * BigInt(units) * 2n + whole) / (whole * 2n));
  };
  const sizes = fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
  fc.assert(
    fc.property(sizes, sizes, fc.constantFrom(1, 1000, 1_000_000, 7), (rate, units, divisor) => {
      assert.equal(scaleMicros(micros(rate), units, divisor), exact(rate, units, divisor));
    }),
    { numRuns: 2000 },
  );
  assert.equal(scaleMicros(micros(2 ** 52), 1, 1), 2 ** 52, 'a product just inside the safe range');
  assert.equal(scaleMicros(micros(2 ** 40), 2 ** 20, 1_000_000), exact(2 ** 40, 2 ** 20, 1_000_000), 'a product past it');
});

test('property: micro-units divide to the same number their six-decimal text parses to', () => {
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: -(10 ** 15), max: 10 ** 15 })), (amount) => {
      assert.equal(fromMicros(micros(amount)), Number((amount / 1_000_000).toFixed(6)));
    }),
    { numRuns: 5000 },
  );
});

test('property: per-character rounding is within half a micro-unit of the exact value', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 500_000_000 }), fc.integer({ min: 1, max: 100_000 }), (rate, characters) => {
      const price = scaleMicros(micros(rate), characters, 1_000_000);
      const exact = (rate * characters) / 1_000_000;
      assert.ok(Math.abs(price - exact) <= 0.5 + 1e-9);
    }),
  );
});
