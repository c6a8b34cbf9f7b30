import { z } from 'zod';
import { EngineRejection, type EngineRequest } from '../../ports/engine.js';
import { rowOptionsReader } from '../remote/row-options.js';

const fieldName = z
  .string({ error: 'must be an input field name' })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an input field name such as seconds_total' });

/** A catalog row's `engine_options` for a `fal` instance: the app, and how the request maps onto its input. */
const rowSchema = z.strictObject({
  /** The fal app id, with its sub-path when it has one: `fal-ai/stable-audio`, `fal-ai/ace-step/prompt-to-audio`. */
  model: z
    .string({ error: 'must be a fal app id such as fal-ai/stable-audio' })
    .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/, { error: 'must be a fal app id such as fal-ai/stable-audio' }),
  prompt_field: fieldName.optional(),
  duration_field: fieldName.optional(),
  /** null: the app takes none (requests with lyrics are then refused). */
  lyrics_field: fieldName.nullable().optional(),
  /** The field set to `instrumental_value` (default true) for force_instrumental; null: none. */
  instrumental_field: fieldName.nullable().optional(),
  instrumental_value: z.json().optional(),
  /** null: the app takes no seed. */
  seed_field: fieldName.nullable().optional(),
  /** Where the output's audio file is; default the first of `audio`, `audio_file`, `audio_url`. */
  output_field: fieldName.optional(),
  /** Fixed input fields sent with every request of the row (e.g. `{"steps": 100}`). */
  input: z.record(z.string(), z.json(), { error: 'must be an object of input fields' }).optional(),
});

type RowFields = Omit<z.output<typeof rowSchema>, 'model' | 'input' | 'output_field' | 'instrumental_value'>;

/**
 * Input field names of the apps named in the docs (fal.ai/models/<app>/llms.txt): Stable Audio Open
 * `{prompt, seconds_total 0..47, steps}`; Stable Audio 2.5 `{prompt, seconds_total 1..190, seed}`;
 * ACE-Step prompt-to-audio `{prompt, instrumental, duration 5..240, number_of_steps, seed}`.
 */
const APP_DEFAULTS: Readonly<Record<string, RowFields>> = {
  'fal-ai/stable-audio': { duration_field: 'seconds_total', seed_field: null },
  'fal-ai/stable-audio-25/text-to-audio': { duration_field: 'seconds_total', seed_field: 'seed' },
  'fal-ai/ace-step/prompt-to-audio': { duration_field: 'duration', instrumental_field: 'instrumental', seed_field: 'seed' },
};

/** A row resolved: the app to submit to, the app its requests live under, and its input mapping. */
export interface FalRow {
  /** Where requests are submitted: the app id with its sub-path. */
  readonly app: string;
  /** Where status, result and cancel live: the app id without its sub-path (fal's queue docs). */
  readonly requestsApp: string;
  readonly promptField: string;
  readonly durationField: string;
  readonly lyricsField: string | null;
  readonly instrumentalField: string | null;
  readonly instrumentalValue: unknown;
  readonly seedField: string | null;
  readonly outputField: string | undefined;
  readonly input: Readonly<Record<string, unknown>>;
}

/** A row's `engine_options` resolved once; a bad one refuses the request, naming the row and the option. */
export const falRow: (request: EngineRequest) => FalRow = rowOptionsReader(rowSchema, 'fal', (row) => {
  const defaults = APP_DEFAULTS[row.model] ?? {};
  const parts = row.model.split('/');
  const depth = ['workflows', 'comfy'].includes(parts[0] as string) ? 3 : 2;
  return {
    app: row.model,
    requestsApp: parts.slice(0, depth).join('/'),
    promptField: row.prompt_field ?? defaults.prompt_field ?? 'prompt',
    durationField: row.duration_field ?? defaults.duration_field ?? 'duration',
    lyricsField: row.lyrics_field !== undefined ? row.lyrics_field : (defaults.lyrics_field ?? null),
    instrumentalField: row.instrumental_field !== undefined ? row.instrumental_field : (defaults.instrumental_field ?? null),
    instrumentalValue: row.instrumental_value ?? true,
    seedField: row.seed_field !== undefined ? row.seed_field : (defaults.seed_field ?? null),
    outputField: row.output_field,
    input: row.input ?? {},
  };
});

/**
 * The app's input. Venice → fal: prompt → `prompt_field`; duration_seconds → `duration_field`;
 * lyrics → `lyrics_field`; force_instrumental → `instrumental_field: instrumental_value`; the
 * request's seed → `seed_field`. A field the request carries that the row maps nowhere refuses it.
 */
export function falInput(request: EngineRequest, row: FalRow): Record<string, unknown> {
  const input: Record<string, unknown> = { ...row.input, [row.promptField]: request.prompt };
  if (request.durationSeconds !== undefined) input[row.durationField] = request.durationSeconds;
  const unmapped = (what: string, option: string) =>
    new EngineRejection(
      'refused',
      `The catalog row ${request.modelId} offers ${what}, but its engine_options name no ${option} for ${row.app}`,
    );
  if (request.lyrics) {
    if (!row.lyricsField) throw unmapped('lyrics', 'lyrics_field');
    input[row.lyricsField] = request.lyrics;
  }
  if (request.forceInstrumental) {
    if (!row.instrumentalField) throw unmapped('force_instrumental', 'instrumental_field');
    input[row.instrumentalField] = row.instrumentalValue;
  }
  if (row.seedField) input[row.seedField] = request.seed;
  return input;
}
