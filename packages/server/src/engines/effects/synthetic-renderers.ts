import { hashText } from '../seeded-random.js';
import {
  applyBiquad,
  biquad,
  brownNoise,
  mixInto,
  pinkNoise,
  type Stereo,
  scheduleEvents,
  smoothRandom,
  stereoBuffer,
  sweptBandpass,
  whiteNoise,
} from './dsp.js';
import { burst, type EffectRenderer, eventTimes, ping, type SynthContext } from './synth-context.js';

/** A gunshot: a sharp crack, a short thump and a quick echoing tail. */
function gunshotAt(context: SynthContext, out: Stereo, time: number): void {
  const { sampleRate, random, intensity } = context;
  const crack = applyBiquad(burst(sampleRate, 0.12, 45, random, 0.0003), biquad('highpass', 400, 0.7, sampleRate));
  mixInto(out, crack, time, 1.3 * intensity, 0);
  mixInto(out, ping(sampleRate, 0.2, 110, 20, 60), time, 0.8 * intensity, 0);
  const tail = applyBiquad(pinkNoise(Math.round(sampleRate * 0.6), random), biquad('lowpass', 1500, 0.7, sampleRate));
  for (let i = 0; i < tail.length; i++) tail[i] = (tail[i] as number) * Math.exp((-9 * i) / sampleRate) * (1 - i / tail.length);
  mixInto(out, tail, time + Math.round(sampleRate * 0.01), 0.6 * intensity, random.signed() * 0.4);
}

/** Explosion: a broadband blast, a sub drop and a long low rumble; or gunshots ("gunshot", "rifle"). */
export const renderExplosion: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity, short } = context;
  const out = stereoBuffer(frames);
  if (context.variants.includes('gunshot')) {
    for (const time of eventTimes(context, Math.round(sampleRate * 0.03), sampleRate * 0.7, 0.3)) gunshotAt(context, out, time);
    return out;
  }
  const tail = short ? 1.2 : 3.5;
  for (const time of eventTimes(context, Math.round(sampleRate * 0.03), sampleRate * (tail + 2.5), 0.25)) {
    const blast = applyBiquad(burst(sampleRate, 0.6, 9, random, 0.002), biquad('lowpass', 5000, 0.7, sampleRate));
    mixInto(out, blast, time, 0.9 * intensity, 0);
    mixInto(out, ping(sampleRate, 1.2, 70, 3.5, 28), time, 1.2 * intensity, 0);
    const rumbleFrames = Math.round(sampleRate * tail);
    const rumble = applyBiquad(brownNoise(rumbleFrames, random), biquad('lowpass', 250, 0.8, sampleRate));
    for (let i = 0; i < rumbleFrames; i++)
      rumble[i] = (rumble[i] as number) * Math.exp((-3 * i) / rumbleFrames) * (1 - i / rumbleFrames) * 3;
    mixInto(out, rumble, time, intensity, random.signed() * 0.2);
    mixInto(out, rumble, time + Math.round(sampleRate * 0.013), intensity * 0.6, random.signed() * 0.6);
  }
  return out;
};

/** Whoosh: noise through a band-pass that sweeps up and down while panning across. */
export const renderWhoosh: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity, speed, short } = context;
  const out = stereoBuffer(frames);
  const seconds = (short ? 0.45 : 0.9) / speed;
  for (const time of eventTimes(context, Math.round(sampleRate * 0.05), sampleRate * (seconds + 0.6), 0.3)) {
    const length = Math.round(sampleRate * seconds);
    const bell = (i: number) => Math.sin((Math.PI * i) / length) ** 2;
    const noise = sweptBandpass(whiteNoise(length, random), (i) => 250 + 3000 * intensity * bell(i), 1.6, sampleRate);
    const direction = random.next() < 0.5 ? -1 : 1;
    for (let i = 0; i < length; i++) {
      const pan = direction * (2 * (i / length) - 1);
      const value = (noise[i] as number) * bell(i) * 1.6;
      if (time + i >= frames) break;
      out[0][time + i] = (out[0][time + i] as number) + value * (1 - pan) * 0.7;
      out[1][time + i] = (out[1][time + i] as number) + value * (1 + pan) * 0.7;
    }
  }
  return out;
};

