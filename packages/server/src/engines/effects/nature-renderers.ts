import {
  applyBiquad,
  biquad,
  brownNoise,
  mixInto,
  pinkNoise,
  scheduleEvents,
  smoothRandom,
  stereoBuffer,
  sweptBandpass,
  whiteNoise,
} from './dsp.js';
import { burst, type EffectRenderer, eventTimes, ping } from './synth-context.js';

/** Rain: band-limited hiss plus many short drop pings. */
export const renderRain: EffectRenderer = ({ sampleRate, frames, random, intensity }) => {
  const out = stereoBuffer(frames);
  for (const channel of [0, 1] as const) {
    const hiss = applyBiquad(
      applyBiquad(pinkNoise(frames, random), biquad('highpass', 500, 0.7, sampleRate)),
      biquad('lowpass', 7000 + 2000 * intensity, 0.7, sampleRate),
    );
    mixInto(out, hiss, 0, 0.5 * intensity, channel === 0 ? -0.8 : 0.8);
  }
  for (const time of scheduleEvents(frames, 0, sampleRate / (120 * intensity), 0.9, random)) {
    const drop = ping(sampleRate, 0.012, random.range(1800, 5000), 400, random.range(2500, 6000));
    mixInto(out, drop, time, random.range(0.02, 0.12) * Math.sqrt(intensity), random.signed());
  }
  return out;
};

/** Wind: brown noise through a resonance that wanders, with slow gusts. */
export const renderWind: EffectRenderer = ({ sampleRate, frames, random, intensity, speed }) => {
  const out = stereoBuffer(frames);
  for (const channel of [0, 1] as const) {
    const wander = smoothRandom(frames, Math.round((sampleRate * 1.8) / speed), random);
    const gust = smoothRandom(frames, Math.round((sampleRate * 2.6) / speed), random);
    const noise = sweptBandpass(whiteNoise(frames, random), (i) => 250 + 900 * intensity * (wander[i] as number), 2.5, sampleRate);
    for (let i = 0; i < frames; i++) noise[i] = (noise[i] as number) * (0.25 + 0.9 * (gust[i] as number) ** 2);
    mixInto(out, noise, 0, 0.8, channel === 0 ? -0.6 : 0.6);
  }
  return out;
};

/**
 * Thunder: a bright crack followed by a long rumble, every several seconds (or `count` times),
 * over a low bed of distant rumble and air so the gaps are never digital silence.
 */
export const renderThunder: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity, short } = context;
  const out = stereoBuffer(frames);
  const length = short ? 2 : 5;
  // Rolling in: the storm is heard rumbling before the first clap, a third of the way in.
  const first = Math.round(context.envelope === 'rising' ? frames * 0.35 : sampleRate * 0.05);
  for (const time of eventTimes(context, first, sampleRate * 7, 0.3)) {
    const crack = applyBiquad(burst(sampleRate, 0.4, 12, random, 0.004), biquad('highpass', 800, 0.7, sampleRate));
    mixInto(out, crack, time, 0.5 * intensity, random.signed() * 0.4);
    const rumbleFrames = Math.round(sampleRate * length);
    const rumble = applyBiquad(brownNoise(rumbleFrames, random), biquad('lowpass', 420, 0.7, sampleRate));
    const bumps = smoothRandom(rumbleFrames, Math.round(sampleRate * 0.35), random);
    for (let i = 0; i < rumbleFrames; i++) {
      const progress = i / rumbleFrames;
      const envelope = Math.min(1, i / (sampleRate * 0.15)) * Math.exp(-progress * 3.5) * (1 - progress) * (0.4 + (bumps[i] as number));
      rumble[i] = (rumble[i] as number) * envelope * 3;
    }
    mixInto(out, rumble, time + Math.round(sampleRate * 0.08), intensity, random.signed() * 0.3);
  }
  const swell = smoothRandom(frames, Math.round(sampleRate * 1.5), random);
  for (const pan of [-0.6, 0.6]) {
    const bed = applyBiquad(brownNoise(frames, random), biquad('lowpass', 500, 0.7, sampleRate));
    for (let i = 0; i < frames; i++) bed[i] = (bed[i] as number) * (0.5 + (swell[i] as number));
    mixInto(out, bed, 0, 0.12, pan);
  }
  return out;
};

