import { type ByteSink, type EngineCallOptions, EngineRejection, type EngineRequest, type EngineResult } from '../../ports/engine.js';
import { fitSections, PLAN_LIMITS, lyricSections, sectionDurations } from './composition-plan.js';
import { type ElevenLabs, musicAsked, post, receive } from './elevenlabs-call.js';
import type { ElevenLabsRow } from './elevenlabs-options.js';

/** Styles from a prompt: its comma-, semicolon- or line-separated phrases (at most 50). */
export function promptStyles(prompt: string): string[] {
  const styles = prompt
    .split(/[,;\n]+/)
    .map((style) => style.trim())
    .filter((style) => style.length > 0);
  return (styles.length > 0 ? styles : [prompt]).slice(0, PLAN_LIMITS.maxStyles);
}

/**
 * The `composition_plan` for a prompt and lyrics: music_v1's `{positive_global_styles,
 * negative_global_styles, sections[{section_name, positive_local_styles, negative_local_styles,
 * duration_ms, lines}]}`, or music_v2's `{chunks[{text: "[Name]\nline…", duration_ms,
 * positive_styles, negative_styles}]}`. Without a length, 4 s per line plus 4 s per section.
 */
export function compositionPlan(prompt: string, lyrics: string, totalMs: number | undefined, shape: 'sections' | 'chunks') {
  const split = lyricSections(lyrics);
  const sections = fitSections(split, totalMs ?? Math.max(1, split.length) * PLAN_LIMITS.minMs);
  const durations =
    totalMs === undefined
      ? sections.map((section) => Math.min(PLAN_LIMITS.maxMs, 4000 * (section.lines.length + 1)))
      : sectionDurations(sections, totalMs);
  const styles = promptStyles(prompt);
  if (shape === 'sections')
    return {
      positive_global_styles: styles,
      negative_global_styles: [],
      sections: sections.map((section, i) => ({
        section_name: section.name,
        positive_local_styles: [],
        negative_local_styles: [],
        duration_ms: durations[i],
        lines: section.lines,
      })),
    };
  return {
    chunks: sections.map((section, i) => ({
      text: [`[${section.name}]`, ...section.lines].join('\n'),
      duration_ms: durations[i],
      positive_styles: styles,
      negative_styles: [],
    })),
  };
}

/**
 * The `POST /v1/music` body. Without lyrics (or with `force_instrumental`, which wins over them
 * as in the built-in music engine): `{prompt, music_length_ms, force_instrumental, model_id}`.
 * With lyrics: `{composition_plan, model_id, seed}` whose sections carry the lyric lines and whose
 * durations sum to the requested length — music_v1's `sections` shape for `music_v1` (ElevenLabs'
 * default model), music_v2's `chunks` for any other model. `seed` goes only with a plan: the API
 * refuses it beside `prompt`.
 */
export function musicBody(request: EngineRequest, row: ElevenLabsRow): Record<string, unknown> {
  const lengthMs = request.durationSeconds === undefined ? undefined : Math.round(request.durationSeconds * 1000);
  if (lengthMs !== undefined && (lengthMs < 3000 || lengthMs > 600_000))
    throw new EngineRejection('invalid_input', 'ElevenLabs Music makes pieces of 3 to 600 seconds.');
  if (request.loop) throw new EngineRejection('invalid_input', 'ElevenLabs Music cannot loop (its sound effects can).');
  const model = row.model === undefined ? {} : { model_id: row.model };
  const lyrics = request.lyrics?.trim();
  if (lyrics && !request.forceInstrumental) {
    const shape = row.model === undefined || row.model === 'music_v1' ? 'sections' : 'chunks';
    return { composition_plan: compositionPlan(request.prompt, lyrics, lengthMs, shape), ...model, seed: request.seed >>> 0 };
  }
  return {
    prompt: request.prompt,
    ...(lengthMs === undefined ? {} : { music_length_ms: lengthMs }),
    ...model,
    ...(request.forceInstrumental ? { force_instrumental: true } : {}),
  };
}

/**
 * The `POST /v1/sound-generation` body: `{text, duration_seconds (0.5–30), prompt_influence, loop,
 * model_id}`; `loop` is sent when the row always loops or the request asks for it (the catalog
 * lets only rows with `supports_loop` ask: ElevenLabs loops with eleven_text_to_sound_v2 only).
 */
export function soundBody(request: EngineRequest, row: ElevenLabsRow): Record<string, unknown> {
  const seconds = request.durationSeconds;
  if (seconds !== undefined && (seconds < 0.5 || seconds > 30))
    throw new EngineRejection('invalid_input', 'ElevenLabs sound effects last 0.5 to 30 seconds.');
  if (request.lyrics?.trim()) throw new EngineRejection('invalid_input', 'ElevenLabs sound effects take no lyrics.');
  return {
    text: request.prompt,
    ...(seconds === undefined ? {} : { duration_seconds: seconds }),
    ...(row.prompt_influence === undefined ? {} : { prompt_influence: row.prompt_influence }),
    ...(row.loop || request.loop ? { loop: true } : {}),
    ...(row.model === undefined ? {} : { model_id: row.model }),
  };
}

/**
 * One synchronous generation (music or a sound effect), its MP3 answer streamed into the sink in
 * the client's format. Busy answers are waited out (a free slot soon, `system_busy` with back-off)
 * without failing the job. There is no upstream job to resume: the API answers the audio on the
 * request's own connection and keeps no id to ask for it later, so the job's upstream journal
 * records nothing. A crash (or lost lease) between sending the request and storing the last byte
 * means the next attempt asks — and pays — again: that window is one generation long.
 * Closing the connection on abort is the only cancel there is.
 */
export async function generateAudio(
  upstream: ElevenLabs,
  path: '/v1/music' | '/v1/sound-generation',
  body: Record<string, unknown>,
  request: EngineRequest,
  sink: ByteSink,
  call: EngineCallOptions,
): Promise<EngineResult> {
  const { signal } = call;
  const asked = musicAsked(upstream.options);
  call.onProgress(0, 'upstream');
  const response = await upstream.client.whileBusy(() => post(upstream, path, asked, body, signal), signal);
  const durationSeconds = await receive(upstream, response, asked, request.format, sink, signal);
  call.onProgress(1, 'upstream');
  return { durationSeconds };
}
