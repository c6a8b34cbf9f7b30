import { applyBiquad, biquad, brownNoise, mixInto, scheduleEvents, smoothRandom, stereoBuffer, sweptBandpass, whiteNoise } from './dsp.js';
import { burst, type EffectRenderer, ping } from './synth-context.js';

/** Footsteps: a heel thump and a toe scuff per step, alternating feet. */
export const renderFootsteps: EffectRenderer = ({ sampleRate, frames, random, intensity, speed, metallic }) => {
  const out = stereoBuffer(frames);
  let foot = 0;
  for (const time of scheduleEvents(frames, Math.round(sampleRate * 0.05), (sampleRate * 0.55) / speed, 0.08, random)) {
    const pan = foot++ % 2 === 0 ? -0.25 : 0.25;
    const heel = applyBiquad(burst(sampleRate, 0.06, 70, random, 0.002), biquad('lowpass', metallic ? 3000 : 900, 0.9, sampleRate));
    mixInto(out, heel, time, 0.9 * intensity, pan);
    mixInto(out, ping(sampleRate, 0.08, random.range(70, 95), 50), time, 0.5 * intensity, pan);
    const scuff = applyBiquad(burst(sampleRate, 0.07, 50, random, 0.01), biquad('bandpass', random.range(1500, 3000), 0.8, sampleRate));
    mixInto(out, scuff, time + Math.round(sampleRate * 0.06), 0.25, pan);
    if (metallic) mixInto(out, ping(sampleRate, 0.3, random.range(1800, 2600), 15), time, 0.08, pan);
  }
  return out;
};

/** Door: a creak of jittery low pitch then a slam with a thud. */
export const renderDoor: EffectRenderer = ({ sampleRate, frames, random, intensity, short, metallic }) => {
  const out = stereoBuffer(frames);
  const creakSeconds = short ? 0.35 : 1.1;
  for (const time of scheduleEvents(frames, Math.round(sampleRate * 0.05), sampleRate * 4, 0.2, random)) {
    const creakFrames = Math.round(sampleRate * creakSeconds);
    const creak = new Float32Array(creakFrames);
    const pitch = smoothRandom(creakFrames, Math.round(sampleRate * 0.08), random);
    let phase = 0;
    for (let i = 0; i < creakFrames; i++) {
      phase += ((metallic ? 420 : 180) * (0.7 + 0.8 * (pitch[i] as number))) / sampleRate;
      const pulse = phase % 1 < 0.08 ? 1 : 0; // stick-slip friction pulses
      creak[i] = pulse * Math.sin((Math.PI * i) / creakFrames);
    }
    sweptBandpass(creak, () => (metallic ? 2400 : 1100), 4, sampleRate);
    mixInto(out, creak, time, 1.2, -0.2);
    const slamAt = time + creakFrames;
    const thud = applyBiquad(burst(sampleRate, 0.25, 22, random, 0.001), biquad('lowpass', 500, 0.9, sampleRate));
    mixInto(out, thud, slamAt, 1.3 * intensity, 0.1);
    mixInto(out, ping(sampleRate, 0.3, 65, 18), slamAt, 0.8 * intensity, 0);
    const rattle = applyBiquad(burst(sampleRate, 0.12, 40, random), biquad('bandpass', metallic ? 3500 : 1800, 2, sampleRate));
    mixInto(out, rattle, slamAt + Math.round(sampleRate * 0.01), 0.4, 0.1);
  }
  return out;
};

/** Engine: a pulse train at the firing rate through an exhaust resonance, with rpm wobble. */
export const renderEngine: EffectRenderer = ({ sampleRate, frames, random, intensity, speed }) => {
  const out = stereoBuffer(frames);
  const wobble = smoothRandom(frames, Math.round(sampleRate * 0.7), random);
  const base = 28 * speed * (0.8 + 0.4 * intensity);
  const mono = new Float32Array(frames);
  let phase = 0;
  for (let i = 0; i < frames; i++) {
    phase += (base * (0.92 + 0.16 * (wobble[i] as number))) / sampleRate;
    const cycle = phase % 1;
    mono[i] = Math.exp(-cycle * 9) * (1 + 0.3 * random.signed()) - 0.11;
  }
  applyBiquad(mono, biquad('lowpass', 400 + 300 * intensity, 1.4, sampleRate));
  mixInto(out, mono, 0, 0.9, 0);
  const hiss = applyBiquad(whiteNoise(frames, random), biquad('bandpass', 1200, 0.7, sampleRate));
  mixInto(out, hiss, 0, 0.03 * intensity, 0.2);
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
export const renderGlass: EffectRenderer = ({ sampleRate, frames, random, intensity, short }) => {
  const out = stereoBuffer(frames);
  for (const time of scheduleEvents(frames, Math.round(sampleRate * 0.05), sampleRate * 3, 0.3, random)) {
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
