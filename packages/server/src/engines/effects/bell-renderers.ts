import { applyBiquad, biquad, mixInto, type Stereo, stereoBuffer } from './dsp.js';
import { type EffectRenderer, eventTimes, ping, type SynthContext } from './synth-context.js';

/** Partials of a church bell relative to its strike note (hum, prime, minor third, fifth, octave, …). */
const BELL_PARTIALS = [0.5, 1, 1.19, 1.5, 2, 2.5, 2.98];

/** One bell strike: inharmonic partials, the higher ones dying sooner. */
function strike(context: SynthContext, out: Stereo, time: number, frequency: number, seconds: number, gain: number): void {
  const { sampleRate, random } = context;
  BELL_PARTIALS.forEach((ratio, index) => {
    const decay = (1.2 + index * 0.9) / seconds;
    mixInto(
      out,
      ping(sampleRate, seconds, frequency * ratio * random.range(0.998, 1.002), decay),
      time,
      gain / (1 + index * 0.4),
      random.signed() * 0.3,
    );
  });
}

/** A phone ringing: two tones beating at 20 Hz, in the British double ring, `count` rings or repeating. */
function ringPhone(context: SynthContext, out: Stereo): void {
  const { sampleRate } = context;
  for (const time of eventTimes(context, Math.round(sampleRate * 0.05), sampleRate * 3, 0)) {
    for (const start of [0, 0.6]) {
      const length = Math.round(sampleRate * 0.4);
      const ring = new Float32Array(length);
      for (let i = 0; i < length; i++) {
        const t = i / sampleRate;
        const warble = 0.5 + 0.5 * Math.sign(Math.sin(2 * Math.PI * 20 * t));
        ring[i] =
          (Math.sin(2 * Math.PI * 400 * t) + Math.sin(2 * Math.PI * 450 * t)) * 0.5 * warble * Math.min(1, i / 200, (length - i) / 200);
      }
      mixInto(out, applyBiquad(ring, biquad('lowpass', 3000, 0.7, sampleRate)), time + Math.round(sampleRate * start), 0.6, 0);
    }
  }
}

/** Bells: a tolling church bell (default), a doorbell's ding-dong, a phone, wind chimes, a gong. */
export const renderBell: EffectRenderer = (context) => {
  const { sampleRate, frames, random, intensity, speed, variants } = context;
  const out = stereoBuffer(frames);
  const variant = variants[0] ?? 'church';
  if (variant === 'phone') ringPhone(context, out);
  else if (variant === 'doorbell')
    for (const time of eventTimes(context, Math.round(sampleRate * 0.05), sampleRate * 2.5, 0)) {
      mixInto(out, ping(sampleRate, 1.4, 659.3, 3), time, 0.5, -0.1);
      mixInto(out, ping(sampleRate, 1.8, 523.3, 2.5), time + Math.round(sampleRate * 0.55), 0.5, 0.1);
    }
  else if (variant === 'chimes') {
    const notes = [1046.5, 1174.7, 1318.5, 1568, 1760, 2093];
    for (const time of eventTimes({ ...context, count: null }, 0, (sampleRate * 0.35) / speed, 0.9))
      mixInto(
        out,
        ping(sampleRate, 2.5, notes[Math.floor(random.next() * notes.length)] as number, 1.6),
        time,
        0.12,
        random.signed() * 0.8,
      );
  } else if (variant === 'gong')
    for (const time of eventTimes(context, Math.round(sampleRate * 0.05), sampleRate * 6, 0.1))
      strike(context, out, time, 140, 6, 0.5 * intensity);
  else {
    const base = 330 / intensity ** 0.5;
    for (const time of eventTimes(context, Math.round(sampleRate * 0.05), (sampleRate * 2.2) / speed, 0.02))
      strike(context, out, time, base, 4, 0.4);
  }
  return out;
};
