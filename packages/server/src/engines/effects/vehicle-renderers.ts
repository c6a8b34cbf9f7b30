import { applyBiquad, biquad, brownNoise, mixInto, pinkNoise, smoothRandom, stereoBuffer, sweptBandpass, whiteNoise } from './dsp.js';
import { burst, type EffectRenderer, eventTimes, type SynthContext } from './synth-context.js';

/** Seconds the starter cranks before the engine catches. */
const CRANK_SECONDS = 1.1;

/** Engine speed over time, 1 = idle, 0 = not running: start, revs, acceleration and the doppler of a pass. */
function rpmCurve(context: SynthContext): Float32Array {
  const { sampleRate, frames, variants } = context;
  const seconds = frames / sampleRate;
  const crank = variants.includes('start') ? Math.min(CRANK_SECONDS, seconds * 0.3) : 0;
  const revs = variants.includes('rev')
    ? eventTimes(
        { ...context, frames: Math.max(1, frames - Math.round(sampleRate * 1.2)) },
        Math.round(sampleRate * (crank + 0.9)),
        sampleRate * 2.2,
        0.2,
      )
    : [];
  const accelerate = variants.includes('accelerate');
  const pass = variants.includes('pass');
  const curve = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    const t = i / sampleRate;
    let rpm = 1;
    if (crank > 0) rpm = t < crank ? 0 : 1 + 1.3 * Math.exp(-(t - crank) * 2.5);
    if (accelerate && rpm > 0) {
      const gear = ((t - crank) / Math.max(0.5, (seconds - crank) / 3)) % 1;
      rpm *= 1 + 1.6 * Math.max(0, gear) + 0.4 * Math.min(1, (t - crank) / seconds);
    }
    for (const rev of revs) {
      const since = t - rev / sampleRate;
      if (since >= 0 && since < 2 && rpm > 0) rpm += 2.6 * (since < 0.35 ? since / 0.35 : Math.exp(-(since - 0.35) * 3));
    }
    if (pass) rpm *= 1 - 0.09 * Math.tanh((t - seconds / 2) * 3);
    curve[i] = rpm;
  }
  return curve;
}

/**
 * Engine: a pulse train at the firing rate through an exhaust resonance, with rpm wobble; a
 * starter cranking then catching ("starting"), revs ("revving", counted), gears ("accelerating"),
 * a doppler drop ("passing").
 */
export const renderEngine: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity, speed } = context;
  const out = stereoBuffer(frames);
  const wobble = smoothRandom(frames, Math.round(sampleRate * 0.7), random);
  const rpm = rpmCurve(context);
  const base = 28 * speed * (0.8 + 0.4 * intensity);
  const mono = new Float32Array(frames);
  const starter = new Float32Array(frames);
  let phase = 0;
  let starterPhase = 0;
  for (let i = 0; i < frames; i++) {
    const r = rpm[i] as number;
    if (r === 0) {
      starterPhase += 240 / sampleRate;
      const compression = 0.55 + 0.45 * Math.sin((2 * Math.PI * 9 * i) / sampleRate);
      starter[i] = ((starterPhase % 1) * 2 - 1) * compression;
      continue;
    }
    phase += (base * r * (0.92 + 0.16 * (wobble[i] as number))) / sampleRate;
    mono[i] = (Math.exp(-(phase % 1) * 9) * (1 + 0.3 * random.signed()) - 0.11) * (0.6 + 0.25 * r);
  }
  applyBiquad(mono, biquad('lowpass', 500 + 300 * intensity, 1.4, sampleRate));
  mixInto(out, mono, 0, 0.9, 0);
  mixInto(out, applyBiquad(starter, biquad('bandpass', 700, 1.2, sampleRate)), 0, 0.5, 0.1);
  const hiss = applyBiquad(whiteNoise(frames, random), biquad('bandpass', 1200, 0.7, sampleRate));
  for (let i = 0; i < frames; i++) hiss[i] = (hiss[i] as number) * Math.min(2, rpm[i] as number);
  mixInto(out, hiss, 0, 0.03 * intensity, 0.2);
  return out;
};

