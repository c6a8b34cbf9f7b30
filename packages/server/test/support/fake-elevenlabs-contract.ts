/**
 * The request checks of the ElevenLabs fake (fake-elevenlabs-server.ts cites the sources): which
 * bodies each route takes, and how long (and how many channels) the audio answered is. Unknown
 * body fields are refused (422) — stricter than the API is documented to be, to catch typos.
 */

/** A JSON body as received. */
export type ElevenLabsBody = Record<string, unknown>;

/** An error answer, or what to answer. */
export type Checked = { readonly status: number; readonly body: unknown } | { readonly seconds: number; readonly channels: number };

const FORMAT =
  /^(mp3_(22050_32|24000_48|44100_(32|64|96|128|192))|pcm_(8000|16000|22050|24000|32000|44100|48000)|opus_48000_(32|64|96|128|192))$/;
const MUSIC_ONLY = /^mp3_48000_(128|192|240|320)$/;
const BLOCKED = /beatles|taylor swift/i;

const invalid = (loc: (string | number)[], msg: string): Checked => ({
  status: 422,
  body: { detail: [{ loc, msg, type: 'value_error' }] },
});
const refused = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): Checked => ({
  status,
  body: { detail: { status: code, message, ...extra } },
});
const isInt = (value: unknown, min: number, max: number) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
const isUnit = (value: unknown) => typeof value === 'number' && value >= 0 && value <= 1;
const strings = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');

function extra(body: ElevenLabsBody, known: readonly string[]): Checked | undefined {
  const unknown = Object.keys(body).find((key) => !known.includes(key));
  return unknown === undefined ? undefined : invalid(['body', unknown], 'extra fields not permitted');
}

/** A music_v1 plan (`sections`) or a music_v2 one (`chunks`): its length in ms, or the error. */
function planLength(plan: unknown, v1: boolean): number | Checked {
  const record = (typeof plan === 'object' && plan !== null ? plan : {}) as Record<string, unknown>;
  const items = record[v1 ? 'sections' : 'chunks'];
  if (!Array.isArray(items) || items.length === 0 || items.length > 30)
    return invalid(['body', 'composition_plan', v1 ? 'sections' : 'chunks'], `1 to 30 ${v1 ? 'sections' : 'chunks'} for this model`);
  if (v1 && (!strings(record.positive_global_styles) || !strings(record.negative_global_styles)))
    return invalid(['body', 'composition_plan'], 'positive_global_styles and negative_global_styles are required');
  let total = 0;
  for (const [i, item] of (items as Record<string, unknown>[]).entries()) {
    const loc = ['body', 'composition_plan', v1 ? 'sections' : 'chunks', i];
    if (!isInt(item.duration_ms, 3000, 120_000)) return invalid([...loc, 'duration_ms'], 'must be between 3000 and 120000');
    total += item.duration_ms as number;
    if (v1) {
      const name = item.section_name;
      if (typeof name !== 'string' || name.length < 1 || name.length > 100) return invalid([...loc, 'section_name'], '1 to 100 characters');
      if (!strings(item.positive_local_styles) || !strings(item.negative_local_styles)) return invalid(loc, 'local styles are required');
      const lines = item.lines as string[];
      if (!strings(lines) || lines.length > 30 || lines.some((line) => line.length > 200))
        return invalid([...loc, 'lines'], 'at most 30 lines of at most 200 characters');
      if (lines.some((line) => BLOCKED.test(line))) return refused(400, 'bad_composition_plan', 'The plan contains copyrighted material.');
    } else {
      if (typeof item.text !== 'string' || !strings(item.positive_styles)) return invalid(loc, 'text and positive_styles are required');
      if (BLOCKED.test(item.text)) return refused(400, 'bad_composition_plan', 'The plan contains copyrighted material.');
    }
  }
  return total;
}

