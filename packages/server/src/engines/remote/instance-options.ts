import { z } from 'zod';

/** A number of seconds, more than 0 and at most `max`, with messages saying so. */
export function seconds(max: number) {
  return z
    .number({ error: 'must be a number of seconds' })
    .positive({ error: 'must be more than 0 seconds' })
    .max(max, { error: `must be at most ${max} seconds` });
}

/** Which misplaced keys belong on catalog rows, and what to tell the operator about them. */
export interface RowKeys {
  /** True for a key that is a catalog row's `engine_options`, not an instance option. */
  readonly test: (key: string) => boolean;
  /** What to do instead; "set it in engine_options on each catalog row" when not given. */
  readonly advice?: string;
}

/**
 * Validate an instance's `options` against its strict schema; throws an Error naming every bad
 * option, `;`-separated: `options.<path>: <problem>`, `options.<key>: unknown option (known: …)`,
 * and for a row's key, `options.<key>: not an instance option; <advice>`.
 */
export function parseInstanceOptions<S extends z.ZodObject>(
  schema: S,
  options: Readonly<Record<string, unknown>>,
  rowKeys: RowKeys,
): z.output<S> {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const known = Object.keys(schema.shape).join(', ');
  const advice = rowKeys.advice ?? 'set it in engine_options on each catalog row';
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code !== 'unrecognized_keys') return `options.${issue.path.join('.')}: ${issue.message}`;
    return issue.keys
      .map((key) =>
        rowKeys.test(key) ? `options.${key}: not an instance option; ${advice}` : `options.${key}: unknown option (known: ${known})`,
      )
      .join('; ');
  });
  throw new Error(problems.join('; '));
}
