import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PCM_SAMPLE_RATE } from '../../src/audio/encode-audio.js';
import { BUILTIN_ADAPTERS } from '../../src/engines/builtin-engines.js';
import { createSpeechEngine } from '../../src/engines/speech/speech-engine.js';
import { threadedEngine } from '../../src/engines/thread/engine-thread.js';
import { createToneEngine } from '../../src/engines/tone/tone-engine.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const opened: { close?: () => Promise<void> }[] = [];
const apps: TestApp[] = [];
after(async () => {
  await Promise.all(opened.map((engine) => engine.close?.()));
  await Promise.all(apps.map((app) => app.close()));
});

test('the speech engine says at which rate it writes pcm, on its thread and as an instance too', () => {
  const speech = createSpeechEngine({ preload: false });
  const threaded = threadedEngine(speech);
  const settings = { name: 'voice-1', url: undefined, apiKey: undefined, concurrency: 2, requestTimeoutMs: 1000, maxResponseBytes: 1000 };
  const instance = BUILTIN_ADAPTERS.speech?.create({ ...settings, options: {} }, { threads: true, fetch });
  opened.push(threaded, ...(instance ? [instance] : []));
  assert.deepEqual(
    [speech.pcmSampleRate, threaded.pcmSampleRate, instance?.pcmSampleRate],
    [PCM_SAMPLE_RATE, PCM_SAMPLE_RATE, PCM_SAMPLE_RATE],
  );
});

test("/audio/speech tells the client the pcm rate of the engine that spoke, else the encoders' rate", async () => {
  for (const [pcmSampleRate, expected] of [
    [16_000, '16000'],
    [undefined, String(PCM_SAMPLE_RATE)],
  ] as const) {
    const app = await startTestApp({ parts: { engines: [{ ...createToneEngine(), pcmSampleRate }] } });
    apps.push(app);
    const answer = await app.request('POST', '/api/v1/audio/speech', {
      model: 'overture-tts',
      input: 'Hello there.',
      response_format: 'pcm',
    });
    assert.equal(answer.statusCode, 200);
    assert.equal(answer.headers['x-audio-sample-rate'], expected);
  }
});
