import { applyBiquad, biquad, brownNoise, mixInto, pinkNoise, type Stereo, smoothRandom, stereoBuffer, whiteNoise } from './dsp.js';
import { grainCluster } from './footstep-renderer.js';
import { burst, type EffectRenderer, eventTimes, ping, type SynthContext } from './synth-context.js';

/** One impact of a variant: a thud, a punch, a metal clang, or a crash with debris. */
function impactAt(context: SynthContext, out: Stereo, time: number, variant: string): void {
  const { sampleRate, random, intensity, short } = context;
  const body = applyBiquad(burst(sampleRate, short ? 0.15 : 0.35, 16, random, 0.001), biquad('lowpass', 300, 0.8, sampleRate));
  mixInto(out, body, time, 1.4 * intensity, 0);
  mixInto(out, ping(sampleRate, 0.4, random.range(50, 70), 12, 38), time, 1.1 * intensity, 0);
  if (variant === 'punch') {
    const slap = applyBiquad(burst(sampleRate, 0.06, 60, random, 0.0005), biquad('bandpass', 1800, 0.8, sampleRate));
    mixInto(out, slap, time, 1.2 * intensity, 0);
  } else if (variant === 'metal') {
    for (const ratio of [1, 2.76, 5.4, 8.93]) {
      const base = random.range(380, 520);
      mixInto(out, ping(sampleRate, short ? 0.6 : 1.8, base * ratio, 3 + ratio), time, 0.25 / Math.sqrt(ratio), random.signed() * 0.3);
    }
  } else if (variant === 'crack') {
    const snap = applyBiquad(burst(sampleRate, 0.03, 150, random, 0.0002), biquad('highpass', 1500, 0.7, sampleRate));
    mixInto(out, snap, time, 2 * intensity, 0);
    mixInto(out, grainCluster(sampleRate, 0.08, 25, 1500, 6000, random), time, 1.2 * intensity, 0);
  } else if (variant === 'crash') {
    mixInto(out, grainCluster(sampleRate, 0.9, 160, 800, 7000, random), time, 1.4 * intensity, -0.3);
    mixInto(out, grainCluster(sampleRate, 0.7, 120, 800, 7000, random), time + Math.round(sampleRate * 0.05), 1.1 * intensity, 0.3);
  } else {
    const air = applyBiquad(burst(sampleRate, 0.05, 80, random), biquad('bandpass', 1200, 0.7, sampleRate));
    mixInto(out, air, time, 0.4 * intensity, 0);
  }
}

/** Impact: counted hits ("two punches"); one by default. */
export const renderImpact: EffectRenderer = (context) => {
  const out = stereoBuffer(context.frames);
  const variant = context.variants[0] ?? 'thud';
  for (const time of eventTimes(context, Math.round(context.sampleRate * 0.03), context.sampleRate * 0.8, 0.2))
    impactAt(context, out, time, variant);
  return out;
};

/** Water: a babbling stream (default), a splash, pouring, bubbling, or a waterfall's roar. */
export const renderWater: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity, variants } = context;
  const out = stereoBuffer(frames);
  const variant = variants[0] ?? 'stream';
  if (variant === 'splash') {
    for (const time of eventTimes(context, Math.round(sampleRate * 0.03), sampleRate * 1.5, 0.2)) {
      const body = applyBiquad(burst(sampleRate, 0.5, 9, random, 0.005), biquad('bandpass', 900, 0.6, sampleRate));
      mixInto(out, body, time, 1.3 * intensity, 0);
      for (let drop = 0; drop < 25; drop++) {
        const from = random.range(600, 2000);
        const at = time + Math.round(sampleRate * random.range(0.05, 0.8));
        mixInto(out, ping(sampleRate, 0.04, from, 60, from * 1.7), at, random.range(0.05, 0.2), random.signed() * 0.7);
      }
    }
    return out;
  }
  const roar = variant === 'waterfall' ? 0.9 : variant === 'pour' ? 0.2 : 0.35;
  for (const pan of [-0.6, 0.6]) {
    const wash = applyBiquad(pinkNoise(frames, random), biquad('bandpass', variant === 'waterfall' ? 1200 : 2200, 0.5, sampleRate));
    mixInto(out, wash, 0, roar * intensity, pan);
  }
  const rate = variant === 'bubbles' ? 12 : variant === 'pour' ? 20 : variant === 'waterfall' ? 10 : 40;
  const fill = smoothRandom(frames, frames, random);
  for (const time of eventTimes({ ...context, count: null }, 0, sampleRate / (rate * intensity), 0.9)) {
    const rising = variant === 'pour' ? 1 + (time / frames) * 1.5 : 1;
    const from = random.range(300, 900) * rising * (variant === 'bubbles' ? 0.6 : 1);
    const bubble = ping(sampleRate, random.range(0.02, 0.06), from, 50, from * random.range(1.4, 2.2));
    mixInto(out, bubble, time, random.range(0.05, 0.25) * (0.8 + 0.4 * (fill[time] ?? 0.5)), random.signed() * 0.8);
  }
  return out;
};

