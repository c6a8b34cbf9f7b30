import { z } from 'zod';
import { type AudioFormat, EngineRejection, type EngineRequest } from '../../ports/engine.js';

const FORMATS = ['mp3', 'wav', 'flac', 'opus', 'aac', 'pcm'] as const;
const fieldName = z
  .string({ error: 'must be the name of one of the model’s input fields' })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an input field name such as duration' });

/**
 * The catalog row's `engine_options` that map a Venice request onto a Cog model's `input` (the
 * `run()`/`predict()` arguments), shared by the `cog` and `replicate` adapters.
 */
export const inputFieldsShape = {
  /** Input field that takes the prompt. */
  prompt_field: fieldName.default('prompt'),
  /** Input field that takes the length in seconds; rows that claim `duration` need it. */
  duration_field: fieldName.optional(),
  /** Send the length rounded up to whole seconds (models whose duration is an `int`). */
  duration_whole_seconds: z.boolean({ error: 'must be true or false' }).default(false),
  /** Input field that takes Overture's per-request seed (same request, same bytes). */
  seed_field: fieldName.optional(),
  /** Input field that takes the output format, with the values the model accepts for it. */
  format_field: fieldName.optional(),
  format_values: z
    .array(z.enum(FORMATS, { error: `must be one of ${FORMATS.join(', ')}` }))
    .min(1, { error: 'must list at least one format' })
    .default(['wav', 'mp3']),
  /** Fixed input fields sent with every request of the row (e.g. `{"model_version": "stereo-large"}`). */
  input: z.record(z.string().min(1), z.unknown(), { error: 'must be an object of fixed input fields' }).default({}),
  /** Key of the output object that holds the audio file, when the model answers an object. */
  output_field: z.string().min(1, { error: 'must name a key of the output object' }).optional(),
};

export type InputFields = z.output<z.ZodObject<typeof inputFieldsShape>>;

/** Mapped fields may not also be fixed: one value per input field. */
export function checkFixedInput(fields: InputFields, context: z.RefinementCtx): void {
  for (const key of ['prompt_field', 'duration_field', 'seed_field', 'format_field'] as const) {
    const name = fields[key];
    if (name !== undefined && name in fields.input)
      context.addIssue({ code: 'custom', path: ['input', name], message: `is also mapped by ${key}; keep one of the two` });
  }
}

/**
 * A row's options parsed once per options object; bad ones are a `refused` rejection naming
 * every problem (a configuration error: the job fails with that message, nothing is sent).
 */
export function rowParser<T extends InputFields>(schema: z.ZodType<T>, adapter: string): (request: EngineRequest, instance: string) => T {
  const cache = new WeakMap<object, T | string>();
  return (request, instance) => {
    let parsed = cache.get(request.options);
    if (parsed === undefined) {
      const result = schema.safeParse(request.options);
      parsed = result.success ? result.data : result.error.issues.map(describeIssue).join('; ');
      cache.set(request.options, parsed);
    }
    if (typeof parsed === 'string')
      throw new EngineRejection(
        'refused',
        `The catalog row ${request.modelId} has engine_options that engine instance "${instance}" (${adapter}) cannot use: ${parsed}`,
      );
    return parsed;
  };
}

/**
 * The row's input mapping, read by `parse`, and the model `input` it makes of `request` (see
 * `buildInput`); refusals name engine instance `instance`.
 */
export function mappedInput<T extends InputFields>(
  request: EngineRequest,
  instance: string,
  parse: (request: EngineRequest, instance: string) => T,
): { readonly row: T; readonly input: Record<string, unknown> } {
  const row = parse(request, instance);
  return { row, input: buildInput(request, row, instance) };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `engine_options.${key}: unknown option`).join('; ');
  return `engine_options.${issue.path.join('.') || '(root)'}: ${issue.message}`;
}

/** The format asked of the model: the client's when it has it, else wav (lossless, converted here), else its first. */
export function upstreamFormat(wanted: AudioFormat, values: readonly AudioFormat[]): AudioFormat {
  if (values.includes(wanted)) return wanted;
  return values.includes('wav') ? 'wav' : (values[0] as AudioFormat);
}

/**
 * The model's `input`: the fixed fields, then prompt → `prompt_field`, durationSeconds →
 * `duration_field`, seed → `seed_field`, format → `format_field`. A length asked of a row that
 * maps none is refused rather than silently ignored.
 */
function buildInput(request: EngineRequest, fields: InputFields, instance: string): Record<string, unknown> {
  const input: Record<string, unknown> = { ...fields.input, [fields.prompt_field]: request.prompt };
  if (request.durationSeconds !== undefined) {
    if (fields.duration_field === undefined)
      throw new EngineRejection(
        'refused',
        `The catalog row ${request.modelId} asks engine instance "${instance}" for ${request.durationSeconds} s, but its engine_options.duration_field names no input field for the length`,
      );
    input[fields.duration_field] = fields.duration_whole_seconds ? Math.ceil(request.durationSeconds) : request.durationSeconds;
  }
  if (fields.seed_field !== undefined) input[fields.seed_field] = request.seed;
  if (fields.format_field !== undefined) input[fields.format_field] = upstreamFormat(request.format, fields.format_values);
  return input;
}
