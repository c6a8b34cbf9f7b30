/** Resample by an arbitrary ratio with cubic (Catmull-Rom) interpolation. Pure and fast. */

/**
 * Read `input` (sampled at `inputRate`) at `outputRate`, producing exactly `outputLength`
 * samples. Used to tune sung syllables by a fraction of a semitone and to change sample rate.
 */
export function changePlaybackRate(input: Float32Array, inputRate: number, outputRate: number, outputLength?: number): Float32Array {
  const step = inputRate / outputRate;
  const length = outputLength ?? Math.round(input.length / step);
  const output = new Float32Array(length);
  const last = input.length - 1;
  const at = (index: number) => (index < 0 || index > last ? 0 : (input[index] as number));
  for (let index = 0; index < length; index++) {
    const position = index * step;
    const base = Math.floor(position);
    const fraction = position - base;
    const p0 = at(base - 1);
    const p1 = at(base);
    const p2 = at(base + 1);
    const p3 = at(base + 2);
    output[index] = p1 + 0.5 * fraction * (p2 - p0 + fraction * (2 * p0 - 5 * p1 + 4 * p2 - p3 + fraction * (3 * (p1 - p2) + p3 - p0)));
  }
  return output;
}
