import { type AudioFormat, EngineRejection, type EngineRequest } from '../../ports/engine.js';
import type { AceStepRowOptions } from './ace-step-options.js';

/** ACE-Step's `audio_duration` range in seconds (acestep/constants.py DURATION_MIN/MAX; docs/en/API.md). */
export const MIN_SECONDS = 10;
export const MAX_SECONDS = 600;

/** Formats ACE-Step writes (`audio_format`; acestep/audio_utils.py); anything else is asked as flac and converted. */
const NATIVE: readonly AudioFormat[] = ['mp3', 'wav', 'flac'];

/** The `audio_format` asked of ACE-Step for a client's format. */
export function upstreamFormat(format: AudioFormat): AudioFormat {
  return NATIVE.includes(format) ? format : 'flac';
}

/** "120 BPM", "96 beats per minute" → 120; undefined outside ACE-Step's 30..300. */
export function bpmOf(prompt: string): number | undefined {
  const match = /\b(\d{2,3})\s*(?:bpm|beats per minute)\b/i.exec(prompt);
  const bpm = match ? Number(match[1]) : Number.NaN;
  return bpm >= 30 && bpm <= 300 ? bpm : undefined;
}

/**
 * "in A minor", "F# major", "B flat minor" → ACE-Step's key_scale ("A minor", "F# major", "Bb minor").
 * The note must be a capital letter, so that "a minor change" is not read as a key.
 */
export function keyScaleOf(prompt: string): string | undefined {
  const keys = prompt.matchAll(/\b([A-G])(#|♯|b|♭|\s*-?\s*sharp|\s*-?\s*flat)?\s*(major|minor)\b/gi);
  const match = [...keys].find((found) => /^[A-G]$/.test(found[1] as string));
  if (!match) return undefined;
  const accidental = match[2]?.trim().toLowerCase() ?? '';
  const sign = accidental === '' ? '' : /#|♯|sharp/.test(accidental) ? '#' : 'b';
  return `${match[1]}${sign} ${(match[3] as string).toLowerCase()}`;
}

/**
 * The `POST /release_task` body. Venice → ACE-Step: prompt → `prompt` (its caption); lyrics →
 * `lyrics`; force_instrumental → `lyrics: "[inst]"` (the server's `_is_instrumental`; empty lyrics
 * are instrumental too); duration_seconds → `audio_duration` (10..600, else refused here); a BPM or
 * key named in the prompt → `bpm`, `key_scale`; the request's seed → `seed` with
 * `use_random_seed: false`; format → `audio_format`. One take (`batch_size: 1`: the server's
 * default is 2, which doubles the GPU time). The row's fixed `input` goes first, ours over it.
 */
export function releaseBody(request: EngineRequest, row: AceStepRowOptions): Record<string, unknown> {
  const seconds = request.durationSeconds;
  if (seconds !== undefined && (seconds < MIN_SECONDS || seconds > MAX_SECONDS))
    throw new EngineRejection('invalid_input', `ACE-Step generates ${MIN_SECONDS} to ${MAX_SECONDS} seconds, not ${seconds}`);
  const body: Record<string, unknown> = {
    ...row.input,
    prompt: request.prompt,
    lyrics: request.forceInstrumental ? '[inst]' : (request.lyrics ?? ''),
    seed: request.seed,
    use_random_seed: false,
    batch_size: 1,
    audio_format: upstreamFormat(request.format),
  };
  if (seconds !== undefined) body.audio_duration = seconds;
  const bpm = bpmOf(request.prompt);
  if (bpm !== undefined) body.bpm = bpm;
  const key = keyScaleOf(request.prompt);
  if (key !== undefined) body.key_scale = key;
  if (row.model !== undefined) body.model = row.model;
  return body;
}
