import type { ByteSink } from '../ports/engine.js';
import { type PcmAudio, toInt16Interleaved } from './pcm-audio.js';

/** The 44-byte RIFF/WAVE header for 16-bit PCM. */
export function wavHeader(sampleRate: number, channelCount: number, frameCount: number): Uint8Array {
  const dataBytes = frameCount * channelCount * 2;
  const header = new Uint8Array(44);
  const view = new DataView(header.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channelCount, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channelCount * 2, true);
  view.setUint16(32, channelCount * 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return header;
}

/** Write a whole PCM buffer as a 16-bit WAV file, in blocks so memory stays bounded. */
export async function writeWav(audio: PcmAudio, sink: ByteSink): Promise<void> {
  const frames = audio.channels[0]?.length ?? 0;
  await sink.write(wavHeader(audio.sampleRate, audio.channels.length, frames));
  const block = 65536;
  for (let start = 0; start < frames; start += block) {
    const samples = toInt16Interleaved(audio, start, Math.min(frames, start + block));
    await sink.write(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  }
}
