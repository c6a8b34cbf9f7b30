import { z } from 'zod';
import { parseInstanceOptions, seconds } from '../remote/instance-options.js';

/** The options a `venice` instance takes in the engines file; every one is optional. */
const veniceOptionsSchema = z.strictObject({
  /** Seconds between two `/audio/retrieve` of a queued job. */
  poll_seconds: seconds(3600).default(1),
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

/** Validate an instance's `options`; throws an Error naming every bad option. */
export function parseVeniceOptions(options: Readonly<Record<string, unknown>>): VeniceOptions {
  return parseInstanceOptions(veniceOptionsSchema, options, {
    test: (key) => key === 'model',
    advice: 'set the upstream model id as engine_options.model on each catalog row',
  });
}
