/** Uncompressed audio in memory: one Float32Array per channel, samples in -1..1. */
export interface PcmAudio {
  readonly sampleRate: number;
  readonly channels: readonly Float32Array[];
}

/** Length in seconds. */
export function pcmDurationSeconds(audio: PcmAudio): number {
  return (audio.channels[0]?.length ?? 0) / audio.sampleRate;
}

/** Interleave channels into signed 16-bit little-endian samples, clipping at full scale. */
export function toInt16Interleaved(audio: PcmAudio, start = 0, end?: number): Int16Array {
  const channelCount = audio.channels.length;
  const last = end ?? audio.channels[0]?.length ?? 0;
  const frames = Math.max(0, last - start);
  const out = new Int16Array(frames * channelCount);
  for (let channel = 0; channel < channelCount; channel++) {
    const data = audio.channels[channel] as Float32Array;
    for (let frame = 0; frame < frames; frame++) {
      const sample = Math.max(-1, Math.min(1, data[start + frame] as number));
      out[frame * channelCount + channel] = sample < 0 ? Math.round(sample * 32768) : Math.round(sample * 32767);
    }
  }
  return out;
}

/** Each channel of `pending` followed by the same channel of `added`, as new arrays. */
export function appendChannels(pending: readonly Float32Array[], added: readonly Float32Array[]): Float32Array[] {
  return pending.map((old, channel) => {
    const add = added[channel] as Float32Array;
    const joined = new Float32Array(old.length + add.length);
    joined.set(old);
    joined.set(add, old.length);
    return joined;
  });
}
