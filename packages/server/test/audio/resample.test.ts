import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resample, StreamingResampler } from '../../src/audio/resample.js';
import { rms, zeroCrossingFrequency } from '../support/audio-decode.js';

function sine(sampleRate: number, frames: number, frequency: number): Float32Array {
  const data = new Float32Array(frames);
  for (let i = 0; i < frames; i++) data[i] = 0.5 * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  return data;
}

describe('resample', () => {
  for (const [from, to] of [
    [22050, 48000],
    [48000, 24000],
    [44100, 48000],
  ] as const) {
    it(`${from} → ${to} keeps pitch, level and length`, () => {
      const out = resample({ sampleRate: from, channels: [sine(from, from, 1000)] }, to);
      const data = out.channels[0] as Float32Array;
      assert.equal(out.sampleRate, to);
      assert.equal(data.length, to);
      const middle = data.subarray(to / 4, (3 * to) / 4);
      assert.ok(Math.abs(zeroCrossingFrequency(middle, to) - 1000) < 1);
      assert.ok(Math.abs(rms(middle) - 0.5 / Math.SQRT2) < 0.01);
    });
  }

  it('removes content above the new Nyquist frequency when downsampling', () => {
    const out = resample({ sampleRate: 48000, channels: [sine(48000, 48000, 15000)] }, 24000);
    assert.ok(rms(out.channels[0] as Float32Array, 2000, 22000) < 0.01);
  });

  it('gives the same result in pieces as at once', () => {
    const input = sine(22050, 10000, 440);
    const whole = resample({ sampleRate: 22050, channels: [input] }, 48000).channels[0] as Float32Array;
    const resampler = new StreamingResampler(22050, 48000, 1);
    const parts: number[] = [];
    for (let start = 0; start < input.length; start += 777) {
      parts.push(...(resampler.push([input.subarray(start, Math.min(input.length, start + 777))])[0] as Float32Array));
    }
    parts.push(...(resampler.flush()[0] as Float32Array));
    assert.equal(parts.length, whole.length);
    for (let i = 0; i < whole.length; i++) assert.ok(Math.abs((parts[i] as number) - (whole[i] as number)) < 1e-6);
  });
});
