import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeAudio } from '../../src/audio/encode-audio.js';
import { limitTruePeak } from '../../src/audio/master-audio.js';
import type { PcmAudio } from '../../src/audio/pcm-audio.js';
import { measureTruePeak, measureTruePeakDb, TRUE_PEAK_PHASES } from '../../src/audio/true-peak.js';
import { TruePeakStream } from '../../src/audio/true-peak-stream.js';
import { BufferSink, encodeAudioWithinTruePeak, measureEncodedTruePeakDb } from '../../src/audio/verified-encode.js';
import { createEffectsEngine } from '../../src/engines/effects/effects-engine.js';
import { createMusicEngine } from '../../src/engines/music/music-engine.js';
import { createSpeechEngine } from '../../src/engines/speech/speech-engine.js';
import { createToneEngine } from '../../src/engines/tone/tone-engine.js';
import type { AudioFormat, Engine, EngineRequest } from '../../src/ports/engine.js';
import { decodeAudio, MemorySink } from '../support/audio-decode.js';

const RATE = 48000;
const db = (linear: number) => 20 * Math.log10(linear);

/** `at(n)` for n in [0, frames), faded in and out over `fade` samples (raised cosine). */
function tone(frames: number, at: (n: number) => number, channels = 2, fade = 0): PcmAudio {
  const data = new Float32Array(frames);
  for (let n = 0; n < frames; n++) {
    const edge = Math.min(n, frames - 1 - n);
    data[n] = at(n) * (edge >= fade ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * edge) / fade));
  }
  return { sampleRate: RATE, channels: Array.from({ length: channels }, () => data.slice()) };
}

/**
 * The meter's reading of a steady sine of amplitude 1 at `omega` rad/sample and phase `phase`,
 * derived from the filter alone: each phase p of a linear filter turns the sine into one of
 * amplitude |H_p(ω)| shifted by arg H_p(ω), with H_p(ω) = Σ_k taps[k]·e^{iω(k − 5)} (taps[k]
 * multiplies x[n − 5 + k]); the reading is the largest of those and of the samples themselves.
 */
function expectedSinePeak(omega: number, phase: number, samplesPerPeriod: number): number {
  let peak = 0;
  for (let n = 0; n < samplesPerPeriod; n++) peak = Math.max(peak, Math.abs(Math.sin(omega * n + phase)));
  for (const taps of TRUE_PEAK_PHASES) {
    let re = 0;
    let im = 0;
    taps.forEach((tap, k) => {
      re += tap * Math.cos(omega * (k - 5));
      im += tap * Math.sin(omega * (k - 5));
    });
    for (let n = 0; n < samplesPerPeriod; n++)
      peak = Math.max(peak, Math.hypot(re, im) * Math.abs(Math.sin(omega * n + phase + Math.atan2(im, re))));
  }
  return peak;
}

describe('BS.1770-4 true-peak meter', () => {
  it('uses the Recommendation’s interpolation filter: symmetric phases, unity gain at DC', () => {
    assert.equal(TRUE_PEAK_PHASES.length, 4);
    const [p0, p1, p2, p3] = TRUE_PEAK_PHASES as [Float64Array, Float64Array, Float64Array, Float64Array];
    assert.deepEqual([...p3], [...p0].reverse());
    assert.deepEqual([...p2], [...p1].reverse());
    assert.equal(p0[6], 0.97216796875);
    for (const taps of TRUE_PEAK_PHASES) assert.ok(Math.abs(taps.reduce((sum, tap) => sum + tap, 0) - 1) < 0.03);
  });

  it('reads a full-scale sine at fs/4 with 45° phase about 3 dB above its sample peak', () => {
    // x[n] = sin(πn/2 + π/4) takes only the values ±√½ (−3.01 dBFS); the continuous sine peaks at 1.
    // Faded in and out slowly, so the abrupt edges of a cut sine do not ring above the steady part.
    const audio = tone(9600, (n) => Math.sin((Math.PI / 2) * n + Math.PI / 4), 2, 2400);
    let samplePeak = 0;
    for (const value of audio.channels[0] as Float32Array) samplePeak = Math.max(samplePeak, Math.abs(value));
    assert.ok(Math.abs(db(samplePeak) + 3.0103) < 0.001);
    const expected = expectedSinePeak(Math.PI / 2, Math.PI / 4, 4);
    const measured = measureTruePeak(audio);
    assert.ok(Math.abs(db(measured) - db(expected)) < 0.01, `measured ${db(measured)} dBTP, expected ${db(expected)}`);
    assert.ok(Math.abs(db(measured)) < 0.25, 'within the filter’s ripple of the continuous peak (0 dB)');
    assert.ok(db(measured) - db(samplePeak) > 2.8 && db(measured) - db(samplePeak) < 3.3);
  });

  it('reads a sine at fs/4 whose samples hit the crest at its sample peak (0 dB above)', () => {
    const audio = tone(9600, (n) => 0.5 * Math.sin((Math.PI / 2) * n + Math.PI / 2), 2, 2400);
    const expected = 0.5 * expectedSinePeak(Math.PI / 2, Math.PI / 2, 4);
    assert.ok(Math.abs(measureTruePeakDb(audio) - db(expected)) < 0.01);
    assert.ok(Math.abs(measureTruePeakDb(audio) - db(0.5)) < 0.25);
  });

  it('reads a 997 Hz sine at −6 dBFS as −6 dBTP and silence as −Infinity', () => {
    const audio = tone(RATE, (n) => 10 ** (-6 / 20) * Math.sin((2 * Math.PI * 997 * n) / RATE + 0.3), 2, 480);
    assert.ok(Math.abs(measureTruePeakDb(audio) + 6) < 0.02, `${measureTruePeakDb(audio)}`);
    assert.equal(measureTruePeakDb(tone(100, () => 0)), Number.NEGATIVE_INFINITY);
  });

  it('meters a stream fed in uneven pieces exactly as the whole signal', () => {
    let state = 12345;
    const noise = tone(20000, () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return (state / 2 ** 32 - 0.5) * 1.6;
    });
    const stream = new TruePeakStream();
    for (const [start, end] of [
      [0, 7],
      [7, 5000],
      [5000, 5001],
      [5001, 20000],
    ] as const) {
      stream.push({ sampleRate: RATE, channels: noise.channels.map((data) => data.subarray(start, end)) });
    }
    stream.finish();
    assert.ok(Math.abs(stream.peak - measureTruePeak(noise)) < 1e-6, `${stream.peak} vs ${measureTruePeak(noise)}`);
  });
});

