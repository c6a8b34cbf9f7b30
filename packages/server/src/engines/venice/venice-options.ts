import { z } from 'zod';

/** The options a `venice` instance takes in the engines file; every one is optional. */
const veniceOptionsSchema = z.strictObject({
  /** Seconds between two `/audio/retrieve` of a queued job. */
  poll_seconds: z
    .number({ error: 'must be a number of seconds' })
    .positive({ error: 'must be more than 0 seconds' })
    .max(3600, { error: 'must be at most 3600 seconds' })
    .default(1),
  /** The catalog row's voice names → the upstream's (names not listed are sent as they are). */
  voices: z
    .record(z.string().min(1, { error: 'voice names must not be empty' }), z.string().min(1, { error: 'must be a non-empty voice name' }), {
      error: 'must be an object mapping voice names to the upstream’s voice names',
    })
    .default({}),
  /** On cancel or timeout, also call the upstream's `/audio/cancel` (Overture's extension; a 404 is ignored). */
  cancel_upstream: z.boolean({ error: 'must be true or false' }).default(true),
});

export type VeniceOptions = z.output<typeof veniceOptionsSchema>;

const KNOWN = Object.keys(veniceOptionsSchema.shape).join(', ');

/** Validate an instance's `options`; throws an Error naming every bad option. */
export function parseVeniceOptions(options: Readonly<Record<string, unknown>>): VeniceOptions {
  const parsed = veniceOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code !== 'unrecognized_keys') return `options.${issue.path.join('.')}: ${issue.message}`;
    return issue.keys
      .map((key) =>
        key === 'model'
          ? 'options.model: not an instance option; set the upstream model id as engine_options.model on each catalog row'
          : `options.${key}: unknown option (known: ${KNOWN})`,
      )
      .join('; ');
  });
  throw new Error(problems.join('; '));
}
