import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { measureIntegratedLoudness, measureTruePeakDb } from '../../../src/audio/loudness.js';
import { createMusicEngine } from '../../../src/engines/music/music-engine.js';
import { decodeWav, MemorySink } from '../../support/audio-decode.js';
import { callOptions, musicRequest } from './support/music-request.js';

const engine = createMusicEngine();
after(() => engine.close?.());

async function generate(prompt: string, seed: number) {
  const sink = new MemorySink();
  const result = await engine.generate(musicRequest({ prompt, durationSeconds: 13, seed }), sink, callOptions());
  return { bytes: sink.bytes(), audio: decodeWav(sink.bytes()), result };
}

/** Energy above about 4 kHz relative to the whole signal (mono sum). */
function highShare(channels: readonly Float32Array[]): number {
  const left = channels[0] as Float32Array;
  const right = channels[1] as Float32Array;
  let high = 0;
  let all = 0;
  for (let index = 2; index < left.length - 2; index++) {
    const at = (offset: number) => (left[index + offset] as number) + (right[index + offset] as number);
    const mean = (at(-2) + at(-1) + at(0) + at(1) + at(2)) / 5;
    high += (at(0) - mean) ** 2;
    all += at(0) ** 2;
  }
  return high / all;
}

describe('music prompts as rendered', () => {
  // Textured, solo and ensemble pieces keep the engine's promises: exact length, -14 LUFS, -1 dBTP, same bytes.
  for (const [prompt, seed] of [
    ['dusty lo-fi hip hop with vinyl crackle', 3],
    ['old gramophone swing record', 4],
    ['melancholic solo piano ballad in C minor, 66 BPM', 5],
    ['epic orchestral battle music', 6],
  ] as const) {
    it(`"${prompt}" is exact, mastered and deterministic`, async () => {
      const first = await generate(prompt, seed);
      assert.equal(first.audio.channels[0]?.length, 13 * 44100);
      assert.equal(first.result.durationSeconds, 13);
      const loudness = measureIntegratedLoudness(first.audio);
      assert.ok(Math.abs(loudness + 14) <= 1, `loudness ${loudness}`);
      assert.ok(measureTruePeakDb(first.audio) <= -1, `true peak ${measureTruePeakDb(first.audio)}`);
      const again = await generate(prompt, seed);
      assert.ok(Buffer.from(first.bytes).equals(Buffer.from(again.bytes)), 'same request, same bytes');
    });
  }

  it('a muffled prompt has far less treble than the same prompt clean', async () => {
    const muffled = await generate('house music heard through a wall', 2);
    const clean = await generate('house music, clean and crisp', 2);
    const [dull, bright] = [highShare(muffled.audio.channels), highShare(clean.audio.channels)];
    assert.ok(dull < bright * 0.1, `treble share ${dull} against ${bright}`);
  });
});
