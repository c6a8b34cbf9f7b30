import { masterAudio } from '../../audio/loudness.js';
import { measureIntegratedLoudness } from '../../audio/loudness-meter.js';
import type { PcmAudio } from '../../audio/pcm-audio.js';
import { addReverb, distanceFilter, metallicRing } from './acoustic-space.js';
import type { Stereo } from './dsp.js';
import { EngineRejection } from '../../ports/engine.js';
import { type EffectLayer, type EffectPlan, planEffect } from './effect-plan.js';
import type { EffectEnvelope } from './prompt-timing.js';
import { RENDERERS } from './renderers.js';
import { createRandom, hashText, mixSeed } from '../seeded-random.js';

/** Sample rate of every effect. */
export const EFFECT_SAMPLE_RATE = 44100;
/** Loop crossfade length cap, seconds. */
const LOOP_CROSSFADE_SECONDS = 0.5;

/** What to render. */
export interface EffectSpec {
  readonly prompt: string;
  readonly durationSeconds: number;
  readonly seed: number;
  readonly loop: boolean;
}

/**
 * Gain at `progress` (0..1) of a layer's envelope: rising from −36 dB, falling to −40 dB, a pass
 * from −30 dB to full midway and back. Steep, because mastering to the loudness target limits
 * the loud end of transient sounds and so narrows the change.
 */
export function envelopeGain(envelope: EffectEnvelope, progress: number): number {
  const db =
    envelope === 'rising'
      ? -36 * (1 - progress)
      : envelope === 'falling'
        ? -40 * progress
        : envelope === 'passing'
          ? -30 * (2 * progress - 1) ** 2
          : 0;
  return 10 ** (db / 20);
}

function renderLayer(layer: EffectLayer, index: number, frames: number, spec: EffectSpec, words: readonly string[]): Stereo {
  const { family, modifiers, count, variants, envelope } = layer;
  const renderer = RENDERERS[family.name];
  if (!renderer) throw new Error(`No renderer for ${family.name}`);
  const random = createRandom(mixSeed(spec.seed, hashText(family.name) + index));
  let audio = renderer({ sampleRate: EFFECT_SAMPLE_RATE, frames, random, words, count, variants, envelope, ...modifiers });
  if (modifiers.metallic) audio = metallicRing(audio, EFFECT_SAMPLE_RATE);
  if (modifiers.distant) audio = distanceFilter(audio, EFFECT_SAMPLE_RATE);
  const wet = modifiers.echo ? 0.6 : modifiers.distant ? 0.55 : modifiers.close ? 0 : 0.15;
  audio = addReverb(audio, EFFECT_SAMPLE_RATE, wet, modifiers.echo ? 2 : modifiers.distant ? 1.6 : 1);
  // A loop has no beginning or end to rise or fall between.
  if (envelope !== 'steady' && !spec.loop)
    for (const channel of audio)
      for (let i = 0; i < channel.length; i++) channel[i] = (channel[i] as number) * envelopeGain(envelope, i / channel.length);
  // Put every layer at a common loudness, then set its place in the mix.
  const loudness = measureIntegratedLoudness({ sampleRate: EFFECT_SAMPLE_RATE, channels: audio });
  const placeDb = (index === 0 ? 0 : layer.bed ? -6 : -4) + (modifiers.distant ? -8 : 0) + (modifiers.close ? 2 : 0);
  const gain = Number.isFinite(loudness) ? 10 ** ((-20 - loudness + placeDb) / 20) : 1;
  for (const channel of audio) for (let i = 0; i < channel.length; i++) channel[i] = (channel[i] as number) * gain;
  return audio;
}

/** Crossfade the extra tail (beyond `frames`) into the head so the end runs on into the start. */
function foldLoop(audio: Stereo, frames: number): Stereo {
  const fade = audio[0].length - frames;
  return audio.map((channel) => {
    const out = channel.slice(0, frames);
    for (let i = 0; i < fade; i++) {
      const weight = i / fade;
      out[i] = (channel[i] as number) * weight + (channel[frames + i] as number) * (1 - weight);
    }
    return out;
  }) as Stereo;
}

function fadeEdges(audio: Stereo, sampleRate: number): void {
  const fadeIn = Math.round(sampleRate * 0.003);
  const fadeOut = Math.min(Math.round(sampleRate * 0.05), audio[0].length >> 2);
  for (const channel of audio) {
    for (let i = 0; i < fadeIn && i < channel.length; i++) channel[i] = (channel[i] as number) * (i / fadeIn);
    for (let i = 0; i < fadeOut; i++) {
      const index = channel.length - 1 - i;
      channel[index] = (channel[index] as number) * (i / fadeOut);
    }
  }
}

/** The plan of a prompt, or an `invalid_input` rejection naming what the engine can make. */
export function planOrReject(prompt: string): EffectPlan {
  const outcome = planEffect(prompt);
  if (!outcome.ok) throw new EngineRejection('invalid_input', outcome.message);
  return outcome.plan;
}

/**
 * Render a sound effect: the prompt's families layered with their modifiers, counts and
 * envelopes, exactly `durationSeconds` long, deterministic in `seed`, mastered to −14 LUFS (−16
 * when the whole scene is distant or light) with true peak ≤ −1 dBTP, and seamless when `loop`
 * is set. A prompt that names no known sound is refused (`EngineRejection`), never guessed at.
 */
export function renderEffect(spec: EffectSpec, onLayer: (done: number, total: number) => void = () => {}, signal?: AbortSignal): PcmAudio {
  const frames = Math.round(spec.durationSeconds * EFFECT_SAMPLE_RATE);
  const crossfade = spec.loop ? Math.min(Math.round(LOOP_CROSSFADE_SECONDS * EFFECT_SAMPLE_RATE), frames >> 2) : 0;
  const plan = planOrReject(spec.prompt);
  const mix: Stereo = [new Float32Array(frames + crossfade), new Float32Array(frames + crossfade)];
  plan.layers.forEach((layer, index) => {
    signal?.throwIfAborted();
    const audio = renderLayer(layer, index, frames + crossfade, spec, plan.words);
    for (let channel = 0; channel < 2; channel++) {
      const target = mix[channel] as Float32Array;
      const source = audio[channel] as Float32Array;
      for (let i = 0; i < target.length; i++) target[i] = (target[i] as number) + (source[i] as number);
    }
    onLayer(index + 1, plan.layers.length);
  });
  if (!spec.loop) fadeEdges(mix, EFFECT_SAMPLE_RATE);
  const soft = plan.layers.every((layer) => layer.modifiers.distant || layer.modifiers.intensity < 1);
  signal?.throwIfAborted();
  const mastered = masterAudio({ sampleRate: EFFECT_SAMPLE_RATE, channels: mix }, { targetLufs: soft ? -16 : -14, truePeakDb: -1 });
  const channels = mastered.channels as Stereo;
  return { sampleRate: EFFECT_SAMPLE_RATE, channels: spec.loop ? foldLoop(channels, frames) : channels };
}
