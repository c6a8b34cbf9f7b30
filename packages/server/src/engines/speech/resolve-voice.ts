/** Decide which voice, accent and rate a request is spoken with. Pure. */
import { mapPublicVoice } from './public-voice-map.js';
import { findSpeechLanguage } from './speech-languages.js';
import { DEFAULT_SPEECH_VOICE, findSpeechVoice, type SpeechVoice, voiceForLanguage } from './speech-voices.js';

/** What callers may ask for. */
export interface SpeakOptions {
  /** Built-in voice name, or any other vendor's name (mapped with `mapPublicVoice`). */
  readonly voice?: string;
  /** Rate multiplier 0.25..4 (1 = the voice's natural pace). */
  readonly speed?: number;
  /** ISO 639-1 code (`de`, `pt-BR`); defaults to the voice's language. */
  readonly language?: string;
}

/** The settled choice for one request. */
export interface ResolvedVoice {
  readonly voice: SpeechVoice;
  /** ISO 639-1 code used for text normalisation. */
  readonly language: string;
  /** eSpeak NG language voice. */
  readonly accent: string;
  /** Words per minute given to eSpeak NG (80..450). */
  readonly rate: number;
  /** Remaining tempo change applied afterwards by time stretching (1 = none). */
  readonly tempo: number;
  /** The requested speed, clamped to 0.25..4. */
  readonly speed: number;
}

/** Resolve voice, language and speed. A language without a voice choice picks that language's voice. */
export function resolveVoice(options: SpeakOptions): ResolvedVoice {
  const language = options.language ? findSpeechLanguage(options.language) : undefined;
  let voice: SpeechVoice | undefined;
  if (options.voice && options.voice.trim() !== '') voice = findSpeechVoice(mapPublicVoice(options.voice));
  else if (language) voice = voiceForLanguage(language.code);
  voice ??= findSpeechVoice(DEFAULT_SPEECH_VOICE) as SpeechVoice;
  const sameLanguage = !language || language.code === voice.language;
  const speed = Math.min(4, Math.max(0.25, Number.isFinite(options.speed) ? (options.speed as number) : 1));
  const wanted = voice.rate * speed;
  const rate = Math.min(450, Math.max(80, Math.round(wanted)));
  return {
    voice,
    language: language?.code ?? voice.language,
    accent: sameLanguage && !options.language?.includes('-') ? voice.accent : (language?.accent ?? voice.accent),
    rate,
    tempo: wanted / rate,
    speed,
  };
}
