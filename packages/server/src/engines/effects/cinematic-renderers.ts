import { applyBiquad, biquad, mixInto, stereoBuffer, sweptBandpass, whiteNoise } from './dsp.js';
import { type EffectRenderer, ping } from './synth-context.js';

/** A braam: a huge low brass-like chord hit with a slow swell and long decay. */
export const renderBraam: EffectRenderer = ({ sampleRate, frames, intensity }) => {
  const out = stereoBuffer(frames);
  const length = Math.min(frames, Math.round(sampleRate * 4));
  for (const [ratio, pan] of [
    [1, 0],
    [1.5, -0.5],
    [2, 0.5],
    [1.003, 0.3],
  ] as const) {
    const tone = new Float32Array(length);
    let phase = 0;
    for (let i = 0; i < length; i++) {
      phase += (55 * ratio) / sampleRate;
      const shape = Math.min(1, i / (sampleRate * 0.08)) * Math.exp((-1.1 * i) / sampleRate);
      tone[i] = ((phase % 1) * 2 - 1) * shape;
    }
    mixInto(out, applyBiquad(tone, biquad('lowpass', 900, 1.2, sampleRate)), 0, 0.5 * intensity, pan);
  }
  return out;
};

/**
 * Riser: noise through a band-pass climbing from low to bright, with a tone gliding up an octave
 * and a half; the family's rising envelope makes it grow louder ("braam": a low brass hit instead).
 */
export const renderRiser: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity } = context;
  const out = stereoBuffer(frames);
  const progress = (i: number) => i / frames;
  for (const pan of [-0.6, 0.6]) {
    const noise = sweptBandpass(whiteNoise(frames, random), (i) => 300 * 2 ** (5 * progress(i)), 2, sampleRate);
    mixInto(out, noise, 0, 0.8 * intensity, pan);
  }
  const tone = new Float32Array(frames);
  let phase = 0;
  for (let i = 0; i < frames; i++) {
    phase += (110 * 2 ** (1.5 * progress(i)) * (1 + 0.004 * Math.sin((2 * Math.PI * 6 * i) / sampleRate))) / sampleRate;
    tone[i] = Math.sin(2 * Math.PI * phase);
  }
  mixInto(out, tone, 0, 0.3, 0);
  return out;
};

/** Magic sparkle: a cascade of bright bell tones on a pentatonic scale, scattered across the field. */
export const renderMagic: EffectRenderer = ({ sampleRate, frames, random, speed, intensity }) => {
  const out = stereoBuffer(frames);
  const scale = [0, 2, 4, 7, 9, 12, 14, 16, 19, 21, 24];
  const rate = Math.round((sampleRate * 0.07) / speed);
  for (let time = Math.round(sampleRate * 0.02), note = 0; time < frames; time += Math.round(rate * random.range(0.5, 1.5)), note++) {
    const step = scale[(note * 3 + Math.floor(random.next() * 3)) % scale.length] as number;
    const frequency = 1046 * 2 ** (step / 12);
    mixInto(out, ping(sampleRate, 0.6, frequency, 7), time, 0.12 * intensity, random.signed() * 0.9);
    mixInto(out, ping(sampleRate, 0.3, frequency * 2.76, 14), time, 0.03, random.signed() * 0.9);
  }
  const shimmer = applyBiquad(whiteNoise(frames, random), biquad('highpass', 7000, 0.7, sampleRate));
  mixInto(out, shimmer, 0, 0.02, 0);
  return out;
};
