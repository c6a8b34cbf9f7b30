import { applyBiquad, biquad, brownNoise, mixInto, scheduleEvents, type Stereo, smoothRandom, stereoBuffer, sweptBandpass } from './dsp.js';
import { burst, type EffectRenderer, eventTimes, ping, type SynthContext } from './synth-context.js';

/** One door: a creak of jittery low pitch (stick-slip pulses), then, unless only opening, a slam. */
function doorAt(context: SynthContext, out: Stereo, time: number, creak: boolean, slam: boolean): void {
  const { sampleRate, random, intensity, short, metallic } = context;
  let slamAt = time;
  if (creak) {
    const creakFrames = Math.round(sampleRate * (short ? 0.35 : 1.1));
    const sound = new Float32Array(creakFrames);
    const pitch = smoothRandom(creakFrames, Math.round(sampleRate * 0.08), random);
    let phase = 0;
    for (let i = 0; i < creakFrames; i++) {
      phase += ((metallic ? 420 : 180) * (0.7 + 0.8 * (pitch[i] as number))) / sampleRate;
      sound[i] = (phase % 1 < 0.08 ? 1 : 0) * Math.sin((Math.PI * i) / creakFrames);
    }
    sweptBandpass(sound, () => (metallic ? 2400 : 1100), 4, sampleRate);
    mixInto(out, sound, time, 1.2, -0.2);
    slamAt = time + creakFrames;
  }
  if (!slam) return;
  const thud = applyBiquad(burst(sampleRate, 0.25, 22, random, 0.001), biquad('lowpass', 500, 0.9, sampleRate));
  mixInto(out, thud, slamAt, 1.3 * intensity, 0.1);
  mixInto(out, ping(sampleRate, 0.3, 65, 18), slamAt, 0.8 * intensity, 0);
  const rattle = applyBiquad(burst(sampleRate, 0.12, 40, random), biquad('bandpass', metallic ? 3500 : 1800, 2, sampleRate));
  mixInto(out, rattle, slamAt + Math.round(sampleRate * 0.01), 0.4, 0.1);
}

/** Door: creak then slam by default; "open"/"creaking" only creaks, "slam" only slams, "knock" knocks. */
export const renderDoor: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity, variants, metallic } = context;
  const out = stereoBuffer(frames);
  if (variants.includes('knock')) {
    for (const time of eventTimes(context, Math.round(sampleRate * 0.05), sampleRate * 0.26, 0.08)) {
      const knuckle = applyBiquad(burst(sampleRate, 0.05, 90, random, 0.0008), biquad('lowpass', metallic ? 4000 : 1400, 0.8, sampleRate));
      mixInto(out, knuckle, time, 1.4 * intensity, 0);
      mixInto(out, ping(sampleRate, 0.12, random.range(170, 210), 35), time, 0.6 * intensity, 0);
    }
    return out;
  }
  const creak = variants.includes('creak') || !variants.includes('slam');
  const slam = variants.includes('slam') || !variants.includes('creak');
  for (const time of eventTimes(context, Math.round(sampleRate * 0.05), sampleRate * 4, 0.2)) doorAt(context, out, time, creak, slam);
  return out;
};

/** Clock: alternating tick and tock, each a short resonant click. */
export const renderClock: EffectRenderer = ({ sampleRate, frames, random, speed, metallic }) => {
  const out = stereoBuffer(frames);
  let tick = 0;
  for (const time of scheduleEvents(frames, Math.round(sampleRate * 0.02), (sampleRate * 0.5) / speed, 0.005, random)) {
    const high = tick++ % 2 === 0;
    const click = applyBiquad(burst(sampleRate, 0.04, 180, random), biquad('bandpass', high ? 3200 : 2400, 6, sampleRate));
    mixInto(out, click, time, 3, high ? -0.1 : 0.1);
    mixInto(out, ping(sampleRate, 0.05, high ? 1600 : 1200, metallic ? 30 : 90), time, 0.15, 0);
  }
  return out;
};

/** Heartbeat: lub-dub pairs of low thumps. */
export const renderHeartbeat: EffectRenderer = ({ sampleRate, frames, random, intensity, speed }) => {
  const out = stereoBuffer(frames);
  const beat = (sampleRate * 60) / (72 * speed);
  for (const time of scheduleEvents(frames, Math.round(sampleRate * 0.05), beat, 0.03, random)) {
    mixInto(out, ping(sampleRate, 0.18, 62, 22, 45), time, 1 * intensity, 0);
    mixInto(out, ping(sampleRate, 0.15, 55, 28, 42), time + Math.round(beat * 0.32), 0.7 * intensity, 0);
    const thump = applyBiquad(burst(sampleRate, 0.05, 60, random, 0.005), biquad('lowpass', 200, 0.7, sampleRate));
    mixInto(out, thump, time, 0.5, 0);
  }
  return out;
};

/** Alarm: two alternating tones, or a rising and falling siren when the prompt says "siren". */
export const renderAlarm: EffectRenderer = ({ sampleRate, frames, words, speed }) => {
  const out = stereoBuffer(frames);
  const siren = words.includes('siren') || words.includes('sirens');
  const mono = new Float32Array(frames);
  let phase = 0;
  for (let i = 0; i < frames; i++) {
    const t = i / sampleRate;
    const frequency = siren
      ? 750 + 450 * (0.5 - 0.5 * Math.cos(2 * Math.PI * t * 0.35 * speed))
      : Math.floor(t * 2.5 * speed) % 2 === 0
        ? 960
        : 770;
    phase += frequency / sampleRate;
    const cycle = phase % 1;
    mono[i] = (cycle < 0.5 ? 1 : -1) * 0.3 + Math.sin(2 * Math.PI * cycle) * 0.4;
  }
  applyBiquad(mono, biquad('lowpass', 4000, 0.7, sampleRate));
  mixInto(out, mono, 0, 0.6, 0);
  return out;
};

/** Glass: an impact and many inharmonic ringing shards scattered over half a second. */
export const renderGlass: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity, short } = context;
  const out = stereoBuffer(frames);
  for (const time of eventTimes(context, Math.round(sampleRate * 0.05), sampleRate * 3, 0.3)) {
    const impact = applyBiquad(burst(sampleRate, 0.15, 30, random), biquad('highpass', 1500, 0.7, sampleRate));
    mixInto(out, impact, time, 0.8 * intensity, 0);
    const shards = Math.round(40 * intensity);
    for (let shard = 0; shard < shards; shard++) {
      const offset = Math.round(random.next() ** 2 * sampleRate * (short ? 0.25 : 0.7));
      const ring = ping(sampleRate, short ? 0.15 : 0.4, random.range(2500, 9000), random.range(12, 40));
      mixInto(out, ring, time + offset, random.range(0.05, 0.2), random.signed() * 0.9);
    }
    const low = applyBiquad(brownNoise(Math.round(sampleRate * 0.2), random), biquad('lowpass', 400, 0.7, sampleRate));
    mixInto(out, low, time, 0.6, 0);
  }
  return out;
};
