/** Singing for the music engine: each syllable at an exact pitch, start and length. */
import type { PcmAudio } from '../../audio/pcm-audio.js';
import { changePlaybackRate } from './playback-rate.js';
import { resolveVoice } from './resolve-voice.js';
import { SPEECH_SAMPLE_RATE, withSynthesizer } from './speech-synthesizer.js';
import { singingVariant, sustainRegion } from './singing-variant.js';
import type { SpeechVoice } from './speech-voices.js';
import { timeStretch } from './time-stretch.js';

/** One sung syllable. */
export interface SungNote {
  /** Text of the syllable, e.g. "la", "love", "-ing". */
  readonly syllable: string;
  /** MIDI note number (69 = A4 = 440 Hz); fractional values bend the pitch. */
  readonly midiPitch: number;
  /** Where the syllable starts in the phrase, in seconds. */
  readonly startSeconds: number;
  /** How long it lasts, in seconds (vowels are held or shortened to fit). */
  readonly durationSeconds: number;
}

/** How to sing. */
export interface SingOptions {
  /** Built-in voice (or any vendor's voice name); its timbre is kept. */
  readonly voice?: string;
  /** Output sample rate. */
  readonly sampleRate: number;
  /** ISO 639-1 language of the syllables; defaults to the voice's language. */
  readonly language?: string;
}

/** Frequency of a MIDI note. */
export function midiToFrequency(midiPitch: number): number {
  return 440 * 2 ** ((midiPitch - 69) / 12);
}

function fade(samples: Float32Array, sampleRate: number): void {
  const attack = Math.min(Math.round(0.008 * sampleRate), samples.length >> 1);
  const release = Math.min(Math.round(0.02 * sampleRate), samples.length >> 1);
  for (let index = 0; index < attack; index++) samples[index] = (samples[index] as number) * (index / attack);
  for (let index = 0; index < release; index++) {
    const position = samples.length - 1 - index;
    samples[position] = (samples[position] as number) * (index / release);
  }
}

/** Fit a syllable to `length` samples: stretch or squeeze its sustained vowel, else cut the end. */
function fitLength(samples: Float32Array, length: number, sampleRate: number, periodSeconds: number): Float32Array {
  const output = new Float32Array(length);
  const { start, end } = sustainRegion(samples, sampleRate);
  const head = samples.subarray(0, start);
  const tail = samples.subarray(end);
  const room = length - head.length - tail.length;
  const sustain = samples.subarray(start, end);
  if (room > sampleRate * 0.02 && sustain.length > 0) {
    const held = timeStretch(sustain, sustain.length / room, sampleRate, 1, periodSeconds * 1.05);
    output.set(head);
    output.set(held.subarray(0, room), head.length);
    output.set(tail.subarray(0, length - head.length - Math.min(room, held.length)), head.length + Math.min(room, held.length));
  } else {
    output.set(samples.subarray(0, length));
  }
  return output;
}

/** Raw syllable recordings by voice, accent, pitch, rate and text (eSpeak output is deterministic per call). */
const recordings = new Map<string, Float32Array>();
/** About 25 KB each: a few MB at most. */
const MAX_RECORDINGS = 256;

async function recordSyllable(
  voice: SpeechVoice,
  accent: string,
  wholeHertz: number,
  rate: number,
  syllable: string,
): Promise<Float32Array> {
  const text = syllable.replace(/[<>&]/g, ' ');
  // The variant file is the voice's whole identity here (it holds the pitch too).
  const key = `${singingVariant(voice, wholeHertz)}\n${accent}\n${wholeHertz}\n${rate}\n${text}`;
  const cached = recordings.get(key);
  if (cached) return cached;
  const raw = await withSynthesizer((instance) => {
    instance.defineVariant('overture-sing', singingVariant(voice, wholeHertz));
    return instance.synthesize(text, { language: accent, variant: 'overture-sing', rate, range: 0 });
  });
  if (recordings.size >= MAX_RECORDINGS) recordings.delete(recordings.keys().next().value as string);
  recordings.set(key, raw);
  return raw;
}

/**
 * Sing `notes` and return one mono buffer at `options.sampleRate`, as long as the last note's end.
 * Each syllable is synthesised by eSpeak NG with a flat-pitch variant at the whole-Hz pitch nearest
 * the target, resampled by the remaining fraction (so the pitch is exact), and its vowel is held or
 * shortened to the note's duration. Overlapping notes are mixed.
 */
export async function singPhrase(notes: readonly SungNote[], options: SingOptions): Promise<PcmAudio> {
  const { sampleRate } = options;
  const resolved = resolveVoice({ voice: options.voice, language: options.language });
  const end = notes.reduce((latest, note) => Math.max(latest, note.startSeconds + note.durationSeconds), 0);
  const mix = new Float32Array(Math.ceil(end * sampleRate));
  for (const note of notes) {
    const length = Math.round(note.durationSeconds * sampleRate);
    if (length <= 0 || !/[\p{L}\p{N}]/u.test(note.syllable)) continue;
    const frequency = midiToFrequency(note.midiPitch);
    const wholeHertz = Math.max(20, Math.round(frequency));
    const rate = Math.min(400, Math.max(90, Math.round((175 * 0.3) / Math.max(0.05, note.durationSeconds))));
    const raw = await recordSyllable(resolved.voice, resolved.accent, wholeHertz, rate, note.syllable);
    // Playing the recording as if it were sampled at rate × (target / whole Hz) corrects the pitch.
    const sourceRate = SPEECH_SAMPLE_RATE * (frequency / wholeHertz);
    const sourceLength = Math.round((length * sourceRate) / sampleRate);
    const held = fitLength(trimQuiet(raw), sourceLength, SPEECH_SAMPLE_RATE, 1 / wholeHertz);
    const fitted = changePlaybackRate(held, sourceRate, sampleRate, length);
    fade(fitted, sampleRate);
    const offset = Math.round(note.startSeconds * sampleRate);
    for (let index = 0; index < fitted.length && offset + index < mix.length; index++) {
      if (offset + index >= 0) mix[offset + index] = (mix[offset + index] as number) + (fitted[index] as number);
    }
  }
  return { sampleRate, channels: [mix] };
}

function trimQuiet(samples: Float32Array): Float32Array {
  let first = 0;
  while (first < samples.length && Math.abs(samples[first] as number) < 0.005) first++;
  let last = samples.length;
  while (last > first && Math.abs(samples[last - 1] as number) < 0.005) last--;
  return samples.subarray(first, last);
}
