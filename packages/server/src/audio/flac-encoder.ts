import { BitWriter, crc16, crc8 } from './bit-writer.js';

/** Samples per FLAC frame (block). */
export const FLAC_BLOCK_SIZE = 4096;

const MAX_PARTITION_ORDER = 6;

/**
 * The `fLaC` marker and STREAMINFO block for 16-bit audio.
 * `totalFrames` 0 means "unknown" (allowed by the format, used when streaming).
 */
export function flacStreamHeader(sampleRate: number, channelCount: number, totalFrames: number): Uint8Array {
  const writer = new BitWriter();
  writer.write(0x664c6143, 32); // "fLaC"
  writer.write(1, 1); // last metadata block
  writer.write(0, 7); // STREAMINFO
  writer.write(34, 24);
  writer.write(FLAC_BLOCK_SIZE, 16);
  writer.write(FLAC_BLOCK_SIZE, 16);
  writer.write(0, 24); // minimum frame size unknown
  writer.write(0, 24); // maximum frame size unknown
  writer.write(sampleRate, 20);
  writer.write(channelCount - 1, 3);
  writer.write(15, 5); // 16 bits per sample
  writer.write(Math.floor(totalFrames / 2 ** 32), 4);
  writer.write(totalFrames >>> 0, 32);
  for (let i = 0; i < 4; i++) writer.write(0, 32); // MD5 unknown
  return writer.take();
}

function writeUtf8Number(writer: BitWriter, value: number): void {
  if (value < 0x80) {
    writer.write(value, 8);
    return;
  }
  let continuation = 1;
  while (value >= 2 ** (5 * continuation + 6)) continuation++;
  const leadBits = 6 - continuation;
  const lead = (0xff << (7 - continuation)) & 0xff;
  writer.write(lead | (Math.floor(value / 2 ** (6 * continuation)) & ((1 << leadBits) - 1)), 8);
  for (let i = continuation - 1; i >= 0; i--) writer.write(0x80 | (Math.floor(value / 2 ** (6 * i)) & 0x3f), 8);
}

function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

/** Residual of the fixed polynomial predictor of `order` (0..4) for samples[order..]. */
function fixedResidual(samples: Int32Array, order: number, out: Int32Array): number {
  let total = 0;
  for (let i = order; i < samples.length; i++) {
    const s0 = samples[i] as number;
    let r: number;
    switch (order) {
      case 0:
        r = s0;
        break;
      case 1:
        r = s0 - (samples[i - 1] as number);
        break;
      case 2:
        r = s0 - 2 * (samples[i - 1] as number) + (samples[i - 2] as number);
        break;
      case 3:
        r = s0 - 3 * (samples[i - 1] as number) + 3 * (samples[i - 2] as number) - (samples[i - 3] as number);
        break;
      default:
        r =
          s0 -
          4 * (samples[i - 1] as number) +
          6 * (samples[i - 2] as number) -
          4 * (samples[i - 3] as number) +
          (samples[i - 4] as number);
    }
    out[i - order] = r;
    total += Math.abs(r);
  }
  return total;
}

function riceBits(values: Uint32Array, start: number, end: number, parameter: number): number {
  let bits = (end - start) * (parameter + 1);
  for (let i = start; i < end; i++) bits += (values[i] as number) >>> parameter;
  return bits;
}

function bestParameter(values: Uint32Array, start: number, end: number): { parameter: number; bits: number } {
  let sum = 0;
  for (let i = start; i < end; i++) sum += values[i] as number;
  const mean = sum / Math.max(1, end - start);
  const guess = Math.max(0, Math.min(14, Math.floor(Math.log2(mean + 1))));
  let best = { parameter: guess, bits: riceBits(values, start, end, guess) };
  for (const candidate of [guess - 1, guess + 1]) {
    if (candidate < 0 || candidate > 14) continue;
    const bits = riceBits(values, start, end, candidate);
    if (bits < best.bits) best = { parameter: candidate, bits };
  }
  return best;
}

