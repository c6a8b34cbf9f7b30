/**
 * The prompt's texture on the rendered mix: soft-clipping saturation, then hiss and vinyl crackle,
 * then a 12 dB/octave roll-off. Noise is a hash of the absolute frame number, so a split render and
 * a one-thread render of the same score add the same noise; the filter's state settles within the
 * warm-up every split render plays before its span.
 */
import type { Texture } from '../prompt/vocabulary-texture.js';

/** Hiss peak amplitude at full noise (the synthesizer's mix sits around 0.1 RMS). */
const HISS = 0.012;
/** Vinyl clicks per second at full noise. */
const CLICKS_PER_SECOND = 7;

/** True when the texture changes the sound at all. */
export function hasTexture(texture: Texture | undefined): texture is Texture {
  return !!texture && (texture.noise > 0 || texture.saturation > 0 || texture.rollOffHz !== undefined);
}

/** A 32-bit integer hash (lowbias32) mapped to [0, 1). */
function hashUnit(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return (x >>> 0) / 4294967296;
}

/** Applies a texture block by block; keeps the roll-off filter's state between blocks. */
export class TextureFilter {
  private readonly drive: number;
  private readonly coefficient: number;
  private readonly clickChance: number;
  private readonly state = [0, 0, 0, 0];

  constructor(
    private readonly texture: Texture,
    sampleRate: number,
  ) {
    this.drive = 1 + 5 * texture.saturation;
    this.coefficient = texture.rollOffHz === undefined ? 1 : 1 - Math.exp((-2 * Math.PI * texture.rollOffHz) / sampleRate);
    this.clickChance = (texture.noise * CLICKS_PER_SECOND) / sampleRate;
  }

  /** Process `frames` frames of `left`/`right` in place; `firstFrame` is the absolute frame of index 0. */
  process(left: Float32Array, right: Float32Array, frames: number, firstFrame: number): void {
    const { drive, coefficient, clickChance } = this;
    const noise = this.texture.noise;
    const channels = [left, right];
    for (let channel = 0; channel < 2; channel++) {
      const data = channels[channel] as Float32Array;
      let low = this.state[channel * 2] as number;
      let lower = this.state[channel * 2 + 1] as number;
      for (let index = 0; index < frames; index++) {
        let sample = data[index] as number;
        if (drive > 1) sample = Math.tanh(drive * sample) / drive;
        if (noise > 0) {
          const frame = firstFrame + index;
          sample += (hashUnit(frame * 2 + channel) * 2 - 1) * HISS * noise;
          // A click lasts two frames and is the same in both channels.
          for (const at of [frame, frame - 1]) {
            const chance = hashUnit(at ^ 0x5bd1e995);
            if (chance < clickChance) {
              const size = (0.04 + 0.2 * hashUnit(at + 0x1234567)) * noise * (at === frame ? 1 : 0.5);
              sample += chance < clickChance / 2 ? size : -size;
            }
          }
        }
        low += coefficient * (sample - low);
        lower += coefficient * (low - lower);
        data[index] = lower;
      }
      this.state[channel * 2] = low;
      this.state[channel * 2 + 1] = lower;
    }
  }
}
