/** Cheap measures of rendered effects for tests that check what a prompt asked for, without ears. */

/** Loudness envelope: RMS of both channels (mixed) in windows of `seconds`, in dB (−120 for silence). */
export function envelopeDb(channels: readonly Float32Array[], sampleRate: number, seconds = 0.01): number[] {
  const window = Math.max(1, Math.round(sampleRate * seconds));
  const length = channels[0]?.length ?? 0;
  const out: number[] = [];
  for (let start = 0; start + window <= length; start += window) {
    let sum = 0;
    for (const channel of channels) for (let i = start; i < start + window; i++) sum += (channel[i] as number) ** 2;
    const rms = Math.sqrt(sum / (window * channels.length));
    out.push(rms > 0 ? 20 * Math.log10(rms) : -120);
  }
  return out;
}

/**
 * Onsets: 10 ms windows at most `withinDb` below the loudest that jump by `jumpDb` or more over
 * the quietest of the four windows before them; a new onset only 80 ms after the last.
 */
export function countOnsets(channels: readonly Float32Array[], sampleRate: number, jumpDb = 10, withinDb = 20): number {
  const envelope = envelopeDb(channels, sampleRate);
  const peak = Math.max(...envelope);
  let onsets = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < envelope.length; k++) {
    const before = Math.min(...envelope.slice(Math.max(0, k - 4), k), k === 0 ? -120 : Number.POSITIVE_INFINITY);
    const value = envelope[k] as number;
    if (value > peak - withinDb && value - before >= jumpDb && k - last >= 8) {
      onsets++;
      last = k;
    }
  }
  return onsets;
}

/** The longest run of digital silence (every channel's |sample| below −90 dBFS), in seconds. */
export function longestSilenceSeconds(channels: readonly Float32Array[], sampleRate: number): number {
  const floor = 10 ** (-90 / 20);
  let longest = 0;
  let run = 0;
  const length = channels[0]?.length ?? 0;
  for (let i = 0; i < length; i++) {
    if (channels.every((channel) => Math.abs(channel[i] as number) < floor)) longest = Math.max(longest, ++run);
    else run = 0;
  }
  return longest / sampleRate;
}

/** Mean level (dB) of the first and last `fraction` of the file, for rising and falling envelopes. */
export function edgeLevels(channels: readonly Float32Array[], sampleRate: number, fraction = 0.25): { head: number; tail: number } {
  const envelope = envelopeDb(channels, sampleRate, 0.05);
  const count = Math.max(1, Math.floor(envelope.length * fraction));
  const power = (values: number[]) => 10 * Math.log10(values.reduce((sum, db) => sum + 10 ** (db / 10), 0) / values.length);
  return { head: power(envelope.slice(0, count)), tail: power(envelope.slice(-count)) };
}

/** Brightness: energy of the first difference over energy, of `data[from..to)` (more highs, higher). */
export function brightness(data: Float32Array, from = 0, to = data.length): number {
  let difference = 0;
  let energy = 0;
  for (let i = Math.max(1, from); i < to; i++) {
    difference += ((data[i] as number) - (data[i - 1] as number)) ** 2;
    energy += (data[i] as number) ** 2;
  }
  return energy > 0 ? difference / energy : 0;
}
