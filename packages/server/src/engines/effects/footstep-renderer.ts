import { applyBiquad, biquad, mixInto, type Stereo, stereoBuffer } from './dsp.js';
import type { Random } from '../seeded-random.js';
import { burst, type EffectRenderer, eventTimes, ping, type SynthContext } from './synth-context.js';

/**
 * A cluster of `grains` tiny clicks over `seconds`, denser at the start, band-passed to
 * `low`..`high` Hz: the crunch of gravel, snow or leaves under a foot.
 */
export function grainCluster(sampleRate: number, seconds: number, grains: number, low: number, high: number, random: Random): Float32Array {
  const frames = Math.round(sampleRate * seconds);
  const out = new Float32Array(frames);
  for (let grain = 0; grain < grains; grain++) {
    const at = Math.floor(random.next() ** 1.7 * (frames - 200));
    const click = burst(sampleRate, random.range(0.001, 0.004), random.range(600, 1500), random);
    const gain = random.range(0.3, 1) * (1 - at / frames);
    for (let i = 0; i < click.length && at + i < frames; i++) out[at + i] = (out[at + i] as number) + (click[i] as number) * gain;
  }
  applyBiquad(out, biquad('highpass', low, 0.7, sampleRate));
  return applyBiquad(out, biquad('lowpass', high, 0.7, sampleRate));
}

/** What one step on a surface sounds like: its thump level and what it adds at heel and toe. */
function step(context: SynthContext, target: Stereo, surface: string, time: number, pan: number): void {
  const { sampleRate, random, intensity, metallic } = context;
  const soft = surface === 'snow' || surface === 'grass' || surface === 'sand';
  const heel = applyBiquad(burst(sampleRate, 0.06, 70, random, 0.002), biquad('lowpass', metallic ? 3000 : 900, 0.9, sampleRate));
  mixInto(target, heel, time, (soft ? 0.45 : 0.9) * intensity, pan);
  mixInto(target, ping(sampleRate, 0.08, random.range(70, 95), 50), time, (soft ? 0.25 : 0.5) * intensity, pan);
  const toe = time + Math.round(sampleRate * 0.07);
  if (surface === 'gravel') {
    mixInto(target, grainCluster(sampleRate, 0.16, 70, 1800, 7000, random), time, 1.6 * intensity, pan);
    mixInto(target, grainCluster(sampleRate, 0.14, 50, 1800, 7000, random), toe, 1.2 * intensity, pan);
  } else if (surface === 'snow') {
    mixInto(target, grainCluster(sampleRate, 0.28, 90, 700, 3000, random), time, 1.6 * intensity, pan);
  } else if (surface === 'grass') {
    mixInto(target, grainCluster(sampleRate, 0.25, 120, 2500, 9000, random), time, 0.9 * intensity, pan);
  } else if (surface === 'sand') {
    mixInto(target, grainCluster(sampleRate, 0.2, 80, 400, 2500, random), time, 1.2 * intensity, pan);
  } else if (surface === 'wet') {
    const splash = applyBiquad(burst(sampleRate, 0.18, 18, random, 0.01), biquad('bandpass', 900, 0.8, sampleRate));
    mixInto(target, splash, time, 0.7 * intensity, pan);
    for (let bubble = 0; bubble < 3; bubble++) {
      const from = random.range(500, 900);
      mixInto(target, ping(sampleRate, 0.05, from, 40, from * 1.8), time + Math.round(sampleRate * random.range(0.03, 0.15)), 0.15, pan);
    }
  } else {
    const scuff = applyBiquad(burst(sampleRate, 0.07, 50, random, 0.01), biquad('bandpass', random.range(1500, 3000), 0.8, sampleRate));
    mixInto(target, scuff, toe - Math.round(sampleRate * 0.01), 0.25, pan);
    if (surface === 'wood') mixInto(target, ping(sampleRate, 0.2, random.range(170, 240), 20), time, 0.25 * intensity, pan);
  }
  if (metallic) mixInto(target, ping(sampleRate, 0.3, random.range(1800, 2600), 15), time, 0.08, pan);
}

/** Footsteps: heel and toe per step, alternating feet, on the surface the prompt names. */
export const renderFootsteps: EffectRenderer = (context) => {
  const { sampleRate, frames, speed, variants } = context;
  const target = stereoBuffer(frames);
  const surface = variants[0] ?? 'hard';
  const running = context.words.includes('running') || context.words.includes('run');
  const gap = (sampleRate * (running ? 0.33 : 0.55)) / speed;
  let foot = 0;
  for (const time of eventTimes(context, Math.round(sampleRate * 0.05), gap, 0.08))
    step(context, target, surface, time, foot++ % 2 === 0 ? -0.25 : 0.25);
  return target;
};
