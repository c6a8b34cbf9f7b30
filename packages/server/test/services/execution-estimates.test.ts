import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CatalogModel } from '../../src/domain/model-spec.js';
import { createSpeechEngine } from '../../src/engines/speech/speech-engine.js';
import { createToneEngine } from '../../src/engines/tone/tone-engine.js';
import type { Engine } from '../../src/ports/engine.js';
import type { Store } from '../../src/ports/store/store.js';
import { ExecutionEstimates } from '../../src/services/execution-estimates.js';

const engines: Record<string, Engine> = { speech: createSpeechEngine({ preload: false }), tone: createToneEngine() };
const registry = { get: (name: string) => (engines[name] ? ({ engine: engines[name] } as never) : undefined) };

/** Estimates over a store whose models have these recent total times. */
function estimates(totals: Record<string, number[]> = {}) {
  const store = { statistics: { recentTotals: async (modelId: string) => totals[modelId] ?? [] } } as unknown as Store;
  return new ExecutionEstimates(store, () => 0, registry);
}

const model = (engine: string, defaultDuration?: number) =>
  ({ id: `on-${engine}`, engine, model_spec: { default_duration: defaultDuration } }) as unknown as CatalogModel;

test('before any history, rows of an engine paced by text are estimated from characters, others from seconds', async () => {
  const fresh = estimates();
  assert.equal(await fresh.p80(model('speech'), undefined, 1000), 1500);
  assert.equal(await fresh.p80(model('tone'), 20, 1000), 3200);
  assert.equal(await fresh.p80(model('tone', 10), undefined, 0), 2600);
  assert.equal(await fresh.p80(model('tone'), undefined, 0), 3800);
  // A route is paced by text only when every instance of it is; an instance not running here is not.
  assert.equal(await fresh.p80(model('speech,tone'), undefined, 1000), 3800);
  assert.equal(await fresh.p80(model('elsewhere'), undefined, 1000), 3800);
});

test('with history, the P80 of the recent totals', async () => {
  const measured = estimates({ 'on-speech': [100, 200, 300, 400, 500] });
  assert.equal(await measured.p80(model('speech'), undefined, 1000), 400);
});
