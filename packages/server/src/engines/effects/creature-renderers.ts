import { applyBiquad, biquad, mixInto, pinkNoise, type Stereo, smoothRandom, stereoBuffer, sweptBandpass } from './dsp.js';
import type { Random } from '../seeded-random.js';
import { burst, type EffectRenderer, eventTimes, ping } from './synth-context.js';

/** One voiced sound of an animal call: pitch (start, peak, end Hz), two formant glides, breath. */
interface Syllable {
  readonly at: number;
  readonly seconds: number;
  readonly pitch: readonly [number, number, number];
  readonly f1: readonly [number, number];
  readonly f2: readonly [number, number];
  /** Share of breath noise in the source, 0..1. */
  readonly noise: number;
  /** Pitch wobble: rate (Hz) and depth (fraction). */
  readonly vibrato?: readonly [number, number];
  /** Loudness pulsing: rate (Hz) and depth 0..1 (a growl, a croak). */
  readonly tremolo?: readonly [number, number];
}

/** An animal's call (one or more syllables) and the usual pause between calls, seconds. */
interface Call {
  readonly syllables: readonly Syllable[];
  readonly gap: number;
}

const one = (syllable: Omit<Syllable, 'at'>, gap: number): Call => ({ syllables: [{ at: 0, ...syllable }], gap });

/** Each animal family's call; `<family>/<variant>` for a variant's own call. */
const CALLS: Readonly<Record<string, Call>> = {
  dog: one({ seconds: 0.17, pitch: [480, 560, 330], f1: [700, 600], f2: [1500, 1200], noise: 0.45 }, 0.55),
  'dog/growl': one({ seconds: 1.4, pitch: [95, 110, 90], f1: [400, 450], f2: [900, 800], noise: 0.8, tremolo: [22, 0.5] }, 1.8),
  cat: one({ seconds: 0.75, pitch: [480, 720, 420], f1: [450, 900], f2: [2300, 1200], noise: 0.1 }, 1.6),
  cow: one({ seconds: 1.7, pitch: [130, 165, 115], f1: [300, 600], f2: [800, 1000], noise: 0.12 }, 3),
  wolf: one({ seconds: 2.6, pitch: [380, 620, 420], f1: [450, 600], f2: [900, 1100], noise: 0.04, vibrato: [5, 0.01] }, 4),
  horse: one({ seconds: 1.3, pitch: [950, 1000, 450], f1: [900, 700], f2: [1800, 1400], noise: 0.25, vibrato: [11, 0.12] }, 3),
  sheep: one({ seconds: 0.9, pitch: [330, 360, 300], f1: [750, 800], f2: [1300, 1400], noise: 0.15, vibrato: [7, 0.09] }, 2.2),
  roar: one({ seconds: 1.6, pitch: [140, 180, 95], f1: [500, 700], f2: [1000, 1300], noise: 0.75, tremolo: [30, 0.35] }, 2.5),
  'roar/groan': one({ seconds: 1.4, pitch: [110, 125, 85], f1: [400, 500], f2: [800, 700], noise: 0.5, vibrato: [4, 0.05] }, 2.2),
  frog: one({ seconds: 0.35, pitch: [170, 180, 160], f1: [500, 500], f2: [1200, 1200], noise: 0.5, tremolo: [24, 0.9] }, 0.8),
  rooster: {
    syllables: [
      { at: 0, seconds: 0.16, pitch: [600, 650, 620], f1: [800, 750], f2: [1600, 1500], noise: 0.2 },
      { at: 0.2, seconds: 0.14, pitch: [700, 720, 700], f1: [800, 750], f2: [1600, 1500], noise: 0.2 },
      { at: 0.38, seconds: 0.16, pitch: [760, 800, 760], f1: [800, 750], f2: [1600, 1500], noise: 0.2 },
      { at: 0.6, seconds: 0.9, pitch: [820, 840, 560], f1: [800, 650], f2: [1600, 1300], noise: 0.2, vibrato: [9, 0.04] },
    ],
    gap: 4,
  },
  owl: {
    syllables: [
      { at: 0, seconds: 0.35, pitch: [370, 390, 340], f1: [400, 400], f2: [800, 800], noise: 0.05 },
      { at: 0.55, seconds: 0.5, pitch: [370, 380, 330], f1: [400, 400], f2: [800, 800], noise: 0.05 },
    ],
    gap: 2.5,
  },
};

