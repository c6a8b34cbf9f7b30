import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeForRequest } from '../../src/engines/music/music-engine.js';
import { renderScore } from '../../src/engines/music/render/render-score.js';

async function render(originalReverb: boolean): Promise<Float32Array[]> {
  const score = composeForRequest({ prompt: 'dreamy ambient with strings and piano', durationSeconds: 6, seed: 5, loop: false });
  const frames = 6 * 44100;
  const out = [new Float32Array(frames), new Float32Array(frames)];
  await renderScore(score, {
    sampleRate: 44100,
    frames,
    originalReverb,
    onBlock: (left, right, start) => {
      out[0]?.set(left, start);
      out[1]?.set(right, start);
    },
  });
  return out;
}

describe('fast reverb', () => {
  it('renders bit-identical audio to spessasynth_core own reverb routine', async () => {
    const [fast, original] = [await render(false), await render(true)];
    for (const channel of [0, 1]) {
      const a = fast[channel] as Float32Array;
      const b = original[channel] as Float32Array;
      assert.ok(a.some((value) => value !== 0));
      assert.ok(Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer)) === 0, `channel ${channel} differs`);
    }
  });
});