function music(format: string, body: ElevenLabsBody): Checked {
  const unknown = extra(body, [
    'prompt',
    'composition_plan',
    'music_length_ms',
    'model_id',
    'seed',
    'force_instrumental',
    'respect_sections_durations',
  ]);
  if (unknown) return unknown;
  if (!FORMAT.test(format) && !MUSIC_ONLY.test(format)) return invalid(['query', 'output_format'], `unsupported output format ${format}`);
  const model = body.model_id ?? 'music_v1';
  if (typeof model !== 'string' || !/^music_v\d/.test(model)) return invalid(['body', 'model_id'], `unknown model ${String(model)}`);
  if ((body.prompt === undefined) === (body.composition_plan === undefined))
    return invalid(['body'], 'exactly one of prompt and composition_plan is required');
  if (body.prompt !== undefined) {
    if (typeof body.prompt !== 'string' || body.prompt.length === 0) return invalid(['body', 'prompt'], 'must be a non-empty string');
    if (body.seed !== undefined) return invalid(['body', 'seed'], 'seed cannot be used in conjunction with prompt');
    if (body.music_length_ms !== undefined && !isInt(body.music_length_ms, 3000, 600_000))
      return invalid(['body', 'music_length_ms'], 'must be between 3000 and 600000');
    if (BLOCKED.test(body.prompt))
      return refused(400, 'bad_prompt', 'The prompt references copyrighted material.', {
        data: { prompt_suggestion: 'a sunny 60s pop song' },
      });
    return { seconds: ((body.music_length_ms as number | undefined) ?? 10_000) / 1000, channels: 2 };
  }
  if (body.music_length_ms !== undefined || body.force_instrumental !== undefined)
    return invalid(['body'], 'music_length_ms and force_instrumental can only be used with prompt');
  if (body.seed !== undefined && !isInt(body.seed, 0, 4_294_967_295)) return invalid(['body', 'seed'], 'must be a 32-bit unsigned integer');
  const length = planLength(body.composition_plan, model === 'music_v1');
  return typeof length === 'number' ? { seconds: length / 1000, channels: 2 } : length;
}

function sound(format: string, body: ElevenLabsBody): Checked {
  const unknown = extra(body, ['text', 'loop', 'duration_seconds', 'prompt_influence', 'model_id']);
  if (unknown) return unknown;
  if (!FORMAT.test(format)) return invalid(['query', 'output_format'], `unsupported output format ${format}`);
  if (typeof body.text !== 'string' || body.text.length === 0) return invalid(['body', 'text'], 'field required');
  const seconds = body.duration_seconds;
  if (seconds !== undefined && seconds !== null && !(typeof seconds === 'number' && seconds >= 0.5 && seconds <= 30))
    return invalid(['body', 'duration_seconds'], 'must be between 0.5 and 30');
  if (body.prompt_influence !== undefined && !isUnit(body.prompt_influence))
    return invalid(['body', 'prompt_influence'], 'must be between 0 and 1');
  if (body.loop !== undefined && typeof body.loop !== 'boolean') return invalid(['body', 'loop'], 'must be a boolean');
  if (body.loop === true && body.model_id !== undefined && body.model_id !== 'eleven_text_to_sound_v2')
    return refused(400, 'invalid_parameters', "loop is only available for the 'eleven_text_to_sound_v2' model");
  return { seconds: (seconds as number | null | undefined) ?? 2, channels: 2 };
}

function speech(format: string, voice: string, body: ElevenLabsBody, voices: readonly string[], perCharacter: number): Checked {
  const known = ['text', 'model_id', 'language_code', 'voice_settings', 'seed', 'previous_text', 'next_text', 'apply_text_normalization'];
  const unknown = extra(body, known);
  if (unknown) return unknown;
  if (!FORMAT.test(format)) return invalid(['query', 'output_format'], `unsupported output format ${format}`);
  if (!voices.includes(voice)) return refused(400, 'voice_not_found', `A voice with the voice_id ${voice} was not found.`);
  if (typeof body.text !== 'string' || body.text.length === 0) return invalid(['body', 'text'], 'field required');
  if (body.text.length > 10_000)
    return refused(
      400,
      'max_character_limit_exceeded',
      `This request's text has ${body.text.length} characters and exceeds the limit of 10000.`,
    );
  if (body.seed !== undefined && !isInt(body.seed, 0, 4_294_967_295)) return invalid(['body', 'seed'], 'must be a 32-bit unsigned integer');
  const settings = (body.voice_settings ?? {}) as Record<string, unknown>;
  const speed = settings.speed ?? 1;
  if (typeof speed !== 'number' || speed < 0.7 || speed > 1.2)
    return invalid(['body', 'voice_settings', 'speed'], 'must be between 0.7 and 1.2');
  for (const key of ['stability', 'similarity_boost', 'style'])
    if (settings[key] !== undefined && !isUnit(settings[key])) return invalid(['body', 'voice_settings', key], 'must be between 0 and 1');
  return { seconds: Math.max(0.25, body.text.length * perCharacter) / speed, channels: 1 };
}

/** Check one request against the route it was sent to. */
export function validate(
  path: string,
  outputFormat: string | null,
  body: ElevenLabsBody,
  fake: { readonly voices: readonly string[]; readonly secondsPerCharacter: number },
): Checked {
  // The API's default when output_format is absent: MP3 (music "auto": mp3_44100_128 for music_v1).
  const format = outputFormat ?? 'mp3_44100_128';
  if (path === '/v1/music') return music(format, body);
  if (path === '/v1/sound-generation') return sound(format, body);
  const tts = /^\/v1\/text-to-speech\/([^/]+)(\/stream)?$/.exec(path);
  if (tts) return speech(format, decodeURIComponent(tts[1] as string), body, fake.voices, fake.secondsPerCharacter);
  return { status: 404, body: { detail: 'Not Found' } };
}
