import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ApiError } from '../../src/domain/api-error.js';
import { parseCatalog } from '../../src/domain/catalog.js';
import type { CatalogModel } from '../../src/domain/model-spec.js';
import { queueBodySchema, quoteBodySchema } from '../../src/domain/request-schemas.js';
import { validateQueue, validateQuote } from '../../src/domain/validate-request.js';
import { parseOrThrow } from '../../src/domain/validation-error.js';

const data = JSON.parse(readFileSync(new URL('../../catalogs/default.json', import.meta.url), 'utf8'));
const engines = new Map(['music', 'effects', 'speech', 'tone'].map((name) => [name, { formats: ['mp3', 'wav', 'flac', 'opus', 'pcm'] }]));
const catalog = parseCatalog(data, engines);
const find = (id: string) => catalog.find(id) as CatalogModel;

function rejects(work: () => unknown, field: string): ApiError {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.status, 400);
    const body = error.body() as unknown as { error: string; details: Record<string, { _errors: string[] }>; issues: { path: string[] }[] };
    assert.equal(body.error, 'Invalid request parameters');
    assert.ok(
      body.issues.some((issue) => issue.path.join('.') === field),
      JSON.stringify(body.issues),
    );
    if (field) assert.ok(body.details[field]?._errors.length, JSON.stringify(body.details));
    else assert.ok((body.details as unknown as { _errors: string[] })._errors.length > 0);
    return error;
  }
  assert.fail('expected a 400');
}

const queue = (body: object) => parseOrThrow(queueBodySchema, body);

test('unknown fields are a 400 with the contract body', () => {
  rejects(() => queue({ model: 'overture-music', prompt: 'a calm piano piece', format: 'mp3' }), '');
  rejects(() => parseOrThrow(quoteBodySchema, { model: 'overture-music', prompt: 'hello there' }), '');
});

test('a field the model does not support is a 400 even as false', () => {
  rejects(
    () =>
      validateQueue(
        find('overture-song'),
        queue({ model: 'overture-song', prompt: 'a calm piano piece', lyrics_prompt: 'la la', force_instrumental: false }),
      ),
    'force_instrumental',
  );
  rejects(
    () => validateQueue(find('overture-music-pro'), queue({ model: 'overture-music-pro', prompt: 'a calm piano piece', loop: false })),
    'loop',
  );
  rejects(() => validateQueue(find('overture-music'), queue({ model: 'overture-music', prompt: 'a calm piano piece', speed: 1 })), 'speed');
});

test('durations: digit strings, ranges and options', () => {
  const music = find('overture-music');
  assert.equal(
    validateQueue(music, queue({ model: 'overture-music', prompt: 'a calm piano piece', duration_seconds: '42' })).durationSeconds,
    42,
  );
  assert.equal(validateQueue(music, queue({ model: 'overture-music', prompt: 'a calm piano piece' })).durationSeconds, 60, 'default');
  rejects(() => queue({ model: 'overture-music', prompt: 'a calm piano piece', duration_seconds: '4.5' }), 'duration_seconds');
  rejects(() => queue({ model: 'overture-music', prompt: 'a calm piano piece', duration_seconds: -3 }), 'duration_seconds');
  rejects(
    () => validateQueue(music, queue({ model: 'overture-music', prompt: 'a calm piano piece', duration_seconds: 601 })),
    'duration_seconds',
  );
  const pro = find('overture-music-pro');
  rejects(
    () => validateQueue(pro, queue({ model: 'overture-music-pro', prompt: 'a calm piano piece', duration_seconds: 45 })),
    'duration_seconds',
  );
  assert.equal(
    validateQueue(pro, queue({ model: 'overture-music-pro', prompt: 'a calm piano piece', duration_seconds: 240 })).durationSeconds,
    240,
  );
  rejects(
    () =>
      validateQueue(
        find('overture-song'),
        queue({ model: 'overture-song', prompt: 'a calm piano piece', lyrics_prompt: 'hi', duration_seconds: 30 }),
      ),
    'duration_seconds',
  );
});

test('prompt length, lyrics rules, voices and speed', () => {
  const music = find('overture-music');
  rejects(() => validateQueue(music, queue({ model: 'overture-music', prompt: '   short   ' })), 'prompt');
  rejects(() => validateQueue(find('overture-song'), queue({ model: 'overture-song', prompt: 'a calm piano piece' })), 'lyrics_prompt');
  rejects(
    () => validateQueue(find('overture-sound-effects'), queue({ model: 'overture-sound-effects', prompt: 'rain', lyrics_prompt: 'x' })),
    'lyrics_prompt',
  );
  rejects(
    () =>
      validateQueue(
        music,
        queue({ model: 'overture-music', prompt: 'a calm piano piece', lyrics_optimizer: true, lyrics_prompt: 'words here' }),
      ),
    'lyrics_optimizer',
  );
  assert.equal(
    validateQueue(music, queue({ model: 'overture-music', prompt: 'a calm piano piece', lyrics_optimizer: true, lyrics_prompt: '' }))
      .lyricsOptimizer,
    true,
  );
  rejects(() => validateQueue(music, queue({ model: 'overture-music', prompt: 'a calm piano piece', voice: 'nobody' })), 'voice');
  const narrator = find('overture-narrator');
  rejects(() => validateQueue(narrator, queue({ model: 'overture-narrator', prompt: 'Hello.', speed: 3 })), 'speed');
  rejects(() => queue({ model: 'overture-narrator', prompt: 'Hello.', speed: 5 }), 'speed');
  const ok = validateQueue(narrator, queue({ model: 'overture-narrator', prompt: '  Hello world.  ', speed: 1.5, language_code: 'DE' }));
  assert.deepEqual([ok.prompt, ok.speed, ok.languageCode, ok.voice, ok.characterCount], ['Hello world.', 1.5, 'de', 'ava', 12]);
});

test('quote needs character_count for per-character models, within the prompt limit', () => {
  rejects(() => validateQuote(find('overture-narrator'), { model: 'overture-narrator' }), 'character_count');
  rejects(() => validateQuote(find('overture-narrator'), { model: 'overture-narrator', character_count: 100_001 }), 'character_count');
  rejects(() => validateQuote(find('overture-song'), { model: 'overture-song', duration_seconds: 30 }), 'duration_seconds');
  validateQuote(find('overture-narrator'), { model: 'overture-narrator', character_count: 20_000 });
});

test('catalog validation names every problem', () => {
  const broken = structuredClone(data);
  broken.models[0].engine = 'nowhere';
  broken.models[1].model_spec.default_format = 'wav';
  broken.models.push(structuredClone(broken.models[2]));
  assert.throws(
    () => parseCatalog(broken, engines),
    (error: Error) =>
      /engine "nowhere" does not exist/.test(error.message) && /default_format/.test(error.message) && /duplicate id/.test(error.message),
  );
  assert.throws(() => parseCatalog({ models: [{ id: 'Bad Id' }] }, engines), /models\.0\.id/);
});
