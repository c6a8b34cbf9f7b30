import { z } from 'zod';
import { parseInstanceOptions, seconds } from '../remote/instance-options.js';

/** Features a `fal` instance's rows may claim besides `duration`, when their apps map them (see fal-input.ts). */
const OPTIONAL_FEATURES = ['lyrics', 'force_instrumental'] as const;

/** The options a `fal` instance takes in the engines file; every one is optional. */
const instanceSchema = z.strictObject({
  /** Seconds between two status requests (and the first wait when fal answers 429 without Retry-After). */
  poll_seconds: seconds(3600).default(1),
  /** On cancel or timeout, `PUT …/requests/{id}/cancel` (fal stops a queued request; a running one may still be billed). */
  cancel_upstream: z.boolean({ error: 'must be true or false' }).default(true),
  /**
   * How long fal keeps the generated files (`X-Fal-Object-Lifecycle-Preference`), in seconds; null
   * leaves fal's default. Overture downloads them at once; the margin lets a later attempt resume.
   */
  media_expiration_seconds: z
    .number({ error: 'must be a number of seconds or null' })
    .int({ error: 'must be a whole number of seconds' })
    .min(60, { error: 'must be at least 60 seconds' })
    .nullable()
    .default(86_400),
  /** Request fields the rows of this instance map to their apps, so that the catalog may claim them. */
  features: z
    .array(z.enum(OPTIONAL_FEATURES, { error: `must list only ${OPTIONAL_FEATURES.join(', ')}` }), {
      error: 'must be a list of features',
    })
    .default([]),
});

export type FalOptions = z.output<typeof instanceSchema>;

const ROW_KEYS = ['model', 'prompt_field', 'duration_field', 'lyrics_field', 'instrumental_field', 'seed_field', 'input'];

/** Validate an instance's `options`; throws an Error naming every bad option. */
export function parseFalOptions(options: Readonly<Record<string, unknown>>): FalOptions {
  return parseInstanceOptions(instanceSchema, options, { test: (key) => ROW_KEYS.includes(key) });
}
