import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/app/config.js';
import { openEngines } from '../../src/engines/engine-adapters.js';
import type { EngineRegistry } from '../../src/engines/engine-registry.js';
import { EnginesFileError } from '../../src/engines/engines-file.js';
import { startTestApp } from '../support/test-app.js';

const setup = { threads: true, now: Date.now, requestTimeoutMs: 1000, maxResponseBytes: 1024, env: {} };

/** How many slots `name` hands out before it refuses one (bounded by 100). */
function slotsOf(registry: EngineRegistry, name: string): number {
  const taken = [];
  for (let slot = registry.take([name]); slot && taken.length < 100; slot = registry.take([name])) taken.push(slot);
  for (const slot of taken) slot.finish('neutral');
  return taken.length;
}

test('OVERTURE_ENGINE_CONCURRENCY reads name=N pairs into a frozen map; unset is empty', () => {
  const config = loadConfig({ OVERTURE_ENGINE_CONCURRENCY: ' music=2, speech=6 ,gpu-1.a=10000' });
  assert.deepEqual(config.engineConcurrency, { music: 2, speech: 6, 'gpu-1.a': 10_000 });
  assert.ok(Object.isFrozen(config.engineConcurrency));
  assert.deepEqual(loadConfig({}).engineConcurrency, {});
});

test('a malformed OVERTURE_ENGINE_CONCURRENCY stops the start with the setting and the part named', () => {
  for (const [text, expected] of [
    ['music', /"music"/],
    ['music=0', /N from 1 to 10000.*"music=0"/],
    ['music=10001', /"music=10001"/],
    ['music=two', /"music=two"/],
    ['music=1.5', /"music=1.5"/],
    ['Music=2', /"Music=2"/],
    ['music=2,music=3', /names music twice/],
    ['constructor=1,constructor=2', /names constructor twice/],
  ] as const)
    assert.throws(
      () => loadConfig({ OVERTURE_ENGINE_CONCURRENCY: text }),
      (error: Error) => error instanceof ConfigError && /OVERTURE_ENGINE_CONCURRENCY/.test(error.message) && expected.test(error.message),
      text,
    );
});

test('a resized built-in engine hands out exactly that many slots; the others keep their defaults', async () => {
  const defaults = openEngines({ ...setup, enginesFile: undefined });
  const resized = openEngines({ ...setup, enginesFile: undefined, concurrency: { speech: 2, music: 3 } });
  try {
    assert.deepEqual(
      ['music', 'speech', 'effects', 'tone'].map((name) => slotsOf(defaults, name)),
      [1, 4, 2, 2],
    );
    assert.equal(slotsOf(resized, 'speech'), 2);
    assert.equal(slotsOf(resized, 'music'), 3);
    assert.equal(slotsOf(resized, 'effects'), 2);
    assert.equal(resized.concurrency(['speech']), 2);
    assert.equal(resized.status().find((instance) => instance.name === 'speech')?.concurrency, 2);
  } finally {
    await Promise.all([defaults.close(), resized.close()]);
  }
});

test('the setting resizes an instance of the engines file too, and names no instance that does not exist', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'overture-concurrency-'));
  const enginesFile = join(directory, 'engines.json');
  writeFileSync(enginesFile, JSON.stringify({ engines: { 'tone-b': { adapter: 'tone', concurrency: 1 } } }));
  const registry = openEngines({ ...setup, enginesFile, concurrency: { 'tone-b': 3 } });
  try {
    assert.equal(slotsOf(registry, 'tone-b'), 3);
    assert.throws(
      () => openEngines({ ...setup, enginesFile, concurrency: { musik: 2, speech: 1 } }),
      (error: Error) =>
        error instanceof EnginesFileError && /names no engine instance: musik \(/.test(error.message) && /tone-b/.test(error.message),
    );
  } finally {
    await registry.close();
    rmSync(directory, { recursive: true, force: true });
  }
});

test('a server started with the setting runs its engines at those sizes', async () => {
  const server = await startTestApp({ env: { OVERTURE_ENGINE_CONCURRENCY: 'tone=5,speech=2' } });
  try {
    const sizes = Object.fromEntries(server.app.engines.status().map((instance) => [instance.name, instance.concurrency]));
    assert.equal(sizes.tone, 5);
    assert.equal(sizes.speech, 2);
    assert.equal(sizes.music, 1);
  } finally {
    await server.close();
  }
});
