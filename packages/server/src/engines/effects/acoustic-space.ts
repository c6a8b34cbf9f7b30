import { applyBiquad, biquad, type Stereo } from './dsp.js';

const COMB_SECONDS = [0.0297, 0.0371, 0.0411, 0.0437];
const ALLPASS_SECONDS = [0.005, 0.0017];

function reverbChannel(input: Float32Array, sampleRate: number, size: number, spread: number): Float32Array {
  const out = new Float32Array(input.length);
  for (const seconds of COMB_SECONDS) {
    const delay = Math.round((seconds + spread) * sampleRate * size);
    const buffer = new Float32Array(delay);
    const feedback = 0.8 + 0.12 * Math.min(1, size - 1);
    let damped = 0;
    for (let i = 0; i < input.length; i++) {
      const position = i % delay;
      const delayed = buffer[position] as number;
      damped = delayed * 0.7 + damped * 0.3;
      buffer[position] = (input[i] as number) + damped * feedback;
      out[i] = (out[i] as number) + delayed * 0.25;
    }
  }
  for (const seconds of ALLPASS_SECONDS) {
    const delay = Math.max(1, Math.round(seconds * sampleRate));
    const buffer = new Float32Array(delay);
    for (let i = 0; i < out.length; i++) {
      const position = i % delay;
      const delayed = buffer[position] as number;
      const value = out[i] as number;
      buffer[position] = value + delayed * 0.5;
      out[i] = delayed - value * 0.5;
    }
  }
  return out;
}

/** Add a Schroeder reverb (four damped combs and two all-passes per channel); `wet` 0..1, `size` ≥ 1. */
export function addReverb(audio: Stereo, sampleRate: number, wet: number, size = 1): Stereo {
  if (wet <= 0) return audio;
  return audio.map((channel, index) => {
    const tail = reverbChannel(channel, sampleRate, size, index * 0.0023);
    const out = new Float32Array(channel.length);
    for (let i = 0; i < channel.length; i++) out[i] = (channel[i] as number) * (1 - wet * 0.5) + (tail[i] as number) * wet;
    return out;
  }) as Stereo;
}

/** Far away: strong low-pass and a gentle high-pass (air absorbs highs, distance thins the lows). */
export function distanceFilter(audio: Stereo, sampleRate: number): Stereo {
  for (const channel of audio) {
    applyBiquad(channel, biquad('lowpass', 1100, 0.7, sampleRate));
    applyBiquad(channel, biquad('lowpass', 1800, 0.7, sampleRate));
    applyBiquad(channel, biquad('highpass', 60, 0.7, sampleRate));
  }
  return audio;
}

/** Metallic ring: a short feedback comb (resonances every ~400-700 Hz) mixed in. */
export function metallicRing(audio: Stereo, sampleRate: number): Stereo {
  return audio.map((channel, index) => {
    const delay = Math.round(sampleRate / (430 + index * 37));
    const out = new Float32Array(channel.length);
    for (let i = 0; i < channel.length; i++) {
      const fed = i >= delay ? (out[i - delay] as number) : 0;
      out[i] = (channel[i] as number) + fed * 0.85;
    }
    for (let i = 0; i < out.length; i++) out[i] = (channel[i] as number) * 0.5 + (out[i] as number) * 0.2;
    return out;
  }) as Stereo;
}
