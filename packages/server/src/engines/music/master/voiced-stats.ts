/**
 * `ChunkStats` for a band and a voice whose gain is known only once the whole band has been heard
 * (it follows the band's level). K-weighting is linear, so each 10 ms chunk keeps the band's, the
 * voice's and their cross energy, and the mix's energy at any gain g is E_bb + 2g E_bv + g² E_vv,
 * exactly. The mix's peak max|b + g·v| is convex in g: it is kept at seven gains around the
 * estimate of g at the time and read between them on the chords (never below the true peak).
 */
import { kWeigh, kWeightingFilters } from '../../../audio/loudness-meter.js';
import { ChunkStats } from './chunk-stats.js';

/** Gains at which peaks are kept, as multiples of the running estimate of the voice's gain. */
const GRID = [0.5, 0.63, 0.79, 1, 1.26, 1.59, 2];

export class VoicedChunkStats {
  readonly chunkFrames: number;
  private readonly filters: ReturnType<typeof kWeightingFilters>;
  /** Filter state per stream: band left, band right, voice left, voice right. */
  private readonly state = Array.from({ length: 4 }, () => new Float64Array(6));
  private readonly energies: { band: number[]; cross: number[]; voice: number[] } = { band: [], cross: [], voice: [] };
  private readonly bandPeaks: number[] = [];
  /** Peaks of the band where the voice is silent, and of the voice. */
  private readonly quietPeaks: number[] = [];
  private readonly voicePeaks: number[] = [];
  /** Per chunk: the estimate its grid is built on (−1: none) and the peaks of the voiced frames there. */
  private readonly gridBase: number[] = [];
  private gridPeaks = new Float64Array(0);
  private position = 0;
  /** K-weighted samples of the current block, per stream (reused). */
  private scratch: Float64Array[] = [];

  constructor(readonly sampleRate: number) {
    this.chunkFrames = new ChunkStats(sampleRate, 0).chunkFrames;
    this.filters = kWeightingFilters(sampleRate);
  }

  /** Add the next frames of the band and of the voice at unit gain; `estimate` is the best guess of the gain now. */
  push(band: readonly Float32Array[], voice: readonly Float32Array[], estimate: number): void {
    const length = band[0]?.length ?? 0;
    if ((this.scratch[0]?.length ?? 0) < length) this.scratch = this.state.map(() => new Float64Array(length));
    const weighted = [...band, ...voice].map((data, stream) =>
      this.weigh(data, this.state[stream] as Float64Array, this.scratch[stream] as Float64Array),
    );
    const chunks = Math.ceil((this.position + length) / this.chunkFrames);
    if (chunks * GRID.length > this.gridPeaks.length) {
      const grown = new Float64Array(Math.max(chunks, 2 * (this.gridPeaks.length / GRID.length)) * GRID.length);
      grown.set(this.gridPeaks);
      this.gridPeaks = grown;
    }
    let index = 0;
    while (index < length) {
      const chunk = Math.floor((this.position + index) / this.chunkFrames);
      const stop = Math.min(length, (chunk + 1) * this.chunkFrames - this.position);
      if (this.gridBase[chunk] === undefined) this.gridBase[chunk] = estimate > 0 && Number.isFinite(estimate) ? estimate : -1;
      const base = this.gridBase[chunk] as number;
      let [bandEnergy, crossEnergy, voiceEnergy, bandPeak, quietPeak, voicePeak] = [0, 0, 0, 0, 0, 0];
      const peaks = this.gridPeaks.subarray(chunk * GRID.length, (chunk + 1) * GRID.length);
      for (let channel = 0; channel < 2; channel++) {
        const b = band[channel] as Float32Array;
        const v = voice[channel] as Float32Array;
        const kb = weighted[channel] as Float64Array;
        const kv = weighted[channel + 2] as Float64Array;
        for (let frame = index; frame < stop; frame++) {
          const zb = kb[frame] as number;
          const zv = kv[frame] as number;
          bandEnergy += zb * zb;
          crossEnergy += zb * zv;
          voiceEnergy += zv * zv;
          const x = b[frame] as number;
          const y = v[frame] as number;
          bandPeak = Math.max(bandPeak, Math.abs(x));
          if (y === 0) {
            quietPeak = Math.max(quietPeak, Math.abs(x));
            continue;
          }
          voicePeak = Math.max(voicePeak, Math.abs(y));
          if (base <= 0) continue;
          for (let point = 0; point < GRID.length; point++) {
            peaks[point] = Math.max(peaks[point] as number, Math.abs(x + (GRID[point] as number) * base * y));
          }
        }
      }
      const add = (values: number[], value: number) => {
        values[chunk] = (values[chunk] ?? 0) + value;
      };
      const raise = (values: number[], value: number) => {
        values[chunk] = Math.max(values[chunk] ?? 0, value);
      };
      add(this.energies.band, bandEnergy);
      add(this.energies.cross, crossEnergy);
      add(this.energies.voice, voiceEnergy);
      raise(this.bandPeaks, bandPeak);
      raise(this.quietPeaks, quietPeak);
      raise(this.voicePeaks, voicePeak);
      index = stop;
    }
    this.position += length;
  }

  /** The statistics of the mix band + gain × voice. */
  at(gain: number): ChunkStats {
    const { band, cross, voice } = this.energies;
    const energies = band.map((energy, chunk) => energy + 2 * gain * (cross[chunk] ?? 0) + gain * gain * (voice[chunk] ?? 0));
    const peaks = this.bandPeaks.map((_, chunk) => this.peakAt(chunk, gain));
    return ChunkStats.fromChunks(this.sampleRate, energies, peaks, this.position);
  }

  /** K-weighted copy of one stream's block into `out`, continuing its filter state. */
  private weigh(data: Float32Array, state: Float64Array, out: Float64Array): Float64Array {
    kWeigh(this.filters, state, data, 0, data.length, out);
    return out;
  }

  /** The chunk's peak at `gain`: on the chords between kept points (convexity), past them by the steepest slope. */
  private peakAt(chunk: number, gain: number): number {
    const bandPeak = this.bandPeaks[chunk] ?? 0;
    const voicePeak = this.voicePeaks[chunk] ?? 0;
    const base = this.gridBase[chunk] ?? -1;
    if (voicePeak === 0) return bandPeak;
    if (base <= 0) return bandPeak + gain * voicePeak;
    let lastGain = 0;
    let lastPeak = bandPeak;
    for (let point = 0; point < GRID.length; point++) {
      const pointGain = (GRID[point] as number) * base;
      const pointPeak = Math.max(this.quietPeaks[chunk] ?? 0, this.gridPeaks[chunk * GRID.length + point] ?? 0);
      if (gain <= pointGain) return lastPeak + ((pointPeak - lastPeak) * (gain - lastGain)) / (pointGain - lastGain);
      lastGain = pointGain;
      lastPeak = pointPeak;
    }
    return lastPeak + (gain - lastGain) * voicePeak;
  }
}
