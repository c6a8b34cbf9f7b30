import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { loadCatalog } from '../../src/app/catalog-loader.js';
import { CatalogError, parseCatalog } from '../../src/domain/catalog.js';
import { startTestApp, toneCatalogFile } from '../support/test-app.js';

const engines = new Map([['e', { formats: ['mp3'] }]]);
const row = (id: string, pricing: object) => ({ id, type: 'music', engine: 'e', model_spec: { name: id, pricing } });

/** The CatalogError message for a catalog with these rows. */
function refusal(...models: object[]): string {
  try {
    parseCatalog({ models }, engines, 'prices.json');
  } catch (error) {
    assert.ok(error instanceof CatalogError);
    return error.message;
  }
  assert.fail('the catalog was accepted');
}

test('a price outside the money rule is refused, naming the model and the field', () => {
  assert.match(
    refusal(row('fine', { generation: { usd: 0.04, diem: 0.000001 } }), row('huge', { generation: { usd: 1e308, diem: 0.04 } })),
    /huge: model_spec\.pricing\.generation\.usd must be at most 1000000000/,
  );
  assert.match(
    refusal(row('tiny', { per_second: { usd: 0.04, diem: 1e-7 } })),
    /tiny: model_spec\.pricing\.per_second\.diem has more than 6 decimals/,
  );
  const tiers = {
    durations: {
      '60': { usd: 0.05, diem: 0.05, min_seconds: 1, max_seconds: 60 },
      '90': { usd: 1.0000001, diem: 1, min_seconds: 61, max_seconds: 90 },
    },
  };
  assert.match(refusal(row('tiered', tiers)), /tiered: model_spec\.pricing\.durations\.90\.usd has more than 6 decimals/);
  assert.match(
    refusal(row('ok', { generation: { usd: 1, diem: 1 } }), row('negative', { generation: { usd: -1, diem: 1 } })),
    /negative: model_spec\.pricing\.generation\.usd must not be negative/,
  );
  assert.doesNotThrow(() => parseCatalog({ models: [row('max', { generation: { usd: 1_000_000_000, diem: 0.000001 } })] }, engines));
});

test('a catalog file with a non-finite or over-maximum price stops the server from starting', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'overture-prices-'));
  try {
    // JSON's 1e400 parses to Infinity.
    const infinite = toneCatalogFile(directory, () => undefined, 'infinite.json');
    writeFileSync(infinite, readFileSync(infinite, 'utf8').replace('"usd":0.05', '"usd":1e400'));
    assert.throws(
      () => loadCatalog(infinite, new Map([['tone', { formats: ['mp3', 'wav', 'flac'] }]])),
      /overture-music: model_spec\.pricing\.durations\.60\.usd must be a decimal number/,
    );
    const huge = toneCatalogFile(
      directory,
      (model) => {
        if (model.id === 'overture-sketch') (model.model_spec as { pricing: unknown }).pricing = { per_second: { usd: 2e9, diem: 0 } };
      },
      'huge.json',
    );
    await assert.rejects(
      startTestApp({ directory, env: { OVERTURE_CATALOG: huge } }),
      /overture-sketch: model_spec\.pricing\.per_second\.usd must be at most 1000000000/,
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('the presets keep to the rule (Venice prices are written as the micro-unit decimals they stand for)', () => {
  const presets = resolve(import.meta.dirname, '../../catalogs');
  const venice = JSON.parse(readFileSync(join(presets, 'venice.json'), 'utf8'));
  const tts = venice.models.find((model: { id: string }) => model.id === 'elevenlabs-tts-v3');
  assert.equal(tts.model_spec.pricing.per_thousand_characters.usd, 0.115);
});
