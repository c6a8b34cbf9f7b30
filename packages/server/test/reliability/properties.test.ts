import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { ApiError } from '../../src/domain/api-error.js';
import { parseCatalog } from '../../src/domain/catalog.js';
import { fromMicros, micros, toMicros } from '../../src/domain/money.js';
import { priceJob } from '../../src/domain/pricing.js';
import {
  completeBodySchema,
  queueBodySchema,
  quoteBodySchema,
  retrieveBodySchema,
  speechBodySchema,
} from '../../src/domain/request-schemas.js';
import { hasDurationMetadata, validateQueue, validateQuote } from '../../src/domain/validate-request.js';
import { parseOrThrow } from '../../src/domain/validation-error.js';
import { issueKey } from '../../src/services/api-keys.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { FEATURE_FIELDS } from './support/fuzz-values.js';
import { type StoreOp, StoreModel } from './support/store-model.js';

// Deterministic: a fixed seed per property (fast-check prints it with the counterexample).
const SEED = Number(process.env.OVERTURE_PROPERTY_SEED ?? 20261124);
const catalogs = ['default', 'venice'].map((name) => {
  const data = JSON.parse(readFileSync(resolve(import.meta.dirname, `../../catalogs/${name}.json`), 'utf8'));
  const engines = new Map<string, { formats: string[] }>(
    data.models.map((model: { engine: string }) => [model.engine, { formats: ['mp3', 'wav', 'flac', 'opus', 'aac', 'pcm'] }]),
  );
  return parseCatalog(data, engines, name);
});
const models = catalogs.flatMap((catalog) => catalog.models).filter((model) => model.type === 'music');

/** A JSON value shaped like a queue body: known keys with arbitrary values, plus stray keys. */
const queueish = fc.dictionary(
  fc.oneof(fc.constantFrom('model', 'prompt', 'lyrics_prompt', 'duration_seconds', ...FEATURE_FIELDS, 'character_count'), fc.string()),
  fc.oneof(
    fc.jsonValue(),
    fc.integer({ min: -5, max: 700 }),
    fc.constantFrom('a calm piano piece in D minor', '60', 'oscar', 'en', true, false, 1.5),
  ),
);

/** A valid prompt with a few fields of arbitrary value: often accepted, so pricing runs too. */
const nearlyValid = fc
  .tuple(
    fc.dictionary(
      fc.constantFrom('duration_seconds', 'voice', 'speed', 'loop', 'force_instrumental'),
      fc.oneof(fc.integer({ min: 1, max: 700 }), fc.constantFrom(true, 1, 0.5, 'oscar', '30')),
      { maxKeys: 2 },
    ),
  )
  .map(([extra]) => ({ model: 'm', prompt: 'a calm piano piece in D minor, slow and warm', ...extra }));

/** Run a validation and require that it either passes or throws the contract's 400. */
function passesOr400(work: () => unknown): boolean {
  try {
    work();
    return true;
  } catch (error) {
    assert.ok(error instanceof ApiError, `threw ${String(error)}`);
    assert.equal(error.status, 400);
    const body = error.body() as { error: string; details?: unknown; issues?: unknown };
    assert.equal(typeof body.error, 'string');
    if (error.code === 'invalid_parameters') assert.ok(Array.isArray(body.issues) && typeof body.details === 'object');
    return false;
  }
}

test('property: validation of arbitrary JSON never throws anything but the contract’s 400, and what it accepts can be priced', () => {
  let accepted = 0;
  fc.assert(
    fc.property(fc.oneof(queueish, fc.jsonValue(), nearlyValid), fc.constantFrom(...models), (body, model) => {
      for (const schema of [retrieveBodySchema, completeBodySchema, speechBodySchema]) passesOr400(() => parseOrThrow(schema, body));
      let request: ReturnType<typeof validateQueue> | undefined;
      if (passesOr400(() => (request = validateQueue(model, parseOrThrow(queueBodySchema, body))))) {
        accepted++;
        const price = priceJob(model, { durationSeconds: request!.durationSeconds, characterCount: request!.characterCount });
        assert.ok(Number.isSafeInteger(price.usd) && price.usd >= 0 && Number.isSafeInteger(price.diem) && price.diem >= 0);
      }
      passesOr400(() => {
        const quote = parseOrThrow(quoteBodySchema, body);
        validateQuote(model, quote);
      });
    }),
    { seed: SEED, numRuns: 3000 },
  );
  assert.ok(accepted > 0, 'some arbitrary bodies were valid, so the pricing half was exercised');
});

test('property: every accepted duration of every catalog model has a price, and longer never costs less', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...models.filter(hasDurationMetadata)),
      fc.integer({ min: 1, max: 700 }),
      fc.integer({ min: 1, max: 700 }),
      (model, a, b) => {
        const [short, long] = a <= b ? [a, b] : [b, a];
        const accepts = (seconds: number) =>
          passesOr400(() =>
            validateQueue(model, { model: model.id, prompt: 'a calm piano piece in D minor, slow', duration_seconds: seconds }),
          );
        if (!accepts(short) || !accepts(long)) return;
        const price = (seconds: number) => priceJob(model, { durationSeconds: seconds, characterCount: 34 });
        assert.ok(price(short).usd <= price(long).usd, `${model.id}: ${short}s costs more than ${long}s`);
        assert.ok(price(short).diem <= price(long).diem);
      },
    ),
    { seed: SEED, numRuns: 2000 },
  );
});

test('property: a quoted price survives the wire exactly (micro-units → decimal → micro-units)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), (amount) => assert.equal(toMicros(fromMicros(micros(amount))), amount)),
    { seed: SEED, numRuns: 5000 },
  );
});

const op: fc.Arbitrary<StoreOp> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('enqueue' as const),
      account: fc.integer({ min: 0, max: 1 }),
      price: fc.integer({ min: 0, max: 400 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('claim' as const), limit: fc.integer({ min: 0, max: 3 }) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constantFrom('complete' as const, 'fail' as const, 'return' as const, 'renew' as const),
      job: fc.nat(50),
      stale: fc.boolean(),
      retryable: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), job: fc.nat(50) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reap' as const), advanceMs: fc.constantFrom(0, 500, 1001, 3000, 6000) }) },
);

test('property (model-based): any sequence of enqueue/claim/complete/fail/return/renew/cancel/reap keeps the ledger exact', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 60, size: 'max' }), async (ops) => {
      const store = new SqliteStore({ path: ':memory:' });
      await store.migrate();
      const start = Date.parse('2026-11-24T10:00:00Z');
      const accounts = [];
      for (const grant of [1000, 300]) {
        const id = crypto.randomUUID();
        const key = issueKey(id, 'INFERENCE', 'k');
        await store.accounts.createAccount({ id, name: 'a', pro: false, diemDaily: micros(0) }, micros(grant), [key.record], start);
        accounts.push({ id, keyId: key.record.id, grant });
      }
      const model = new StoreModel(store, accounts, start);
      try {
        for (const step of ops) {
          await model.apply(step);
          await model.check();
          await assertLedgerInvariants(store);
        }
      } finally {
        await store.close();
      }
    }),
    { seed: SEED, numRuns: 300 },
  );
});
