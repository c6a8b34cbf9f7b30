/** Helpers for singing: a flat-pitch eSpeak variant and the sustained part of a syllable. Pure. */
import type { SpeechVoice } from './speech-voices.js';

/**
 * eSpeak NG's `pitch` line is read as whole Hz and sounds 9 Hz below the number written
 * (measured: `pitch 229 229` with range 0 and no flutter gives 220.0 Hz).
 */
const PITCH_LINE_OFFSET = 9;

/** A variant that speaks in a monotone at `hertz` (whole Hz) with the voice's formants. */
export function singingVariant(voice: SpeechVoice, hertz: number): string {
  const pitch = Math.round(hertz) + PITCH_LINE_OFFSET;
  const lines = ['language variant', 'name overture-sing', `gender ${voice.gender}`, `pitch ${pitch} ${pitch}`, 'flutter 0'];
  for (let formant = 1; formant <= 8; formant++) {
    const frequency = formant <= 3 ? voice.timbre.formantPercent : Math.round((voice.timbre.formantPercent + 100) / 2);
    lines.push(`formant ${formant} ${frequency} 100 100`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The longest run of 10 ms frames louder than half the loudest frame: the vowel to hold.
 * Returns sample indexes; an empty region (start = end) when the sound is too short.
 */
export function sustainRegion(samples: Float32Array, sampleRate: number): { start: number; end: number } {
  const frame = Math.max(1, Math.round(0.01 * sampleRate));
  const count = Math.floor(samples.length / frame);
  const energies = new Float64Array(count);
  let loudest = 0;
  for (let index = 0; index < count; index++) {
    let sum = 0;
    for (let offset = 0; offset < frame; offset++) sum += (samples[index * frame + offset] as number) ** 2;
    energies[index] = sum;
    loudest = Math.max(loudest, sum);
  }
  let bestStart = 0;
  let bestLength = 0;
  let runStart = -1;
  for (let index = 0; index <= count; index++) {
    const loud = index < count && (energies[index] as number) >= loudest * 0.25;
    if (loud && runStart < 0) runStart = index;
    if (!loud && runStart >= 0) {
      if (index - runStart > bestLength) {
        bestStart = runStart;
        bestLength = index - runStart;
      }
      runStart = -1;
    }
  }
  // Keep the run's edges (transitions) out of the held part.
  const margin = Math.floor(bestLength / 5);
  return { start: (bestStart + margin) * frame, end: (bestStart + bestLength - margin) * frame };
}
