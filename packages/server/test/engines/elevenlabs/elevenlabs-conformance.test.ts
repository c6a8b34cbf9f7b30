/**
 * The elevenlabs adapter through the engine conformance suite (engine-conformance.ts), against its
 * fake (fake-elevenlabs-server.ts): music (`/v1/music`), sound effects (`/v1/sound-generation`)
 * and speech (`/v1/text-to-speech/{voice}/stream`).
 */
import { elevenlabsAdapter } from '../../../src/engines/elevenlabs/elevenlabs-adapter.js';
import type { EngineRequest } from '../../../src/ports/engine.js';
import { createEngine, instanceSettings, musicRequest } from '../../support/engine-harness.js';
import { startFakeElevenLabs } from '../../support/fake-elevenlabs-server.js';
import { type ConformanceSubject, engineConformance } from '../engine-conformance.js';

const VOICE = '21m00Tcm4TlvDq8ikWAM';

async function subject(request: EngineRequest, reject: ConformanceSubject['reject'], extra: Partial<ConformanceSubject> = {}) {
  const upstream = await startFakeElevenLabs({ apiKey: 'xi-key', secondsPerCharacter: 0.01 });
  const options = { busy_retry_seconds: 0.02, system_busy_seconds: 0.05 };
  const engine = createEngine(elevenlabsAdapter, instanceSettings('eleven', { url: upstream.url, apiKey: 'xi-key', options }));
  return { engine, request, reject, close: upstream.close, ...extra } as ConformanceSubject;
}

const music = (overrides: Partial<EngineRequest> = {}): EngineRequest =>
  musicRequest({
    modelId: 'eleven-music',
    options: { model: 'music_v1' },
    prompt: 'a calm piano piece, warm pads',
    durationSeconds: 3,
    ...overrides,
  });

// ElevenLabs Music makes 3 s at least; its MP3 (converted for the other formats) keeps the coder's
// delay and frame padding: 30 ms at 3 s and 15 ms at 5 s, within the suite's 50 ms.
engineConformance('elevenlabs music, against its fake', () =>
  subject(music(), { request: music({ durationSeconds: 2 }), kind: 'invalid_input' }, { timing: 'duration', durations: [3, 5] }),
);

engineConformance('elevenlabs sound effects, against its fake', () => {
  const effect = music({ options: { kind: 'sound_effects' }, prompt: 'rain on a tin roof', durationSeconds: 2 });
  return subject(effect, { request: { ...effect, durationSeconds: 31 }, kind: 'invalid_input' }, { timing: 'duration', durations: [1, 2] });
});

engineConformance('elevenlabs speech (tts rows), against its fake', () => {
  const speech = music({
    modelId: 'eleven-tts',
    modelType: 'tts',
    options: { model: 'eleven_multilingual_v2' },
    prompt: 'The quick brown fox jumps over the lazy dog. It was a bright cold day in April.',
    durationSeconds: undefined,
    voice: VOICE,
  });
  return subject(speech, { request: { ...speech, speed: 2 }, kind: 'invalid_input' }, { timing: 'speech' });
});
