import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { masterAudio, measureIntegratedLoudness, measureTruePeakDb } from '../../src/audio/loudness.js';
import type { PcmAudio } from '../../src/audio/pcm-audio.js';

const RATE = 48000;

function stereo(seconds: number, sample: (t: number, channel: number) => number): PcmAudio {
  const frames = Math.round(seconds * RATE);
  const channels = [0, 1].map((channel) => {
    const data = new Float32Array(frames);
    for (let i = 0; i < frames; i++) data[i] = sample(i / RATE, channel);
    return data;
  });
  return { sampleRate: RATE, channels };
}

const sine =
  (db: number, frequency: number, phase = 0) =>
  (t: number) =>
    10 ** (db / 20) * Math.sin(2 * Math.PI * frequency * t + phase);

function noise(seed: number): (t: number, channel: number) => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const white = state / 2 ** 32 - 0.5;
    return white * 0.3;
  };
}

describe('measureIntegratedLoudness', () => {
  it('reads a stereo 1 kHz sine at -23 dBFS as -23 LUFS (EBU Tech 3341 case 1)', () => {
    assert.ok(Math.abs(measureIntegratedLoudness(stereo(5, sine(-23, 1000))) + 23) < 0.1);
  });

  it('applies K-weighting: 10 kHz reads about 3.4 dB louder than 1 kHz, 30 Hz much quieter', () => {
    const at1k = measureIntegratedLoudness(stereo(3, sine(-20, 1000)));
    const at10k = measureIntegratedLoudness(stereo(3, sine(-20, 10000)));
    const at30 = measureIntegratedLoudness(stereo(3, sine(-20, 30)));
    assert.ok(at10k - at1k > 3.0 && at10k - at1k < 3.8, `10 kHz: ${at10k - at1k}`);
    assert.ok(at1k - at30 > 1.5, `30 Hz: ${at1k - at30}`);
  });

  it('gates silence and quiet passages out', () => {
    const tone = sine(-20, 1000);
    const withSilence = stereo(8, (t) => (t < 4 ? tone(t) : 0));
    assert.ok(Math.abs(measureIntegratedLoudness(withSilence) + 20) < 0.2);
    const quiet = sine(-45, 1000);
    const withQuiet = stereo(8, (t) => (t < 4 ? tone(t) : quiet(t)));
    assert.ok(Math.abs(measureIntegratedLoudness(withQuiet) + 20) < 0.2);
  });

  it('returns -Infinity for silence', () => {
    assert.equal(measureIntegratedLoudness(stereo(1, () => 0)), Number.NEGATIVE_INFINITY);
  });
});

describe('measureTruePeakDb', () => {
  it('finds the peak between samples of a sine at a quarter of the sample rate', () => {
    const audio = stereo(0.5, sine(-6, RATE / 4, Math.PI / 4));
    let samplePeak = 0;
    for (const value of audio.channels[0] as Float32Array) samplePeak = Math.max(samplePeak, Math.abs(value));
    assert.ok(20 * Math.log10(samplePeak) < -8.5, 'sample peak is about 3 dB low');
    assert.ok(Math.abs(measureTruePeakDb(audio) + 6) < 0.3, `true peak ${measureTruePeakDb(audio)}`);
  });
});

describe('masterAudio', () => {
  it('brings quiet noise to -14 LUFS with the true peak at or under -1 dBTP', () => {
    const mastered = masterAudio(stereo(4, noise(7)));
    assert.ok(Math.abs(measureIntegratedLoudness(mastered) + 14) < 1);
    assert.ok(measureTruePeakDb(mastered) <= -1);
  });

  it('limits a loud sine and honours other targets', () => {
    const mastered = masterAudio(stereo(3, sine(-0.1, 440)), { targetLufs: -16, truePeakDb: -2 });
    assert.ok(Math.abs(measureIntegratedLoudness(mastered) + 16) < 1);
    assert.ok(measureTruePeakDb(mastered) <= -2);
  });

  it('limits transients without pushing loudness off target', () => {
    const drums = stereo(
      4,
      (t) => Math.exp(-((t * 4) % 1) * 30) * Math.sin(2 * Math.PI * 80 * t) * 0.9 + 0.02 * Math.sin(2 * Math.PI * 600 * t),
    );
    const mastered = masterAudio(drums);
    assert.ok(Math.abs(measureIntegratedLoudness(mastered) + 14) < 1, `${measureIntegratedLoudness(mastered)}`);
    assert.ok(measureTruePeakDb(mastered) <= -1);
  });

  it('keeps silence silent and the length unchanged', () => {
    const mastered = masterAudio(stereo(1, () => 0));
    assert.equal(mastered.channels[0]?.length, RATE);
    assert.ok(mastered.channels.every((data) => data.every((value) => value === 0)));
  });
});