describe('true peak after encoding', () => {
  /** A hard case for codecs: dense noise, true-peak limited to just under −1.0 dBTP before encoding. */
  function hardCase(): PcmAudio {
    let state = 99;
    const noise = tone(RATE, () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return (state / 2 ** 32 - 0.5) * 3;
    });
    return limitTruePeak(noise, -1.05);
  }

  for (const format of ['mp3', 'opus'] as const) {
    it(`holds −1.0 dBTP in ${format} where the plain encoder overshoots`, async () => {
      const audio = hardCase();
      assert.ok(measureTruePeakDb(audio) <= -1);
      const plain = new BufferSink();
      await encodeAudio(audio, format, plain);
      const overshoot = measureTruePeakDb(await decodeAudio(plain.bytes(), format));
      assert.ok(overshoot > -1, `the plain ${format} encoding should overshoot here (${overshoot.toFixed(2)} dBTP)`);
      const checked = new BufferSink();
      await encodeAudioWithinTruePeak(audio, format, checked);
      const decoded = await decodeAudio(checked.bytes(), format);
      assert.ok(measureTruePeakDb(decoded) <= -1, `${format}: ${measureTruePeakDb(decoded).toFixed(2)} dBTP`);
      assert.ok(Math.abs((await measureEncodedTruePeakDb(checked.bytes(), format)) - measureTruePeakDb(decoded)) < 0.01);
    });
  }
});

describe('every built-in engine serves every format at or under −1.0 dBTP (decoded)', () => {
  const music = createMusicEngine();
  /** Short pieces through the two-pass streaming path (what pieces of 150 s and more take). */
  const longMusic = createMusicEngine({ twoPassSeconds: 5 });
  const cases: readonly [string, Engine, string, number | undefined, (readonly AudioFormat[])?][] = [
    ['tone', createToneEngine(), 'loud EDM drop, 128 BPM', 4],
    ['effects', createEffectsEngine(), 'a violent thunderstorm with close lightning strikes', 3],
    ['effects', createEffectsEngine(), 'glass breaking on a tiled floor', 2],
    ['speech', createSpeechEngine(), 'Stop right there! The 3 km walk starts at 9 a.m. sharp, so do not be late.', undefined],
    ['music', music, 'loud EDM track with huge drops and a punchy kick, 128 BPM', 6],
    ['music', music, 'hard trap beat with booming 808s and crisp hi-hats', 5, ['mp3', 'opus']],
    ['music (two-pass)', longMusic, 'loud EDM track with huge drops, 128 BPM', 6, ['mp3', 'opus', 'wav']],
  ];
  for (const [name, engine, prompt, seconds, only] of cases) {
    for (const format of only ?? engine.formats) {
      it(`${name}: "${prompt.slice(0, 40)}" as ${format}`, async () => {
        const sink = new MemorySink();
        const request = {
          prompt,
          format,
          durationSeconds: seconds,
          seed: 11,
          loop: false,
          modelId: 'test',
          options: {},
          requestId: 'true-peak',
          modelType: 'music',
        };
        await engine.generate(request as EngineRequest, sink, { signal: new AbortController().signal, onProgress: () => {} });
        const peak = measureTruePeakDb(await decodeAudio(sink.bytes(), format));
        assert.ok(peak <= -1, `${peak.toFixed(2)} dBTP`);
        assert.ok(peak > -12, `not silent or crushed (${peak.toFixed(2)} dBTP)`);
      });
    }
  }
  it('closes the music engines', async () => {
    await music.close?.();
    await longMusic.close?.();
  });
});
