/** Sing the lyrics (given or written from the prompt) on the melody and mix the voice into the band. */
import type { PcmAudio } from '../../../audio/pcm-audio.js';
import type { EngineRequest } from '../../../ports/engine.js';
import { singPhrase } from '../../speech/sing.js';
import { CHANNEL, type Score } from '../compose/score.js';
import { parsePrompt } from '../prompt/parse-prompt.js';
import { writeLyrics } from './lyrics-writer.js';
import type { VocalNote } from './vocal-line.js';

/** The lyrics to sing for a request, or undefined for an instrumental. */
export function lyricsFor(
  request: Pick<EngineRequest, 'prompt' | 'lyrics' | 'lyricsOptimizer' | 'forceInstrumental' | 'seed'>,
): string | undefined {
  if (request.forceInstrumental) return undefined;
  const given = request.lyrics?.trim();
  if (given) return given;
  return request.lyricsOptimizer ? writeLyrics(request.prompt, parsePrompt(request.prompt).mood, request.seed) : undefined;
}

/** The score with the lead instrument softened under the voice (it still doubles the tune). */
export function softenLeadUnderVoice(score: Score, vocal: readonly VocalNote[]): Score {
  if (vocal.length === 0) return score;
  const sung = (start: number) =>
    vocal.some((note) => start >= note.startSeconds - 1e-6 && start < note.startSeconds + note.durationSeconds);
  const notes = score.notes.map((note) =>
    note.channel === CHANNEL.lead && sung(note.startSeconds) ? { ...note, velocity: Math.max(1, Math.round(note.velocity * 0.45)) } : note,
  );
  return { ...score, notes };
}

/**
 * The level measure that sets the voice against the band: RMS of every 4th non-zero sample. Fed
 * piece by piece in order it sums exactly as over the whole buffer, so both render paths agree.
 */
export class LevelMeter {
  private sum = 0;
  private count = 0;
  private position = 0;

  /** Add the next samples of the stream. */
  push(data: Float32Array): void {
    for (let index = (4 - (this.position % 4)) % 4; index < data.length; index += 4) {
      const value = data[index] as number;
      if (value !== 0) {
        this.sum += value * value;
        this.count++;
      }
    }
    this.position += data.length;
  }

  /** The level so far (0 for silence). */
  get level(): number {
    return this.count ? Math.sqrt(this.sum / this.count) : 0;
  }
}

function rms(data: Float32Array): number {
  const meter = new LevelMeter();
  meter.push(data);
  return meter.level;
}

/** Gain of the voice for the band's level (left and right meters) and the voice's own level. */
export function voiceGain(bandLeft: number, bandRight: number, voiceLevel: number): number {
  const bandLevel = Math.sqrt((bandLeft ** 2 + bandRight ** 2) / 2);
  return voiceLevel > 0 ? (bandLevel * 1.1) / voiceLevel : 0;
}

/** The voice's echoes: delay in seconds, gain on the left and on the right. */
export const VOICE_ECHOES: readonly (readonly [number, number, number])[] = [
  [0.11, 0.22, 0.12],
  [0.23, 0.1, 0.18],
  [0.37, 0.1, 0.06],
];

/** Sing `vocal` and mix it into `band` (in place), centred, with a short stereo echo. */
export async function mixVocals(
  band: PcmAudio,
  vocal: readonly VocalNote[],
  request: Pick<EngineRequest, 'voice' | 'languageCode'>,
  signal: AbortSignal,
): Promise<PcmAudio> {
  if (vocal.length === 0) return band;
  signal.throwIfAborted();
  const voice = await singPhrase(vocal, { voice: request.voice, sampleRate: band.sampleRate, language: request.languageCode });
  signal.throwIfAborted();
  const sung = voice.channels[0];
  if (!sung) return band;
  const [left, right] = band.channels as [Float32Array, Float32Array];
  const gain = voiceGain(rms(left), rms(right), rms(sung));
  const length = Math.min(left.length, sung.length);
  for (let index = 0; index < length; index++) {
    const dry = (sung[index] as number) * gain;
    left[index] = (left[index] as number) + dry;
    right[index] = (right[index] as number) + dry;
  }
  for (const [seconds, leftGain, rightGain] of VOICE_ECHOES) {
    const offset = Math.round(seconds * band.sampleRate);
    for (let index = 0; index < length && index + offset < left.length; index++) {
      const wet = (sung[index] as number) * gain;
      left[index + offset] = (left[index + offset] as number) + wet * leftGain;
      right[index + offset] = (right[index + offset] as number) + wet * rightGain;
    }
  }
  return band;
}
