/**
 * Loudness statistics of a stream gathered in 10 ms chunks (K-weighted energy and sample peak),
 * from which the gain that brings the limited result to a target loudness can be predicted
 * without keeping the audio: the basis of rendering long pieces in two passes.
 */
import { kWeigh, kWeightingFilters } from '../../../audio/loudness-meter.js';

const powerToLoudness = (power: number) => -0.691 + 10 * Math.log10(power);
const CHUNKS_PER_SEGMENT = 10;

/** Collects per-chunk K-weighted energy (summed over channels) and peak of a stereo or mono stream. */
export class ChunkStats {
  readonly chunkFrames: number;
  private readonly filters: ReturnType<typeof kWeightingFilters>;
  private readonly state: Float64Array[];
  private energies: number[] = [];
  private peaks: number[] = [];
  private position = 0;

  constructor(
    readonly sampleRate: number,
    channelCount: number,
  ) {
    this.chunkFrames = Math.round((sampleRate * 0.1) / CHUNKS_PER_SEGMENT);
    this.filters = kWeightingFilters(sampleRate);
    this.state = Array.from({ length: channelCount }, () => new Float64Array(6));
  }

  /** Statistics made of per-chunk energies and peaks gathered elsewhere, over `frames` frames. */
  static fromChunks(sampleRate: number, energies: number[], peaks: number[], frames: number): ChunkStats {
    const stats = new ChunkStats(sampleRate, 0);
    stats.energies = energies;
    stats.peaks = peaks;
    stats.position = frames;
    return stats;
  }

  /**
   * Run the K-weighting filters over frames that come before the first pushed one, without
   * counting them: statistics of a stream's second half then match those of the whole stream.
   */
  warmUp(channels: readonly Float32Array[]): void {
    channels.forEach((data, channel) => {
      kWeigh(this.filters, this.state[channel] as Float64Array, data, 0, data.length);
    });
  }

  /** The per-chunk energies and peaks gathered so far (for `fromChunks` after joining parts). */
  chunks(): { readonly energies: number[]; readonly peaks: number[] } {
    return { energies: this.energies, peaks: this.peaks };
  }

  /** Add the next frames. */
  push(channels: readonly Float32Array[]): void {
    const length = channels[0]?.length ?? 0;
    channels.forEach((data, channel) => {
      const state = this.state[channel] as Float64Array;
      let index = 0;
      while (index < length) {
        const chunk = Math.floor((this.position + index) / this.chunkFrames);
        const stop = Math.min(length, (chunk + 1) * this.chunkFrames - this.position);
        const energy = kWeigh(this.filters, state, data, index, stop);
        let peak = 0;
        for (; index < stop; index++) {
          const magnitude = Math.abs(data[index] as number);
          if (magnitude > peak) peak = magnitude;
        }
        this.energies[chunk] = (this.energies[chunk] ?? 0) + energy;
        this.peaks[chunk] = Math.max(this.peaks[chunk] ?? 0, peak);
      }
    });
    this.position += length;
  }

  /**
   * Predicted integrated loudness (BS.1770 gating) after multiplying by `gain` and limiting peaks
   * to `ceiling` with a limiter that releases over `releaseSeconds`, modelled chunk by chunk.
   */
  predictLoudness(gain: number, ceiling: number, releaseSeconds = 0.09): number {
    const release = Math.exp(-this.chunkFrames / (releaseSeconds * this.sampleRate));
    const segments = Math.floor(this.position / (this.chunkFrames * CHUNKS_PER_SEGMENT));
    const segmentEnergy = new Float64Array(segments);
    let level = 1;
    for (let chunk = 0; chunk < segments * CHUNKS_PER_SEGMENT; chunk++) {
      const peak = (this.peaks[chunk] ?? 0) * gain;
      const needed = peak > ceiling ? ceiling / peak : 1;
      level = Math.min(needed, level * release + (1 - release));
      const index = Math.floor(chunk / CHUNKS_PER_SEGMENT);
      segmentEnergy[index] = (segmentEnergy[index] as number) + (this.energies[chunk] ?? 0) * (gain * level) ** 2;
    }
    const step = this.chunkFrames * CHUNKS_PER_SEGMENT;
    const powers: number[] = [];
    for (let start = 0; start + 4 <= segments; start++) {
      const energy =
        (segmentEnergy[start] as number) +
        (segmentEnergy[start + 1] as number) +
        (segmentEnergy[start + 2] as number) +
        (segmentEnergy[start + 3] as number);
      const power = energy / (4 * step);
      if (powerToLoudness(power) > -70) powers.push(power);
    }
    if (powers.length === 0) return Number.NEGATIVE_INFINITY;
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const gate = powerToLoudness(mean(powers)) - 10;
    return powerToLoudness(mean(powers.filter((power) => powerToLoudness(power) > gate)));
  }

  /** The gain (linear) at which the predicted limited loudness reaches `targetLufs`; 1 for silence. */
  gainFor(targetLufs: number, ceiling: number): number {
    const plain = this.predictLoudness(1, Number.POSITIVE_INFINITY);
    if (!Number.isFinite(plain)) return 1;
    let low = targetLufs - plain;
    let high = low + 24;
    if (this.predictLoudness(10 ** (low / 20), ceiling) >= targetLufs) return 10 ** (low / 20);
    for (let step = 0; step < 24; step++) {
      const middle = (low + high) / 2;
      if (this.predictLoudness(10 ** (middle / 20), ceiling) < targetLufs) low = middle;
      else high = middle;
    }
    return 10 ** (high / 20);
  }
}

/**
 * Chunk statistics of frames [from, to) of `channels` (`from` a multiple of the chunk length), the
 * filters warmed on the second before `from`: the unit of work when two threads measure halves.
 */
export function rangeChunks(
  channels: readonly Float32Array[],
  sampleRate: number,
  from: number,
  to: number,
): ReturnType<ChunkStats['chunks']> {
  const stats = new ChunkStats(sampleRate, channels.length);
  if (from % stats.chunkFrames !== 0) throw new Error(`range must start on a chunk boundary (${stats.chunkFrames} frames)`);
  stats.warmUp(channels.map((data) => data.subarray(Math.max(0, from - sampleRate), from)));
  stats.push(channels.map((data) => data.subarray(from, to)));
  return stats.chunks();
}