/** Laser: a bright tone with a fast falling pitch and vibrato. */
export const renderLaser: EffectRenderer = (context) => {
  const { sampleRate, frames, random, speed, short, metallic } = context;
  const out = stereoBuffer(frames);
  for (const time of eventTimes(context, Math.round(sampleRate * 0.03), (sampleRate * 0.55) / speed, 0.35)) {
    const length = Math.round(sampleRate * (short ? 0.12 : 0.25) * random.range(0.8, 1.2));
    const zap = new Float32Array(length);
    const from = random.range(2200, 3800);
    let phase = 0;
    for (let i = 0; i < length; i++) {
      const progress = i / length;
      const frequency = from * 0.1 ** progress + 150;
      phase += (frequency * (1 + 0.03 * Math.sin(2 * Math.PI * 60 * (i / sampleRate)))) / sampleRate;
      const wave = metallic ? (phase % 1 < 0.5 ? 1 : -1) * 0.5 : Math.sin(2 * Math.PI * phase);
      zap[i] = wave * (1 - progress) ** 1.5 * Math.min(1, i / 40);
    }
    mixInto(out, zap, time, 0.5, random.signed() * 0.5);
  }
  return out;
};

/** Crowd murmur: many voice-band noise sources with syllable-rate loudness changes. */
export const renderCrowd: EffectRenderer = ({ sampleRate, frames, random, intensity }) => {
  const out = stereoBuffer(frames);
  const voices = Math.round(6 + 8 * intensity);
  for (let voice = 0; voice < voices; voice++) {
    const formant = smoothRandom(frames, Math.round(sampleRate * 0.12), random);
    const syllables = smoothRandom(frames, Math.round(sampleRate * random.range(0.1, 0.2)), random);
    const phrases = smoothRandom(frames, Math.round(sampleRate * random.range(1, 2.5)), random);
    const low = random.range(300, 600);
    const noise = sweptBandpass(pinkNoise(frames, random), (i) => low + 900 * (formant[i] as number), 3, sampleRate);
    for (let i = 0; i < frames; i++)
      noise[i] = (noise[i] as number) * (syllables[i] as number) ** 2 * ((phrases[i] as number) > 0.3 ? 1 : 0.2);
    mixInto(out, noise, 0, 0.35, random.signed() * 0.8);
  }
  return out;
};

/** Applause: dense claps (short band-passed noise bursts) from many hands. */
export const renderApplause: EffectRenderer = ({ sampleRate, frames, random, intensity }) => {
  const out = stereoBuffer(frames);
  for (const time of scheduleEvents(frames, 0, sampleRate / (70 * intensity), 0.95, random)) {
    const clap = applyBiquad(
      burst(sampleRate, 0.03, random.range(150, 300), random),
      biquad('bandpass', random.range(900, 2500), 1.1, sampleRate),
    );
    mixInto(out, clap, time, random.range(0.3, 1), random.signed() * 0.9);
  }
  return out;
};

/** Sci-fi hum: detuned low harmonics beating slowly, a wandering resonance and a little hiss. */
export const renderHum: EffectRenderer = ({ sampleRate, frames, random, intensity, metallic }) => {
  const out = stereoBuffer(frames);
  const root = random.range(45, 70);
  const sweep = smoothRandom(frames, Math.round(sampleRate * 3), random);
  for (const [channel, detune] of [
    [0, 0.997],
    [1, 1.003],
  ] as const) {
    const mono = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      const t = i / sampleRate;
      let sum = 0;
      for (let harmonic = 1; harmonic <= 6; harmonic++) sum += Math.sin(2 * Math.PI * root * harmonic * detune * t + harmonic) / harmonic;
      mono[i] = sum * (0.8 + 0.2 * Math.sin(2 * Math.PI * 0.25 * t));
    }
    mixInto(out, mono, 0, 0.25 * intensity, channel === 0 ? -0.5 : 0.5);
    const air = sweptBandpass(whiteNoise(frames, random), (i) => 300 + 2500 * (sweep[i] as number), metallic ? 12 : 5, sampleRate);
    mixInto(out, air, 0, 0.12, channel === 0 ? -0.5 : 0.5);
  }
  return out;
};

/** Default texture: a soft chord from the prompt's hash over filtered, slowly breathing noise. */
export const renderAmbient: EffectRenderer = ({ sampleRate, frames, random, words }) => {
  const out = stereoBuffer(frames);
  const hash = hashText(words.join(' '));
  const root = 110 * 2 ** ((hash % 12) / 12);
  const chord = [1, hash & 1 ? 1.2 : 1.25, 1.5, 2];
  const breath = smoothRandom(frames, Math.round(sampleRate * 2.5), random);
  for (const [channel, pan] of [
    [0, -0.6],
    [1, 0.6],
  ] as const) {
    const mono = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      const t = i / sampleRate;
      let sum = 0;
      for (const ratio of chord) sum += Math.sin(2 * Math.PI * root * ratio * (1 + channel * 0.002) * t);
      mono[i] = sum * 0.08 * (0.6 + 0.4 * (breath[i] as number));
    }
    mixInto(out, mono, 0, 1, pan);
    const noise = applyBiquad(brownNoise(frames, random), biquad('bandpass', 300 + ((hash >>> 8) % 1500), 0.7, sampleRate));
    mixInto(out, noise, 0, 0.4, pan);
  }
  return out;
};
