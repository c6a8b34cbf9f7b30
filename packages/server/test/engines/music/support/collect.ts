/** Helpers for engine tests: a collecting sink, a WAV reader and a default request. */
import type { PcmAudio } from '../../../../src/audio/pcm-audio.js';
import type { ByteSink, EngineCallOptions, EngineRequest } from '../../../../src/ports/engine.js';

/** A sink that keeps every byte. */
export function collectingSink(): ByteSink & { bytes(): Uint8Array } {
  const chunks: Uint8Array[] = [];
  return {
    write: async (chunk) => {
      chunks.push(chunk.slice());
    },
    bytes: () => Buffer.concat(chunks),
  };
}

/** Read a 16-bit PCM WAV with a 44-byte header. */
export function readWav(bytes: Uint8Array): PcmAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const channelCount = view.getUint16(22, true);
  const sampleRate = view.getUint32(24, true);
  const frames = Math.floor((bytes.byteLength - 44) / (2 * channelCount));
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  for (let frame = 0; frame < frames; frame++) {
    for (let channel = 0; channel < channelCount; channel++) {
      (channels[channel] as Float32Array)[frame] = view.getInt16(44 + (frame * channelCount + channel) * 2, true) / 32768;
    }
  }
  return { sampleRate, channels };
}

/** A music request with test defaults. */
export function musicRequest(overrides: Partial<EngineRequest>): EngineRequest {
  return {
    modelId: 'overture-music',
    modelType: 'music',
    requestId: 'test',
    options: {},
    prompt: 'pop song',
    durationSeconds: 10,
    forceInstrumental: false,
    lyricsOptimizer: false,
    loop: false,
    speed: 1,
    format: 'wav',
    seed: 1,
    ...overrides,
  };
}

/** Call options that record progress stages. */
export function callOptions(signal = new AbortController().signal): EngineCallOptions & { stages: string[] } {
  const stages: string[] = [];
  return {
    signal,
    stages,
    onProgress: (_fraction, stage) => {
      if (stage && stages[stages.length - 1] !== stage) stages.push(stage);
    },
  };
}
