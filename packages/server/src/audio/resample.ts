import type { PcmAudio } from './pcm-audio.js';

const ZERO_CROSSINGS = 16;
const TABLE_RESOLUTION = 256;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 30; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

/** Kaiser-windowed sinc sampled every 1/TABLE_RESOLUTION of a zero crossing, one side only. */
function buildKernelTable(): Float32Array {
  const size = ZERO_CROSSINGS * TABLE_RESOLUTION + 2;
  const table = new Float32Array(size);
  const beta = 8;
  const normaliser = besselI0(beta);
  for (let i = 0; i < size; i++) {
    const x = i / TABLE_RESOLUTION;
    const ratio = Math.min(1, x / ZERO_CROSSINGS);
    const window = besselI0(beta * Math.sqrt(1 - ratio * ratio)) / normaliser;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    table[i] = x >= ZERO_CROSSINGS ? 0 : sinc * window;
  }
  return table;
}

const KERNEL = buildKernelTable();

/**
 * A band-limited (Kaiser-windowed sinc) sample-rate converter that accepts input in pieces
 * and gives the same output as converting the whole signal at once.
 */
export class StreamingResampler {
  private readonly step: number;
  private readonly cutoff: number;
  private readonly halfWidth: number;
  private buffers: Float32Array[];
  /** Absolute input index of buffers[..][0]. */
  private bufferStart = 0;
  private inputCount = 0;
  private outputCount = 0;

  constructor(
    readonly inputRate: number,
    readonly outputRate: number,
    readonly channelCount: number,
  ) {
    this.step = inputRate / outputRate;
    this.cutoff = Math.min(1, outputRate / inputRate) * 0.97;
    this.halfWidth = Math.ceil(ZERO_CROSSINGS / this.cutoff);
    this.buffers = Array.from({ length: channelCount }, () => new Float32Array(0));
  }

  /** Add input samples (one array per channel) and return the output that is now complete. */
  push(channels: readonly Float32Array[]): Float32Array[] {
    this.append(channels);
    return this.produce(false);
  }

  /** Return the remaining output: total output length is round(input length × ratio). */
  flush(): Float32Array[] {
    return this.produce(true);
  }

  private append(channels: readonly Float32Array[]): void {
    const added = channels[0]?.length ?? 0;
    this.buffers = this.buffers.map((old, channel) => {
      const joined = new Float32Array(old.length + added);
      joined.set(old);
      joined.set(channels[channel] as Float32Array, old.length);
      return joined;
    });
    this.inputCount += added;
  }

  private produce(final: boolean): Float32Array[] {
    const target = final ? Math.round((this.inputCount * this.outputRate) / this.inputRate) : Number.POSITIVE_INFINITY;
    const outputs: number[][] = this.buffers.map(() => []);
    const scale = TABLE_RESOLUTION * this.cutoff;
    while (this.outputCount < target) {
      const position = (this.outputCount * this.inputRate) / this.outputRate;
      const centre = Math.floor(position);
      if (!final && centre + this.halfWidth >= this.inputCount) break;
      const first = centre - this.halfWidth + 1;
      for (let channel = 0; channel < this.buffers.length; channel++) {
        const data = this.buffers[channel] as Float32Array;
        let sum = 0;
        for (let index = first; index <= centre + this.halfWidth; index++) {
          const local = index - this.bufferStart;
          if (local < 0 || local >= data.length) continue;
          const distance = Math.abs(index - position) * scale;
          const cell = Math.floor(distance);
          if (cell >= KERNEL.length - 1) continue;
          const fraction = distance - cell;
          const weight = (KERNEL[cell] as number) * (1 - fraction) + (KERNEL[cell + 1] as number) * fraction;
          sum += (data[local] as number) * weight;
        }
        (outputs[channel] as number[]).push(sum * this.cutoff);
      }
      this.outputCount++;
    }
    this.discardConsumed();
    return outputs.map((values) => Float32Array.from(values));
  }

  private discardConsumed(): void {
    const nextPosition = Math.floor((this.outputCount * this.inputRate) / this.outputRate);
    const keepFrom = Math.max(this.bufferStart, nextPosition - this.halfWidth);
    const drop = keepFrom - this.bufferStart;
    if (drop <= 0) return;
    this.buffers = this.buffers.map((data) => data.slice(drop));
    this.bufferStart = keepFrom;
  }
}

/** Convert `audio` to `targetRate` (returns the input unchanged when the rate already matches). */
export function resample(audio: PcmAudio, targetRate: number): PcmAudio {
  if (audio.sampleRate === targetRate) return audio;
  const resampler = new StreamingResampler(audio.sampleRate, targetRate, audio.channels.length);
  const head = resampler.push(audio.channels);
  const tail = resampler.flush();
  const channels = head.map((part, channel) => {
    const rest = tail[channel] as Float32Array;
    const joined = new Float32Array(part.length + rest.length);
    joined.set(part);
    joined.set(rest, part.length);
    return joined;
  });
  return { sampleRate: targetRate, channels };
}
