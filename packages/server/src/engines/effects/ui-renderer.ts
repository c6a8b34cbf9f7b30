import { applyBiquad, biquad, mixInto, type Stereo, stereoBuffer } from './dsp.js';
import { burst, type EffectRenderer, eventTimes, ping, type SynthContext } from './synth-context.js';

/** A tone of `frequency` with a soft square edge, for interface sounds. */
function blip(sampleRate: number, seconds: number, frequency: number, decay: number, square = false): Float32Array {
  const tone = ping(sampleRate, seconds, frequency, decay);
  if (square) for (let i = 0; i < tone.length; i++) tone[i] = Math.tanh((tone[i] as number) * 4) * 0.5;
  return tone;
}

/** One interface sound of a variant. */
function uiSound(context: SynthContext, out: Stereo, time: number, variant: string): void {
  const { sampleRate, random } = context;
  if (variant === 'chime')
    for (const [index, frequency] of [880, 1318.5].entries())
      mixInto(out, blip(sampleRate, 0.6, frequency, 6), time + Math.round(index * sampleRate * 0.12), 0.3, 0);
  else if (variant === 'success')
    for (const [index, frequency] of [1046.5, 1318.5, 1568, 2093].entries())
      mixInto(out, blip(sampleRate, 0.25, frequency, 12), time + Math.round(index * sampleRate * 0.07), 0.25, 0);
  else if (variant === 'error')
    for (const [index, frequency] of [330, 220].entries())
      mixInto(out, blip(sampleRate, 0.16, frequency, 4, true), time + Math.round(index * sampleRate * 0.18), 0.5, 0);
  else if (variant === 'beep') {
    const tone = blip(sampleRate, 0.09, random.next() < 0.5 ? 880 : 1320, 8);
    for (let i = tone.length - 200; i < tone.length; i++) tone[i] = (tone[i] as number) * ((tone.length - i) / 200);
    mixInto(out, tone, time, 0.35, 0);
  } else {
    const click = applyBiquad(burst(sampleRate, 0.008, 900, random), biquad('bandpass', random.range(2500, 4000), 1.5, sampleRate));
    mixInto(out, click, time, 2.2, random.signed() * 0.2);
    mixInto(out, ping(sampleRate, 0.01, 1800, 500), time, 0.2, 0);
  }
}

/** Interface sounds: clicks, beeps, a notification chime, an error buzz or a success arpeggio; clicks and beeps alternate when both are named. */
export const renderUi: EffectRenderer = (context) => {
  const { sampleRate, frames, speed, variants } = context;
  const out = stereoBuffer(frames);
  const single = variants.find((variant) => variant === 'chime' || variant === 'success' || variant === 'error');
  const gap = (sampleRate * (single ? 1.2 : 0.45)) / speed;
  let index = 0;
  for (const time of eventTimes(context, Math.round(sampleRate * 0.02), gap, single ? 0.05 : 0.2)) {
    const alternate = variants.includes('click') && variants.includes('beep') ? (index % 2 === 1 ? 'beep' : 'click') : undefined;
    uiSound(context, out, time, single ?? alternate ?? variants[0] ?? 'click');
    index++;
  }
  return out;
};
