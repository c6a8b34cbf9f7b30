import { ENCODABLE_FORMATS } from '../../audio/encode-audio.js';
import type { PcmAudio } from '../../audio/pcm-audio.js';
import type { ByteSink, Engine, EngineCallOptions, EngineRequest } from '../../ports/engine.js';
import { encodeAudioWithinTruePeak } from '../../audio/verified-encode.js';
import { abortableSink } from '../abortable-sink.js';
import { sketchPlan } from './tone-plan.js';

const SAMPLE_RATE = 22050;

/**
 * The minimal built-in engine: a chord sketch (pad, bass and pulse) in the prompt's key and
 * tempo, synthesised additively. Fast enough for development and CI; real music comes from the
 * `music` engine.
 */
export function createToneEngine(): Engine {
  return {
    name: 'tone',
    formats: ENCODABLE_FORMATS,
    concurrency: 2,
    async generate(request: EngineRequest, sink: ByteSink, options: EngineCallOptions) {
      const seconds = request.durationSeconds ?? 10;
      const plan = sketchPlan(request.prompt, request.seed);
      const frames = Math.round(seconds * SAMPLE_RATE);
      const left = new Float32Array(frames);
      const right = new Float32Array(frames);
      const beatFrames = (60 / plan.bpm) * SAMPLE_RATE;
      const barFrames = beatFrames * 4;
      for (let start = 0, bar = 0; start < frames; start += barFrames, bar++) {
        if (options.signal.aborted) throw options.signal.reason ?? new DOMException('Aborted', 'AbortError');
        const chord = plan.chords[bar % plan.chords.length] as number[];
        const end = Math.min(frames, Math.round(start + barFrames));
        renderBar(left, right, Math.round(start), end, chord, beatFrames);
        options.onProgress(Math.min(1, end / frames) * 0.9, 'render');
      }
      fadeEdges(left, right, request.loop);
      const audio: PcmAudio = { sampleRate: SAMPLE_RATE, channels: [left, right] };
      await encodeAudioWithinTruePeak(audio, request.format, abortableSink(sink, options.signal));
      options.signal.throwIfAborted();
      options.onProgress(1, 'encode');
      return { durationSeconds: frames / SAMPLE_RATE };
    },
  };
}

const frequency = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

function renderBar(left: Float32Array, right: Float32Array, start: number, end: number, chord: number[], beatFrames: number) {
  const length = end - start;
  for (let index = 0; index < length; index++) {
    const time = index / SAMPLE_RATE;
    const swell = Math.min(1, index / 2000) * Math.min(1, (length - index) / 2000);
    let pad = 0;
    for (const note of chord) pad += Math.sin(2 * Math.PI * frequency(note) * time) * 0.08;
    const bass = Math.sin(2 * Math.PI * frequency((chord[0] as number) - 12) * time) * 0.2;
    const beatPosition = (index % beatFrames) / SAMPLE_RATE;
    const pulse = Math.sin(2 * Math.PI * 60 * beatPosition) * Math.exp(-beatPosition * 18) * 0.35;
    const sample = (pad + bass) * swell + pulse;
    left[start + index] = sample * 0.9 + pad * 0.1;
    right[start + index] = sample * 0.9 - pad * 0.1;
  }
}

function fadeEdges(left: Float32Array, right: Float32Array, loop: boolean) {
  const fade = Math.min(left.length >> 2, loop ? 256 : SAMPLE_RATE);
  for (let index = 0; index < fade; index++) {
    const gain = index / fade;
    const last = left.length - 1 - index;
    left[last] = (left[last] as number) * gain;
    right[last] = (right[last] as number) * gain;
    if (loop) {
      left[index] = (left[index] as number) * gain;
      right[index] = (right[index] as number) * gain;
    }
  }
}
