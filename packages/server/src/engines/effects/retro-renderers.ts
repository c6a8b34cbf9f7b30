import { applyBiquad, biquad, mixInto, smoothRandom, stereoBuffer, whiteNoise } from './dsp.js';
import { grainCluster } from './footstep-renderer.js';
import { burst, type EffectRenderer, eventTimes, ping } from './synth-context.js';

/** A square wave gliding from `from` to `to` Hz over `seconds` (exponentially), with a short release. */
function squareGlide(sampleRate: number, seconds: number, from: number, to: number, vibrato = 0): Float32Array {
  const frames = Math.round(sampleRate * seconds);
  const out = new Float32Array(frames);
  let phase = 0;
  for (let i = 0; i < frames; i++) {
    const progress = i / frames;
    phase += (from * (to / from) ** progress * (1 + vibrato * Math.sin((2 * Math.PI * 12 * i) / sampleRate))) / sampleRate;
    out[i] = (phase % 1 < 0.5 ? 0.5 : -0.5) * Math.min(1, (frames - i) / (sampleRate * 0.01));
  }
  return out;
}

/** Retro game sounds: a jump, a power-up arpeggio, a power-down or game-over fall, or a coin. */
export const renderGame: EffectRenderer = (context) => {
  const { sampleRate, frames, variants } = context;
  const out = stereoBuffer(frames);
  const variant = variants[0] ?? 'coin';
  for (const time of eventTimes(context, Math.round(sampleRate * 0.03), sampleRate * 1.2, 0.05)) {
    if (variant === 'jump') mixInto(out, squareGlide(sampleRate, 0.18, 300, 900), time, 0.4, 0);
    else if (variant === 'down') mixInto(out, squareGlide(sampleRate, 0.8, 800, 110, 0.04), time, 0.4, 0);
    else if (variant === 'up')
      [523.3, 659.3, 784, 1046.5, 1318.5, 1568].forEach((note, index) => {
        mixInto(out, squareGlide(sampleRate, 0.06, note, note), time + Math.round(index * sampleRate * 0.055), 0.35, 0);
      });
    else {
      mixInto(out, squareGlide(sampleRate, 0.07, 987.8, 987.8), time, 0.35, 0);
      mixInto(out, squareGlide(sampleRate, 0.35, 1318.5, 1318.5), time + Math.round(sampleRate * 0.07), 0.35, 0);
    }
  }
  return out;
};

/** Static: radio hiss with bursts and flutter (default), digital glitches, or vinyl crackle. */
export const renderStatic: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity, variants } = context;
  const out = stereoBuffer(frames);
  if (variants.includes('vinyl')) {
    mixInto(out, applyBiquad(whiteNoise(frames, random), biquad('bandpass', 4000, 0.6, sampleRate)), 0, 0.03, 0);
    for (const time of eventTimes({ ...context, count: null }, 0, sampleRate / (12 * intensity), 0.95)) {
      const pop = applyBiquad(burst(sampleRate, 0.003, 2000, random), biquad('highpass', 1000, 0.7, sampleRate));
      mixInto(out, pop, time, random.range(0.2, 1) ** 2, random.signed() * 0.5);
    }
    return out;
  }
  const flutter = smoothRandom(frames, Math.round(sampleRate * 0.05), random);
  const hiss = applyBiquad(whiteNoise(frames, random), biquad('bandpass', 3000, 0.5, sampleRate));
  const glitch = variants.includes('glitch');
  let held = 0;
  for (let i = 0; i < frames; i++) {
    if (glitch && i % 1470 === 0) held = random.next() < 0.35 ? 0 : random.range(0.3, 1);
    hiss[i] = (hiss[i] as number) * (glitch ? held : 0.4 + 0.6 * (flutter[i] as number));
  }
  mixInto(out, hiss, 0, 0.5 * intensity, 0);
  if (glitch)
    for (const time of eventTimes({ ...context, count: null }, 0, sampleRate * 0.25, 0.9)) {
      const pitch = random.range(200, 2000);
      mixInto(out, ping(sampleRate, 0.04, pitch, 5, pitch * random.range(0.5, 2)), time, 0.3, random.signed() * 0.6);
    }
  return out;
};

/** Foley: paper or cloth rustling in gestures (default), one page turning, or a zipper. */
export const renderFoley: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity, variants } = context;
  const out = stereoBuffer(frames);
  const variant = variants[0] ?? 'rustle';
  const gap = variant === 'rustle' ? 0.9 : 1.4;
  for (const time of eventTimes(
    { ...context, count: variant === 'rustle' ? null : context.count },
    Math.round(sampleRate * 0.05),
    sampleRate * gap,
    0.4,
  )) {
    if (variant === 'zipper') {
      const length = Math.round(sampleRate * 0.6);
      for (let tooth = 0; tooth < 70; tooth++) {
        const at = Math.round((tooth / 70) * length);
        const click = applyBiquad(burst(sampleRate, 0.003, 1500, random), biquad('bandpass', 2500 + tooth * 40, 2, sampleRate));
        mixInto(out, click, time + at, 0.9 * intensity, 0);
      }
    } else {
      const seconds = variant === 'page' ? 0.45 : random.range(0.3, 0.8);
      const swish = applyBiquad(whiteNoise(Math.round(sampleRate * seconds), random), biquad('bandpass', 3500, 0.8, sampleRate));
      for (let i = 0; i < swish.length; i++) swish[i] = (swish[i] as number) * Math.sin((Math.PI * i) / swish.length) ** 2;
      mixInto(out, swish, time, 0.4 * intensity, random.signed() * 0.4);
      mixInto(out, grainCluster(sampleRate, seconds, 60, 1500, 8000, random), time, 0.7 * intensity, random.signed() * 0.4);
    }
  }
  return out;
};
