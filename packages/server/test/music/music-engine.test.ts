import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { measureIntegratedLoudness, measureTruePeakDb } from '../../src/audio/loudness.js';
import { createMusicEngine } from '../../src/engines/music/music-engine.js';
import { callOptions, collectingSink, musicRequest, readWav } from './support/collect.js';
import { estimateTempo } from './support/tempo-estimate.js';

const engine = createMusicEngine();
after(() => engine.close?.());

async function generate(overrides: Parameters<typeof musicRequest>[0]) {
  const sink = collectingSink();
  const options = callOptions();
  const result = await engine.generate(musicRequest(overrides), sink, options);
  return { bytes: sink.bytes(), audio: readWav(sink.bytes()), result, stages: options.stages };
}

describe('music engine', () => {
  it('renders the exact length, mastered to -14 LUFS and -1 dBTP, at the asked tempo', async () => {
    const { audio, result, stages } = await generate({ prompt: 'driving techno at 128 BPM', durationSeconds: 13, seed: 4 });
    assert.equal(audio.sampleRate, 44100);
    assert.equal(audio.channels.length, 2);
    assert.equal(audio.channels[0]?.length, 13 * 44100);
    assert.equal(result.durationSeconds, 13);
    const loudness = measureIntegratedLoudness(audio);
    assert.ok(Math.abs(loudness + 14) <= 1, `loudness ${loudness}`);
    assert.ok(measureTruePeakDb(audio) <= -1, `true peak ${measureTruePeakDb(audio)}`);
    const tempo = estimateTempo(audio);
    assert.ok(Math.abs(tempo - 128) / 128 <= 0.02, `tempo ${tempo}`);
    assert.deepEqual(stages, ['compose', 'render', 'master', 'encode']);
  });

  it('finds a different explicit tempo too', async () => {
    const { audio } = await generate({ prompt: 'deep house groove, 100 bpm', durationSeconds: 10, seed: 9 });
    const tempo = estimateTempo(audio);
    assert.ok(Math.abs(tempo - 100) / 100 <= 0.02, `tempo ${tempo}`);
  });

  it('gives the same bytes for the same request (also when split across threads) and different music otherwise', async () => {
    const request = { prompt: 'happy indie folk with acoustic guitar', durationSeconds: 14, seed: 21 };
    const first = await generate(request);
    const second = await generate(request);
    assert.ok(Buffer.compare(first.bytes, second.bytes) === 0);
    const other = await generate({ ...request, prompt: 'dark orchestral cinematic' });
    assert.equal(other.bytes.length, first.bytes.length);
    assert.notEqual(Buffer.compare(first.bytes, other.bytes), 0);
  });

  it('makes seamless loops of the exact length that start with sound', async () => {
    const { audio } = await generate({ prompt: 'chill lofi beat', durationSeconds: 8, loop: true, seed: 2 });
    const left = audio.channels[0] as Float32Array;
    assert.equal(left.length, 8 * 44100);
    const rms = (from: number, to: number) =>
      Math.sqrt(left.subarray(from, to).reduce((sum, value) => sum + value * value, 0) / (to - from));
    const window = 22050;
    assert.ok(rms(0, 441) > 0.003, 'the loop starts with sound, no fade-in');
    assert.ok(rms(left.length - window, left.length) > 0.01, 'no fade-out at the loop point');
  });

  it('stops with an AbortError when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      engine.generate(musicRequest({ durationSeconds: 30 }), collectingSink(), callOptions(controller.signal)),
      (error: Error) => error.name === 'AbortError',
    );
  });
});