/** Machinery: a factory's rhythmic clank over a motor, a drill or saw whine, a fan, or robot servos. */
export const renderMachine: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity, speed, variants } = context;
  const out = stereoBuffer(frames);
  const variant = variants[0] ?? 'factory';
  const load = smoothRandom(frames, Math.round(sampleRate * 1.2), random);
  const motor = new Float32Array(frames);
  const base = variant === 'drill' ? 180 : variant === 'servo' ? 320 : 50;
  let phase = 0;
  for (let i = 0; i < frames; i++) {
    const wander = variant === 'servo' ? 0.6 + 0.8 * (load[i] as number) : 0.95 + 0.1 * (load[i] as number);
    phase += (base * wander * speed) / sampleRate;
    motor[i] = (phase % 1) * 2 - 1;
  }
  applyBiquad(motor, biquad('lowpass', variant === 'drill' ? 3500 : 900, 0.9, sampleRate));
  mixInto(out, motor, 0, (variant === 'fan' ? 0.1 : 0.35) * intensity, 0);
  if (variant === 'fan') {
    for (const pan of [-0.5, 0.5])
      mixInto(out, applyBiquad(pinkNoise(frames, random), biquad('lowpass', 2500, 0.7, sampleRate)), 0, 0.5, pan);
    return out;
  }
  if (variant === 'drill') {
    mixInto(out, applyBiquad(whiteNoise(frames, random), biquad('bandpass', 3000, 2, sampleRate)), 0, 0.1 * intensity, 0.1);
    return out;
  }
  mixInto(out, applyBiquad(brownNoise(frames, random), biquad('lowpass', 200, 0.7, sampleRate)), 0, 0.3, 0);
  if (variant === 'servo') return out;
  for (const time of eventTimes({ ...context, count: null }, Math.round(sampleRate * 0.1), (sampleRate * 0.6) / speed, 0.02)) {
    const clank = applyBiquad(burst(sampleRate, 0.1, 40, random, 0.001), biquad('bandpass', 1600, 1.5, sampleRate));
    mixInto(out, clank, time, 0.9 * intensity, random.signed() * 0.4);
    mixInto(out, ping(sampleRate, 0.25, random.range(700, 900), 20), time, 0.08, 0);
  }
  return out;
};

/** Typing: irregular key clicks in bursts of words (a typewriter adds a bell and a carriage return). */
export const renderTyping: EffectRenderer = (context) => {
  const { sampleRate, frames, random, speed, words } = context;
  const out = stereoBuffer(frames);
  const typewriter = words.includes('typewriter');
  let keys = 0;
  for (const time of eventTimes({ ...context, count: null }, Math.round(sampleRate * 0.05), (sampleRate * 0.13) / speed, 0.7)) {
    const space = ++keys % 6 === 0;
    const click = applyBiquad(burst(sampleRate, 0.02, 300, random, 0.0003), biquad('bandpass', random.range(2500, 4500), 1.2, sampleRate));
    mixInto(out, click, time, space ? 1.4 : random.range(0.8, 1.2), random.signed() * 0.3);
    mixInto(out, ping(sampleRate, 0.02, typewriter ? 900 : random.range(350, 500), 200), time, typewriter ? 0.3 : 0.15, 0);
    if (typewriter && keys % 40 === 0) mixInto(out, ping(sampleRate, 0.8, 2100, 5), time + Math.round(sampleRate * 0.1), 0.25, 0.4);
  }
  return out;
};
