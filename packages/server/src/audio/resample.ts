import { appendChannels, type PcmAudio } from './pcm-audio.js';

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

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}

/**
 * A band-limited (Kaiser-windowed sinc) sample-rate converter that accepts input in pieces
 * and gives the same output as converting the whole signal at once.
 */
export class StreamingResampler {
  private readonly cutoff: number;
  private readonly halfWidth: number;
  private buffers: Float32Array[];
  /** Absolute input index of buffers[..][0]. */
  private bufferStart = 0;
  private inputCount = 0;
  private outputCount = 0;
  /** Weights per phase (at most `outputRate / gcd` phases: 320 for 22.05 → 48 kHz). */
  private readonly phaseTable = new Map<number, Float64Array>();

  constructor(
    readonly inputRate: number,
    readonly outputRate: number,
    readonly channelCount: number,
  ) {
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

  /** Kernel weights of phase `phase` (of `phases`), for the 2 × halfWidth inputs around an output. */
  private phaseWeights(phase: number, phases: number): Float64Array {
    let weights = this.phaseTable.get(phase);
    if (weights) return weights;
    const taps = 2 * this.halfWidth;
    const scale = TABLE_RESOLUTION * this.cutoff;
    weights = new Float64Array(taps);
    for (let tap = 0; tap < taps; tap++) {
      const distance = Math.abs(tap - this.halfWidth + 1 - phase / phases) * scale;
      const cell = Math.floor(distance);
      if (cell >= KERNEL.length - 1) continue;
      const fraction = distance - cell;
      weights[tap] = (KERNEL[cell] as number) * (1 - fraction) + (KERNEL[cell + 1] as number) * fraction;
    }
    this.phaseTable.set(phase, weights);
    return weights;
  }

  private produce(final: boolean): Float32Array[] {
    const { inputRate, outputRate, halfWidth, cutoff, bufferStart, inputCount } = this;
    const target = final ? Math.round((inputCount * outputRate) / inputRate) : Number.POSITIVE_INFINITY;
    const room = Math.max(0, Math.min(target, Math.ceil(((inputCount + 1) * outputRate) / inputRate) + 2) - this.outputCount);
    const outputs = this.buffers.map(() => new Float32Array(room));
    // Output n sits at input position n × down / up: a whole part and one of `up` exact phases,
    // whose weights are computed once and reused.
    const divisor = greatestCommonDivisor(inputRate, outputRate);
    const up = outputRate / divisor;
    const down = inputRate / divisor;
    const length = (this.buffers[0] as Float32Array).length;
    let produced = 0;
    while (this.outputCount < target && produced < room) {
      const scaled = this.outputCount * down;
      const centre = Math.floor(scaled / up);
      if (!final && centre + halfWidth >= inputCount) break;
      const weights = this.phaseWeights(scaled - centre * up, up);
      const first = centre - halfWidth + 1;
      const from = Math.max(first, bufferStart);
      const to = Math.min(centre + halfWidth, bufferStart + length - 1);
      for (let channel = 0; channel < outputs.length; channel++) {
        const data = this.buffers[channel] as Float32Array;
        let sum = 0;
        for (let index = from; index <= to; index++) sum += (data[index - bufferStart] as number) * (weights[index - first] as number);
        (outputs[channel] as Float32Array)[produced] = sum * cutoff;
      }
      produced++;
      this.outputCount++;
    }
    this.discardConsumed();
    return outputs.map((values) => values.slice(0, produced));
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
  return { sampleRate: targetRate, channels: appendChannels(head, tail) };
}
