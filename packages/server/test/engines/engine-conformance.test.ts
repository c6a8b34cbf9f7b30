/**
 * Every engine Overture ships, through the one conformance suite (engine-conformance.ts): the
 * built-in engines in this thread and one on a thread of its own, and the remote adapters
 * against their fake upstreams. Music runs at its shortest length (5 s: it lengthens anything
 * shorter), in every format: a 5 s piece renders in well under a second.
 */
import { BUILTIN_ADAPTERS } from '../../src/engines/builtin-engines.js';
import { openaiSpeechAdapter } from '../../src/engines/openai-speech/openai-speech-adapter.js';
import { veniceAdapter } from '../../src/engines/venice/venice-adapter.js';
import type { EngineRequest } from '../../src/ports/engine.js';
import type { EngineAdapter } from '../../src/ports/engine-adapter.js';
import { createEngine as create, instanceSettings as settings, musicRequest as queued, remoteSettings } from '../support/engine-harness.js';
import { startFakeOpenAiSpeech } from '../support/fake-openai-speech-server.js';
import { QUEUE_FIELDS, startFakeVenice } from '../support/fake-venice-server.js';
import { subjectOf } from './conformance-subject.js';
import { engineConformance } from './engine-conformance.js';

const builtin = (name: string): EngineAdapter => BUILTIN_ADAPTERS[name] as EngineAdapter;

/** Three sentences: speech engines speak (and report progress) sentence by sentence. */
const SPEECH = 'The quick brown fox jumps over the lazy dog. It was a bright cold day in April. The clocks were striking thirteen.';

/** A synchronous (`tts` row) request. */
const spoken = (overrides: Partial<EngineRequest> = {}): EngineRequest =>
  queued({ modelId: 'conformance-tts', modelType: 'tts', prompt: SPEECH, durationSeconds: undefined, ...overrides });

/** About 600 characters: several narration parts at `max_characters: 200`. */
const NARRATION = Array.from(
  { length: 8 },
  (_, i) => `Part ${i + 1} of the story follows a long road through the hills, towards the sea at dusk.`,
).join(' ');

/** Tone's abort handling: it checks the signal between bars only, never once the render is done. */
engineConformance('tone (built-in, in this thread)', async () =>
  subjectOf(create(builtin('tone'), settings('tone')), { request: queued(), timing: 'duration' }),
);

engineConformance('effects (built-in)', async () =>
  subjectOf(create(builtin('effects'), settings('effects')), {
    request: queued({ prompt: 'rain on a tin roof with distant thunder' }),
    timing: 'duration',
    refuse: { prompt: 'purple elephant dreams' },
  }),
);

engineConformance('speech (built-in)', async () =>
  subjectOf(create(builtin('speech'), settings('speech')), { request: spoken(), timing: 'speech', refuse: { prompt: '... --- ...' } }),
);

engineConformance('music (built-in, 5 s pieces)', async () =>
  subjectOf(create(builtin('music'), settings('music', { concurrency: 1 })), {
    request: queued({ durationSeconds: 5 }),
    timing: 'duration',
    durations: [5, 6],
  }),
);

engineConformance('tone on a thread of its own', async () =>
  subjectOf(create(builtin('tone'), settings('tone-threaded'), true), { request: queued(), timing: 'duration' }),
);

engineConformance('openai-speech as tts, against its fake', async () => {
  const upstream = await startFakeOpenAiSpeech({ secondsPerCharacter: 0.01 });
  const engine = create(openaiSpeechAdapter, settings('kokoro', { url: upstream.url }));
  const request = spoken({ options: { model: 'kokoro' }, voice: 'af_heart' });
  return subjectOf(engine, { request, timing: 'speech', refuse: { voice: 'nobody' } }, upstream.close);
});

engineConformance('openai-speech as narration (music rows), against its fake', async () => {
  const upstream = await startFakeOpenAiSpeech({ secondsPerCharacter: 0.004 });
  const engine = create(openaiSpeechAdapter, settings('kokoro-narration', { url: upstream.url, options: { max_characters: 200 } }));
  const request = queued({ options: { model: 'kokoro' }, voice: 'af_heart', prompt: NARRATION, durationSeconds: undefined });
  return subjectOf(engine, { request, timing: 'speech', refuse: { prompt: '... --- ...' } }, upstream.close);
});

/** Queue fields of a fake model that cannot loop: a `loop` it is sent is a 400. */
const NO_LOOP = QUEUE_FIELDS.filter((field) => field !== 'loop');

const veniceSettings = (url: string) => remoteSettings('gateway', url, { apiKey: 'test-key' });

engineConformance('venice queued (music rows), against its fake', async () => {
  const upstream = await startFakeVenice({ apiKey: 'test-key', supports: NO_LOOP });
  const engine = create(veniceAdapter, veniceSettings(upstream.url));
  const request = queued({ options: { model: 'upstream-music' } });
  return subjectOf(engine, { request, timing: 'duration', refuse: { loop: true } }, upstream.close);
});

engineConformance('venice speech (tts rows), against its fake', async () => {
  const upstream = await startFakeVenice({ apiKey: 'test-key' });
  const engine = create(veniceAdapter, veniceSettings(upstream.url));
  const request = spoken({ options: { model: 'tts-upstream' }, voice: 'af_sky' });
  return subjectOf(engine, { request, timing: 'speech', refuse: { prompt: '' } }, upstream.close);
});
