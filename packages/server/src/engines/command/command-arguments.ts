import { type EngineFeature, EngineRejection, type EngineRequest } from '../../ports/engine.js';
import { type CommandOptions, PLACEHOLDER_PATTERN, type Placeholder } from './command-options.js';

/** The request's values by placeholder; absent ones are undefined. */
export type CommandValues = Readonly<Record<Placeholder, string | undefined>>;

/**
 * The request's values as the program gets them: Venice field → placeholder. `format` is what
 * the program is to write (`output_format`: the adapter converts to the client's format), `model`
 * the catalog row's `engine_options.model`, `output` the temporary file (output "file" only).
 */
export function commandValues(request: EngineRequest, options: CommandOptions, output: string | undefined): CommandValues {
  const model = request.options.model;
  const values: CommandValues = {
    prompt: request.prompt,
    lyrics: request.lyrics || undefined,
    duration_seconds: request.durationSeconds === undefined ? undefined : String(request.durationSeconds),
    voice: request.voice,
    speed: String(request.speed),
    language: request.languageCode,
    seed: String(request.seed),
    format: options.output_format,
    model: typeof model === 'string' && model.length > 0 ? model : undefined,
    output,
  };
  for (const [name, value] of Object.entries(values)) {
    if (value?.includes('\0')) throw new EngineRejection('invalid_input', `The ${name} contains a NUL character`);
  }
  return values;
}

/**
 * The argument array: each template element becomes exactly one argument, its placeholders
 * replaced by their values as literal text (never split, quoted or interpreted: no shell is
 * involved). An element holding a placeholder whose value is absent is left out whole.
 */
export function expandArguments(template: readonly string[], values: CommandValues): string[] {
  const args: string[] = [];
  for (const element of template) {
    let missing = false;
    const expanded = element.replace(PLACEHOLDER_PATTERN, (_, name: Placeholder) => {
      const value = values[name];
      if (value === undefined) missing = true;
      return value ?? '';
    });
    if (!missing) args.push(expanded);
  }
  return args;
}

/** What the program reads on stdin, or undefined for nothing. */
export function stdinPayload(options: CommandOptions, values: CommandValues): string | undefined {
  if (options.stdin === 'prompt') return values.prompt;
  if (options.stdin === 'none') return undefined;
  const { output: _output, ...fields } = values;
  const json: Record<string, string | number | undefined> = { ...fields };
  for (const key of ['duration_seconds', 'speed', 'seed'] as const) json[key] = fields[key] === undefined ? undefined : Number(fields[key]);
  if (values.output !== undefined) json.output = values.output;
  return `${JSON.stringify(json)}\n`;
}

const FEATURE_OF: Partial<Record<Placeholder, EngineFeature>> = {
  lyrics: 'lyrics',
  duration_seconds: 'duration',
  speed: 'speed',
  language: 'language_code',
};

/** The request fields the program is given: the JSON on stdin carries them all, arguments those they name. */
export function featuresOf(options: CommandOptions): EngineFeature[] {
  const named = new Set<string>(
    options.arguments.flatMap((element) => [...element.matchAll(PLACEHOLDER_PATTERN)].map((match) => match[1] as string)),
  );
  return Object.entries(FEATURE_OF)
    .filter(([placeholder]) => options.stdin === 'json' || named.has(placeholder))
    .map(([, feature]) => feature as EngineFeature);
}
