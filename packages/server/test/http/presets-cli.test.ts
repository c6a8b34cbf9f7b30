import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { loadCatalog } from '../../src/app/catalog-loader.js';
import { openEngines } from '../../src/engines/engine-adapters.js';
import { gatedAppOptions } from '../support/bound-catalog.js';
import { startTestApp } from '../support/test-app.js';

const run = promisify(execFile);
const bin = resolve(import.meta.dirname, '../../bin/overture.js');

test('both presets validate against the built-in engines', () => {
  const engines = openEngines({
    enginesFile: undefined,
    threads: false,
    env: {},
    now: Date.now,
    requestTimeoutMs: 1000,
    maxResponseBytes: 1024,
  }).descriptions();
  const preset = loadCatalog('default', engines);
  const flags = [
    'supports_lyrics',
    'lyrics_required',
    'supports_lyrics_optimizer',
    'supports_force_instrumental',
    'supports_loop',
    'supports_speed',
    'supports_language_code',
  ] as const;
  for (const flag of flags)
    assert.ok(
      preset.models.some((model) => model.model_spec[flag] === true),
      `default covers ${flag}`,
    );
  const shapes = new Set(preset.models.map((model) => Object.keys(model.model_spec.pricing)[0]));
  assert.deepEqual([...shapes].sort(), ['durations', 'generation', 'input', 'per_second', 'per_thousand_characters']);
  assert.ok(preset.models.some((model) => model.pro_only));
  const venice = loadCatalog('venice', engines);
  for (const id of ['tts-kokoro', 'elevenlabs-music', 'minimax-music-v2', 'ace-step-15', 'elevenlabs-sound-effects-v2', 'stable-audio-25'])
    assert.ok(venice.find(id), id);
  assert.equal(venice.find('tts-kokoro')?.model_spec.default_voice, 'af_sky');
  assert.equal(venice.models.length, 25);
});

test('the venice preset prices like Venice', async () => {
  const t = await startTestApp({ env: { OVERTURE_CATALOG: 'venice' } });
  try {
    const quote = async (body: object) => (await t.request('POST', '/api/v1/audio/quote', body, null)).json();
    assert.deepEqual(await quote({ model: 'elevenlabs-music', duration_seconds: 60 }), { quote: 0.69 });
    assert.deepEqual(await quote({ model: 'elevenlabs-music', duration_seconds: 61 }), { quote: 1.38 });
    assert.deepEqual(await quote({ model: 'elevenlabs-sound-effects-v2' }), { quote: 0.0161 });
    assert.deepEqual(await quote({ model: 'elevenlabs-tts-v3', character_count: 1000 }), { quote: 0.115 });
    assert.deepEqual(await quote({ model: 'minimax-music-v2' }), { quote: 0.04 });
    const lyricsMissing = await t.request('POST', '/api/v1/audio/queue', { model: 'minimax-music-v2', prompt: 'a synthwave anthem' });
    assert.equal(lyricsMissing.statusCode, 400);
  } finally {
    await t.close();
  }
});

test('CLI: accounts create and credit work on the live database', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'overture-cli-'));
  const env = { ...process.env, OVERTURE_DATA_DIR: directory, LOG_LEVEL: 'silent' };
  try {
    const t = await startTestApp({ directory, keepDirectory: true });
    const created = await run(process.execPath, [bin, 'accounts', 'create', '--name', 'shop', '--usd', '2.5', '--pro'], { env });
    const account = JSON.parse(created.stdout);
    assert.deepEqual(Object.keys(account).sort(), ['account_id', 'admin_key', 'inference_key']);
    await run(process.execPath, [bin, 'accounts', 'credit', account.account_id, '--usd', '1.25'], { env });
    const balance = (await t.request('GET', '/api/v1/billing/balance', undefined, account.admin_key)).json();
    assert.equal(balance.balances.usd, 3.75, 'the running server sees what the CLI wrote');
    await assert.rejects(run(process.execPath, [bin, 'accounts', 'credit', 'nobody', '--usd', '1'], { env }), /No account nobody/);
    await assert.rejects(run(process.execPath, [bin, 'accounts', 'create'], { env }), /--name/);
    await t.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('graceful shutdown gives a running job back to the queue; the next start runs it', async () => {
  const { fakes, options } = gatedAppOptions('overture-shutdown-', (model) => model.id === 'overture-sketch', { wavDefault: false });
  const env = { ...options.env, OVERTURE_SHUTDOWN_GRACE_SECONDS: '0.2' };
  const first = await startTestApp({ ...options, env, keepDirectory: true });
  const { queue_id } = (
    await first.request('POST', '/api/v1/audio/queue', { model: 'overture-sketch', prompt: 'tiny', duration_seconds: 1 })
  ).json();
  for (let i = 0; i < 3000 && fakes.waitingCount() === 0; i++) await new Promise((r) => setTimeout(r, 10));
  await first.close();
  const second = await startTestApp({ ...options, env });
  try {
    for (let i = 0; i < 3000 && fakes.waitingCount() < 2; i++) await new Promise((r) => setTimeout(r, 10));
    fakes.release();
    const { waitForMedia } = await import('../support/test-app.js');
    assert.equal((await waitForMedia(second, 'overture-sketch', queue_id, first.account.inference_key)).statusCode, 200);
    const owner = (await second.app.store.accounts.findKeyByHash(
      (await import('../../src/services/api-keys.js')).hashKey(first.account.inference_key),
    ))!;
    assert.equal((await second.app.store.jobs.getJob(owner.account.id, queue_id))?.attempt, 1, 'the returned attempt was not counted');
  } finally {
    await second.close();
  }
});