/** Waves: low-passed noise that swells and brightens, then washes out. */
export const renderWaves: EffectRenderer = ({ sampleRate, frames, random, intensity, speed }) => {
  const out = stereoBuffer(frames);
  const period = (sampleRate * random.range(6, 8)) / speed;
  for (const channel of [0, 1] as const) {
    const offset = channel * period * 0.15;
    const swell = (i: number) => {
      const phase = ((i + offset) % period) / period;
      return phase < 0.35 ? (phase / 0.35) ** 2 : Math.exp(-(phase - 0.35) * 4.5);
    };
    const noise = sweptBandpass(pinkNoise(frames, random), (i) => 300 + 2200 * swell(i) * intensity, 0.5, sampleRate);
    for (let i = 0; i < frames; i++) noise[i] = (noise[i] as number) * (0.15 + swell(i));
    mixInto(out, noise, 0, 1.2, channel === 0 ? -0.7 : 0.7);
  }
  return out;
};

/** Fire: a soft low roar, hiss and random crackles. */
export const renderFire: EffectRenderer = ({ sampleRate, frames, random, intensity }) => {
  const out = stereoBuffer(frames);
  const roar = applyBiquad(brownNoise(frames, random), biquad('lowpass', 300, 0.7, sampleRate));
  mixInto(out, roar, 0, 0.5 * intensity);
  const hiss = applyBiquad(whiteNoise(frames, random), biquad('highpass', 3000, 0.7, sampleRate));
  mixInto(out, hiss, 0, 0.015 * intensity, random.signed() * 0.3);
  for (const time of scheduleEvents(frames, 0, sampleRate / (14 * intensity), 0.95, random)) {
    const crackle = applyBiquad(
      burst(sampleRate, 0.012, random.range(200, 600), random),
      biquad('bandpass', random.range(1500, 6000), 1.2, sampleRate),
    );
    mixInto(out, crackle, time, random.range(0.1, 0.7) ** 2 * 2, random.signed() * 0.7);
  }
  return out;
};

/** Birds: phrases of fast frequency-swept chirps from a few birds at different places. */
export const renderBirds: EffectRenderer = ({ sampleRate, frames, random, intensity, speed }) => {
  const out = stereoBuffer(frames);
  const birds = Math.max(1, Math.round(2 * intensity + 1));
  for (let bird = 0; bird < birds; bird++) {
    const base = random.range(2200, 5000);
    const pan = random.signed() * 0.8;
    for (const phrase of scheduleEvents(frames, Math.round(random.range(0, 1.2) * sampleRate), (sampleRate * 2.2) / speed, 0.6, random)) {
      const notes = 2 + Math.floor(random.next() * 5);
      for (let note = 0; note < notes; note++) {
        const seconds = random.range(0.04, 0.12);
        const start = base * random.range(0.8, 1.25);
        const chirp = ping(sampleRate, seconds, start, 25, start * random.range(0.6, 1.6));
        for (let i = 0; i < chirp.length; i++) chirp[i] = (chirp[i] as number) * Math.sin((Math.PI * i) / chirp.length);
        mixInto(out, chirp, phrase + Math.round(note * sampleRate * random.range(0.08, 0.16)), 0.25, pan);
      }
    }
  }
  const air = applyBiquad(pinkNoise(frames, random), biquad('bandpass', 600, 0.5, sampleRate));
  mixInto(out, air, 0, 0.03);
  return out;
};

/** Water drips: rising plinks with a cave-like ring. */
export const renderDrip: EffectRenderer = ({ sampleRate, frames, random, intensity, speed }) => {
  const out = stereoBuffer(frames);
  for (const time of scheduleEvents(frames, Math.round(sampleRate * 0.1), sampleRate / (1.6 * speed * intensity), 0.5, random)) {
    const start = random.range(700, 1300);
    const drop = ping(sampleRate, 0.09, start, 45, start * random.range(1.6, 2.4));
    mixInto(out, drop, time, random.range(0.4, 0.8), random.signed() * 0.6);
  }
  return out;
};
