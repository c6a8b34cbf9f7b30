import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GenerationRequest } from '../../src/domain/generation-request.js';
import type { Engine } from '../../src/ports/engine.js';
import { checkOnRoute } from '../../src/services/engine-check.js';
import { boundDirectory } from '../support/bound-catalog.js';
import { startTestApp } from '../support/test-app.js';

const request = { prompt: 'purple elephant dreams' } as GenerationRequest;

/** A registry of engines by name: `refuses` engines refuse everything, `silent` ones have no check. */
function registry(kinds: Record<string, 'refuses' | 'accepts' | 'silent'>) {
  return {
    get(name: string) {
      const kind = kinds[name];
      if (!kind) return undefined;
      const engine = {
        name,
        ...(kind === 'silent' ? {} : { check: () => (kind === 'refuses' ? { field: 'prompt', message: `${name} cannot` } : undefined) }),
      } as unknown as Engine;
      return { engine } as never;
    },
  };
}

test('a request is refused only when every instance of the route refuses it', () => {
  assert.deepEqual(checkOnRoute(registry({ a: 'refuses', b: 'refuses' }), 'a,b', request), { field: 'prompt', message: 'a cannot' });
  assert.equal(checkOnRoute(registry({ a: 'refuses', b: 'accepts' }), 'a,b', request), undefined);
  assert.equal(checkOnRoute(registry({ a: 'refuses', b: 'silent' }), 'a,b', request), undefined);
  assert.equal(checkOnRoute(registry({ a: 'refuses' }), 'a,elsewhere', request), undefined, 'an instance not here may take it');
  assert.equal(checkOnRoute(registry({ a: 'silent' }), 'a', request), undefined);
});

test('queue answers a prompt the effects engine cannot make with a 400 naming what it makes, and holds nothing', async () => {
  const { directory, catalog } = boundDirectory('overture-check-', {
    picks: (model) => model.id === 'overture-sound-effects',
    engine: 'effects',
    keepFormats: true,
  });
  const t = await startTestApp({ directory, env: { OVERTURE_CATALOG: catalog, OVERTURE_ROLE: 'api' } });
  try {
    const balance = async () => (await t.request('GET', '/api/v1/billing/balance', undefined, t.account.admin_key)).json();
    const before = await balance();
    const refused = await t.request('POST', '/api/v1/audio/queue', {
      model: 'overture-sound-effects',
      prompt: 'purple elephant dreams',
      duration_seconds: 3,
    });
    assert.equal(refused.statusCode, 400);
    const body = refused.json();
    assert.equal(body.error, 'Invalid request parameters');
    assert.deepEqual(body.issues[0].path, ['prompt']);
    assert.match(body.issues[0].message, /cannot make this prompt.*animals \(birds, dog, cat/);
    assert.match(body.details.prompt._errors[0], /weather \(rain, wind, thunder\)/);
    assert.deepEqual(await balance(), before, 'nothing held');
    const queued = await t.request('POST', '/api/v1/audio/queue', {
      model: 'overture-sound-effects',
      prompt: 'dog barking twice',
      duration_seconds: 3,
    });
    assert.equal(queued.statusCode, 200, queued.body);
    const tone = await t.request('POST', '/api/v1/audio/queue', {
      model: 'overture-sketch',
      prompt: 'purple elephant dreams',
      duration_seconds: 5,
    });
    assert.equal(tone.statusCode, 200, 'other engines are unaffected');
  } finally {
    await t.close();
  }
});
