import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/app/config.js';
import { createApp } from '../../src/app/create-app.js';
import { CircuitBreaker } from '../../src/domain/circuit-breaker.js';
import { openEngines } from '../../src/engines/engine-adapters.js';
import { toneCatalogFile } from '../support/test-app.js';

const setup = { threads: false, now: Date.now, requestTimeoutMs: 1000, maxResponseBytes: 1024 };

function enginesFile(data: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'overture-engines-')), 'engines.json');
  writeFileSync(path, JSON.stringify(data));
  return path;
}

test('an engines file is validated at start with every problem listed', () => {
  const path = enginesFile({
    engines: {
      'Bad Name': { adapter: 'tone' },
      gpu: { adapter: 'ace-step-9000', url: 'http://127.0.0.1:1' },
      kokoro: { adapter: 'openai-speech', api_key_env: 'KOKORO_KEY_MISSING' },
      sized: { adapter: 'venice', url: 'ftp://x', concurrency: 0 },
    },
  });
  assert.throws(
    () => openEngines({ ...setup, enginesFile: path, env: {} }),
    (error: Error) => /engines\.Bad Name/.test(error.message) && /url/.test(error.message) && /concurrency/.test(error.message),
  );
  const second = enginesFile({
    engines: {
      gpu: { adapter: 'ace-step-9000', url: 'http://127.0.0.1:1' },
      kokoro: { adapter: 'openai-speech', api_key_env: 'KOKORO_KEY_MISSING' },
    },
  });
  assert.throws(
    () => openEngines({ ...setup, enginesFile: second, env: {} }),
    (error: Error) =>
      /gpu\.adapter: unknown adapter "ace-step-9000"/.test(error.message) &&
      /KOKORO_KEY_MISSING is not set/.test(error.message) &&
      /kokoro: .*needs a url/.test(error.message),
  );
});

test('built-in engines are instances of the same registry; the file may re-size one or add a remote one', () => {
  const path = enginesFile({
    engines: {
      music: { adapter: 'music', concurrency: 3 },
      kokoro: { adapter: 'openai-speech', url: 'http://127.0.0.1:8880/v1/', api_key_env: 'KOKORO_KEY' },
    },
  });
  const registry = openEngines({ ...setup, enginesFile: path, env: { KOKORO_KEY: 'secret' } });
  const status = new Map(registry.status().map((it) => [it.name, it]));
  assert.deepEqual([...status.keys()].sort(), ['effects', 'kokoro', 'music', 'speech', 'test', 'tone']);
  assert.equal(status.get('music')?.concurrency, 3);
  assert.equal(status.get('kokoro')?.remote, true);
  assert.equal(status.get('speech')?.remote, false);
});

test('a catalog row may not claim what its engine cannot honour, and may name a failover list', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'overture-claims-'));
  const engines = enginesFile({ engines: { kokoro: { adapter: 'openai-speech', url: 'http://127.0.0.1:8880/v1' } } });
  const catalog = toneCatalogFile(directory, (model) => {
    if (model.id === 'overture-music') model.engine = ['kokoro', 'music'];
    if (model.id === 'overture-tts') model.engine = ['kokoro', 'speech'];
  });
  const config = loadConfig({ OVERTURE_DATA_DIR: directory, OVERTURE_CATALOG: catalog, OVERTURE_ENGINES: engines, LOG_LEVEL: 'silent' });
  await assert.rejects(
    createApp(config),
    (error: Error) =>
      /overture-music: model_spec claims lyrics, which engine "kokoro" cannot honour/.test(error.message) &&
      /overture-music: model_spec claims force_instrumental, which engine "kokoro" cannot honour/.test(error.message) &&
      !/overture-tts/.test(error.message),
  );
});

test('a circuit opens after consecutive failures, lets one trial through after its cooldown, and closes on success', () => {
  const breaker = new CircuitBreaker({ failures: 2, cooldownMs: 1000 });
  assert.ok(breaker.begin(0));
  breaker.failed(0);
  assert.equal(breaker.state(0), 'closed');
  breaker.failed(10);
  assert.equal(breaker.state(500), 'open');
  assert.equal(breaker.begin(500), false);
  assert.equal(breaker.state(1010), 'half_open');
  assert.ok(breaker.begin(1010));
  assert.equal(breaker.begin(1011), false, 'one trial at a time');
  breaker.failed(1020);
  assert.equal(breaker.state(1500), 'open', 'a failed trial opens it again');
  assert.ok(breaker.begin(2020));
  breaker.succeeded();
  assert.equal(breaker.state(2021), 'closed');
  assert.ok(breaker.begin(2021) && breaker.begin(2021), 'closed: any number of calls');
});

test('the server package exports createApp and the engine port from the file its main names', async () => {
  const directory = resolve(import.meta.dirname, '../..');
  const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
  const main = join(directory, manifest.main);
  assert.ok(existsSync(main), `${manifest.main} exists (built by npm run build / the typecheck)`);
  const library = await import(main);
  assert.equal(typeof library.createApp, 'function');
  assert.equal(typeof library.EngineRejection, 'function');
  assert.equal(typeof library.ENGINE_ADAPTERS['openai-speech'].create, 'function');
});

/** The credentials the example engines file names in `api_key_env`. */
const EXAMPLE_KEYS = {
  VENICE_API_KEY: 'example',
  ELEVENLABS_API_KEY: 'example',
  ACESTEP_API_KEY: 'example',
  FAL_KEY: 'example',
  REPLICATE_API_TOKEN: 'example',
};

test('the documented example engines file and gateway catalog start a server', async () => {
  const examples = resolve(import.meta.dirname, '../../../../examples');
  const directory = mkdtempSync(join(tmpdir(), 'overture-examples-'));
  let engines = join(examples, 'engines.json');
  const onPath = (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, 'espeak-ng')));
  if (!onPath) {
    // The `espeak` instance's program is checked at start: without espeak-ng, name one that exists.
    const data = JSON.parse(readFileSync(engines, 'utf8'));
    data.engines.espeak.options.program = process.execPath;
    engines = enginesFile(data);
  }
  const config = loadConfig({
    OVERTURE_DATA_DIR: directory,
    OVERTURE_CATALOG: join(examples, 'gateway-catalog.json'),
    OVERTURE_ENGINES: engines,
    OVERTURE_ENGINE_THREADS: 'false',
    LOG_LEVEL: 'silent',
  });
  const app = await createApp(config, { env: EXAMPLE_KEYS });
  try {
    const models = (await app.http.inject({ method: 'GET', url: '/api/v1/models' })).json();
    assert.deepEqual(models.data.map((row: { id: string }) => row.id).sort(), [
      'ace-step-15-turbo',
      'eleven-multilingual-v2',
      'eleven-music',
      'elevenlabs-music',
      'musicgen-replicate',
      'musicgen-stereo-large',
      'stable-audio-25',
      'stable-audio-open',
      'tts-espeak',
      'tts-kokoro',
    ]);
    const names = app.engines.status().map((it) => it.name);
    const instances = [
      'kokoro-gpu-1',
      'kokoro-gpu-2',
      'venice',
      'espeak',
      'eleven',
      'ace-step-gpu-3',
      'fal',
      'musicgen-gpu-4',
      'replicate',
    ];
    for (const name of [...instances, 'music', 'speech']) assert.ok(names.includes(name), name);
  } finally {
    await app.close();
  }
});
