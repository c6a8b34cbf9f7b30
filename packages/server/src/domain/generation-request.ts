/** A container format a model can return. */
export type AudioFormat = 'mp3' | 'wav' | 'flac' | 'opus' | 'aac' | 'pcm';

/** What to generate, validated against the model's spec with every default applied. */
export interface GenerationRequest {
  /** Prompt for music and effects; the text to speak for speech and narration. Trimmed. */
  readonly prompt: string;
  /** Lyrics to sing, when given. */
  readonly lyrics?: string;
  /** Requested length in whole seconds (music, effects); undefined for speech. */
  readonly durationSeconds?: number;
  /** No voice at all in the output. */
  readonly forceInstrumental: boolean;
  /** Write lyrics from the prompt and sing them. */
  readonly lyricsOptimizer: boolean;
  /** Make the output loop seamlessly. */
  readonly loop: boolean;
  /** Voice name from the model's `voices` list. */
  readonly voice?: string;
  /** ISO 639-1 language code, when the model supports it. */
  readonly languageCode?: string;
  /** Speaking rate multiplier (0.25..4). */
  readonly speed: number;
  /** Output container format. */
  readonly format: AudioFormat;
}
