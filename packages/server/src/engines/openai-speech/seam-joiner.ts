import type { StreamingEncoder } from '../../audio/streaming-encoder.js';

/** Length of the fade at each end of a part, in seconds. */
const FADE_SECONDS = 0.01;

/** Raised-cosine gain 0..1 for x in 0..1: starts and ends with zero slope, so a fade adds no click of its own. */
function smoothGain(x: number): number {
  return 0.5 - 0.5 * Math.cos(Math.PI * Math.min(1, Math.max(0, x)));
}

/**
 * Joins separately synthesised parts of one narration into one mono stream without clicks: each
 * part fades in from silence over its first 10 ms and out to silence over its last 10 ms, and a
 * pause of silence sits between parts. A part that starts or ends mid-wave, or on a DC offset,
 * therefore meets its neighbour at zero: no step at any seam. Streams as samples arrive, holding
 * back only the last 10 ms of the current part (memory does not grow with the narration).
 */
export class SeamJoiner {
  /** Frames written to the encoder so far (parts, fades and pauses). */
  frames = 0;
  private readonly fade: number;
  /** Samples of the current part already received (for the fade-in). */
  private position = 0;
  /** The current part's last samples, held until we know whether more follow. */
  private held = new Float32Array(0);

  constructor(
    private readonly encoder: StreamingEncoder,
    readonly sampleRate: number,
  ) {
    this.fade = Math.max(1, Math.round(sampleRate * FADE_SECONDS));
  }

  /** Begin a new part. */
  startPart(): void {
    this.position = 0;
    this.held = new Float32Array(0);
  }

  /** The next samples of the current part. */
  async push(samples: Float32Array): Promise<void> {
    if (samples.length === 0) return;
    const data = samples.slice();
    for (let i = 0; i < data.length && this.position + i < this.fade; i++) {
      data[i] = (data[i] as number) * smoothGain((this.position + i) / this.fade);
    }
    this.position += data.length;
    const joined = new Float32Array(this.held.length + data.length);
    joined.set(this.held);
    joined.set(data, this.held.length);
    const ready = Math.max(0, joined.length - this.fade);
    this.held = joined.slice(ready);
    await this.write(joined.subarray(0, ready));
  }

  /** The current part is complete: fade its end out, then write `pauseSeconds` of silence. */
  async endPart(pauseSeconds: number): Promise<void> {
    const tail = this.held;
    for (let i = 0; i < tail.length; i++) tail[i] = (tail[i] as number) * smoothGain((tail.length - 1 - i) / tail.length);
    this.held = new Float32Array(0);
    await this.write(tail);
    const silence = Math.round(Math.max(0, pauseSeconds) * this.sampleRate);
    for (let done = 0; done < silence; done += this.sampleRate) {
      await this.write(new Float32Array(Math.min(this.sampleRate, silence - done)));
    }
  }

  /** Flush the encoder (after the last part). */
  end(): Promise<void> {
    return this.encoder.end();
  }

  private async write(data: Float32Array): Promise<void> {
    if (data.length === 0) return;
    this.frames += data.length;
    await this.encoder.write({ sampleRate: this.sampleRate, channels: [data] });
  }
}

/** Decodes raw s16le mono arriving in arbitrary pieces (a sample may straddle two pieces) to floats. */
export class S16Decoder {
  private odd: number | undefined;

  decode(bytes: Uint8Array): Float32Array {
    let input = bytes;
    if (this.odd !== undefined) {
      input = new Uint8Array(bytes.length + 1);
      input[0] = this.odd;
      input.set(bytes, 1);
    }
    const count = input.length >> 1;
    this.odd = input.length % 2 === 1 ? input[input.length - 1] : undefined;
    const view = new DataView(input.buffer, input.byteOffset, count * 2);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true) / 32768;
    return out;
  }
}
