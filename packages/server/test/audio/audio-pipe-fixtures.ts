/** Inputs and a driver for the audio pipe tests: tones encoded by the project's own encoders. */
import { type AudioPipeOptions, createAudioPipe } from '../../src/audio/audio-pipe.js';
import { createStreamingEncoder, encodeAudio } from '../../src/audio/encode-audio.js';
import type { PcmAudio } from '../../src/audio/pcm-audio.js';
import type { AudioFormat } from '../../src/ports/engine.js';
import { MemorySink } from '../support/audio-decode.js';

/** A sine tone (0.5 amplitude), one frequency per channel. */
export function tone(sampleRate: number, seconds: number, frequencies: readonly number[] = [440]): PcmAudio {
  const frames = Math.round(sampleRate * seconds);
  const channels = frequencies.map((frequency) => {
    const data = new Float32Array(frames);
    for (let i = 0; i < frames; i++) data[i] = 0.5 * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
    return data;
  });
  return { sampleRate, channels };
}

/** `audio` encoded in `format` as a whole file (exact sizes in WAV and FLAC headers). */
export async function encode(audio: PcmAudio, format: AudioFormat): Promise<Uint8Array> {
  const sink = new MemorySink();
  await encodeAudio(audio, format, sink);
  return sink.bytes();
}

/** `audio` encoded by the streaming encoder: WAV sizes 0xFFFFFFFF, FLAC total samples 0. */
export async function encodeStreaming(audio: PcmAudio, format: AudioFormat): Promise<Uint8Array> {
  const sink = new MemorySink();
  const encoder = createStreamingEncoder(format, audio.sampleRate, audio.channels.length, sink);
  await encoder.write(audio);
  await encoder.end();
  return sink.bytes();
}

/** A WAV file of `audio` with `bits`-bit integer samples, or 32-bit float samples when `float`. */
export function wavOf(audio: PcmAudio, bits: 16 | 24 | 32, float = false): Uint8Array {
  const channelCount = audio.channels.length;
  const frames = audio.channels[0]?.length ?? 0;
  const width = bits / 8;
  const bytes = new Uint8Array(44 + frames * channelCount * width);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode('RIFF\0\0\0\0WAVEfmt '), 0);
  view.setUint32(4, bytes.length - 8, true);
  view.setUint32(16, 16, true);
  view.setUint16(20, float ? 3 : 1, true);
  view.setUint16(22, channelCount, true);
  view.setUint32(24, audio.sampleRate, true);
  view.setUint32(28, audio.sampleRate * channelCount * width, true);
  view.setUint16(32, channelCount * width, true);
  view.setUint16(34, bits, true);
  bytes.set(new TextEncoder().encode('data'), 36);
  view.setUint32(40, frames * channelCount * width, true);
  for (let frame = 0; frame < frames; frame++) {
    for (let channel = 0; channel < channelCount; channel++) {
      const offset = 44 + (frame * channelCount + channel) * width;
      const sample = audio.channels[channel]?.[frame] ?? 0;
      if (float) view.setFloat32(offset, sample, true);
      else if (bits === 32) view.setInt32(offset, Math.round(sample * 2147483647), true);
      else {
        const value = Math.round(sample * 8388607);
        view.setUint16(offset, value & 0xffff, true);
        view.setInt8(offset + 2, value >> 16);
      }
    }
  }
  return bytes;
}

/** `frameCount` ADTS frames (AAC-LC, 24 kHz, stereo) of 1024 samples each with zero payloads. */
export function adtsFrames(frameCount: number, payloadBytes = 50): Uint8Array {
  const frameBytes = 7 + payloadBytes;
  const header = [
    0xff,
    0xf1,
    (1 << 6) | (6 << 2),
    (2 << 6) | (frameBytes >> 11),
    (frameBytes >> 3) & 0xff,
    ((frameBytes & 7) << 5) | 0x1f,
    0xfc,
  ];
  const bytes = new Uint8Array(frameBytes * frameCount);
  for (let frame = 0; frame < frameCount; frame++) bytes.set(header, frame * frameBytes);
  return bytes;
}

/** What `runPipe` returns. */
export interface PipeRun {
  readonly output: Uint8Array;
  readonly durationSeconds: number;
  readonly bytesWritten: number;
}

/** Feed `input` to a pipe writing to memory in `chunkSize`-byte pieces and end it. */
export async function runPipe(input: Uint8Array, options: Omit<AudioPipeOptions, 'sink'>, chunkSize = 4096): Promise<PipeRun> {
  const sink = new MemorySink();
  const pipe = createAudioPipe({ ...options, sink });
  for (let start = 0; start < input.length; start += chunkSize) await pipe.write(input.subarray(start, start + chunkSize));
  const { durationSeconds, bytesWritten } = await pipe.end();
  return { output: sink.bytes(), durationSeconds, bytesWritten };
}

/** Length of decoded audio in seconds. */
export function secondsOf(audio: PcmAudio): number {
  return (audio.channels[0]?.length ?? 0) / audio.sampleRate;
}