/** Traffic: a road-noise bed with cars passing left to right and back, now and then a horn. */
export const renderTraffic: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity } = context;
  const out = stereoBuffer(frames);
  for (const pan of [-0.7, 0.7]) {
    mixInto(out, applyBiquad(brownNoise(frames, random), biquad('lowpass', 400, 0.7, sampleRate)), 0, 0.5, pan);
    mixInto(out, applyBiquad(pinkNoise(frames, random), biquad('bandpass', 900, 0.6, sampleRate)), 0, 0.08, pan);
  }
  for (const time of eventTimes({ ...context, count: null }, Math.round(sampleRate * 0.3), (sampleRate * 2.4) / intensity, 0.6)) {
    const length = Math.round(sampleRate * random.range(2, 3.5));
    const centre = random.range(300, 700);
    const car = sweptBandpass(pinkNoise(length, random), (i) => centre * (1.1 - 0.2 * (i / length)), 0.9, sampleRate);
    const direction = random.next() < 0.5 ? -1 : 1;
    for (let i = 0; i < length; i++) car[i] = (car[i] as number) * Math.exp(-(((i / length) * 2 - 1) ** 2) * 5);
    mixInto(out, car, time, 0.9, direction * -0.5);
    mixInto(out, car, time + Math.round(length * 0.15), 0.6, direction * 0.5);
  }
  return out;
};

/** Train: a heavy rumble with wheels clacking over rail joints ("clickety-clack"). */
export const renderTrain: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity, speed } = context;
  const out = stereoBuffer(frames);
  for (const pan of [-0.5, 0.5])
    mixInto(out, applyBiquad(brownNoise(frames, random), biquad('lowpass', 160, 0.7, sampleRate)), 0, 0.9, pan);
  const screech = applyBiquad(whiteNoise(frames, random), biquad('bandpass', 2500, 3, sampleRate));
  mixInto(out, screech, 0, 0.015, 0);
  const car = (sampleRate * 1.1) / speed;
  for (const time of eventTimes({ ...context, count: null }, Math.round(sampleRate * 0.1), car, 0.02))
    for (const offset of [0, 0.13, car / sampleRate - 0.25, car / sampleRate - 0.12]) {
      const clack = applyBiquad(burst(sampleRate, 0.05, 70, random, 0.001), biquad('bandpass', 1400, 1.2, sampleRate));
      mixInto(out, clack, time + Math.round(sampleRate * offset), 0.7 * intensity, random.signed() * 0.3);
    }
  return out;
};

/** Helicopter: blade slaps at the rotor rate over a turbine whine. */
export const renderHelicopter: EffectRenderer = ({ sampleRate, frames, random, intensity, speed }) => {
  const out = stereoBuffer(frames);
  const rate = 5.5 * speed;
  for (let time = 0; time < frames; time += Math.round(sampleRate / rate)) {
    const slap = applyBiquad(burst(sampleRate, 0.12, 25, random, 0.004), biquad('lowpass', 600, 0.8, sampleRate));
    mixInto(out, slap, time, 1.1 * intensity, 0);
  }
  const whine = new Float32Array(frames);
  for (let i = 0; i < frames; i++)
    whine[i] = Math.sin((2 * Math.PI * 920 * i) / sampleRate) + 0.5 * Math.sin((2 * Math.PI * 1840 * i) / sampleRate);
  mixInto(out, whine, 0, 0.02, 0.2);
  mixInto(out, applyBiquad(brownNoise(frames, random), biquad('lowpass', 250, 0.7, sampleRate)), 0, 0.3, -0.2);
  return out;
};

/** Jet aircraft: a broadband roar with a high whine, brightening and darkening slowly. */
export const renderAirplane: EffectRenderer = ({ sampleRate, frames, random, intensity }) => {
  const out = stereoBuffer(frames);
  const drift = smoothRandom(frames, Math.round(sampleRate * 2), random);
  for (const pan of [-0.6, 0.6]) {
    const roar = sweptBandpass(pinkNoise(frames, random), (i) => 500 + 900 * (drift[i] as number), 0.4, sampleRate);
    mixInto(out, roar, 0, 0.9 * intensity, pan);
  }
  const whine = new Float32Array(frames);
  for (let i = 0; i < frames; i++) whine[i] = Math.sin((2 * Math.PI * (2900 + 200 * (drift[i] as number)) * i) / sampleRate);
  mixInto(out, whine, 0, 0.01, 0);
  return out;
};

/** Car horn: two detuned reedy tones per honk (shorter with "short"). */
export const renderHorn: EffectRenderer = (context) => {
  const { sampleRate, frames, short, intensity } = context;
  const out = stereoBuffer(frames);
  const length = Math.round(sampleRate * (short ? 0.22 : 0.5));
  for (const time of eventTimes(context, Math.round(sampleRate * 0.05), length + sampleRate * 0.25, 0.1)) {
    const honk = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const edge = Math.min(1, i / (sampleRate * 0.01), (length - i) / (sampleRate * 0.02));
      const reed = (f: number) => (((f * i) / sampleRate) % 1 < 0.3 ? 1 : -0.4);
      honk[i] = (reed(415) + reed(518)) * 0.3 * edge;
    }
    mixInto(out, applyBiquad(honk, biquad('lowpass', 3000, 0.7, sampleRate)), time, 0.8 * intensity, 0);
  }
  return out;
};
