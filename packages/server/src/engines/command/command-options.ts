import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { z } from 'zod';

/** The placeholders an argument may hold; each expands to one request value, as one argument. */
export const PLACEHOLDERS = [
  'prompt',
  'lyrics',
  'duration_seconds',
  'voice',
  'speed',
  'language',
  'seed',
  'format',
  'model',
  'output',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** `{name}`: lower-case letters and underscores between braces; anything else in an argument is literal. */
export const PLACEHOLDER_PATTERN = /\{([a-z_]+)\}/g;

const argument = z.string({ error: 'must be a string' }).superRefine((value, context) => {
  for (const [, name] of value.matchAll(PLACEHOLDER_PATTERN)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(name as string))
      context.addIssue({
        code: 'custom',
        message: `unknown placeholder {${name}} (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`,
      });
  }
});

/** The options of a `command` instance in the engines file. */
const commandOptionsSchema = z
  .strictObject({
    /** The program: an absolute path, or a name looked up on PATH. */
    program: z.string({ error: 'required: a program path or a name on PATH' }).min(1, { error: 'must not be empty' }),
    /** The argument array; never given to a shell. */
    arguments: z.array(argument, { error: 'must be an array of strings' }).max(1000).default([]),
    /** What the program reads: nothing, the request as JSON, or the text. */
    stdin: z.enum(['none', 'json', 'prompt'], { error: 'must be none, json or prompt' }).default('none'),
    /** Where the audio comes out: stdout (streamed) or the file `{output}` names (read after exit). */
    output: z.enum(['stdout', 'file'], { error: 'must be stdout or file' }).default('stdout'),
    /** What the program writes; `pcm` is s16le mono at `pcm_sample_rate`. */
    output_format: z.enum(['wav', 'mp3', 'flac', 'pcm'], { error: 'must be wav, mp3, flac or pcm' }).default('wav'),
    pcm_sample_rate: z
      .number()
      .int()
      .min(8000, { error: 'must be at least 8000' })
      .max(192_000, { error: 'must be at most 192000' })
      .optional(),
    /** Extra environment variables, as literal strings. */
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' }),
        z.string({ error: 'must be a string' }),
      )
      .default({}),
    working_directory: z.string().min(1, { error: 'must not be empty' }).optional(),
    /** Kill the program after this long (default: the instance's timeout_seconds). */
    timeout_seconds: z.number().positive({ error: 'must be more than 0' }).max(86_400, { error: 'must be at most 86400' }).optional(),
    /** Between SIGTERM and SIGKILL. */
    kill_grace_seconds: z.number().min(0).max(600, { error: 'must be at most 600' }).default(5),
    max_stderr_bytes: z
      .number()
      .int()
      .min(256, { error: 'must be at least 256' })
      .max(16 << 20)
      .default(64 * 1024),
    /** The exit code that means "this request cannot succeed": an invalid_input rejection with stderr's last line. */
    invalid_input_exit_code: z.number().int().min(1, { error: 'must be 1..255' }).max(255, { error: 'must be 1..255' }).optional(),
  })
  .superRefine((options, context) => {
    const usesOutput = options.arguments.some((arg) => arg.includes('{output}'));
    if (options.output === 'file' && !usesOutput)
      context.addIssue({ code: 'custom', path: ['arguments'], message: 'output "file" needs an argument holding {output}' });
    if (options.output === 'stdout' && usesOutput)
      context.addIssue({ code: 'custom', path: ['arguments'], message: '{output} is only given with output "file"' });
    if (options.output_format === 'pcm' && options.pcm_sample_rate === undefined)
      context.addIssue({
        code: 'custom',
        path: ['pcm_sample_rate'],
        message: 'required with output_format "pcm" (e.g. 22050 for piper --output-raw)',
      });
  });

export type CommandOptions = z.output<typeof commandOptionsSchema>;

/** Validate an instance's options; throws an Error naming every problem. */
export function parseCommandOptions(options: Readonly<Record<string, unknown>>): CommandOptions {
  const parsed = commandOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? `options: unknown ${issue.keys.join(', ')} (known: ${Object.keys(commandOptionsSchema.shape).join(', ')})`
      : `options.${issue.path.join('.')}: ${issue.message}`,
  );
  throw new Error(problems.join('; '));
}

/** Check that the program can be started from where it will run; throws a clear Error otherwise. */
export function checkProgram(options: CommandOptions, path: string | undefined): void {
  if (options.working_directory !== undefined && !statSync(options.working_directory, { throwIfNoEntry: false })?.isDirectory())
    throw new Error(`options.working_directory: ${options.working_directory} is not a directory`);
  const { program } = options;
  const executable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (program.includes('/') || program.includes('\\')) {
    const file = isAbsolute(program) || !options.working_directory ? program : join(options.working_directory, program);
    if (!executable(file)) throw new Error(`options.program: ${program} is not an executable file`);
    return;
  }
  const found = (path ?? '').split(delimiter).some((dir) => dir && executable(join(dir, program)));
  if (!found) throw new Error(`options.program: ${program} is not found on PATH (${path ?? 'unset'}); give its full path`);
}