/** A voiced syllable: a buzzy source with breath, through two gliding formants, shaped by `scale` (pitch). */
function voice(sampleRate: number, syllable: Syllable, scale: number, random: Random): Float32Array {
  const frames = Math.max(64, Math.round(sampleRate * syllable.seconds));
  const source = new Float32Array(frames);
  const [start, peak, end] = syllable.pitch.map((hz) => hz * scale) as [number, number, number];
  const [vibratoRate, vibratoDepth] = syllable.vibrato ?? [0, 0];
  let phase = 0;
  for (let i = 0; i < frames; i++) {
    const progress = i / frames;
    const pitch = progress < 0.3 ? start + (peak - start) * (progress / 0.3) : peak + (end - peak) * ((progress - 0.3) / 0.7);
    phase += (pitch * (1 + vibratoDepth * Math.sin((2 * Math.PI * vibratoRate * i) / sampleRate))) / sampleRate;
    source[i] = (1 - 2 * (phase % 1)) * (1 - syllable.noise) + random.signed() * syllable.noise * 1.5;
  }
  const glide = (range: readonly [number, number]) => (i: number) => range[0] + (range[1] - range[0]) * (i / frames);
  const first = sweptBandpass(source.slice(), glide(syllable.f1), 4, sampleRate);
  const second = sweptBandpass(source, glide(syllable.f2), 5, sampleRate);
  const [tremoloRate, tremoloDepth] = syllable.tremolo ?? [0, 0];
  const attack = Math.min(sampleRate * 0.015, frames * 0.1);
  for (let i = 0; i < frames; i++) {
    const shape = Math.min(1, i / attack) * Math.min(1, (frames - i) / (frames * 0.25));
    const pulse = 1 - tremoloDepth * (0.5 + 0.5 * Math.sin((2 * Math.PI * tremoloRate * i) / sampleRate));
    first[i] = ((first[i] as number) + (second[i] as number) * 0.6) * shape * pulse;
  }
  return first;
}

/** Renderer of an animal family's voiced calls, counted ("barking twice") or repeating. */
function callRenderer(family: string): EffectRenderer {
  return (context) => {
    const { sampleRate, frames, random, intensity, speed, variants } = context;
    const out = stereoBuffer(frames);
    const call = CALLS[`${family}/${variants[0]}`] ?? (CALLS[family] as Call);
    const scale = 1 / intensity ** 0.3;
    const pan = random.signed() * 0.3;
    for (const time of eventTimes(context, Math.round(sampleRate * 0.05), (sampleRate * call.gap) / speed, 0.25)) {
      const variation = random.range(0.94, 1.06);
      for (const syllable of call.syllables)
        mixInto(out, voice(sampleRate, syllable, scale * variation, random), time + Math.round(sampleRate * syllable.at), 0.8, pan);
    }
    return out;
  };
}

/** Cat: meows, or a purr (breathy low pulses, in and out). */
const renderCatCalls = callRenderer('cat');
export const renderCat: EffectRenderer = (context) => {
  if (!context.variants.includes('purr')) return renderCatCalls(context);
  const { sampleRate, frames, random } = context;
  const out = stereoBuffer(frames);
  const purr = applyBiquad(pinkNoise(frames, random), biquad('lowpass', 350, 0.8, sampleRate));
  for (let i = 0; i < frames; i++) {
    const breath = 0.6 + 0.4 * Math.sin((2 * Math.PI * 0.45 * i) / sampleRate);
    purr[i] = (purr[i] as number) * (0.5 + 0.5 * Math.sin((2 * Math.PI * 26 * i) / sampleRate)) ** 2 * breath;
  }
  mixInto(out, purr, 0, 1.2, 0);
  return out;
};

