import { z } from 'zod';
import { checkFixedInput, inputFieldsShape, rowParser } from '../cog/cog-input.js';
import { parseInstanceOptions, seconds } from '../remote/instance-options.js';

/** The options a `replicate` instance takes in the engines file; every one is optional. */
const replicateOptionsSchema = z.strictObject({
  /** Seconds between two `GET /predictions/{id}`. */
  poll_seconds: seconds(3600).default(1),
  /** Hold the creating request open up to this many seconds (`Prefer: wait=n`); polling takes over after. */
  wait_seconds: z
    .number({ error: 'must be a whole number of seconds' })
    .int({ error: 'must be a whole number of seconds' })
    .min(1, { error: 'must be at least 1 second' })
    .max(60, { error: 'must be at most 60 seconds (Replicate’s limit)' })
    .optional(),
  /** Replicate cancels the prediction itself after this long (`Cancel-After`), even if Overture is gone. */
  cancel_after_seconds: z
    .number({ error: 'must be a whole number of seconds' })
    .int({ error: 'must be a whole number of seconds' })
    .min(5, { error: 'must be at least 5 seconds' })
    .optional(),
  /** On cancel or timeout, `POST /predictions/{id}/cancel`. */
  cancel_upstream: z.boolean({ error: 'must be true or false' }).default(true),
});

export type ReplicateOptions = z.output<typeof replicateOptionsSchema>;

/** Validate an instance's `options`; throws an Error naming every bad option. */
export function parseReplicateOptions(options: Readonly<Record<string, unknown>>): ReplicateOptions {
  return parseInstanceOptions(replicateOptionsSchema, options, {
    test: (key) => ['version', 'model', 'deployment', 'input'].includes(key) || key.endsWith('_field'),
  });
}

const ownerName = z
  .string({ error: 'must be "owner/name"' })
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: 'must be "owner/name", e.g. meta/musicgen' });

/** A `replicate` row's `engine_options`: which model runs (exactly one of three), and the input mapping. */
const rowSchema = z
  .strictObject({
    ...inputFieldsShape,
    /** A model version: its 64-hex id, or `owner/name:id` → `POST /v1/predictions`. */
    version: z
      .string({ error: 'must be a version id' })
      .regex(/^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+:)?[0-9a-f]{64}$/, { error: 'must be a 64-hex version id, or owner/name:<id>' })
      .optional(),
    /** An official model → `POST /v1/models/{owner}/{name}/predictions`. */
    model: ownerName.optional(),
    /** A deployment of yours → `POST /v1/deployments/{owner}/{name}/predictions`. */
    deployment: ownerName.optional(),
  })
  .superRefine((row, context) => {
    checkFixedInput(row, context);
    const set = (['version', 'model', 'deployment'] as const).filter((key) => row[key] !== undefined);
    if (set.length !== 1)
      context.addIssue({
        code: 'custom',
        path: [],
        message: set.length === 0 ? 'set one of version, model or deployment' : `set only one of ${set.join(', ')}`,
      });
  });

export type ReplicateRow = z.output<typeof rowSchema>;

/** A row's options, parsed once per options object; bad ones are a `refused` rejection. */
export const parseReplicateRow = rowParser(rowSchema, 'replicate');
