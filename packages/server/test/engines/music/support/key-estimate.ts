import type { PcmAudio } from '../../../../src/audio/pcm-audio.js';

/** Krumhansl–Kessler key profiles (probe-tone ratings), major and minor, tonic first. */
const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];
export const PITCH_CLASSES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** Energy per pitch class: Goertzel filters at every semitone from MIDI 36 to 95, over frames. */
export function chroma(audio: PcmAudio): number[] {
  const left = audio.channels[0] as Float32Array;
  const right = (audio.channels[1] ?? left) as Float32Array;
  const frame = 8192;
  const totals = new Array(12).fill(0);
  for (let start = 0; start + frame <= left.length; start += frame * 2) {
    for (let midi = 36; midi < 96; midi++) {
      const coefficient = 2 * Math.cos((2 * Math.PI * 440 * 2 ** ((midi - 69) / 12)) / audio.sampleRate);
      let previous = 0;
      let beforePrevious = 0;
      for (let index = 0; index < frame; index++) {
        const sample = ((left[start + index] as number) + (right[start + index] as number)) / 2;
        const current = sample + coefficient * previous - beforePrevious;
        beforePrevious = previous;
        previous = current;
      }
      totals[midi % 12] += Math.sqrt(
        Math.max(0, previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious),
      );
    }
  }
  return totals;
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const [ma, mb] = [mean(a), mean(b)];
  let top = 0;
  let left = 0;
  let right = 0;
  for (let index = 0; index < a.length; index++) {
    top += ((a[index] as number) - ma) * ((b[index] as number) - mb);
    left += ((a[index] as number) - ma) ** 2;
    right += ((b[index] as number) - mb) ** 2;
  }
  return top / Math.sqrt(left * right);
}

/** The key whose profile best matches the audio's chroma (the Krumhansl–Schmuckler method). */
export function estimateKey(audio: PcmAudio): { tonic: string; mode: 'major' | 'minor' } {
  const vector = chroma(audio);
  let best = { score: -2, tonic: 'C', mode: 'major' as 'major' | 'minor' };
  for (let tonic = 0; tonic < 12; tonic++) {
    for (const [mode, profile] of [
      ['major', MAJOR],
      ['minor', MINOR],
    ] as const) {
      const rotated = profile.map((_value, index) => profile[(index - tonic + 12) % 12] as number);
      const score = correlation(vector, rotated);
      if (score > best.score) best = { score, tonic: PITCH_CLASSES[tonic] as string, mode };
    }
  }
  return { tonic: best.tonic, mode: best.mode };
}
