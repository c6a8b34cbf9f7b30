import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeForRequest } from '../../../src/engines/music/music-engine.js';
import { renderScore } from '../../../src/engines/music/render/render-score.js';

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
  it('renders the same audio as spessasynth_core own reverb routine, to float rounding', async () => {
    const [fast, original] = [await render(false), await render(true)];
    for (const channel of [0, 1]) {
      const a = fast[channel] as Float32Array;
      const b = original[channel] as Float32Array;
      let peak = 0;
      let difference = 0;
      for (let index = 0; index < b.length; index++) {
        peak = Math.max(peak, Math.abs(b[index] as number));
        difference = Math.max(difference, Math.abs((a[index] as number) - (b[index] as number)));
      }
      assert.ok(peak > 0.01, 'the piece is not silent');
      // The excursion oscillators are stepped by rotation: rounding differences only, 120 dB down at most.
      assert.ok(difference <= peak * 1e-6, `channel ${channel} differs by ${difference} (peak ${peak})`);
    }
  });
});
