/** Text to speech with one shared, long-lived eSpeak NG instance; calls run one at a time. */
import type { PcmAudio } from '../../audio/pcm-audio.js';
import { EspeakInstance, type EspeakSettings } from './espeak-instance.js';
import { type ResolvedVoice, resolveVoice, type SpeakOptions } from './resolve-voice.js';
import { splitUtterances } from './sentence-splitter.js';
import { SPEECH_VOICES, variantFileFor, variantNameFor } from './speech-voices.js';
import { normalizeText } from './text-normalizer.js';
import { timeStretch } from './time-stretch.js';

export type { SpeakOptions } from './resolve-voice.js';

/** Sample rate of all synthesised speech. */
export const SPEECH_SAMPLE_RATE = 22050;

/** Silence after the last sentence, in seconds at speed 1. */
const FINAL_PAUSE_SECONDS = 0.15;

let shared: Promise<EspeakInstance> | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** The shared instance, created (and given our voice variants) on first use. */
function sharedInstance(): Promise<EspeakInstance> {
  shared ??= EspeakInstance.create().then(
    (instance) => {
      for (const voice of SPEECH_VOICES) instance.defineVariant(variantNameFor(voice), variantFileFor(voice));
      return instance;
    },
    (error: unknown) => {
      shared = undefined; // let the next call try again
      throw error;
    },
  );
  return shared;
}

/**
 * Run `task` on the shared instance after every earlier task finished. Each task runs in its own
 * macrotask, so requests interleave sentence by sentence and the event loop stays responsive.
 */
export function withSynthesizer<T>(task: (instance: EspeakInstance) => T): Promise<T> {
  const run = queue.then(
    () =>
      new Promise<T>((resolve, reject) => {
        setImmediate(() => {
          sharedInstance().then((instance) => {
            try {
              resolve(task(instance));
            } catch (error) {
              reject(error);
            }
          }, reject);
        });
      }),
  );
  queue = run.catch(() => undefined);
  return run;
}

/** Cut leading and trailing near-silence, keeping short margins so consonants are not clipped. */
function trimSilence(samples: Float32Array, sampleRate: number): Float32Array {
  const threshold = 0.008;
  let first = 0;
  while (first < samples.length && Math.abs(samples[first] as number) < threshold) first++;
  let last = samples.length - 1;
  while (last > first && Math.abs(samples[last] as number) < threshold) last--;
  if (first >= samples.length) return new Float32Array(0);
  return samples.subarray(
    Math.max(0, first - Math.round(0.02 * sampleRate)),
    Math.min(samples.length, last + Math.round(0.05 * sampleRate)),
  );
}

/** Escape the characters eSpeak's SSML reader treats as markup. */
function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function settingsFor(resolved: ResolvedVoice): EspeakSettings {
  return { language: resolved.accent, variant: variantNameFor(resolved.voice), rate: resolved.rate, range: resolved.voice.range };
}

/** One synthesised sentence with its following pause, and how far through the text it reaches. */
export interface SpokenSentence {
  readonly audio: PcmAudio;
  /** The utterance as spoken (after normalisation). */
  readonly text: string;
  /** Fraction 0..1 of the normalised text done after this sentence. */
  readonly progress: number;
}

/**
 * Speak `text` sentence by sentence: normalise, split, synthesise each utterance on the shared
 * instance and yield it with its pause appended. Memory stays bounded by one sentence.
 */
export async function* synthesizeSentences(text: string, options: SpeakOptions = {}): AsyncGenerator<SpokenSentence> {
  const resolved = resolveVoice(options);
  // The accent (en-gb-x-rp, en-us) carries the region, which picks the spelling of units.
  const normalized = normalizeText(text, resolved.accent.startsWith(`${resolved.language}-`) ? resolved.accent : resolved.language);
  const settings = settingsFor(resolved);
  const utterances = splitUtterances(normalized);
  for (let current = utterances.next(); !current.done; ) {
    const utterance = current.value;
    const next = utterances.next();
    const raw = await withSynthesizer((instance) => instance.synthesize(escapeMarkup(utterance.text), settings));
    let speech = trimSilence(raw, SPEECH_SAMPLE_RATE);
    if (Math.abs(resolved.tempo - 1) > 0.01) speech = timeStretch(speech, resolved.tempo, SPEECH_SAMPLE_RATE);
    const pauseSeconds = next.done ? FINAL_PAUSE_SECONDS : utterance.pauseSeconds;
    const pause = Math.round((pauseSeconds / resolved.speed) * SPEECH_SAMPLE_RATE);
    const samples = new Float32Array(speech.length + pause);
    samples.set(speech);
    yield {
      audio: { sampleRate: SPEECH_SAMPLE_RATE, channels: [samples] },
      text: utterance.text,
      progress: next.done ? 1 : Math.min(1, utterance.end / normalized.length),
    };
    current = next;
  }
}

/** Speak `text` and return the whole recording (mono, 22050 Hz). Prefer `synthesizeSentences` for long text. */
export async function synthesize(text: string, options: SpeakOptions = {}): Promise<PcmAudio> {
  const parts: Float32Array[] = [];
  let total = 0;
  for await (const sentence of synthesizeSentences(text, options)) {
    const samples = sentence.audio.channels[0] as Float32Array;
    parts.push(samples);
    total += samples.length;
  }
  const joined = new Float32Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return { sampleRate: SPEECH_SAMPLE_RATE, channels: [joined] };
}
