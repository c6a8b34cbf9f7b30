/** Change the tempo of speech without changing its pitch (WSOLA). Pure. */

function hannWindow(length: number): Float32Array {
  const window = new Float32Array(length);
  for (let index = 0; index < length; index++) window[index] = 0.5 - 0.5 * Math.cos((2 * Math.PI * index) / length);
  return window;
}

/** Cross-correlation of `length` samples at `a` and `b`, on every second sample (fast, good enough). */
function similarity(input: Float32Array, a: number, b: number, length: number, step: number): number {
  let sum = 0;
  for (let index = 0; index < length; index += step) sum += (input[a + index] ?? 0) * (input[b + index] ?? 0);
  return sum;
}

/**
 * Play `input` `tempo` times as fast (2 = half as long), keeping pitch: overlap-adds 40 ms
 * Hann-windowed frames, each shifted up to ±8 ms to line up with the previous frame's continuation.
 * `searchStep` 1 aligns frames to the sample (for sung notes); 2 is twice as fast and fine for speech.
 * `toleranceSeconds` bounds the alignment search (one pitch period is enough for a steady tone).
 */
export function timeStretch(
  input: Float32Array,
  tempo: number,
  sampleRate: number,
  searchStep = 2,
  toleranceSeconds = 0.008,
): Float32Array {
  const outputLength = Math.round(input.length / tempo);
  if (Math.abs(tempo - 1) < 1e-3) return input.slice();
  const frame = 2 * Math.round(0.02 * sampleRate);
  const hop = frame / 2;
  const tolerance = Math.ceil(toleranceSeconds * sampleRate);
  const window = hannWindow(frame);
  const output = new Float32Array(outputLength + frame);
  const weight = new Float32Array(outputLength + frame);
  let previous = 0;
  for (let outputStart = 0; outputStart < outputLength; outputStart += hop) {
    const nominal = Math.round(outputStart * tempo);
    let chosen = Math.min(nominal, Math.max(0, input.length - frame));
    if (outputStart > 0) {
      const natural = previous + hop;
      let best = -Infinity;
      const low = Math.max(0, nominal - tolerance);
      const high = Math.min(input.length - frame, nominal + tolerance);
      for (let candidate = low; candidate <= high; candidate += searchStep) {
        const score = similarity(input, natural, candidate, hop, searchStep);
        if (score > best) {
          best = score;
          chosen = candidate;
        }
      }
    }
    for (let index = 0; index < frame; index++) {
      const gain = window[index] as number;
      output[outputStart + index] = (output[outputStart + index] as number) + (input[chosen + index] ?? 0) * gain;
      weight[outputStart + index] = (weight[outputStart + index] as number) + gain;
    }
    previous = chosen;
  }
  const result = new Float32Array(outputLength);
  for (let index = 0; index < outputLength; index++) {
    const total = weight[index] as number;
    result[index] = total > 1e-3 ? (output[index] as number) / total : 0;
  }
  return result;
}