function writeResidual(writer: BitWriter, residual: Int32Array, count: number, blockSize: number, order: number): void {
  const values = new Uint32Array(count);
  for (let i = 0; i < count; i++) values[i] = zigzag(residual[i] as number);
  let bestOrder = 0;
  let bestCost = Number.POSITIVE_INFINITY;
  let bestParameters: number[] = [];
  for (let partitionOrder = 0; partitionOrder <= MAX_PARTITION_ORDER; partitionOrder++) {
    const partitions = 1 << partitionOrder;
    if (blockSize % partitions !== 0 || blockSize / partitions <= order) break;
    const size = blockSize / partitions;
    let cost = 0;
    const parameters: number[] = [];
    for (let p = 0; p < partitions; p++) {
      const start = p === 0 ? 0 : p * size - order;
      const best = bestParameter(values, start, (p + 1) * size - order);
      cost += best.bits + 4;
      parameters.push(best.parameter);
    }
    if (cost < bestCost) {
      bestCost = cost;
      bestOrder = partitionOrder;
      bestParameters = parameters;
    }
  }
  writer.write(0, 2); // Rice coding with 4-bit parameters
  writer.write(bestOrder, 4);
  const size = blockSize >> bestOrder;
  for (let p = 0; p < bestParameters.length; p++) {
    const parameter = bestParameters[p] as number;
    writer.write(parameter, 4);
    const start = p === 0 ? 0 : p * size - order;
    const end = (p + 1) * size - order;
    for (let i = start; i < end; i++) {
      const value = values[i] as number;
      writer.writeUnary(value >>> parameter);
      if (parameter > 0) writer.write(value & ((1 << parameter) - 1), parameter);
    }
  }
}

function writeSubframe(writer: BitWriter, samples: Int32Array): void {
  const first = samples[0] as number;
  if (samples.every((value) => value === first)) {
    writer.write(0, 8); // CONSTANT
    writer.write(first, 16);
    return;
  }
  const residual = new Int32Array(samples.length);
  let bestOrder = 0;
  let bestTotal = Number.POSITIVE_INFINITY;
  const maxOrder = Math.min(4, samples.length - 1);
  for (let order = 0; order <= maxOrder; order++) {
    const total = fixedResidual(samples, order, residual);
    if (total < bestTotal) {
      bestTotal = total;
      bestOrder = order;
    }
  }
  fixedResidual(samples, bestOrder, residual);
  writer.write(0x10 | (bestOrder << 1), 8); // FIXED, no wasted bits
  for (let i = 0; i < bestOrder; i++) writer.write(samples[i] as number, 16);
  writeResidual(writer, residual, samples.length - bestOrder, samples.length, bestOrder);
}

const RATE_CODES: Readonly<Record<number, number>> = {
  88200: 1,
  176400: 2,
  192000: 3,
  8000: 4,
  16000: 5,
  22050: 6,
  24000: 7,
  32000: 8,
  44100: 9,
  48000: 10,
  96000: 11,
};

/** The frame header's sample-rate code and the extra bits it needs (decoders that skip STREAMINFO need these). */
function sampleRateCode(sampleRate: number): { code: number; extra?: number; extraBits?: number } {
  const known = RATE_CODES[sampleRate];
  if (known !== undefined) return { code: known };
  if (sampleRate % 1000 === 0 && sampleRate <= 255000) return { code: 12, extra: sampleRate / 1000, extraBits: 8 };
  if (sampleRate <= 65535) return { code: 13, extra: sampleRate, extraBits: 16 };
  if (sampleRate % 10 === 0 && sampleRate <= 655350) return { code: 14, extra: sampleRate / 10, extraBits: 16 };
  return { code: 0 };
}

/** Encode one FLAC frame of 16-bit samples (one Int32Array per channel, ≤ FLAC_BLOCK_SIZE each). */
export function encodeFlacFrame(channels: readonly Int32Array[], frameNumber: number, sampleRate: number): Uint8Array {
  const blockSize = channels[0]?.length ?? 0;
  const writer = new BitWriter();
  writer.write(0x3ffe, 14);
  writer.write(0, 2); // reserved, fixed block size
  const fullBlock = blockSize === FLAC_BLOCK_SIZE;
  writer.write(fullBlock ? 0b1100 : 0b0111, 4);
  const rate = sampleRateCode(sampleRate);
  writer.write(rate.code, 4);
  writer.write(channels.length - 1, 4); // independent channels
  writer.write(0b100, 3); // 16 bits per sample
  writer.write(0, 1);
  writeUtf8Number(writer, frameNumber);
  if (!fullBlock) writer.write(blockSize - 1, 16);
  if (rate.extra !== undefined && rate.extraBits !== undefined) writer.write(rate.extra, rate.extraBits);
  writer.write(crc8(writer.view()), 8);
  for (const channel of channels) writeSubframe(writer, channel);
  writer.alignToByte();
  writer.write(crc16(writer.view()), 16);
  return writer.take();
}