/** Horse: neighs, or hooves galloping (three-beat thuds). */
const renderNeighs = callRenderer('horse');
export const renderHorse: EffectRenderer = (context) => {
  if (!context.variants.includes('hooves')) return renderNeighs(context);
  const { sampleRate, frames, random, speed, intensity } = context;
  const out: Stereo = stereoBuffer(frames);
  for (const stride of eventTimes({ ...context, count: null }, Math.round(sampleRate * 0.05), (sampleRate * 0.55) / speed, 0.05))
    for (const offset of [0, 0.09, 0.19]) {
      const hoof = applyBiquad(burst(sampleRate, 0.07, 60, random, 0.001), biquad('lowpass', 1200, 0.9, sampleRate));
      mixInto(out, hoof, stride + Math.round(sampleRate * offset), 0.9 * intensity, random.signed() * 0.2);
      mixInto(out, ping(sampleRate, 0.08, random.range(90, 130), 45), stride + Math.round(sampleRate * offset), 0.4, 0);
    }
  return out;
};

export const renderDog = callRenderer('dog');
export const renderCow = callRenderer('cow');
export const renderWolf = callRenderer('wolf');
export const renderRooster = callRenderer('rooster');
export const renderSheep = callRenderer('sheep');
export const renderOwl = callRenderer('owl');
export const renderFrog = callRenderer('frog');
export const renderRoar = callRenderer('roar');

/** Insects: crickets chirping in short pulse trains (or cicadas buzzing and swelling). */
export const renderInsects: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity, speed, words } = context;
  const out = stereoBuffer(frames);
  if (context.variants.includes('swarm')) {
    for (let insect = 0; insect < Math.round(3 + 3 * intensity); insect++) {
      const wobble = smoothRandom(frames, Math.round(sampleRate * 0.3), random);
      const buzz = new Float32Array(frames);
      const pitch = random.range(180, 260);
      let phase = 0;
      for (let i = 0; i < frames; i++) {
        phase += (pitch * (0.95 + 0.1 * (wobble[i] as number))) / sampleRate;
        buzz[i] = ((phase % 1) * 2 - 1) * (0.4 + 0.6 * (wobble[i] as number));
      }
      mixInto(out, applyBiquad(buzz, biquad('bandpass', 900, 0.8, sampleRate)), 0, 0.3, random.signed() * 0.8);
    }
    return out;
  }
  if (words.some((word) => word.startsWith('cicada'))) {
    const swell = smoothRandom(frames, Math.round(sampleRate * 3), random);
    const buzz = applyBiquad(pinkNoise(frames, random), biquad('bandpass', 4500, 3, sampleRate));
    for (let i = 0; i < frames; i++)
      buzz[i] = (buzz[i] as number) * (0.5 + 0.5 * Math.sin((2 * Math.PI * 110 * i) / sampleRate)) * (0.3 + (swell[i] as number));
    mixInto(out, buzz, 0, 2, 0);
    return out;
  }
  const crickets = Math.max(1, Math.round(2 + 2 * intensity));
  for (let cricket = 0; cricket < crickets; cricket++) {
    const pitch = random.range(3800, 5200);
    const pan = random.signed() * 0.8;
    const start = Math.round(random.range(0, 0.5) * sampleRate);
    for (const chirp of eventTimes({ ...context, count: null }, start, (sampleRate * random.range(0.4, 0.7)) / speed, 0.1))
      for (let pulse = 0; pulse < 3; pulse++)
        mixInto(out, ping(sampleRate, 0.016, pitch, 60), chirp + Math.round(sampleRate * 0.03 * pulse), 0.25, pan);
  }
  return out;
};
