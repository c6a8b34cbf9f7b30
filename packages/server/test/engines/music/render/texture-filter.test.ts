import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Score } from '../../../../src/engines/music/compose/score.js';
import { composeForRequest } from '../../../../src/engines/music/music-engine.js';
import type { Texture } from '../../../../src/engines/music/prompt/vocabulary-texture.js';
import { renderMix } from '../../../../src/engines/music/render/render-mix.js';
import { hasTexture, TextureFilter } from '../../../../src/engines/music/render/texture-filter.js';

const RATE = 44100;
const MUFFLED: Texture = { noise: 0, rollOffHz: 1200, saturation: 0 };
const DUSTY: Texture = { noise: 0.7, rollOffHz: 5500, saturation: 0.25 };

const sine = (frequency: number, frames: number, amplitude = 0.5) =>
  Float32Array.from({ length: frames }, (_, index) => amplitude * Math.sin((2 * Math.PI * frequency * index) / RATE));
const rms = (data: Float32Array, from = 0) => {
  let sum = 0;
  for (let index = from; index < data.length; index++) sum += (data[index] as number) ** 2;
  return Math.sqrt(sum / (data.length - from));
};

/** Energy above about 4 kHz: the signal minus itself smoothed over 5 samples. */
function highBand(data: Float32Array): number {
  const high = new Float32Array(data.length);
  for (let index = 2; index < data.length - 2; index++) {
    let mean = 0;
    for (let offset = -2; offset <= 2; offset++) mean += data[index + offset] as number;
    high[index] = (data[index] as number) - mean / 5;
  }
  return rms(high);
}

describe('music texture filter', () => {
  it('does nothing for a clean texture', () => {
    assert.equal(hasTexture(undefined), false);
    assert.equal(hasTexture({ noise: 0, rollOffHz: undefined, saturation: 0 }), false);
    assert.equal(hasTexture(MUFFLED), true);
  });

  it('rolls off highs and keeps lows', () => {
    const frames = RATE / 2;
    const low = sine(200, frames);
    const high = sine(8000, frames);
    const filter = new TextureFilter(MUFFLED, RATE);
    filter.process(low, sine(200, frames), frames, 0);
    new TextureFilter(MUFFLED, RATE).process(high, sine(8000, frames), frames, 0);
    const settled = RATE / 10;
    assert.ok(Math.abs(20 * Math.log10(rms(low, settled) / rms(sine(200, frames), settled))) < 1, '200 Hz passes within 1 dB');
    assert.ok(20 * Math.log10(rms(high, settled) / rms(sine(8000, frames), settled)) < -25, '8 kHz is more than 25 dB down');
  });

  it('adds the same hiss and crackle to the same frames, however the blocks are cut', () => {
    const frames = RATE * 2;
    const whole = [new Float32Array(frames), new Float32Array(frames)] as const;
    new TextureFilter(DUSTY, RATE).process(whole[0], whole[1], frames, 1000);
    const noise = rms(whole[0]);
    assert.ok(noise > 0.001 && noise < 0.02, `hiss level ${noise}`);
    let peak = 0;
    for (const sample of whole[0]) peak = Math.max(peak, Math.abs(sample));
    assert.ok(peak > noise * 8, `crackle clicks stand out of the hiss (peak ${peak})`);
    // A split render: a fresh filter warms up for 3 s before the span it keeps.
    const split = RATE;
    const warm = [new Float32Array(frames + 3 * RATE), new Float32Array(frames + 3 * RATE)] as const;
    new TextureFilter(DUSTY, RATE).process(warm[0], warm[1], warm[0].length, 1000 + split - 3 * RATE);
    for (let index = 0; index < frames - split; index++) {
      const difference = Math.abs((warm[0][3 * RATE + index] as number) - (whole[0][split + index] as number));
      assert.ok(difference < 1e-6, `frame ${index} differs by ${difference}`);
    }
  });

  it('soft-clips with saturation', () => {
    const frames = 4410;
    const loud = sine(440, frames, 0.9);
    new TextureFilter({ noise: 0, rollOffHz: undefined, saturation: 0.6 }, RATE).process(loud, sine(440, frames, 0.9), frames, 0);
    let peak = 0;
    for (const sample of loud) peak = Math.max(peak, Math.abs(sample));
    assert.ok(peak <= 0.25 + 1e-6 && peak > 0.2, `peak ${peak} is held near 1 / drive`);
  });

  it('is applied by the renderer to the mix the plan describes', async () => {
    const base = composeForRequest({ prompt: 'bright pop with piano and hi hats', durationSeconds: 5, seed: 3, loop: false });
    const render = async (score: Score) => (await renderMix(score, { sampleRate: RATE, frames: 5 * RATE, parallel: false })).channels[0];
    const clean = (await render({ ...base, texture: undefined })) as Float32Array;
    const muffled = (await render({ ...base, texture: MUFFLED })) as Float32Array;
    assert.ok(rms(clean) > 0.005, 'the piece is not silent');
    assert.ok(highBand(muffled) < highBand(clean) * 0.2, `highs ${highBand(muffled)} against ${highBand(clean)}`);
    const silent = (await render({ ...base, notes: [], texture: DUSTY })) as Float32Array;
    assert.ok(rms(silent) > 0.0005, 'hiss is there with no notes at all');
  });
});
